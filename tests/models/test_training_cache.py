"""load_or_train retrains exactly when what the model learned from changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import load_or_train

DATA = Path(__file__).resolve().parent / "data"


def test_training_cache_follows_corrections_and_gold(tmp_path):
    taxonomy = shutil.copy(DEFAULT_TAXONOMY_PATH, tmp_path / "taxonomy.yaml")
    model_path = tmp_path / "classifier.joblib"
    corrections = tmp_path / "corrections.yaml"
    corrections.write_text("m_0001:\n  status: DONE\n", encoding="utf-8")

    first = load_or_train(model_path, taxonomy, (), corrections, cross_validate=False)
    assert not first.reused
    metadata = json.loads((tmp_path / "classifier.joblib.json").read_text(encoding="utf-8"))
    assert metadata["training_sha256"] == first.metadata["training_sha256"]
    assert "correction" not in metadata["training_sources"]  # a status fix carries no class

    assert load_or_train(model_path, taxonomy, (), corrections, cross_validate=False).reused

    corrections.write_text(
        "m_0001:\n  status: DONE\nm_0002:\n  category: PUBLICITY\n  text: 精心筹划庆祝活动\n", encoding="utf-8"
    )
    with_correction = load_or_train(model_path, taxonomy, (), corrections, cross_validate=False)
    assert not with_correction.reused
    assert with_correction.metadata["training_sources"]["correction"] == 1

    with_gold = load_or_train(model_path, taxonomy, [DATA / "gold_tiny.jsonl"], corrections, cross_validate=False)
    assert not with_gold.reused
    assert with_gold.metadata["training_sources"]["gold"] == 1
