"""The committed decision models: trained on today's gold and code, and scoring at least
the measured floors on the dev corpus's test part, ahead of the rules and the naive rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from models.decisions import DEFAULT_MODELS_PATH, load_decisions

ROOT = Path(__file__).resolve().parents[2]
FLOORS = yaml.safe_load((ROOT / "tests/gold/floors.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold():
    from pipelines.training import analysed_gold

    return analysed_gold()


@pytest.fixture(scope="module")
def dev_report(gold):
    from models.decision_training import TRAIN_SPLITS
    from models.evaluation import evaluate_decisions

    models = load_decisions()
    train = [d for d in gold if d.gold.split in TRAIN_SPLITS]
    test = [d for d in gold if d.gold.split == "test"]
    return evaluate_decisions(models, train, test, curve=False)


def test_training_models_are_current(gold):
    """Retrain (`policycat train`) when the gold, the decision settings or the extractors change."""
    from models.decision_training import TRAIN_SPLITS, data_hash
    from pipelines.training import training_fingerprint

    trained = load_decisions().metadata
    current = data_hash([d for d in gold if d.gold.split in TRAIN_SPLITS], training_fingerprint())
    assert trained["data_hash"] == current, f"{DEFAULT_MODELS_PATH} is stale: run `policycat train`"


def test_training_never_sees_the_test_part(gold):
    from models.decision_training import TRAIN_SPLITS

    trained = load_decisions().metadata
    train = [d for d in gold if d.gold.split in TRAIN_SPLITS]
    assert trained["documents"] == len(train)
    test_places = {d.gold.group for d in gold if d.gold.split == "test"}
    assert not test_places & {d.gold.group for d in train}


@pytest.mark.parametrize("metric", sorted(FLOORS["decisions"]["dev_test"]))
def test_training_dev_test_floor(dev_report, metric):
    floor = FLOORS["decisions"]["dev_test"][metric]["measured"] - FLOORS["margin"]
    value = dev_report["learned"][metric]
    assert value >= floor, f"dev test {metric} {value:.3f} fell below {floor:.3f}"


def test_training_learned_beats_rules_and_naive_rule(dev_report):
    learned, rules, naive = (dev_report[k]["measure_f1"] for k in ("learned", "rules", "naive_verbs"))
    assert learned > rules > naive
    assert set(dev_report["per_genre"]["learned"]) >= {"news", "rules", "report"}
