"""Gold measures as the classifier meets them in a run.

A gold measure is a span and a class; a run classifies the extractor's measure with
its section path, sentence, object, bodies and the document's genre. Each gold
measure takes that context from the candidate the extractors found over it (the
same candidate scoring matches it to), so the model learns from what it will see.
The few gold measures no candidate covers take the sentence and section they sit in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

from extractors.sections import section_path
from extractors.types import Body, CatalogueEntry
from models.decision_training import AnalysedDocument
from models.features import ClassifierInput
from models.scoring import GoldDocument, match_spans, predicted_span

__all__ = ["GoldClassified", "GoldSource", "gold_classified", "gold_entries", "gold_source", "measure_inputs"]


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
        # a stable form: repr() of a frozenset follows the process's string hashing, and the
        # key changed (the classifier retrained) with every run
        digest.update(json.dumps(_stable((g.source_path, g.start, g.end, g.split, g.group, g.genre, g.doc_type, g.measures)), ensure_ascii=False).encode())
        digest.update(hashlib.sha256(open(g.file, "rb").read()).digest())
    return GoldSource(digest.hexdigest(), len(documents), lambda: gold_classified(analyse(documents)))


def _stable(value):
    """``value`` with sets sorted and dataclasses as sorted dicts: the same JSON in every process."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _stable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted((_stable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    return value


def gold_classified(docs: Sequence[AnalysedDocument], codes: Sequence[str] | None = None) -> list[GoldClassified]:
    """Every gold measure of ``docs`` with a class (in ``codes``, when given), with its run context."""
    out: list[GoldClassified] = []
    for d in docs:
        group = d.gold.group or d.gold.source_path
        genre = d.gold.genre or d.gold.doc_type or ""
        for entry in gold_entries(d):
            if entry.category and (codes is None or entry.category in codes):
                out.append(GoldClassified(ClassifierInput.from_entry(entry), entry.category, group, genre, d.gold.source_path))
    return out


def gold_entries(d: AnalysedDocument) -> list[CatalogueEntry]:
    """The gold measures of one document as catalogue entries: the gold's span, text and
    class, the rest (sentence, section path, object, bodies, platforms) from the candidate
    the extractors found over the span, or from the sentence it sits in where none did."""
    candidates = d.result.candidates
    matched = dict(match_spans(list(d.gold.measures), [predicted_span(c) for c in candidates]))
    doc = d.result.document
    text = d.source.text
    out = []
    for i, span in enumerate(d.gold.measures):
        base = dict(
            measure_id=f"{doc.doc_id}:{span.start}-{span.end}", doc_id=doc.doc_id, source_path=d.gold.source_path,
            start=span.start, end=span.end, text=text[span.start : span.end], status=span.status or "",
            category=span.category, title=doc.title, doc_type=doc.doc_type, level=doc.level, action="",
        )
        if i in matched:
            c = candidates[matched[i]]
            context = dict(sentence=text[c.sentence_start : c.sentence_end], section_path=tuple(c.section_path),
                           object=c.object, bodies=c.bodies, initiatives=c.initiatives)
        else:
            context = dict(**_sentence_context(d, span.start), object="", initiatives=(),
                           bodies=tuple(Body(None, None, name, name, None, True) for name in sorted(span.bodies)))
        out.append(CatalogueEntry(**base, **context))
    return out


def _sentence_context(d: AnalysedDocument, start: int) -> dict:
    for sentence in d.result.sentences:
        if sentence.start <= start < sentence.end:
            return {"sentence": sentence.text, "section_path": tuple(section_path(sentence.section, d.result.sections))}
    return {"sentence": "", "section_path": ()}


def measure_inputs(result, source_text: str) -> list[ClassifierInput]:
    """The classifier inputs of a decided document's measures, as their catalogue rows give them."""
    return [ClassifierInput.from_measure(m, source_text, result.document) for m in result.measures]
