"""load_or_train retrains exactly when what the model learned from changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import KEEP_MODELS, load_or_train

DATA = Path(__file__).resolve().parent / "data"


def _tiny_gold(extractors_key: str):
    from extractors.documents import load_resources
    from models.class_data import gold_source
    from models.decision_data import analyse_gold, load_gold_documents

    documents = load_gold_documents(DATA / "gold_tiny.jsonl", None)
    return gold_source(documents, extractors_key, lambda docs: analyse_gold(docs, load_resources()))


def test_training_cache_follows_corrections_and_gold(tmp_path):
    taxonomy = shutil.copy(DEFAULT_TAXONOMY_PATH, tmp_path / "taxonomy.yaml")
    cache = tmp_path / "cache"
    corrections = tmp_path / "corrections.yaml"
    corrections.write_text("m_0001:\n  status: DONE\n", encoding="utf-8")

    first = load_or_train(cache, taxonomy, None, corrections, cross_validate=False)
    assert not first.reused and first.path.parent == cache
    metadata = json.loads(first.path.with_name(first.path.name + ".json").read_text(encoding="utf-8"))
    assert metadata["training_sha256"] == first.metadata["training_sha256"]
    assert "correction" not in metadata["training_sources"]  # a status fix carries no class

    again = load_or_train(cache, taxonomy, None, corrections, cross_validate=False)
    assert again.reused and again.path == first.path
    assert not load_or_train(cache, taxonomy, None, corrections, cross_validate=False, retrain=True).reused

    corrections.write_text(
        "m_0001:\n  status: DONE\nm_0002:\n  category: PUBLICITY\n  text: 精心筹划庆祝活动\n", encoding="utf-8"
    )
    with_correction = load_or_train(cache, taxonomy, None, corrections, cross_validate=False)
    assert not with_correction.reused and with_correction.path != first.path
    assert with_correction.metadata["training_sources"]["correction"] == 1

    with_gold = load_or_train(cache, taxonomy, _tiny_gold("extractors-1"), corrections, cross_validate=False)
    assert not with_gold.reused
    assert with_gold.metadata["training_sources"]["gold"] == 2  # OUTREACH is no class of the taxonomy
    # the same gold read by changed extractors is other training data
    assert load_or_train(cache, taxonomy, _tiny_gold("extractors-1"), corrections, cross_validate=False).reused
    assert not load_or_train(cache, taxonomy, _tiny_gold("extractors-2"), corrections, cross_validate=False).reused
    # the variants sit side by side: going back to one reuses it
    assert load_or_train(cache, taxonomy, None, corrections, cross_validate=False).path == with_correction.path
    assert load_or_train(cache, taxonomy, None, corrections, cross_validate=False).reused


def test_training_cache_keeps_the_most_recently_used(tmp_path):
    original = DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8")
    taxonomy = tmp_path / "taxonomy.yaml"
    cache = tmp_path / "cache"
    paths = []
    for n in range(KEEP_MODELS + 1):
        # a differing comment changes the taxonomy's bytes, hence its hash, not its classes
        taxonomy.write_text(original + f"\n# variant {n}\n", encoding="utf-8")
        paths.append(load_or_train(cache, taxonomy, cross_validate=False).path)
    assert len(set(paths)) == KEEP_MODELS + 1
    kept = sorted(cache.glob("*.joblib"))
    assert len(kept) == KEEP_MODELS and paths[0] not in kept and paths[-1] in kept
    assert len(list(cache.glob("*.json"))) == KEEP_MODELS
