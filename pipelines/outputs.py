"""Rows and files a run writes: documents, sections, catalogue, errors, extracted texts.

The one place where typed values become rows and rows become typed values again.
"""

from __future__ import annotations

import itertools
import json
import os
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping, Sequence

from extractors.errors import SourceError
from extractors.reading import read_source
from extractors.sections import section_path
from extractors.types import Body, CatalogueEntry, DocumentResult, SourceText, Target


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
        "fragment": doc.fragment,
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


def catalogue_entries(result: DocumentResult, source: SourceText) -> Iterable[CatalogueEntry]:
    """The catalogue entries of one document's measures, before classification."""
    doc = result.document
    for measure in result.measures:
        yield CatalogueEntry(
            measure_id=measure.measure_id,
            doc_id=measure.doc_id,
            source_path=measure.source_path,
            start=measure.start,
            end=measure.end,
            text=measure.text,
            sentence=source.text[measure.sentence_start : measure.sentence_end],
            section_path=tuple(measure.section_path),
            action=measure.action,
            object=measure.object,
            status=measure.status,
            bodies=measure.bodies,
            targets=measure.targets,
            initiatives=measure.initiatives,
            placeholder=measure.placeholder,
            measure_score=measure.score,
            measure_evidence=measure.evidence,
            title=doc.title,
            doc_type=doc.doc_type,
            level=doc.level,
            region=doc.region.name or None,
            region_code=doc.region.code,
            issuing_body=doc.issuing_body,
            duplicate_of=doc.duplicate_of,
        )


# Keys of a correction, written only on a corrected row: an uncorrected catalogue stays as it was.
_CORRECTION_KEYS = ("predicted_category", "rejected", "correction_note", "corrected")


def to_row(entry: CatalogueEntry) -> dict:
    """The row of ``catalogue.jsonl`` (and of the parquet and workbook tables)."""
    row = {
        "measure_id": entry.measure_id,
        "doc_id": entry.doc_id,
        "source_path": entry.source_path,
        "span_start": entry.start,
        "span_end": entry.end,
        "text": entry.text,
        "sentence": entry.sentence,
        "section_path": list(entry.section_path),
        "action": entry.action,
        "object": entry.object,
        "status": entry.status,
        "bodies": [_body_row(b) for b in entry.bodies],
        "targets": [asdict(t) for t in entry.targets],
        "initiatives": list(entry.initiatives),
        "placeholder": entry.placeholder,
        "measure_score": entry.measure_score,
        "measure_evidence": list(entry.measure_evidence),
        "category": entry.category,
        "category_scores": dict(entry.category_scores),
        "confidence": entry.confidence,
        "cluster_id": entry.cluster_id,
        "best_match_id": entry.best_match_id,
        "best_match_similarity": entry.best_match_similarity,
        "title": entry.title,
        "doc_type": entry.doc_type,
        "level": entry.level,
        "region": entry.region,
        "region_code": entry.region_code,
        "issuing_body": entry.issuing_body,
        "duplicate_of": entry.duplicate_of,
        "category_name": entry.category_name,
        "secondary_categories": list(entry.secondary_categories),
        "needs_review": entry.needs_review,
    }
    if entry.predicted_category is not None:
        row["predicted_category"] = entry.predicted_category
    if entry.rejected:
        row["rejected"] = True
    if entry.correction_note:
        row["correction_note"] = entry.correction_note
    if entry.corrected:
        row["corrected"] = True
    return row


def _body_row(body: Body) -> dict:
    row = asdict(body)
    if body.start is None:  # named by a correction: no span, no role
        return {k: row[k] for k in ("mention", "canonical", "level", "explicit")}
    return row


def from_row(row: Mapping) -> CatalogueEntry:
    """A row of ``catalogue.jsonl`` (as ``to_row`` wrote it) read back."""
    return CatalogueEntry(
        measure_id=row["measure_id"],
        doc_id=row["doc_id"],
        source_path=row["source_path"],
        start=row["span_start"],
        end=row["span_end"],
        text=row["text"],
        sentence=row.get("sentence") or "",
        section_path=tuple(row.get("section_path") or ()),
        action=row.get("action") or "",
        object=row.get("object") or "",
        status=row.get("status") or "",
        bodies=tuple(_body(b) for b in row.get("bodies") or ()),
        targets=tuple(Target(**t) for t in row.get("targets") or ()),
        initiatives=tuple(row.get("initiatives") or ()),
        placeholder=bool(row.get("placeholder")),
        measure_score=row.get("measure_score"),
        measure_evidence=tuple(row.get("measure_evidence") or ()),
        title=row.get("title"),
        doc_type=row.get("doc_type"),
        level=row.get("level"),
        region=row.get("region"),
        region_code=row.get("region_code"),
        issuing_body=row.get("issuing_body"),
        duplicate_of=row.get("duplicate_of"),
        category=row.get("category"),
        category_name=row.get("category_name"),
        category_scores=dict(row.get("category_scores") or {}),
        confidence=row.get("confidence"),
        secondary_categories=tuple(row.get("secondary_categories") or ()),
        needs_review=row.get("needs_review"),
        cluster_id=row.get("cluster_id"),
        best_match_id=row.get("best_match_id"),
        best_match_similarity=row.get("best_match_similarity"),
        corrected=bool(row.get("corrected")),
        predicted_category=row.get("predicted_category"),
        rejected=bool(row.get("rejected")),
        correction_note=row.get("correction_note"),
    )


def _body(value: Mapping | str) -> Body:
    if isinstance(value, str):  # a bare name
        return Body(None, None, value, value, None, True)
    return Body(
        value.get("start"), value.get("end"), value["mention"], value.get("canonical") or value["mention"],
        value.get("level"), bool(value.get("explicit")), value.get("role"),
    )


def read_catalogue(path: Path) -> list[CatalogueEntry]:
    return [from_row(row) for row in read_jsonl(path)]


def comparison_records(result: Mapping) -> Iterable[dict]:
    """The records of ``comparison.jsonl``, each tagged with its ``kind``."""
    yield {"kind": "summary", **result["summary"]}
    for group in result["groups"]:
        yield {"kind": "group", **{("group_kind" if k == "kind" else k): v for k, v in group.items()}}
    for pair in result["pairs"]:
        yield {"kind": "city_county", **pair}
    for pair in result["peer_pairs"]:
        yield {"kind": "peers", **pair}
    for cluster in result["clusters"]:
        yield {"kind": "cluster", **cluster}
    for doc in result["concreteness"]["documents"]:
        yield {"kind": "document_concreteness", **doc}
    for measure in result["concreteness"]["measures"]:
        yield {"kind": "measure_concreteness", **measure}


def comparison_from_records(records: Sequence[Mapping]) -> dict | None:
    """The comparison result read back from the records of ``comparison.jsonl``; None when there are none."""
    if not records:
        return None
    by_kind: dict[str, list[dict]] = {}
    for record in records:
        by_kind.setdefault(record.get("kind"), []).append({k: v for k, v in record.items() if k != "kind"})
    summary = (by_kind.get("summary") or [{}])[0]
    return {
        "link_bands": summary.get("link_bands"),
        "groups": [
            {"name": g.get("name"), "kind": g.get("group_kind"), "origin": g.get("origin"), "city_doc_id": g.get("city_doc_id"), "members": list(g.get("members") or ())}
            for g in by_kind.get("group", [])
        ],
        "pairs": by_kind.get("city_county", []),
        "peer_pairs": by_kind.get("peers", []),
        "concreteness": {"documents": by_kind.get("document_concreteness", []), "measures": by_kind.get("measure_concreteness", [])},
        "summary": summary,
        "clusters": by_kind.get("cluster", []),
    }


def write_jsonl(path: Path, rows: Iterable[dict], *, append: bool = False) -> int:
    """Rows as JSON Lines, published whole (``append`` rewrites the file with the rows added)."""
    count = 0
    with atomic_write(path, "w", encoding="utf-8") as handle:
        if append and Path(path).is_file():
            handle.write(Path(path).read_text(encoding="utf-8"))
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
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(source.text)
    return path


def write_parquet(path: Path, rows: list[dict]) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    for column in ("bodies", "targets", "category_scores"):
        if column in frame:
            # nested values as JSON text: one stable schema whatever the rows hold
            frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    with atomic_path(path) as temporary:
        frame.to_parquet(temporary, index=False)


def load_source_texts(documents: list[dict], out_dir: Path, corpus_dirs: list[Path]) -> tuple[dict[str, str], list[str]]:
    """Decoded text of every source file, keyed by ``source_path``.

    The text written beside the catalogue (``texts/``, for PDF/DOCX/HTML) comes
    first; otherwise the file is read again from a corpus folder, and it is used
    only if its bytes are those the run analysed (same sha256), so offsets hold.
    """
    texts: dict[str, str] = {}
    warnings: list[str] = []
    expected = {d["source_path"]: d.get("sha256") for d in documents}
    for source_path, sha256 in expected.items():
        written = out_dir / "texts" / f"{source_path}.txt"
        if written.is_file():
            with written.open(encoding="utf-8", newline="") as handle:
                texts[source_path] = handle.read()
            continue
        found = False
        for root in corpus_dirs:
            path = root / source_path
            if not path.is_file():
                continue
            found = True
            try:
                source = read_source(path, root)
            except SourceError as exc:
                warnings.append(f"{path}: {exc.reason}")
                continue
            if sha256 and source.sha256 != sha256:
                warnings.append(f"{path}: 文件在运行后改动过（sha256 不同），不用于文字复用率")
                continue
            texts[source_path] = source.text
            break
        if not found:
            warnings.append(f"{source_path}: 在 {', '.join(map(str, corpus_dirs)) or '（未给出语料目录）'} 中找不到原文，不计算文字复用率")
    return texts, warnings


# Every path ``atomic_path`` published in this process, in order: a run's manifest lists
# what the run wrote (pipelines.publish), whoever wrote it.
PUBLISHED: list[Path] = []
_temporary_names = itertools.count(1)
TEMPORARY_MARK = ".tmp-"


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path``, unique in this process, keeping the suffix for writers that look at it."""
    path = Path(path)
    return path.with_name(f".{path.stem}{TEMPORARY_MARK}{os.getpid()}-{next(_temporary_names)}{path.suffix}")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write to; renamed to ``path`` when the block
    ends, removed when it fails. A reader sees the old file or the new one, never half of one."""
    path = Path(path)
    temporary = temporary_name(path)
    try:
        yield temporary
        # on disk before the rename, so a crash cannot publish an empty file
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    PUBLISHED.append(path)


@contextmanager
def atomic_write(path: Path, mode: str = "w", **open_options) -> Iterator[IO]:
    """``open(path, mode)`` through ``atomic_path``: the file appears whole when the block ends."""
    with atomic_path(path) as temporary:
        with open(temporary, mode, **open_options) as handle:
            yield handle
