"""Scores of the catalogue classification against gold labels."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from models.classifier import Classification, ClassifierInput

__all__ = ["classification_report", "compare_on_gold"]


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


if __name__ == "__main__":  # python -m models.evaluation [gold.jsonl]: train on tune, score heldout
    import sys
    import time

    from models.taxonomy import load_taxonomy
    from models.training import DEFAULT_GOLD_PATH, build_training_set, train_model

    gold_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GOLD_PATH
    taxonomy = load_taxonomy()
    began = time.perf_counter()
    trained = train_model(taxonomy, build_training_set(taxonomy, [gold_path]))
    print(f"training with cross-validation: {time.perf_counter() - began:.1f} s "
          f"(fit {trained.metadata['fit_seconds']} s), cv {trained.metadata['cross_validation']}")
    for name, report in evaluate_heldout(trained, [gold_path]).items():
        print(f"{name}: n={report['n']} accuracy={report['accuracy']:.3f} macro_f1={report['macro_f1']:.3f}")
