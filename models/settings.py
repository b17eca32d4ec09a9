"""Tunable numbers of the classifier, read from ``settings.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path


from models.problems import Problem, compose_mapping, line_of, mapping_items, raise_on_errors, value_of

DEFAULT_SETTINGS_PATH = Path(__file__).with_name("settings.yaml")

_WEIGHT_KEYS = {
    "feature_weights": ("text_words", "object_words", "heading_words", "path_words", "sentence_words", "text_chars"),
    "training_weights": ("example", "cue", "gold", "correction"),
}
_ESTIMATORS = ("logreg", "svm")


@dataclass(frozen=True)
class Settings:
    review_threshold: float
    secondary_threshold: float
    secondary_share: float
    feature_weights: dict = field(hash=False)
    training_weights: dict = field(hash=False)
    gold_splits: tuple[str, ...]
    regularization: float
    estimator: str
    calibration_folds: int
    cv_folds: int
    baseline_heading_weight: float
    context_share: float

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load_settings(path: str | Path = DEFAULT_SETTINGS_PATH) -> Settings:
    """Read and validate; raise ``DataFileError`` with file and line on errors."""
    path = str(path)
    root = compose_mapping(path)
    problems: list[Problem] = []
    names = {f.name for f in fields(Settings)}
    values: dict = {}
    for key, key_node, node in mapping_items(root):
        where = line_of(key_node)
        if key not in names:
            problems.append(Problem(path, where, "error", f"未知的键 “{key}”"))
            continue
        value = value_of(node)
        if key in _WEIGHT_KEYS:
            if not isinstance(value, dict) or set(value) != set(_WEIGHT_KEYS[key]):
                problems.append(Problem(path, where, "error", f"{key} 应包含且只包含：{', '.join(_WEIGHT_KEYS[key])}"))
                continue
            if not all(isinstance(v, (int, float)) and v >= 0 for v in value.values()):
                problems.append(Problem(path, where, "error", f"{key} 的权重应为非负数"))
                continue
            value = {k: float(v) for k, v in value.items()}
        elif key == "gold_splits":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(path, where, "error", "gold_splits 应为文字列表"))
                continue
            value = tuple(value)
        elif key == "estimator":
            if value not in _ESTIMATORS:
                problems.append(Problem(path, where, "error", f"estimator 应为 {' 或 '.join(_ESTIMATORS)}"))
                continue
        elif key in ("calibration_folds", "cv_folds"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 2:
                problems.append(Problem(path, where, "error", f"{key} 应为不小于 2 的整数"))
                continue
        else:
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                problems.append(Problem(path, where, "error", f"{key} 应为非负数"))
                continue
            if key.endswith(("threshold", "share")) and value > 1:
                problems.append(Problem(path, where, "error", f"{key} 应在 0 到 1 之间"))
                continue
            value = float(value)
        values[key] = value
    for name in sorted(names - set(values)):
        if not any(p.line and name in p.message for p in problems):
            problems.append(Problem(path, None, "error", f"缺少键 “{name}”"))
    raise_on_errors(problems)
    return Settings(**values)
