"""Classification and analyst corrections applied to catalogue entries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extractors.types import CatalogueEntry

from models.classifier import ClassifierInput
from models.corrections import apply_corrections, load_corrections
from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import DEFAULT_GOLD_PATH, load_or_train

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "catalogue_model.joblib"


def load_model(corrections: Path | None = None):
    """The saved model, retrained when the taxonomy, gold or corrections changed."""
    gold = [DEFAULT_GOLD_PATH] if DEFAULT_GOLD_PATH.exists() else []
    return load_or_train(MODEL_PATH, DEFAULT_TAXONOMY_PATH, gold, corrections, cross_validate=False)


def classify_entries(entries: list[CatalogueEntry], model) -> list[CatalogueEntry]:
    inputs = [ClassifierInput.from_entry(e) for e in entries]
    classified = model.classify(inputs) if inputs else []
    return [replace(entry, **c.entry_fields()) for entry, c in zip(entries, classified)]


def correct_entries(entries: list[CatalogueEntry], corrections_path: Path | None, codes) -> tuple[list[CatalogueEntry], list[str]]:
    """Apply ``corrections.yaml``; ids that match no measure come back to be reported."""
    if corrections_path is None or not corrections_path.exists():
        return entries, []
    return apply_corrections(entries, load_corrections(corrections_path, codes=codes))
