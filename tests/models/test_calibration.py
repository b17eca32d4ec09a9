"""Confidences that mean what they say: temperature, reliability, the review threshold."""

from __future__ import annotations

import numpy as np
import pytest

from models.calibration import calibration_error, fit_temperature, reliability_table, review_share, review_threshold, sharpen


def test_calibration_sharpen_keeps_the_ranking_and_the_rows_distributions():
    rows = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    for t in (0.5, 1.0, 2.0):
        out = sharpen(rows, t)
        assert np.allclose(out.sum(axis=1), 1.0)
        assert (out.argmax(axis=1) == rows.argmax(axis=1)).all()
    assert sharpen(rows, 0.5)[0, 0] > rows[0, 0] > sharpen(rows, 2.0)[0, 0]


def test_calibration_temperature_undoes_a_flattening():
    # scores that are right far more often than they say: a temperature below 1 sharpens them
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 400)
    sharp = np.full((400, 4), 0.02)
    sharp[np.arange(400), labels] = 0.94
    flat = sharpen(sharp, 3.0)
    t = fit_temperature(flat, labels)
    assert t < 1.0
    before = calibration_error(flat.max(axis=1), np.ones(400, bool))
    after = calibration_error(sharpen(flat, t).max(axis=1), np.ones(400, bool))
    assert after < before


def test_calibration_review_threshold_for_a_stated_precision():
    confidence = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4]
    correct = [True, True, True, False, True, False, False, True]
    # 0.95..0.7: 4 of 5 right (0.8); 0.95..0.85: 3 of 3
    assert review_threshold(confidence, correct, 0.8) == 0.7
    assert review_threshold(confidence, correct, 0.9) == 0.85
    assert review_threshold(confidence, [False] * 8, 0.5) == 1.0  # nothing reaches it: review all
    assert review_share(confidence, 0.7) == pytest.approx(3 / 8)


def test_calibration_review_threshold_never_cuts_a_tie():
    # two measures at 0.8, one right: a threshold keeps both or neither
    assert review_threshold([0.9, 0.8, 0.8], [True, True, False], 0.9) == 0.9


def test_calibration_reliability_table_counts_each_band():
    rows = reliability_table([0.1, 0.85, 0.86, 0.95], [False, True, False, True])
    by_band = {r["band"]: r for r in rows}
    assert by_band["0.8–0.9"] == {"band": "0.8–0.9", "n": 2, "mean_confidence": 0.855, "accuracy": 0.5}
    assert by_band["0.9–1.0"]["n"] == 1 and by_band["0.0–0.2"]["accuracy"] == 0.0
    assert sum(r["n"] for r in rows) == 4
