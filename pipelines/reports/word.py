"""``report.docx``: the summary with Word headings, tables and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from pipelines.reports.wording import Wording

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
    """The summary as a Word document: Title, Heading 1/2/3 styles (the navigation pane
    lists them), tables in the built-in grid style, charts as inline pictures."""
    import io

    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    view = _xml_safe(view)
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
    from pipelines.reports.package import settle

    settle(path)  # stable document and zip dates: two runs of one corpus, the same bytes
