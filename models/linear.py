"""A logistic-regression model over named features, saved as plain JSON.

The learned decisions (is this clause a measure, its status, a document's genre and
level) are linear models over feature strings. Fitting uses scikit-learn; the
fitted weights are kept by feature name, so a saved model is readable text that
diffs, loads without unpickling anything, and scores without importing sklearn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

Features = Mapping[str, float]


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]  # binary models: (negative, positive), one weight column
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per column
    intercept: tuple[float, ...]

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    def _logits(self, features: Features) -> list[float]:
        logits = list(self.intercept)
        for name, value in features.items():
            column = self.weights.get(name)
            if column is not None:
                for k, w in enumerate(column):
                    logits[k] += w * value
        return logits

    def probabilities(self, features: Features) -> dict[str, float]:
        logits = self._logits(features)
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logits[0]))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def predict(self, features: Features) -> str:
        scores = self.probabilities(features)
        return max(self.classes, key=lambda c: scores[c])

    def strongest(self, features: Features, label: str | None = None, k: int = 5) -> tuple[str, ...]:
        """The features that pushed most towards ``label`` (binary: the positive class)."""
        column = 0 if self.binary else self.classes.index(label or self.classes[0])
        contributions = [(self.weights[n][column] * v, n) for n, v in features.items() if n in self.weights]
        if self.binary and label == self.classes[0]:
            contributions = [(-c, n) for c, n in contributions]
        contributions.sort(key=lambda t: (-t[0], t[1]))
        return tuple(f"{n} {c:+.2f}" for c, n in contributions[:k] if c > 0)

    def to_json(self) -> dict:
        return {
            "classes": list(self.classes),
            "intercept": [round(v, 5) for v in self.intercept],
            # weights below 1e-4 change no decision: dropped to keep the file small
            "weights": {n: [round(v, 5) for v in ws] for n, ws in sorted(self.weights.items()) if any(abs(v) >= 1e-4 for v in ws)},
        }

    @classmethod
    def from_json(cls, data: Mapping) -> "LinearModel":
        return cls(tuple(data["classes"]), {n: tuple(ws) for n, ws in data["weights"].items()}, tuple(data["intercept"]))


def fit_linear(examples: Sequence[Features], labels: Sequence[str], *, c: float = 1.0, balanced: bool = False) -> LinearModel:
    """Fit a (multinomial) logistic regression; deterministic for the same input."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([dict(e) for e in examples])
    classes = sorted(set(labels))
    if len(classes) == 1:  # nothing to learn: a constant model
        return LinearModel((classes[0], classes[0]), {}, (50.0,))
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None, solver="lbfgs")
    model.fit(matrix, list(labels))
    names = vectorizer.get_feature_names_out()
    coef = model.coef_
    weights = {str(n): tuple(float(coef[k][j]) for k in range(coef.shape[0])) for j, n in enumerate(names)}
    return LinearModel(tuple(str(c) for c in model.classes_), weights, tuple(float(v) for v in model.intercept_))


def save_models(path: Path, models: Mapping[str, LinearModel], metadata: Mapping) -> None:
    """Every model and its metadata in one JSON file, written whole or not at all."""
    dump = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)  # noqa: E731
    # one line per feature: a retrained model diffs feature by feature
    lines = ["{", f'"metadata": {dump(dict(metadata))},', '"models": {']
    for k, (name, model) in enumerate(sorted(models.items())):
        data = model.to_json()
        lines.append(f'{dump(name)}: {{"classes": {dump(data["classes"])}, "intercept": {dump(data["intercept"])}, "weights": {{')
        weights = list(data["weights"].items())
        lines += [f"{dump(n)}: {dump(w)}{',' if i + 1 < len(weights) else ''}" for i, (n, w) in enumerate(weights)]
        lines.append("}}" + ("," if k + 1 < len(models) else ""))
    lines += ["}", "}"]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def load_models(path: Path) -> tuple[dict[str, LinearModel], dict]:
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        return {name: LinearModel.from_json(m) for name, m in payload["models"].items()}, payload["metadata"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{path}: not a model file: {exc}") from exc
