"""The hand-annotated gold file read as a run's documents and catalogue rows.

Real measures with their gold categories, without waiting for a run: each gold
document becomes a documents row, each gold measure a catalogue entry (gold
``bodies`` list explicit bodies only, so they become explicit body dicts).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from catalogue_entries import entry

from extractors.types import CatalogueEntry
from models.scoring import SEEDS_GOLD

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora"


def load_gold() -> list[dict]:
    with SEEDS_GOLD.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_documents() -> list[dict]:
    return [
        {
            "doc_id": d["doc_id"],
            "source_path": d["source_path"],
            "start": d["doc_start"],
            "end": d["doc_end"],
            "title": d.get("title"),
            "level": d.get("level"),
            "duplicate_of": d.get("duplicate_of"),
            "chars": d["doc_end"] - d["doc_start"],
            "masked": [],
        }
        for d in load_gold()
    ]


def gold_rows() -> list[CatalogueEntry]:
    rows = []
    for d in load_gold():
        for m in d["measures"]:
            key = f"{d['source_path']}:{m['start']}:{m['end']}"
            rows.append(entry(**
                {
                    "measure_id": hashlib.sha256(key.encode()).hexdigest()[:16],
                    "doc_id": d["doc_id"],
                    "source_path": d["source_path"],
                    "span_start": m["start"],
                    "span_end": m["end"],
                    "text": m["text"],
                    "category": m.get("category"),
                    "status": m.get("status"),
                    "bodies": [{"mention": b, "canonical": b, "explicit": True} for b in m.get("bodies") or ()],
                    "targets": m.get("targets") or [],
                    "initiatives": [],
                    "duplicate_of": d.get("duplicate_of"),
                }
            ))
    return rows


def source_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
