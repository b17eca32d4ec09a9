"""Web page bytes → the article's text, without menus, sidebars and footers.

Government and 政协 sites still serve GB2312/GBK pages, often declaring
``gb2312`` while using characters only GBK has; the page is decoded with the
superset GB18030 in that case. Scripts and styles are markup, never text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer
import lxml.html
import trafilatura
from lxml import etree

from extractors.errors import SourceError
from extractors.types import Extraction

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Declared Chinese charsets are read as their superset: a page labelled gb2312
# routinely holds GBK characters.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Never text: code, styling, menus and forms.
_TOO_DEEP = "HTML nested deeper than 256 levels: text below that depth is not read"
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "nav", "form", "button", "select")
# Page chrome, unless it sits inside the article (an <article><header> holds its title).
_CHROME_TAGS = ("header", "footer", "aside")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "blockquote", "pre", "dd", "dt",
}


def extract_html_text(raw: bytes, path: str | Path) -> Extraction:
    """Main text of a web page, one block (paragraph, heading, table row) a
    line, with the article title first. ``path`` names the file in errors."""
    path_str = str(path)
    markup, encoding, warnings = decode_html(raw)
    root, too_deep = _parse(markup)
    if root is None:
        raise SourceError(path_str, "HTML file is empty or not HTML")
    if too_deep:
        warnings.append(_TOO_DEEP)
    _drop_non_text(root)
    text = _extract_main_text(lxml.html.tostring(root, encoding="unicode"))
    if not text:
        text = _extract_plain_text(root)
        if text:
            warnings.append("main-text extraction found nothing; all visible page text kept")
    if not text:
        raise SourceError(path_str, _TOO_DEEP + "; none above that depth" if too_deep else "HTML page has no text")
    return Extraction(text=text, warnings=tuple(warnings))


def decode_html(raw: bytes) -> tuple[str, str, list[str]]:
    """Decode page bytes: BOM, then UTF-8, then the declared charset, then a
    guess. Returns the text, the encoding used, and warnings."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding, []
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw)
    if declared:
        try:
            return raw.decode(declared), declared, []
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.encoding:
        encoding = _SUPERSETS.get(best.encoding.replace("_", "").lower(), best.encoding)
        return raw.decode(encoding, errors="replace"), encoding, [f"encoding guessed as {encoding}"]
    fallback = declared or "gb18030"
    return raw.decode(fallback, errors="replace"), fallback, [f"undecodable bytes replaced ({fallback})"]


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _extract_main_text(markup: str) -> str:
    document = trafilatura.bare_extraction(
        markup,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
    )
    if document is None or not (document.text or "").strip():
        return ""
    lines = [line.strip() for line in document.text.splitlines() if line.strip()]
    title = (document.title or "").strip()
    # trafilatura keeps the <h1> as metadata; the title belongs to the document.
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)
    return "\n".join(lines)


def _parse(markup: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """The page's tree, and whether the parser stopped at its nesting limit (libxml2 keeps
    no element deeper than 256 levels: the text below is lost, and the reason must say so)."""
    if not markup.strip():
        return None, False
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return root, any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log)


def _drop_non_text(root: lxml.html.HtmlElement) -> None:
    """Remove code, menus and page chrome before any text is taken."""
    for element in root.xpath("|".join(f"//{tag}" for tag in _DROPPED_TAGS)):
        element.drop_tree()
    for tag in _CHROME_TAGS:
        for element in root.xpath(f"//{tag}[not(ancestor::article) and not(ancestor::main)]"):
            element.drop_tree()


def _extract_plain_text(root: lxml.html.HtmlElement) -> str:
    """All remaining body text, one block a line, for pages trafilatura cannot read."""
    body = root.find("body")
    if body is None:
        body = root
    for element in body.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().splitlines())
    return "\n".join(line for line in lines if line)
