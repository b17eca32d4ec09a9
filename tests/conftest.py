"""Real input files built once per test session from the sample corpus.

Each fixture writes a genuine PDF, DOCX or HTML file the way common producers
do (reportlab, python-docx, a GBK-encoded web page), so the readers are tested
on bytes, not on stubs.
"""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

import pytest
from samples import (
    DOCX_LIST_ITEMS,
    DOCX_SECTIONS,
    DOCX_TABLE,
    HTML_BREADCRUMB,
    HTML_FOOTER,
    HTML_MENU,
    HTML_SCRIPT,
    HTML_STYLE_RULE,
    PDF_HEADER,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = CORPUS / "000_c4eeb4407c4e4302.txt"

PDF_USER_PASSWORD = "zhengxie"


def seed_paragraphs() -> list[str]:
    """The seed document, one paragraph per non-empty line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.fixture(scope="session")
def seed() -> list[str]:
    return seed_paragraphs()


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built")


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_policy_pdf(path: Path, paragraphs: list[str], **doc_options) -> Path:
    """A multi-page A4 PDF: title lines centred, body paragraphs wrapped with a
    two-character first-line indent, a running header and ``- N -`` footers."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    font = _cjk_font()
    size = 12
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=TA_CENTER)
    body = ParagraphStyle(
        "body", fontName=font, fontSize=size, leading=20, firstLineIndent=2 * size, wordWrap="CJK"
    )

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        width, height = A4
        canvas.drawCentredString(width / 2, height - 40, PDF_HEADER)
        canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    story = [Paragraph(html.escape(p), title if i < 2 else body) for i, p in enumerate(paragraphs)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, **doc_options)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def write_raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF from hand-written objects (object 1 is the catalog), with a correct
    cross-reference table, for structures no library writes on purpose."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture(scope="session")
def policy_pdf(built_dir: Path, seed: list[str]) -> Path:
    return write_policy_pdf(built_dir / "policy.pdf", seed)


@pytest.fixture(scope="session")
def encrypted_pdf(built_dir: Path, seed: list[str]) -> Path:
    return write_policy_pdf(built_dir / "encrypted.pdf", seed[:4], encrypt=PDF_USER_PASSWORD)


@pytest.fixture(scope="session")
def truncated_pdf(built_dir: Path, policy_pdf: Path) -> Path:
    data = policy_pdf.read_bytes()
    path = built_dir / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def zero_page_pdf(built_dir: Path) -> Path:
    """reportlab writes a page tree with ``/Count 0`` when no page was shown."""
    from reportlab.pdfgen import canvas

    path = built_dir / "zero_pages.pdf"
    canvas.Canvas(str(path)).save()
    return path


@pytest.fixture(scope="session")
def shapes_only_pdf(built_dir: Path) -> Path:
    """Two pages of drawing and no text, like a scan without OCR."""
    from reportlab.pdfgen import canvas

    path = built_dir / "shapes_only.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(100, 100, 300, 500, fill=1)
        c.circle(300, 600, 80)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="session")
def cid_pdf(built_dir: Path) -> Path:
    """Text drawn with an Identity-H font and no ToUnicode map: the glyph codes
    cannot be mapped back to characters."""
    codes = "".join(f"{cid:04X}" for cid in range(1200, 1240)).encode()
    content = b"BT /F1 12 Tf 72 700 Td <" + codes + b"> Tj ET"
    return write_raw_pdf(
        built_dir / "cid_only.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor 7 0 R /DW 1000 >>",
            b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880]"
            b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        ],
    )


@pytest.fixture(scope="session")
def fixture_pdf_dir() -> Path:
    return FIXTURES / "pdf"


def _set_east_asian_font(run, name: str = "宋体") -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _add_chinese_numbering(document) -> str:
    """Register a 一、二、三、 list definition as Word writes it; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract_id, num_id = "90", "90"
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    return num_id


def _number_paragraph(paragraph, num_id: str, level: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)


@pytest.fixture(scope="session")
def policy_docx(built_dir: Path, seed: list[str]) -> Path:
    """Title (Heading 1), Heading 2 sections numbered 一、二、 by Word numbering,
    body paragraphs, a List Number list and a table, in that order."""
    import docx

    document = docx.Document()
    chinese_list = _add_chinese_numbering(document)

    def paragraph(text: str, style: str | None = None):
        para = document.add_paragraph(style=style)
        _set_east_asian_font(para.add_run(text))
        return para

    paragraph(seed[1], "Heading 1")
    paragraph(seed[2])
    for heading, body in DOCX_SECTIONS:
        _number_paragraph(paragraph(heading, "Heading 2"), chinese_list)
        paragraph(body)
        if heading == DOCX_SECTIONS[0][0]:
            for item in DOCX_LIST_ITEMS:
                paragraph(item, "List Number")
            table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
            for row, values in zip(table.rows, DOCX_TABLE):
                for cell, value in zip(row.cells, values):
                    _set_east_asian_font(cell.paragraphs[0].add_run(value))
    path = built_dir / "policy.docx"
    document.save(str(path))
    return path


# Section headings without their numbers: Word numbering supplies 一、 and 二、.


@pytest.fixture(scope="session")
def corrupt_docx(built_dir: Path) -> Path:
    path = built_dir / "corrupt.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("junk.bin", b"\x00\x01 not an office document " * 40)
    return path


@pytest.fixture(scope="session")
def truncated_docx(built_dir: Path, policy_docx: Path) -> Path:
    data = policy_docx.read_bytes()
    path = built_dir / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path




def build_policy_html(paragraphs: list[str]) -> str:
    """A government-site page: menu, breadcrumbs, article, sidebar, footer,
    script and style."""
    menu = "".join(f'<li><a href="/{i}.html">{name}</a></li>' for i, name in enumerate(HTML_MENU))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[2:])
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{html.escape(paragraphs[1])}_政协靖江市委员会</title>
<style>.nav a {{ {HTML_STYLE_RULE} }}</style>
<script type="text/javascript">{HTML_SCRIPT}</script>
</head><body>
<div class="header"><ul class="nav">{menu}</ul></div>
<div class="breadcrumb">{html.escape(HTML_BREADCRUMB)}</div>
<div class="main">
<div class="article">
<h1>{html.escape(paragraphs[1])}</h1>
<div class="info">发布时间：2016-09-12　来源：{html.escape(paragraphs[0])}</div>
<div class="content">
{body}
</div>
</div>
<div class="sidebar"><h3>热点新闻</h3><ul><li><a href="/n1.html">市政协召开主席会议</a></li>
<li><a href="/n2.html">委员视察重点项目</a></li></ul></div>
</div>
<div class="footer"><p>{html.escape(HTML_FOOTER)}</p></div>
<script>{HTML_SCRIPT}</script>
</body></html>
"""


@pytest.fixture(scope="session")
def policy_html_gbk(built_dir: Path, seed: list[str]) -> Path:
    path = built_dir / "policy_gbk.html"
    path.write_bytes(build_policy_html(seed).encode("gbk"))
    return path


# Seed documents analysed once per test session (ingestion, splitting, metadata, spans).
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def base_resources():
    """Everything up to sentences; measure extraction has its own fixtures."""
    from extractors.documents import load_resources

    return load_resources(measures=False)


@pytest.fixture(scope="session")
def seed_results(base_resources):
    from extractors.documents import process_source
    from extractors.reading import read_source

    results = {}
    for name in SEEDS:
        source = read_source(CORPUS / name, CORPUS)
        results[name] = (source, process_source(source, base_resources, with_tokens=True))
    return results


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from this run instead of comparing against it",
    )
