"""`policycat report` on real runs: the sample corpus, and a small corpus with markup in its text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from matplotlib.ft2font import FT2Font
from openpyxl import load_workbook

from extractors.knowledge import DataError
from models.taxonomy import load_taxonomy
from pipelines.reports import write_reports
from pipelines.reports.charts import ChartFontError, find_cjk_font, font_has_glyphs
from pipelines.reports.wording import DEFAULT_WORDING_PATH, load_wording
from pipelines.reports.workbook import sheet_name

CORPUS = Path(__file__).resolve().parents[3] / "corpora"
SEED = CORPUS / "000_c4eeb4407c4e4302.txt"
INJECTED = "<script>alert(1)</script>"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def reported(seed_run, tmp_path_factory):
    """The shared seed run copied (reports are written beside it), compared, reported."""
    source, _ = seed_run
    out = tmp_path_factory.mktemp("report") / "out"
    shutil.copytree(source, out, ignore=shutil.ignore_patterns(".cache"))
    if not (out / "comparison.jsonl").exists():
        from pipelines.compare import default_mapping, run_comparison

        run_comparison(out, [CORPUS], default_mapping([CORPUS]))
    summary = write_reports(out, [CORPUS])
    return out, summary, _jsonl(out / "catalogue.jsonl"), _jsonl(out / "documents.jsonl")


def _counted(rows: list[dict], documents: list[dict]) -> list[dict]:
    # duplicates, and fragments (no title, issuer or author) that no comparison group names
    duplicates = {d["doc_id"] for d in documents if d.get("duplicate_of") or d.get("fragment")}
    return [r for r in rows if r["doc_id"] not in duplicates and not r.get("duplicate_of") and not r.get("rejected")]


def test_report_writes_every_file(reported):
    out, summary, rows, documents = reported
    for name in ("catalogue.xlsx", "report.docx", "report.html", "report.md"):
        assert (out / name).stat().st_size > 10_000, name
    assert summary["measures"] == len(rows) > 0 and summary["documents"] == len(documents)
    assert summary["counted_measures"] == len(_counted(rows, documents))
    assert summary["charts"] >= 4 and len(list((out / "charts").glob("*.png"))) == summary["charts"]
    assert summary["unverified_contexts"] == 0  # every measure found at its offsets in its source text


# ---------------------------------------------------------------- workbook


def test_report_workbook_sheets_header_filter_and_readable_fields(reported):
    out, _, rows, documents = reported
    wording = load_wording()
    book = load_workbook(out / "catalogue.xlsx")
    names = book.sheetnames
    assert len(names) == len({n.lower() for n in names})
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    sheets = wording.section("sheets")
    assert {sheets["measures"], sheets["documents"], sheets["coverage"], sheets["pairs"]} <= set(names)
    review = wording.section("review")
    reviewing = {review["sheet"], review["pairs_sheet"], review["values_sheet"]}  # their layout: test_review_roundtrip
    assert reviewing <= set(names) and sheets["tasks"] in names and len(names) == 3 + len(documents) + 7 + len(reviewing)
    for sheet in (s for s in book.worksheets if s.title not in reviewing):
        assert sheet.freeze_panes in ("A2", "B2", "C2"), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(4 <= w <= 62 for w in widths), sheet.title

    measures = book[sheets["measures"]]
    header = [c.value for c in measures[1]]
    fields = wording.section("fields")
    table = [dict(zip(header, (c.value for c in line))) for line in measures.iter_rows(min_row=2)]
    assert measures.auto_filter.ref.endswith(str(len(rows) + 1))
    assert [line[fields["measure_id"]] for line in table] == [r["measure_id"] for r in rows]
    names_of = {c.code: c.name for c in load_taxonomy().categories}
    status_labels = set(wording.labels["status"].values())
    for line, row in zip(table, rows):
        assert line[fields["text"]] == row["text"] and line[fields["span_start"]] == row["span_start"]
        assert line[fields["category"]] == f"{row['category']} {names_of[row['category']]}"
        assert line[fields["status"]] in status_labels
        if row["bodies"]:
            bodies = line[fields["bodies"]]
            assert not bodies.startswith(("[", "{")) and "canonical" not in bodies
            assert bodies.split("；")[0].startswith(row["bodies"][0]["mention"])
    with_level = next(line for line, row in zip(table, rows) if any(b.get("level") == "city" and b.get("explicit") for b in row["bodies"]))
    assert "市级" in with_level[fields["bodies"]]


def test_report_workbook_document_sheets_hold_each_document_s_measures(reported):
    out, _, rows, documents = reported
    wording = load_wording()
    book = load_workbook(out / "catalogue.xlsx")
    overview = book[wording.section("sheets")["documents"]]
    listed = [line[0].value for line in overview.iter_rows(min_row=2)]
    assert len(listed) == len(documents)
    for name, doc in zip(listed, documents):
        sheet = book[name]
        assert sheet.max_row - 1 == sum(1 for r in rows if r["doc_id"] == doc["doc_id"])
        assert overview.cell(row=listed.index(name) + 2, column=1).hyperlink.location == f"'{name}'!A1"


@pytest.mark.parametrize(
    ("title", "used", "expected"),
    [
        ("关于[2016]第1号:意见*?/\\", set(), "关于_2016_第1号_意见____"),
        ("甲" * 40, set(), "甲" * 31),
        ("文档", {"文档"}, "文档~2"),
        ("'引号'", set(), "引号"),
        ("History", set(), "history_"),
        ("", set(), "sheet"),
    ],
)
def test_report_workbook_sheet_names_are_valid(title, used, expected):
    assert sheet_name(title, set(used)) == expected


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_report_workbook_and_docx_open_in_libreoffice(reported, tmp_path):
    out, _, rows, _ = reported
    for name, target in (("catalogue.xlsx", "csv"), ("report.docx", "pdf")):
        subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(out / name)],
                       check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
        assert (tmp_path / f"{Path(name).stem}.{target}").stat().st_size > 1000


# ---------------------------------------------------------------- docx


def test_report_docx_headings_figures_and_pictures(reported):
    out, summary, rows, documents = reported
    wording = load_wording()
    document = docx.Document(str(out / "report.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    heading1 = [text for style, text in styles if style == "Heading 1"]
    assert heading1 == [wording.heading(k) for k in ("overview", "classes", "bodies", "city_county", "peers", "ranking", "notes", "tasks")]
    assert any(style == "Heading 2" for style, _ in styles)
    text = "\n".join(t for _, t in styles)
    assert f"要求目录共收录举措 {len(rows)} 条" in text
    assert f"计入统计的举措 {len(_counted(rows, documents))} 条" in text
    assert len(document.inline_shapes) == summary["charts"]
    class_table = document.tables[1]
    assert [c.text for c in class_table.rows[0].cells][:3] == ["类别", "代码", "举措数"]
    counts = {r.cells[1].text: int(r.cells[2].text) for r in class_table.rows[1:-1]}
    counted = _counted(rows, documents)
    assert counts == {code: sum(1 for r in counted if r["category"] == code) for code in counts}


def test_report_chart_font_has_chinese_glyphs():
    font = find_cjk_font()
    face = FT2Font(font.path, face_index=font.index)
    assert all(face.get_char_index(ord(ch)) != 0 for ch in "政协")
    import matplotlib

    latin_only = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert not font_has_glyphs(latin_only, "政协")  # the check tells a Latin font apart
    assert issubclass(ChartFontError, RuntimeError)


def test_report_charts_are_png(reported):
    out, _, _, _ = reported
    for path in (out / "charts").glob("*.png"):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


# ---------------------------------------------------------------- markdown


def test_report_markdown_has_the_class_table(reported):
    out, _, rows, documents = reported
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "| 类别 | 代码 | 举措数 | 占比 |" in text
    counted = _counted(rows, documents)
    for category in load_taxonomy().categories:
        n = sum(1 for r in counted if r["category"] == category.code)
        assert f"| {category.name} | {category.code.replace('_', chr(92) + '_')} | {n} |" in text
    assert "![" in text and "](charts/" in text


# ---------------------------------------------------------------- html


def _html(out: Path):
    return lxml.html.parse(str(out / "report.html")).getroot()


def _executable_scripts(root) -> list:
    return [s for s in root.iter("script") if (s.get("type") or "text/javascript").lower() in ("text/javascript", "module", "application/javascript")]


def test_report_html_is_self_contained_and_every_mark_is_the_measure(reported):
    out, _, rows, _ = reported
    root = _html(out)
    assert not root.xpath("//link[@href] | //script[@src] | //iframe")
    images = root.xpath("//img/@src")
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    marks = root.xpath('//table[@id="measures"]//mark')
    assert [m.text_content() for m in marks] == [r["text"] for r in rows]
    data = json.loads(root.get_element_by_id("measure-data").text)
    assert len(data["measures"]) == len(rows) == len(root.xpath('//table[@id="measures"]/tbody/tr'))
    assert [m["c"] for m in data["measures"]] == [r["category"] for r in rows]
    for select in ("f-class", "f-status", "f-level", "f-body", "f-document"):
        assert len(root.get_element_by_id(select).xpath("option")) > 1


@pytest.fixture(scope="module")
def markup_run(prefect_harness, tmp_path_factory):
    """A real run over one text whose title and a policy sentence carry a script tag."""
    from pipelines.flow import catalogue_flow

    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = tmp_path_factory.mktemp("markup-corpus")
    body = [
        lines[0],
        lines[1] + INJECTED,
        lines[2],
        lines[3],
        "政协各参加单位要建立健全委员培训制度" + INJECTED + "，每年对委员至少开展一次集中培训。",
        *lines[4:9],
    ]
    (corpus / "markup.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("markup-run")
    catalogue_flow([str(corpus)], str(out), show_progress=False, use_cache=False)
    return corpus, out


def test_report_html_shows_markup_in_documents_as_text(markup_run):
    corpus, out = markup_run
    write_reports(out, [corpus])
    rows = _jsonl(out / "catalogue.jsonl")
    assert rows
    raw = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    root = lxml.html.fromstring(raw)
    assert not [s for s in _executable_scripts(root) if "alert" in (s.text or "")]
    assert len(root.xpath("//script")) == 2  # the page's own: the data and the filter code
    assert INJECTED in root.text_content()  # shown, as text
    data_text = root.get_element_by_id("measure-data").text
    assert "</" not in data_text
    json.loads(data_text)
    marks = root.xpath('//table[@id="measures"]//mark')
    assert [m.text_content() for m in marks] == [r["text"] for r in rows]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown


def test_report_command_line(markup_run):
    from typer.testing import CliRunner

    from pipelines.cli import app

    corpus, out = markup_run
    result = CliRunner().invoke(app, ["report", str(out), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "measures" in result.output and (out / "report.docx").exists()


# ---------------------------------------------------------------- wording file


def test_report_wording_problems_name_file_and_line(tmp_path):
    text = DEFAULT_WORDING_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "report.yaml"
    broken.write_text(text.replace("  examples_per_class: 3", "  examples_per_class: 0") + "\nextra: 1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_wording(broken)
    message = str(caught.value)
    assert f"{broken}:" in message and "examples_per_class" in message and "extra" in message
    wording = load_wording()
    bad_sentence = tmp_path / "sentence.yaml"
    bad_sentence.write_text(text.replace("{measures} 条，其中", "{measure_count} 条，其中"), encoding="utf-8")
    with pytest.raises(DataError, match="measure_count"):
        load_wording(bad_sentence).fill("measures", measures=1, uncounted=0, counted=1, classes_used=1, classes=16)
    assert "1" in wording.fill("measures", measures=1, uncounted=0, counted=1, classes_used=1, classes=16)


def test_report_workbook_ids_link_to_the_review_page(reported):
    out, _, rows, _ = reported
    book = load_workbook(out / "catalogue.xlsx")
    sheet = book[load_wording().section("sheets")["measures"]]
    header = [c.value for c in sheet[1]]
    column = header.index(load_wording().section("fields")["measure_id"]) + 1
    html = (out / "report.html").read_text(encoding="utf-8")
    for row in range(2, min(sheet.max_row, 40) + 1):
        cell = sheet.cell(row=row, column=column)
        assert cell.hyperlink.target == f"report.html#m-{cell.value}" and f'id="m-{cell.value}"' in html
