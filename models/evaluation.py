"""How well each model does on the gold standard, by the rules of ``models.scoring``.

The catalogue classifier beside the cue-word baseline (held-out measures, and
cross-validation grouped by file); the learned decisions beside the rule-only
extractor and a naive verb rule (overall, per genre, per level, learning curve);
the alignment's threshold on the gold measure pairs. ``policycat evaluate``
(``pipelines/evaluate.py``) prints these figures and scores a run's outputs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from typing import Callable, Sequence

import numpy as np

from extractors.types import DocumentResult
from models.alignment import AlignmentSettings, MeasureSimilarity, build_similarity, load_alignment_settings
from models.classifier import Classification, ClassifierInput
from models.decision_features import DecisionSettings, fold
from models.decision_training import FIT_SETTINGS, AnalysedDocument, fit_decisions, predict_documents
from models.decisions import DecisionModels
from models.scoring import SEEDS_GOLD, classification_report, match_spans, predicted_span, prf, score_documents, score_measures
from models.settings import load_settings
from models.training import TrainingItem, build_training_set, cue_word_baseline, read_gold_measures, train_model

__all__ = [
    "compare_on_gold",
    "evaluate_heldout",
    "evaluate_classes",
    "cross_validate_by_file",
    "score_decided",
    "evaluate_decisions",
    "score_pairs",
    "evaluate_pairs",
    "tune_alignment",
]


# ---------------------------------------------------------------- the catalogue classifier


def compare_on_gold(
    classifiers: dict[str, Callable[[Sequence[ClassifierInput]], list[Classification]]],
    inputs: Sequence[ClassifierInput],
    gold_labels: Sequence[str],
) -> dict[str, dict]:
    """One report per named classifier over the same gold measures (side by side)."""
    return {
        name: classification_report(zip(gold_labels, [c.category for c in classify(list(inputs))]))
        for name, classify in classifiers.items()
    }


def evaluate_heldout(model, gold_paths: Sequence, *, splits: Sequence[str] = ("heldout",)) -> dict[str, dict]:
    """The model (a ``TrainedModel``) beside the cue-word baseline on the gold
    measures of ``splits`` whose class the taxonomy knows."""
    gold = [g for g in read_gold_measures(gold_paths, splits=splits) if g.category in model.taxonomy.codes]
    baseline = cue_word_baseline(model.taxonomy, model.settings)
    return compare_on_gold(
        {"model": model.classify, "cue_word_baseline": lambda items: [baseline(i) for i in items]},
        [g.as_input() for g in gold],
        [g.category for g in gold],
    )


def cross_validate_by_file(taxonomy, gold_paths: Sequence, settings=None, *, splits: Sequence[str] = ("tune",)) -> dict:
    """Grouped cross-validation on the gold measures of ``splits``: each fold leaves
    out one source file and trains on the taxonomy and the other files, as a new
    document meets a model trained without it. One report over all folds' predictions."""
    settings = settings or load_settings()
    gold = [g for g in read_gold_measures(gold_paths, splits=splits) if g.category in taxonomy.codes and g.text]
    base = build_training_set(taxonomy, (), settings=settings)
    weight = settings.training_weights["gold"]
    pairs: list[tuple[str, str]] = []
    for source in sorted({g.source_path for g in gold}):
        rest = [TrainingItem(g.as_input(), g.category, weight, "gold") for g in gold if g.source_path != source]
        left_out = [g for g in gold if g.source_path == source]
        model = train_model(taxonomy, base + rest, settings, cross_validate=False)
        pairs.extend(zip([g.category for g in left_out], model.predict([g.as_input() for g in left_out])))
    return classification_report(pairs)


def evaluate_classes(
    model,
    test: Sequence[AnalysedDocument],
    decisions: DecisionModels | None = None,
    *,
    review_precision: float | None = None,
) -> dict:
    """The classifier (a ``TrainedModel``) beside the cue-word baseline on the gold
    documents ``test``: on the measures a run extracts there and matches to gold
    (``matched``, what the catalogue's readers get) and on the gold spans themselves
    (``gold_spans``, extraction set aside). Each with per-class scores, the confusion
    table, per-genre figures, the reliability of the confidences and the share
    marked for review."""
    from models.class_data import gold_classified, measure_inputs

    baseline = cue_word_baseline(model.taxonomy, model.settings)
    threshold = model.settings.review_threshold
    report: dict = {"review_threshold": threshold, "review_precision": review_precision}

    gold = gold_classified(test, model.taxonomy.codes)
    inputs = [g.input for g in gold]
    report["gold_spans"] = _class_figures(
        [g.label for g in gold], model.classify(inputs), [baseline(i) for i in inputs], [g.genre for g in gold], threshold
    )
    if decisions is not None:
        labels, predicted, cue, genres = [], [], [], []
        for d, decided in zip(test, predict_documents(decisions, test)):
            measures = list(decided.measures)
            inputs = measure_inputs(decided, d.source.text)
            classified = model.classify(inputs) if inputs else []
            known = [m for m in d.gold.measures if m.category in model.taxonomy.codes]
            for i, j in match_spans(known, [predicted_span(m) for m in measures]):
                labels.append(known[i].category)
                predicted.append(classified[j])
                cue.append(baseline(inputs[j]))
                genres.append(d.gold.genre or d.gold.doc_type or "")
        report["matched"] = _class_figures(labels, predicted, cue, genres, threshold)
    return report


def _class_figures(labels: Sequence[str], predicted: Sequence[Classification], cue: Sequence[Classification], genres: Sequence[str], threshold: float) -> dict:
    from models.class_tuning import reliability_table, review_share

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
        "per_genre": per_genre,
        "reliability": reliability_table(confidence, correct),
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


def _print_report(name: str, report: dict) -> None:
    print(f"{name}: n={report['n']} accuracy={report['accuracy']:.3f} macro_f1={report['macro_f1']:.3f}")


if __name__ == "__main__":  # python -m models.evaluation [--cv] [gold.jsonl]: train on tune, score heldout
    import sys
    import time
    import warnings

    from models.taxonomy import load_taxonomy

    args = [a for a in sys.argv[1:] if a != "--cv"]
    gold_path = args[0] if args else SEEDS_GOLD
    taxonomy, settings = load_taxonomy(), load_settings()
    warnings.simplefilter("ignore", UserWarning)
    if "--cv" in sys.argv:
        _print_report("tune, grouped by file", cross_validate_by_file(taxonomy, [gold_path], settings))
    began = time.perf_counter()
    trained = train_model(taxonomy, build_training_set(taxonomy, [gold_path], settings=settings), settings, cross_validate=False)
    print(f"training: {time.perf_counter() - began:.1f} s")
    for name, report in evaluate_heldout(trained, [gold_path]).items():
        _print_report(f"heldout {name}", report)
