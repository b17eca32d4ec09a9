"""Quantified requirements in a clause: how often, how many, by when, how widely."""

from __future__ import annotations

from extractors.lexicon import Lexicon
from extractors.numerals import parse_number
from extractors.types import Target


def find_targets(text: str, offset: int, lexicon: Lexicon, source_text: str | None = None) -> tuple[Target, ...]:
    """Targets in ``text`` (analysis text of a clause starting at ``offset``).

    Offsets are shifted by ``offset``; ``Target.text`` is sliced from ``source_text``
    (the original script) when given. Overlapping matches keep the longest.
    """
    found: list[tuple[int, int, Target]] = []
    for pattern in lexicon.targets:
        for match in pattern.regex.finditer(text):
            if match.end() == match.start():
                continue
            groups = match.groupdict()
            unit_text = groups.get("unit")
            unit = pattern.unit_value or (lexicon.target_units.get(unit_text, unit_text) if unit_text else None)
            value = pattern.value
            if groups.get("num") is not None:
                value = parse_number(groups["num"])
                if pattern.unit_value == "year" and value is not None and groups["num"].isdigit() and len(groups["num"]) == 4:
                    value = float(groups["num"])
            start, end = offset + match.start(), offset + match.end()
            span_text = source_text[start:end] if source_text is not None else match.group()
            found.append((match.start(), match.end(), Target(start, end, pattern.kind, span_text, value, unit, pattern.comparator)))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, Target]] = []
    for start, end, target in found:
        if any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, target))
    return tuple(t for _, _, t in kept)
