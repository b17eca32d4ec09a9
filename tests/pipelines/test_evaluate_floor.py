"""The seed run scored against the gold standard must not fall below the measured floors."""

from pathlib import Path

import pytest
import yaml

from models.scoring import PAIRS_GOLD, SEEDS_GOLD
from pipelines.evaluate import evaluate_outputs

ROOT = Path(__file__).resolve().parents[2]
FLOORS = yaml.safe_load((ROOT / "tests/gold/floors.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(seed_run):
    out, _ = seed_run
    return evaluate_outputs(SEEDS_GOLD, out, PAIRS_GOLD)


@pytest.mark.parametrize(
    "split, metric", [(split, metric) for split, metrics in FLOORS["floors"].items() for metric in metrics]
)
def test_evaluate_floor(report, split, metric):
    floor = FLOORS["floors"][split][metric]["measured"] - FLOORS["margin"]
    assert report[split][metric] >= floor, f"{split} {metric} {report[split][metric]:.3f} fell below {floor:.3f}"


def test_evaluate_lists_what_is_wrong(report):
    every = report["all"]
    assert len(every["misses"]) + len(every["false_alarms"]) > 0
    for row in every["misses"][:5]:
        text = (ROOT / "corpora" / row["source_path"]).read_text(encoding="utf-8")
        assert text[row["start"] : row["end"]] == row["text"]
