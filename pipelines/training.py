"""``policycat train`` and the model parts of ``policycat evaluate``: the learned decisions and the catalogue classifier on the dev ``test`` part."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from models.decision_features import SETTINGS_PATH, load_decision_settings
from models.decisions import DEFAULT_MODELS_PATH, load_decisions

FEATURE_CODE = [Path(__file__).resolve().parents[1] / "models" / name for name in ("decision_features.py", "decision_training.py", "linear.py")]


def training_fingerprint() -> list[str]:
    """What shapes the models besides the gold: decision settings, feature code, and
    the extractors' knowledge and code (they make the candidates and their signals)."""
    from pipelines.flow import knowledge_fingerprint

    parts = [knowledge_fingerprint()]
    for path in [SETTINGS_PATH, *FEATURE_CODE]:
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return parts


@lru_cache(maxsize=1)
def analysed_gold():
    from extractors.documents import load_resources
    from models.decision_data import analyse_gold, load_gold_documents

    return analyse_gold(load_gold_documents(), load_resources())


def train_decision_models(path: Path = DEFAULT_MODELS_PATH) -> dict:
    """Fit every decision model on the training parts of the gold and write them."""
    from models.decision_training import TRAIN_SPLITS, train_decisions
    from models.linear import save_models

    docs = analysed_gold()
    train = [d for d in docs if d.gold.split in TRAIN_SPLITS]
    models, metadata = train_decisions(train, load_decision_settings(), extra_hash=training_fingerprint())
    path.parent.mkdir(parents=True, exist_ok=True)
    save_models(path, {"measure": models.measure, "status": models.status, "doc_type": models.doc_type, "level": models.level}, metadata)
    return metadata


def evaluate_decision_models(path: Path = DEFAULT_MODELS_PATH, *, curve: bool = True) -> dict:
    """The saved models on the dev ``test`` part and on the seeds' held-out documents."""
    from models.decision_training import TRAIN_SPLITS
    from models.evaluation import evaluate_decisions

    models = load_decisions(path)
    docs = analysed_gold()
    train = [d for d in docs if d.gold.split in TRAIN_SPLITS]
    report = {"metadata": {k: v for k, v in models.metadata.items() if k != "cross_validation"}}
    for name, split, with_curve in (("dev_test", "test", curve), ("seeds_heldout", "heldout", False)):
        test = [d for d in docs if d.gold.split == split]
        if test:
            report[name] = evaluate_decisions(models, train, test, curve=with_curve)
    return report


def evaluate_class_model(model=None, *, curve: bool = False) -> dict:
    """The catalogue classifier (as a run trains it: seeds and the dev training part)
    on the dev ``test`` part beside the cue-word baseline, with the out-of-fold
    figures training chose its confidence threshold by; with ``curve``, the learning
    curve over the development corpus's training places."""
    from models.evaluation import evaluate_classes
    from pipelines.classify import load_model

    model = model or load_model()
    test = [d for d in analysed_gold() if d.gold.split == "test"]
    report = evaluate_classes(model, test, load_decisions(), review_precision=model.settings.review_precision)
    report["cross_validation"] = model.metadata.get("cross_validation")
    report["training_sources"] = model.metadata.get("training_sources")
    if curve:
        from models.evaluation import class_learning_curve

        train = [d for d in analysed_gold() if d.gold.split in model.settings.gold_splits]
        report["learning_curve"] = class_learning_curve(model.taxonomy, model.settings, train, test, load_decisions())
    return report


LINK_GOLD = Path(__file__).resolve().parents[1] / "gold" / "links.jsonl"
LINK_MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "trained" / "links.json"
LINK_CODE = [Path(__file__).resolve().parents[1] / "models" / name for name in ("links.py", "link_training.py", "synonyms.yaml", "class_data.py")]


def link_fingerprint() -> str:
    """What the link model depends on: the link gold, its features' code and data, the extractors."""
    digest = hashlib.sha256(LINK_GOLD.read_bytes())
    for path in LINK_CODE:
        digest.update(path.read_bytes())
    digest.update(training_fingerprint()[0].encode())
    return digest.hexdigest()


def link_gold_pairs():
    from models.link_training import read_link_gold

    return read_link_gold(LINK_GOLD, analysed_gold())


def train_link_model(path: Path = LINK_MODEL_PATH) -> dict:
    """Fit the link decision on every gold pair; the settings' C; the cross-validated
    figures (one compared pair left out at a time) ride along."""
    from models.link_training import cross_validate_links, examples, fit_pairs, link_figures
    from models.links import load_links_settings

    settings = load_links_settings()
    pairs = link_gold_pairs()
    computed = examples(pairs)
    figures = link_figures(pairs, cross_validate_links(pairs, settings.regularization, computed=computed), settings)
    metadata = {"data_hash": link_fingerprint(), "pairs": len(pairs), "cross_validation": figures}
    model = fit_pairs(pairs, settings.regularization, metadata, computed=computed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(model.to_json() + "\n", encoding="utf-8")
    return model.metadata


def evaluate_link_model() -> dict:
    """The link decision on the link gold, each compared pair scored by a model trained on
    the others: precision and recall of 承接 and of both bands, and per city–county pair the
    hand-linked 承接率 beside the one the bands give."""
    from models.link_training import ablation, choose_bands, cross_validate_links, examples, link_figures, threshold_rule
    from models.links import load_links_settings, match_one_to_one

    settings = load_links_settings()
    pairs = link_gold_pairs()
    computed = examples(pairs)
    probabilities = cross_validate_links(pairs, settings.regularization, computed=computed)
    report = {"settings": {"taken_up": settings.taken_up, "possible": settings.possible, "broader": settings.broader}, **link_figures(pairs, probabilities, settings)}
    targets = settings.precision_targets
    chosen = choose_bands(pairs, probabilities, targets.taken_up, targets.possible, settings)
    report["chosen"] = {"taken_up": chosen.taken_up, "possible": chosen.possible, "broader": chosen.broader,
                        "taken_up_precision": targets.taken_up, "possible_precision": targets.possible}
    shares = []
    for pair, p in zip(pairs, probabilities):
        links = match_one_to_one(p, settings)
        hand = sum(d != "left_out" for d in pair.decisions) / len(pair.decisions) if pair.decisions else 0.0
        taken = len({l.a for l in links if l.band == "taken_up"}) / len(pair.rows_a) if pair.rows_a else 0.0
        possible = len({l.a for l in links if l.band == "possible"}) / len(pair.rows_a) if pair.rows_a else 0.0
        shares.append({"pair": pair.name, "kind": pair.kind, "a_measures": len(pair.rows_a), "hand_taken_up_share": round(hand, 4),
                       "taken_up_share": round(taken, 4), "possible_share": round(possible, 4)})
    report["shares"] = shares
    report["threshold_rule"] = threshold_rule(pairs)
    report["ablation"] = ablation(pairs, settings.regularization, computed=computed)
    return report
