"""``policycat report``: the reports a research office pastes into its own.

From what a run wrote into the outputs folder (``catalogue.jsonl``, ``documents.jsonl``,
``comparison.jsonl``, ``errors.jsonl``, the source texts) this writes

- ``catalogue.xlsx``: every measure with every field, a sheet per document, the comparison tables;
- ``report.docx``: the summary with Word headings, tables and charts;
- ``report.html``: one self-contained page, the summary plus a searchable measure table
  with every measure highlighted in its source text;
- ``report.md``: the summary as Markdown; ``charts/*.png``: the charts.

The figures come from ``models.summary``; the wording from ``templates/report.yaml``; the
layout of the Markdown and HTML pages from ``templates/*.j2``.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import typer
from pydantic import PositiveInt

from extractors.knowledge import DataError, Schema, Text, load_yaml, validate
from extractors.types import STATUSES
from models.comparison import load_comparison_settings
from models.summary import UNKNOWN, SummarySettings, build_summary, comparison_is_current, comparison_result, format_bodies, measure_context
from models.taxonomy import load_taxonomy
from pipelines.outputs import read_jsonl

TEMPLATES_DIR = Path(__file__).with_name("templates")
DEFAULT_WORDING_PATH = TEMPLATES_DIR / "report.yaml"
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")

__all__ = ["Wording", "load_wording", "write_reports", "report_command", "build_view", "DEFAULT_WORDING_PATH"]


# ---------------------------------------------------------------- wording


@dataclass(frozen=True)
class Wording:
    """The report's words, read from ``report.yaml``; a missing key or a sentence that
    cannot be filled is reported with the file and line."""

    data: Mapping[str, Any]
    path: str
    lines: Mapping[str, int]  # "section.key" -> line

    def section(self, name: str) -> Mapping[str, Any]:
        return self.data[name]

    @property
    def labels(self) -> Mapping[str, Any]:
        return self.section("labels")

    @property
    def settings(self) -> Mapping[str, Any]:
        return self.data["settings"]

    def heading(self, key: str) -> str:
        return self.section("headings")[key]

    def label(self, group: str, key: str | None) -> str:
        key = key or UNKNOWN
        return str(self.labels[group].get(key, key))

    def fill(self, key: str, **values) -> str:
        # YAML folds a long sentence's line breaks into spaces; between Chinese characters they go
        template = _CJK_GAP.sub("", " ".join(str(self.section("sentences")[key]).split()))
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise DataError(
                self.path, self.lines.get(f"sentences.{key}"), f"句式 {key} 无法填入：{exc!r}（可用的名字：{', '.join(sorted(values))}）"
            ) from exc


class _Checked(dict):
    """A wording section whose missing key names the file and the key."""

    def __init__(self, data: Mapping, name: str, path: str, line: int | None):
        super().__init__(data)
        self._name, self._path, self._line = name, path, line

    def __missing__(self, key):
        raise DataError(self._path, self._line, f"{self._name} 中缺少 “{key}”")


class _WordingSettings(Schema):
    examples_per_class: PositiveInt
    examples_per_relation: PositiveInt
    top_bodies: PositiveInt
    min_example_chars: PositiveInt
    context_chars: PositiveInt
    chart_dpi: PositiveInt
    docx_body_font: Text
    docx_heading_font: Text


class _WordingFile(Schema):
    title: str
    subtitle: str
    settings: _WordingSettings
    headings: dict[str, Any]
    labels: dict[str, Any]
    columns: dict[str, Any]
    fields: dict[str, Any]
    sheets: dict[str, Any]
    charts: dict[str, Any]
    sentences: dict[str, Any]



def load_wording(path: str | Path = DEFAULT_WORDING_PATH) -> Wording:
    """Read and check ``report.yaml``: every section present, settings numbers positive."""
    path = str(path)
    tree = load_yaml(path)
    data = validate(tree, _WordingFile, path).model_dump()
    lines: dict[str, int] = {}
    for key, section in tree.items():
        lines[key] = tree.line_of(key)
        for item in section if isinstance(section, dict) else ():
            lines[f"{key}.{item}"] = section.line_of(item)
    checked = {k: _Checked(v, k, path, lines.get(k)) if isinstance(v, dict) else v for k, v in data.items()}
    return Wording(checked, path, lines)


# ---------------------------------------------------------------- the view: blocks every format renders


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence], numeric_from: int = 1) -> dict:
    return {"type": "table", "header": list(header), "rows": [[("" if c is None else str(c)) for c in r] for r in rows], "numeric_from": numeric_from}


def _p(text: str) -> dict:
    return {"type": "paragraph", "text": text}


def _h(text: str, level: int = 2) -> dict:
    return {"type": "heading", "text": text, "level": level}


def _examples(items: Sequence[Mapping], wording: Wording) -> dict:
    return {
        "type": "examples",
        "items": [
            {
                "text": wording.fill("example", text=e["text"]),
                "source": wording.fill("example_source", title=e["title"], source_path=e["source_path"], start=e["span_start"], end=e["span_end"], doc_id=e["doc_id"]),
                "note": wording.fill("example_flags", score=e["score"]),
            }
            for e in items
        ],
    }


def _chart(key: str, charts: Mapping[str, Any]) -> list[dict]:
    return [{"type": "chart", "key": key, "title": charts[key].title}] if key in charts else []


def build_view(summary: Mapping, wording: Wording, charts: Mapping[str, Any]) -> dict:
    """The report as sections of blocks (heading, paragraph, table, examples, list, chart)
    that the Word, Markdown and HTML writers render alike."""
    say, col, label = wording.fill, wording.section("columns"), wording.label
    totals, overview = summary["totals"], summary["documents"]
    class_name = {c["code"]: c["name"] for c in summary["classes"]}
    class_name.setdefault(UNKNOWN, label("class", UNKNOWN))
    sections = []

    # overview
    blocks = [
        _p(say("overview", files=overview["files"], documents=overview["documents"], split_files=overview["split_files"],
               duplicates=overview["duplicates"], counted=overview["counted"])),
        _p(say("measures", measures=totals["measures"], uncounted=totals["uncounted_measures"], counted=totals["counted_measures"],
               classes_used=totals["classes_used"], classes=totals["classes"])),
        _p(say("documents_by",
               types="、".join(say("type_part", label=label("doc_type", t["key"]), count=t["count"]) for t in overview["by_type"]),
               levels="、".join(say("level_part", label=label("level", t["key"]), count=t["count"]) for t in overview["by_level"]))),
        _h(wording.heading("documents_by_type")),
        _table(
            [col["type"], *(label("level", lv) for lv in overview["levels"]), wording.labels["total"]],
            [[label("doc_type", line["key"]), *(line["counts"][lv] for lv in overview["levels"]), line["total"]] for line in overview["type_level"]]
            + [[wording.labels["total"], *(c["count"] for c in overview["by_level"]), overview["counted"]]],
        ),
        *_chart("documents", charts),
    ]
    sections.append({"key": "overview", "heading": wording.heading("overview"), "blocks": blocks})

    # classes
    statuses = [s["key"] for s in summary["statuses"]]
    used = [c for c in summary["classes"] if c["measures"]]
    top = sorted(used, key=lambda c: -c["measures"])[:3]
    blocks = [
        _p(say("statuses", parts="，".join(say("status_part", label=label("status", s["key"]), count=s["count"], share=s["share"]) for s in summary["statuses"]))),
        _p(say("classes_lead", top="、".join(say("class_top_part", name=c["name"], count=c["measures"], code=c["code"]) for c in top))),
        _table(
            [col["class"], col["code"], col["measures"], col["share"], *(label("status", s) for s in statuses), col["documents"]],
            [[c["name"], c["code"], c["measures"], _pct(c["share"]), *(c["by_status"].get(s, 0) for s in statuses), c["documents"]] for c in summary["classes"]]
            + [[wording.labels["total"], "", totals["counted_measures"], _pct(1.0 if totals["counted_measures"] else 0.0),
                *(s["count"] for s in summary["statuses"]), overview["counted"]]],
            numeric_from=2,
        ),
        *_chart("classes", charts),
        _h(wording.heading("class_examples")),
        _p(say("class_examples_lead")),
    ]
    for c in used:
        blocks += [_h(say("class_heading", name=c["name"], code=c["code"], count=c["measures"]), 3), _examples(c["examples"], wording)]
    sections.append({"key": "classes", "heading": wording.heading("classes"), "blocks": blocks})

    # bodies
    bodies = summary["bodies"]
    counted = totals["counted_measures"]
    explicit = sum(line["explicit"] for line in bodies["lines"])
    blocks = [
        _p(say("bodies_lead", explicit_share=explicit / counted if counted else 0.0, explicit=explicit)),
        _table(
            [col["class"], *bodies["bodies"], wording.labels["bodies_other"], wording.labels["bodies_none"], col["measures"]],
            [[class_name.get(line["code"], line["code"]), *(line["counts"][b] for b in bodies["bodies"]), line["other"], line["none"], line["measures"]] for line in bodies["lines"]]
            + [[wording.labels["total"], *(bodies["totals"][b] for b in bodies["bodies"]), sum(line["other"] for line in bodies["lines"]),
                sum(line["none"] for line in bodies["lines"]), counted]],
        ),
        *_chart("bodies", charts),
    ]
    sections.append({"key": "bodies", "heading": wording.heading("bodies"), "blocks": blocks})

    # city and county
    blocks = [_p(say("city_county_lead"))]
    if not summary["city_county"]:
        blocks.append(_p(say("no_city_county")))
    for i, pair in enumerate(summary["city_county"], start=1):
        blocks += [
            _h(pair["group"] or f"{pair['city']['title']} — {pair['county']['title']}"),
            _p(say("city_county_pair", city=pair["city"]["title"], county=pair["county"]["title"], city_measures=pair["city_measures"],
                   county_measures=pair["county_measures"], taken_up=pair["taken_up"], left_out=pair["left_out"], added=pair["added"],
                   taken_up_share=pair["taken_up_share"], added_share=pair["added_share"])),
            _p(say("text_reuse", share=pair["text_reuse_share"]) if pair["text_reuse_share"] is not None else say("text_reuse_missing")),
            _table(
                [col["class"], col["city_measures"], col["county_measures"], col["taken_up"], col["left_out"], col["added"]],
                [[class_name.get(line["category"], line["category"]), line["city_measures"], line["county_measures"], line["taken_up"], line["left_out"], line["added"]]
                 for line in pair["by_category"]]
                + [[wording.labels["total"], pair["city_measures"], pair["county_measures"], pair["taken_up"], pair["left_out"], pair["added"]]],
            ),
            *_chart(f"city_county_{i}", charts),
            _h(say("taken_up_lead"), 3),
            {"type": "list", "items": [say("taken_up_example", county=t["county"]["text"], city=t["city"]["text"], similarity=t["similarity"] or 0.0)
                                       for t in pair["examples"]["taken_up"]] or [wording.labels["none"]]},
            _h(say("left_out_lead"), 3),
            _examples(pair["examples"]["left_out"], wording),
            _h(say("added_lead"), 3),
            _examples(pair["examples"]["added"], wording),
        ]
    sections.append({"key": "city_county", "heading": wording.heading("city_county"), "blocks": blocks})

    # peers
    blocks = [_p(say("peers_lead"))]
    if summary["peers"]:
        blocks.append(_table(
            [col["pair_a"], col["pair_b"], f"{col['measures']}（甲）", f"{col['measures']}（乙）", col["a_shared"], col["b_shared"], f"{col['reuse']}（甲在乙）", f"{col['reuse']}（乙在甲）"],
            [[p["a"]["title"], p["b"]["title"], p["a_measures"], p["b_measures"], f"{p['a_shared']}（{_pct(p['a_shared_share'])}）",
              f"{p['b_shared']}（{_pct(p['b_shared_share'])}）", _pct(p["reuse_a_in_b"]), _pct(p["reuse_b_in_a"])] for p in summary["peers"]],
            numeric_from=2,
        ))
    else:
        blocks.append(_p(wording.labels["none"]))
    sections.append({"key": "peers", "heading": wording.heading("peers"), "blocks": blocks})

    # ranking
    ranked = [d for d in summary["ranking"] if d.get("rank") is not None]
    blocks = []
    if ranked:
        blocks.append(_p(say("ranking_lead", best=ranked[0]["title"], best_score=ranked[0]["score"], worst=ranked[-1]["title"], worst_score=ranked[-1]["score"])))
        blocks.append(_table(
            [col["rank"], col["title"], col["type"], col["level"], col["region"], col["measures"], col["score"],
             col["explicit_body_share"], col["quantified_target_share"], col["deadline_share"], col["initiative_share"]],
            [[d["rank"], d["title"], label("doc_type", d.get("doc_type")), label("level", d.get("level")), d.get("region") or "", d["measures"], _num(d["score"]),
              _pct(d["explicit_body_share"]), _pct(d["quantified_target_share"]), _pct(d["deadline_share"]), _pct(d["initiative_share"])] for d in ranked],
            numeric_from=5,
        ))
        blocks += _chart("ranking", charts)
    else:
        blocks.append(_p(wording.labels["none"]))
    sections.append({"key": "ranking", "heading": wording.heading("ranking"), "blocks": blocks})

    # notes
    notes = summary["notes"]
    items = []
    if notes["placeholders"]:
        items.append(say("notes_placeholders", documents=len(notes["placeholders"]), count=notes["placeholder_count"], measures=notes["placeholder_measures"],
                         examples="、".join(f"“{t}”" for t in dict.fromkeys(t for p in notes["placeholders"] for t in p["texts"]) if t)[:80]))
    else:
        items.append(say("notes_no_placeholders"))
    if notes["duplicates"]:
        items.append(say("notes_duplicates", measures=notes["duplicate_measures"],
                         parts="；".join(say("notes_duplicate_part", title=d["title"], duplicate_title=d["duplicate_title"]) for d in notes["duplicates"])))
    else:
        items.append(say("notes_no_duplicates"))
    items.append(say("notes_review", count=notes["needs_review"], share=notes["needs_review_share"], mean=notes["low_confidence_mean"]))
    items.append(say("notes_no_body", count=notes["no_explicit_body"], share=notes["no_explicit_body_share"]))
    if notes["corrected"] or notes["rejected"]:
        items.append(say("notes_corrections", corrected=notes["corrected"], rejected=notes["rejected"]))
    if notes["failed"]:
        items.append(say("notes_failed", count=len(notes["failed"]), parts="；".join(say("notes_failed_part", path=f["path"], reason=f["reason"], stage=f["stage"]) for f in notes["failed"])))
    else:
        items.append(say("notes_no_failed"))
    if notes["comparison_missing"]:
        items.append(say("notes_comparison_missing"))
    elif notes["comparison_stale"]:
        items.append(say("notes_comparison_stale"))
    if notes["comparison_warnings"]:
        items.append(say("notes_comparison_warnings", parts="；".join(notes["comparison_warnings"])))
    if notes["document_warnings"]:
        items.append(say("notes_document_warnings", parts="；".join(notes["document_warnings"])))
    sections.append({"key": "notes", "heading": wording.heading("notes"), "blocks": [{"type": "list", "items": items}]})

    return {"title": wording.data["title"], "subtitle": wording.data["subtitle"], "sections": sections}


# ---------------------------------------------------------------- writers


def _jinja(autoescape: bool):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=autoescape, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_escape
    return env


_MD_SPECIAL = {ch: "\\" + ch for ch in "\\`*_[]#|<>~"}


def markdown_escape(text) -> str:
    """Text safe in a Markdown paragraph or table cell: markup characters escaped, no raw HTML."""
    text = "" if text is None else str(text)
    return "".join(_MD_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def write_markdown(path: Path, view: Mapping, chart_files: Mapping[str, str]) -> None:
    path.write_text(_jinja(False).get_template("report.md.j2").render(view=view, chart_files=chart_files), encoding="utf-8")


def json_for_script(data) -> str:
    """JSON to sit inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` as
    ``\\u`` escapes, so no ``</script>`` or ``<!--`` in the data can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def measure_entries(rows: Sequence[Mapping], texts: Mapping[str, str], wording: Wording, class_names: Mapping[str, str], width: int) -> list[dict]:
    """One entry per catalogue row for the HTML table: labels, and the measure in its source text."""
    entries = []
    for index, row in enumerate(rows):
        context = measure_context(texts.get(row.get("source_path")), row.get("span_start") or 0, row.get("span_end") or 0, width,
                                  sentence=row.get("sentence"), measure=row.get("text"))
        code = row.get("category") or UNKNOWN
        canonical = list(dict.fromkeys(b.get("canonical") for b in row.get("bodies") or () if b.get("canonical")))
        entries.append({
            "index": index,
            "measure_id": row.get("measure_id"),
            "doc_id": row.get("doc_id"),
            "title": row.get("title") or row.get("doc_id"),
            "source_path": row.get("source_path"),
            "span_start": row.get("span_start"),
            "span_end": row.get("span_end"),
            "text": row.get("text"),
            "category": code,
            "class_name": class_names.get(code) or wording.label("class", code),
            "status": row.get("status") or UNKNOWN,
            "status_label": wording.label("status", row.get("status")),
            "level": row.get("level") or UNKNOWN,
            "level_label": wording.label("level", row.get("level")),
            "bodies": canonical,
            "bodies_text": format_bodies(row.get("bodies"), wording.labels),
            "section": " › ".join(row.get("section_path") or ()),
            "duplicate": bool(row.get("duplicate_of")),
            "needs_review": bool(row.get("needs_review")),
            "confidence": row.get("confidence"),
            "context": context,
        })
    return entries


def write_html(path: Path, view: Mapping, charts: Mapping[str, Any], entries: Sequence[Mapping], filters: Mapping, wording: Wording) -> None:
    images = {key: "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii") for key, chart in charts.items()}
    data = {
        "measures": [{"c": e["category"], "s": e["status"], "l": e["level"], "b": e["bodies"], "d": e["doc_id"]} for e in entries],
        "count": wording.section("sentences")["html_count"],
    }
    from markupsafe import Markup

    html = _jinja(True).get_template("report.html.j2").render(
        view=view, images=images, entries=entries, filters=filters, columns=wording.section("columns"),
        sentences=wording.section("sentences"), headings=wording.section("headings"), data_json=Markup(json_for_script(data)),
        total=len(entries), count_text=wording.fill("html_count", shown=len(entries), total=len(entries)),
    )
    path.write_text(html, encoding="utf-8")


def _east_asian_font(style_or_run, name: str) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _size_columns(table, block: Mapping, total) -> None:
    """Columns as wide as their longest cell (within limits), sharing the page width."""
    wants = [min(24, max(6, max(_text_width(str(line[i])) for line in [block["header"], *block["rows"]]))) for i in range(len(block["header"]))]
    scale = total / sum(wants)
    table.autofit = False
    for i, want in enumerate(wants):
        table.columns[i].width = int(want * scale)  # the grid, which LibreOffice reads
        for cell in table.columns[i].cells:  # the cells, which Word reads
            cell.width = int(want * scale)


def write_docx(path: Path, view: Mapping, charts: Mapping[str, Any], wording: Wording) -> None:
    """The summary as a Word document: Title, Heading 1/2/3 styles (the navigation pane
    lists them), tables in the built-in grid style, charts as inline pictures."""
    import io

    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    settings = wording.settings
    body_font, heading_font = settings["docx_body_font"], settings["docx_heading_font"]
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet"):
        _east_asian_font(document.styles[name], heading_font if name.startswith(("Heading", "Title")) else body_font)
    document.styles["Normal"].font.size = Pt(10.5)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)

    document.add_heading(view["title"], level=0)
    document.add_paragraph(view["subtitle"], style="Subtitle")
    for part in view["sections"]:
        document.add_heading(part["heading"], level=1)
        for block in part["blocks"]:
            kind = block["type"]
            if kind == "heading":
                document.add_heading(block["text"], level=block["level"])
            elif kind == "paragraph":
                document.add_paragraph(block["text"])
            elif kind == "list":
                for item in block["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif kind == "examples":
                for item in block["items"] or [{"text": wording.labels["none"], "source": "", "note": ""}]:
                    paragraph = document.add_paragraph(style="List Bullet")
                    paragraph.add_run(item["text"])
                    if item["source"]:
                        source = paragraph.add_run(f"（{item['source']}；{item['note']}）")
                        source.font.size = Pt(9)
            elif kind == "table":
                table = document.add_table(rows=1, cols=len(block["header"]))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                small = len(block["header"]) > 7
                for cell, text in zip(table.rows[0].cells, block["header"]):
                    run = cell.paragraphs[0].add_run(text)
                    run.bold = True
                    run.font.size = Pt(8 if small else 9.5)
                for values in block["rows"]:
                    cells = table.add_row().cells
                    for i, (cell, text) in enumerate(zip(cells, values)):
                        run = cell.paragraphs[0].add_run(text)
                        run.font.size = Pt(8 if small else 9.5)
                        if i >= block["numeric_from"]:
                            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _size_columns(table, block, Cm(16.6))
                document.add_paragraph()
            elif kind == "chart":
                document.add_picture(io.BytesIO(charts[block["key"]].png), width=Cm(16))
                caption = document.add_paragraph(block["title"], style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))


# ---------------------------------------------------------------- the whole report


def _read_optional(path: Path) -> list[dict]:
    return read_jsonl(path) if path.is_file() else []


def _filters(entries: Sequence[Mapping], class_names: Mapping[str, str], documents: Sequence[Mapping], wording: Wording) -> dict:
    present = lambda key: list(dict.fromkeys(e[key] for e in entries))  # noqa: E731
    classes = [c for c in class_names if c in present("category")] + [c for c in present("category") if c not in class_names]
    statuses = [s for s in (*STATUSES, UNKNOWN) if s in present("status")] + [s for s in present("status") if s not in (*STATUSES, UNKNOWN)]
    levels = [lv for lv in wording.labels["level"] if lv in present("level")] + [lv for lv in present("level") if lv not in wording.labels["level"]]
    bodies = sorted({b for e in entries for b in e["bodies"]}, key=lambda b: -sum(b in e["bodies"] for e in entries))
    return {
        "class": [(c, class_names.get(c) or wording.label("class", c)) for c in classes],
        "status": [(s, wording.label("status", s)) for s in statuses],
        "level": [(lv, wording.label("level", lv)) for lv in levels],
        "body": [(b, b) for b in bodies],
        "document": [(d["doc_id"], d.get("title") or d["doc_id"]) for d in documents if any(e["doc_id"] == d["doc_id"] for e in entries)],
    }


def _rows_with_clusters(rows: Sequence[Mapping], result: Mapping | None) -> list[dict]:
    """Rows as the comparison tables need them: every row in a cluster (its own when alone)."""
    cluster_of = {m: c["cluster_id"] for c in (result or {}).get("clusters") or () for m in c.get("measure_ids") or ()}
    return [{**r, "cluster_id": r.get("cluster_id") or cluster_of.get(r["measure_id"]) or f"c{r['measure_id']}"} for r in rows]


def write_reports(out_dir: str | Path, corpus_dirs: Sequence[str | Path] = (), *, wording_path: str | Path | None = None) -> dict:
    """Write ``catalogue.xlsx``, ``report.docx``, ``report.html``, ``report.md`` and
    ``charts/*.png`` into ``out_dir`` from what a run (and ``policycat compare``) wrote there.

    ``corpus_dirs`` are where ``.txt``/``.md`` sources are read again for the HTML context
    (other formats use ``texts/``). Raises ``ChartFontError`` when no font can draw Chinese.
    Returns counts, the files written and warnings.
    """
    from pipelines.charts import build_charts, find_cjk_font
    from pipelines.compare import _sheet_tables, load_source_texts
    from pipelines.workbook import write_catalogue_workbook

    started = time.perf_counter()
    out_dir = Path(out_dir)
    wording = load_wording(wording_path or DEFAULT_WORDING_PATH)
    settings = wording.settings
    taxonomy = load_taxonomy()
    class_names = {c.code: c.name for c in taxonomy.categories}
    comparison_settings = load_comparison_settings()

    documents = read_jsonl(out_dir / "documents.jsonl")
    rows = read_jsonl(out_dir / "catalogue.jsonl")
    records = _read_optional(out_dir / "comparison.jsonl")
    errors = _read_optional(out_dir / "errors.jsonl")
    texts, warnings = load_source_texts(documents, out_dir, [Path(p) for p in corpus_dirs])

    summary = build_summary(
        documents, rows, class_names=class_names, comparison_records=records, errors=errors, statuses=STATUSES,
        type_order=list(wording.labels["doc_type"]), level_order=list(wording.labels["level"]),
        settings=SummarySettings(settings["examples_per_class"], settings["examples_per_relation"], settings["top_bodies"], settings["min_example_chars"]),
        comparison_settings=comparison_settings,
    )
    font = find_cjk_font()
    charts = {c.key: c for c in build_charts(summary, wording, dpi=settings["chart_dpi"])}
    chart_dir = out_dir / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    for stale in chart_dir.glob("*.png"):
        stale.unlink()
    chart_files = {}
    for i, (key, chart) in enumerate(charts.items(), start=1):
        name = f"{i:02d}-{key}.png"
        (chart_dir / name).write_bytes(chart.png)
        chart_files[key] = f"charts/{name}"

    view = build_view(summary, wording, charts)
    result = comparison_result(records)
    current = comparison_is_current(result, rows)
    tables = _sheet_tables(documents, _rows_with_clusters(rows, result), result, comparison_settings) if current else None
    if records and not current:
        warnings.append("comparison.jsonl does not match catalogue.jsonl: run `policycat compare` again")
    elif not records:
        warnings.append("no comparison.jsonl: run `policycat compare` for the city–county sections")

    files = {
        "xlsx": out_dir / "catalogue.xlsx",
        "docx": out_dir / "report.docx",
        "html": out_dir / "report.html",
        "md": out_dir / "report.md",
    }
    workbook = write_catalogue_workbook(files["xlsx"], documents, rows, wording, class_names, tables)
    write_docx(files["docx"], view, charts, wording)
    entries = measure_entries(rows, texts, wording, class_names, settings["context_chars"])
    write_html(files["html"], view, charts, entries, _filters(entries, class_names, documents, wording), wording)
    write_markdown(files["md"], view, chart_files)
    return {
        "out_dir": str(out_dir),
        "documents": len(documents),
        "measures": len(rows),
        "counted_measures": summary["totals"]["counted_measures"],
        "charts": len(charts),
        "sheets": len(workbook["sheets"]),
        "unverified_contexts": sum(1 for e in entries if not e["context"]["verified"]),
        "font": f"{font.name} ({font.path})",
        "files": [str(p) for p in files.values()] + [str(out_dir / f) for f in chart_files.values()],
        "warnings": warnings,
        "seconds": round(time.perf_counter() - started, 2),
    }


# ---------------------------------------------------------------- command line


def report_command(
    out_dir: Path = typer.Argument(Path("outputs"), help="Folder a `policycat run` (and `policycat compare`) wrote."),
    corpus: list[Path] = typer.Option([Path("corpora")], "--corpus", "-c", help="Folder(s) holding the .txt/.md sources, for the measures' context."),
    wording: Optional[Path] = typer.Option(None, "--wording", help="Wording file (default: pipelines/templates/report.yaml)."),
) -> None:
    """Write catalogue.xlsx, report.docx, report.html and report.md: tables and a summary to paste from."""
    from rich.console import Console

    from pipelines.charts import ChartFontError

    console = Console()
    try:
        summary = write_reports(out_dir, corpus, wording_path=wording)
    except ChartFontError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except DataError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(
        f"{summary['measures']} measures ({summary['counted_measures']} counted) of {summary['documents']} documents; "
        f"{summary['charts']} charts, {summary['sheets']} sheets; font {summary['font']}; {summary['seconds']} s"
    )
    for warning in summary["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")
    console.print(f"written: {', '.join(summary['files'][:4])} and {len(summary['files']) - 4} charts")
