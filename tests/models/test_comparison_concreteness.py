"""Concreteness: bodies, numbers, deadlines and named platforms per measure and per document."""

from __future__ import annotations

from catalogue_entries import entry
from gold_catalogue import gold_documents, gold_rows

from models.comparison import concreteness, load_comparison_settings


def _row(measure_id, doc_id, *, explicit=False, targets=(), initiatives=(), text="", action=""):
    return entry(measure_id, doc_id, text=text, action=action, bodies=[{"mention": "政协", "canonical": "政协", "explicit": explicit}],
                 targets=[{"kind": k} for k in targets], initiatives=list(initiatives))


def test_comparison_concreteness_flags_and_score():
    rows = [
        # every sign: a named body, how often, by when, a platform, a named thing, a visible action, no vague word
        _row("m1", "甲", explicit=True, targets=("frequency", "deadline"), initiatives=("有事好商量",), text="每年年底前召开“有事好商量”协商会", action="召开"),
        _row("m2", "甲", targets=("count",), text="进一步加强协商", action="加强"),  # a count, and nothing else
        _row("m3", "乙", text="切实发挥作用", action="发挥"),  # a slogan
    ]
    result = concreteness(rows, settings=load_comparison_settings())
    scores = {m["measure_id"]: m["score"] for m in result["measures"]}
    assert scores == {"m1": 1.0, "m2": round(1 / 7, 4), "m3": 0.0}
    flags = {m["measure_id"]: m for m in result["measures"]}
    assert flags["m1"]["specific_object"] and flags["m1"]["concrete_action"] and flags["m1"]["not_vague"]
    assert not (flags["m2"]["specific_object"] or flags["m2"]["concrete_action"] or flags["m2"]["not_vague"])
    docs = {d["doc_id"]: d for d in result["documents"]}
    assert docs["甲"]["rank"] == 1 and docs["乙"]["rank"] == 2
    assert docs["甲"]["quantified_target_share"] == 1.0 and docs["甲"]["deadline_share"] == 0.5


def test_comparison_concreteness_ranks_gold_documents_and_leaves_duplicates_unranked():
    result = concreteness(gold_rows(), gold_documents())
    ranked = [d for d in result["documents"] if d["rank"] is not None]
    assert [d["score"] for d in ranked] == sorted((d["score"] for d in ranked), reverse=True)
    duplicate = [d for d in result["documents"] if d["doc_id"] == "003-3"]
    assert duplicate and duplicate[0]["rank"] is None and duplicate[0]["duplicate"]
    assert len(result["measures"]) == len(gold_rows())
