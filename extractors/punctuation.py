"""Punctuation and particles, defined once in ``data/punctuation.yaml``.

Every stage that cuts or classifies text by its marks takes them from here; the
combinations the stages use are named below, so each set is written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.knowledge import DataError, data_path, load_yaml, require

_WHITESPACE = " \t\r\n\u3000\u00a0"


@dataclass(frozen=True)
class Punctuation:
    full_stops: str
    ellipsis: str
    semicolons: str
    colons: str
    commas: str
    enumeration_comma: str
    closing_marks: str
    pairs: tuple[tuple[str, str], ...]  # opener, closer
    name_marks: str
    dashes: str
    # particles
    quantifiers: str  # stripped character by character
    conjunctions: tuple[str, ...]
    object_markers: frozenset[str]
    object_lead: str
    pivot_lead: str
    party_links: tuple[str, ...]
    list_closer: str
    clause_joiner: str
    modifier: str

    @property
    def sentence_end(self) -> str:
        """Ends a sentence when a line is read sentence by sentence (``。！？!?``)."""
        return self.full_stops

    @property
    def sentence_final(self) -> str:
        """Ends a sentence in the sentence splitter and a paragraph in a PDF."""
        return self.full_stops + self.ellipsis

    @property
    def clause_end(self) -> str:
        """Where a run-in heading stops: a full stop, semicolon or colon."""
        return self.full_stops + self.semicolons + self.colons

    @property
    def item_end(self) -> str:
        """Ends a list item or the stretch a cue governs: a full stop or semicolon."""
        return self.full_stops + self.semicolons

    @property
    def clause_stops(self) -> str:
        """Where a sentence is cut into clauses."""
        return self.clause_end + self.ellipsis + self.commas

    @property
    def open_line(self) -> str:
        """A line ending in one of these goes on (not a title)."""
        return self.clause_end + self.commas

    @property
    def clause_trim(self) -> str:
        """Stripped from both ends of a clause."""
        return _WHITESPACE + self.clause_stops + self.enumeration_comma + self.dashes

    @property
    def openers(self) -> dict[str, str]:
        return dict(self.pairs)

    @property
    def joined_words(self) -> re.Pattern:
        """A conjunction and a two-character word, repeated (``落实和反馈``)."""
        alternation = "|".join(re.escape(w) for w in sorted(self.conjunctions, key=len, reverse=True))
        return re.compile(rf"(?:(?:{alternation})[\u4e00-\u9fff]{{2}})+")


def _marks(mapping, key: str, path: Path) -> str:
    value = require(mapping, key, str, path)
    if not value:
        raise DataError(path, mapping.line_of(key), f"“{key}”不能为空")
    return value


def _words(mapping, key: str, path: Path) -> tuple[str, ...]:
    values = require(mapping, key, list, path)
    for value, line in zip(values, getattr(values, "item_lines", [None] * len(values))):
        if not isinstance(value, str) or not value:
            raise DataError(path, line, f"“{key}”的每一项都必须是非空字符串")
    return tuple(values)


@lru_cache(maxsize=4)
def load_punctuation(path: Path | None = None) -> Punctuation:
    path = path or data_path("punctuation.yaml")
    data = load_yaml(path)
    marks = require(data, "marks", dict, path)
    particles = require(data, "particles", dict, path)
    pairs = require(marks, "pairs", dict, path)
    for opener, closer in pairs.items():
        if not (isinstance(opener, str) and isinstance(closer, str) and len(opener) == len(closer) == 1):
            raise DataError(path, pairs.line_of(opener), f"“pairs”的每一项都必须是单个字符对单个字符：{opener!r}")
    return Punctuation(
        **{key: _marks(marks, key, path) for key in (
            "full_stops", "ellipsis", "semicolons", "colons", "commas", "enumeration_comma",
            "closing_marks", "name_marks", "dashes",
        )},
        pairs=tuple(pairs.items()),
        quantifiers="".join(_words(particles, "quantifiers", path)),
        conjunctions=_words(particles, "conjunctions", path),
        object_markers=frozenset(_words(particles, "object_markers", path)),
        object_lead="".join(_words(particles, "object_lead", path)),
        pivot_lead="".join(_words(particles, "pivot_lead", path)),
        party_links=_words(particles, "party_links", path),
        **{key: _marks(particles, key, path) for key in ("list_closer", "clause_joiner", "modifier")},
    )


PUNCTUATION = load_punctuation()
