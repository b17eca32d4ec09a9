"""Catalogue entries for tests, built the one way the product builds them from rows."""

from __future__ import annotations

from extractors.types import CatalogueEntry
from pipelines.outputs import from_row

_TARGET = {"start": 0, "end": 0, "text": "", "value": None, "unit": None, "comparator": None}


def entry(measure_id: str, doc_id: str = "甲#1", *, text: str = "建立健全委员培训制度", **fields) -> CatalogueEntry:
    """A catalogue entry with the fields a test names; ``bodies`` and ``targets`` may be
    given as row dicts (or bodies as bare names), the rest as in ``catalogue.jsonl``."""
    row = {
        "measure_id": measure_id,
        "doc_id": doc_id,
        "source_path": doc_id.split("#")[0],
        "span_start": 0,
        "span_end": len(text),
        "text": text,
        "status": "REQUIRED",
        **fields,
    }
    row["targets"] = [{**_TARGET, **t} for t in row.get("targets") or ()]
    return from_row(row)
