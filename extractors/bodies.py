"""Responsible bodies: surface forms to canonical names and levels (``data/bodies.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.lexicon import Lexicon


@dataclass(frozen=True)
class Mention:
    """A body named in a piece of text; offsets relative to that text."""

    start: int
    end: int
    canonical: str
    level: str | None


def level_of(level_word: str | None, lexicon: Lexicon) -> str | None:
    if not level_word:
        return None
    for regex, level in lexicon.level_rules:
        if regex.search(level_word):
            return level
    return None


def find_mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    """Every body named in ``text``; where forms overlap the longest wins (政协党组 over 政协)."""
    found = []
    for order, pattern in enumerate(lexicon.body_patterns):
        for match in pattern.regex.finditer(text):
            if match.end() == match.start():
                continue
            level_word = match.groupdict().get("lvl")
            found.append((match.start(), match.end(), order, pattern.canonical, level_of(level_word, lexicon)))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken = bytearray(len(text))
    kept = []
    for start, end, _, canonical, level in found:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(Mention(start, end, canonical, level))
    kept.sort(key=lambda m: m.start)
    return kept


def canonical_body(name: str | None, lexicon: Lexicon) -> Mention | None:
    """The body an issuing-body string names (``政协靖江市委员会`` → 政协)."""
    if not name:
        return None
    mentions = find_mentions(name, lexicon)
    if not mentions:
        return None
    return max(mentions, key=lambda m: m.end - m.start)
