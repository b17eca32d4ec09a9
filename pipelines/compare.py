"""``policycat compare``: city and county documents of a finished run, compared.

Reads what ``policycat run`` wrote (``catalogue.jsonl``, ``documents.jsonl``) and the
source texts, aligns the measures, compares every group and writes
``comparison.xlsx`` (one sheet per table, every count backed by measure ids in
another sheet) and ``comparison.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from extractors.errors import SourceError
from extractors.reading import read_source
from models.alignment import align_measures, build_similarity, load_alignment_settings
from extractors.types import CatalogueEntry
from models.comparison import (
    cluster_sizes,
    clusters,
    comparison_groups,
    compare_documents,
    load_comparison_settings,
    measure_category,
)
from pipelines.outputs import comparison_records, read_catalogue, read_jsonl, write_jsonl

MAPPING_NAME = "compare.yaml"
MAX_COLUMN_WIDTH = 60

__all__ = ["run_comparison", "load_source_texts", "comparison_tables", "compare_command", "default_mapping"]


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


def default_mapping(corpus_dirs: list[Path]) -> Path | None:
    """The first ``compare.yaml`` found in the corpus folders."""
    for root in corpus_dirs:
        if (root / MAPPING_NAME).is_file():
            return root / MAPPING_NAME
    return None


def run_comparison(
    out_dir: Path,
    corpus_dirs: list[Path],
    mapping: Path | None = None,
    *,
    documents: list[dict] | None = None,
    entries: list[CatalogueEntry] | None = None,
    texts: dict[str, str] | None = None,
) -> tuple[dict, dict]:
    """Compare the documents of a run; write ``comparison.xlsx`` and ``comparison.jsonl`` into ``out_dir``.

    The flow hands over its documents, entries and source texts; a standalone
    ``policycat compare`` reads them from what the run wrote. ``mapping`` is a group
    file (see ``models.comparison.load_compare_mapping``); None means groups from
    metadata only. Returns the summary and the comparison result.
    """
    out_dir = Path(out_dir)
    documents = read_jsonl(out_dir / "documents.jsonl") if documents is None else documents
    entries = read_catalogue(out_dir / "catalogue.jsonl") if entries is None else entries
    alignment = load_alignment_settings()
    settings = load_comparison_settings()
    warnings: list[str] = []
    if texts is None:
        texts, warnings = load_source_texts(documents, out_dir, [Path(p) for p in corpus_dirs])
    groups, group_warnings = comparison_groups(documents, mapping)
    warnings += group_warnings
    similarity = build_similarity([e.text for e in entries], alignment) if entries else None
    if entries and all(e.cluster_id for e in entries):
        aligned = entries  # aligned by the run that wrote the catalogue: keep its clusters
    else:
        aligned = align_measures(entries, alignment.threshold, similarity=similarity, settings=alignment) if entries else []
    if similarity is None:
        groups = []
        warnings.append("目录中没有举措，无从对比")
    # documents marked duplicate_of are in no group; their measures still get clusters and concreteness (flagged)
    result = compare_documents(documents, aligned, texts, groups, similarity, alignment.threshold, settings)
    found = clusters(aligned)
    summary = {
        "out_dir": str(out_dir),
        "mapping": str(mapping) if mapping else None,
        "threshold": alignment.threshold,
        "documents": len(documents),
        "measures": len(entries),
        "groups": len(groups),
        "city_county_pairs": len(result["pairs"]),
        "peer_pairs": len(result["peer_pairs"]),
        "clusters": len(found),
        "warnings": warnings,
    }
    result = {**result, "summary": summary, "clusters": found}
    write_jsonl(out_dir / "comparison.jsonl", comparison_records(result))
    write_comparison_workbook(out_dir / "comparison.xlsx", documents, aligned, result, settings)
    return {**summary, "files": [str(out_dir / "comparison.xlsx"), str(out_dir / "comparison.jsonl")]}, result


# ---------------------------------------------------------------- workbook


def comparison_tables(documents: list[dict], rows: list[CatalogueEntry], result: dict, settings) -> dict[str, list[dict]]:
    by_id = {r.measure_id: r for r in rows}
    docs = {d["doc_id"]: d for d in documents}

    def text(measure_id: str | None) -> str | None:
        return by_id[measure_id].text if measure_id in by_id else None

    def category(measure_id: str | None) -> str | None:
        return measure_category(by_id[measure_id], settings) if measure_id in by_id else None

    compared = list(dict.fromkeys(
        d for g in result["groups"] for d in ([g["city_doc_id"]] if g["city_doc_id"] else []) + g["members"]
    ))
    categories = sorted({measure_category(r, settings) for r in rows if r.doc_id in compared})
    coverage = []
    for cat in categories:
        line = {"category": cat}
        for doc_id in compared:
            line[doc_id] = sum(1 for r in rows if r.doc_id == doc_id and measure_category(r, settings) == cat)
        coverage.append(line)
    if compared:
        coverage.append({"category": "合计", **{d: sum(1 for r in rows if r.doc_id == d) for d in compared}})

    pairs, pair_summary = [], []
    for pair in result["pairs"]:
        base = {"group": pair["group"], "kind": "city_county", "doc_a": pair["city_doc_id"], "doc_b": pair["county_doc_id"]}
        for t in pair["taken_up"]:
            pairs.append({**base, "relation": "taken_up", "category": t["category"], "measure_a": t["city_measure_id"], "text_a": text(t["city_measure_id"]),
                          "measure_b": t["county_measure_id"], "text_b": text(t["county_measure_id"]), "category_b": category(t["county_measure_id"]), "similarity": t["similarity"]})
        for t in pair["left_out"]:
            pairs.append({**base, "relation": "left_out", "category": t["category"], "measure_a": t["city_measure_id"], "text_a": text(t["city_measure_id"]),
                          "measure_b": t.get("best_county_measure_id"), "text_b": text(t.get("best_county_measure_id")), "category_b": category(t.get("best_county_measure_id")), "similarity": t.get("best_similarity")})
        for t in pair["added"]:
            pairs.append({**base, "relation": "added", "category": t["category"], "measure_a": t.get("best_city_measure_id"), "text_a": text(t.get("best_city_measure_id")),
                          "measure_b": t["county_measure_id"], "text_b": text(t["county_measure_id"]), "category_b": t["category"], "similarity": t.get("best_similarity")})
        reuse = pair["text_reuse"] or {}
        for line in pair["by_category"]:
            pair_summary.append({**base, **line, "text_reuse_share": reuse.get("share")})
        pair_summary.append({**base, "category": "合计", "city_measures": pair["city_measures"], "county_measures": pair["county_measures"],
                             "taken_up": len(pair["taken_up"]), "left_out": len(pair["left_out"]), "added": len(pair["added"]),
                             "text_reuse_share": reuse.get("share")})
    for pair in result["peer_pairs"]:
        base = {"group": pair["group"], "kind": "peers", "doc_a": pair["a_doc_id"], "doc_b": pair["b_doc_id"]}
        for t in pair["shared"]:
            pairs.append({**base, "relation": "shared", "category": category(t["a_measure_id"]), "measure_a": t["a_measure_id"], "text_a": text(t["a_measure_id"]),
                          "measure_b": t["b_measure_id"], "text_b": text(t["b_measure_id"]), "category_b": category(t["b_measure_id"]), "similarity": t["similarity"]})
        a_reuse, b_reuse = pair["text_reuse_a_in_b"] or {}, pair["text_reuse_b_in_a"] or {}
        pair_summary.append({**base, "category": "合计", "a_measures": pair["a_measures"], "b_measures": pair["b_measures"],
                             "a_shared": pair["a_shared"], "b_shared": pair["b_shared"], "a_only": pair["a_measures"] - pair["a_shared"],
                             "b_only": pair["b_measures"] - pair["b_shared"], "text_reuse_share": a_reuse.get("share"), "text_reuse_b_in_a": b_reuse.get("share")})

    sizes = cluster_sizes(rows)
    cluster_docs: dict[str, set] = {}
    for r in rows:
        cluster_docs.setdefault(r.cluster_id, set()).add(r.doc_id)
    clusters = [
        {"cluster_id": r.cluster_id, "size": sizes[r.cluster_id], "documents": len(cluster_docs[r.cluster_id]), "doc_id": r.doc_id,
         "measure_id": r.measure_id, "category": measure_category(r, settings), "text": r.text, "best_match_id": r.best_match_id,
         "best_match_similarity": r.best_match_similarity, "duplicate_of": r.duplicate_of}
        for r in sorted(rows, key=lambda r: (-sizes[r.cluster_id], r.cluster_id, r.doc_id))
        if sizes[r.cluster_id] > 1
    ]

    flags = {m["measure_id"]: m for m in result["concreteness"]["measures"]}
    concreteness = [
        {"rank": d["rank"], "doc_id": d["doc_id"], "title": docs.get(d["doc_id"], {}).get("title"), "level": docs.get(d["doc_id"], {}).get("level"),
         "region": docs.get(d["doc_id"], {}).get("region"), **{k: v for k, v in d.items() if k not in ("rank", "doc_id")}}
        for d in result["concreteness"]["documents"]
    ]
    measures = [
        {"measure_id": r.measure_id, "doc_id": r.doc_id, "span_start": r.start, "span_end": r.end,
         "category": measure_category(r, settings), "status": r.status, "text": r.text, "cluster_id": r.cluster_id,
         "best_match_id": r.best_match_id, "best_match_similarity": r.best_match_similarity,
         **{k: flags[r.measure_id][k] for k in ("explicit_body", "quantified_target", "deadline", "initiative", "score")},
         "duplicate_of": r.duplicate_of}
        for r in rows
    ]
    documents_sheet = [
        {k: d.get(k) for k in ("doc_id", "source_path", "title", "doc_type", "level", "region", "issuing_body", "author", "date", "duplicate_of", "measures", "chars")}
        for d in documents
    ]
    return {
        "coverage": coverage,
        "pairs": pairs,
        "pair_summary": pair_summary,
        "clusters": clusters,
        "concreteness": concreteness,
        "measures": measures,
        "documents": documents_sheet,
    }


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_comparison_workbook(path: Path, documents: list[dict], rows: list[dict], result: dict, settings) -> None:
    """One sheet per table: header frozen, autofilter on, columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    tables = comparison_tables(documents, rows, result, settings)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in tables.items():
        sheet = workbook.create_sheet(name)
        columns = list(dict.fromkeys(k for line in table for k in line)) or ["(无)"]
        sheet.append(columns)
        for line in table:
            sheet.append([_cell(line.get(c)) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2" if name == "coverage" else "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(columns, start=1):
            width = max([_display_width(column)] + [_display_width(line.get(column)) for line in table[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, width + 2)
    workbook.save(path)


def _cell(value):
    if isinstance(value, (list, tuple, set, dict)):
        return json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False)
    return value


# ---------------------------------------------------------------- command line


def compare_command(
    out_dir: Path = typer.Argument(Path("outputs"), help="Folder a `policycat run` wrote (catalogue.jsonl, documents.jsonl)."),
    corpus: list[Path] = typer.Option([Path("corpora")], "--corpus", "-c", help="Folder(s) holding the source files of the run."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="Group file; default: compare.yaml in the first corpus folder that has one."),
    no_mapping: bool = typer.Option(False, "--no-mapping", help="Groups from document metadata only."),
) -> None:
    """Compare city and county documents: taken up, left out, added; text reuse; concreteness."""
    from rich.console import Console

    console = Console()
    chosen = None if no_mapping else (mapping or default_mapping(corpus))
    summary, _ = run_comparison(out_dir, corpus, chosen)
    console.print(
        f"{summary['groups']} groups ({summary['city_county_pairs']} city–county pairs, {summary['peer_pairs']} peer pairs), "
        f"{summary['clusters']} clusters of {summary['measures']} measures; threshold {summary['threshold']}"
    )
    for warning in summary["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")
    console.print(f"written: {', '.join(summary['files'])}")
