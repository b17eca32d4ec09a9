"""The catalogue classifier as a run trains it (seeds and the dev training part): at
least the measured floors on the dev corpus's test part, ahead of the cue-word
baseline, with confidences calibrated out of fold and a review threshold chosen there."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from models.scoring import DEV_GOLD

ROOT = Path(__file__).resolve().parents[2]
FLOORS = yaml.safe_load((ROOT / "tests/gold/floors.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not DEV_GOLD.exists(), reason="no development gold in this copy")


@pytest.fixture(scope="module")
def report():
    from pipelines.training import evaluate_class_model

    return evaluate_class_model()


@pytest.mark.parametrize("part, metric", [(p, m) for p, floors in FLOORS["classes"]["dev_test"].items() for m in floors])
def test_training_classes_dev_test_floor(report, part, metric):
    floor = FLOORS["classes"]["dev_test"][part][metric]["measured"] - FLOORS["margin"]
    value = report[part]["model"][metric]
    assert value >= floor, f"dev test classes ({part}) {metric} {value:.3f} fell below {floor:.3f}"


@pytest.mark.parametrize("part", ["matched", "gold_spans"])
def test_training_classes_ahead_of_the_cue_word_baseline(report, part):
    model, baseline = report[part]["model"], report[part]["cue_word_baseline"]
    assert model["accuracy"] > baseline["accuracy"]
    assert model["macro_f1"] > baseline["macro_f1"]


@pytest.mark.parametrize("part, metric", [(p, m) for p, ceilings in FLOORS["classes"]["ceilings"].items() for m in ceilings])
def test_training_classes_dev_test_ceiling(report, part, metric):
    ceiling = FLOORS["classes"]["ceilings"][part][metric]["measured"] + FLOORS["margin"]
    value = report[part][metric]
    assert value <= ceiling, f"dev test classes ({part}) {metric} {value:.3f} rose above {ceiling:.3f}"


def test_training_classes_calibrated_out_of_fold_by_place(report):
    cv = report["cross_validation"]
    assert cv["grouped_by"] == "place" and cv["scored_items"] > 500
    # the fitted temperature brings the confidences closer to how often they are right
    assert cv["calibration_error"] < cv["calibration_error_before"]
    # the measures left unreviewed out of fold are right at the stated precision
    assert cv["precision_not_reviewed"] >= cv["review_precision"]
    assert report["review_threshold"] == cv["review_threshold"]
    assert 0 < report["matched"]["review_share"] < 1
