"""Confidence that means what it says.

The classifier's scores are mixed across a sentence and normalised over many
classes, which flattens them: measures scored 0.7 were right far more often than
70 % of the time. One temperature, fitted on out-of-fold scores of documents from
places the model did not see, sharpens or softens every score the same way
(``p ** (1 / T)``, renormalised), so ranks and the chosen class never change. The
review threshold is then read off the same scores for a stated precision.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["sharpen", "fit_temperature", "calibration_error", "reliability_table", "review_threshold", "review_share"]

TEMPERATURES = tuple(float(t) for t in np.round(np.geomspace(0.2, 3.0, 41), 4))


def sharpen(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Rows raised to ``1 / temperature`` and renormalised; 1.0 leaves them as they are."""
    if temperature == 1.0 or not len(probabilities):
        return probabilities
    powered = np.power(np.clip(probabilities, 1e-12, 1.0), 1.0 / temperature)
    return powered / powered.sum(axis=1, keepdims=True)


def fit_temperature(probabilities: np.ndarray, labels: Sequence[int]) -> float:
    """The temperature of ``TEMPERATURES`` with the least log loss on these rows
    (``labels``: the gold class's column per row)."""
    labels = np.asarray(labels)
    rows = np.arange(len(labels))
    best, best_loss = 1.0, np.inf
    for t in TEMPERATURES:
        loss = -np.mean(np.log(np.clip(sharpen(probabilities, t)[rows, labels], 1e-12, 1.0)))
        if loss < best_loss - 1e-12:
            best, best_loss = t, loss
    return best


def reliability_table(
    confidence: Sequence[float], correct: Sequence[bool], edges: Sequence[float] = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
) -> list[dict]:
    """Per confidence band: how many measures, their mean confidence and the share right."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    rows = []
    for low, high in zip(edges, edges[1:]):
        inside = (confidence >= low) & (confidence < high)
        n = int(inside.sum())
        rows.append({
            "band": f"{low:.1f}–{min(high, 1.0):.1f}",
            "n": n,
            "mean_confidence": round(float(confidence[inside].mean()), 3) if n else None,
            "accuracy": round(float(correct[inside].mean()), 3) if n else None,
        })
    return rows


def calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: over ten equal-width confidence bins, the mean gap
    between confidence and accuracy, weighted by the share of measures in the bin."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    if not len(confidence):
        return 0.0
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    gap = sum(abs(confidence[which == b].mean() - correct[which == b].mean()) * (which == b).sum() for b in range(bins) if (which == b).any())
    return round(float(gap / len(confidence)), 4)


def review_threshold(confidence: Sequence[float], correct: Sequence[bool], precision: float) -> float:
    """The lowest confidence t such that the measures scored t or more are right at
    ``precision`` or better; 1.0 when no t reaches it (everything is reviewed)."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    if not len(confidence):
        return 1.0
    order = np.argsort(-confidence, kind="stable")
    ordered = confidence[order]
    shares = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    # only cut between distinct confidences: a threshold keeps all of a tie or none
    boundary = np.append(ordered[1:] < ordered[:-1], True)
    ok = np.nonzero((shares >= precision) & boundary)[0]
    return round(float(ordered[ok[-1]]), 4) if len(ok) else 1.0


def review_share(confidence: Sequence[float], threshold: float) -> float:
    """The share of measures below ``threshold``: those marked for review."""
    confidence = np.asarray(confidence, dtype=float)
    return round(float((confidence < threshold).mean()), 4) if len(confidence) else 0.0
