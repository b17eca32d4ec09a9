"""The heading tree of a document (patterns in ``data/headings.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from extractors.knowledge import DataError, Regex, Schema, Text, data_path, load_file
from extractors.lines import SENTENCE_END, lost_line_breaks, virtual_lines
from extractors.noise import unmasked_pieces
from extractors.punctuation import PUNCTUATION
from extractors.types import Mask, Section

_CLAUSE_END = PUNCTUATION.clause_end
_SPACE = " \t\u00a0\u3000\ufeff"
_CLAUSE_MAX = 40


@dataclass(frozen=True)
class HeadingPattern:
    kind: str
    rank: int
    regex: re.Pattern
    whole_line: bool
    match_only: bool
    paragraph_scope: bool
    inline: bool
    max_len: int | None


@dataclass(frozen=True)
class HeadingRules:
    patterns: tuple[HeadingPattern, ...]
    title_line_rank: int
    title_line_max: int
    run_in_rank: int
    run_in_max: int
    long_line: int  # a line longer than this lost its line breaks: read it sentence by sentence
    line_start: tuple[re.Pattern, ...]  # numbered headings known from the line start alone

    def starts_with_heading(self, line: str) -> bool:
        """``line`` (stripped) opens with a numbered heading (一、 （一） 1. ——坚持 ◆)."""
        return any(regex.match(line) for regex in self.line_start)


class _Pattern(Schema):
    kind: Text
    rank: NonNegativeInt
    pattern: Regex
    heading: Literal["line", "clause", "match"]
    scope: Literal["document", "paragraph"]
    inline: bool = False  # optional: set on the few patterns that also match inside a line
    max_len: PositiveInt | None = None  # optional: no length limit when absent


class _Fixed(Schema):
    kind: Text
    rank: NonNegativeInt
    max_len: PositiveInt


class _HeadingsFile(Schema):
    patterns: tuple[_Pattern, ...] = Field(min_length=1)
    title_line: _Fixed
    run_in: _Fixed
    long_line: PositiveInt
    line_start_kinds: tuple[Text, ...] = Field(min_length=1)  # heading kinds that also start a PDF paragraph


def load_heading_rules(path: Path | None = None) -> HeadingRules:
    path = path or data_path("headings.yaml")
    data = load_file(path, _HeadingsFile)
    patterns = tuple(
        HeadingPattern(
            kind=p.kind,
            rank=p.rank,
            regex=re.compile(p.pattern),
            whole_line=p.heading == "line",
            match_only=p.heading == "match",
            paragraph_scope=p.scope == "paragraph",
            inline=p.inline,
            max_len=p.max_len,
        )
        for p in data.patterns
    )
    by_kind: dict[str, list[re.Pattern]] = {}
    for pattern in patterns:
        by_kind.setdefault(pattern.kind, []).append(pattern.regex)
    unknown = [kind for kind in data.line_start_kinds if kind not in by_kind]
    if unknown:
        raise DataError(path, None, f"line_start_kinds：没有这种标题 {'、'.join(unknown)}（patterns 里的 kind 才行）")
    return HeadingRules(
        patterns=patterns,
        title_line_rank=data.title_line.rank,
        title_line_max=data.title_line.max_len,
        run_in_rank=data.run_in.rank,
        run_in_max=data.run_in.max_len,
        long_line=data.long_line,
        line_start=tuple(regex for kind in data.line_start_kinds for regex in by_kind[kind]),
    )


@dataclass
class _Heading:
    start: int
    end: int
    kind: str
    rank: int
    paragraph_end: int | None  # set when the heading governs one paragraph only


def _clause_end(text: str, start: int, line_end: int, body: int | None = None) -> int:
    """End of a run-in heading: its first sentence, or first comma-clause when long.

    ``body`` is where the heading's words begin after its marker (``第一，``), so the
    marker's own comma does not end it. A short line with no clause stop is a heading
    as a whole (``（一）围绕中心，强化政治协商职能``): cutting it at the comma loses its topic.
    """
    body = start if body is None else body
    line = text[body:line_end]
    if line_end - start <= _CLAUSE_MAX and not any(ch in _CLAUSE_END for ch in line):
        return line_end
    for i in range(body, line_end):
        if text[i] in _CLAUSE_END:
            if i - start <= _CLAUSE_MAX:
                return i + (1 if text[i] in SENTENCE_END else 0)
            break
    for i in range(body, min(line_end, start + _CLAUSE_MAX + 1)):
        if text[i] in PUNCTUATION.commas:
            return i
    return min(line_end, start + _CLAUSE_MAX)


def _lines(text: str, start: int, end: int, masks: tuple[Mask, ...], long_line: int | None = None):
    """Non-blank lines, trimmed; a line that lost its line breaks is read sentence by sentence."""
    lost = long_line is not None and lost_line_breaks(text, start, end, long_line)
    for s, e in _physical_lines(text, start, end, masks):
        if not lost:
            yield s, e
        else:
            yield from virtual_lines(text, s, e, long_line)


def _physical_lines(text: str, start: int, end: int, masks: tuple[Mask, ...]):
    for piece_start, piece_end in unmasked_pieces(start, end, masks):
        cursor = piece_start
        while cursor < piece_end:
            newline = text.find("\n", cursor, piece_end)
            line_end = piece_end if newline < 0 else newline
            s, e = cursor, line_end
            # Every Unicode space (web pages use U+2003 lines as spacers), and BOMs.
            while s < e and (text[s].isspace() or text[s] in _SPACE):
                s += 1
            while e > s and (text[e - 1].isspace() or text[e - 1] in _SPACE):
                e -= 1
            if e > s:
                yield s, e
            cursor = line_end + 1


def _line_headings(text: str, s: int, e: int, rules: HeadingRules, first_line: bool) -> list[_Heading]:
    line = text[s:e]
    for pattern in rules.patterns:
        match = pattern.regex.match(line)
        if not match:
            continue
        if pattern.whole_line:
            if pattern.max_len and e - s > pattern.max_len:
                continue
            found = [_Heading(s, e, pattern.kind, pattern.rank, None)]
        else:
            end = s + match.end() if pattern.match_only else _clause_end(text, s, e, s + match.end())
            found = [_Heading(s, end, pattern.kind, pattern.rank, e if pattern.paragraph_scope else None)]
        return found + _inline_headings(text, found[0].end, e, rules)
    inline = _inline_headings(text, s, e, rules)
    if first_line:
        return inline
    if e - s <= rules.title_line_max and line[-1] not in PUNCTUATION.open_line + PUNCTUATION.enumeration_comma:
        return [_Heading(s, e, "title_line", rules.title_line_rank, None)]
    first_stop = next((i for i in range(s, e) if text[i] in SENTENCE_END), None)
    if first_stop is not None and first_stop + 1 < e and first_stop + 1 - s <= rules.run_in_max:
        return [_Heading(s, first_stop + 1, "run_in", rules.run_in_rank, e)] + inline
    return inline


def _inline_headings(text: str, s: int, e: int, rules: HeadingRules) -> list[_Heading]:
    found = []
    for pattern in rules.patterns:
        if not pattern.inline:
            continue
        for match in pattern.regex.finditer(text, s, e):
            at = match.start()
            if at == s or text[at - 1] in PUNCTUATION.open_line:
                end = match.end() if pattern.match_only else _clause_end(text, at, e, match.end())
                found.append(_Heading(at, end, pattern.kind, pattern.rank, e))
    found.sort(key=lambda h: h.start)
    return found


def _merge_title_lines(headings: list[_Heading], text: str) -> list[_Heading]:
    """Two title lines in a row (a bold two-line sub-title) are one heading."""
    merged: list[_Heading] = []
    for heading in headings:
        prev = merged[-1] if merged else None
        if prev and prev.kind == heading.kind == "title_line" and text[prev.end : heading.start].count("\n") == 1:
            prev.end = heading.end
            continue
        merged.append(heading)
    return merged


def segment_sections(text: str, start: int, end: int, masks: tuple[Mask, ...], *, rules: HeadingRules) -> list[Section]:
    """Sections of the document ``text[start:end]``; the first line is its title, not a section."""
    headings: list[_Heading] = []
    for index, (s, e) in enumerate(_lines(text, start, end, masks, rules.long_line)):
        headings.extend(_line_headings(text, s, e, rules, first_line=index == 0))
    headings = _merge_title_lines(headings, text)
    sections: list[Section] = []
    for i, heading in enumerate(headings):
        content_end = end
        for later in headings[i + 1 :]:
            if later.rank <= heading.rank:
                content_end = later.start
                break
        if heading.paragraph_end is not None:
            content_end = min(content_end, heading.paragraph_end)
        parent = None
        for j in range(len(sections) - 1, -1, -1):
            candidate = sections[j]
            if candidate.start <= heading.start < candidate.content_end and headings[j].rank < heading.rank:
                parent = j
                break
        depth = 0 if parent is None else sections[parent].depth + 1
        sections.append(
            Section(heading.start, heading.end, text[heading.start : heading.end], heading.kind, depth, parent, max(content_end, heading.end))
        )
    return sections


def section_path(index: int | None, sections: tuple[Section, ...] | list[Section]) -> tuple[str, ...]:
    """Heading texts from the outermost section down to ``index``."""
    path = []
    while index is not None:
        path.append(sections[index].text.replace("\n", " "))
        index = sections[index].parent
    return tuple(reversed(path))
