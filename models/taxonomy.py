"""The requirement catalogue's classes, read from ``taxonomy.yaml``.

分类表是数据：类别、中文名、定义、线索词和例句都在 YAML 文件里，分析人员编辑文件即可
增删类别或改名；本模块只负责读取和校验，问题连同文件名和行号一起报告。
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from models.problems import (
    DataFileError,
    Problem,
    compose_file,
    line_of,
    mapping_items,
    raise_on_errors,
)

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")

TOP_KEYS = {"classes", "fallback"}
CLASS_KEYS = {"code", "name", "definition", "cues", "examples"}
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*$")
MIN_EXAMPLES = 3

__all__ = [
    "Category",
    "Taxonomy",
    "Problem",
    "DataFileError",
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
    """Read and validate the taxonomy; raise ``DataFileError`` listing every error.

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


def _read(path: str | Path) -> tuple[Taxonomy | None, list[Problem]]:
    path = str(path)
    root, problems = compose_file(path)
    if root is None:
        if not problems:
            problems.append(Problem(path, None, "error", "文件为空"))
        return None, problems

    def problem(node: yaml.Node | None, severity: str, message: str) -> None:
        problems.append(Problem(path, line_of(node) if node is not None else None, severity, message))

    if not isinstance(root, yaml.MappingNode):
        problem(root, "error", "顶层应为映射（包含 classes: 列表）")
        return None, problems

    classes_node = None
    fallback_node = None
    for key, key_node, value in mapping_items(root):
        if key == "classes":
            classes_node = value
        elif key == "fallback":
            fallback_node = value
        else:
            problem(key_node, "error", f"未知的键 “{key}”（允许：{', '.join(sorted(TOP_KEYS))}）")
    if classes_node is None:
        problem(root, "error", "缺少 classes: 类别列表")
        return None, _sorted(problems)
    if not isinstance(classes_node, yaml.SequenceNode):
        problem(classes_node, "error", "classes 应为列表")
        return None, _sorted(problems)

    categories: list[Category] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    cue_owner: dict[str, tuple[str, int]] = {}
    for class_node in classes_node.value:
        if not isinstance(class_node, yaml.MappingNode):
            problem(class_node, "error", "每个类别应为映射（code、name、cues、examples…）")
            continue
        fields: dict[str, yaml.Node] = {}
        for key, key_node, value in mapping_items(class_node):
            if key not in CLASS_KEYS:
                problem(key_node, "error", f"未知的键 “{key}”（允许：{', '.join(sorted(CLASS_KEYS))}）")
            elif key in fields:
                problem(key_node, "error", f"键 “{key}” 重复")
            else:
                fields[key] = value

        code = _text(fields.get("code"))
        label = code or f"第 {line_of(class_node)} 行的类别"
        if not code:
            problem(fields.get("code", class_node), "error", "缺少类别代码 code")
        elif not CODE_PATTERN.match(code):
            problem(fields["code"], "error", f"类别代码 “{code}” 应由大写字母、数字和下划线组成")
        elif code in seen_codes:
            problem(fields["code"], "error", f"类别代码 “{code}” 重复（第 {seen_codes[code]} 行已定义）")
        else:
            seen_codes[code] = line_of(fields["code"])

        name = _text(fields.get("name"))
        if not name:
            problem(fields.get("name", class_node), "error", f"{label}：缺少中文类名 name")
        elif name in seen_names:
            problem(fields["name"], "warning", f"{label}：类名 “{name}” 与第 {seen_names[name]} 行重复")
        else:
            seen_names[name] = line_of(fields["name"])

        cues = _string_list(fields.get("cues"), "cues", label, problem)
        examples = _string_list(fields.get("examples"), "examples", label, problem)
        if not cues and not examples:
            problem(class_node, "error", f"{label}：既没有线索词也没有例句，无法识别")
        elif len(examples) < MIN_EXAMPLES:
            problem(
                fields.get("examples", class_node),
                "warning",
                f"{label}：只有 {len(examples)} 条例句，建议至少 {MIN_EXAMPLES} 条",
            )

        seen_here: set[str] = set()
        for cue, cue_node in cues:
            if cue in seen_here:
                problem(cue_node, "warning", f"{label}：线索词 “{cue}” 在本类中重复")
                continue
            seen_here.add(cue)
            owner = cue_owner.get(cue)
            if owner is not None and owner[0] != code:
                problem(cue_node, "warning", f"线索词 “{cue}” 同时属于 {owner[0]}（第 {owner[1]} 行）和 {label}")
            else:
                cue_owner[cue] = (code, line_of(cue_node))

        if code and name:
            categories.append(
                Category(
                    code=code,
                    name=name,
                    definition=_text(fields.get("definition")),
                    cues=tuple(dict.fromkeys(c for c, _ in cues)),
                    examples=tuple(dict.fromkeys(e for e, _ in examples)),
                    line=line_of(class_node),
                )
            )

    if not categories and not any(p.severity == "error" for p in problems):
        problem(classes_node, "error", "classes 列表为空")

    fallback = _text(fallback_node) or None
    if fallback and fallback not in seen_codes:
        problem(fallback_node, "error", f"fallback 指向不存在的类别 “{fallback}”")

    problems = _sorted(problems)
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


def _text(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode) and node.value is not None:
        return str(node.value).strip()
    return ""


def _string_list(node, key, label, problem) -> list[tuple[str, yaml.Node]]:
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode) and node.value == "":
        return []  # `cues:` left empty
    if not isinstance(node, yaml.SequenceNode):
        problem(node, "error", f"{label}：{key} 应为列表")
        return []
    items = []
    for item in node.value:
        text = _text(item)
        if not isinstance(item, yaml.ScalarNode) or not text:
            problem(item, "error", f"{label}：{key} 中有空项或非文字项")
            continue
        items.append((text, item))
    return items


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0))


if __name__ == "__main__":  # python -m models.taxonomy [path]
    import sys

    found = check_taxonomy(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_TAXONOMY_PATH)
    for p in found:
        print(p)
    sys.exit(1 if any(p.severity == "error" for p in found) else 0)
