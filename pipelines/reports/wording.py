"""The report's words: ``pipelines/templates/report.yaml``, read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pydantic import PositiveInt

from extractors.knowledge import DataError, Schema, Text, load_yaml, validate
from pipelines.reports.summary import UNKNOWN

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
DEFAULT_WORDING_PATH = TEMPLATES_DIR / "report.yaml"
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
            raise DataError(
                self.path, self.lines.get(f"sentences.{key}"), f"句式 {key} 无法填入：{exc!r}（可用的名字：{', '.join(sorted(values))}）"
            ) from exc


class _Checked(dict):
    """A wording section whose missing key names the file and the key."""

    def __init__(self, data: Mapping, name: str, path: str, line: int | None):
        super().__init__(data)
        self._name, self._path, self._line = name, path, line

    def __missing__(self, key):
        raise DataError(self._path, self._line, f"{self._name} 中缺少 “{key}”")


class _WordingSettings(Schema):
    examples_per_class: PositiveInt
    examples_per_relation: PositiveInt
    top_bodies: PositiveInt
    min_example_chars: PositiveInt
    context_chars: PositiveInt
    chart_dpi: PositiveInt
    docx_body_font: Text
    docx_heading_font: Text
    class_colours: tuple[Text, ...]


class _WordingFile(Schema):
    title: str
    subtitle: str
    settings: _WordingSettings
    headings: dict[str, Any]
    labels: dict[str, Any]
    columns: dict[str, Any]
    fields: dict[str, Any]
    comparison_fields: dict[str, Any]
    sheets: dict[str, Any]
    charts: dict[str, Any]
    sentences: dict[str, Any]
    review: dict[str, Any]
    docx: dict[str, Any]


def load_wording(path: str | Path = DEFAULT_WORDING_PATH) -> Wording:
    """Read and check ``report.yaml``: every section present, settings numbers positive."""
    path = str(path)
    tree = load_yaml(path)
    data = validate(tree, _WordingFile, path).model_dump()
    lines: dict[str, int] = {}
    for key, section in tree.items():
        lines[key] = tree.line_of(key)
        for item in section if isinstance(section, dict) else ():
            lines[f"{key}.{item}"] = section.line_of(item)
    checked = {k: _Checked(v, k, path, lines.get(k)) if isinstance(v, dict) else v for k, v in data.items()}
    return Wording(checked, path, lines)
