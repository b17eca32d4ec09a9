"""The committed link model: trained on today's link gold and features, and, each
compared pair left out, at least the measured floors and ahead of the former rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.training import LINK_GOLD, LINK_MODEL_PATH

ROOT = Path(__file__).resolve().parents[2]
FLOORS = yaml.safe_load((ROOT / "tests/gold/floors.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not LINK_GOLD.exists(), reason="no link gold yet")


@pytest.fixture(scope="module")
def report():
    from pipelines.training import evaluate_link_model

    return evaluate_link_model()


def test_training_links_model_is_current():
    from models.links import LinkModel
    from pipelines.training import link_fingerprint

    model = LinkModel.from_json(LINK_MODEL_PATH.read_text(encoding="utf-8"))
    assert model.metadata["data_hash"] == link_fingerprint(), f"{LINK_MODEL_PATH} is stale: run `policycat train`"


@pytest.mark.parametrize("band, metric", [(b, m) for b, floors in FLOORS["links"].items() for m in floors])
def test_training_links_floor(report, band, metric):
    floor = FLOORS["links"][band][metric]["measured"] - FLOORS["margin"]
    assert report[band][metric] >= floor, f"links {band} {metric} {report[band][metric]:.3f} fell below {floor:.3f}"


def test_training_links_ahead_of_the_former_rule(report):
    assert report["taken_up"]["precision"] > report["threshold_rule"]["precision"]
    assert report["ablation"]["all"] > report["ablation"]["similarities only"]
