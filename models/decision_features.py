"""Features of the learned decisions, from the extractors' candidates and documents.

Text features are read from the analysis text (simplified characters), full-width
folded, so a traditional or half-width copy of a page gives the same features.
The rules' verdicts and evidence (``Measure.signals``) are features, not gates.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Sequence

from pydantic import Field, PositiveFloat, PositiveInt

from extractors.knowledge import Schema, load_file
from extractors.noise import blank_masks
from extractors.types import Document, DocumentResult, Measure

SETTINGS_PATH = Path(__file__).resolve().parent / "decisions.yaml"
# the rules' signals the status model reads
_STATUS_SIGNALS = {"status", "cue", "lead", "time", "section_status", "default_status", "structure", "explicit"}


class _Grid(Schema):
    """The settings cross-validation chooses among."""

    measure_c: tuple[PositiveFloat, ...] = Field(min_length=1)
    status_c: tuple[PositiveFloat, ...] = Field(min_length=1)
    document_c: tuple[PositiveFloat, ...] = Field(min_length=1)
    document_balanced: tuple[bool, ...] = Field(min_length=1)
    thresholds: tuple[Annotated[float, Field(ge=0, le=1)], ...] = Field(min_length=1)
    overrides: tuple[Annotated[float, Field(ge=0)], ...] = Field(min_length=1)


class DecisionSettings(Schema):
    ngram_sizes: tuple[PositiveInt, ...] = Field(min_length=1)
    prefix_chars: PositiveInt
    sentence_weight: float = Field(ge=0)
    head_chars: PositiveInt
    level_cues: dict[str, tuple[str, ...]]
    type_cues: tuple[str, ...]
    grid: _Grid
    long_document_chars: PositiveInt
    folds: int = Field(ge=2)
    naive_verbs: tuple[str, ...]
    learning_curve: tuple[Annotated[float, Field(gt=0, le=1)], ...]

    # the grid's values read as before, without the section name
    measure_c = property(lambda self: self.grid.measure_c)
    status_c = property(lambda self: self.grid.status_c)
    document_c = property(lambda self: self.grid.document_c)
    document_balanced = property(lambda self: self.grid.document_balanced)
    thresholds = property(lambda self: self.grid.thresholds)
    overrides = property(lambda self: self.grid.overrides)


@lru_cache(maxsize=4)
def load_decision_settings(path: Path = SETTINGS_PATH) -> DecisionSettings:
    """Read and validate ``decisions.yaml``; problems raise ``DataError`` with file and line."""
    return load_file(path, DecisionSettings)


def fold(text: str) -> str:
    """Full-width to half-width, one character for one (offsets are not needed here)."""
    return "".join(unicodedata.normalize("NFKC", ch)[:1] or ch for ch in text)


def _ngrams(prefix: str, text: str, sizes: Sequence[int], out: dict) -> None:
    for n in sizes:
        for i in range(len(text) - n + 1):
            gram = text[i : i + n]
            if not gram.isspace():
                out[f"{prefix}{gram}"] = 1.0


def _analysis_part(measure: Measure, piece: str, source_text: str, analysis: str) -> str:
    """``piece`` (a substring of the measure's source text) in analysis characters."""
    if not piece:
        return ""
    at = source_text.find(piece, measure.start, measure.end)
    return analysis[at : at + len(piece)] if at >= 0 else piece


def measure_features(
    measure: Measure,
    source_text: str,
    analysis: str,
    doc_type: str | None,
    settings: DecisionSettings,
    previous: Measure | None = None,
    following: Measure | None = None,
) -> dict[str, float]:
    """Features of one candidate; ``previous``/``following`` are its neighbours in the document."""
    text = fold(analysis[measure.start : measure.end])
    features: dict[str, float] = {s: 1.0 for s in measure.signals}
    features[f"doc_type={doc_type}"] = 1.0
    features[f"doc_type_rule={doc_type}|{measure.rule_reason}"] = 1.0
    features[f"previous_rule={previous.rule_reason if previous else 'start'}"] = 1.0
    features[f"following_rule={following.rule_reason if following else 'end'}"] = 1.0
    features[f"same_sentence={previous is not None and previous.sentence_start == measure.sentence_start}"] = 1.0
    sentence = fold(analysis[measure.sentence_start : measure.sentence_end])
    for i in range(len(sentence) - 1):
        features[f"s:{sentence[i : i + 2]}"] = settings.sentence_weight
    _ngrams("g:", text, settings.ngram_sizes, features)
    features[f"head={text[:2]}"] = 1.0
    features[f"tail={text[-2:]}"] = 1.0
    verb = fold(_analysis_part(measure, measure.action, source_text, analysis))
    features[f"verb={verb[:4]}"] = 1.0
    obj = fold(_analysis_part(measure, measure.object, source_text, analysis))
    features[f"object_tail={obj[-2:]}"] = 1.0
    features[f"length={min(len(text) // 6, 8)}"] = 1.0
    before = fold(analysis[max(measure.sentence_start, measure.start - settings.prefix_chars) : measure.start])
    _ngrams("p:", before, (1, 2), features)
    after = fold(analysis[measure.end : measure.end + 1])
    features[f"next={after or 'none'}"] = 1.0
    for body in measure.bodies:
        features[f"body={body.canonical}|{body.explicit}"] = 1.0
    if re.search(r"\d|[一二两三四五六七八九十百]+[次个项件名]", text):
        features["number"] = 1.0
    return features


def candidate_features(result: DocumentResult, source_text: str, analysis: str, settings: DecisionSettings) -> list[dict[str, float]]:
    """``measure_features`` of every candidate of a document, in order."""
    candidates = result.candidates
    doc_type = result.document.doc_type
    return [
        measure_features(c, source_text, analysis, doc_type, settings, candidates[i - 1] if i else None, candidates[i + 1] if i + 1 < len(candidates) else None)
        for i, c in enumerate(candidates)
    ]


def status_features(measure: Measure, source_text: str, analysis: str, doc_type: str | None, settings: DecisionSettings) -> dict[str, float]:
    text = fold(analysis[measure.start : measure.end])
    features: dict[str, float] = {s: 1.0 for s in measure.signals if s.split("=", 1)[0] in _STATUS_SIGNALS}
    features[f"doc_type={doc_type}"] = 1.0
    features[f"head={text[:2]}"] = 1.0
    _ngrams("g:", text[:8], (1, 2), features)
    sentence_head = fold(analysis[measure.sentence_start : measure.start])
    _ngrams("s:", sentence_head[-settings.prefix_chars * 2 :], (1, 2), features)
    _ngrams("h:", sentence_head[:6], (2,), features)
    return features


def length_band(document: Document, settings: DecisionSettings) -> str:
    """Long documents carry evidence (titles, issuers, regions) that short pages lack."""
    return "long" if document.end - document.start > settings.long_document_chars else "short"


def document_features(result: DocumentResult, analysis: str, settings: DecisionSettings) -> dict[str, float]:
    doc = result.document
    text = fold(blank_masks(analysis, doc.start, doc.end, result.masks))
    head = re.sub(r"\s+", " ", text[: settings.head_chars])
    features: dict[str, float] = {f"rule_type={doc.doc_type}": 1.0, f"rule_level={doc.level}": 1.0}
    _ngrams("d:", head, (2,), features)
    if doc.title:
        _ngrams("t:", fold(doc.title), (1, 2), features)
    for cue in settings.type_cues:
        count = text.count(cue)
        if count:
            features[f"cue:{cue}"] = math.log1p(count)
    for level, cues in settings.level_cues.items():
        count = sum(text.count(c) for c in cues)
        if count:
            features[f"level_cue={level}"] = math.log1p(count)
        head_count = sum(head.count(c) for c in cues)
        if head_count:
            features[f"level_head={level}"] = math.log1p(head_count)
    region = doc.region
    features[f"region={'county' if region.county else 'prefecture' if region.prefecture else 'province' if region.province else 'none'}"] = 1.0
    features[f"doc_length={min((doc.end - doc.start) // 500, 6)}"] = 1.0
    features[f"sections={min(len(result.sections), 5)}"] = 1.0
    features[f"byline={bool(doc.author)}"] = 1.0
    return features
