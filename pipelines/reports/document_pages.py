"""``documents/NN.html``: each document's whole text with every measure highlighted and
coloured by its class, as the coding stripes of a qualitative-analysis program show it.
The measure table of ``report.html`` links each measure to its place here, and back."""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

from extractors.types import CatalogueEntry
from pipelines.reports.summary import UNKNOWN
from pipelines.reports.templates import jinja

__all__ = ["document_page_names", "document_pages", "class_colours", "segments"]


def document_page_names(documents: Sequence[Mapping]) -> dict[str, str]:
    """doc_id → its page, numbered in the documents' order (as the workbook's sheets are)."""
    return {doc["doc_id"]: f"documents/{index:02d}.html" for index, doc in enumerate(documents, start=1)}


def class_colours(codes: Sequence[str], palette: Sequence[str]) -> dict[str, str]:
    """A colour per class in the taxonomy's order (the palette repeats past its end)."""
    return {code: palette[i % len(palette)] for i, code in enumerate([*codes, UNKNOWN])}


def segments(text: str, start: int, rows: Sequence[CatalogueEntry]) -> list[dict]:
    """The document's text (beginning at ``start`` in its source) cut at every measure's
    ends: each piece with the measures covering it (innermost last) and the ids of those
    beginning there. A measure whose offsets do not index this text is left out."""
    spans = [r for r in rows if start <= r.start < r.end <= start + len(text) and text[r.start - start : r.end - start] == r.text]
    cuts = sorted({0, len(text), *(r.start - start for r in spans), *(r.end - start for r in spans)})
    pieces = []
    for left, right in zip(cuts, cuts[1:]):
        covering = sorted((r for r in spans if r.start - start <= left and r.end - start >= right), key=lambda r: (r.start, -r.end))
        pieces.append({
            "text": text[left:right],
            "measures": [r.measure_id for r in covering],
            "category": (covering[-1].category or UNKNOWN) if covering else None,
            "anchors": [r.measure_id for r in spans if r.start - start == left],
        })
    return pieces


def document_pages(documents: Sequence[Mapping], rows: Sequence[CatalogueEntry], texts: Mapping[str, str], wording,
                   class_names: Mapping[str, str], colours: Mapping[str, str]) -> dict[str, str]:
    """Page name → HTML, for every document whose source text is at hand."""
    names = document_page_names(documents)
    by_doc: dict[str, list[CatalogueEntry]] = {}
    for row in rows:
        by_doc.setdefault(row.doc_id, []).append(row)
    template = jinja(True).get_template("document.html.j2")
    labels = wording.labels
    pages = {}
    for doc in documents:
        source = texts.get(doc.get("source_path"))
        if source is None:
            continue
        start, end = doc.get("start") or 0, doc.get("end") or len(source)
        measures = by_doc.get(doc["doc_id"], [])
        counts = Counter(r.category or UNKNOWN for r in measures)
        legend = [(c, class_names.get(c) or wording.label("class", c), colour, counts[c]) for c, colour in colours.items() if counts[c]]
        tips = {r.measure_id: f"{class_names.get(r.category) or wording.label('class', r.category)} · {wording.label('status', r.status)}" for r in measures}
        pages[names[doc["doc_id"]]] = template.render(
            doc=doc, title=doc.get("title") or doc["doc_id"], pieces=segments(source[start:end], start, measures), legend=legend,
            colours=colours, tips=tips, level=labels["level"].get(doc.get("level"), doc.get("level") or ""),
            doc_type=labels["doc_type"].get(doc.get("doc_type"), doc.get("doc_type") or ""), words=wording.section("columns"),
            sentences=wording.section("sentences"), count=len(measures),
        )
    return pages
