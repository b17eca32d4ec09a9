"""The reports a research office pastes into its own.

From a run's values (or, for ``policycat report``, what a run wrote into the outputs
folder) this writes

- ``catalogue.xlsx``: every measure with every field, a sheet per document, the comparison tables;
- ``report.docx``: the summary with Word headings, tables and charts;
- ``report.html``: one self-contained page, the summary plus a searchable measure table
  with every measure highlighted in its source text;
- ``report.md``: the summary as Markdown; ``charts/*.png``: the charts.

The figures come from ``summary``, laid out by ``view`` (and ``tables`` for the
comparison sheets); the wording from ``templates/report.yaml``; one writer per format.

Each chart and each writer stands alone: a chart that cannot be drawn is left out (the
data notes say so), a writer that fails leaves no file of its format (not a stale one
of an earlier run) and the others still write. Each such failure is a row of
``errors.jsonl`` (stage ``report``) naming the source file or output concerned.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from extractors.types import STATUSES, CatalogueEntry
from models.comparison import load_comparison_settings
from models.taxonomy import load_taxonomy
from pipelines.outputs import atomic_path, comparison_from_records, load_source_texts, read_catalogue, read_jsonl, write_jsonl
from pipelines.reports.charts import ChartFailure, ChartFontError, draw_charts, find_cjk_font
from pipelines.reports.document_pages import class_colours, document_page_names, document_pages
from pipelines.reports.html_page import measure_filters, measure_lines, write_html
from pipelines.reports.markdown import write_markdown
from pipelines.reports.summary import SummarySettings, build_summary, comparison_is_current
from pipelines.reports.tables import comparison_tables
from pipelines.reports.view import build_view
from pipelines.reports.word import write_docx
from pipelines.reports.wording import DEFAULT_WORDING_PATH, load_wording
from pipelines.reports.workbook import write_catalogue_workbook

__all__ = ["write_reports", "report_error_row"]

STAGE = "report"


def report_error_row(path: str, reason: str) -> dict:
    """A row of ``errors.jsonl`` for a failure of this step (the fields of every error row)."""
    return {"path": path, "stage": STAGE, "reason": reason}


def _chart_rows(failure: ChartFailure, documents: Sequence[Mapping]) -> list[dict]:
    """A left-out chart's rows: one per document whose title holds a character the font
    lacks (that document is the cause), else one naming the chart."""
    rows = []
    for doc in documents:
        title = doc.get("title") or ""
        lacking = [f"U+{ord(ch):04X}" for ch in failure.missing if ch in title]
        if lacking:
            reason = f"chart {failure.key} left out: the chart font has no glyph for {', '.join(lacking)} in this document's title"
            rows.append(report_error_row(doc.get("source_path") or doc["doc_id"], reason))
    return list({r["path"]: r for r in rows}.values()) or [report_error_row(f"charts/{failure.key}", f"chart {failure.key} left out: {failure.reason}")]


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        # the temporary file's name changes every run: the same failure must read the same
        return f"{type(exc).__name__}: {exc.strerror}"
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def _read_optional(path: Path) -> list[dict]:
    return read_jsonl(path) if path.is_file() else []


def _with_clusters(rows: Sequence[CatalogueEntry], result: Mapping | None) -> list[CatalogueEntry]:
    """Entries as the comparison tables need them: every entry in a cluster (its own when alone)."""
    cluster_of = {m: c["cluster_id"] for c in (result or {}).get("clusters") or () for m in c.get("measure_ids") or ()}
    return [r if r.cluster_id else replace(r, cluster_id=cluster_of.get(r.measure_id) or f"c{r.measure_id}") for r in rows]


def write_reports(
    out_dir: str | Path,
    corpus_dirs: Sequence[str | Path] = (),
    *,
    wording_path: str | Path | None = None,
    documents: Sequence[Mapping] | None = None,
    entries: Sequence[CatalogueEntry] | None = None,
    comparison: Mapping | None = None,
    errors: Sequence[Mapping] | None = None,
    texts: Mapping[str, str] | None = None,
    review=None,
) -> dict:
    """Write ``catalogue.xlsx``, ``report.docx``, ``report.html``, ``report.md`` and
    ``charts/*.png`` into ``out_dir``.

    The flow hands over its documents, entries, comparison result, errors and source
    texts; a standalone ``policycat report`` reads what a run (and ``policycat compare``)
    wrote there. ``corpus_dirs`` are where ``.txt``/``.md`` sources are read again for
    the HTML context (other formats use ``texts/``). Raises ``ChartFontError`` when no
    font can draw Chinese. Returns counts, the files written and warnings.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    wording = load_wording(wording_path or DEFAULT_WORDING_PATH)
    settings = wording.settings
    taxonomy = load_taxonomy()
    class_names = taxonomy.names
    comparison_settings = load_comparison_settings()

    in_run = entries is not None
    documents = read_jsonl(out_dir / "documents.jsonl") if documents is None else documents
    rows = read_catalogue(out_dir / "catalogue.jsonl") if entries is None else list(entries)
    result = comparison_from_records(_read_optional(out_dir / "comparison.jsonl")) if not in_run else comparison
    errors = _read_optional(out_dir / "errors.jsonl") if errors is None else errors
    warnings: list[str] = []
    if texts is None:
        texts, warnings = load_source_texts(documents, out_dir, [Path(p) for p in corpus_dirs])

    summary = build_summary(
        documents, rows, class_names=class_names, comparison=result, errors=errors, statuses=STATUSES,
        type_order=list(wording.labels["doc_type"]), level_order=list(wording.labels["level"]),
        settings=SummarySettings(settings["examples_per_class"], settings["examples_per_relation"], settings["top_bodies"], settings["min_example_chars"]),
        comparison_settings=comparison_settings,
    )
    font = find_cjk_font()
    failed: list[dict] = []  # this step's error rows
    drawn, left_out = draw_charts(summary, wording, dpi=settings["chart_dpi"])
    charts = {c.key: c for c in drawn}
    for failure in left_out:
        failed += _chart_rows(failure, documents)
    chart_dir = out_dir / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    chart_files = {}
    for i, (key, chart) in enumerate(charts.items(), start=1):
        name = f"{i:02d}-{key}.png"
        with atomic_path(chart_dir / name) as temporary:
            temporary.write_bytes(chart.png)
        chart_files[key] = f"charts/{name}"
    # an earlier run's charts go once this run's are in place
    for stale in chart_dir.glob("*.png"):
        if f"charts/{stale.name}" not in chart_files.values():
            stale.unlink()

    view = build_view(summary, wording, charts, left_out=left_out, font=font.name)
    current = comparison_is_current(result, rows)
    tables = comparison_tables(documents, _with_clusters(rows, result), result, comparison_settings) if current else None
    if result and not current:
        warnings.append("comparison.jsonl does not match catalogue.jsonl: run `policycat compare` again")
    elif not result:
        warnings.append("no comparison.jsonl: run `policycat compare` for the city–county sections")

    files = {
        "xlsx": out_dir / "catalogue.xlsx",
        "docx": out_dir / "report.docx",
        "html": out_dir / "report.html",
        "md": out_dir / "report.md",
    }
    written: list[Path] = []

    def attempt(kind: str, write) -> object:
        """One writer: its failure is a row and no file of its format, never the end of the others."""
        try:
            with atomic_path(files[kind]) as temporary:
                outcome = write(temporary)
        except ChartFontError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported in errors.jsonl, the other files stand
            try:
                files[kind].unlink(missing_ok=True)  # neither a half-written file nor an earlier run's
            except OSError:
                pass  # not a file (a folder of that name): nothing of this run's to take back
            failed.append(report_error_row(files[kind].name, f"{files[kind].name} not written: {_one_line(exc)}"))
            return None
        written.append(files[kind])
        return outcome

    workbook = attempt("xlsx", lambda path: write_catalogue_workbook(
        path, documents, rows, wording, class_names, tables, review=review, body_names=_body_names(rows), tasks=summary["tasks"],
    )) or {"sheets": [], "failures": []}
    for cell in workbook["failures"]:
        failed.append(report_error_row(cell["path"], f"catalogue.xlsx: cell {cell['column']} of row {cell['row']} of sheet {cell['sheet']} left empty: {cell['reason']}"))
    attempt("docx", lambda path: write_docx(path, view, charts, wording))
    page_files = _write_document_pages(out_dir, documents, rows, texts, wording, class_names, taxonomy.codes, failed)
    lines = measure_lines(rows, texts, wording, class_names, settings["context_chars"], pages={d: p for d, p in document_page_names(documents).items() if p in page_files})
    attempt("html", lambda path: write_html(path, view, charts, lines, measure_filters(lines, class_names, documents, wording), wording))
    attempt("md", lambda path: write_markdown(path, view, chart_files))
    _record_errors(out_dir, failed)
    return {
        "out_dir": str(out_dir),
        "documents": len(documents),
        "measures": len(rows),
        "counted_measures": summary["totals"]["counted_measures"],
        "charts": len(charts),
        "charts_left_out": [f.key for f in left_out],
        "sheets": len(workbook["sheets"]),
        "unverified_contexts": sum(1 for line in lines if not line["context"]["verified"]),
        "font": f"{font.name} ({font.path})",
        "files": [str(p) for p in written] + [str(out_dir / f) for f in chart_files.values()] + [str(out_dir / f) for f in page_files],
        "errors": failed,
        "warnings": warnings,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _write_document_pages(out_dir: Path, documents, rows, texts, wording, class_names, codes, failed: list[dict]) -> list[str]:
    """``documents/NN.html`` for every document with its text at hand; an earlier run's
    pages that this run does not write go. A page that fails is a row, the others stand."""
    colours = class_colours(list(codes), wording.settings["class_colours"])
    folder = out_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        pages = document_pages(documents, rows, texts, wording, class_names, colours)
    except Exception as exc:  # noqa: BLE001 - the report stands without the document pages
        failed.append(report_error_row("documents/", f"document pages not written: {_one_line(exc)}"))
        pages = {}
    for name, html in pages.items():
        with atomic_path(out_dir / name) as temporary:
            temporary.write_text(html, encoding="utf-8")
        written.append(name)
    for stale in folder.glob("*.html"):
        if f"documents/{stale.name}" not in written:
            stale.unlink()
    return written


def _body_names(rows: Sequence[CatalogueEntry]) -> list[str]:
    """The canonical bodies an analyst may name: the lexicon's, then any the catalogue has."""
    from extractors.lexicon import load_lexicon

    names = [p.canonical for p in load_lexicon().body_patterns] + [b.canonical for r in rows for b in r.bodies if b.canonical]
    return list(dict.fromkeys(names))


def _record_errors(out_dir: Path, rows: Sequence[Mapping]) -> None:
    """This step's rows appended to ``errors.jsonl``; a row already there (an earlier
    ``policycat report`` over the same folder) is not repeated."""
    present = _read_optional(out_dir / "errors.jsonl")
    new = [r for r in rows if r not in present]
    if new:
        write_jsonl(out_dir / "errors.jsonl", new, append=True)
