"""Classification scores computed by hand on a small table."""

from __future__ import annotations

import pytest

from models.scoring import classification_report

PAIRS = [
    ("MEMBERS", "MEMBERS"),
    ("MEMBERS", "MEMBERS"),
    ("MEMBERS", "STUDY"),
    ("STUDY", "STUDY"),
    ("CONSULTATION", "DIGITAL"),
]


def test_evaluation_report_accuracy_and_per_class():
    report = classification_report(PAIRS)
    assert report["n"] == 5
    assert report["accuracy"] == pytest.approx(3 / 5)
    members = report["per_class"]["MEMBERS"]
    assert (members["precision"], members["recall"], members["support"]) == (1.0, pytest.approx(2 / 3), 3)
    assert members["f1"] == pytest.approx(0.8)
    study = report["per_class"]["STUDY"]
    assert (study["precision"], study["recall"], study["f1"]) == (0.5, 1.0, pytest.approx(2 / 3))


def test_evaluation_report_macro_f1_over_gold_classes_only():
    report = classification_report(PAIRS)
    # MEMBERS 0.8, STUDY 2/3, CONSULTATION 0; DIGITAL was only predicted and is left out.
    assert report["macro_f1"] == pytest.approx((0.8 + 2 / 3 + 0.0) / 3)
    assert report["per_class"]["DIGITAL"]["support"] == 0


def test_evaluation_report_confusion_table():
    confusion = classification_report(PAIRS)["confusion"]
    assert confusion == {"MEMBERS": {"MEMBERS": 2, "STUDY": 1}, "STUDY": {"STUDY": 1}, "CONSULTATION": {"DIGITAL": 1}}


def test_evaluation_report_empty():
    assert classification_report([])["accuracy"] == 0.0
