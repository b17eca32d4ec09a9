"""One file, several documents: parts (第一篇：…), signed articles (□ 作者), duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, PositiveInt

from extractors.knowledge import Regex, Schema, data_path, load_yaml, validate
from extractors.lines import lost_line_breaks, virtual_lines
from extractors.noise import unmasked_pieces
from extractors.punctuation import PUNCTUATION
from extractors.types import Mask


@dataclass(frozen=True)
class SplitRules:
    part_marker: re.Pattern
    inline_part_marker: re.Pattern  # the same marker inside a line that lost its breaks
    long_line: int
    byline: re.Pattern
    inline_byline: re.Pattern  # a byline at the head of a long line: its line break was lost
    closing: re.Pattern
    title_lines: int
    title_max_len: int
    min_document_chars: int
    duplicate_threshold: float


    inline_break: re.Pattern  # where a line that lost its breaks is cut besides its sentence ends


@dataclass(frozen=True)
class DocumentSpan:
    """Where one document lies in its file, before metadata."""

    start: int
    end: int
    title_start: int
    title_end: int
    author: str | None = None
    closing: str | None = None  # 作者系… text


class _SplitSection(Schema):
    """The ``split:`` section of ``documents.yaml``."""

    part_marker: Regex
    inline_part_marker: Regex
    long_line: PositiveInt
    byline: Regex
    inline_byline: Regex
    closing: Regex
    title_lines: PositiveInt
    title_max_len: PositiveInt
    min_document_chars: PositiveInt
    duplicate_threshold: float = Field(ge=0, le=1)


_SPLIT_PATTERNS = ("part_marker", "inline_part_marker", "byline", "inline_byline", "closing")


def load_split_rules(path: Path | None = None) -> SplitRules:
    path = path or data_path("documents.yaml")
    data = validate(load_yaml(path), _SplitSection, path, at=("split",))
    patterns = {key: re.compile(getattr(data, key), re.M) for key in _SPLIT_PATTERNS}
    inline_break = re.compile(f"(?:{patterns['inline_part_marker'].pattern})|(?:{patterns['inline_byline'].pattern})")
    return SplitRules(
        **patterns,
        inline_break=inline_break,
        **{k: v for k, v in data.model_dump().items() if k not in _SPLIT_PATTERNS},
    )


def _lines(text: str, start: int, end: int, masks: tuple[Mask, ...], rules: SplitRules | None = None) -> list[tuple[int, int]]:
    """Non-blank, unmasked lines as stripped spans (a line that lost its breaks: its sentences)."""
    lines = []
    lost = rules is not None and lost_line_breaks(text, start, end, rules.long_line)
    for piece_start, piece_end in unmasked_pieces(start, end, masks):
        for match in re.finditer(r"[^\n]+", text[piece_start:piece_end]):
            s, e = piece_start + match.start(), piece_start + match.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                if not lost:
                    lines.append((s, e))
                else:
                    lines.extend(virtual_lines(text, s, e, rules.long_line, rules.inline_break))
    return lines


def _line_match(regex: re.Pattern, text: str, s: int, e: int):
    """``regex`` matched on the line ``text[s:e]`` alone (offsets relative to ``s``): a
    sentence read as a line starts mid-text, where ``^`` would not match."""
    return regex.match(text[s:e])


def _content_chars(text: str, start: int, end: int, masks: tuple[Mask, ...]) -> int:
    return sum(len(text[s:e].strip()) for s, e in unmasked_pieces(start, end, masks))


def _is_title_line(text: str, span: tuple[int, int], rules: SplitRules) -> bool:
    s, e = span
    return e - s <= rules.title_max_len and text[e - 1] not in PUNCTUATION.open_line


def _title_span(text: str, lines: list[tuple[int, int]], first: int, rules: SplitRules) -> tuple[int, int]:
    """The document's title: its first line after a part marker, else its first line."""
    if first >= len(lines):
        return (0, 0)
    s, e = lines[first]
    marker = _line_match(rules.part_marker, text, s, e)
    if marker and s + marker.end() < e:
        return (s + marker.end(), e)
    return (s, e)


def split_documents(text: str, masks: tuple[Mask, ...], *, rules: SplitRules) -> list[DocumentSpan]:
    """Document spans of a file; a short header before the first boundary is not a document."""
    lines = _lines(text, 0, len(text), masks, rules)
    # (line index where a document begins, author)
    starts: list[tuple[int, str | None]] = []
    for index, (s, e) in enumerate(lines):
        if _line_match(rules.part_marker, text, s, e):
            starts.append((index, None))
            continue
        byline = _line_match(rules.byline, text, s, e)
        if byline is None:
            byline = _line_match(rules.inline_byline, text, s, e)
        if byline:
            first = index
            while first > 0 and index - first < rules.title_lines and _is_title_line(text, lines[first - 1], rules):
                first -= 1
            if starts and first <= starts[-1][0]:
                first = index  # the title lines belong to an earlier boundary
            starts.append((first, byline.group(1)))
    if not starts:
        return [_document(text, lines, 0, len(text), 0, None, masks, rules)]
    spans = []
    head_end = lines[starts[0][0]][0]
    if _content_chars(text, 0, head_end, masks) >= rules.min_document_chars:
        spans.append(_document(text, lines, 0, head_end, 0, None, masks, rules))
    for number, (first, author) in enumerate(starts):
        begin = lines[first][0]
        end = lines[starts[number + 1][0]][0] if number + 1 < len(starts) else len(text)
        closing = rules.closing.search(text, begin, end)
        rest = text.find("\n", closing.end(), end) if closing else -1
        if closing and rest > 0 and _content_chars(text, rest, end, masks) >= rules.min_document_chars:
            # An author's closing line ends the article; unsigned text after it is another document.
            spans.append(_document(text, lines, begin, closing.end(), first, author, masks, rules))
            next_first = next(i for i, span in enumerate(lines) if span[0] > rest)
            spans.append(_document(text, lines, lines[next_first][0], end, next_first, None, masks, rules))
        else:
            spans.append(_document(text, lines, begin, end, first, author, masks, rules))
    return spans


def _document(text, lines, start, end, first, author, masks, rules) -> DocumentSpan:
    # Trailing blank lines and trailing noise stay outside the document.
    inner = [span for span in lines if start <= span[0] < end]
    if inner:
        end = inner[-1][1]
    title_start, title_end = _title_span(text, lines, first, rules)
    if author:
        # A signed article's title runs from its first line to the line above the byline.
        title_lines = [span for span in inner if span[1] <= text.find("\n", title_start) or span[0] < _byline_start(text, inner, rules)]
        if title_lines:
            title_end = title_lines[-1][1]
    closing = rules.closing.search(text, start, end)
    return DocumentSpan(start, end, title_start, title_end, author, closing.group(1) if closing else None)


def _byline_start(text: str, lines: list[tuple[int, int]], rules: SplitRules) -> int:
    for s, e in lines:
        if rules.byline.match(text, s, e):
            return s
    return lines[0][0] if lines else 0


def shingles(text: str, size: int = 4) -> set[str]:
    compact = re.sub(r"\s+", "", text)
    return {compact[i : i + size] for i in range(max(1, len(compact) - size + 1))}


def find_duplicates(texts: list[str], threshold: float) -> list[int | None]:
    """For each text, the index of the text it repeats, or None.

    A text repeats another when at least ``threshold`` of its character 4-grams
    occur in the other (containment, so a speech reprinted inside a longer one
    counts). The shorter copy is the duplicate; of equal copies, the later one.
    """
    sets = [shingles(t) for t in texts]
    result: list[int | None] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: (-len(sets[i]), i))
    for rank, i in enumerate(order):
        for j in order[:rank]:
            if result[j] is not None or not sets[i]:
                continue
            if len(sets[i] & sets[j]) / len(sets[i]) >= threshold:
                result[i] = j
                break
    return result
