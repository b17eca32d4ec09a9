"""Scores of the catalogue classification against gold labels."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from models.classifier import Classification, ClassifierInput

__all__ = ["classification_report", "compare_on_gold", "evaluate_heldout", "cross_validate_by_file"]


def classification_report(pairs: Iterable[tuple[str, str]]) -> dict:
    """Accuracy, macro-F1 over the classes present in gold, per-class precision,
    recall, F1 and support, and a confusion table ``confusion[gold][predicted]``.

    A class that is predicted but absent from gold still gets a per-class row
    (precision only) but does not enter the macro average.
    """
    pairs = [(str(g), str(p)) for g, p in pairs]
    gold_classes = sorted({g for g, _ in pairs})
    all_classes = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    confusion: dict[str, dict[str, int]] = {}
    for gold, predicted in pairs:
        confusion.setdefault(gold, {})
        confusion[gold][predicted] = confusion[gold].get(predicted, 0) + 1
    per_class: dict[str, dict] = {}
    for code in all_classes:
        true_positive = sum(1 for g, p in pairs if g == code and p == code)
        predicted = sum(1 for _, p in pairs if p == code)
        support = sum(1 for g, _ in pairs if g == code)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[code] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    correct = sum(1 for g, p in pairs if g == p)
    return {
        "n": len(pairs),
        "accuracy": correct / len(pairs) if pairs else 0.0,
        "macro_f1": sum(per_class[c]["f1"] for c in gold_classes) / len(gold_classes) if gold_classes else 0.0,
        "per_class": per_class,
        "confusion": confusion,
    }


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
    from models.training import cue_word_baseline, read_gold_measures

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
    from models.settings import load_settings
    from models.training import TrainingItem, build_training_set, read_gold_measures, train_model

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


def _print_report(name: str, report: dict) -> None:
    print(f"{name}: n={report['n']} accuracy={report['accuracy']:.3f} macro_f1={report['macro_f1']:.3f}")


if __name__ == "__main__":  # python -m models.evaluation [--cv] [gold.jsonl]: train on tune, score heldout
    import sys
    import time
    import warnings

    from models.settings import load_settings
    from models.taxonomy import load_taxonomy
    from models.training import DEFAULT_GOLD_PATH, build_training_set, train_model

    args = [a for a in sys.argv[1:] if a != "--cv"]
    gold_path = args[0] if args else DEFAULT_GOLD_PATH
    taxonomy, settings = load_taxonomy(), load_settings()
    warnings.simplefilter("ignore", UserWarning)
    if "--cv" in sys.argv:
        _print_report("tune, grouped by file", cross_validate_by_file(taxonomy, [gold_path], settings))
    began = time.perf_counter()
    trained = train_model(taxonomy, build_training_set(taxonomy, [gold_path], settings=settings), settings, cross_validate=False)
    print(f"training: {time.perf_counter() - began:.1f} s")
    for name, report in evaluate_heldout(trained, [gold_path]).items():
        _print_report(f"heldout {name}", report)
