"""Word (.docx) body → plain text, one paragraph a line, tables in place.

Word stores list numbers (``1.``, ``一、``, ``（一）``) as numbering definitions,
not as text; section headings in policy documents are often such lists, so the
number is rebuilt from ``w:numPr`` and the numbering part and put back in front
of the paragraph.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from extractors.errors import SourceError
from extractors.types import Extraction

CELL_SEPARATOR = "\t"
_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "ideographDigital",
}
_LEVEL_REF = re.compile(r"%([1-9])")


def extract_docx_text(path: str | Path, *, limits=None) -> Extraction:
    """Body text of a .docx in document order: paragraphs (with rebuilt list
    numbers) and tables (one row a line, cells joined by a tab). Headers,
    footers, footnotes and text boxes are not read. ``limits`` (a
    ``reading.ZipLimits``) bounds what the package may inflate to."""
    path_str = str(path)
    if limits is not None:
        check_zip_limits(path_str, limits.max_inflated_mb * 2**20, limits.max_entries)
    try:
        document = docx.Document(path_str)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise SourceError(path_str, f"cannot read file: {exc.strerror or exc}") from exc
        raise SourceError(path_str, f"not a valid .docx (zip/XML error: {exc})") from exc
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise SourceError(path_str, f"not a valid .docx (zip/XML error: {_short(exc)})") from exc

    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                lines.append(numbering.prefix(block) + text)
        elif isinstance(block, Table):
            lines.extend(_table_rows(block))
    return Extraction(text="\n".join(lines))


def check_zip_limits(path: str, max_inflated: int, max_entries: int) -> None:
    """Refuse a zip whose directory declares more entries or inflated bytes than allowed.

    The directory's sizes are binding: Python's zipfile stops inflating an entry at its
    declared size (a larger stream fails its CRC), so this bounds what the parser can inflate.
    A file that is no zip at all is left to the parser to report.
    """
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(entries) > max_entries:
        raise SourceError(path, f"not read: the .docx package holds {len(entries)} entries, over the limit of {max_entries} (sources.yaml docx_limits)")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > max_inflated:
        largest = max(entries, key=lambda entry: entry.file_size)
        raise SourceError(
            path,
            f"not read: the .docx package inflates to {inflated / 2**20:.0f} MB ({largest.filename}: {largest.file_size / 2**20:.0f} MB), "
            f"over the limit of {max_inflated / 2**20:.0f} MB (sources.yaml docx_limits); a zip bomb or a damaged file",
        )


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        if any(cells):
            rows.append(CELL_SEPARATOR.join(cells))
    return rows


class _Numbering:
    """Counters of Word's automatic numbering, advanced paragraph by paragraph."""

    def __init__(self, document: DocxDocument) -> None:
        self._levels: dict[str, dict[int, etree._Element]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None or ref.get(qn("w:val")) not in abstract:
                continue
            levels = {
                int(lvl.get(qn("w:ilvl"), "0")): lvl
                for lvl in abstract[ref.get(qn("w:val"))].findall(qn("w:lvl"))
            }
            for override in num.findall(qn("w:lvlOverride")):
                replacement = override.find(qn("w:lvl"))
                if replacement is not None:
                    levels[int(override.get(qn("w:ilvl"), "0"))] = replacement
            self._levels[num.get(qn("w:numId"))] = levels

    def prefix(self, paragraph: Paragraph) -> str:
        num_id, level = _num_properties(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[level] = counters.get(level, _start(levels[level]) - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        lvl = levels[level]
        fmt = _val(lvl, "w:numFmt") or "decimal"
        template = _val(lvl, "w:lvlText")
        if fmt == "none" or template is None:
            return ""
        if fmt == "bullet":
            text = template if template.isprintable() and not _private_use(template) else "•"
        else:
            text = _LEVEL_REF.sub(lambda m: self._render(levels, counters, int(m.group(1)) - 1), template)
        if not text or _val(lvl, "w:suff") == "nothing" or not text[-1].isalnum():
            return text
        return text + " "

    @staticmethod
    def _render(levels: dict[int, etree._Element], counters: dict[int, int], level: int) -> str:
        lvl = levels.get(level)
        value = counters.get(level, _start(lvl) if lvl is not None else 1)
        fmt = (_val(lvl, "w:numFmt") if lvl is not None else None) or "decimal"
        return format_number(value, fmt)


def format_number(value: int, fmt: str) -> str:
    """A list counter as Word shows it for the ``w:numFmt`` value given."""
    if fmt in _CHINESE_FORMATS:
        return _chinese_number(value)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _chinese_number(value: int) -> str:
    """一 … 九十九 as in 一、 and （十二）; larger counters fall back to digits."""
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for number, letters in numerals:
        count, value = divmod(value, number)
        out += letters * count
    return out


def _num_properties(paragraph: Paragraph) -> tuple[str | None, int]:
    """numId and level from the paragraph, else from its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        style_pr = style.element.pPr
        num_pr = style_pr.numPr if style_pr is not None else None
        style = style.base_style
    if num_pr is None:
        return None, 0
    num_id = num_pr.numId.val if num_pr.numId is not None else None
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    # numId 0 switches numbering off for this paragraph.
    return (str(num_id) if num_id else None), int(level)


def _val(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _start(lvl: etree._Element) -> int:
    value = _val(lvl, "w:start")
    return int(value) if value and value.lstrip("-").isdigit() else 1


def _private_use(text: str) -> bool:
    """Symbol-font bullets are private-use code points with no meaning as text."""
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in text)


def _short(exc: BaseException) -> str:
    message = str(exc).strip().strip('"')
    return (message or type(exc).__name__)[:120]
