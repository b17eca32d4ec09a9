"""Class scores of a real seed run: the model beside the cue-word baseline, and the confusion table."""

import pytest

from models.scoring import SEEDS_GOLD
from pipelines.evaluate import evaluate_outputs


@pytest.fixture(scope="module")
def report(seed_run):
    out, _ = seed_run
    return evaluate_outputs(SEEDS_GOLD, out)


@pytest.mark.parametrize("split", ["all", "tune", "heldout"])
def test_evaluate_categories_model_beside_baseline(report, split):
    scores = report[split]
    for key in ("category_accuracy", "category_macro_f1", "category_baseline_accuracy", "category_baseline_macro_f1"):
        assert 0.0 <= scores[key] <= 1.0, key
    categories = scores["categories"]
    assert categories["model"]["accuracy"] == pytest.approx(scores["category_accuracy"])
    assert categories["model"]["macro_f1"] == pytest.approx(scores["category_macro_f1"])
    assert categories["cue_word_baseline"]["macro_f1"] == pytest.approx(scores["category_baseline_macro_f1"])
    assert categories["model"]["n"] == categories["cue_word_baseline"]["n"] == categories["n"]


@pytest.mark.parametrize("split", ["all", "tune", "heldout"])
def test_evaluate_categories_confusion_counts_every_matched_gold_measure(report, split):
    scores = report[split]
    matched_with_class = sum(1 for gold, _ in scores["category_pairs"] if gold)
    confusion = scores["categories"]["confusion"]
    assert matched_with_class > 0
    assert sum(n for row in confusion.values() for n in row.values()) == matched_with_class
    for gold, row in confusion.items():
        assert sum(row.values()) == scores["categories"]["model"]["per_class"][gold]["support"]


def test_evaluate_categories_written_to_the_report_file(report, seed_run, tmp_path):
    import json

    from pipelines.evaluate import write_report

    written = json.loads(write_report(report, tmp_path).read_text(encoding="utf-8"))
    assert written["heldout"]["categories"]["confusion"] == report["heldout"]["categories"]["confusion"]
    assert written["heldout"]["category_baseline_macro_f1"] == pytest.approx(report["heldout"]["category_baseline_macro_f1"])


def test_evaluate_categories_command_prints_both_and_the_confusion_table(seed_run, tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app

    out, _ = seed_run
    result = CliRunner().invoke(
        app, ["evaluate", str(out), "--gold", str(SEEDS_GOLD), "--pairs", str(tmp_path / "none.jsonl"), "--no-decisions", "--no-curve"]
    )
    assert result.exit_code == 0, result.output
    assert "model vs cue-word baseline" in result.output
    assert "dev test classes: gold (rows) × model (columns)" in result.output
    assert "reliability" in result.output and "expected calibration error" in result.output
    assert "MEMBERS" in result.output
