"""Responsible bodies: surface forms to canonical names and levels (``data/bodies.yaml``).

Most sentences can match only a few of the body patterns. Each pattern's required
characters are read off its parsed form (``re._parser``), so that a pattern runs only
on text that holds them; results are those of running every pattern (the reference
scan, ``prefilter=False``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from extractors.lexicon import BodyPattern, Lexicon

try:  # the parser behind ``re``; if its form ever changes, every pattern just runs
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parse


@dataclass(frozen=True)
class Mention:
    """A body named in a piece of text; offsets relative to that text."""

    start: int
    end: int
    canonical: str
    level: str | None


# A requirement is a conjunction of character sets: a match holds at least one
# character of every set. An empty conjunction means "cannot tell: always run".
Requirement = tuple[frozenset[str], ...]

_SMALL_CLASS = 32  # larger character classes ([一-龥]) say nothing useful
_MAX_CLAUSES = 16  # cap on the product when branches are combined


def _class_chars(items) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _SMALL_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, big ranges
            return None
    return frozenset(chars) if chars else None


def _requirement(items) -> Requirement:
    """What every match of the parsed sequence ``items`` must contain."""
    clauses: list[frozenset[str]] = []
    for op, av in items:
        if op is _sre.LITERAL:
            clauses.append(frozenset(chr(av)))
        elif op is _sre.IN:
            chars = _class_chars(av)
            if chars:
                clauses.append(chars)
        elif op is _sre.SUBPATTERN:
            if not av[1] & re.IGNORECASE:  # (?i:…) makes literals case-blind
                clauses.extend(_requirement(av[-1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                clauses.extend(_requirement(av[2]))
        elif op is _sre.BRANCH:
            clauses.extend(_branch_requirement(av[1]))
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            clauses.extend(_requirement(av))
        # ASSERT, ASSERT_NOT, AT, ANY, GROUPREF…: consume nothing certain
    return _simplify(clauses)


def _simplify(clauses) -> Requirement:
    # a clause that contains another one is implied by it
    unique = list(dict.fromkeys(clauses))
    return tuple(c for c in unique if not any(o < c for o in unique))


def _branch_requirement(branches) -> Requirement:
    options = [_requirement(b) for b in branches]
    if any(not o for o in options):
        return ()
    # (a∧b) ∨ (c∧d) = (a∨c) ∧ (a∨d) ∧ (b∨c) ∧ (b∨d); keep the product small
    size = 1
    for o in options:
        size *= len(o)
    if size > _MAX_CLAUSES:
        options = [(min(o, key=len),) for o in options]
    return _simplify(frozenset().union(*combo) for combo in itertools.product(*options))


def pattern_requirement(regex: re.Pattern) -> Requirement:
    """Character sets every match of ``regex`` must touch; () when unknown."""
    if regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return ()
    try:
        parsed = _sre_parse.parse(regex.pattern, regex.flags)
    except Exception:  # pragma: no cover - a parser change must not break extraction
        return ()
    return _requirement(list(parsed))


@dataclass(frozen=True)
class BodyIndex:
    """Body patterns grouped by one required character each, with their full requirement."""

    patterns: tuple[BodyPattern, ...]
    requirements: tuple[Requirement, ...]
    by_char: dict[str, tuple[int, ...]]  # pattern indices keyed by their anchor character
    always: tuple[int, ...]  # patterns with no requirement


def build_body_index(patterns: tuple[BodyPattern, ...]) -> BodyIndex:
    requirements = tuple(pattern_requirement(p.regex) for p in patterns)
    by_char: dict[str, list[int]] = {}
    always = []
    for order, requirement in enumerate(requirements):
        if not requirement:
            always.append(order)
            continue
        for char in min(requirement, key=len):
            by_char.setdefault(char, []).append(order)
    return BodyIndex(patterns, requirements, {c: tuple(v) for c, v in by_char.items()}, tuple(always))


_INDEXES: dict[int, BodyIndex] = {}


def body_index(lexicon: Lexicon) -> BodyIndex:
    # keyed by identity: a Lexicon holds dicts and is not hashable
    patterns = lexicon.body_patterns
    index = _INDEXES.get(id(patterns))
    if index is None or index.patterns is not patterns:
        if len(_INDEXES) >= 8:  # each entry keeps its lexicon's patterns alive
            _INDEXES.clear()
        index = _INDEXES[id(patterns)] = build_body_index(patterns)
    return index


def candidate_patterns(text: str, lexicon: Lexicon) -> list[int]:
    """Indices, in data order, of the body patterns that can match somewhere in ``text``."""
    index = body_index(lexicon)
    chars = set(text)
    orders = set(index.always)
    for char in chars.intersection(index.by_char):
        orders.update(index.by_char[char])
    requirements = index.requirements
    return sorted(o for o in orders if all(not clause.isdisjoint(chars) for clause in requirements[o]))


def level_of(level_word: str | None, lexicon: Lexicon) -> str | None:
    if not level_word:
        return None
    for regex, level in lexicon.level_rules:
        if regex.search(level_word):
            return level
    return None


def find_mentions(text: str, lexicon: Lexicon, *, prefilter: bool = True) -> list[Mention]:
    """Every body named in ``text``; where forms overlap the longest wins (政协党组 over 政协).

    ``prefilter=False`` runs every pattern (the reference the fast path is tested against).
    """
    patterns = lexicon.body_patterns
    orders = candidate_patterns(text, lexicon) if prefilter else range(len(patterns))
    found = []
    for order in orders:
        pattern = patterns[order]
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
