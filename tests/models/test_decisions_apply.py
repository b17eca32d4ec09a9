"""Learned decisions on a real seed document: spans, scores, evidence, back-off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.documents import load_resources, process_source
from extractors.reading import read_sources
from models.decisions import MEASURE, OTHER, backed_off, decide_document, load_decisions
from models.linear import LinearModel, fit_linear, load_models, save_models

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpora" / "000_c4eeb4407c4e4302.txt"


@pytest.fixture(scope="module")
def decided():
    source = next(read_sources(SEED, SEED.parent))
    result = process_source(source, load_resources())[0]
    return source, result, decide_document(result, source, load_decisions())


def test_decisions_keep_spans_in_the_source(decided):
    source, result, after = decided
    assert 0 < len(after.measures) < len(result.candidates)
    for m in after.measures:
        assert source.text[m.start : m.end] == m.text
        assert m.score is not None and m.evidence


def test_decisions_threshold_separates_kept_from_dropped(decided):
    _, _, after = decided
    threshold = load_decisions().threshold
    kept = {m.measure_id for m in after.measures}
    for c in after.candidates:
        assert (c.score >= threshold) == (c.measure_id in kept)


def test_decisions_evidence_names_features_and_weights(decided):
    _, _, after = decided
    name, weight = after.measures[0].evidence[0].rsplit(" ", 1)
    assert name and float(weight) > 0


def test_decisions_back_off_to_the_rules_when_unsure():
    model = LinearModel(("DONE", "REQUIRED"), {"x": (2.0,)}, (0.0,))  # p(REQUIRED | x) = 0.88
    assert backed_off(model, {"x": 1.0}, "DONE", 0.5) == "REQUIRED"
    assert backed_off(model, {"x": 1.0}, "DONE", 0.95) == "DONE"
    assert backed_off(model, {"x": 1.0}, None, 0.95) == "REQUIRED"


def test_linear_fit_is_deterministic_and_round_trips(tmp_path):
    examples = [{"a": 1.0}, {"b": 1.0}, {"a": 1.0, "c": 1.0}, {"b": 1.0, "c": 1.0}] * 5
    labels = [MEASURE, OTHER, MEASURE, OTHER] * 5
    first, second = fit_linear(examples, labels, c=1.0), fit_linear(examples, labels, c=1.0)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    save_models(tmp_path / "m.json", {"measure": first}, {"threshold": 0.5})
    loaded, metadata = load_models(tmp_path / "m.json")
    assert metadata == {"threshold": 0.5}
    assert loaded["measure"].probabilities({"a": 1.0})[MEASURE] > 0.5 > loaded["measure"].probabilities({"b": 1.0})[MEASURE]


def test_linear_load_names_the_bad_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_models(bad)
