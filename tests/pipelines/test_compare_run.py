"""`policycat compare` on what `policycat run` writes for the sample corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.compare import default_mapping, run_comparison
from pipelines.reports.wording import load_wording
from pipelines.reports.workbook import COMPARISON_SHEETS, MAX_COLUMN_WIDTH

WORDING = load_wording()
HEADERS = WORDING.section("comparison_fields")
RELATION = WORDING.labels["relation"]

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
NANTONG, JINGJIANG = "001_c928dd9025f7e819.txt#1", "000_c4eeb4407c4e4302.txt#1"
CHONGQING = tuple(f"004_d26b86c6ea9d91ed.txt#{i}" for i in range(1, 5))


@pytest.fixture(scope="module")
def compared(seed_run):
    out, _ = seed_run
    summary, _ = run_comparison(out, [CORPUS], default_mapping([CORPUS]))
    records = [json.loads(line) for line in (out / "comparison.jsonl").read_text(encoding="utf-8").splitlines()]
    catalogue = [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, summary, records, catalogue


def _sheet_name(table: str) -> str:
    return WORDING.section("sheets")[COMPARISON_SHEETS[table]].removeprefix("对比-")


def _sheet(out: Path, table: str) -> list[dict]:
    """A sheet of comparison.xlsx by its table's key, each line keyed by the table's field
    names (the headers are in Chinese; a header not in the wording is the field itself)."""
    sheet = load_workbook(out / "comparison.xlsx", read_only=True)[_sheet_name(table)]
    rows = list(sheet.iter_rows(values_only=True))
    field = {v: k for k, v in HEADERS.items()}
    return [dict(zip([field.get(h, h) for h in rows[0]], r)) for r in rows[1:]]


def test_compare_run_has_measures_to_compare(compared):
    _, summary, _, catalogue = compared
    assert summary["measures"] == len(catalogue) > 0
    assert summary["warnings"] == []


def test_compare_run_groups_come_from_the_mapping_file(compared):
    _, _, records, _ = compared
    groups = [r for r in records if r["kind"] == "group"]
    pairs = [r for r in records if r["kind"] == "city_county"]
    assert [(p["city_doc_id"], p["county_doc_id"]) for p in pairs] == [(NANTONG, JINGJIANG)]
    peers = [g for g in groups if g["group_kind"] == "peers"]
    # the mapping's four signed articles; the metadata group that adds the fragment #5 is not repeated
    assert [tuple(g["members"]) for g in peers] == [CHONGQING]
    assert len([r for r in records if r["kind"] == "peers"]) == 6


def test_compare_run_every_count_is_backed_by_measure_ids(compared):
    out, _, records, catalogue = compared
    ids = {r["measure_id"]: r for r in catalogue}
    pair = next(r for r in records if r["kind"] == "city_county")
    city = {m for m, r in ids.items() if r["doc_id"] == NANTONG}
    county = {m for m, r in ids.items() if r["doc_id"] == JINGJIANG}
    bands = [t["city_measure_id"] for key in ("taken_up", "possible", "left_out") for t in pair[key]]
    assert sorted(bands) == sorted(city)  # every city measure in exactly one of them
    assert {t["county_measure_id"] for t in pair["added"]} <= county
    sheet = _sheet(out, "pairs")
    relations = Counter(r["relation"] for r in sheet if r["doc_b"] == JINGJIANG)
    expected = {RELATION[k]: len(pair[k]) for k in ("taken_up", "possible", "left_out", "added") if pair[k]}
    assert relations == expected  # in the reader's words: 承接, 可能承接, 未承接, 新增
    # both bands carry their probability and reasons, in Chinese
    banded = [r for r in sheet if r["relation"] in (RELATION["taken_up"], RELATION["possible"])]
    assert banded and all(r["probability"] is not None and r["reasons"] for r in banded)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["reasons"]) for r in banded)
    # class codes carry their names
    assert all(r["category"] and " " in r["category"] for r in sheet)
    for row in sheet:
        for key in ("measure_a", "measure_b"):
            if row[key] is not None:
                assert ids[row[key]]["text"] == row["text_a" if key == "measure_a" else "text_b"]
    summary = [r for r in _sheet(out, "pair_summary") if r["doc_b"] == JINGJIANG and r["category"] == "合计"]
    assert summary[0]["taken_up"] == relations[RELATION["taken_up"]] and summary[0]["added"] == relations[RELATION["added"]]


def test_compare_run_peers_say_what_each_has_that_the_other_lacks(compared):
    out, _, records, _ = compared
    sheet = _sheet(out, "pairs")
    for pair in (r for r in records if r["kind"] == "peers"):
        lines = Counter(r["relation"] for r in sheet if r["doc_a"] == pair["a_doc_id"] and r["doc_b"] == pair["b_doc_id"])
        assert lines[RELATION["a_only"]] == len(pair["a_only"]) == pair["a_measures"] - pair["a_shared"] - len({t["a_measure_id"] for t in pair["possibly_shared"]})
        assert lines[RELATION["b_only"]] == len(pair["b_only"])
        assert sum(line["a_only"] for line in pair["by_category"]) == len(pair["a_only"])


def test_compare_run_coverage_counts_the_catalogue(compared):
    out, _, _, catalogue = compared
    coverage = _sheet(out, "coverage")
    total = next(r for r in coverage if r["category"] == "合计")
    for doc_id in (NANTONG, JINGJIANG, *CHONGQING):
        assert total[doc_id] == sum(1 for r in catalogue if r["doc_id"] == doc_id)
        assert sum(r[doc_id] for r in coverage if r["category"] != "合计") == total[doc_id]


def test_compare_run_clusters_and_concreteness_cover_the_catalogue(compared):
    out, _, records, catalogue = compared
    measures = _sheet(out, "measures")
    assert {r["measure_id"] for r in measures} == {r["measure_id"] for r in catalogue}
    clusters = [r for r in records if r["kind"] == "cluster"]
    assert clusters and all(len(set(c["doc_ids"])) == c["size"] for c in clusters)
    ranked = [r for r in _sheet(out, "concreteness") if r["rank"] is not None]
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    duplicates = {r["doc_id"] for r in catalogue if r["duplicate_of"]}
    assert duplicates and not duplicates & {r["doc_id"] for r in ranked}


def test_compare_run_workbook_is_ready_to_filter(compared):
    out, _, _, _ = compared
    workbook = load_workbook(out / "comparison.xlsx")
    assert {_sheet_name(t) for t in ("coverage", "pairs", "clusters", "concreteness")} <= set(workbook.sheetnames)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes in ("A2", "B2")
        assert sheet.auto_filter.ref
        letters = [cell.column_letter for cell in sheet[1]]
        assert all(sheet.column_dimensions[c].customWidth for c in letters)
    pairs = workbook[_sheet_name("pairs")]
    text_column = next(cell.column_letter for cell in pairs[1] if cell.value == HEADERS["text_a"])
    # measure clauses run past the width cap; ids are 16 characters
    assert pairs.column_dimensions[text_column].width == MAX_COLUMN_WIDTH
    id_column = next(cell.column_letter for cell in pairs[1] if cell.value == HEADERS["measure_a"])
    assert pairs.column_dimensions[id_column].width == 16 + 2


def test_the_main_flow_compares_and_clusters(seed_run, compared):
    out, flow_summary = seed_run
    _, summary, records, catalogue = compared
    # the flow's own comparison step wrote the same comparison the command does
    assert flow_summary["comparison"]["groups"] == summary["groups"] > 0
    assert all(row["cluster_id"] for row in catalogue)
    linked = [row for row in catalogue if row["best_match_id"]]
    ids = {row["measure_id"] for row in catalogue}
    assert linked and all(row["best_match_id"] in ids for row in linked)
    clusters = {r["cluster_id"]: r["size"] for r in records if r["kind"] == "cluster"}
    sizes = Counter(row["cluster_id"] for row in catalogue)
    assert clusters and all(sizes[cid] == size for cid, size in clusters.items())
