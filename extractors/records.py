"""JSON Lines collections: one record a document, each read as a source of its own.

A record's text is its content field (with its title line in front when the content
does not open with it); ``source_path`` is ``<file>/<line number>``, and the text is
written beside the catalogue like a PDF's, so every offset can be checked.
"""

from __future__ import annotations

import hashlib
import json

from functools import lru_cache
from pathlib import Path
from typing import Iterator

from extractors.errors import SourceError
from pydantic import Field

from extractors.knowledge import Schema, Text, data_path, load_file


class RecordFields(Schema):
    """Which fields of a JSON-lines record hold the text and the title (``records.yaml``)."""

    text_fields: tuple[Text, ...] = Field(min_length=1)
    title_fields: tuple[Text, ...]
    prepend_title: bool


@lru_cache(maxsize=4)
def load_record_fields(path: Path | None = None) -> RecordFields:
    path = path or data_path("records.yaml")
    return load_file(path, RecordFields)


def _first(record: dict, fields: tuple[str, ...]) -> str | None:
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return value
    return None


def record_texts(raw: str, shown: str, fields: RecordFields) -> Iterator[tuple[int, str] | SourceError]:
    """(line number, text) of every record; a bad record is a ``SourceError`` in the stream, not the end of it."""
    # JSON Lines ends a record at "\n" alone: U+2028, U+2029 and U+0085 are legal inside
    # JSON strings, and str.splitlines() would cut a record at them (a trailing "\r" is JSON whitespace).
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield SourceError(where, "a record must be a JSON object")
            continue
        text = _first(record, fields.text_fields)
        if text is None:
            yield SourceError(where, f"no text in any of the fields {', '.join(fields.text_fields)}")
            continue
        title = _first(record, fields.title_fields)
        if fields.prepend_title and title and not text.lstrip().startswith(title.strip()):
            text = f"{title.strip()}\n{text}"
        yield number, text


def record_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
