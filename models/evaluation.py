"""How well each model does on the gold standard, by the rules of ``models.scoring``.

The catalogue classifier beside the cue-word baseline (on the measures a run
extracts from test documents and on their gold spans); the learned decisions beside the rule-only
extractor and a naive verb rule (overall, per genre, per level, learning curve);
the alignment's threshold on the gold measure pairs. ``policycat evaluate``
(``pipelines/evaluate.py``) prints these figures and scores a run's outputs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from typing import Sequence

import numpy as np

from extractors.types import DocumentResult
from models.alignment import AlignmentSettings, MeasureSimilarity, build_similarity, load_alignment_settings
from models.classifier import Classification
from models.decision_features import DecisionSettings, fold
from models.decision_training import FIT_SETTINGS, AnalysedDocument, fit_decisions, predict_documents
from models.decisions import DecisionModels
from models.scoring import classification_report, match_spans, predicted_span, prf, score_documents, score_measures
from models.training import cue_word_baseline

__all__ = [
    "evaluate_classes",
    "class_learning_curve",
    "score_decided",
    "evaluate_decisions",
    "score_pairs",
    "evaluate_pairs",
    "tune_alignment",
]


# ---------------------------------------------------------------- the catalogue classifier


def evaluate_classes(
    model,
    test: Sequence[AnalysedDocument],
    decisions: DecisionModels | None = None,
    *,
    review_precision: float | None = None,
    decided: Sequence[DocumentResult] | None = None,
) -> dict:
    """The classifier (a ``TrainedModel``) beside the cue-word baseline on the gold
    documents ``test``: on the measures a run extracts there and matches to gold
    (``matched``, what the catalogue's readers get) and on the gold spans themselves
    (``gold_spans``, extraction set aside). Each with per-class scores, the confusion
    table, per-genre figures, the reliability of the confidences and the share
    marked for review. ``decided``: the decisions' results on ``test``, when at hand."""
    from models.class_data import gold_classified, measure_inputs

    baseline = cue_word_baseline(model.taxonomy, model.settings)
    threshold = model.settings.review_threshold
    report: dict = {"review_threshold": threshold, "review_precision": review_precision}

    gold = gold_classified(test, model.taxonomy.codes)
    inputs = [g.input for g in gold]
    report["gold_spans"] = _class_figures(
        [g.label for g in gold], model.classify(inputs), [baseline(i) for i in inputs], [g.genre for g in gold], threshold
    )
    if decisions is not None or decided is not None:
        labels, predicted, cue, genres = [], [], [], []
        for d, result in zip(test, decided if decided is not None else predict_documents(decisions, test)):
            measures = list(result.measures)
            inputs = measure_inputs(result, d.source.text)
            classified = model.classify(inputs) if inputs else []
            known = [m for m in d.gold.measures if m.category in model.taxonomy.codes]
            for i, j in match_spans(known, [predicted_span(m) for m in measures]):
                labels.append(known[i].category)
                predicted.append(classified[j])
                cue.append(baseline(inputs[j]))
                genres.append(d.gold.genre or d.gold.doc_type or "")
        report["matched"] = _class_figures(labels, predicted, cue, genres, threshold)
    return report


def class_learning_curve(taxonomy, settings, train: Sequence[AnalysedDocument], test: Sequence[AnalysedDocument], decisions: DecisionModels, shares: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0)) -> dict:
    """The classifier's test figures with a share of the development corpus's training
    places (the seeds always; the same seed every time): whether more places would help."""
    from models.class_data import gold_classified
    from models.decision_data import SEEDS_GROUP
    from models.training import build_training_set, train_model

    seeds = [d for d in train if (d.gold.group or "").startswith(SEEDS_GROUP)]
    dev = [d for d in train if not (d.gold.group or "").startswith(SEEDS_GROUP)]
    places = sorted({d.gold.group or d.gold.source_path for d in dev})
    random.Random(13).shuffle(places)
    decided = predict_documents(decisions, test)  # the same extraction at every share
    curve = {}
    for share in shares:
        keep = set(places[: round(share * len(places))])
        gold = gold_classified(seeds + [d for d in dev if (d.gold.group or d.gold.source_path) in keep])
        model = train_model(taxonomy, build_training_set(taxonomy, gold, settings=settings), settings, cross_validate=False)
        report = evaluate_classes(model, test, decided=decided)
        curve[f"{int(share * 100)}%"] = {
            "dev_places": len(keep),
            "dev_measures": sum(1 for g in gold if not g.group.startswith(SEEDS_GROUP)),
            **{f"{part}_{k}": round(report[part]["model"][k], 4) for part in ("matched", "gold_spans") for k in ("accuracy", "macro_f1")},
        }
    return curve


def _class_figures(labels: Sequence[str], predicted: Sequence[Classification], cue: Sequence[Classification], genres: Sequence[str], threshold: float) -> dict:
    from models.calibration import calibration_error, reliability_table, review_share

    model = classification_report(zip(labels, [c.category for c in predicted]))
    baseline = classification_report(zip(labels, [c.category for c in cue]))
    confidence = [c.confidence for c in predicted]
    correct = [c.category == g for c, g in zip(predicted, labels)]
    kept = [ok for ok, c in zip(correct, confidence) if c >= threshold]
    per_genre = {}
    for genre in sorted(set(genres)):
        idx = [i for i, g in enumerate(genres) if g == genre]
        m = classification_report([(labels[i], predicted[i].category) for i in idx])
        b = classification_report([(labels[i], cue[i].category) for i in idx])
        per_genre[genre] = {"n": len(idx), "accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "baseline_accuracy": b["accuracy"], "baseline_macro_f1": b["macro_f1"]}
    return {
        "n": len(labels),
        "model": model,
        "cue_word_baseline": baseline,
        "confusion": model["confusion"],
        "per_genre": per_genre,
        "reliability": reliability_table(confidence, correct),
        "calibration_error": calibration_error(confidence, correct),
        "review_share": review_share(confidence, threshold),
        "precision_not_reviewed": round(sum(kept) / len(kept), 4) if kept else None,
        "with_secondary": round(sum(1 for c in predicted if c.secondary) / len(predicted), 4) if predicted else 0.0,
    }


# ---------------------------------------------------------------- the learned decisions


def score_decided(docs: Sequence[AnalysedDocument], decided: Sequence[DocumentResult]) -> dict:
    """The spec's figures for decided results against their gold documents."""
    gold = [m for d in docs for m in d.gold.measures]
    predicted = [predicted_span(m) for r in decided for m in r.measures]
    scores = score_measures(gold, predicted)
    documents = score_documents([d.gold for d in docs], [r.document for r in decided])
    return {
        "documents": len(docs),
        "gold_measures": len(gold),
        "measure_precision": round(scores.measures.precision, 4),
        "measure_recall": round(scores.measures.recall, 4),
        "measure_f1": round(scores.measures.f1, 4),
        "status_accuracy": _round(scores.status_accuracy),
        "bodies_f1": round(scores.bodies.f1, 4),
        "doc_type_accuracy": _round(documents.doc_type_accuracy),
        "level_accuracy": _round(documents.level_accuracy),
    }


def _round(value):
    return None if value is None else round(value, 4)


def rule_only(docs: Sequence[AnalysedDocument]) -> list[DocumentResult]:
    """What the rules alone keep (the extractor before any learned decision)."""
    return [replace(d.result, measures=tuple(c for c in d.result.candidates if c.rule_reason is None)) for d in docs]


def naive_verb_rule(docs: Sequence[AnalysedDocument], verbs: Sequence[str]) -> list[DocumentResult]:
    """Every body clause holding one of a few action verbs is a measure."""
    out = []
    for d in docs:
        analysis = d.source.analysis_text
        kept = tuple(
            c for c in d.result.candidates if "structure=body" in c.signals and any(v in fold(analysis[c.start : c.end]) for v in verbs)
        )
        out.append(replace(d.result, measures=kept))
    return out


def breakdown(docs: Sequence[AnalysedDocument], decided: Sequence[DocumentResult], key) -> dict:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        groups[key(d) or "unknown"].append(i)
    return {g: score_decided([docs[i] for i in idx], [decided[i] for i in idx]) for g, idx in sorted(groups.items())}


def learning_curve(train: Sequence[AnalysedDocument], test: Sequence[AnalysedDocument], settings: DecisionSettings, chosen: dict) -> dict:
    """Test figures with a share of the training places (the same seed every time)."""
    groups = sorted({d.gold.group or d.gold.source_path for d in train})
    random.Random(13).shuffle(groups)
    curve = {}
    for share in settings.learning_curve:
        keep = set(groups[: max(1, round(share * len(groups)))])
        subset = [d for d in train if (d.gold.group or d.gold.source_path) in keep]
        models = fit_decisions(subset, settings, **{k: chosen[k] for k in FIT_SETTINGS})
        curve[f"{int(share * 100)}%"] = {"training_documents": len(subset), **score_decided(test, predict_documents(models, test))}
    return curve


def evaluate_decisions(models: DecisionModels, train: Sequence[AnalysedDocument], test: Sequence[AnalysedDocument], *, curve: bool = True) -> dict:
    """The learned decisions on ``test`` beside the rule-only extractor and the naive
    verb rule, overall, per genre and per level; and the learning curve."""
    settings = models.settings
    systems = {
        "learned": predict_documents(models, test),
        "rules": rule_only(test),
        "naive_verbs": naive_verb_rule(test, settings.naive_verbs),
    }
    report = {name: score_decided(test, decided) for name, decided in systems.items()}
    report["per_genre"] = {name: breakdown(test, decided, lambda d: d.gold.genre) for name, decided in systems.items()}
    report["per_level"] = {name: breakdown(test, decided, lambda d: d.gold.level) for name, decided in systems.items()}
    if curve and train:
        report["learning_curve"] = learning_curve(train, test, settings, models.metadata["chosen"])
    return report


# ---------------------------------------------------------------- alignment on the gold pairs


def score_pairs(pairs: Sequence[dict], similarity: MeasureSimilarity) -> np.ndarray:
    """Combined similarity of each annotated pair."""
    va = similarity.vectors([p["a"]["text"] for p in pairs])
    vb = similarity.vectors([p["b"]["text"] for p in pairs])
    word = np.asarray(va[0].multiply(vb[0]).sum(axis=1)).ravel()
    char = np.asarray(va[1].multiply(vb[1]).sum(axis=1)).ravel()
    return similarity.combine_cosines(word, char)


def _pair_scores(scores: np.ndarray, gold: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold
    tp = int(np.sum(predicted & gold))
    fp = int(np.sum(predicted & ~gold))
    fn = int(np.sum(~predicted & gold))
    r = prf(tp, tp + fp, tp + fn)
    return {"precision": round(r.precision, 4), "recall": round(r.recall, 4), "f1": round(r.f1, 4), "n": len(gold), "tp": tp, "fp": fp, "fn": fn}


def evaluate_pairs(
    pairs: Sequence[dict],
    threshold: float | None = None,
    *,
    corpus: Sequence[str] | None = None,
    settings: AlignmentSettings | None = None,
) -> dict:
    """Precision, recall and F1 of "similarity ≥ threshold" against the ``same`` labels.

    The TF-IDF is fitted on ``corpus`` (the measure texts of a run) when given, as
    in a real run; otherwise on the texts of the pairs themselves.
    """
    settings = settings or load_alignment_settings()
    threshold = settings.threshold if threshold is None else threshold
    if not pairs:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n": 0, "tp": 0, "fp": 0, "fn": 0, "threshold": threshold}
    texts = list(corpus) if corpus else [t for p in pairs for t in (p["a"]["text"], p["b"]["text"])]
    similarity = build_similarity(texts, settings)
    scores = score_pairs(pairs, similarity)
    gold = np.array([p["same"] for p in pairs], dtype=bool)
    return {**_pair_scores(scores, gold, threshold), "threshold": threshold}


def tune_alignment(
    pairs: Sequence[dict],
    corpus: Sequence[str],
    *,
    word_weights: Sequence[float] = tuple(round(w * 0.1, 1) for w in range(11)),
    thresholds: Sequence[float] = tuple(round(t * 0.01, 2) for t in range(5, 96)),
    char_ngram_range: tuple[int, int] = (2, 3),
) -> list[dict]:
    """Every (combination, threshold) scored on the pairs, best F1 first.

    How ``alignment.yaml`` was chosen; run again when the annotated pairs grow.
    """
    gold = np.array([p["same"] for p in pairs], dtype=bool)
    results = []
    options = [("weighted", w) for w in word_weights] + [("max", 0.5)]
    base = MeasureSimilarity("weighted", 0.5, char_ngram_range).fit(corpus)
    va = base.vectors([p["a"]["text"] for p in pairs])
    vb = base.vectors([p["b"]["text"] for p in pairs])
    word = np.asarray(va[0].multiply(vb[0]).sum(axis=1)).ravel()
    char = np.asarray(va[1].multiply(vb[1]).sum(axis=1)).ravel()
    for method, weight in options:
        base.combine, base.word_weight = method, weight
        scores = base.combine_cosines(word, char)
        for threshold in thresholds:
            results.append({"combine": method, "word_weight": weight, "threshold": threshold, **_pair_scores(scores, gold, threshold)})
    results.sort(key=lambda r: (-r["f1"], -r["precision"], r["threshold"]))
    return results
