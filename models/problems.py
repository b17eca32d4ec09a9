"""Problems found in the analysts' data files, each with file and line.

YAML is read with ``yaml.compose`` so every value keeps the line it came from;
a loader reports all problems of a file at once instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None  # 1-based; None when the whole file is concerned
    severity: str  # error | warning
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class DataFileError(ValueError):
    """A data file has errors; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def compose_file(path: str | Path) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse a YAML file into a node tree; syntax errors become problems."""
    path = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            node = yaml.compose(handle, Loader=yaml.SafeLoader)
    except FileNotFoundError:
        return None, [Problem(path, None, "error", "文件不存在")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(path, line, "error", f"YAML 语法错误：{exc.problem or exc}")]
    return node, []


def value_of(node: yaml.Node) -> object:
    """The Python value of a node, with YAML's usual typing (true, 1.5, lists, …)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def mapping_items(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """(key, key_node, value_node) triples, keys as text."""
    return [(str(k.value), k, v) for k, v in node.value]


def raise_on_errors(problems: list[Problem]) -> None:
    if any(p.severity == "error" for p in problems):
        raise DataFileError([p for p in problems if p.severity == "error"])


def compose_mapping(path: str | Path) -> yaml.MappingNode:
    """A settings file's top-level mapping, or ``DataFileError`` with file and line."""
    path = str(path)
    root, problems = compose_file(path)
    if root is not None and not isinstance(root, yaml.MappingNode):
        problems.append(Problem(path, line_of(root), "error", "顶层应为映射"))
    if problems or root is None:
        raise_on_errors(problems or [Problem(path, None, "error", "文件为空")])
    return root
