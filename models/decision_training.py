"""Training the learned decisions from gold documents (``models.evaluation`` scores them).

Gold documents of many places are analysed by the extractors; each candidate clause
is labelled by the spec's matching rule (it is a measure when it matches a gold
measure). Settings (regularisation, the measure threshold) are chosen by
cross-validation grouped by place, so a fold never sees its own region; the
``test`` split is never used for choosing. Training is deterministic: the same
gold, code and settings give the same model file.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from extractors.types import DocumentResult, SourceText
from models.decision_features import DecisionSettings, candidate_features, document_features, length_band, status_features
from models.decisions import MEASURE, OTHER, DecisionModels, decide_document
from models.linear import fit_linear
from models.scoring import GoldDocument, match_spans, predicted_span, prf

TRAIN_SPLITS = ("train", "tune")
BANDS = ("short", "long")
FIT_SETTINGS = ("measure_c", "status_c", "document_c", "threshold", "document_balanced", "status_override", "doc_type_override", "level_override")  # dev.jsonl says train/test; seeds.jsonl says tune/heldout


@dataclass
class AnalysedDocument:
    """A gold document with the extractors' result over the same text."""

    gold: GoldDocument
    source: SourceText
    result: DocumentResult
    # the candidates inside the gold document, with labels
    labels: list[int] = field(default_factory=list)
    statuses: list[str | None] = field(default_factory=list)


def attach_results(gold: GoldDocument, source: SourceText, results: Sequence[DocumentResult]) -> AnalysedDocument:
    """The gold document's candidates (from every extracted document overlapping it), labelled."""
    inside = [c for r in results for c in r.candidates if gold.start <= c.start and c.end <= gold.end]
    best = max(results, key=lambda r: min(gold.end, r.document.end) - max(gold.start, r.document.start))
    result = replace(best, candidates=tuple(inside))
    pairs = match_spans(list(gold.measures), [predicted_span(c) for c in inside])
    labels, statuses = [0] * len(inside), [None] * len(inside)
    for i, j in pairs:
        labels[j] = 1
        statuses[j] = gold.measures[i].status
    return AnalysedDocument(gold, source, result, labels, statuses)


@dataclass(frozen=True)
class Examples:
    """One gold document's training examples, computed once for every fold."""

    measures: list  # (features, label) per candidate
    statuses: list  # (features, gold status, rules' status) per matched candidate
    document: dict  # document features
    band: str


def document_examples(d: AnalysedDocument, settings: DecisionSettings) -> Examples:
    text, analysis, doc_type = d.source.text, d.source.analysis_text, d.result.document.doc_type
    features = candidate_features(d.result, text, analysis, settings)
    statuses = [
        (status_features(c, text, analysis, doc_type, settings), status, c.status)
        for c, label, status in zip(d.result.candidates, d.labels, d.statuses)
        if label and status
    ]
    return Examples(
        list(zip(features, d.labels)), statuses, document_features(d.result, analysis, settings), length_band(d.result.document, settings)
    )


def fit_decisions(
    docs: Sequence[AnalysedDocument],
    settings: DecisionSettings,
    *,
    measure_c: float,
    status_c: float,
    document_c: float,
    threshold: float,
    document_balanced: bool = False,
    status_override: dict | None = None,
    doc_type_override: dict | None = None,
    level_override: dict | None = None,
) -> DecisionModels:
    examples = [document_examples(d, settings) for d in docs]
    measure_x = [f for e in examples for f, _ in e.measures]
    measure_y = [MEASURE if label else OTHER for e in examples for _, label in e.measures]
    doc_x = [e.document for e in examples]
    return DecisionModels(
        measure=fit_linear(measure_x, measure_y, c=measure_c),
        status=fit_linear([f for e in examples for f, _, _ in e.statuses], [g for e in examples for _, g, _ in e.statuses], c=status_c),
        doc_type=fit_linear(doc_x, [d.gold.doc_type for d in docs], c=document_c, balanced=document_balanced),
        level=fit_linear(doc_x, [d.gold.level for d in docs], c=document_c, balanced=document_balanced),
        threshold=threshold,
        settings=settings,
        metadata={},
        status_override=status_override or {},
        doc_type_override=doc_type_override or {},
        level_override=level_override or {},
    )


def group_folds(docs: Sequence[AnalysedDocument], folds: int) -> list[list[int]]:
    """Document indices per fold; whole places go to one fold, balanced by size."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        by_group[d.gold.group or d.gold.source_path].append(i)
    order = sorted(by_group, key=lambda g: (-len(by_group[g]), g))
    buckets: list[list[int]] = [[] for _ in range(folds)]
    for g in order:
        min(buckets, key=len).extend(by_group[g])
    return [b for b in buckets if b]


def predict_documents(models: DecisionModels, docs: Sequence[AnalysedDocument]) -> list[DocumentResult]:
    return [decide_document(d.result, d.source, models) for d in docs]


def _backed_off(rows, override: dict[str, float] | float) -> float:
    """Accuracy when the model's answer replaces the rules' only at ``override`` confidence or
    more (one level per document length band). ``rows`` holds (gold, rule answer, model
    answer, model confidence, band)."""
    if not rows:
        return 0.0
    level = (lambda band: override[band]) if isinstance(override, dict) else (lambda band: override)
    return sum(1 for gold, rule, model, p, band in rows if (model if p >= level(band) else rule) == gold) / len(rows)


def _choose_override(rows, settings: DecisionSettings) -> tuple[dict[str, float], float]:
    """Per length band, the override level with the best accuracy (ties: trusting the rules
    more). Long documents carry the rules' evidence (titles, issuers, regions) that short
    pages lack, so the two bands may trust the model differently."""
    chosen = {}
    for band in BANDS:
        mine = [r for r in rows if r[4] == band]
        scored = [(round(_backed_off(mine, o), 6), o) for o in settings.overrides]
        chosen[band] = max(scored, key=lambda t: (t[0], t[1]))[1] if mine else max(settings.overrides)
    return chosen, _backed_off(rows, chosen)



def _answer(model, features) -> tuple[str, float]:
    scores = model.probabilities(features)
    answer = max(scores, key=scores.get)
    return answer, scores[answer]


def cross_validate(docs: Sequence[AnalysedDocument], settings: DecisionSettings) -> dict:
    """Every grid setting scored by grouped cross-validation; the best one chosen.

    The measure model's C and threshold are chosen on measure F1. The status and
    document models back off to the rules: their answer replaces the rules' only
    from a confidence chosen here (above 1: never), with their C, on accuracy.
    """
    folds = group_folds(docs, settings.folds)
    results: dict = {"folds": len(folds), "measure": {}, "status": {}, "document": {}}
    predictions: dict[float, list[tuple[int, float]]] = {c: [] for c in settings.measure_c}
    status_rows: dict[float, list] = {c: [] for c in settings.status_c}
    document_grid = [(c, b) for c in settings.document_c for b in settings.document_balanced]
    type_rows: dict = {g: [] for g in document_grid}
    level_rows: dict = {g: [] for g in document_grid}
    gold_total = sum(len(d.gold.measures) for d in docs)
    examples = [document_examples(d, settings) for d in docs]
    for held in folds:
        held_set = set(held)
        train = [i for i in range(len(docs)) if i not in held_set]
        x = [f for i in train for f, _ in examples[i].measures]
        y = [MEASURE if label else OTHER for i in train for _, label in examples[i].measures]
        for c in settings.measure_c:
            model = fit_linear(x, y, c=c)
            predictions[c] += [(label, model.probabilities(f)[MEASURE]) for i in held for f, label in examples[i].measures]
        sx = [f for i in train for f, _, _ in examples[i].statuses]
        sy = [g for i in train for _, g, _ in examples[i].statuses]
        for c in settings.status_c:
            model = fit_linear(sx, sy, c=c)
            for i in held:
                for f, gold, rule in examples[i].statuses:
                    status_rows[c].append((gold, rule, *_answer(model, f), examples[i].band))
        dx = [examples[i].document for i in train]
        for c, balanced in document_grid:
            for key, rows in (("doc_type", type_rows), ("level", level_rows)):
                model = fit_linear(dx, [getattr(docs[i].gold, key) for i in train], c=c, balanced=balanced)
                for i in held:
                    gold, rule = getattr(docs[i].gold, key), getattr(docs[i].result.document, key)
                    rows[(c, balanced)].append((gold, rule, *_answer(model, examples[i].document), examples[i].band))
    best = (-1.0, None, None)
    for c, rows in predictions.items():
        for t in settings.thresholds:
            tp = sum(1 for label, p in rows if label and p >= t)
            predicted = sum(1 for _, p in rows if p >= t)
            f1 = prf(tp, predicted, gold_total).f1
            results["measure"][f"C={c} threshold={t}"] = round(f1, 4)
            if f1 > best[0] + 1e-9:
                best = (f1, c, t)
    chosen = results["chosen"] = {"measure_c": best[1], "threshold": best[2], "measure_f1_cv": round(best[0], 4)}
    status_choice = {c: _choose_override(rows, settings) for c, rows in status_rows.items()}
    results["status"] = {f"C={c}": {"override": o, "accuracy": round(a, 4)} for c, (o, a) in status_choice.items()}
    results["status"]["rules"] = round(_backed_off(next(iter(status_rows.values())), 2.0), 4)
    status_c = max(sorted(status_choice), key=lambda c: status_choice[c][1])
    chosen.update(status_c=status_c, status_override=status_choice[status_c][0], status_accuracy_cv=round(status_choice[status_c][1], 4))
    # genre and level share one model setting, chosen on their mean accuracy; each backs off on its own
    doc_choice = {g: (_choose_override(type_rows[g], settings), _choose_override(level_rows[g], settings)) for g in document_grid}
    results["document"] = {
        f"C={c} balanced={b}": {"doc_type": {"override": t[0], "accuracy": round(t[1], 4)}, "level": {"override": l[0], "accuracy": round(l[1], 4)}}
        for (c, b), (t, l) in doc_choice.items()
    }
    results["document"]["rules"] = {
        "doc_type": round(_backed_off(type_rows[document_grid[0]], 2.0), 4),
        "level": round(_backed_off(level_rows[document_grid[0]], 2.0), 4),
    }
    best_doc = max(document_grid, key=lambda g: (doc_choice[g][0][1] + doc_choice[g][1][1], -g[0]))
    (type_override, type_accuracy), (level_override, level_accuracy) = doc_choice[best_doc]
    chosen.update(
        document_c=best_doc[0],
        document_balanced=best_doc[1],
        doc_type_override=type_override,
        level_override=level_override,
        doc_type_accuracy_cv=round(type_accuracy, 4),
        level_accuracy_cv=round(level_accuracy, 4),
    )
    return results


def data_hash(docs: Sequence[AnalysedDocument], extra: Iterable[str] = ()) -> str:
    """Of the gold labels and texts trained on, and anything else that shapes the model."""
    digest = hashlib.sha256()
    for d in sorted(docs, key=lambda d: (d.gold.source_path, d.gold.start)):
        digest.update(d.source.sha256.encode())
        digest.update(json.dumps([d.gold.doc_type, d.gold.level, [(m.start, m.end, m.status) for m in d.gold.measures]]).encode())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]


def train_decisions(docs: Sequence[AnalysedDocument], settings: DecisionSettings, *, extra_hash: Iterable[str] = ()) -> tuple[DecisionModels, dict]:
    """Choose settings by grouped cross-validation, then fit on every training document."""
    cv = cross_validate(docs, settings)
    chosen = cv["chosen"]
    models = fit_decisions(
        docs,
        settings,
        measure_c=chosen["measure_c"],
        status_c=chosen["status_c"],
        document_c=chosen["document_c"],
        threshold=chosen["threshold"],
        document_balanced=chosen["document_balanced"],
        status_override=chosen["status_override"],
        doc_type_override=chosen["doc_type_override"],
        level_override=chosen["level_override"],
    )
    metadata = {
        "data_hash": data_hash(docs, extra_hash),
        "documents": len(docs),
        "places": len({d.gold.group for d in docs}),
        "candidates": sum(len(d.labels) for d in docs),
        "gold_measures": sum(len(d.gold.measures) for d in docs),
        "threshold": chosen["threshold"],
        "chosen": chosen,
        "cross_validation": cv,
    }
    return replace(models, metadata=metadata), metadata
