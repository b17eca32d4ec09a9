"""PDF text layer → plain text with paragraphs restored.

pdfplumber reads the text layer line by line; each visual line ends in a
newline, running headers and page numbers sit in the text, and some producers
draw every glyph twice. This module drops the page furniture, removes the
doubled glyphs and joins wrapped lines back into paragraphs, so that a sentence
is one run of characters. pypdfium2 reads the files where pdfplumber finds no
text at all.

No OCR: a PDF without a text layer is reported, not guessed at.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extractors.errors import SourceError
from pydantic import Field, PositiveInt

from extractors.knowledge import Regex, Schema, data_path, load_file
from extractors.punctuation import PUNCTUATION
from extractors.sections import load_heading_rules
from extractors.types import Extraction

NO_TEXT_LAYER = "PDF has no text layer (scanned image?); OCR is not performed"
UNREADABLE_CID = "PDF text is unreadable (cid:NN glyph codes, no ToUnicode map)"
ENCRYPTED = "PDF is encrypted/password-protected"
NO_PAGES = "PDF has no pages"

_CID = re.compile(r"\(cid:\d+\)")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class PdfLayout:
    """Rules from ``pdf.yaml`` for page furniture and paragraph joining."""

    page_number: tuple[re.Pattern, ...]
    headings: tuple[re.Pattern, ...]  # matched at the line start
    zone_lines: int
    repeat_min_pages: int
    repeat_min_share: float
    sentence_final: str
    closing_marks: str
    max_cid_share: float
    detect_tables: bool
    cell_separator: str


@dataclass(frozen=True)
class _Line:
    """One visual line; ``indented``/``full`` come from its position on the page."""

    text: str
    indented: bool = False
    full: bool = True  # reaches the right margin, so the paragraph may run on
    table_row: bool = False


@dataclass(frozen=True)
class _Table:
    bbox: tuple[float, float, float, float]
    cells: list[list[str | None]]


class _RepeatedLine(Schema):
    min_pages: PositiveInt
    min_share: float = Field(ge=0, le=1)


class _PdfFile(Schema):
    page_number_patterns: tuple[Regex, ...]
    furniture_zone_lines: int = Field(ge=0)
    repeated_line: _RepeatedLine
    paragraph_starts: tuple[Regex, ...]
    max_cid_share: float = Field(ge=0, le=1)
    detect_tables: bool
    table_cell_separator: str


def load_pdf_layout(path: str | Path | None = None) -> PdfLayout:
    """Read and validate ``extractors/data/pdf.yaml`` (or the file given)."""
    path = Path(path) if path else data_path("pdf.yaml")
    data = load_file(path, _PdfFile)
    return PdfLayout(
        page_number=tuple(re.compile(p) for p in data.page_number_patterns),
        headings=load_heading_rules(data_path("headings.yaml", path.parent)).line_start + tuple(re.compile(p) for p in data.paragraph_starts),
        zone_lines=data.furniture_zone_lines,
        repeat_min_pages=data.repeated_line.min_pages,
        repeat_min_share=data.repeated_line.min_share,
        sentence_final=PUNCTUATION.sentence_final,
        closing_marks=PUNCTUATION.closing_marks,
        max_cid_share=data.max_cid_share,
        detect_tables=data.detect_tables,
        cell_separator=data.table_cell_separator,
    )


@lru_cache(maxsize=1)
def _default_layout() -> PdfLayout:
    return load_pdf_layout()


def extract_pdf_text(path: str | Path, *, layout: PdfLayout | None = None) -> Extraction:
    """Text of a PDF, one paragraph a line, without running headers, footers
    or page numbers. Raises :class:`SourceError` for files that hold no
    readable text (scanned, encrypted, damaged, empty, unmapped glyphs)."""
    layout = layout or _default_layout()
    path_str = str(path)
    warnings: list[str] = []
    try:
        pages, cid_glyphs, glyphs = _read_with_pdfplumber(path_str, layout)
    except OSError as exc:
        raise SourceError(path_str, f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # pdfminer raises many types on malformed files
        cause = _root_cause(exc)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise SourceError(path_str, ENCRYPTED) from exc
        try:
            pages = _read_with_pdfium(path_str)
        except pypdfium2.PdfiumError as pdfium_exc:
            if "password" in str(pdfium_exc).lower():
                raise SourceError(path_str, ENCRYPTED) from exc
            raise SourceError(path_str, f"PDF is damaged: {_describe(cause)}") from exc
        warnings.append(f"pdfplumber could not parse the file ({_describe(cause)}); text read with pypdfium2")
        cid_glyphs = glyphs = 0

    if not pages:
        raise SourceError(path_str, NO_PAGES)
    if glyphs and cid_glyphs / glyphs > layout.max_cid_share:
        raise SourceError(path_str, UNREADABLE_CID)
    if not any(line.text for page in pages for line in page):
        try:
            fallback = _read_with_pdfium(path_str)
        except pypdfium2.PdfiumError:
            fallback = []
        if any(line.text for page in fallback for line in page):
            pages = fallback
            warnings.append("pdfplumber found no text; text read with pypdfium2")
        else:
            raise SourceError(path_str, NO_TEXT_LAYER)
    if cid_glyphs:
        warnings.append(f"{cid_glyphs} glyphs have no Unicode mapping (cid:NN); shown as U+FFFD")
        pages = [[replace(ln, text=_CID.sub("\ufffd", ln.text)) for ln in page] for page in pages]
    empty = [str(i + 1) for i, page in enumerate(pages) if not any(ln.text for ln in page)]
    if empty:
        warnings.append(f"page(s) {', '.join(empty)} have no text layer; their content is missing")

    body = _drop_page_furniture(pages, layout)
    text = "\n".join(_join_paragraphs(body, layout))
    return Extraction(text=text, warnings=tuple(warnings), pages=len(pages))


def _read_with_pdfplumber(path: str, layout: PdfLayout) -> tuple[list[list[_Line]], int, int]:
    """Lines of every page in reading order, and the count of unmapped glyphs
    among all glyphs."""
    pages: list[list[_Line]] = []
    cid_glyphs = glyphs = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            chars = [c for c in page.chars if not c["text"].isspace()]
            glyphs += len(chars)
            cid_glyphs += sum(1 for c in chars if _CID.fullmatch(c["text"]))
            rows = page.extract_text_lines(strip=True, return_chars=False)
            tables = _find_tables(page) if layout.detect_tables and chars else []
            pages.append(_place_lines(rows, chars, tables, layout.cell_separator))
    return pages, cid_glyphs, glyphs


def _find_tables(page) -> list[_Table]:
    """Ruled tables with text in at least two cells; a frame around the whole
    page (one cell of running text) is layout, not a table."""
    found = []
    for table in page.find_tables():
        cells = table.extract()
        if sum(1 for row in cells for cell in row if cell and cell.strip()) >= 2:
            found.append(_Table(bbox=table.bbox, cells=cells))
    return found


def _place_lines(rows: list[dict], chars: list[dict], tables: list[_Table], separator: str) -> list[_Line]:
    """Mark lines that start right of the text block's left edge (indents,
    centred titles) and lines that stop short of its right edge; put each
    ruled table in place of the lines it covers, one table row a line."""
    rows = [r for r in rows if r["text"].strip()]
    if not rows:
        return []
    char_width = statistics.median(c["size"] for c in chars) if chars else 10.0
    ends = sorted(r["x1"] for r in rows)
    right = ends[min(len(ends) - 1, int(0.9 * len(ends)))]
    # Low percentiles, not extremes: a stray footer or a tilted scan line
    # must not move the margins of the whole page.
    starts = sorted(r["x0"] for r in rows if r["x1"] >= right - 2 * char_width)
    left = starts[int(0.2 * len(starts))]
    lines: list[_Line] = []
    placed: set[int] = set()
    for r in rows:
        table = next((i for i, t in enumerate(tables) if _inside(r, t.bbox)), None)
        if table is None:
            lines.append(
                _Line(
                    text=r["text"].strip(),
                    indented=r["x0"] > left + char_width,
                    full=r["x1"] >= right - 2 * char_width,
                )
            )
        elif table not in placed:
            placed.add(table)
            lines.extend(_table_lines(tables[table], separator))
    return lines


def _inside(row: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle = (row["top"] + row["bottom"]) / 2
    return top <= middle <= bottom and row["x0"] < x1 and row["x1"] > x0


def _table_lines(table: _Table, separator: str) -> list[_Line]:
    lines = []
    for cells in table.cells:
        texts = [_join_cell(cell or "") for cell in cells]
        if any(texts):
            lines.append(_Line(text=separator.join(texts), indented=True, full=False, table_row=True))
    return lines


def _join_cell(text: str) -> str:
    """A cell's wrapped lines are one run of text."""
    parts = [p.strip() for p in _LINE_BREAK.split(text) if p.strip()]
    joined = ""
    for part in parts:
        glue = " " if _ASCII_ALNUM.match(joined[-1:]) and _ASCII_ALNUM.match(part[:1]) else ""
        joined += glue + part
    return joined


def _read_with_pdfium(path: str) -> list[list[_Line]]:
    """pypdfium2 text, one line per text-layer line; it has no geometry here,
    so only leading blanks mark an indent. Raises ``PdfiumError``."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            textpage.close()
            page.close()
            pages.append(
                [
                    _Line(text=ln.strip(), indented=ln[:1] in (" ", "\u3000", "\t"))
                    for ln in _LINE_BREAK.split(raw)
                    if ln.strip()
                ]
            )
        return pages
    finally:
        pdf.close()


def _drop_page_furniture(pages: list[list[_Line]], layout: PdfLayout) -> list[_Line]:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    zone = layout.zone_lines

    def zone_indices(page: list[_Line]) -> set[int]:
        return set(range(min(zone, len(page)))) | set(range(max(0, len(page) - zone), len(page)))

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({key(page[i].text) for i in zone_indices(page)})
    needed = max(layout.repeat_min_pages, math.ceil(layout.repeat_min_share * len(pages)))
    repeated = {k for k, n in seen.items() if n >= needed} if len(pages) >= layout.repeat_min_pages else set()

    kept: list[_Line] = []
    for page in pages:
        in_zone = zone_indices(page)
        for i, line in enumerate(page):
            if i in in_zone and not line.table_row and (
                key(line.text) in repeated or any(p.search(line.text) for p in layout.page_number)
            ):
                continue
            kept.append(line)
    return kept


def _join_paragraphs(lines: list[_Line], layout: PdfLayout) -> list[str]:
    """Join wrapped lines: a line runs on unless it ends a sentence, stops
    short of the margin, or the next line is indented or starts a heading."""
    paragraphs: list[str] = []
    current = ""
    previous: _Line | None = None
    for line in lines:
        if previous is not None and _runs_on(previous, line, layout):
            glue = " " if _ASCII_ALNUM.match(current[-1:]) and _ASCII_ALNUM.match(line.text[:1]) else ""
            current += glue + line.text
        else:
            if current:
                paragraphs.append(current)
            current = line.text
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _runs_on(line: _Line, following: _Line, layout: PdfLayout) -> bool:
    end = line.text.rstrip(layout.closing_marks)
    if end and end[-1] in layout.sentence_final:
        return False
    if not line.full or following.indented:
        return False
    return not starts_paragraph(following.text, layout)


def starts_paragraph(line: str, layout: PdfLayout) -> bool:
    """The (stripped) line opens with a heading, so it begins a paragraph of its own."""
    return any(p.match(line) for p in layout.headings)


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's error; the wrapped one names the problem."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc.__cause__ or exc.__context__ or exc


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text[:120]
