"""Taken up, left out, added: 南通's opinion against 靖江's, on the gold measures."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gold_catalogue import gold_documents, gold_rows, source_texts

from models.comparison import Group, compare_city_county, compare_documents, document_text, load_comparison_settings, text_reuse_share

CITY, COUNTY = "001", "000"  # 南通市委实施意见, 靖江市政协贯彻意见


@pytest.fixture(scope="module")
def rows():
    return gold_rows()


@pytest.fixture(scope="module")
def decision():
    from models.links import load_link_decision

    return load_link_decision()


@pytest.fixture(scope="module")
def result(rows, decision):
    city = [r for r in rows if r.doc_id == CITY]
    county = [r for r in rows if r.doc_id == COUNTY]
    return city, county, compare_city_county(city, county, decision, load_comparison_settings())


def test_comparison_every_city_measure_is_taken_up_possibly_or_left_out(result, decision):
    city, county, res = result
    taken = [t["city_measure_id"] for t in res["taken_up"]]
    possible = [t["city_measure_id"] for t in res["possible"]]
    left = [t["city_measure_id"] for t in res["left_out"]]
    assert sorted(taken + possible + left) == sorted(r.measure_id for r in city)
    assert all(t["probability"] >= decision.settings.taken_up and t["band"] == "taken_up" for t in res["taken_up"])
    assert all(decision.settings.possible <= t["probability"] < decision.settings.taken_up for t in res["possible"])
    # one to one: a county measure takes up one city measure at most, and is then not added
    matched = [t["county_measure_id"] for t in res["taken_up"] + res["possible"]]
    assert len(matched) == len(set(matched))
    assert not set(matched) & {t["county_measure_id"] for t in res["added"]}
    assert {t["county_measure_id"] for t in res["added"]} <= {r.measure_id for r in county}
    # every pair says why, in the reader's words
    assert all(t["reasons"] and all(any("\u4e00" <= ch <= "\u9fff" for ch in r) for r in t["reasons"]) for t in res["taken_up"])


def test_comparison_annotated_equivalent_is_taken_up(result):
    city, county, res = result
    text = {r.measure_id: r.text for r in city + county}
    pairs = {(text[t["city_measure_id"]], text[t["county_measure_id"]]) for t in res["taken_up"] + res["possible"]}
    assert ("建立健全委员联络机构", "健全委员联络机构") in pairs


def test_comparison_category_counts_add_up(result):
    city, county, res = result
    by_cat = res["by_category"]
    assert sum(c["city_measures"] for c in by_cat) == len(city)
    assert sum(c["county_measures"] for c in by_cat) == len(county)
    assert sum(c["taken_up"] for c in by_cat) == len(res["taken_up"])
    assert sum(c["added"] for c in by_cat) == len(res["added"])
    for line in by_cat:
        assert line["taken_up"] + line["possible"] + line["left_out"] == line["city_measures"]
    assert {c["category"] for c in by_cat} <= {r.category for r in city + county}


def test_comparison_missing_category_counts_as_unclassified(rows, decision):
    settings = load_comparison_settings()
    city = [replace(r, category=None) for r in rows if r.doc_id == CITY]
    county = [replace(r, category=None) for r in rows if r.doc_id == COUNTY]
    res = compare_city_county(city, county, decision, settings)
    assert [c["category"] for c in res["by_category"]] == [settings.unclassified_label]


def test_comparison_text_reuse_finds_the_copied_speech():
    """003-3 repeats the first ~2,000 characters of 003-4; 003-1 is another speech."""
    docs = {d["doc_id"]: d for d in gold_documents()}
    text = source_texts()["003_c6d22d7c8ab3c4ee.txt"]
    copy = text_reuse_share(document_text(docs["003-3"], text), document_text(docs["003-4"], text))
    other = text_reuse_share(document_text(docs["003-1"], text), document_text(docs["003-4"], text))
    itself = text_reuse_share(document_text(docs["003-4"], text), document_text(docs["003-4"], text))
    assert itself["share"] == 1.0
    assert copy["share"] > 0.95 > 0.1 > other["share"]


def test_comparison_text_reuse_skips_masked_noise():
    doc = {"start": 0, "end": 20, "masked": [{"start": 5, "end": 15, "kind": "paywall"}]}
    assert document_text(doc, "甲乙丙丁戊此处内容需要权限查看己庚辛壬癸") == ["甲乙丙丁戊", "己庚辛壬癸"]


def test_comparison_duplicates_never_enter_a_pair(rows, decision):
    documents = gold_documents()
    groups = [Group("榆林", "peers", None, ("003-4", "003-5"), "mapping")]
    res = compare_documents(documents, rows, source_texts(), groups, decision)
    shared = {m for p in res["peer_pairs"] for s in p["shared"] for m in (s["a_measure_id"], s["b_measure_id"])}
    duplicate_ids = {r.measure_id for r in rows if r.doc_id == "003-3"}
    assert shared and not shared & duplicate_ids
