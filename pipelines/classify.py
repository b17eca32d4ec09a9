"""Classification and analyst corrections applied to catalogue rows."""

from __future__ import annotations

from pathlib import Path

from models.classifier import ClassifierInput
from models.corrections import apply_corrections, load_corrections
from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import DEFAULT_GOLD_PATH, load_or_train

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "catalogue_model.joblib"


def load_model(corrections: Path | None = None):
    """The saved model, retrained when the taxonomy, gold or corrections changed."""
    gold = [DEFAULT_GOLD_PATH] if DEFAULT_GOLD_PATH.exists() else []
    return load_or_train(MODEL_PATH, DEFAULT_TAXONOMY_PATH, gold, corrections, cross_validate=False)


def classify_rows(rows: list[dict], model) -> list[dict]:
    inputs = [ClassifierInput.from_row(r) for r in rows]
    classified = model.classify(inputs) if inputs else []
    return [{**row, **c.as_row_fields()} for row, c in zip(rows, classified)]


def correct_rows(rows: list[dict], corrections_path: Path | None, codes) -> tuple[list[dict], list[str]]:
    """Apply ``corrections.yaml``; ids that match no measure come back to be reported."""
    if corrections_path is None or not corrections_path.exists():
        return rows, []
    return apply_corrections(rows, load_corrections(corrections_path, codes=codes))
