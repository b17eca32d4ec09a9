"""``report.docx``: the summary with Word headings, tables and charts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pipelines.reports.wording import Wording

# an unbreakable run of a cell: a number with its point, slash, sign and percent, or a code
_TOKEN = re.compile(r"[0-9A-Za-z_.%/+\-–:：]+(?:[（(][0-9A-Za-z_.%/+\-–]+[)）])?")
CELL_PADDING_CM = 0.4  # Word's default cell margins, both sides
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _set_fonts(style_or_run, font: str) -> None:
    """``font`` for every script (a CJK font has Latin letters and digits too). The theme's
    fonts (the template's Calibri and Cambria) would win over it, so the theme attributes go."""
    from docx.oxml.ns import qn

    element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)


def _set_language(element, language: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _document_language(document, language: str) -> None:
    """zh-CN for the defaults of every run (docDefaults) and for the Normal style."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(r_pr, language)
    _set_language(document.styles["Normal"].element, language)


def _text_width(text: str) -> float:
    """Width in em, on the safe side: a Chinese character one, a capital 0.72, other Latin 0.6."""
    return sum(1.0 if ord(ch) > 0x2E80 else (0.72 if ch.isupper() else 0.6) for ch in text)


PT_CM = 0.03528  # one point in centimetres


@dataclass(frozen=True)
class _ColumnEms:
    """Per column, in em (independent of the font size): its longest number or code, its
    header, and its longest cell (capped: a long text wraps)."""

    token: tuple[float, ...]
    header: tuple[float, ...]
    cell: tuple[float, ...]


def _column_ems(block: Mapping) -> _ColumnEms:
    lines = [block["header"], *block["rows"]]
    columns = range(len(block["header"]))
    return _ColumnEms(
        token=tuple(max((_text_width(t) for line in lines for t in _TOKEN.findall(str(line[i]))), default=1.0) for i in columns),
        header=tuple(_text_width(str(block["header"][i])) for i in columns),
        cell=tuple(min(24, max(_text_width(str(line[i])) for line in lines)) for i in columns),
    )


def _needs(ems: _ColumnEms, font_pt: float, headers: bool) -> list[float]:
    """Each column's narrowest width in cm: its longest number or code, and with ``headers``
    its header on one line."""
    return [(max(t, h) if headers else t) * font_pt * PT_CM + CELL_PADDING_CM for t, h in zip(ems.token, ems.header)]


def _column_widths(ems: _ColumnEms, total_cm: float, font_pt: float) -> list[float]:
    """Widths in cm: each column at least as wide as its longest number or code (which must
    not break) and, where the page allows, its header; the rest shared by how long the cells are."""
    needs = _needs(ems, font_pt, headers=True)
    if sum(needs) > total_cm:
        needs = _needs(ems, font_pt, headers=False)
    wants = [max(n, c * font_pt * PT_CM + CELL_PADDING_CM) for n, c in zip(needs, ems.cell)]
    if sum(wants) <= total_cm:
        return [w * total_cm / sum(wants) for w in wants]
    spare = total_cm - sum(needs)
    if spare <= 0:  # only where even a smaller font does not fit the codes (``_fits``)
        return [n * total_cm / sum(needs) for n in needs]
    extra = [w - n for w, n in zip(wants, needs)]
    return [n + spare * e / sum(extra) for n, e in zip(needs, extra)]


def _fits(ems: _ColumnEms, total_cm: float, font_pt: float) -> bool:
    return sum(_needs(ems, font_pt, headers=False)) <= total_cm


def _size_columns(table, widths_cm: list[float]) -> None:
    """The grid (which LibreOffice reads) and the header's cells (which Word reads); the
    body's rows carry their widths from ``_append_rows``."""
    from docx.shared import Cm

    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        table.rows[0].cells[i].width = Cm(width)


def _append_rows(table, rows, widths_cm: list[float], size_pt: float, numeric_from: int) -> None:
    """The body of a table as one piece of XML: python-docx's ``add_row`` copies and walks the
    table for every row, minutes for the thousands of rows of a 任务分工 appendix."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml

    if not rows:
        return
    half_points = int(round(size_pt * 2))
    run_props = f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    twips = [int(round(w / 2.54 * 1440)) for w in widths_cm]
    lines = []
    for values in rows:
        cells = []
        for i, text in enumerate(values):
            align = '<w:pPr><w:jc w:val="right"/></w:pPr>' if i >= numeric_from else ""
            run = f'<w:r>{run_props}<w:t xml:space="preserve">{escape(str(text))}</w:t></w:r>' if text != "" else ""
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[i]}" w:type="dxa"/></w:tcPr><w:p>{align}{run}</w:p></w:tc>')
        lines.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    body = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(lines)}</w:tbl>')
    for tr in list(body):
        table._tbl.append(tr)


def _repeat_header(row) -> None:
    """The header row repeats on every page the table crosses; no row splits across pages."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        tr_pr.append(OxmlElement(tag))


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _footnote_reference(paragraph, number: int) -> None:
    """A superscript reference to footnote ``number`` at the end of ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    r_pr = run._r.get_or_add_rPr()
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    r_pr.append(align)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)


def _add_footnotes(document, notes: list[str], font: str, size_pt: float = 9) -> None:
    """The footnotes part (``word/footnotes.xml``) with ``notes`` as footnotes 1…n, after the
    separators Word expects; python-docx writes no footnotes of its own."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    if not notes:
        return
    half_points = int(size_pt * 2)
    fonts = f'<w:rFonts w:ascii="{escape(font)}" w:hAnsi="{escape(font)}" w:eastAsia="{escape(font)}"/>'
    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for number, text in enumerate(notes, start=1):
        body.append(
            f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr>{fonts}<w:vertAlign w:val="superscript"/><w:sz w:val="{half_points}"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr>{fonts}<w:sz w:val="{half_points}"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{_W}">{"".join(body)}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _page_number_footer(section) -> None:
    """“— 1 —” centred at the foot of every page, as office documents number them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _xml_safe(value):
    """Every text of the view without the characters Word's XML cannot hold (a control
    character in a document title would otherwise stop the whole file)."""
    from pipelines.reports.package import xml_text

    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, Mapping):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_xml_safe(v) for v in value]
    return value


def write_docx(path: Path, view: Mapping, charts: Mapping[str, Any], wording: Wording) -> None:
    """The summary as a Word document in the office's style: A4 with the margins of party and
    government documents, zh-CN, headings in the heading font (黑体) and text in the body
    font, Latin letters and digits in the same fonts; Title, Heading 1/2/3 styles (the
    navigation pane lists them); 表N above each table, whose header row repeats on every page;
    图N under each chart; the quoted measures' sources as footnotes; page numbers at the foot."""
    import io

    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    view = _xml_safe(view)
    document = docx.Document()
    settings = wording.settings
    words = wording.section("docx")
    body_font, heading_font = settings["docx_body_font"], settings["docx_heading_font"]
    _document_language(document, words["language"])
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet"):
        font = heading_font if name.startswith(("Heading", "Title")) else body_font
        style = document.styles[name]
        _set_fonts(style, font)
        style.font.color.rgb = RGBColor(0, 0, 0)
        if name.startswith(("Heading", "Title")):
            style.font.bold = True
    document.styles["Normal"].font.size = Pt(12)
    document.styles["Normal"].paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12), ("Caption", 10.5)):
        document.styles[name].font.size = Pt(size)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    text_width = 21.0 - 2.8 - 2.6
    _page_number_footer(section)

    title = document.add_heading(view["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(view["subtitle"], style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    tables = figures = 0
    notes: list[str] = []
    for part in view["sections"]:
        document.add_heading(part["heading"], level=1)
        last_heading = part["heading"]
        for block in part["blocks"]:
            kind = block["type"]
            if kind == "heading":
                document.add_heading(block["text"], level=block["level"])
                last_heading = block["text"]
            elif kind == "paragraph":
                document.add_paragraph(block["text"])
            elif kind == "list":
                for item in block["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif kind == "examples":
                for item in block["items"] or [{"text": wording.labels["none"], "source": "", "note": ""}]:
                    paragraph = document.add_paragraph(style="List Bullet")
                    paragraph.add_run(item["text"])
                    if item["source"]:  # the source as a footnote, as an office document cites
                        notes.append(f"{item['source']}；{item['note']}")
                        _footnote_reference(paragraph, len(notes))
            elif kind == "table":
                tables += 1
                caption = document.add_paragraph(words["table_caption"].format(n=tables, title=last_heading), style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _keep_with_next(caption)
                ems = _column_ems(block)
                size = 10.5 if len(block["header"]) <= 5 else 9
                while size > 6.5 and not _fits(ems, text_width, size):
                    size -= 0.5
                table = document.add_table(rows=1, cols=len(block["header"]))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, text in zip(table.rows[0].cells, block["header"]):
                    run = cell.paragraphs[0].add_run(text)
                    run.bold = True
                    run.font.size = Pt(size)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                _repeat_header(table.rows[0])
                widths = _column_widths(ems, text_width, size)
                _size_columns(table, widths)
                _append_rows(table, block["rows"], widths, size, block["numeric_from"])
                document.add_paragraph()
            elif kind == "chart":
                figures += 1
                picture = document.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(io.BytesIO(charts[block["key"]].png), width=Cm(min(13.5, text_width)))
                _keep_with_next(picture)
                caption = document.add_paragraph(words["figure_caption"].format(n=figures, title=block["title"]), style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_footnotes(document, notes, body_font)
    document.save(str(path))
    from pipelines.reports.package import settle

    settle(path)  # stable document and zip dates: two runs of one corpus, the same bytes
