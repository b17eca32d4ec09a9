"""Tunable numbers of the classifier, read from ``settings.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from extractors.knowledge import Schema, load_file

DEFAULT_SETTINGS_PATH = Path(__file__).with_name("settings.yaml")

class FeatureWeights(Schema):
    text_words: float = Field(ge=0)
    object_words: float = Field(ge=0)
    heading_words: float = Field(ge=0)
    path_words: float = Field(ge=0)
    sentence_words: float = Field(ge=0)
    title_words: float = Field(ge=0)
    text_chars: float = Field(ge=0)
    bodies_tokens: float = Field(ge=0)
    genre_tokens: float = Field(ge=0)
    signal_tokens: float = Field(ge=0)


class TrainingWeights(Schema):
    example: float = Field(ge=0)
    cue: float = Field(ge=0)
    gold: float = Field(ge=0)
    correction: float = Field(ge=0)


class _SettingsFile(Schema):
    review_threshold: float = Field(ge=0, le=1)
    review_precision: float = Field(ge=0, le=1)
    secondary_threshold: float = Field(ge=0, le=1)
    secondary_share: float = Field(ge=0, le=1)
    feature_weights: FeatureWeights
    training_weights: TrainingWeights
    gold_splits: tuple[str, ...]
    regularization: float = Field(ge=0)
    estimator: Literal["logreg", "svm"]
    calibration_folds: int = Field(ge=2)
    cv_folds: int = Field(ge=2)
    baseline_heading_weight: float = Field(ge=0)
    context_share: float = Field(ge=0, le=1)
    section_share: float = Field(ge=0, le=1)


class Settings(_SettingsFile):
    """The file's values; the weight groups as plain dicts, as the feature code reads them."""

    feature_weights: dict[str, float]
    training_weights: dict[str, float]

    def as_dict(self) -> dict:
        return self.model_dump()


def load_settings(path: str | Path = DEFAULT_SETTINGS_PATH) -> Settings:
    """Read and validate; raise ``DataError`` listing every problem with file and line."""
    return Settings.model_validate(load_file(path, _SettingsFile).model_dump())
