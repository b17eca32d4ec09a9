"""The analysis cache: what the extractors found in a source, kept between runs, and what
was decided and classified from it.

Content-addressed (the key hashes the source's bytes, name and reading, the extractor
code and knowledge files), stored as checksummed, gzip-compressed JSON: loading an
entry runs no code, and an entry that is damaged, foreign or of another version is
a miss, re-computed and rewritten. Entries are published with temp-and-rename, so
two runs sharing the cache never see half an entry. The folder is the user's cache
(``pipelines.classify.cache_dir() / "analysis"``), not the output folder.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import gzip
import hashlib
import json
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from extractors.types import DocumentResult, SourceText
from pipelines.outputs import atomic_path

FORMAT = "policycat-analysis-cache"
VERSION = 1
SUBFOLDER = "analysis"


def default_dir() -> Path:
    from pipelines.classify import cache_dir

    return cache_dir() / SUBFOLDER


# --- typed values <-> JSON -------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A frozen dataclass (and what it holds) as JSON values: objects by field name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def from_json(kind: Any, value: Any) -> Any:
    """The value of type ``kind`` that ``to_json`` turned into ``value``."""
    return _converter(kind)(value)


@lru_cache(maxsize=None)
def _converter(kind: Any):
    """A function turning JSON into ``kind``, built once per type: a cached document holds
    hundreds of thousands of values, and dispatching on the type for each was most of a
    warm run's analysis step."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"ambiguous type {kind}")
        inner = _converter(options[0])
        return lambda value: None if value is None else inner(value)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        fields = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(kind)]
        names = {name for name, _ in fields}

        def dataclass_value(value):
            if value.keys() != names:
                raise ValueError(f"{kind.__name__}: fields {sorted(set(value) ^ names)} differ")
            return kind(**{name: convert(value[name]) for name, convert in fields})

        return dataclass_value
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            if item is _identity:
                return tuple
            return lambda value: tuple(item(v) for v in value)
        items = [_converter(a) for a in args]
        return lambda value: tuple(convert(v) for convert, v in zip(items, value, strict=True))
    if origin in (dict, collections.abc.Mapping) or kind in (dict, Mapping):
        args = typing.get_args(kind) or (str, Any)
        item = _converter(args[1])
        return lambda value: {k: item(v) for k, v in value.items()}
    if kind is Any:
        return _identity
    if kind is float:
        return _float
    if kind in (str, int, bool):
        def checked(value, kind=kind):
            if not isinstance(value, kind):
                raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
            return value

        return checked
    return _identity


def _identity(value: Any) -> Any:
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected float, got {type(value).__name__}")
    return float(value)


@lru_cache(maxsize=None)
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def results_to_json(results: Sequence[DocumentResult]) -> list:
    return [to_json(r) for r in results]


def results_from_json(value: list) -> list[DocumentResult]:
    return [from_json(DocumentResult, r) for r in value]


# --- the store -------------------------------------------------------------------------


def entry_key(source: SourceText, fingerprint: str) -> str:
    """Everything the analysis of ``source`` depends on: its bytes, its name (ids are made
    from it), how it was read, and the extractors' code and knowledge (``fingerprint``)."""
    parts = {
        "version": VERSION,
        "fingerprint": fingerprint,
        "sha256": source.sha256,
        "source_path": source.source_path,
        "format": source.format,
        "encoding": source.encoding,
        "script": source.script,
        "pages": source.pages,
        "warnings": list(source.warnings),
        "text": hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "analysis_text": hashlib.sha256(source.analysis_text.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json.gz"


def load(folder: Path, key: str) -> list[DocumentResult] | None:
    """The cached results under ``key``; None when there is no entry or it cannot be trusted."""
    value = load_value(folder, key)
    try:
        return None if value is None else results_from_json(value)
    except Exception:  # noqa: BLE001 - an entry of another shape is a miss
        return None


def store(folder: Path, key: str, results: Sequence[DocumentResult]) -> Path | None:
    return store_value(folder, key, results_to_json(results))


def load_value(folder: Path, key: str) -> Any:
    """The JSON value stored under ``key``; None when there is none or it cannot be trusted."""
    path = entry_path(folder, key)
    try:
        raw = gzip.decompress(path.read_bytes())
        header, _, payload = raw.partition(b"\n")
        meta = json.loads(header)
        if (meta.get("format"), meta.get("version"), meta.get("key")) != (FORMAT, VERSION, key):
            return None
        if meta.get("size") != len(payload) or meta.get("sha256") != hashlib.sha256(payload).hexdigest():
            return None
        return json.loads(payload)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged entry of any kind is a miss
        return None


def store_value(folder: Path, key: str, value: Any) -> Path | None:
    """Publish the JSON ``value`` under ``key`` (header line, then the payload; gzip around
    both). A cache that cannot be written costs time only: None, and the run goes on."""
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    header = json.dumps({"format": FORMAT, "version": VERSION, "key": key, "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()})
    path = entry_path(folder, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            # mtime=0: the same value gives the same bytes
            temporary.write_bytes(gzip.compress(header.encode() + b"\n" + payload, compresslevel=5, mtime=0))
    except OSError:
        return None
    return path


def derived_key(*parts: Any) -> str:
    """The key of a value computed from others: ``parts`` are earlier keys, model digests
    and the like (JSON values)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
