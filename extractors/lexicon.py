"""The measure extractor's knowledge: verbs, bodies, status cues, targets, brands.

Everything here is read from YAML under ``extractors/data/`` through the one
validating loader; a mistake comes back as ``file:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractors.knowledge import DataError, compile_pattern, data_path, load_yaml, require

from extractors.types import BODY_LEVELS as LEVELS
from extractors.types import STATUSES, TARGET_KINDS
COMPARATORS = (">=", "<=", "=", "range")


@dataclass(frozen=True)
class BodyPattern:
    canonical: str
    regex: re.Pattern


@dataclass(frozen=True)
class StatusCue:
    status: str
    priority: int
    tokens: frozenset[str]
    patterns: tuple[re.Pattern, ...]
    verb_after: bool
    yields_to_context: bool = False


@dataclass(frozen=True)
class TargetPattern:
    kind: str
    regex: re.Pattern
    value: float | None
    unit_value: str | None
    comparator: str | None


@dataclass(frozen=True)
class Lexicon:
    # verbs
    strong_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    pivot_verbs: frozenset[str]
    frame_verbs: frozenset[str]
    verb_regex: re.Pattern  # every verb, longest first
    connectors: frozenset[str]
    adverbs: tuple[str, ...]  # longest first
    enumerator: re.Pattern
    object_prepositions: frozenset[str]
    lead_after: tuple[str, ...]
    support_after: tuple[str, ...]
    support_before: tuple[str, ...]
    lead_before: tuple[str, ...]
    object_heads: re.Pattern
    vague_tail: re.Pattern
    vague_objects: re.Pattern
    exempt_tails: re.Pattern
    vague_exempt: re.Pattern
    ba_verbs: re.Pattern
    non_measure: tuple[tuple[str, re.Pattern], ...]
    sentence_non_measure: frozenset[str]  # kinds that disqualify the whole sentence
    adverbials: tuple[re.Pattern, ...]
    copulas: frozenset[str]
    cognitive_verbs: frozenset[str]
    chain_joins: tuple[str, ...]
    subject_followers: tuple[str, ...]
    topic_patterns: tuple[re.Pattern, ...]
    recipient_verbs: frozenset[str]
    content_heading_kinds: frozenset[str]
    title_max_chars: int
    placeholder: re.Pattern
    # bodies
    body_patterns: tuple[BodyPattern, ...]
    level_rules: tuple[tuple[re.Pattern, str], ...]
    canonical_bodies: tuple[str, ...]
    # status
    status_cues: tuple[StatusCue, ...]
    done_particles: frozenset[str]
    sentence_leads: tuple[tuple[re.Pattern, str], ...]
    time_cues: tuple[tuple[re.Pattern, str], ...]
    section_cues: tuple[tuple[re.Pattern, str], ...]
    review_parts: tuple[tuple[re.Pattern, str], ...]
    doc_type_defaults: dict[str, str]
    document_cues: tuple[tuple[re.Pattern, str], ...]
    document_cue_chars: int
    default_status: str
    # targets
    targets: tuple[TargetPattern, ...]
    target_units: dict[str, str]
    # initiatives
    quoted_name: re.Pattern
    quoted_exclude: re.Pattern
    initiative_names: tuple[re.Pattern, ...]


def _strings(mapping, key: str, path: Path, *, required: bool = True) -> list[str]:
    if not required and key not in mapping:
        return []
    values = require(mapping, key, list, path)
    seen: set[str] = set()
    for value, line in zip(values, getattr(values, "item_lines", [None] * len(values))):
        if not isinstance(value, str) or not value:
            raise DataError(path, line, f"“{key}” 的每一项都应为非空文字")
        if value in seen:
            raise DataError(path, line, f"“{key}” 中 “{value}” 重复")
        seen.add(value)
    return list(values)


def _alternation(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _status(value, path: Path, line: int | None) -> str:
    if value not in STATUSES:
        raise DataError(path, line, f"未知的状态 “{value}”（应为 {'、'.join(STATUSES)} 之一）")
    return value


def _load_measures(path: Path) -> dict:
    data = load_yaml(path)
    verbs = require(data, "verbs", dict, path)
    strong = _strings(verbs, "strong", path)
    weak = _strings(verbs, "weak", path)
    both = set(strong) & set(weak)
    if both:
        raise DataError(path, verbs.line_of("weak"), f"动词既列为 strong 又列为 weak：{'、'.join(sorted(both))}")
    pivot = _strings(verbs, "pivot", path)
    frame = _strings(verbs, "frame", path)
    every = set(strong) | set(weak)
    for name, group in (("pivot", pivot), ("frame", frame)):
        missing = set(group) - every
        if missing:
            raise DataError(path, verbs.line_of(name), f"{name} 中的动词未列入 strong 或 weak：{'、'.join(sorted(missing))}")
    roles = require(data, "roles", dict, path)
    non_measure, sentence_kinds = [], set()
    for item in require(data, "non_measure_patterns", list, path):
        kind = require(item, "kind", str, path)
        scope = item.get("scope", "clause")
        if scope not in ("clause", "sentence"):
            raise DataError(path, item.line_of("scope"), "“scope” 应为 clause 或 sentence")
        if scope == "sentence":
            sentence_kinds.add(kind)
        non_measure.append((kind, compile_pattern(require(item, "pattern", str, path), path, item.line_of("pattern"))))
    adverbials = require(data, "adverbials", list, path)
    line = data.line_of
    return dict(
        strong_verbs=frozenset(strong),
        weak_verbs=frozenset(weak),
        pivot_verbs=frozenset(pivot),
        frame_verbs=frozenset(frame),
        verb_regex=re.compile(_alternation(every)),
        connectors=frozenset(_strings(data, "connectors", path)),
        adverbs=tuple(sorted(_strings(data, "adverbs", path), key=len, reverse=True)),
        enumerator=compile_pattern(require(data, "enumerators", str, path), path, line("enumerators")),
        object_prepositions=frozenset(_strings(data, "object_prepositions", path)),
        lead_after=tuple(_strings(roles, "lead_after", path)),
        support_after=tuple(_strings(roles, "support_after", path)),
        support_before=tuple(_strings(roles, "support_before", path)),
        lead_before=tuple(_strings(roles, "lead_before", path)),
        object_heads=re.compile(_alternation(_strings(data, "object_heads", path))),
        vague_tail=compile_pattern(require(data, "vague_tails", str, path), path, line("vague_tails")),
        vague_objects=compile_pattern(require(data, "vague_objects", str, path), path, line("vague_objects")),
        exempt_tails=compile_pattern(require(data, "exempt_tails", str, path), path, line("exempt_tails")),
        vague_exempt=compile_pattern(require(data, "vague_exempt", str, path), path, line("vague_exempt")),
        ba_verbs=re.compile(_alternation(_strings(data, "ba_verbs", path))),
        non_measure=tuple(non_measure),
        sentence_non_measure=frozenset(sentence_kinds),
        adverbials=tuple(compile_pattern(a, path, line) for a, line in zip(adverbials, adverbials.item_lines)),
        copulas=frozenset(_strings(data, "copulas", path)),
        cognitive_verbs=frozenset(_strings(data, "cognitive_verbs", path)),
        chain_joins=tuple(_strings(data, "chain_joins", path)),
        subject_followers=tuple(_strings(data, "subject_followers", path)),
        topic_patterns=tuple(compile_pattern(p, path, line) for p, line in zip(data["topic_patterns"], data["topic_patterns"].item_lines)),
        recipient_verbs=frozenset(_strings(data, "recipient_verbs", path)),
        content_heading_kinds=frozenset(_strings(data, "content_heading_kinds", path)),
        title_max_chars=require(data, "title_max_chars", int, path),
        placeholder=compile_pattern(require(data, "placeholder", str, path), path, line("placeholder")),
    )


def _load_bodies(path: Path) -> dict:
    data = load_yaml(path)
    level_rules = []
    for item in require(data, "levels", list, path):
        level = require(item, "level", str, path)
        if level not in LEVELS:
            raise DataError(path, item.line_of("level"), f"未知的层级 “{level}”（应为 {'、'.join(LEVELS)} 之一）")
        level_rules.append((compile_pattern(require(item, "pattern", str, path), path, item.line_of("pattern")), level))
    level_words = require(data, "level_words", str, path)
    compile_pattern(level_words, path, data.line_of("level_words"))
    patterns, canonicals = [], []
    for item in require(data, "bodies", list, path):
        canonical = require(item, "canonical", str, path)
        if canonical in canonicals:
            raise DataError(path, item.line_of("canonical"), f"责任主体 “{canonical}” 重复")
        canonicals.append(canonical)
        forms = require(item, "patterns", list, path)
        for form, form_line in zip(forms, forms.item_lines):
            if not isinstance(form, str) or not form:
                raise DataError(path, form_line, "责任主体的写法应为非空文字")
            regex = compile_pattern(form.replace("{LVL}", level_words), path, form_line)
            if "{LVL}" in form and "lvl" not in regex.groupindex:
                raise DataError(path, form_line, "level_words 应定义名为 lvl 的分组")
            patterns.append(BodyPattern(canonical, regex))
    return dict(body_patterns=tuple(patterns), level_rules=tuple(level_rules), canonical_bodies=tuple(canonicals))


def _load_status(path: Path) -> dict:
    data = load_yaml(path)
    cues = []
    for item in require(data, "cues", list, path):
        status = _status(require(item, "status", str, path), path, item.line_of("status"))
        cue_patterns = tuple(
            compile_pattern(p, path, line) for p, line in zip(item.get("patterns", []), getattr(item.get("patterns"), "item_lines", []))
        )
        tokens = frozenset(_strings(item, "tokens", path, required=False))
        if not tokens and not cue_patterns:
            raise DataError(path, item.line, "线索应有 tokens 或 patterns")
        cues.append(
            StatusCue(
                status,
                require(item, "priority", int, path),
                tokens,
                cue_patterns,
                bool(item.get("verb_after", False)),
                bool(item.get("yields_to_context", False)),
            )
        )

    def pattern_list(key: str) -> tuple[tuple[re.Pattern, str], ...]:
        out = []
        for item in require(data, key, list, path):
            regex = compile_pattern(require(item, "pattern", str, path), path, item.line_of("pattern"))
            out.append((regex, _status(require(item, "status", str, path), path, item.line_of("status"))))
        return tuple(out)

    defaults = require(data, "doc_type_defaults", dict, path)
    for doc_type, status in defaults.items():
        _status(status, path, defaults.line_of(doc_type))
    return dict(
        status_cues=tuple(sorted(cues, key=lambda c: -c.priority)),
        done_particles=frozenset(_strings(data, "done_particle", path)),
        sentence_leads=pattern_list("sentence_leads"),
        time_cues=pattern_list("time_cues"),
        section_cues=pattern_list("section_cues"),
        review_parts=pattern_list("review_parts"),
        doc_type_defaults=dict(defaults),
        document_cues=pattern_list("document_cues"),
        document_cue_chars=require(data, "document_cue_chars", int, path),
        default_status=_status(require(data, "default", str, path), path, data.line_of("default")),
    )


def _load_targets(path: Path) -> dict:
    data = load_yaml(path)
    number = require(data, "number", str, path)
    compile_pattern(number, path, data.line_of("number"))
    units = require(data, "units", dict, path)
    targets = []
    for item in require(data, "patterns", list, path):
        kind = require(item, "kind", str, path)
        if kind not in TARGET_KINDS:
            raise DataError(path, item.line_of("kind"), f"未知的目标类型 “{kind}”（应为 {'、'.join(TARGET_KINDS)} 之一）")
        comparator = item.get("comparator")
        if comparator is not None and comparator not in COMPARATORS:
            raise DataError(path, item.line_of("comparator"), f"未知的比较方式 “{comparator}”（应为 {'、'.join(COMPARATORS)} 之一）")
        value = item.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise DataError(path, item.line_of("value"), "“value” 应为数字")
        regex = compile_pattern(require(item, "pattern", str, path).replace("{NUM}", number), path, item.line_of("pattern"))
        targets.append(TargetPattern(kind, regex, None if value is None else float(value), item.get("unit_value"), comparator))
    return dict(targets=tuple(targets), target_units={str(k): str(v) for k, v in units.items()})


def _load_initiatives(path: Path) -> dict:
    data = load_yaml(path)
    quoted = require(data, "quoted", dict, path)
    names = _strings(data, "names", path)
    return dict(
        quoted_name=compile_pattern(require(quoted, "pattern", str, path), path, quoted.line_of("pattern")),
        quoted_exclude=compile_pattern(require(quoted, "exclude", str, path), path, quoted.line_of("exclude")),
        initiative_names=tuple(compile_pattern(n, path, line) for n, line in zip(names, data["names"].item_lines)),
    )


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """Read and validate measures.yaml, bodies.yaml, status.yaml, targets.yaml, initiatives.yaml."""
    parts: dict = {}
    parts.update(_load_measures(data_path("measures.yaml", data_dir)))
    parts.update(_load_bodies(data_path("bodies.yaml", data_dir)))
    parts.update(_load_status(data_path("status.yaml", data_dir)))
    parts.update(_load_targets(data_path("targets.yaml", data_dir)))
    parts.update(_load_initiatives(data_path("initiatives.yaml", data_dir)))
    return Lexicon(**parts)
