"""The one validating loader for the project's data and settings files (YAML).

Analysts edit these files; a mistake must come back as ``file:line: message`` in
Chinese, every mistake of the file at once, not as a traceback from deep inside a
stage. A file's shape is declared as a pydantic model (:class:`Schema`);
:func:`load_file` parses with line numbers, validates, and maps each pydantic error
back to the line of the key or item it concerns. Loaders whose checks a schema
cannot say (regular expressions, cross-file rules) use the same parse and
:class:`DataError` through :func:`load_yaml`, :func:`require` and :func:`compile_pattern`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Iterable, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError

DATA_DIR = Path(__file__).parent / "data"

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One mistake in a data file; ``line`` is 1-based, None when the whole file is concerned."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'警告：' if self.severity == 'warning' else ''}{self.message}"


class DataError(ValueError):
    """A data file is malformed; ``problems`` lists every mistake, each with file and line.

    ``path``, ``line`` and ``message`` are those of the first problem.
    """

    def __init__(self, path: Path | str | None = None, line: int | None = None, message: str = "", *, problems: Iterable[Problem] = ()):
        problems = list(problems) or [Problem(str(path), line, message)]
        self.problems = problems
        first = problems[0]
        self.path, self.line, self.message = first.path, first.line, first.message
        super().__init__("\n".join(str(p) for p in problems))


def raise_on_errors(problems: Iterable[Problem]) -> None:
    """Raise :class:`DataError` with the errors among ``problems`` (warnings do not stop)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(problems=errors)


class Schema(BaseModel):
    """Base of a data file's declared shape: unknown keys are errors, values are immutable,
    and YAML's own types are kept (no ``"3"`` taken for 3, no ``true`` for 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value


# Text that is not empty or only spaces (kept as written).
Text = Annotated[str, AfterValidator(_non_blank)]


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"正则表达式有误 {value!r}：{exc}") from None
    return value


# A regular expression, checked to compile; the loader compiles it with its flags.
Regex = Annotated[str, AfterValidator(_regex)]


# ---------------------------------------------------------------- line-keeping parse


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    duplicates: list


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:  # every duplicate is reported, the first value kept
            loader.duplicates.append(Problem(loader.name, line, f"键 “{key}” 重复（第 {result.key_lines[key]} 行已有）"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path | str) -> Any:
    """Parse a YAML file keeping line numbers; a missing file, a syntax error or a
    duplicate key raises :class:`DataError` naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(path, None, "文件不存在") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"无法读取：{getattr(exc, 'strerror', None) or exc}") from exc
    loader = _LineLoader(text)
    loader.name = str(path)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(path, line, f"YAML 语法错误：{exc.problem or exc.context or exc}") from exc
    finally:
        loader.dispose()
    if loader.duplicates:
        raise DataError(problems=loader.duplicates)
    return data


# ---------------------------------------------------------------- schema validation

# pydantic error type -> Chinese template, filled from the error's ``ctx`` and ``input``
# (pydantic's documented way of customising messages); other types keep pydantic's text.
MESSAGES = {
    "missing": "缺少键",
    "extra_forbidden": "未知的键",
    "int_type": "应为整数（现为 {input!r}）",
    "int_from_float": "应为整数（现为 {input!r}）",
    "float_type": "应为数字（现为 {input!r}）",
    "finite_number": "应为有限的数字（现为 {input!r}）",
    "string_type": "应为文字（现为 {input!r}）",
    "bool_type": "应为 true 或 false（现为 {input!r}）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "greater_than": "应大于 {gt}（现为 {input!r}）",
    "greater_than_equal": "应不小于 {ge}（现为 {input!r}）",
    "less_than": "应小于 {lt}（现为 {input!r}）",
    "less_than_equal": "应不大于 {le}（现为 {input!r}）",
    "literal_error": "应为 {expected} 之一（现为 {input!r}）",
    "too_short": "至少应有 {min_length} 项（现有 {actual_length} 项）",
    "too_long": "至多应有 {max_length} 项（现有 {actual_length} 项）",
    "string_too_short": "不能为空",
    "string_too_long": "至多 {max_length} 个字（现有 {actual_length} 个）",
    "string_pattern_mismatch": "应符合格式 {pattern}（现为 {input!r}）",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def _message(error: dict) -> str:
    template = MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    # a bound written 1 reads 1, not 1.0
    ctx = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in (error.get("ctx") or {}).items()}
    if error["type"] == "literal_error":
        ctx["expected"] = ctx.get("expected", "").replace(" or ", "、").replace(", ", "、").replace("'", "")
    try:
        return template.format(input=error.get("input"), **ctx)
    except (KeyError, IndexError, ValueError):
        return error["msg"]


def line_at(data: Any, loc: Iterable, default: int | None = None) -> int | None:
    """The line of the deepest key or item of ``loc`` found in the parsed ``data``."""
    line = getattr(data, "line", None) or default
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.line_of(part), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.item_lines[part], node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, (list, tuple)) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break  # a missing key or a tag pydantic adds (union members): stay at the parent
    return line


def plain(data: Any) -> Any:
    """Line-keeping values as plain ones, sequences as tuples (schemas declare tuples)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return tuple(plain(v) for v in data)
    return data


_ADAPTERS: dict = {}


def _adapter(schema: Any) -> TypeAdapter:
    try:
        return _ADAPTERS[schema]
    except (KeyError, TypeError):
        pass
    adapter = TypeAdapter(schema)
    try:
        _ADAPTERS[schema] = adapter
    except TypeError:
        pass
    return adapter


def _where(loc: tuple) -> str:
    """``classes.第3项.code``: keys as written, list items counted from 1 as an analyst counts."""
    parts = (f"第{p + 1}项" if isinstance(p, int) else str(p) for p in loc if not (isinstance(p, str) and p.startswith(("function-", "tagged-union["))))
    return ".".join(parts)


def validate(data: Any, schema: type[T], path: Path | str, *, context: Any = None, line: int | None = None, at: tuple = ()) -> T:
    """Validate parsed ``data`` against ``schema`` (a :class:`Schema` or any pydantic type);
    raise :class:`DataError` listing every problem, each at the line of its key or item
    (``line`` where the data carries none, such as a spreadsheet row). ``at`` names the
    section of ``data`` the schema describes, for a file several loaders share."""
    part = data
    for key in at:
        part = require(part, key, dict, path)
    try:
        return _adapter(schema).validate_python(plain(part), context=context)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(at) + tuple(error["loc"])
            where = _where(loc)
            message = _message(error)
            text = f"{where}：{message}" if where else message
            if error["type"] == "extra_forbidden":
                text = f"未知的键 “{where}”"
            elif error["type"] == "missing":
                text = f"缺少键 “{where}”"
            problems.append(Problem(str(path), line_at(data, loc, line), text))
        problems.sort(key=lambda p: p.line or 0)
        raise DataError(problems=problems) from None


def load_file(path: Path | str, schema: type[T], *, context: Any = None) -> T:
    """Parse and validate a whole file; every problem raised at once as :class:`DataError`."""
    return validate(load_yaml(path), schema, path, context=context)


# ---------------------------------------------------------------- hand checks


def data_path(name: str, data_dir: Path | None = None) -> Path:
    return (data_dir or DATA_DIR) / name


_KIND_NAMES = {str: "文字", int: "整数", float: "数字", bool: "true 或 false", list: "列表", dict: "映射"}


def require(mapping: Any, key: str, kind: type | tuple, path: Path | str) -> Any:
    """Fetch ``mapping[key]`` checking its type; errors carry the line."""
    line = getattr(mapping, "line", None)
    if not isinstance(mapping, dict):
        raise DataError(path, line, f"应为包含 “{key}” 的映射")
    if key not in mapping:
        raise DataError(path, line, f"缺少键 “{key}”")
    value = mapping[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = "或".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
        raise DataError(path, mapping.line_of(key), f"“{key}” 应为{names}")
    return value


def compile_pattern(pattern: str, path: Path | str, line: int | None, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise DataError(path, line, f"正则表达式有误 {pattern!r}：{exc}") from exc


def load_word_list(path: Path | str) -> list[str]:
    """Plain list file: one entry a line, ``#`` comments."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words
