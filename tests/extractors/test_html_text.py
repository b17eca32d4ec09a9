"""HTML reader: article text in, menus, chrome and scripts out, any charset."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples import HTML_BREADCRUMB, HTML_FOOTER, HTML_MENU, HTML_SCRIPT, HTML_STYLE_RULE
from extractors.errors import SourceError
from extractors.html_text import decode_html, extract_html_text


@pytest.fixture(scope="module")
def gbk_result(policy_html_gbk: Path):
    return extract_html_text(policy_html_gbk.read_bytes(), policy_html_gbk)


def test_gbk_page_is_not_utf8(policy_html_gbk: Path) -> None:
    """Guards the fixture: the reader has to find the charset itself."""
    with pytest.raises(UnicodeDecodeError):
        policy_html_gbk.read_bytes().decode("utf-8")


def test_article_body_is_kept_whole(gbk_result, seed: list[str]) -> None:
    lines = gbk_result.text.splitlines()
    assert lines[0] == seed[1]
    assert [line for line in lines if line in seed[2:]] == seed[2:]


@pytest.mark.parametrize("noise", [*HTML_MENU, HTML_BREADCRUMB, HTML_FOOTER, "热点新闻", "市政协召开主席会议"])
def test_menus_and_page_chrome_are_dropped(gbk_result, noise: str) -> None:
    assert noise not in gbk_result.text.splitlines()


@pytest.mark.parametrize("code", [HTML_SCRIPT, HTML_STYLE_RULE, "<script", "text/javascript"])
def test_script_and_style_are_never_text(gbk_result, code: str) -> None:
    assert code not in gbk_result.text


def test_gb2312_label_with_gbk_characters_decodes() -> None:
    # 镕 is in GBK but not in GB2312; sites labelled gb2312 use it anyway.
    raw = '<html><head><meta charset="gb2312"></head><body><p>朱镕基同志</p></body></html>'.encode("gbk")
    text, encoding, warnings = decode_html(raw)
    assert "朱镕基同志" in text
    assert encoding == "gb18030"
    assert warnings == []


def test_utf8_page_without_declaration() -> None:
    raw = "<html><body><article><p>建立健全委员培训制度。</p></article></body></html>".encode()
    assert extract_html_text(raw, "page.html").text == "建立健全委员培训制度。"


def test_page_trafilatura_rejects_falls_back_without_scripts() -> None:
    raw = (
        '<html><body><div class="comments">政协委员履职档案管理办法</div>'
        f"<script>{HTML_SCRIPT}</script></body></html>"
    ).encode()
    result = extract_html_text(raw, "page.html")
    assert result.text == "政协委员履职档案管理办法"
    assert result.warnings == ("main-text extraction found nothing; all visible page text kept",)


@pytest.mark.parametrize("raw", [b"", b"<html><body><script>alert(1)</script></body></html>"])
def test_page_without_text_raises_source_error(raw: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        extract_html_text(raw, "empty.html")
    assert caught.value.path == "empty.html"
