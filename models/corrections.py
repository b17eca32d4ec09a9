"""Analysts' corrections to the catalogue, kept outside the code.

``corrections.yaml`` is a mapping from ``measure_id`` to what the analyst changed::

    # 纠错文件：键为目录中的 measure_id
    m_3f2a9c1d0b7e:
      category: MEMBERS          # 改正类别（类别代码，见 taxonomy.yaml）
      status: REQUIRED           # 改正约束强度
      bodies: [政协委员]          # 改正责任主体（规范名称）
      text: 建立委员履职档案      # 可选：举措原文，供阅读，也作为训练样本
      note: 原判为制度建设
    m_77c0e5a2d411:
      reject: true               # 不是举措：在目录中标记 rejected，不删除

An entry that changes nothing (only a note) confirms the row as reviewed.
Applying them marks the rows ``corrected: True``; rejected rows stay in the
catalogue flagged ``rejected: True`` so the analyst can still see and undo them.
Corrections with a category and a text also become training items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Iterable, Literal, Sequence

from pydantic import BeforeValidator, ValidationInfo, field_validator

from extractors.knowledge import DataError, Problem, Schema, Text, load_yaml, raise_on_errors, validate
from extractors.types import STATUSES, Body, CatalogueEntry

CORRECTION_KEYS = ("category", "status", "bodies", "reject", "note", "text", "object", "heading")
_LIST_SPLIT = re.compile(r"[、,，;；/\n]+")
_TRUE_WORDS = {"true", "yes", "y", "1", "x", "√", "✓", "是", "拒绝", "不是举措"}

__all__ = [
    "Correction",
    "STATUSES",
    "load_corrections",
    "read_corrections_xlsx",
    "apply_corrections",
]


@dataclass(frozen=True)
class Correction:
    measure_id: str
    category: str | None = None
    status: str | None = None
    bodies: tuple[str, ...] | None = None
    reject: bool = False
    note: str | None = None
    text: str | None = None
    object: str | None = None
    heading: str | None = None
    confirmed: str | None = None  # the class an analyst accepted as it was (a review's 接受)
    path: str = ""
    line: int | None = None


def _as_text(value):
    return None if value is None else str(value)


class _Entry(Schema):
    """What one correction may change; absent keys change nothing."""

    category: Text | None = None
    status: Literal[STATUSES] | None = None
    bodies: tuple[Text, ...] | None = None
    reject: bool = False
    note: Annotated[str | None, BeforeValidator(_as_text)] = None
    text: Annotated[str | None, BeforeValidator(_as_text)] = None
    object: Annotated[str | None, BeforeValidator(_as_text)] = None
    heading: Annotated[str | None, BeforeValidator(_as_text)] = None

    @field_validator("bodies", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return (value,) if isinstance(value, str) else value

    @field_validator("bodies")
    @classmethod
    def _stripped(cls, value):
        return None if value is None else tuple(b.strip() for b in value)

    @field_validator("category")
    @classmethod
    def _known(cls, value, info: ValidationInfo):
        known = (info.context or {}).get("codes")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"未知的类别 “{value}”")
        return value


def _context(codes: Iterable[str] | None) -> dict:
    return {"codes": None if codes is None else set(codes)}


def load_corrections(path: str | Path, *, codes: Iterable[str] | None = None) -> list[Correction]:
    """Read ``corrections.yaml``; raise ``DataError`` (file and line) on errors.

    With ``codes`` (the taxonomy's class codes), an unknown category is an error.
    An empty file means no corrections.
    """
    path = str(path)
    data = load_yaml(path)
    if data is None:
        return []
    entries = validate(data, dict[str, _Entry], path, context=_context(codes))
    return [
        Correction(measure_id=str(measure_id), path=path, line=data.line_of(measure_id), **entry.model_dump(exclude_unset=True))
        for measure_id, entry in entries.items()
    ]


def read_corrections_xlsx(path: str | Path, *, codes: Iterable[str] | None = None) -> list[Correction]:
    """Corrections from the first sheet of a workbook whose header row names the
    columns measure_id, category, status, bodies, reject (note, text optional).

    Blank cells change nothing; bodies are separated by 、 , ； or new lines;
    reject accepts true/yes/1/x/是. Problems name the sheet row.
    """
    from openpyxl import load_workbook

    path = str(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip().lower() if c is not None else "" for c in next(rows, ())]
    problems: list[Problem] = []
    if "measure_id" not in header:
        raise DataError(path, 1, "表头缺少 measure_id 列")
    for name in header:
        if name and name != "measure_id" and name not in CORRECTION_KEYS:
            problems.append(Problem(path, 1, f"未知的列 “{name}”"))
    context = _context(codes)
    corrections: list[Correction] = []
    seen: dict[str, int] = {}
    for row_number, cells in enumerate(rows, start=2):
        record = {name: cell for name, cell in zip(header, cells) if name}
        measure_id = str(record.pop("measure_id") or "").strip()
        values = {k: v for k, v in record.items() if k in CORRECTION_KEYS and v not in (None, "")}
        if not measure_id:
            if values:
                problems.append(Problem(path, row_number, "缺少 measure_id"))
            continue
        if measure_id in seen:
            problems.append(Problem(path, row_number, f"{measure_id}：重复（第 {seen[measure_id]} 行已有）"))
            continue
        seen[measure_id] = row_number
        if "bodies" in values:
            values["bodies"] = [b.strip() for b in _LIST_SPLIT.split(str(values["bodies"])) if b.strip()]
        if "reject" in values:
            values["reject"] = values["reject"] is True or str(values["reject"]).strip().lower() in _TRUE_WORDS
        for key in ("category", "status"):
            if key in values:
                values[key] = str(values[key]).strip()
        try:
            entry = validate(values, _Entry, path, context=context, line=row_number)
        except DataError as exc:
            problems.extend(Problem(p.path, p.line, f"{measure_id}：{p.message}") for p in exc.problems)
            continue
        corrections.append(Correction(measure_id=measure_id, path=path, line=row_number, **entry.model_dump(exclude_unset=True)))
    workbook.close()
    raise_on_errors(problems)
    return corrections


def apply_corrections(
    entries: Sequence[CatalogueEntry], corrections: Iterable[Correction]
) -> tuple[list[CatalogueEntry], list[str]]:
    """Return corrected copies of ``entries`` and the measure_ids no entry has.

    Changed entries get ``corrected``; the model's class is kept as
    ``predicted_category`` when the category changes. Rejected entries are kept and
    flagged ``rejected``.
    """
    by_id = {c.measure_id: c for c in corrections}
    present = set()
    result: list[CatalogueEntry] = []
    for entry in entries:
        correction = by_id.get(entry.measure_id)
        if correction is not None:
            present.add(correction.measure_id)
            changes: dict = {"corrected": True}
            if correction.confirmed is not None and correction.category is None:
                changes["needs_review"] = False
            if correction.category is not None:
                if entry.category != correction.category and entry.predicted_category is None:
                    changes["predicted_category"] = entry.category
                changes["category"] = correction.category
                changes["needs_review"] = False
            if correction.status is not None:
                changes["status"] = correction.status
            if correction.bodies is not None:
                changes["bodies"] = _corrected_bodies(entry.bodies, correction.bodies)
            if correction.reject:
                changes["rejected"] = True
            if correction.note:
                changes["correction_note"] = correction.note
            entry = replace(entry, **changes)
        result.append(entry)
    unmatched = [measure_id for measure_id in by_id if measure_id not in present]
    return result, unmatched


def _corrected_bodies(current: Sequence[Body], names: tuple[str, ...]) -> tuple[Body, ...]:
    """A body the entry already has is kept as it is; a new name is a body without a span."""
    existing = {b.canonical: b for b in current}
    return tuple(existing.get(name) or Body(None, None, name, name, None, True) for name in names)
