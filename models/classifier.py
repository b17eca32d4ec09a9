"""Catalogue classifier: one primary class per measure, secondary classes, scores.

A linear model over the features of ``models.features``. Probabilities are
calibrated with ``CalibratedClassifierCV`` when every class has enough training
items for its folds; otherwise logistic regression's own probabilities are used.

Measures of one sentence usually share a class (`着力抓好社情民意信息工作，发挥…信息员作用，
加强…采编能力建设`), so ``classify`` mixes each measure's scores with the mean scores of
the other measures classified with it in the same sentence (``context_share``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from models.calibration import sharpen
from models.features import ClassifierInput, build_features

__all__ = ["ClassifierInput", "Classification", "CatalogueClassifier", "classification_from_scores", "share_context"]

@dataclass(frozen=True)
class Classification:
    category: str
    scores: dict[str, float] = field(hash=False)
    confidence: float
    secondary: tuple[str, ...] = ()
    needs_review: bool = False
    name: str = ""  # the class's Chinese name as the taxonomy has it now

    def entry_fields(self) -> dict:
        """The catalogue entry's classification fields (``dataclasses.replace`` keywords)."""
        return {
            "category": self.category,
            "category_name": self.name,
            "category_scores": dict(self.scores),
            "confidence": self.confidence,
            "secondary_categories": tuple(self.secondary),
            "needs_review": self.needs_review,
        }


def classification_from_scores(
    scores: Mapping[str, float],
    *,
    review_threshold: float,
    secondary_threshold: float,
    secondary_share: float,
    names: Mapping[str, str] | None = None,
) -> Classification:
    """Primary = top score (ties keep the given class order); secondary = others high
    enough in absolute terms and relative to the top."""
    ordered = sorted(scores.items(), key=lambda kv: -kv[1])  # stable: class order breaks ties
    if not ordered:
        return Classification("", {}, 0.0, (), True)
    top, top_score = ordered[0]
    secondary = tuple(
        code
        for code, score in ordered[1:]
        if score > 0 and score >= secondary_threshold and score >= secondary_share * top_score
    )
    return Classification(
        category=top,
        scores={k: round(float(v), 4) for k, v in scores.items()},
        confidence=round(float(top_score), 4),
        secondary=secondary,
        needs_review=bool(top_score < review_threshold),
        name=(names or {}).get(top, top),
    )


def share_context(probabilities: np.ndarray, inputs: Sequence[ClassifierInput], share: float, section_share: float = 0.0) -> np.ndarray:
    """Each row mixed with the mean row of the other inputs of its sentence and of
    its section: ``(p + share * sentence_others + section_share * section_others) /
    (1 + shares used)``; rows stay distributions. Inputs without a sentence or a
    section key share nothing of that kind."""
    if share <= 0 and section_share <= 0:
        return probabilities
    mixed = probabilities.copy()
    weights = np.ones(len(inputs))
    # the same sentence in two documents is two occurrences: a document's classes do not
    # depend on what else the corpus holds (and can be kept per document between runs)
    sentence = lambda i: (i.document, i.sentence) if i.sentence else None  # noqa: E731
    for key, weight in ((sentence, share), (lambda i: i.section, section_share)):
        if weight <= 0:
            continue
        groups: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(inputs):
            if key(item):
                groups[key(item)].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            total = probabilities[members].sum(axis=0)
            for i in members:
                mixed[i] += weight * (total - probabilities[i]) / (len(members) - 1)
                weights[i] += weight
    return mixed / weights[:, None]


class CatalogueClassifier(BaseEstimator, ClassifierMixin):
    """Fit on ``list[ClassifierInput]`` and class codes.

    Learned: ``features_`` (fitted feature union), ``estimator_``, ``classes_``,
    ``calibrated_`` (whether probabilities come from calibration).
    ``predict_proba`` scores each input alone; ``classify`` also shares scores
    between inputs of one sentence.
    """

    def __init__(
        self,
        feature_weights: Mapping[str, float] | None = None,
        C: float = 4.0,
        estimator: str = "logreg",
        calibration_folds: int | None = None,
        review_threshold: float | None = None,
        secondary_threshold: float | None = None,
        secondary_share: float | None = None,
        random_state: int = 0,
        context_share: float = 0.0,
        section_share: float = 0.0,
        temperature: float = 1.0,
    ):
        self.feature_weights = feature_weights
        self.C = C
        self.estimator = estimator
        self.calibration_folds = calibration_folds
        self.review_threshold = review_threshold
        self.secondary_threshold = secondary_threshold
        self.secondary_share = secondary_share
        self.random_state = random_state
        self.context_share = context_share
        self.section_share = section_share
        self.temperature = temperature  # set by training from out-of-fold scores (models.calibration)

    def _setting(self, name: str):
        """A parameter left as None is the one in ``settings.yaml`` (no second default here)."""
        value = getattr(self, name)
        if value is None:
            from models.settings import load_settings

            value = getattr(load_settings(), name)
        return value

    def _linear(self):
        if self.estimator == "svm":
            return LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state)
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)

    def fit(self, X: Sequence[ClassifierInput], y: Sequence[str], sample_weight=None):
        X = list(X)
        y = np.asarray(list(y))
        if len(X) != len(y):
            raise ValueError(f"{len(X)} inputs but {len(y)} labels")
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.features_ = build_features(self._setting("feature_weights"))
        matrix = self.features_.fit_transform(X)
        labels, counts = np.unique(y, return_counts=True)
        if len(labels) < 2:
            raise ValueError("need at least two classes to train")
        # Calibration needs every class in every fold.
        calibration_folds = self._setting("calibration_folds")
        self.calibrated_ = bool(counts.min() >= calibration_folds)
        if self.calibrated_:
            folds = StratifiedKFold(calibration_folds, shuffle=True, random_state=self.random_state)
            self.estimator_ = CalibratedClassifierCV(self._linear(), method="sigmoid", cv=folds)
        elif self.estimator == "svm":
            self.estimator_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        else:
            self.estimator_ = self._linear()
        self.estimator_.fit(matrix, y, sample_weight=weights)
        self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def predict_proba(self, X: Sequence[ClassifierInput]) -> np.ndarray:
        return self.estimator_.predict_proba(self.features_.transform(list(X)))

    def predict(self, X: Sequence[ClassifierInput]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def classify(
        self,
        X: Sequence[ClassifierInput],
        *,
        class_order: Sequence[str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> list[Classification]:
        """One ``Classification`` per input, scores for every class in ``class_order``."""
        X = list(X)
        if not X:
            return []
        order = list(class_order) if class_order is not None else list(self.classes_)
        index = {code: i for i, code in enumerate(self.classes_)}
        probabilities = sharpen(share_context(self.predict_proba(X), X, self.context_share, self.section_share), self.temperature)
        thresholds = {k: self._setting(k) for k in ("review_threshold", "secondary_threshold", "secondary_share")}
        results = []
        for row in probabilities:
            scores = {code: float(row[index[code]]) if code in index else 0.0 for code in order}
            results.append(
                classification_from_scores(
                    scores,
                    **thresholds,
                    names=names,
                )
            )
        return results
