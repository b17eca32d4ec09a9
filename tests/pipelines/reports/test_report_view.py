"""The report's blocks: a class the county took up nothing of is named."""

from __future__ import annotations

from pipelines.reports.view import _nothing_taken_up
from pipelines.reports.wording import load_wording


def _pair(*lines):
    return {"by_category": [dict(zip(("category", "city_measures", "taken_up", "possible"), line)) for line in lines]}


def test_report_view_names_the_classes_taken_up_in_neither_band():
    wording = load_wording()
    names = {"SUPPORT": "支持保障", "MEMBERS": "委员队伍建设", "STUDY": "理论学习与传达贯彻"}
    # MEMBERS only possibly taken up: not named; STUDY absent from the city: not named
    text = _nothing_taken_up(_pair(("SUPPORT", 3, 0, 0), ("MEMBERS", 2, 0, 1), ("STUDY", 0, 0, 0)), names, wording.fill)
    assert text == "市级有要求、区县一条也没有承接（含可能承接）的类别：支持保障（市级 3 条）。"
    assert _nothing_taken_up(_pair(("MEMBERS", 2, 1, 0)), names, wording.fill) == "市级有要求的每一类，区县都至少承接或可能承接了一条。"
