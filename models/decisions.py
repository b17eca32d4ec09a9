"""Learned decisions applied to the extractors' results.

The extractors propose every clause that could be a measure (``candidates``) with
the rules' evidence; the models trained by ``policycat train`` decide which are
measures and their status, and re-decide each document's genre and level. Every
kept measure carries its score and the strongest features behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from extractors.types import DocumentResult, SourceText
from models.decision_features import DecisionSettings, candidate_features, document_features, length_band, load_decision_settings, status_features
from models.linear import LinearModel, load_models

DEFAULT_MODELS_PATH = Path(__file__).resolve().parent / "trained" / "decisions.json"
MEASURE, OTHER = "measure", "other"  # the measure model's labels


@dataclass(frozen=True)
class DecisionModels:
    measure: LinearModel
    status: LinearModel
    doc_type: LinearModel
    level: LinearModel
    threshold: float
    settings: DecisionSettings
    metadata: dict
    # a model's answer replaces the rules' only from this confidence, per document length
    # band (short/long; chosen by cross-validation); a band not named: the model always
    status_override: Mapping[str, float] = field(default_factory=dict)
    doc_type_override: Mapping[str, float] = field(default_factory=dict)
    level_override: Mapping[str, float] = field(default_factory=dict)

    def measure_probability(self, features) -> float:
        return self.measure.probabilities(features).get(MEASURE, 0.0)


def load_decisions(path: Path = DEFAULT_MODELS_PATH, settings: DecisionSettings | None = None) -> DecisionModels:
    models, metadata = load_models(path)
    missing = {"measure", "status", "doc_type", "level"} - set(models)
    if missing:
        raise ValueError(f"{path}: models missing: {', '.join(sorted(missing))}")
    chosen = metadata.get("chosen", {})
    return DecisionModels(
        models["measure"],
        models["status"],
        models["doc_type"],
        models["level"],
        float(metadata["threshold"]),
        settings or load_decision_settings(),
        metadata,
        dict(chosen.get("status_override", {})),
        dict(chosen.get("doc_type_override", {})),
        dict(chosen.get("level_override", {})),
    )


def backed_off(model: LinearModel, features, rule_answer, override: float):
    """The model's answer where it is at least ``override`` sure, else the rules'."""
    scores = model.probabilities(features)
    answer = max(model.classes, key=lambda c: scores[c])
    return answer if scores[answer] >= override or rule_answer is None else rule_answer


def decide_document(result: DocumentResult, source: SourceText, models: DecisionModels) -> DocumentResult:
    """The result with its measures, statuses, genre and level decided by the models."""
    analysis, settings = source.analysis_text, models.settings
    doc = result.document
    rule_type = doc.doc_type
    features = document_features(result, analysis, settings)
    band = length_band(doc, settings)
    document = replace(
        doc,
        doc_type=backed_off(models.doc_type, features, doc.doc_type, models.doc_type_override.get(band, 0.0)),
        level=backed_off(models.level, features, doc.level, models.level_override.get(band, 0.0)),
    )
    kept, scored = [], []
    for candidate, f in zip(result.candidates, candidate_features(result, source.text, analysis, settings)):
        p = models.measure_probability(f)
        keep = p >= models.threshold
        status = candidate.status
        if keep:
            status = backed_off(
                models.status, status_features(candidate, source.text, analysis, rule_type, settings), candidate.status, models.status_override.get(band, 0.0)
            )
        decided = replace(
            candidate,
            status=status,
            score=round(p, 4),
            evidence=models.measure.strongest(f, MEASURE if keep else OTHER),
        )
        scored.append(decided)
        if keep:
            kept.append(decided)
    return replace(result, document=document, measures=tuple(kept), candidates=tuple(scored))
