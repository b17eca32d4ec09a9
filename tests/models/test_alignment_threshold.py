"""The threshold in alignment.yaml, checked against the annotated pairs it was chosen on."""

from __future__ import annotations

import pytest
from gold_catalogue import load_gold

from extractors.knowledge import DataError
from models.alignment import load_alignment_settings
from models.evaluation import evaluate_pairs, tune_alignment
from models.scoring import PAIRS_GOLD, load_pairs

# The target for alignment F1 on gold/pairs.jsonl.
TARGET_F1 = 0.80


@pytest.fixture(scope="module")
def pairs():
    return load_pairs(PAIRS_GOLD)


@pytest.fixture(scope="module")
def gold_texts():
    return [m["text"] for d in load_gold() for m in d["measures"]]


def test_alignment_threshold_reaches_target_f1(pairs, gold_texts):
    settings = load_alignment_settings()
    result = evaluate_pairs(pairs, settings.threshold, corpus=gold_texts, settings=settings)
    assert result["n"] == len(pairs)
    assert result["f1"] >= TARGET_F1


def test_alignment_threshold_is_near_the_best_on_the_pairs(pairs, gold_texts):
    """The stored setting scores within 0.05 F1 of the best setting the grid finds."""
    settings = load_alignment_settings()
    results = tune_alignment(pairs, gold_texts)
    stored = [r for r in results if r["combine"] == settings.combine and r["word_weight"] == settings.word_weight
              and abs(r["threshold"] - settings.threshold) < 1e-9]
    assert stored and stored[0]["f1"] >= results[0]["f1"] - 0.05


def test_alignment_settings_errors_name_the_line(tmp_path):
    path = tmp_path / "alignment.yaml"
    path.write_text("threshold: 1.5\ncombine: weighted\nword_weight: 0.3\nchar_ngram_range: [3, 2]\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_alignment_settings(path)
    text = str(caught.value)
    assert f"{path}:1:" in text and f"{path}:4:" in text


def test_alignment_pairs_file_errors_name_the_line(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"a": {"text": "甲"}, "b": {"text": "乙"}, "same": true}\n{"a": {"text": "甲"}, "same": "yes"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.jsonl:2:"):
        load_pairs(path)
