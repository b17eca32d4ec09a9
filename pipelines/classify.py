"""Classification and analyst corrections applied to catalogue entries."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from extractors.types import CatalogueEntry

from models.classifier import ClassifierInput
from models.corrections import apply_corrections, load_corrections
from models.scoring import SEEDS_GOLD
from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import load_or_train

CACHE_ENV = "POLICYCAT_CACHE"


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where models trained at run time are kept: ``$POLICYCAT_CACHE``, else
    ``$XDG_CACHE_HOME/policycat``, else ``~/.cache/policycat``. Never inside the
    package: they are rebuilt from the taxonomy, gold and settings when those change."""
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV]).expanduser()
    xdg = environ.get("XDG_CACHE_HOME")
    # the XDG spec ignores a relative path
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "policycat"


def classifier_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return cache_dir(environ) / "classifier"


def load_model(corrections: Path | None = None, *, retrain: bool = False):
    """The saved model, retrained when the taxonomy, gold or corrections changed."""
    gold = [SEEDS_GOLD] if SEEDS_GOLD.exists() else []
    return load_or_train(classifier_dir(), DEFAULT_TAXONOMY_PATH, gold, corrections, cross_validate=False, retrain=retrain)


def classify_entries(entries: list[CatalogueEntry], model) -> list[CatalogueEntry]:
    inputs = [ClassifierInput.from_entry(e) for e in entries]
    classified = model.classify(inputs) if inputs else []
    return [replace(entry, **c.entry_fields()) for entry, c in zip(entries, classified)]


def correct_entries(entries: list[CatalogueEntry], corrections_path: Path | None, codes) -> tuple[list[CatalogueEntry], list[str]]:
    """Apply ``corrections.yaml``; ids that match no measure come back to be reported."""
    if corrections_path is None or not corrections_path.exists():
        return entries, []
    return apply_corrections(entries, load_corrections(corrections_path, codes=codes))
