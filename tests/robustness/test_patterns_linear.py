"""Every pattern of every data file runs in linear time: a 5,000,000-character line cannot hang a run.

The patterns are taken from what the loaders produce (every compiled ``re.Pattern`` reachable
from their results), so a pattern added to a data file is checked without touching this test.
``finditer`` over the whole line is the hardest use any stage makes of a pattern.

Measured on the 2-core development machine (shared, load ~3): a 50,000-character line takes at
most ~0.05 s per pattern (the old watermark pattern took ~25 s there: quadratic); a
5,000,000-character line takes ~25-40 s over all ~190 patterns, at most ~2.5 s for one
pattern (the long alternations of measures.yaml and bodies.yaml, which try a match at every
character). The bounds leave about four times that.
"""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from extractors.lexicon import load_lexicon
from extractors.metadata import load_metadata_rules
from extractors.noise import load_noise_rules
from extractors.pdf_text import load_pdf_layout
from extractors.punctuation import load_punctuation
from extractors.sections import load_heading_rules
from extractors.splitting import load_split_rules

# sentences.yaml holds only characters (sentence ends, closers): no pattern
LOADERS = {
    "noise.yaml": load_noise_rules,
    "headings.yaml": load_heading_rules,
    "documents.yaml (split)": load_split_rules,
    "documents.yaml (metadata)": load_metadata_rules,
    "measures/bodies/status/targets/initiatives.yaml": load_lexicon,
    # punctuation.yaml holds characters; the one pattern built from it is a property
    "punctuation.yaml": lambda: load_punctuation().joined_words,
    "pdf.yaml": load_pdf_layout,
}

LONG = 5_000_000
SHORT = 50_000
# no 。！？!?；; in any shape: a line that never ends a sentence is the hard case
SHAPES = {
    "one CJK character": "政",
    "base64-like ASCII": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==",
    "mixed punctuation": "，、：“”（）《》—…·,.:-_()[]{}<>*＊×X一二三四五六七八九十第条款1234567890年月日 \t\u3000政协委员会提案素材",
}


def _patterns(value, where: str, found: dict, seen: dict) -> None:
    if id(value) in seen:
        return
    seen[id(value)] = value  # kept alive: an id is unique only while its object lives
    if isinstance(value, re.Pattern):
        found.setdefault(value, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _patterns(getattr(value, f.name), f"{where}.{f.name}", found, seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            _patterns(item, f"{where}[{key!r}]", found, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for i, item in enumerate(value):
            _patterns(item, f"{where}[{i}]", found, seen)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith(("extractors.", "models.")):
        for key, item in vars(value).items():
            _patterns(item, f"{where}.{key}", found, seen)


def _loader_patterns(load) -> dict[re.Pattern, str]:
    found: dict[re.Pattern, str] = {}
    _patterns(load(), "", found, {})
    return found


def all_patterns() -> dict[re.Pattern, str]:
    found: dict[re.Pattern, str] = {}
    seen: dict = {}
    for name, load in LOADERS.items():
        _patterns(load(), name, found, seen)
    return found


def _line(shape: str, length: int) -> str:
    unit = SHAPES[shape]
    return (unit * (length // len(unit) + 1))[:length]


def _seconds(pattern: re.Pattern, line: str) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(line):
        pass
    return time.perf_counter() - started


def test_loaders_yield_the_data_files_patterns():
    found = all_patterns()
    assert len(found) > 150
    # each loader holds patterns of its own (a pattern shared by two loaders is one object: re caches)
    empty = [name for name, load in LOADERS.items() if not _loader_patterns(load)]
    assert empty == []
    noise = load_noise_rules()
    assert all(rx in found for _, rx in noise.masks) and all(rx in found for rx in noise.placeholders)


@pytest.mark.parametrize("shape", SHAPES)
def test_no_pattern_is_quadratic(shape):
    """A quick screen first, so that a quadratic pattern fails in seconds, not hours, below."""
    line = _line(shape, SHORT)
    slow = {where: round(t, 3) for rx, where in all_patterns().items() if (t := _seconds(rx, line)) > 0.5}
    assert slow == {}


def test_five_million_character_line():
    # one line holding every shape in turn: one pass over every pattern keeps the suite's time
    line = "".join(_line(shape, LONG // len(SHAPES) + 1) for shape in SHAPES)[:LONG]
    times = {where: _seconds(rx, line) for rx, where in all_patterns().items()}
    slowest = max(times, key=times.get)
    assert times[slowest] < 10, (slowest, times[slowest])
    assert sum(times.values()) < 160, sorted(times.items(), key=lambda kv: -kv[1])[:10]


def test_watermark_still_masks_sentences():
    """The watermark pattern tries only from a sentence's start now: the same spans as before."""
    rules = load_noise_rules()
    [watermark] = [rx for kind, rx in rules.masks if kind == "watermark"]
    text = "各级政协要加强委员履职。本文整理汇总自网络素材库！正文继续，依托微信公众号打造平台；关注微信公众号获取更多\n下一行。"
    spans = [m.group() for m in watermark.finditer(text)]
    assert spans == ["本文整理汇总自网络素材库！", "关注微信公众号获取更多"]
    old = re.compile(watermark.pattern.removeprefix("(?<![^。！？!?；;\\n])"), re.M)
    assert [m.span() for m in old.finditer(text)] == [m.span() for m in watermark.finditer(text)]
