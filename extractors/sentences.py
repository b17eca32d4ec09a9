"""Sentences and jieba tokens, as offsets into the source text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.knowledge import Schema, data_path, load_file
from extractors.noise import unmasked_pieces
from extractors.punctuation import PUNCTUATION
from extractors.tokens import word_spans
from extractors.types import Mask, Section, Sentence, Token


@dataclass(frozen=True)
class SentenceRules:
    ends: frozenset[str]
    closers: frozenset[str]
    newline_ends: bool


class _SentencesFile(Schema):
    newline_ends_sentence: bool


def load_sentence_rules(path: Path | None = None) -> SentenceRules:
    data = load_file(path or data_path("sentences.yaml"), _SentencesFile)
    # The marks themselves are in punctuation.yaml, shared with every other stage.
    return SentenceRules(frozenset(PUNCTUATION.sentence_final), frozenset(PUNCTUATION.closing_marks), data.newline_ends_sentence)


def _raw_sentences(text: str, start: int, end: int, rules: SentenceRules) -> list[tuple[int, int]]:
    spans, begin, i = [], start, start
    while i < end:
        ch = text[i]
        if ch in rules.ends or (rules.newline_ends and ch == "\n"):
            j = i + 1
            if ch != "\n":
                while j < end and (text[j] in rules.closers or text[j] in rules.ends):
                    j += 1
            spans.append((begin, j))
            begin, i = j, j
            continue
        i += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def innermost_section(position: int, sections: tuple[Section, ...] | list[Section]) -> int | None:
    best = None
    for index, section in enumerate(sections):
        if section.start <= position < section.content_end:
            if best is None or section.depth >= sections[best].depth:
                best = index
    return best


def split_sentences(
    text: str,
    start: int,
    end: int,
    masks: tuple[Mask, ...],
    sections: tuple[Section, ...] = (),
    *,
    rules: SentenceRules,
) -> list[Sentence]:
    """Sentences of ``text[start:end]``, skipping masked noise."""
    sentences = []
    for piece_start, piece_end in unmasked_pieces(start, end, masks):
        for s, e in _raw_sentences(text, piece_start, piece_end, rules):
            s, e = _strip(text, s, e)
            if e > s:
                sentences.append(Sentence(s, e, text[s:e], innermost_section(s, sections)))
    return sentences


def tokenize(sentence: Sentence, analysis_text: str, text: str, userdict: Path | None = None) -> tuple[Token, ...]:
    """jieba tokens of a sentence, cut as the measure pipeline cuts it; analysed on
    simplified text, offsets shifted once, here."""
    offset = sentence.start
    return tuple(
        Token(offset + s, offset + e, text[offset + s : offset + e])
        for _, s, e in word_spans(analysis_text[sentence.start : sentence.end], userdict)
    )
