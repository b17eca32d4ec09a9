"""``catalogue.xlsx``: the catalogue as a workbook an analyst filters and pastes from.

Sheets: every measure with every field as readable text; the list of documents; one
sheet per document; the comparison tables. Every sheet has its header frozen, an
autofilter and column widths sized to the content.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from extractors.types import CatalogueEntry
from pipelines.reports.summary import format_bodies, format_targets
from pipelines.outputs import to_row
from pipelines.reports.package import xml_text

MAX_COLUMN_WIDTH = 60
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# OWASP's CSV-injection rule: a cell starting with one of these is a formula to Excel or
# LibreOffice once the sheet is saved as CSV, so it gets a leading apostrophe (and is stored as text)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Field order of the measures sheet; fields not listed follow in the order rows have them.
FIELD_ORDER = (
    "measure_id", "doc_id", "title", "doc_type", "level", "region", "region_code", "issuing_body", "source_path",
    "span_start", "span_end", "section_path", "text", "sentence", "action", "object", "status", "category",
    "secondary_categories", "confidence", "needs_review", "corrected", "rejected", "predicted_category", "correction_note",
    "bodies", "bodies_canonical", "targets", "initiatives", "placeholder", "cluster_id", "best_match_id",
    "best_match_similarity", "duplicate_of", "category_scores",
)
DOCUMENT_SHEET_FIELDS = ("span_start", "span_end", "section_path", "text", "status", "category", "bodies", "targets", "initiatives", "confidence", "needs_review", "measure_id")
DOCUMENT_FIELDS = ("doc_id", "title", "doc_type", "level", "region", "issuing_body", "author", "date", "source_path", "duplicate_of", "measures", "chars", "warnings")
COMPARISON_SHEETS = {  # table of pipelines.reports.tables.comparison_tables -> key of the sheet name in the wording file
    "coverage": "coverage", "pair_summary": "pair_summary", "pairs": "pairs", "clusters": "clusters",
    "concreteness": "concreteness", "measures": "comparison_measures", "documents": "comparison_documents",
}

__all__ = ["write_catalogue_workbook", "write_comparison_workbook", "sheet_name", "cell_text", "neutralise", "MAX_COLUMN_WIDTH"]


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of ``[]:*?/\\``, not
    starting or ending with an apostrophe, unique ignoring case (as Excel compares)."""
    base = FORBIDDEN_IN_SHEET_NAME.sub("_", xml_text(title or "")).strip().strip("'").strip() or "sheet"
    if base.lower() == "history":  # reserved by Excel
        base = "history_"
    candidate, n = base[:SHEET_NAME_MAX], 1
    while candidate.lower() in used:
        n += 1
        suffix = f"~{n}"
        candidate = base[: SHEET_NAME_MAX - len(suffix)].rstrip("'") + suffix
    used.add(candidate.lower())
    return candidate


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def cell_text(field: str, value, wording, class_names: Mapping[str, str]):
    """A catalogue field as a cell: text for lists and codes, numbers and None as they are."""
    labels = wording.labels
    boolean = labels["boolean"]
    if value is None:
        return None
    if field == "bodies":
        return format_bodies(value, labels)
    if field == "targets":
        return format_targets(value, labels)
    if field in ("category", "predicted_category"):
        name = class_names.get(value) or labels["class"].get(value) or ""
        return f"{value} {name}".strip()
    if field == "secondary_categories":
        return "、".join(f"{c} {class_names.get(c, '')}".strip() for c in value)
    if field == "category_scores":
        return "；".join(f"{c} {s:.3f}" for c, s in sorted(value.items(), key=lambda kv: -kv[1]))
    if field == "status":
        return labels["status"].get(value, value)
    if field in ("doc_type", "level"):
        return labels[field].get(value, value)
    if field == "section_path":
        return " › ".join(value)
    if isinstance(value, bool):
        return boolean["true" if value else "false"]
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "；".join(str(v) if not isinstance(v, dict) else "，".join(f"{k}：{x}" for k, x in v.items()) for v in value)
    return value


def _fields(rows: Sequence[Mapping]) -> list[str]:
    present = list(dict.fromkeys(k for r in rows for k in r))
    if "bodies" in present:
        present.append("bodies_canonical")
    ordered = [f for f in FIELD_ORDER if f in present]
    return ordered + [f for f in present if f not in ordered and f != "category_name"]  # the name is shown with the code


def _value(entry: CatalogueEntry, row: Mapping, field: str):
    """A field of the entry: spans and lists typed, the rest as its row has it."""
    if field == "bodies_canonical":
        return "、".join(dict.fromkeys(b.canonical for b in entry.bodies if b.canonical))
    if field in ("bodies", "targets"):
        return getattr(entry, field)
    return row.get(field)


def _write_table(
    sheet,
    headers: Sequence[str],
    lines: Iterable[Sequence],
    *,
    freeze: str = "A2",
    source_of: Callable[[int], str | None] | None = None,
    failures: list[dict] | None = None,
) -> None:
    """The one table writer of every workbook: header bold and frozen, autofilter, widths;
    every cell through ``neutralise``. A cell openpyxl still refuses is left empty and
    recorded in ``failures`` with the source of its line (``source_of(line index)``)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [_display_width(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=neutralise(header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    row_index = 1
    for row_index, line in enumerate(lines, start=2):
        for col, value in enumerate(line, start=1):
            value = neutralise(value)
            try:
                cell = sheet.cell(row=row_index, column=col, value=value)
            except (ValueError, TypeError) as exc:  # a value openpyxl cannot store: this cell only
                sheet.cell(row=row_index, column=col, value=None)
                if failures is not None:
                    source = source_of(row_index - 2) if source_of else None
                    header = headers[col - 1] if col <= len(headers) else col
                    failures.append({"path": source or sheet.title, "sheet": sheet.title, "row": row_index, "column": str(header), "reason": f"{type(exc).__name__}: {exc}"})
                continue
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            if row_index < 600:
                widths[col - 1] = max(widths[col - 1], _display_width(value))
    sheet.freeze_panes = freeze
    last = get_column_letter(max(1, len(headers)))
    sheet.auto_filter.ref = f"A1:{last}{max(row_index, 1)}"
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_COLUMN_WIDTH, width + 2)


def neutralise(value):
    """A value as a cell may hold it: no character XML cannot hold, at most Excel's cell
    length, lists as JSON text, and text that a spreadsheet would read as a formula
    prefixed with an apostrophe (the value itself stays visible after it)."""
    value = _clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        value = ("'" + value)[:MAX_CELL_CHARS]
    return value


def _clean(value):
    if isinstance(value, str):
        return xml_text(value)[:MAX_CELL_CHARS]
    if isinstance(value, (list, tuple, set, dict)):
        import json

        return _clean(json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False))
    return value


def write_catalogue_workbook(
    path: Path,
    documents: Sequence[Mapping],
    entries: Sequence[CatalogueEntry],
    wording,
    class_names: Mapping[str, str],
    comparison_tables: Mapping[str, list[dict]] | None = None,
    *,
    review=None,
    body_names: Sequence[str] = (),
    tasks: Sequence[Mapping] = (),
) -> dict:
    """Write the workbook; returns ``{"sheets": [names], "measures": n, "failures": [cells left empty]}``.
    Its 复核 sheets (``review.write_review_sheets``) show ``review``, the review this run applied;
    its 任务分工 sheet is ``tasks`` (``summary.task_division``, the summary's ``tasks``)."""
    from pipelines.reports.review import write_review_sheets

    from openpyxl import Workbook
    from openpyxl.worksheet.hyperlink import Hyperlink

    fields_label = wording.section("fields")
    sheets_label = wording.section("sheets")
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    failures: list[dict] = []

    rows = [(entry, to_row(entry)) for entry in entries]
    fields = _fields([row for _, row in rows]) or ["measure_id", "text"]
    measures = workbook.create_sheet(sheet_name(sheets_label["measures"], used))
    _write_table(
        measures,
        [fields_label.get(f, f) for f in fields],
        ([cell_text(f, _value(e, r, f), wording, class_names) for f in fields] for e, r in rows),
        freeze="C2", source_of=lambda i: rows[i][0].source_path, failures=failures,
    )
    if "measure_id" in fields:  # each measure's id opens its row of report.html (beside the workbook)
        column = fields.index("measure_id") + 1
        for row_index, (entry, _) in enumerate(rows, start=2):
            cell = measures.cell(row=row_index, column=column)
            cell.hyperlink = f"report.html#m-{entry.measure_id}"
            cell.style = "Hyperlink"

    overview = workbook.create_sheet(sheet_name(sheets_label["documents"], used))
    document_names = {}
    for index, doc in enumerate(documents, start=1):
        document_names[doc["doc_id"]] = f"{index:02d} {doc.get('title') or doc['doc_id']}"
    doc_fields = list(DOCUMENT_FIELDS)
    doc_headers = [wording.section("columns").get("document", "sheet")] + [fields_label.get(f, f) for f in doc_fields]
    by_doc: dict[str, list[tuple[CatalogueEntry, dict]]] = {}
    for entry, row in rows:
        by_doc.setdefault(entry.doc_id, []).append((entry, row))
    names = {}
    for doc in documents:
        names[doc["doc_id"]] = sheet_name(document_names[doc["doc_id"]], used)
    _write_table(
        overview,
        doc_headers,
        ([names[d["doc_id"]]] + [cell_text(f, d.get(f), wording, class_names) for f in doc_fields] for d in documents),
        source_of=lambda i: documents[i].get("source_path"), failures=failures,
    )
    for row_index, doc in enumerate(documents, start=2):
        cell = overview.cell(row=row_index, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[doc['doc_id']]}'!A1", display=names[doc["doc_id"]])
        cell.style = "Hyperlink"

    _task_sheet(workbook.create_sheet(sheet_name(sheets_label["tasks"], used)), tasks, wording, names, failures)

    for doc in documents:
        sheet = workbook.create_sheet(names[doc["doc_id"]])
        of_doc = sorted(by_doc.get(doc["doc_id"], []), key=lambda pair: (pair[0].start, pair[0].end))
        _write_table(
            sheet,
            [fields_label.get(f, f) for f in DOCUMENT_SHEET_FIELDS],
            ([cell_text(f, _value(e, r, f), wording, class_names) for f in DOCUMENT_SHEET_FIELDS] for e, r in of_doc),
            source_of=lambda i, doc=doc: doc.get("source_path"), failures=failures,
        )

    sources = _line_sources(documents)
    for table_key, label_key in COMPARISON_SHEETS.items():
        table = (comparison_tables or {}).get(table_key)
        if table is None:
            continue
        _comparison_sheet(workbook.create_sheet(sheet_name(sheets_label.get(label_key, table_key), used)), table_key, table, wording, class_names, sources, failures)

    shown = {doc["doc_id"]: doc.get("title") or doc.get("source_path") or doc["doc_id"] for doc in documents}
    write_review_sheets(workbook, list(entries), shown, (comparison_tables or {}).get("pairs"), wording, class_names, body_names, review, sheet_name, used)
    save_workbook(workbook, path)
    return {"sheets": workbook.sheetnames, "measures": len(entries), "failures": failures}


def _task_sheet(sheet, tasks: Sequence[Mapping], wording, names: Mapping[str, str], failures: list[dict]) -> None:
    """任务分工: per document, every measure still to be done with 牵头, 配合, 时限, 量化指标."""
    columns = wording.section("columns")
    status = wording.labels["status"]
    lines = [(doc, i, t) for doc in tasks for i, t in enumerate(doc["tasks"], start=1)]
    headers = [columns["document"], columns["task_number"], columns["text"], columns["task_lead"], columns["task_support"],
               columns["task_deadline"], columns["task_targets"], columns["status"], columns["task_source"], wording.section("fields")["measure_id"]]
    _write_table(sheet, headers, ([names.get(doc["doc_id"], doc["title"]), i, t["text"], "、".join(t["lead"]), "、".join(t["support"]),
                                   "；".join(t["deadline"]), "；".join(t["targets"]), status.get(t["status"], t["status"]), t["source"], t["measure_id"]]
                                  for doc, i, t in lines), freeze="C2", source_of=lambda k: lines[k][2]["source"].rsplit(" ", 1)[0], failures=failures)


def _line_sources(documents: Sequence[Mapping]) -> Callable[[Mapping], str | None]:
    """The source file a comparison table line is about (its document, or the first of a pair)."""
    by_id = {d["doc_id"]: d.get("source_path") for d in documents}

    def source(line: Mapping) -> str | None:
        for key in ("doc_id", "doc_a", "doc_b"):
            if line.get(key) in by_id:
                return by_id[line[key]]
        return None

    return source


def save_workbook(workbook, path: Path) -> None:
    """Save with the stable document timestamp and zip entry dates (``package.settle``)."""
    from pipelines.reports.package import settle

    workbook.save(path)
    settle(path)


def _cell_value(value, column: str, class_names: Mapping[str, str], wording):
    """A comparison table's value as a reader reads it: class codes with their names,
    relations, kinds and levels in Chinese, yes / no for flags."""
    if column in ("category", "category_b") and isinstance(value, str) and value in class_names:
        return f"{value} {class_names[value]}"
    if column in ("relation", "kind", "level", "doc_type") and isinstance(value, str):
        return wording.labels[{"relation": "relation", "kind": "kind"}.get(column, column)].get(value, value)
    if isinstance(value, bool):
        return wording.labels["boolean"]["true" if value else "false"]
    return value


def _comparison_sheet(sheet, table_key: str, table: list[dict], wording, class_names: Mapping[str, str], sources, failures: list[dict]) -> None:
    """One comparison table as a sheet, headers and values in Chinese; the one writer of
    both workbooks' comparison sheets."""
    headers = wording.section("comparison_fields")
    columns = list(dict.fromkeys(k for line in table for k in line)) or ["-"]
    lines = ([_cell_value(line.get(c), c, class_names, wording) for c in columns] for line in table)
    _write_table(sheet, [str(headers.get(c, c)) if c in headers else c for c in columns], lines, freeze="B2" if table_key == "coverage" else "A2",
                 source_of=lambda i: sources(table[i]), failures=failures)


# ---------------------------------------------------------------- comparison.xlsx


def write_comparison_workbook(path: Path, documents: list[dict], rows: list[dict], result: dict, settings, wording, class_names: Mapping[str, str]) -> list[dict]:
    """One sheet per table, named and headed in Chinese as the catalogue workbook's
    对比 sheets are (one writer, one guard for formulas and control characters). Returns
    the cells left empty, each naming the source file of its line."""
    from openpyxl import Workbook

    from pipelines.reports.tables import comparison_tables

    tables = comparison_tables(documents, rows, result, settings)
    sheets_label = wording.section("sheets")
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    failures: list[dict] = []
    sources = _line_sources(documents)
    for name, table in tables.items():
        label = str(sheets_label.get(COMPARISON_SHEETS.get(name, name), name))
        _comparison_sheet(workbook.create_sheet(sheet_name(label.removeprefix("对比-"), used)), name, table, wording, class_names, sources, failures)
    save_workbook(workbook, path)
    return failures
