"""Quantified requirements normalised: frequency, count, deadline, coverage."""

import pytest

from extractors.lexicon import load_lexicon
from extractors.numerals import parse_number
from extractors.targets import find_targets


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("每年至少开展一次谈心活动", {("frequency", 1.0, "year", None), ("count", 1.0, "次", ">=")}),
        ("计划两年内将全部政协委员培训一次", {("deadline", 2.0, "year", None), ("coverage", 1.0, "委员", None), ("count", 1.0, "次", "=")}),
        ("每年活动不少于x次", {("frequency", 1.0, "year", None), ("count", None, "次", ">=")}),
        ("党委、政府每年给政协提出*至*个协商题目", {("frequency", 1.0, "year", None), ("count", None, "个", "range")}),
        ("每年要在省级以上的报刊杂志刊登1-3篇", {("frequency", 1.0, "year", None), ("count", 1.0, "篇", "range")}),
        ("实现对委员服务管理的全覆盖", {("coverage", 1.0, "all", None)}),
        ("办公室要赶12月底拿出全委会议的整体工作方案", {("deadline", 12.0, "month_end", None)}),
        ("每季度在机关全体干部职工会上公布财务支出情况", {("frequency", 1.0, "quarter", None)}),
        ("反映社情民意x条以上", {("count", None, "条", ">=")}),
    ],
)
def test_targets_normalised(text, expected, lexicon):
    found = {(t.kind, t.value, t.unit, t.comparator) for t in find_targets(text, 0, lexicon)}
    assert found == expected


def test_targets_offsets_shift_and_slice_source(lexicon):
    # traditional source, simplified analysis: the text comes from the source
    targets = find_targets("每年至少开展一次", 10, lexicon, source_text="x" * 10 + "每年至少開展一次")
    assert [(t.start, t.end, t.text) for t in targets] == [(10, 12, "每年"), (12, 18, "至少開展一次")]


@pytest.mark.parametrize(
    "text, value",
    [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两千五百", 2500), ("三万", 30000), ("1.5", 1.5), ("１２", 12)],
)
def test_numerals_parse(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["*", "x", "XX", "", "若干"])
def test_numerals_placeholders_have_no_value(text):
    assert parse_number(text) is None
