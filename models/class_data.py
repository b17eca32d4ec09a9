"""Gold measures as the classifier meets them in a run.

A gold measure is a span and a class; a run classifies the extractor's measure with
its section path, sentence, object, bodies and the document's genre. Each gold
measure takes that context from the candidate the extractors found over it (the
same candidate scoring matches it to), so the model learns from what it will see.
The few gold measures no candidate covers take the sentence and section they sit in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

from extractors.sections import section_path
from models.decision_training import AnalysedDocument
from models.features import ClassifierInput
from models.scoring import GoldDocument, match_spans, predicted_span

__all__ = ["GoldClassified", "GoldSource", "gold_classified", "gold_source", "measure_inputs"]


class GoldClassified(NamedTuple):
    input: ClassifierInput
    label: str
    group: str  # the document's place: cross-validation folds never split one
    genre: str  # the gold genre, for per-genre figures
    source_path: str


@dataclass(frozen=True)
class GoldSource:
    """Gold measures for training, analysed only when a model has to be trained:
    ``key`` is a digest of everything they depend on (the gold documents, the bytes
    of the files they annotate, the extractors), ``load`` analyses them."""

    key: str
    documents: int
    load: Callable[[], Sequence[GoldClassified]]


def gold_source(documents: Sequence[GoldDocument], extractors_key: str, analyse: Callable[[Sequence[GoldDocument]], Sequence[AnalysedDocument]]) -> GoldSource:
    """The gold measures of ``documents`` (each with its ``file``), keyed by their
    annotations, their files' bytes and ``extractors_key``; ``analyse`` runs the extractors."""
    digest = hashlib.sha256(extractors_key.encode())
    for g in documents:
        digest.update(repr((g.source_path, g.start, g.end, g.split, g.group, g.genre, g.doc_type, g.measures)).encode())
        digest.update(hashlib.sha256(open(g.file, "rb").read()).digest())
    return GoldSource(digest.hexdigest(), len(documents), lambda: gold_classified(analyse(documents)))


def gold_classified(docs: Sequence[AnalysedDocument], codes: Sequence[str] | None = None) -> list[GoldClassified]:
    """Every gold measure of ``docs`` with a class (in ``codes``, when given), with its run context."""
    out: list[GoldClassified] = []
    for d in docs:
        gold = [m for m in d.gold.measures if m.category and (codes is None or m.category in codes)]
        if not gold:
            continue
        candidates = d.result.candidates
        matched = dict(match_spans(gold, [predicted_span(c) for c in candidates]))
        doc_type, doc_id, title = d.result.document.doc_type, d.result.document.doc_id, d.result.document.title or ""
        text = d.source.text
        for i, span in enumerate(gold):
            clause = text[span.start : span.end]
            if i in matched:
                c = candidates[matched[i]]
                sentence = text[c.sentence_start : c.sentence_end]
                bodies = [b.canonical for b in c.bodies]
                item = ClassifierInput.from_context(clause, c.section_path, sentence, c.object, bodies, doc_type, doc_id, title)
            else:
                item = _uncovered(d, span, clause, doc_type)
            group = d.gold.group or d.gold.source_path
            out.append(GoldClassified(item, span.category, group, d.gold.genre or d.gold.doc_type or "", d.gold.source_path))
    return out


def _uncovered(d: AnalysedDocument, span, clause: str, doc_type: str | None) -> ClassifierInput:
    for sentence in d.result.sentences:
        if sentence.start <= span.start < sentence.end:
            path = section_path(sentence.section, d.result.sections)
            return ClassifierInput.from_context(clause, path, sentence.text, "", sorted(span.bodies), doc_type or "", d.result.document.doc_id, d.result.document.title or "")
    return ClassifierInput.from_context(clause, (), "", "", sorted(span.bodies), doc_type or "", "", d.result.document.title or "")


def measure_inputs(result, source_text: str) -> list[ClassifierInput]:
    """The classifier inputs of a decided document's measures, as their catalogue rows give them."""
    return [ClassifierInput.from_measure(m, source_text, result.document) for m in result.measures]
