"""Rows and files a run writes: documents, sections, catalogue, errors, extracted texts."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

from extractors.sections import section_path
from extractors.types import DocumentResult, SourceText


def document_row(result: DocumentResult, source: SourceText) -> dict:
    doc = result.document
    return {
        "doc_id": doc.doc_id,
        "source_path": doc.source_path,
        "start": doc.start,
        "end": doc.end,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "level": doc.level,
        "region": doc.region.name or None,
        "province": doc.region.province,
        "prefecture": doc.region.prefecture,
        "county": doc.region.county,
        "region_code": doc.region.code,
        "issuing_body": doc.issuing_body,
        "author": doc.author,
        "date": doc.date,
        "duplicate_of": doc.duplicate_of,
        "format": source.format,
        "encoding": source.encoding,
        "script": source.script,
        "sha256": source.sha256,
        "pages": source.pages,
        "chars": doc.end - doc.start,
        "sections": len(result.sections),
        "sentences": len(result.sentences),
        "measures": len(result.measures),
        "masked": [{"start": m.start, "end": m.end, "kind": m.kind} for m in result.masks],
        "placeholders": [{"start": p.start, "end": p.end, "text": p.text} for p in result.placeholders],
        "warnings": list(doc.warnings),
    }


def section_rows(result: DocumentResult) -> Iterable[dict]:
    for index, section in enumerate(result.sections):
        yield {
            "doc_id": result.document.doc_id,
            "source_path": result.document.source_path,
            "index": index,
            "start": section.start,
            "end": section.end,
            "content_end": section.content_end,
            "text": section.text,
            "kind": section.kind,
            "depth": section.depth,
            "parent": section.parent,
            "path": list(section_path(index, result.sections)),
        }


def measure_rows(result: DocumentResult, source: SourceText) -> Iterable[dict]:
    doc = result.document
    for measure in result.measures:
        yield {
            "measure_id": measure.measure_id,
            "doc_id": measure.doc_id,
            "source_path": measure.source_path,
            "span_start": measure.start,
            "span_end": measure.end,
            "text": measure.text,
            "sentence": source.text[measure.sentence_start : measure.sentence_end],
            "section_path": list(measure.section_path),
            "action": measure.action,
            "object": measure.object,
            "status": measure.status,
            "bodies": [asdict(b) for b in measure.bodies],
            "targets": [asdict(t) for t in measure.targets],
            "initiatives": list(measure.initiatives),
            "placeholder": measure.placeholder,
            "measure_score": measure.score,
            "measure_evidence": list(measure.evidence),
            "category": None,
            "category_scores": {},
            "confidence": None,
            "cluster_id": None,
            "best_match_id": None,
            "best_match_similarity": None,
            "title": doc.title,
            "doc_type": doc.doc_type,
            "level": doc.level,
            "region": doc.region.name or None,
            "region_code": doc.region.code,
            "issuing_body": doc.issuing_body,
            "duplicate_of": doc.duplicate_of,
        }


def write_jsonl(path: Path, rows: Iterable[dict], *, append: bool = False) -> int:
    count = 0
    with path.open("a" if append else "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extracted_text_path(out_dir: Path, source: SourceText) -> Path:
    """Where the coordinate text of a non-txt source is written."""
    return out_dir / "texts" / f"{source.source_path}.txt"


def write_extracted_text(out_dir: Path, source: SourceText) -> Path | None:
    if source.format in ("txt", "md"):
        return None
    path = extracted_text_path(out_dir, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="" keeps offsets: no platform newline translation
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(source.text)
    return path


def write_parquet(path: Path, rows: list[dict]) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    for column in ("bodies", "targets", "category_scores"):
        if column in frame:
            # nested values as JSON text: one stable schema whatever the rows hold
            frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    frame.to_parquet(path, index=False)
