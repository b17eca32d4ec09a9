"""Paraphrased requirements of different documents share a cluster; unrelated ones do not."""

from __future__ import annotations

import pickle

import pytest
from catalogue_entries import entry
from gold_catalogue import gold_rows

from models.alignment import align_measures, build_similarity, load_alignment_settings

PARAPHRASES = ("建立健全委员履职档案", "建立委员履职档案制度")
UNRELATED = "委员工作经费列入本级财政预算"


@pytest.fixture(scope="module")
def settings():
    return load_alignment_settings()


@pytest.fixture(scope="module")
def context_rows():
    """Real measures around the test rows, so the TF-IDF weights are those of a corpus."""
    return gold_rows()


def _row(measure_id: str, doc_id: str, text: str):
    return entry(measure_id, doc_id, text=text)


def _aligned(context_rows, extra, settings):
    rows = [*context_rows, *extra]
    return {r.measure_id: r for r in align_measures(rows, settings.threshold, settings=settings)}


def test_alignment_paraphrases_of_two_documents_cluster_together(context_rows, settings):
    extra = [_row("test-a", "县甲", PARAPHRASES[0]), _row("test-b", "县乙", PARAPHRASES[1]), _row("test-c", "县丙", UNRELATED)]
    aligned = _aligned(context_rows, extra, settings)
    assert aligned["test-a"].cluster_id == aligned["test-b"].cluster_id
    assert aligned["test-c"].cluster_id != aligned["test-a"].cluster_id
    # the best match may be the gold's own 建立委员履职档案 (靖江): a paraphrase either way
    assert "履职档案" in aligned[aligned["test-a"].best_match_id].text
    assert aligned["test-a"].best_match_similarity >= settings.threshold


def test_alignment_same_document_is_never_linked(context_rows, settings):
    extra = [_row("test-a", "县甲", PARAPHRASES[0]), _row("test-b", "县甲", PARAPHRASES[1])]
    aligned = _aligned(context_rows, extra, settings)
    assert aligned["test-a"].cluster_id != aligned["test-b"].cluster_id
    assert aligned["test-a"].best_match_id != "test-b"


@pytest.mark.parametrize(
    "a, b",
    [
        (PARAPHRASES[0], UNRELATED),
        ("建立委员履职档案制度", "建设“有事好商量”协商议事室"),
        ("每年对委员至少开展*次集中培训", "党委、政府每年给政协提出*至*个协商题目"),
    ],
)
def test_alignment_unrelated_measures_stay_below_threshold(context_rows, settings, a, b):
    similarity = build_similarity([r.text for r in context_rows] + [a, b], settings)
    assert similarity.similarity([a], [b])[0, 0] < settings.threshold


def test_alignment_cluster_holds_one_measure_per_document(context_rows, settings):
    aligned = align_measures(context_rows, settings.threshold, settings=settings)
    seen: dict[str, set] = {}
    for row in aligned:
        docs = seen.setdefault(row.cluster_id, set())
        assert row.doc_id not in docs
        docs.add(row.doc_id)
    assert any(len(docs) > 1 for docs in seen.values())


def test_alignment_fitted_similarity_pickles(context_rows, settings):
    texts = [r.text for r in context_rows]
    similarity = build_similarity(texts, settings)
    restored = pickle.loads(pickle.dumps(similarity))
    assert (restored.similarity(PARAPHRASES[:1], PARAPHRASES[1:]) == similarity.similarity(PARAPHRASES[:1], PARAPHRASES[1:])).all()
