"""Concreteness: bodies, numbers, deadlines and named platforms per measure and per document."""

from __future__ import annotations

from catalogue_entries import entry
from gold_catalogue import gold_documents, gold_rows

from models.comparison import concreteness, load_comparison_settings


def _row(measure_id, doc_id, *, explicit=False, targets=(), initiatives=()):
    return entry(measure_id, doc_id, text="", bodies=[{"mention": "政协", "canonical": "政协", "explicit": explicit}],
                 targets=[{"kind": k} for k in targets], initiatives=list(initiatives))


def test_comparison_concreteness_flags_and_score():
    rows = [
        _row("m1", "甲", explicit=True, targets=("frequency", "deadline"), initiatives=("有事好商量",)),  # 每年…年底前…
        _row("m2", "甲", targets=("count",)),
        _row("m3", "乙"),
    ]
    result = concreteness(rows, settings=load_comparison_settings())
    scores = {m["measure_id"]: m["score"] for m in result["measures"]}
    assert scores == {"m1": 1.0, "m2": 0.25, "m3": 0.0}
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
