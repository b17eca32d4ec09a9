"""PDF reader: paragraphs restored, page furniture gone, bad files reported."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from samples import PDF_HEADER
from extractors.errors import SourceError
from extractors.pdf_text import (
    ENCRYPTED,
    NO_PAGES,
    NO_TEXT_LAYER,
    UNREADABLE_CID,
    extract_pdf_text,
    load_pdf_layout,
    starts_paragraph,
)

PAGE_NUMBER_LINE = re.compile(r"^-\s*\d+\s*-$")


@pytest.fixture(scope="module")
def policy_result(policy_pdf: Path):
    return extract_pdf_text(policy_pdf)


@pytest.fixture(scope="module")
def report_lines(fixture_pdf_dir: Path) -> list[str]:
    return extract_pdf_text(fixture_pdf_dir / "issue-67-example.pdf").text.splitlines()


def raw_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_built_pdf_has_the_furniture_the_reader_must_remove(policy_pdf: Path) -> None:
    """Guards the fixture: without it the removal tests below prove nothing."""
    raw = raw_text(policy_pdf)
    with pdfplumber.open(policy_pdf) as pdf:
        assert len(pdf.pages) > 1
    assert PDF_HEADER in raw
    assert any(PAGE_NUMBER_LINE.match(line) for line in raw.splitlines())
    assert "政协党组、常务委员会和主席会议要及时研究部署，提出贯彻意见，带头学习贯彻。" not in raw.splitlines()


def test_built_pdf_paragraphs_come_back_whole(policy_result, seed: list[str]) -> None:
    lines = policy_result.text.splitlines()
    assert lines == seed


@pytest.mark.parametrize(
    "sentence",
    [
        "政协党组、常务委员会和主席会议要及时研究部署，提出贯彻意见，带头学习贯彻。",
        # Clauses chained with ； across a line break stay in one paragraph.
        "巩固党的执政地位；是构建社会主义和谐社会的内在要求，",
        "市政协办公室要及时了解掌握全市政协组织、广大政协委员、政协工作者学习贯彻会议精神的情况，",
    ],
)
def test_built_pdf_sentences_are_not_broken(policy_result, sentence: str) -> None:
    assert sentence in policy_result.text


def test_built_pdf_header_and_page_numbers_are_dropped(policy_pdf: Path, policy_result) -> None:
    result = policy_result
    assert PDF_HEADER not in result.text
    assert not [line for line in result.text.splitlines() if PAGE_NUMBER_LINE.match(line)]
    with pdfplumber.open(policy_pdf) as pdf:
        assert result.pages == len(pdf.pages)
    assert result.warnings == ()


def test_duplicated_glyphs_come_out_single(fixture_pdf_dir: Path) -> None:
    path = fixture_pdf_dir / "issue-71-duplicate-chars.pdf"
    assert "项项目目描描述述" in raw_text(path)
    text = extract_pdf_text(path).text
    assert "项项目目" not in text
    assert "项目描述：负责四川省甘孜州丹巴磨子电站引水隧洞爆破方案优化设计及爆破震动监测工作。" in text
    assert "北京师范大学珠海分校 计算机科学与技术（应用技术） 本科" in text


def test_real_report_reads_chinese_and_drops_its_running_header(
    fixture_pdf_dir: Path, report_lines: list[str]
) -> None:
    header = "东北电气发展股份有限公司2018年第一季度报告全文"
    assert raw_text(fixture_pdf_dir / "issue-67-example.pdf").count(header) > 1
    assert not [line for line in report_lines if header in line]
    assert (
        "公司董事会、监事会及董事、监事、高级管理人员保证季度报告内容的真实、准确、完整，"
        "不存在虚假记载、误导性陈述或者重大遗漏，并承担个别和连带的法律责任。"
    ) in report_lines


def test_real_report_tables_are_rows_of_cells(report_lines: list[str]) -> None:
    lines = report_lines
    assert "营业收入（元）\t4,755,785.11\t5,699,227.63\t-16.55%" in lines
    # A cell wrapped over two visual lines is one cell again.
    assert "归属于上市公司股东的扣除非经常性损益的净利润（元）\t-7,889,855.34\t-15,424,679.15\t48.85%" in lines


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("encrypted_pdf", ENCRYPTED),
        ("zero_page_pdf", NO_PAGES),
        ("shapes_only_pdf", NO_TEXT_LAYER),
        ("cid_pdf", UNREADABLE_CID),
    ],
)
def test_unreadable_pdfs_raise_source_error(request: pytest.FixtureRequest, fixture: str, reason: str) -> None:
    path = request.getfixturevalue(fixture)
    with pytest.raises(SourceError) as caught:
        extract_pdf_text(path)
    assert caught.value.reason == reason
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_truncated_pdf_is_reported_damaged(truncated_pdf: Path) -> None:
    with pytest.raises(SourceError) as caught:
        extract_pdf_text(truncated_pdf)
    assert caught.value.reason.startswith("PDF is damaged: ")
    assert len(caught.value.reason) > len("PDF is damaged: ")


def test_cid_pdf_really_has_unmapped_glyphs(cid_pdf: Path) -> None:
    """Guards the fixture: pdfplumber itself sees only glyph codes."""
    assert re.fullmatch(r"(\(cid:\d+\))+", raw_text(cid_pdf).strip())


@pytest.mark.parametrize(
    ("line", "is_page_number"),
    [
        ("- 3 -", True),
        ("— 12 —", True),
        ("3", True),
        ("第3页", True),
        ("第2 页共6 页", True),
        ("共6页 第3页", True),
        ("3/10", True),
        ("Page 3 of 10", True),
        ("一、深刻认识全市政协工作会议的重要意义", False),
        ("2018 年 04 月", False),
        ("第三条 委员每年至少参加一次集中培训。", False),
    ],
)
def test_page_number_patterns(line: str, is_page_number: bool) -> None:
    layout = load_pdf_layout()
    assert any(p.search(line) for p in layout.page_number) is is_page_number


@pytest.mark.parametrize(
    ("line", "is_heading"),
    [
        ("一、深刻认识全市政协工作会议的重要意义", True),
        ("（一）委员基本信息", True),
        ("第一篇：在全市政协工作会议上的讲话", True),
        ("1.建立健全委员培训制度", True),
        ("（2）安装爆破测振仪器", True),
        ("◆坚持党的领导", True),
        ("——坚持守正创新", True),
        ("第三条 委员每年至少参加一次集中培训。", True),
        ("□ 郑小波", True),
        ("2018.05 - 2020.05", False),
        ("政协工作者学习贯彻会议精神的情况", False),
    ],
)
def test_heading_patterns_start_paragraphs(line: str, is_heading: bool) -> None:
    layout = load_pdf_layout()
    assert starts_paragraph(line, layout) is is_heading
