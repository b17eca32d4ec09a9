"""``report.html``: one self-contained page, the summary and a searchable measure table
with every measure highlighted in its source text."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from extractors.types import STATUSES, CatalogueEntry
from pipelines.reports.summary import UNKNOWN, format_bodies, format_targets, measure_context
from pipelines.reports.templates import jinja
from pipelines.reports.wording import Wording

def json_for_script(data) -> str:
    """JSON to sit inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` as
    ``\\u`` escapes, so no ``</script>`` or ``<!--`` in the data can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def measure_lines(rows: Sequence[CatalogueEntry], texts: Mapping[str, str], wording: Wording, class_names: Mapping[str, str], width: int,
                  pages: Mapping[str, str] | None = None) -> list[dict]:
    """One line per catalogue entry for the HTML table: labels, the measure in its source
    text, the page of its whole document (``pages``: doc_id → page) and what search looks at."""
    lines = []
    pages = pages or {}
    for index, row in enumerate(rows):
        context = measure_context(texts.get(row.source_path), row.start, row.end, width, sentence=row.sentence, measure=row.text)
        code = row.category or UNKNOWN
        canonical = list(dict.fromkeys(b.canonical for b in row.bodies if b.canonical))
        lines.append({
            "index": index,
            "measure_id": row.measure_id,
            "doc_id": row.doc_id,
            "title": row.title or row.doc_id,
            "source_path": row.source_path,
            "span_start": row.start,
            "span_end": row.end,
            "text": row.text,
            "category": code,
            "class_name": class_names.get(code) or wording.label("class", code),
            "status": row.status or UNKNOWN,
            "status_label": wording.label("status", row.status),
            "level": row.level or UNKNOWN,
            "level_label": wording.label("level", row.level),
            "bodies": canonical,
            "bodies_text": format_bodies(row.bodies, wording.labels),
            "section": " › ".join(row.section_path),
            "duplicate": bool(row.duplicate_of),
            "needs_review": bool(row.needs_review),
            "confidence": row.confidence,
            "context": context,
            "page": pages.get(row.doc_id),
        })
        line = lines[-1]
        # search looks at every field a reader may remember: the document, its place and issuer,
        # the sentence, bodies and targets, besides the measure and its labels
        line["search"] = "\n".join(str(v) for v in (
            line["title"], row.region, row.issuing_body, row.sentence, row.text, line["class_name"], line["status_label"], line["level_label"],
            line["bodies_text"], format_targets(row.targets, wording.labels), "、".join(row.initiatives), line["section"], row.source_path, row.measure_id,
        ) if v).lower()
    return lines


def write_html(path: Path, view: Mapping, charts: Mapping[str, Any], entries: Sequence[Mapping], filters: Mapping, wording: Wording) -> None:
    images = {key: "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii") for key, chart in charts.items()}
    data = {
        "measures": [{"c": e["category"], "s": e["status"], "l": e["level"], "b": e["bodies"], "d": e["doc_id"], "r": int(e["needs_review"]), "q": e["search"],
                      "csv": [e["measure_id"], e["title"], e["class_name"], e["status_label"], e["level_label"], e["bodies_text"], e["text"],
                              f"{e['source_path']} {e['span_start']}–{e['span_end']}"]} for e in entries],
        "csv_header": [wording.section("fields").get(k, k) for k in ("measure_id", "title", "category", "status", "level", "bodies", "text", "source_path")],
        "count": wording.section("sentences")["html_count"],
    }
    from markupsafe import Markup

    html = jinja(True).get_template("report.html.j2").render(
        view=view, images=images, entries=entries, filters=filters, columns=wording.section("columns"),
        sentences=wording.section("sentences"), headings=wording.section("headings"), data_json=Markup(json_for_script(data)),
        total=len(entries), count_text=wording.fill("html_count", shown=len(entries), total=len(entries)),
    )
    path.write_text(html, encoding="utf-8")


def measure_filters(entries: Sequence[Mapping], class_names: Mapping[str, str], documents: Sequence[Mapping], wording: Wording) -> dict:
    present = lambda key: list(dict.fromkeys(e[key] for e in entries))  # noqa: E731
    classes = [c for c in class_names if c in present("category")] + [c for c in present("category") if c not in class_names]
    statuses = [s for s in (*STATUSES, UNKNOWN) if s in present("status")] + [s for s in present("status") if s not in (*STATUSES, UNKNOWN)]
    levels = [lv for lv in wording.labels["level"] if lv in present("level")] + [lv for lv in present("level") if lv not in wording.labels["level"]]
    # ties by name: set order changes with the hash seed, so the page would differ run to run
    bodies = sorted({b for e in entries for b in e["bodies"]}, key=lambda b: (-sum(b in e["bodies"] for e in entries), b))
    return {
        "class": [(c, class_names.get(c) or wording.label("class", c)) for c in classes],
        "status": [(s, wording.label("status", s)) for s in statuses],
        "level": [(lv, wording.label("level", lv)) for lv in levels],
        "body": [(b, b) for b in bodies],
        "document": [(d["doc_id"], d.get("title") or d["doc_id"]) for d in documents if any(e["doc_id"] == d["doc_id"] for e in entries)],
    }
