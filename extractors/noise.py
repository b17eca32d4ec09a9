"""Web noise is masked, not deleted; placeholders are kept but flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pydantic import Field

from extractors.knowledge import Regex, Schema, Text, data_path, load_file
from extractors.types import Mask, Placeholder


@dataclass(frozen=True)
class NoiseRules:
    masks: tuple[tuple[str, re.Pattern], ...]
    placeholders: tuple[re.Pattern, ...]


class _Mask(Schema):
    kind: Text
    pattern: Regex


class _Placeholder(Schema):
    pattern: Regex


class _NoiseFile(Schema):
    masks: tuple[_Mask, ...] = Field(min_length=1)
    placeholders: tuple[_Placeholder, ...]


def load_noise_rules(path: Path | None = None) -> NoiseRules:
    data = load_file(path or data_path("noise.yaml"), _NoiseFile)
    return NoiseRules(
        tuple((m.kind, re.compile(m.pattern, re.M)) for m in data.masks),
        tuple(re.compile(p.pattern, re.M) for p in data.placeholders),
    )


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _repeated_title_masks(text: str) -> list[Mask]:
    """A page's title repeated as its last line (web page footers) is furniture."""
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    head = {text[s:e].strip() for s, e in lines[:5]}
    masks = []
    for s, e in lines[-3:]:
        if lines.index((s, e)) >= 5 and text[s:e].strip() in head:
            masks.append(Mask(s, e, "repeated_title", text[s:e]))
    return masks


def find_masks(text: str, rules: NoiseRules) -> tuple[Mask, ...]:
    """Noise spans, sorted and merged where they overlap."""
    found = [Mask(m.start(), m.end(), kind, m.group()) for kind, rx in rules.masks for m in rx.finditer(text) if m.end() > m.start()]
    found += _repeated_title_masks(text)
    found.sort(key=lambda m: (m.start, -m.end))
    merged: list[Mask] = []
    for mask in found:
        if merged and mask.start < merged[-1].end:
            last = merged[-1]
            if mask.end > last.end:
                merged[-1] = Mask(last.start, mask.end, last.kind, text[last.start : mask.end])
            continue
        merged.append(mask)
    return tuple(merged)


def find_placeholders(text: str, rules: NoiseRules) -> tuple[Placeholder, ...]:
    found = {(m.start(), m.end()) for rx in rules.placeholders for m in rx.finditer(text) if m.end() > m.start()}
    return tuple(Placeholder(s, e, text[s:e]) for s, e in sorted(found))


def is_masked(start: int, end: int, masks: tuple[Mask, ...]) -> bool:
    """True when [start, end) lies wholly inside noise."""
    return any(m.start <= start and end <= m.end for m in masks)


def blank_masks(text: str, start: int, end: int, masks: Sequence[Mask]) -> str:
    """``text[start:end]`` with masked noise blanked to spaces (line breaks kept): offsets stay."""
    chars = list(text[start:end])
    for mask in masks:
        for i in range(max(mask.start, start), min(mask.end, end)):
            if text[i] != "\n":
                chars[i - start] = " "
    return "".join(chars)


def unmasked_pieces(start: int, end: int, masks: tuple[Mask, ...]) -> list[tuple[int, int]]:
    """[start, end) with the masked parts cut out."""
    pieces, cursor = [], start
    for mask in masks:
        if mask.end <= cursor or mask.start >= end:
            continue
        if mask.start > cursor:
            pieces.append((cursor, mask.start))
        cursor = max(cursor, mask.end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces
