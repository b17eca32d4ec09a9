"""Document metadata: title, type, level, region, issuing body, author, date.

Regions are resolved against China's administrative divisions (cpca's adcode
table), never a hand list: 靖江市 is a county-level city under 泰州市, and
重庆's 区县 are county level.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from typing import Literal

from pydantic import Field, PositiveInt

from extractors.knowledge import Regex, Schema, Text, data_path, load_yaml, validate
from extractors.noise import blank_masks
from extractors.punctuation import PUNCTUATION
from extractors.splitting import DocumentSpan
from extractors.types import DOC_TYPES, LEVELS, Mask, Region

_TITLE_MAX = 60


@dataclass(frozen=True)
class TypeRule:
    doc_type: str
    byline: bool
    title: re.Pattern | None
    body: re.Pattern | None


@dataclass(frozen=True)
class MetadataRules:
    type_rules: tuple[TypeRule, ...]
    default_type: str
    head_chars: int
    central: re.Pattern
    lower_reference: re.Pattern
    self_reference: tuple[tuple[str, re.Pattern], ...]
    place: re.Pattern
    not_place: re.Pattern
    issuer_line: re.Pattern
    signature_role: re.Pattern
    signature_name: re.Pattern
    municipalities: frozenset[str]
    dates: tuple[re.Pattern, ...]  # named groups y, m, d (d optional)
    issuer_from_closing: re.Pattern
    issuer_from_title: re.Pattern


class _TypeRule(Schema):
    # a rule names what it looks at: a byline, a title pattern, a body pattern (each optional)
    type: Literal[DOC_TYPES]
    byline: bool = False
    title: Regex | None = None
    body: Regex | None = None


class _DocTypes(Schema):
    head_chars: PositiveInt
    rules: tuple[_TypeRule, ...] = Field(min_length=1)
    default: Literal[DOC_TYPES]


class _Level(Schema):
    central: Regex
    lower_reference: Regex
    self_reference: dict[Literal[LEVELS], Regex]
    place: Regex
    not_place: Regex
    issuer_line: Regex
    signature_role: Regex
    signature_name: Regex
    municipalities: tuple[Text, ...]


class _Issuer(Schema):
    from_closing: Regex
    from_title: Regex


class _Dates(Schema):
    dates: tuple[Regex, ...]
    issuer: _Issuer


def load_metadata_rules(path: Path | None = None) -> MetadataRules:
    path = path or data_path("documents.yaml")
    data = load_yaml(path)
    types = validate(data, _DocTypes, path, at=("doc_types",))
    level = validate(data, _Level, path, at=("level",))
    extra = validate({k: data[k] for k in ("dates", "issuer") if k in data}, _Dates, path)

    def pattern(text: str | None) -> re.Pattern | None:
        return None if text is None else re.compile(text, re.M)

    return MetadataRules(
        type_rules=tuple(TypeRule(r.type, r.byline, pattern(r.title), pattern(r.body)) for r in types.rules),
        default_type=types.default,
        head_chars=types.head_chars,
        central=pattern(level.central),
        lower_reference=pattern(level.lower_reference),
        self_reference=tuple((name, re.compile(rx)) for name, rx in level.self_reference.items()),
        place=pattern(level.place),
        not_place=pattern(level.not_place),
        issuer_line=pattern(level.issuer_line),
        signature_role=pattern(level.signature_role),
        signature_name=pattern(level.signature_name),
        municipalities=frozenset(level.municipalities),
        dates=tuple(re.compile(d) for d in extra.dates),
        issuer_from_closing=re.compile(extra.issuer.from_closing),
        issuer_from_title=re.compile(extra.issuer.from_title),
    )


@lru_cache(maxsize=4096)
def resolve_place(name: str) -> tuple[Region, str] | None:
    """A place name to its region and level via the adcode table, or None."""
    import cpca

    row = cpca.transform([name]).iloc[0]
    code = row.get("adcode")
    if not isinstance(code, str) or not code or code == "nan":
        return None
    province = row["省"] if isinstance(row["省"], str) else None
    city = row["市"] if isinstance(row["市"], str) else None
    county = row["区"] if isinstance(row["区"], str) else None
    # cpca matches prefixes of the name; the name itself must be the resolved unit.
    if name not in {province, city, county}:
        return None
    if city in ("市辖区", "县"):
        city = None
    if code.endswith("0000"):
        level = "province"
    elif code.endswith("00"):
        level = "city"
    else:
        level = "county"
    return Region(province, city, county, code), level


def _places(text: str, rules: MetadataRules) -> list[str]:
    names = []
    for match in rules.place.finditer(text):
        name = match.group(1)
        # the lazy match may have swallowed a leading word: try the name's suffixes too
        for i in range(0, len(name) - 2):
            candidate = name[i:]
            if not rules.not_place.match(candidate) and resolve_place(candidate):
                names.append(candidate)
                break
    return names


def detect_doc_type(title: str, head: str, has_byline: bool, rules: MetadataRules) -> str:
    for rule in rules.type_rules:
        if rule.byline and has_byline:
            return rule.doc_type
        if rule.title and rule.title.search(title):
            return rule.doc_type
        if rule.body and rule.body.search(head):
            return rule.doc_type
    return rules.default_type


def _self_level(text: str, rules: MetadataRules) -> str | None:
    cleaned = rules.lower_reference.sub("", text)
    counts = {name: len(rx.findall(cleaned)) for name, rx in rules.self_reference}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def _region_from_mentions(body: str, rules: MetadataRules) -> tuple[Region, str | None]:
    """Level from how the document speaks of itself; region from the places it names.

    Named places (``榆阳区政协``) are not self-reference, so they are cut out
    before counting ``县政协``/``全市``; a document naming three or more counties
    of one prefecture speaks from that prefecture.
    """
    resolved = [resolve_place(name) for name in _places(body, rules)]
    provinces = Counter(region.province for region, _ in resolved)
    if provinces:
        # running text gives false hits (会同 → 会同县): keep the dominant province
        home = provinces.most_common(1)[0][0]
        resolved = [(region, level) for region, level in resolved if region.province == home]
    level = _self_level(rules.place.sub("", body), rules)
    prefectures = Counter(region.prefecture for region, lvl in resolved if lvl == "county" and region.prefecture)
    if prefectures and prefectures.most_common(1)[0][1] >= 3 and len({r.county for r, _ in resolved if r.county}) >= 3 and level != "province":
        level = "city"
    if not resolved:
        return Region(), level
    if level == "county":
        counties = Counter(region for region, lvl in resolved if lvl == "county")
        return (counties.most_common(1)[0][0] if counties else Region()), level
    if level == "city":
        cities = Counter(
            Region(region.province, region.prefecture, None, None) for region, _ in resolved if region.prefecture
        )
        if cities:
            name = cities.most_common(1)[0][0].prefecture
            found = resolve_place(name)
            return (found[0] if found else cities.most_common(1)[0][0]), level
        return Region(), level
    if level == "province":
        return Region(resolved[0][0].province, None, None, None), level
    region, found_level = Counter(resolved).most_common(1)[0][0]
    return region, found_level


def describe_document(text: str, span: DocumentSpan, rules: MetadataRules, masks: Sequence[Mask] = ()) -> dict:
    """Metadata fields for ``Document`` from the document's text (simplified script);
    masked noise (breadcrumbs, share buttons) is blanked out first, offsets kept."""
    body = blank_masks(text, span.start, span.end, masks)
    title = text[span.title_start : span.title_end].strip()
    head_lines = [line.strip() for line in body.splitlines() if line.strip()][:3]
    if rules.issuer_line.match(title) and len(head_lines) > 1 and head_lines[0] == title:
        title = head_lines[1]  # 政协靖江市委员会 / 关于…的意见: the issuer heads the title
    title = re.sub(r"\s*\n\s*", " ", title)
    if not _title_like(title):
        title = None
    # Only title-like lines name the genre: a first paragraph (`…主持会议并讲话。`) does not.
    title_zone = " ".join(line for line in head_lines if _title_like(line))
    doc_type = detect_doc_type(title_zone, body[: rules.head_chars], span.author is not None, rules)

    issuer = next((line for line in head_lines if rules.issuer_line.match(line)), None)
    strong = " ".join(filter(None, [issuer, span.closing, title_zone]))
    strong_places = _places(strong, rules)
    region, level = Region(), None
    if rules.central.search(strong):
        level = "central"
    elif strong_places:
        region, level = resolve_place(strong_places[0])
    else:
        region, level = _region_from_mentions(body, rules)
    if level == "province" and region.province in rules.municipalities and region.county:
        level = "county"
    date = document_date(body[:300], rules) or document_date(body[-300:], rules)
    if date is None and span.start <= 600:
        # a web page's publication date sits in its header, which is masked as noise
        date = document_date(text[: span.start + 300], rules)
    return {
        "title": title,
        "doc_type": doc_type,
        "level": level,
        "region": region,
        "issuing_body": issuer or _issuer_from_closing(span.closing, rules) or _issuer_from_title(title_zone, rules),
        "author": span.author or _signature(text[span.start : span.end], rules),
        "date": date,
    }


_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def _date_number(text: str) -> int:
    """``2024`` / ``二〇二四`` (digit by digit) / ``二十一`` (tens) as a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)
    return int("".join(str(_CHINESE_DIGITS[c]) for c in text))


def document_date(text: str, rules: MetadataRules) -> str | None:
    """The first date ``rules.dates`` find in ``text``, in ISO form (``2024-11-21``, or
    ``2023-03`` where only the month is given); None when there is none that is a real date."""
    import datetime as dt

    found = []
    for pattern in rules.dates:
        for match in pattern.finditer(text):
            year, month = _date_number(match["y"]), _date_number(match["m"])
            day = _date_number(match["d"]) if match["d"] else None
            try:
                dt.date(year, month, day or 1)
            except ValueError:
                continue
            if 1949 <= year <= 2100:
                found.append((match.start(), f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")))
                break  # this pattern's first real date; the earliest of the patterns' wins
    return min(found)[1] if found else None


def _title_like(line: str) -> bool:
    """Short, and no sentence ends inside it."""
    return len(line) <= _TITLE_MAX and not any(p in line[:-1] for p in PUNCTUATION.full_stops)


def _signature(body: str, rules: MetadataRules, lines: int = 6) -> str | None:
    """The speaker under a speech's title: ``县委书记 张某`` or the role and the name
    on lines of their own; the name without inner spaces (``李　强`` → ``李强``)."""
    head = [line.strip() for line in body.splitlines() if line.strip()][:lines]
    for i, line in enumerate(head):
        parts = line.split()
        if len(parts) >= 2 and rules.signature_role.match("".join(parts[:-1])) and rules.signature_name.match(parts[-1]):
            return parts[-1]
        if rules.signature_role.match(line) and i + 1 < len(head) and rules.signature_name.match(head[i + 1]):
            return re.sub(r"\s", "", head[i + 1])
    return None


def _issuer_from_closing(closing: str | None, rules: MetadataRules) -> str | None:
    """``潼南区政协党组书记、主席`` → ``潼南区政协``."""
    if not closing:
        return None
    match = rules.issuer_from_closing.match(closing)
    return match.group(1) if match else None


def _issuer_from_title(title_zone: str, rules: MetadataRules) -> str | None:
    """``《中共南通市委关于…的实施意见》`` → ``中共南通市委``."""
    match = rules.issuer_from_title.search(title_zone)
    return match.group(1) if match else None
