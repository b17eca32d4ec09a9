"""report.docx in the office's style, checked in the file and on the pages LibreOffice
renders from it: A4, zh-CN, the fonts, 表N / 图N captions, header rows repeated, and no
number or code broken across two lines of a table cell. Pages go to docs/screenshots/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipelines.reports.wording import load_wording
from pipelines.reports.word import _TOKEN

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
pytestmark = pytest.mark.xdist_group("seed-run")


@pytest.fixture(scope="module")
def report(seed_run):
    out, _ = seed_run
    return out / "report.docx", docx.Document(str(out / "report.docx"))


@pytest.fixture(scope="module")
def pdf(report, tmp_path_factory):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed (make test installs libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("pdf")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(report[0])],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return folder / "report.pdf"


def test_a4_chinese_and_the_office_fonts(report):
    _, document = report
    settings = load_wording().settings
    for section in document.sections:
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "zh-CN" and defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    for name, font in (("Normal", settings["docx_body_font"]), ("Heading 1", settings["docx_heading_font"]), ("Heading 2", settings["docx_heading_font"])):
        fonts = document.styles[name].element.rPr.rFonts
        # the same font for Chinese and Latin; no theme font left to override it
        assert {fonts.get(qn(f"w:{k}")) for k in ("eastAsia", "ascii", "hAnsi")} == {font}, name
        assert not any(fonts.get(qn(f"w:{k}")) for k in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme")), name


def test_tables_and_figures_are_numbered_and_headers_repeat(report):
    _, document = report
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    tables = [c for c in captions if c.startswith("表")]
    figures = [c for c in captions if c.startswith("图")]
    assert [int(re.match(r"表(\d+)", c).group(1)) for c in tables] == list(range(1, len(document.tables) + 1))
    assert figures and [int(re.match(r"图(\d+)", c).group(1)) for c in figures] == list(range(1, len(figures) + 1))
    for table in document.tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def _footnotes(document) -> list[str]:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    part = next(r.target_part for r in document.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.FOOTNOTES)
    root = etree.fromstring(part.blob)
    notes = root.findall(qn("w:footnote"))
    return ["".join(t.text or "" for t in n.iter(qn("w:t"))).strip() for n in notes if n.get(qn("w:type")) is None]


def test_the_quoted_measures_cite_their_sources_in_footnotes(report):
    _, document = report
    notes = _footnotes(document)
    references = document.element.body.findall(".//" + qn("w:footnoteReference"))
    assert notes and len(references) == len(notes)
    assert [int(r.get(qn("w:id"))) for r in references] == list(range(1, len(notes) + 1))
    assert all(re.search(r"\.(txt|docx|pdf|html?) 第 \d+–\d+ 字", n) for n in notes), notes[:3]


def test_the_pdf_pages_are_a4_and_no_cell_breaks_a_number(report, pdf):
    import pdfplumber

    _, document = report
    tokens = {t for table in document.tables for row in table.rows for cell in row.cells for t in _TOKEN.findall(cell.text) if len(t) >= 3}
    assert any("_" in t for t in tokens) and any("%" in t for t in tokens)  # codes and shares are among them
    with pdfplumber.open(pdf) as rendered:
        lines = []
        for page in rendered.pages:
            assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
            lines += (page.extract_text() or "").splitlines()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number in (1, 2, 3):
            rendered.pages[number - 1].to_image(resolution=70).save(str(SCREENSHOTS / f"report-page-{number}.png"))
    # a token broken across two lines of its cell is on no single line of the page
    broken = sorted(t for t in tokens if not any(t in line.replace(" ", "") for line in lines))
    assert broken == []
    # the footnotes are printed: the first one's source line is on a page
    first = _footnotes(report[1])[0]
    assert any(first.split("；")[0].replace(" ", "")[-20:] in line.replace(" ", "") for line in lines)
