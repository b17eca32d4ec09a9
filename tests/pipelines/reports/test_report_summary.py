"""Figures of the summary report: counts, classes, bodies, examples, comparison, notes."""

from __future__ import annotations

import pytest
from catalogue_entries import entry
from gold_catalogue import gold_documents, gold_rows

from extractors.types import Body, Target

from models.comparison import load_comparison_settings
from pipelines.reports.summary import (
    UNKNOWN,
    SummarySettings,
    bodies_by_class,
    build_summary,
    city_county_summaries,
    class_table,
    comparison_is_current,
    counted_rows,
    data_notes,
    documents_overview,
    format_bodies,
    format_targets,
    key_counts,
    measure_context,
    peer_summaries,
    rank_examples,
)
from models.taxonomy import load_taxonomy
from pipelines.outputs import comparison_from_records as comparison_result

LABELS = {
    "level": {"city": "市级", "county": "县级", "all": "各级"},
    "role": {"lead": "牵头", "support": "配合"},
    "inferred": {"label": "推断"},
    "target_kind": {"frequency": "频次", "count": "数量", "deadline": "时限", "coverage": "覆盖"},
    "unit": {"year": "年"},
}


def _row(measure_id, doc_id="甲#1", *, category="CONSULTATION", text="建立健全委员培训制度", **extra):
    return entry(measure_id, doc_id, text=text, title=f"《{doc_id}》标题", category=category, confidence=0.8, **extra)


def _body(canonical, *, explicit=True, mention=None, level="city", role=None):
    return {"start": 0, "end": 0, "mention": mention or canonical, "canonical": canonical, "level": level, "explicit": explicit, "role": role}


DOCS = [
    {"doc_id": "甲#1", "source_path": "甲", "title": "市委实施意见", "doc_type": "opinion", "level": "city"},
    {"doc_id": "乙#1", "source_path": "乙", "title": "县政协贯彻意见", "doc_type": "opinion", "level": "county"},
    {"doc_id": "乙#2", "source_path": "乙", "title": "县政协贯彻意见（重复）", "doc_type": "opinion", "level": "county", "duplicate_of": "乙#1"},
    {"doc_id": "丙#1", "source_path": "丙", "title": "讲话", "doc_type": "speech", "level": None},
]


def test_summary_counted_rows_leave_out_duplicates_and_rejected():
    rows = [_row("m1"), _row("m2", "乙#2"), _row("m3", rejected=True), _row("m4", duplicate_of="乙#1")]
    assert [r.measure_id for r in counted_rows(rows, DOCS)] == ["m1"]


@pytest.mark.parametrize(
    ("values", "order", "expected"),
    [
        (["speech", "opinion", "speech"], ("opinion", "speech"), [("opinion", 1), ("speech", 2)]),
        (["news", None, "opinion"], ("opinion",), [("opinion", 1), ("news", 1), (UNKNOWN, 1)]),
        ([], ("opinion",), []),
    ],
)
def test_summary_key_counts_order_and_unknown(values, order, expected):
    assert [(c["key"], c["count"]) for c in key_counts(values, order)] == expected


def test_summary_documents_overview_by_type_and_level():
    overview = documents_overview(DOCS, ("opinion", "speech"), ("city", "county"))
    assert (overview["documents"], overview["counted"], overview["duplicates"], overview["files"], overview["split_files"]) == (4, 3, 1, 3, 1)
    assert overview["levels"] == ["city", "county", UNKNOWN]
    table = {line["key"]: line for line in overview["type_level"]}
    assert table["opinion"]["counts"] == {"city": 1, "county": 1, UNKNOWN: 0} and table["speech"]["counts"][UNKNOWN] == 1
    assert sum(line["total"] for line in overview["type_level"]) == overview["counted"]


def test_summary_class_table_follows_taxonomy_order_and_counts_statuses():
    rows = [_row("m1", status="DONE"), _row("m2", category="MEMBERS"), _row("m3", category=None), _row("m4", "乙#1", category="MEMBERS", status="PLANNED")]
    table = class_table(rows, ("LEADERSHIP", "CONSULTATION", "MEMBERS"), ("REQUIRED", "PLANNED", "DONE"))
    assert [line["code"] for line in table] == ["LEADERSHIP", "CONSULTATION", "MEMBERS", UNKNOWN]
    members = table[2]
    assert (members["measures"], members["documents"], members["by_status"]) == (2, 2, {"REQUIRED": 1, "PLANNED": 1, "DONE": 0})
    assert sum(line["measures"] for line in table) == len(rows)
    assert sum(line["share"] for line in table) == pytest.approx(1.0)


def test_summary_bodies_by_class_counts_a_measure_once_per_body():
    rows = [
        _row("m1", bodies=[_body("政协委员"), _body("政协委员", mention="委员"), _body("党委", explicit=False)]),
        _row("m2", bodies=[_body("政协")]),
        _row("m3", category="MEMBERS"),
    ]
    table = bodies_by_class(rows, ("CONSULTATION", "MEMBERS"), top=2)
    assert table["bodies"] == ["党委", "政协"] and table["other_bodies"] == ["政协委员"]  # ties by name
    consultation = table["lines"][0]
    assert consultation["counts"] == {"党委": 1, "政协": 1} and consultation["other"] == 1 and consultation["explicit"] == 2
    assert table["lines"][1]["none"] == 1


def test_summary_rank_examples_prefers_concrete_and_clean_measures():
    rows = [
        _row("vague", text="加强委员联络工作机制"),
        _row("short", bodies=[_body("政协")], text="学习贯彻"),
        _row("body", bodies=[_body("政协")], text="市政协要建立健全委员培训制度"),
        _row("placeholder", bodies=[_body("政协")], targets=[{"kind": "count", "text": "*次"}], placeholder=True, text="每年对委员至少开展*次集中培训"),
        _row("target", bodies=[_body("政协")], targets=[{"kind": "frequency", "text": "每年"}], text="每年对委员开展集中培训"),
    ]
    ranked = [e["measure_id"] for e in rank_examples(rows, 5, load_comparison_settings())]
    assert ranked == ["target", "body", "short", "vague", "placeholder"]
    example = rank_examples(rows, 1)[0]
    # a named body, how often, no vague word: three of the seven signs
    assert example["score"] == round(3 / 7, 4) and example["flags"]["quantified_target"] and example["targets"] == ["每年"]


def _comparison_records(rows):
    return [
        {"kind": "summary", "measures": len(rows), "warnings": ["示例提示"], "threshold": 0.1},
        {"kind": "group", "name": "甲—乙", "group_kind": "city_county", "origin": "mapping", "city_doc_id": "甲#1", "members": ["乙#1"]},
        {"kind": "city_county", "group": "甲—乙", "city_doc_id": "甲#1", "county_doc_id": "乙#1", "city_measures": 2, "county_measures": 2,
         "taken_up": [{"city_measure_id": "c1", "county_measure_id": "k1", "similarity": 0.6, "category": "MEMBERS"}],
         "left_out": [{"city_measure_id": "c2", "category": "CONSULTATION"}],
         "added": [{"county_measure_id": "k2", "category": "CONSULTATION"}], "taken_up_share": 0.5,
         "by_category": [{"category": "MEMBERS", "city_measures": 1, "county_measures": 1, "taken_up": 1, "left_out": 0, "added": 0},
                         {"category": "CONSULTATION", "city_measures": 1, "county_measures": 1, "taken_up": 0, "left_out": 1, "added": 1}],
         "text_reuse": {"share": 0.25}},
        {"kind": "cluster", "cluster_id": "cc1", "size": 2, "doc_ids": ["甲#1", "乙#1"], "measure_ids": ["c1", "k1"]},
        *({"kind": "measure_concreteness", "measure_id": r.measure_id, "doc_id": r.doc_id} for r in rows),
    ]


CITY_COUNTY_ROWS = [
    _row("c1", "甲#1", category="MEMBERS", text="建立健全委员培训制度"),
    _row("c2", "甲#1", text="每年开展专题协商", targets=[{"kind": "frequency", "text": "每年"}]),
    _row("k1", "乙#1", category="MEMBERS", text="健全委员培训制度"),
    _row("k2", "乙#1", text="建设协商议事室"),
]


def test_summary_comparison_result_rebuilt_from_records():
    result = comparison_result(_comparison_records(CITY_COUNTY_ROWS))
    assert result["groups"] == [{"name": "甲—乙", "kind": "city_county", "origin": "mapping", "city_doc_id": "甲#1", "members": ["乙#1"]}]
    assert len(result["pairs"]) == 1 and "kind" not in result["pairs"][0]
    assert comparison_is_current(result, CITY_COUNTY_ROWS)
    assert not comparison_is_current(result, CITY_COUNTY_ROWS[:3])
    assert comparison_result([]) is None


def test_summary_city_county_taken_up_left_out_added():
    result = comparison_result(_comparison_records(CITY_COUNTY_ROWS))
    [pair] = city_county_summaries(result, CITY_COUNTY_ROWS, DOCS, 5, codes=("CONSULTATION", "MEMBERS"))
    assert (pair["taken_up"], pair["left_out"], pair["added"], pair["taken_up_share"], pair["text_reuse_share"]) == (1, 1, 1, 0.5, 0.25)
    assert pair["city"]["title"] == "市委实施意见" and pair["county"]["title"] == "县政协贯彻意见"
    assert [line["category"] for line in pair["by_category"]] == ["CONSULTATION", "MEMBERS"]
    [link] = pair["links"]
    assert link["a"]["text"] == "建立健全委员培训制度" and link["b"]["text"] == "健全委员培训制度" and link["band"] == "taken_up"
    # per class, in taxonomy order: what the county left out and what it added
    [line] = pair["class_lists"]
    assert line["category"] == "CONSULTATION"
    assert line["left_out"]["count"] == 1 and [e["text"] for e in line["left_out"]["examples"]] == ["每年开展专题协商"]
    assert line["added"]["count"] == 1 and [e["text"] for e in line["added"]["examples"]] == ["建设协商议事室"]


def test_summary_peers_list_what_each_has_that_the_other_lacks():
    rows = CITY_COUNTY_ROWS
    result = {"peer_pairs": [{
        "group": "甲乙", "a_doc_id": "甲#1", "b_doc_id": "乙#1", "a_measures": 2, "b_measures": 2, "a_shared": 1, "b_shared": 1,
        "shared": [{"a_measure_id": "c1", "b_measure_id": "k1", "similarity": 0.6, "probability": 0.9, "band": "taken_up", "reasons": ["用词相近"]}],
        "possibly_shared": [], "a_only": [{"a_measure_id": "c2", "category": "CONSULTATION"}], "b_only": [{"b_measure_id": "k2", "category": "CONSULTATION"}],
        "by_category": [{"category": "MEMBERS", "a_measures": 1, "b_measures": 1, "shared": 1, "possibly_shared": 0, "a_only": 0, "b_only": 0},
                        {"category": "CONSULTATION", "a_measures": 1, "b_measures": 1, "shared": 0, "possibly_shared": 0, "a_only": 1, "b_only": 1}],
    }]}
    [pair] = peer_summaries(result, DOCS, rows, 1, codes=("CONSULTATION", "MEMBERS"))
    assert [line["category"] for line in pair["by_category"]] == ["CONSULTATION", "MEMBERS"]
    assert [(l["a"]["measure_id"], l["b"]["measure_id"], l["reasons"]) for l in pair["links"]] == [("c1", "k1", ["用词相近"])]
    [line] = pair["class_lists"]
    assert [e["measure_id"] for e in line["a_only"]["examples"]] == ["c2"] and [e["measure_id"] for e in line["b_only"]["examples"]] == ["k2"]


def test_summary_data_notes():
    documents = [
        {"doc_id": "甲#1", "title": "讲话", "placeholders": [{"text": "202_年"}, {"text": "*"}, {"text": "*"}], "warnings": ["placeholder text (3: 202_年、*)"]},
        {"doc_id": "甲#2", "title": "讲话（重复）", "duplicate_of": "甲#1", "warnings": ["duplicate of 甲#1", "truncated"]},
    ]
    rows = [
        _row("m1", "甲#1", needs_review=True, placeholder=True),
        _row("m2", "甲#1", bodies=[_body("政协")], corrected=True),
        _row("m3", "甲#2"),
    ]
    errors = [{"path": "坏文件.pdf", "stage": "read", "reason": "encrypted"}]
    notes = data_notes(documents, rows, errors, None)
    assert notes["placeholders"] == [{"doc_id": "甲#1", "title": "讲话", "count": 3, "texts": ["202_年", "*"]}]
    assert notes["placeholder_measures"] == 1
    assert notes["duplicates"][0]["duplicate_title"] == "讲话" and notes["duplicate_measures"] == 1
    assert (notes["needs_review"], notes["needs_review_share"]) == (1, 0.5)
    assert (notes["no_explicit_body"], notes["corrected"]) == (1, 1)
    assert notes["failed"] == errors and notes["comparison_missing"] and notes["document_warnings"] == ["truncated"]


def test_summary_build_summary_on_gold_catalogue_adds_up():
    taxonomy = load_taxonomy()
    documents, rows = gold_documents(), gold_rows()
    summary = build_summary(documents, rows, class_names={c.code: c.name for c in taxonomy.categories}, settings=SummarySettings(examples_per_class=2))
    totals = summary["totals"]
    counted = counted_rows(rows, documents)
    assert totals["measures"] == len(rows) and totals["counted_measures"] == len(counted) < len(rows)  # the gold has a duplicate speech
    assert sum(c["measures"] for c in summary["classes"]) == totals["counted_measures"]
    assert sum(s["count"] for s in summary["statuses"]) == totals["counted_measures"]
    assert sum(line["measures"] for line in summary["bodies"]["lines"]) == totals["counted_measures"]
    assert [c["code"] for c in summary["classes"]][: len(taxonomy.codes)] == list(taxonomy.codes)
    for line in summary["classes"]:
        assert len(line["examples"]) == min(2, line["measures"])
        assert all(e["category"] == line["code"] for e in line["examples"])
    ranked = [d for d in summary["ranking"] if d["rank"] is not None]
    assert [d["score"] for d in ranked] == sorted((d["score"] for d in ranked), reverse=True)
    assert summary["city_county"] == [] and summary["notes"]["comparison_missing"]


@pytest.mark.parametrize(
    ("bodies", "expected"),
    [
        ([_body("政协", mention="市政协", role="lead"), _body("政协", mention="县政协", level="county")], "市政协（市级，牵头）；县政协（县级）"),
        ([_body("党委", mention="中共靖江市委", level="county", explicit=False)], "中共靖江市委（党委，县级，推断）"),
        ([_body("政协委员", mention="委员", level=None)], "委员（政协委员）"),
        ([], ""),
    ],
)
def test_summary_format_bodies(bodies, expected):
    assert format_bodies([Body(**b) for b in bodies], LABELS) == expected


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([{"kind": "frequency", "text": "每年", "value": 1.0, "unit": "year"}, {"kind": "count", "text": "至少开展一次", "value": 1.0, "unit": "次", "comparator": ">="}],
         "每年（频次）；至少开展一次（数量 ≥1次）"),
        ([{"kind": "count", "text": "*场", "value": None, "unit": "场", "comparator": "="}], "*场（数量）"),
        ([{"kind": "coverage", "text": "全覆盖", "value": 1.0, "unit": "all"}], "全覆盖（覆盖）"),
    ],
)
def test_summary_format_targets(targets, expected):
    typed = [Target(**{"start": 0, "end": 0, "value": None, "unit": None, "comparator": None, **t}) for t in targets]
    assert format_targets(typed, LABELS) == expected


def test_summary_measure_context_from_source_or_sentence():
    text = "一、总体要求。市政协要建立健全委员培训制度，每年开展培训。"
    start = text.index("建立健全")
    end = start + len("建立健全委员培训制度")
    context = measure_context(text, start, end, 4, measure="建立健全委员培训制度")
    assert (context["before"], context["mark"], context["after"]) == ("市政协要", "建立健全委员培训制度", "，每年开")
    assert context["verified"] and context["cut_before"] and context["cut_after"]
    changed = measure_context("别的文字" * 10, start, end, 4, sentence="市政协要建立健全委员培训制度，每年开展培训。", measure="建立健全委员培训制度")
    assert not changed["verified"] and changed["mark"] == "建立健全委员培训制度" and changed["before"] == "市政协要"
    assert measure_context(None, 0, 3, sentence=None, measure="建会所")["mark"] == "建会所"
