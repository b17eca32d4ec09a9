"""The analyst's loop through catalogue.xlsx: a run writes the 复核 sheets, the analyst fills
them in with a spreadsheet program (openpyxl here, saving the file as Excel would), the
next run with ``--corrections`` applies them and shows them again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extractors.knowledge import DataError
from pipelines.flow import catalogue_flow
from pipelines.reports.review import read_review
from pipelines.reports.wording import load_wording
from models.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[3] / "corpora"
ROOT = Path(__file__).resolve().parents[3]


def _columns(row) -> dict[str, int]:
    return {cell.value: cell.column for cell in row if cell.value}


def _catalogue(out: Path) -> dict[str, dict]:
    return {r["measure_id"]: r for r in map(json.loads, (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines())}


def _links(out: Path) -> set[tuple[str, str]]:
    found = set()
    for record in map(json.loads, (out / "comparison.jsonl").read_text(encoding="utf-8").splitlines()):
        for t in record.get("taken_up") or ():
            found.add((t["city_measure_id"], t["county_measure_id"]))
        for t in record.get("shared") or ():
            found.add((t["a_measure_id"], t["b_measure_id"]))
    return found


@pytest.fixture(scope="module")
def reviewed(prefect_harness, tmp_path_factory):
    """A run, the analyst's edits to its workbook, and the run that applied them."""
    out = tmp_path_factory.mktemp("review") / "out"
    catalogue_flow([str(CORPUS)], str(out), show_progress=False)
    before = _catalogue(out)
    links_before = _links(out)
    workbook = load_workbook(out / "catalogue.xlsx")
    sheet = workbook["复核"]
    col = _columns(sheet[2])
    rows = {sheet.cell(row=r, column=col["举措编号"]).value: r for r in range(3, sheet.max_row + 1)}
    ids = list(rows)
    rejected, recoded, restated, accepted = ids[0], ids[1], ids[2], ids[3]
    new_class = next(c for c in load_taxonomy().codes if c != before[recoded]["category"])
    sheet.cell(row=rows[rejected], column=col["结论"], value="拒绝")
    sheet.cell(row=rows[recoded], column=col["改正类别"], value=f"{new_class} {load_taxonomy().names[new_class]}")
    sheet.cell(row=rows[recoded], column=col["备注"], value="原判不对")
    sheet.cell(row=rows[restated], column=col["改正约束强度"], value="鼓励")
    sheet.cell(row=rows[accepted], column=col["结论"], value="接受")
    pairs = workbook["复核-对比"]
    pcol = _columns(pairs[1])
    pair = (pairs.cell(row=2, column=pcol["甲举措编号"]).value, pairs.cell(row=2, column=pcol["乙举措编号"]).value)
    pairs.cell(row=2, column=pcol["结论"], value="拒绝")
    workbook.save(out / "catalogue.xlsx")
    summary = catalogue_flow([str(CORPUS)], str(out), show_progress=False, corrections=str(out / "catalogue.xlsx"))
    return {"out": out, "before": before, "after": _catalogue(out), "summary": summary, "links_before": links_before, "pair": pair,
            "rejected": rejected, "recoded": recoded, "restated": restated, "accepted": accepted, "new_class": new_class}


def test_the_next_run_applies_the_review(reviewed):
    after, before = reviewed["after"], reviewed["before"]
    assert after[reviewed["rejected"]]["rejected"] is True and not before[reviewed["rejected"]].get("rejected")
    recoded = after[reviewed["recoded"]]
    # the classifier learned the corrected class; where it still predicts the old one, that is kept beside
    assert recoded["category"] == reviewed["new_class"] and recoded["corrected"] is True
    assert recoded.get("predicted_category") in (None, before[reviewed["recoded"]]["category"])
    assert recoded["correction_note"] == "原判不对" and recoded["needs_review"] is False
    assert after[reviewed["restated"]]["status"] == "ENCOURAGED"
    assert after[reviewed["accepted"]]["corrected"] is True and after[reviewed["accepted"]]["category"] == before[reviewed["accepted"]]["category"]
    assert reviewed["summary"]["corrected"] == 4
    # the rejected link is gone from the comparison; the others stay
    assert reviewed["pair"] in reviewed["links_before"] and reviewed["pair"] not in _links(reviewed["out"])
    # counted in the report's data notes
    assert "否决" in (reviewed["out"] / "report.md").read_text(encoding="utf-8")
    errors = (reviewed["out"] / "errors.jsonl").read_text(encoding="utf-8")
    assert "corrections" not in errors


def test_the_new_workbook_shows_the_review_again(reviewed):
    """Running again with the rewritten workbook changes nothing: no decision is lost."""
    wording, taxonomy = load_wording(), load_taxonomy()
    again = read_review(reviewed["out"] / "catalogue.xlsx", wording, taxonomy.codes, taxonomy.names)
    by_id = {c.measure_id: c for c in again.corrections}
    assert set(by_id) == {reviewed[k] for k in ("rejected", "recoded", "restated", "accepted")}
    assert by_id[reviewed["rejected"]].reject and by_id[reviewed["recoded"]].category == reviewed["new_class"]
    assert by_id[reviewed["restated"]].status == "ENCOURAGED"
    assert again.links == {reviewed["pair"]: False}
    summary = catalogue_flow([str(CORPUS)], str(reviewed["out"]), show_progress=False, corrections=str(reviewed["out"] / "catalogue.xlsx"))
    assert summary.get("reused_from"), "the same decisions read from the rewritten workbook are the same inputs"


def test_a_wrong_value_names_the_sheet_and_row(reviewed, tmp_path):
    workbook = load_workbook(reviewed["out"] / "catalogue.xlsx")
    sheet = workbook["复核"]
    col = _columns(sheet[2])
    sheet.cell(row=7, column=col["结论"], value="也许")
    sheet.cell(row=8, column=col["改正类别"], value="NO_SUCH_CLASS")
    broken = tmp_path / "catalogue.xlsx"
    workbook.save(broken)
    taxonomy = load_taxonomy()
    with pytest.raises(DataError) as caught:
        read_review(broken, load_wording(), taxonomy.codes, taxonomy.names)
    message = str(caught.value)
    assert "第 7 行" in message and "也许" in message and "第 8 行" in message and "NO_SUCH_CLASS" in message
    # the command line refuses it before anything is written
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", "from pipelines.cli import app; app()", "run", str(CORPUS), "-o", str(out), "--corrections", str(broken)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2 and str(broken) in done.stderr and "第 7 行" in done.stderr
    assert not out.exists()


def test_the_review_sheet_lists_its_choices(reviewed):
    """Verdict, class and strength cells are drop-down lists of the allowed values."""
    workbook = load_workbook(reviewed["out"] / "catalogue.xlsx")
    sheet = workbook["复核"]
    col = _columns(sheet[2])
    rules = sheet.data_validations.dataValidation
    covered = {str(r.sqref).split(":")[0][0]: r for r in rules}
    from openpyxl.utils import get_column_letter

    for header in ("结论", "改正类别", "改正约束强度"):
        rule = covered[get_column_letter(col[header])]
        assert rule.type == "list" and rule.formula1.startswith("='复核-可选值'!")
    values = workbook["复核-可选值"]
    listed = [c.value for c in values["B"][1:] if c.value]
    assert len(listed) == len(load_taxonomy().codes) and all(v.split()[0] in load_taxonomy().codes for v in listed)


def test_a_corrections_yaml_is_read_as_a_review(tmp_path):
    from pipelines.reports.review import read_review_file

    path = tmp_path / "corrections.yaml"
    path.write_text("m_1:\n  reject: true\nm_2:\n  category: MEMBERS\n  note: 原判不对\n", encoding="utf-8")
    review = read_review_file(path)
    assert [(c.measure_id, c.reject, c.category) for c in review.corrections] == [("m_1", True, None), ("m_2", False, "MEMBERS")]
    assert review.links == {} and read_review_file(tmp_path / "absent.yaml").corrections == ()
