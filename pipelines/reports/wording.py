"""The report's words: ``pipelines/templates/report.yaml``, read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from models.problems import DataFileError, Problem, compose_mapping, line_of, mapping_items, value_of
from pipelines.reports.summary import UNKNOWN

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
DEFAULT_WORDING_PATH = TEMPLATES_DIR / "report.yaml"
WORDING_SECTIONS = ("title", "subtitle", "settings", "headings", "labels", "columns", "fields", "sheets", "charts", "sentences")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")



# ---------------------------------------------------------------- wording


@dataclass(frozen=True)
class Wording:
    """The report's words, read from ``report.yaml``; a missing key or a sentence that
    cannot be filled is reported with the file and line."""

    data: Mapping[str, Any]
    path: str
    lines: Mapping[str, int]  # "section.key" -> line

    def section(self, name: str) -> Mapping[str, Any]:
        return self.data[name]

    @property
    def labels(self) -> Mapping[str, Any]:
        return self.section("labels")

    @property
    def settings(self) -> Mapping[str, Any]:
        return self.data["settings"]

    def heading(self, key: str) -> str:
        return self.section("headings")[key]

    def label(self, group: str, key: str | None) -> str:
        key = key or UNKNOWN
        return str(self.labels[group].get(key, key))

    def fill(self, key: str, **values) -> str:
        # YAML folds a long sentence's line breaks into spaces; between Chinese characters they go
        template = _CJK_GAP.sub("", " ".join(str(self.section("sentences")[key]).split()))
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise DataFileError(
                [Problem(self.path, self.lines.get(f"sentences.{key}"), "error", f"句式 {key} 无法填入：{exc!r}（可用的名字：{', '.join(sorted(values))}）")]
            ) from exc


class _Checked(dict):
    """A wording section whose missing key names the file and the key."""

    def __init__(self, data: Mapping, name: str, path: str, line: int | None):
        super().__init__(data)
        self._name, self._path, self._line = name, path, line

    def __missing__(self, key):
        raise DataFileError([Problem(self._path, self._line, "error", f"{self._name} 中缺少 “{key}”")])


def load_wording(path: str | Path = DEFAULT_WORDING_PATH) -> Wording:
    """Read and check ``report.yaml``: every section present, settings numbers positive."""
    path = str(path)
    root = compose_mapping(path)
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, key_node, node in mapping_items(root):
        lines[key] = line_of(key_node)
        if key not in WORDING_SECTIONS:
            problems.append(Problem(path, line_of(key_node), "error", f"未知的键 “{key}”（可用：{', '.join(WORDING_SECTIONS)}）"))
            continue
        data[key] = value_of(node)
        if hasattr(node, "value") and isinstance(node.value, list):
            for item in node.value:
                if isinstance(item, tuple):
                    lines[f"{key}.{item[0].value}"] = line_of(item[0])
    for key in WORDING_SECTIONS:
        if key not in data:
            problems.append(Problem(path, None, "error", f"缺少 “{key}”"))
        elif key not in ("title", "subtitle") and not isinstance(data[key], dict):
            problems.append(Problem(path, lines.get(key), "error", f"“{key}” 应为映射"))
    for key, value in (data.get("settings") or {}).items():
        if key.startswith("docx_"):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(path, lines.get(f"settings.{key}"), "error", f"settings.{key} 应为正整数"))
    if problems:
        raise DataFileError(problems)
    checked = {k: _Checked(v, k, path, lines.get(k)) if isinstance(v, dict) else v for k, v in data.items()}
    return Wording(checked, path, lines)
