"""Random input through reading and extraction: no exception escapes, every span holds.

Hypothesis builds files from random Unicode, real policy clauses, heading and
enumeration shapes of every kind the genre uses, and web noise, written in one
encoding or in several glued together. Reading either gives text or a clear
``SourceError``; extraction of whatever was read keeps ``text[start:end] == span.text``
for every mask, placeholder, section, sentence, candidate, measure, body and target.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.documents import load_resources, process_source
from extractors.errors import SourceError
from extractors.reading import read_sources
from extractors.types import SourceText

HEADINGS = ["一、", "（二）", "(三)", "3.", "4、", "（5）", "第六条", "第一章 总则", "——", "◆", "一是", "其次，", "\n\n"]
CLAUSES = [
    "市政协要建立健全委员履职档案制度。",
    "各县（市、区）政协每年至少开展一次专题协商；",
    "2024年底前实现协商议事室全覆盖",
    "会同市委宣传部门开展宣传，",
    "委員履職檔案",
    "“有事好商量”协商平台",
    "202_年x市政协*次",
]
NOISE = ["首页 > 新闻中心 > 正文\n", "[bookmark: a1]", "此处内容需要权限查看", "扫一扫分享到微信", "\x00", "\ufeff", "\u2028"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "utf-32"]

pieces = st.one_of(
    st.sampled_from(HEADINGS + CLAUSES + NOISE),
    st.text(min_size=1, max_size=30),  # any Unicode, surrogates excluded by hypothesis
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=40),
)
texts = st.lists(pieces, min_size=1, max_size=25).map("".join)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


segments = st.lists(st.tuples(texts, st.sampled_from(ENCODINGS)), min_size=1, max_size=3)


@lru_cache(maxsize=1)
def _resources():
    return load_resources()


def _check_spans(source: SourceText) -> int:
    text = source.text
    checked = 0
    for result in process_source(source, _resources()):
        spans = [*result.masks, *result.placeholders, *result.sections, *result.sentences]
        for measure in (*result.candidates, *result.measures):
            spans += [measure, *measure.bodies, *measure.targets]
        for span in spans:
            shown = getattr(span, "mention", None) if hasattr(span, "mention") else span.text
            assert text[span.start : span.end] == shown, (type(span).__name__, span)
            checked += 1
    return checked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segments=segments, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_property_extraction_random_files_never_raise_and_spans_hold(tmp_path_factory, segments, suffix):
    folder: Path = tmp_path_factory.mktemp("random")
    path = folder / f"random{suffix}"
    data = b"".join(_encode(text, encoding) for text, encoding in segments)
    if suffix == ".html":
        data = b"<html><head><title>t</title></head><body><p>" + data + b"</p></body></html>"
    path.write_bytes(data)
    for item in read_sources(path, folder):
        if isinstance(item, SourceError):
            assert item.reason and item.path  # a clear reason naming the file, never a crash
            continue
        assert len(item.analysis_text) == len(item.text)  # one coordinate system
        _check_spans(item)


@settings(max_examples=40, deadline=None)
@given(texts)
def test_property_extraction_heading_and_enumeration_shapes(text):
    # plain text straight into extraction: every shape of heading, run-in and enumeration
    source = SourceText("x.txt", "x.txt", "txt", text, "utf-8", "0" * 64, text)
    _check_spans(source)
