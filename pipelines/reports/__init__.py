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
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from extractors.types import STATUSES, CatalogueEntry
from models.comparison import load_comparison_settings
from models.taxonomy import load_taxonomy
from pipelines.outputs import atomic_path, comparison_from_records, load_source_texts, read_catalogue, read_jsonl
from pipelines.reports.charts import build_charts, find_cjk_font
from pipelines.reports.html_page import measure_filters, measure_lines, write_html
from pipelines.reports.markdown import write_markdown
from pipelines.reports.summary import SummarySettings, build_summary, comparison_is_current
from pipelines.reports.tables import comparison_tables
from pipelines.reports.view import build_view
from pipelines.reports.word import write_docx
from pipelines.reports.wording import DEFAULT_WORDING_PATH, load_wording
from pipelines.reports.workbook import write_catalogue_workbook

__all__ = ["write_reports"]


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
    class_names = {c.code: c.name for c in taxonomy.categories}
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
    charts = {c.key: c for c in build_charts(summary, wording, dpi=settings["chart_dpi"])}
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

    view = build_view(summary, wording, charts)
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
    with atomic_path(files["xlsx"]) as temporary:
        workbook = write_catalogue_workbook(temporary, documents, rows, wording, class_names, tables)
    with atomic_path(files["docx"]) as temporary:
        write_docx(temporary, view, charts, wording)
    lines = measure_lines(rows, texts, wording, class_names, settings["context_chars"])
    with atomic_path(files["html"]) as temporary:
        write_html(temporary, view, charts, lines, measure_filters(lines, class_names, documents, wording), wording)
    with atomic_path(files["md"]) as temporary:
        write_markdown(temporary, view, chart_files)
    return {
        "out_dir": str(out_dir),
        "documents": len(documents),
        "measures": len(rows),
        "counted_measures": summary["totals"]["counted_measures"],
        "charts": len(charts),
        "sheets": len(workbook["sheets"]),
        "unverified_contexts": sum(1 for line in lines if not line["context"]["verified"]),
        "font": f"{font.name} ({font.path})",
        "files": [str(p) for p in files.values()] + [str(out_dir / f) for f in chart_files.values()],
        "warnings": warnings,
        "seconds": round(time.perf_counter() - started, 2),
    }
