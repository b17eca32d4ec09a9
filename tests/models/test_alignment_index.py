"""The candidate index of large runs: with nothing pruned it is the all-pairs alignment,
measure for measure, on the seed run's catalogue; pruning only ever drops candidates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.alignment import align_measures, build_similarity, load_alignment_settings
from pipelines.outputs import read_catalogue

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "seeds" / "catalogue.jsonl"


@pytest.fixture(scope="module")
def seed_entries():
    return [replace(e, cluster_id=None, best_match_id=None, best_match_similarity=None) for e in read_catalogue(GOLDEN)]


def _with_index(settings, **index):
    return settings.model_copy(update={"index": settings.index.model_copy(update=index)})


def _links(rows):
    return [(r.measure_id, r.cluster_id, r.best_match_id, r.best_match_similarity) for r in rows]


def test_alignment_index_with_nothing_pruned_is_all_pairs(seed_entries):
    settings = load_alignment_settings()
    assert len(seed_entries) <= settings.index.exact_up_to  # the seed run itself compares all pairs
    similarity = build_similarity([e.text for e in seed_entries], settings)
    exact = align_measures(seed_entries, settings=settings, similarity=similarity)
    indexed = align_measures(seed_entries, settings=_with_index(settings, exact_up_to=1, max_postings=10**6, candidates=10**6), similarity=similarity)
    assert _links(indexed) == _links(exact)


def test_alignment_index_pruned_finds_most_best_matches(seed_entries):
    settings = load_alignment_settings()
    similarity = build_similarity([e.text for e in seed_entries], settings)
    exact = {r.measure_id: r for r in align_measures(seed_entries, settings=settings, similarity=similarity)}
    pruned = align_measures(seed_entries, settings=_with_index(settings, exact_up_to=1, max_postings=30, candidates=20), similarity=similarity)
    same = sum(r.best_match_id == exact[r.measure_id].best_match_id for r in pruned)
    # a pruned best match is never better than the true one
    assert all((r.best_match_similarity or 0) <= (exact[r.measure_id].best_match_similarity or 0) + 1e-9 for r in pruned)
    # measured 0.979 on the seed catalogue (802 measures) with these settings
    assert same / len(pruned) >= 0.95
