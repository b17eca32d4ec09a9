"""Lines as the structure-finding stages read them.

A page whose line breaks were lost (a scraper dropped the block elements) is one
very long line; headings, part markers and titles are then read as if each
sentence, and each inline part marker, began a line of its own.
"""

from __future__ import annotations

import re
from typing import Iterator

from extractors.punctuation import PUNCTUATION

SENTENCE_END = PUNCTUATION.sentence_end
CLOSERS = PUNCTUATION.closing_marks  # a sentence ends after its closing quote or bracket


def lost_line_breaks(text: str, start: int, end: int, long_line: int) -> bool:
    """True when the lines of ``text[start:end]`` are on average longer than ``long_line``:
    a page that lost its line breaks, not a page with a few long paragraphs."""
    return (end - start) / (text.count("\n", start, end) + 1) > long_line


def virtual_lines(text: str, s: int, e: int, long_line: int, breaks: re.Pattern | None = None) -> Iterator[tuple[int, int]]:
    """``text[s:e]`` as one line, or, when longer than ``long_line``, as its sentences,
    also cut before every match of ``breaks``. Pieces are trimmed of spaces."""
    if e - s <= long_line:
        yield s, e
        return
    cuts = {i + 1 for i in range(s, e - 1) if text[i] in SENTENCE_END and text[i + 1] not in CLOSERS}
    if breaks is not None:
        cuts |= {m.start() for m in breaks.finditer(text, s, e) if m.start() > s}
    start = s
    for cut in sorted(cuts) + [e]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            yield a, b
        start = cut
