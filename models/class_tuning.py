"""Choosing the classifier's settings: cross-validation grouped by place.

    policycat tune-classes        # every candidate of GRID, as it is scored

Each candidate changes a few values of ``settings.yaml``; every one is scored by the
same out-of-fold run as training's calibration (``models.training.out_of_fold``)
on the gold of the training splits, never on ``test``. The figures that chose the
settings are written beside them in ``settings.yaml``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from models.calibration import fit_temperature, sharpen
from models.decision_data import SEEDS_GROUP
from models.scoring import classification_report
from models.settings import Settings
from models.taxonomy import Taxonomy
from models.training import TrainingItem, out_of_fold

__all__ = ["GRID", "with_overrides", "score_setting", "tune"]

# Candidates around the settings in use: one value at a time, then the best together.
GRID: tuple[dict, ...] = (
    {},
    {"training_weights": {"example": 2.0}},
    {"training_weights": {"example": 0.5}},
    {"training_weights": {"cue": 0.2}},
    {"training_weights": {"cue": 0.8}},
    {"training_weights": {"gold": 1.0}},
    {"feature_weights": {"bodies_tokens": 0.3}},
    {"feature_weights": {"genre_tokens": 0.3}},
    {"feature_weights": {"sentence_words": 0.8}},
    {"feature_weights": {"heading_words": 0.8}},
    {"feature_weights": {"path_words": 0.2}},
    {"feature_weights": {"title_words": 0.3}},
    {"regularization": 3.0},
    {"regularization": 0.3},
    {"context_share": 0.5},
    {"section_share": 0.6},
    {"training_weights": {"gold": 4.0}},
    {"feature_weights": {"bodies_tokens": 0.3, "sentence_words": 0.8}, "training_weights": {"gold": 4.0}},
)


# A class with a handful of out-of-fold measures swings macro-F1 by 0.07 when one of them
# flips: settings are compared on the classes with at least this many.
MIN_SUPPORT = 10


def with_overrides(settings: Settings, overrides: Mapping) -> Settings:
    """``settings`` with some values replaced; ``feature_weights`` / ``training_weights``
    entries merge into the file's."""
    update = dict(overrides)
    for group in ("feature_weights", "training_weights"):
        if group in update:
            update[group] = {**getattr(settings, group), **update[group]}
    return settings.model_copy(update=update)


def score_setting(items: Sequence[TrainingItem], settings: Settings, taxonomy: Taxonomy) -> dict:
    """Out-of-fold accuracy, macro-F1 and log loss (after the fitted temperature), over
    every gold measure and over those of the development corpus alone (``dev_*``):
    pages from many places, as the catalogue will meet them; the seeds are 12
    long documents in five files, easier to recognise and many more measures."""
    scored, raw = out_of_fold(items, settings, taxonomy)
    codes = list(taxonomy.codes)
    labels = [items[i].label for i in scored]
    columns = np.asarray([codes.index(label) for label in labels])
    scores = sharpen(raw, fit_temperature(raw, columns))
    predicted = [codes[j] for j in scores.argmax(axis=1)]
    loss = -np.mean(np.log(np.clip(scores[np.arange(len(columns)), columns], 1e-12, 1)))
    every = classification_report(zip(labels, predicted))
    dev = [k for k, i in enumerate(scored) if not items[i].group.startswith(SEEDS_GROUP)]
    outside = classification_report([(labels[k], predicted[k]) for k in dev])
    supported = [row["f1"] for row in outside["per_class"].values() if row["support"] >= MIN_SUPPORT]
    return {
        "dev_supported_macro_f1": round(float(np.mean(supported)), 4) if supported else 0.0,
        "dev_macro_f1": round(outside["macro_f1"], 4),
        "dev_accuracy": round(outside["accuracy"], 4),
        "macro_f1": round(every["macro_f1"], 4),
        "accuracy": round(every["accuracy"], 4),
        "log_loss": round(float(loss), 4),
    }


def tune(gold, taxonomy: Taxonomy, settings: Settings, grid: Sequence[Mapping] = GRID, *, corrections=(), report=None) -> list[dict]:
    """Every candidate's figures, best first by the development corpus's macro-F1 over
    its classes of ``MIN_SUPPORT`` measures or more; ``report`` sees each as it comes."""
    from models.training import build_training_set

    results = []
    for overrides in grid:
        candidate = with_overrides(settings, overrides)
        items = build_training_set(taxonomy, gold, corrections, settings=candidate)
        results.append({"overrides": dict(overrides), **score_setting(items, candidate, taxonomy)})
        if report is not None:
            report(results[-1])
    results.sort(key=lambda r: (-r["dev_supported_macro_f1"], -r["dev_accuracy"]))
    return results
