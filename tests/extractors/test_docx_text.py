"""DOCX reader: document order, headings, Word numbering and tables."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from samples import DOCX_LIST_ITEMS, DOCX_SECTIONS, DOCX_TABLE
from extractors.docx_text import extract_docx_text, format_number
from extractors.errors import SourceError


@pytest.fixture(scope="module")
def lines(policy_docx: Path) -> list[str]:
    return extract_docx_text(policy_docx).text.splitlines()


def test_docx_fixture_stores_numbers_outside_the_text(policy_docx: Path) -> None:
    """Guards the fixture: the numbers exist only as Word numbering."""
    texts = [p.text for p in docx.Document(str(policy_docx)).paragraphs]
    assert DOCX_SECTIONS[0][0] in texts
    assert not [t for t in texts if t.startswith(("一、", "1."))]


def test_docx_lines_keep_document_order(lines: list[str], seed: list[str]) -> None:
    first, second = DOCX_SECTIONS
    expected = [
        seed[1],
        seed[2],
        "一、" + first[0],
        first[1],
        *(f"{i}.{item}" for i, item in enumerate(DOCX_LIST_ITEMS, start=1)),
        *("\t".join(row) for row in DOCX_TABLE),
        "二、" + second[0],
        second[1],
    ]
    assert lines == expected


def test_docx_headings_are_lines_of_their_own(lines: list[str], seed: list[str]) -> None:
    assert seed[1] in lines
    assert "一、深刻认识全市政协工作会议的重要意义" in lines
    assert "二、准确把握全市政协工作会议的主要精神" in lines


def test_docx_table_cells_are_tab_separated(lines: list[str]) -> None:
    assert "学习贯彻会议精神\t政协机关\t年底前" in lines


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "decimal", "1"),
        (3, "chineseCounting", "三"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (21, "chineseCounting", "二十一"),
        (2, "upperLetter", "B"),
        (4, "lowerRoman", "iv"),
        (3, "decimalEnclosedCircle", "③"),
    ],
)
def test_format_number(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


@pytest.mark.parametrize("fixture", ["corrupt_docx", "truncated_docx"])
def test_broken_docx_raises_source_error(request: pytest.FixtureRequest, fixture: str) -> None:
    path = request.getfixturevalue(fixture)
    with pytest.raises(SourceError) as caught:
        extract_docx_text(path)
    assert caught.value.reason.startswith("not a valid .docx (zip/XML error: ")
    assert caught.value.path == str(path)
