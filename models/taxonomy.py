"""The requirement catalogue's classes, read from ``taxonomy.yaml``.

分类表是数据：类别、中文名、定义、线索词和例句都在 YAML 文件里，分析人员编辑文件即可
增删类别或改名；本模块只负责读取和校验，问题连同文件名和行号一起报告。
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator, model_validator

from extractors.knowledge import DataError, Problem, Schema, Text, load_yaml, raise_on_errors, validate

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*$")
MIN_EXAMPLES = 3

__all__ = [
    "Category",
    "Taxonomy",
    "Problem",
    "DataError",
    "load_taxonomy",
    "check_taxonomy",
    "DEFAULT_TAXONOMY_PATH",
]


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    definition: str
    cues: tuple[str, ...]
    examples: tuple[str, ...]
    line: int  # where the class starts in the file


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    path: str
    sha256: str  # of the file's bytes: a model trained on another version retrains
    fallback: str | None = None
    warnings: tuple[Problem, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    @property
    def names(self) -> dict[str, str]:
        """Each class's code and its Chinese name."""
        return {c.code: c.name for c in self.categories}

    def get(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def name_of(self, code: str) -> str:
        try:
            return self.get(code).name
        except KeyError:
            return code


def load_taxonomy(path: str | Path = DEFAULT_TAXONOMY_PATH) -> Taxonomy:
    """Read and validate the taxonomy; raise ``DataError`` listing every error.

    Warnings (such as a cue word shared by two classes) do not stop loading; they
    are kept on ``Taxonomy.warnings``.
    """
    taxonomy, problems = _read(path)
    raise_on_errors(problems)
    assert taxonomy is not None
    return taxonomy


def check_taxonomy(path: str | Path = DEFAULT_TAXONOMY_PATH) -> list[Problem]:
    """All problems of the file, errors and warnings, in file order."""
    _, problems = _read(path)
    return problems


def _word(value):
    # a cue or example written as a bare number is still its text
    return str(value).strip() if isinstance(value, (int, float)) and not isinstance(value, bool) else value.strip() if isinstance(value, str) else value


Word = Annotated[Text, BeforeValidator(_word)]


def _none_is_empty(value):
    return () if value is None else value  # `cues:` left empty


class _Class(Schema):
    code: str
    name: Word
    definition: str = ""  # optional: the class reads the same without it
    cues: Annotated[tuple[Word, ...], BeforeValidator(_none_is_empty)] = ()
    examples: Annotated[tuple[Word, ...], BeforeValidator(_none_is_empty)] = ()

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip()
        if not CODE_PATTERN.match(value):
            raise ValueError(f"类别代码 “{value}” 应由大写字母、数字和下划线组成")
        return value

    @model_validator(mode="after")
    def _recognisable(self):
        if not self.cues and not self.examples:
            raise ValueError(f"{self.code}：既没有线索词也没有例句，无法识别")
        return self


class _TaxonomyFile(Schema):
    classes: tuple[_Class, ...] = Field(min_length=1)
    fallback: str | None = None  # optional: without it an unmatched measure stays unclassified


def _read(path: str | Path) -> tuple[Taxonomy | None, list[Problem]]:
    path = str(path)
    try:
        tree = load_yaml(path)
        if tree is None:
            return None, [Problem(path, None, "文件为空")]
        checked = validate(tree, _TaxonomyFile, path)
    except DataError as exc:
        return None, exc.problems
    problems: list[Problem] = []

    def problem(line: int | None, severity: str, message: str) -> None:
        problems.append(Problem(path, line, message, severity))

    categories: list[Category] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    cue_owner: dict[str, tuple[str, int]] = {}
    for entry, node in zip(checked.classes, tree["classes"]):
        code, name, label = entry.code, entry.name, entry.code
        if code in seen_codes:
            problem(node.line_of("code"), "error", f"类别代码 “{code}” 重复（第 {seen_codes[code]} 行已定义）")
        else:
            seen_codes[code] = node.line_of("code")
        if name in seen_names:
            problem(node.line_of("name"), "warning", f"{label}：类名 “{name}” 与第 {seen_names[name]} 行重复")
        else:
            seen_names[name] = node.line_of("name")
        if len(entry.examples) < MIN_EXAMPLES:
            problem(node.line_of("examples"), "warning", f"{label}：只有 {len(entry.examples)} 条例句，建议至少 {MIN_EXAMPLES} 条")
        cue_lines = node["cues"].item_lines if isinstance(node.get("cues"), list) else []
        seen_here: set[str] = set()
        for cue, cue_line in zip(entry.cues, cue_lines):
            if cue in seen_here:
                problem(cue_line, "warning", f"{label}：线索词 “{cue}” 在本类中重复")
                continue
            seen_here.add(cue)
            owner = cue_owner.get(cue)
            if owner is not None and owner[0] != code:
                problem(cue_line, "warning", f"线索词 “{cue}” 同时属于 {owner[0]}（第 {owner[1]} 行）和 {label}")
            else:
                cue_owner[cue] = (code, cue_line)
        categories.append(
            Category(
                code=code,
                name=name,
                definition=entry.definition.strip(),
                cues=tuple(dict.fromkeys(entry.cues)),
                examples=tuple(dict.fromkeys(entry.examples)),
                line=node.line,
            )
        )

    fallback = (checked.fallback or "").strip() or None
    if fallback and fallback not in seen_codes:
        problem(tree.line_of("fallback"), "error", f"fallback 指向不存在的类别 “{fallback}”")

    problems.sort(key=lambda p: p.line or 0)
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    taxonomy = Taxonomy(
        categories=tuple(categories),
        path=path,
        sha256=digest,
        fallback=fallback,
        warnings=tuple(p for p in problems if p.severity == "warning"),
    )
    return taxonomy, problems


if __name__ == "__main__":  # python -m models.taxonomy [path]
    import sys

    found = check_taxonomy(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_TAXONOMY_PATH)
    for p in found:
        print(p)
    sys.exit(1 if any(p.severity == "error" for p in found) else 0)
