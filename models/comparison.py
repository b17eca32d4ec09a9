"""City and county implementation compared: who took up what, who left what out, who added what.

对比的单位是文档组：一个市级文档和它下辖区县的文档（市—县），或几篇同级文档（同级互比）。
组可以从文档的地区元数据（province / prefecture / level）得出，也可以写在用户的对照文件
（如 ``corpora/compare.yaml``）里——元数据配不上的（靖江属泰州而不属南通）就靠对照文件。

对每一对（市级文档，区县文档）：两篇的举措由学习得到的配对判断一对一配上（``models.links``），
每一对有概率、相似度和理由：
- 承接（taken up）：配对概率达到 ``links.yaml`` 的 taken_up；
- 可能承接（possible）：达到 possible、不到 taken_up，请人工复核；
- 未承接（left out）：市级举措没有配上任何区县举措；
- 新增（added）：区县举措没有配上任何市级举措；
- 各类别两边的条数；区县文档中有多大比例的字符 8 元组在市级文档里原样出现（文字复用率）。

``duplicate_of`` 不为空的文档不参加对比。所有数都能追溯到举措的 ``measure_id``。
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Iterable, Literal, Mapping, Sequence

import numpy as np
from pydantic import PositiveInt, field_validator, model_validator

from extractors.knowledge import Problem, Regex, Schema, Text, load_file, load_yaml, raise_on_errors, validate
from extractors.reading import to_simplified
from extractors.types import CatalogueEntry
from models.links import LinkDecision

DEFAULT_COMPARISON_PATH = Path(__file__).with_name("comparison.yaml")
CONCRETENESS_FLAGS = ("explicit_body", "quantified_target", "deadline", "initiative", "specific_object", "concrete_action", "not_vague")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

__all__ = [
    "ComparisonSettings",
    "GroupSpec",
    "Group",
    "load_comparison_settings",
    "default_comparison_settings",
    "load_compare_mapping",
    "resolve_groups",
    "groups_from_metadata",
    "comparison_groups",
    "measure_category",
    "document_text",
    "text_reuse_share",
    "compare_city_county",
    "compare_peers",
    "concreteness",
    "compare_documents",
]


# ---------------------------------------------------------------- settings


class ComparisonSettings(Schema):
    reuse_ngram: PositiveInt
    unclassified_label: Text
    concreteness: dict[Literal[CONCRETENESS_FLAGS], float]
    quantified_kinds: tuple[str, ...]
    deadline_kinds: tuple[str, ...]
    concrete_verbs: tuple[Text, ...] = ()
    vague_words: tuple[Text, ...] = ()
    specific_patterns: tuple[Regex, ...] = ()

    @field_validator("concreteness")
    @classmethod
    def _weights(cls, value: dict) -> dict:
        missing = [f for f in CONCRETENESS_FLAGS if f not in value]
        if missing:
            raise ValueError(f"缺少 {', '.join(missing)}（应包含且只包含：{', '.join(CONCRETENESS_FLAGS)}）")
        if any(v < 0 for v in value.values()) or not sum(value.values()):
            raise ValueError("权重应为非负数，且不能全为 0")
        return value


def load_comparison_settings(path: str | Path = DEFAULT_COMPARISON_PATH) -> ComparisonSettings:
    """Read and validate ``comparison.yaml``; problems carry file and line."""
    return load_file(path, ComparisonSettings)


@lru_cache(maxsize=1)
def default_comparison_settings() -> ComparisonSettings:
    """The shipped ``comparison.yaml``, read once: the values callers get when they pass none."""
    return load_comparison_settings()


# ---------------------------------------------------------------- groups


@dataclass(frozen=True)
class GroupSpec:
    """A group as written in a mapping file: references are doc_ids or source paths."""

    name: str
    kind: str  # city_county | peers
    city: str | None
    members: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class Group:
    name: str
    kind: str  # city_county | peers
    city: str | None  # doc_id of the city document (city_county only)
    members: tuple[str, ...]  # doc_ids: the counties, or the peers
    origin: str  # mapping | metadata


class _GroupEntry(Schema):
    name: Text
    city: Text | None = None
    counties: tuple[Text, ...] | None = None
    peers: tuple[Text, ...] | None = None  # one file name may stand for the several documents it holds
    note: str | None = None

    @field_validator("counties", "peers", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return (value,) if isinstance(value, str) else value

    @field_validator("counties", "peers")
    @classmethod
    def _not_empty(cls, value):
        if value is not None and not value:
            raise ValueError("应列出至少一篇文档")
        return value

    @model_validator(mode="after")
    def _one_kind(self):
        if self.peers is not None:
            if self.city is not None or self.counties is not None:
                raise ValueError(f"组 “{self.name}”：peers 不能与 city/counties 同时出现")
        elif self.city is None:
            raise ValueError(f"组 “{self.name}”：需要 city（及 counties）或 peers")
        elif self.counties is None:
            raise ValueError(f"组 “{self.name}”：counties 应列出至少一篇文档")
        return self


class _MappingFile(Schema):
    use_metadata: bool = True  # a user's file: leaving it out means metadata groups too
    groups: tuple[_GroupEntry, ...]


def load_compare_mapping(path: str | Path) -> tuple[list[GroupSpec], bool]:
    """Groups of a mapping file and whether metadata groups are wanted too (``use_metadata``).

    Format::

        use_metadata: true          # optional, default true
        groups:
          - name: 南通—靖江
            city: 001_c928dd9025f7e819.txt       # doc_id or source_path
            counties: [000_c4eeb4407c4e4302.txt]
          - name: 重庆区县
            peers: ["004_d26b86c6ea9d91ed.txt#1", "004_d26b86c6ea9d91ed.txt#2"]
    """
    path = str(path)
    data = load_yaml(path)
    checked = validate(data, _MappingFile, path)
    lines = data["groups"].item_lines
    specs: list[GroupSpec] = []
    problems: list[Problem] = []
    names: set[str] = set()
    for entry, line in zip(checked.groups, lines):
        if entry.name in names:
            problems.append(Problem(path, line, f"组名 “{entry.name}” 重复"))
        names.add(entry.name)
        if entry.peers is not None:
            specs.append(GroupSpec(entry.name, "peers", None, entry.peers, line))
        else:
            specs.append(GroupSpec(entry.name, "city_county", entry.city, entry.counties, line))
    raise_on_errors(problems)
    return specs, checked.use_metadata


def _resolve(reference: str, documents: Sequence[dict]) -> list[dict]:
    """Documents a reference names: a doc_id, else every document of a source_path."""
    exact = [d for d in documents if d["doc_id"] == reference]
    return exact or [d for d in documents if d["source_path"] == reference]


def resolve_groups(specs: Sequence[GroupSpec], documents: Sequence[dict], where: str = "") -> tuple[list[Group], list[str]]:
    """Mapping groups as doc_ids. Unknown references and duplicates are dropped with a warning."""
    groups, warnings = [], []
    for spec in specs:
        label = f"{where}:{spec.line}: " if where and spec.line else ""

        def live(reference: str) -> list[dict]:
            found = _resolve(reference, documents)
            if not found:
                warnings.append(f"{label}组 “{spec.name}”：找不到文档 {reference}")
            dropped = [d for d in found if d.get("duplicate_of")]
            for d in dropped:
                if d["doc_id"] == reference or len(found) == 1:
                    warnings.append(f"{label}组 “{spec.name}”：{d['doc_id']} 是 {d['duplicate_of']} 的重复，不参加对比")
            return [d for d in found if not d.get("duplicate_of")]

        members = [d["doc_id"] for ref in spec.members for d in live(ref)]
        members = list(dict.fromkeys(members))
        if spec.kind == "city_county":
            cities = live(spec.city)
            if len(cities) > 1:
                warnings.append(f"{label}组 “{spec.name}”：{spec.city} 含多篇文档，请用 doc_id 指明市级文档")
                continue
            if not cities:
                continue
            city = cities[0]["doc_id"]
            members = [m for m in members if m != city]
            if not members:
                warnings.append(f"{label}组 “{spec.name}”：没有可对比的区县文档")
                continue
            groups.append(Group(spec.name, "city_county", city, tuple(members), "mapping"))
        else:
            if len(members) < 2:
                warnings.append(f"{label}组 “{spec.name}”：可对比的文档不足两篇")
                continue
            groups.append(Group(spec.name, "peers", None, tuple(members), "mapping"))
    return groups, warnings


def _parent_key(doc: dict) -> tuple[str, str | None] | None:
    """The city-level region a document belongs to: (province, prefecture); a municipality is its own city."""
    province, prefecture = doc.get("province"), doc.get("prefecture")
    if prefecture == "市辖区":
        prefecture = None
    if not province:
        return None
    if prefecture:
        return province, prefecture
    if province in MUNICIPALITIES:
        return province, None
    return None


def groups_from_metadata(documents: Sequence[dict]) -> list[Group]:
    """City documents with the county documents under them; county documents of one city as peers."""
    live = [d for d in documents if not d.get("duplicate_of")]
    counties: dict[tuple, list[str]] = {}
    for doc in live:
        key = _parent_key(doc)
        if doc.get("level") == "county" and key:
            counties.setdefault(key, []).append(doc["doc_id"])
    groups = []
    for doc in live:
        key = _parent_key(doc)
        if doc.get("level") == "city" and key and counties.get(key):
            name = f"{''.join(p for p in key if p)}：{doc['doc_id']} 与下辖区县"
            groups.append(Group(name, "city_county", doc["doc_id"], tuple(counties[key]), "metadata"))
    for key, members in counties.items():
        if len(members) >= 2:
            groups.append(Group(f"{''.join(p for p in key if p)}：区县同级互比", "peers", None, tuple(members), "metadata"))
    return groups


def comparison_groups(documents: Sequence[dict], mapping: str | Path | None = None) -> tuple[list[Group], list[str]]:
    """Groups from the mapping file (if any), then from metadata unless the file turns that off.

    The mapping file wins: a metadata city–county group whose city document a
    mapping group already compares, or a metadata peer group that shares
    documents with a mapping peer group, is left out.
    """
    groups: list[Group] = []
    warnings: list[str] = []
    use_metadata = True
    if mapping is not None:
        specs, use_metadata = load_compare_mapping(mapping)
        groups, warnings = resolve_groups(specs, documents, str(mapping))
    if use_metadata:
        cities = {g.city for g in groups if g.kind == "city_county"}
        peers = {m for g in groups if g.kind == "peers" for m in g.members}
        for group in groups_from_metadata(documents):
            if group.kind == "city_county" and group.city in cities:
                continue
            if group.kind == "peers" and peers & set(group.members):
                continue
            groups.append(group)
    return groups, warnings


# ---------------------------------------------------------------- texts


def measure_category(entry: CatalogueEntry, settings: ComparisonSettings | None = None) -> str:
    label = (settings or default_comparison_settings()).unclassified_label
    return entry.category or label


def document_text(document: Mapping, source_text: str) -> list[str]:
    """The document's span of its source text, cut at masked noise; one string per clean piece."""
    start, end = document["start"], document["end"]
    masks = sorted((m["start"], m["end"]) for m in document.get("masked") or () if m["end"] > start and m["start"] < end)
    pieces, cursor = [], start
    for m_start, m_end in masks:
        if m_start > cursor:
            pieces.append(source_text[cursor:m_start])
        cursor = max(cursor, m_end)
    if cursor < end:
        pieces.append(source_text[cursor:end])
    return pieces


def _reuse_form(text: str) -> str:
    simplified, _ = to_simplified(text)
    return "".join(unicodedata.normalize("NFKC", simplified).split())


def _ngrams(pieces: Iterable[str], n: int) -> list[str]:
    grams = []
    for piece in pieces:
        form = _reuse_form(piece)
        grams.extend(form[i : i + n] for i in range(len(form) - n + 1))
    return grams


def text_reuse_share(county_pieces: Sequence[str], city_pieces: Sequence[str], n: int = 8) -> dict:
    """Share of the county text's character n-grams (by position) that occur in the city text."""
    county = _ngrams(county_pieces, n)
    city = set(_ngrams(city_pieces, n))
    found = sum(1 for g in county if g in city)
    return {"share": round(found / len(county), 4) if county else 0.0, "ngrams": len(county), "found": found, "n": n}


# ---------------------------------------------------------------- comparing measures


def compare_city_county(
    city_rows: Sequence[CatalogueEntry],
    county_rows: Sequence[CatalogueEntry],
    decision: LinkDecision,
    settings: ComparisonSettings | None = None,
) -> dict:
    """Taken up (承接), possibly taken up (可能承接, for review), left out and added, with
    the measure ids behind every count.

    Measures are linked one to one by the learned decision (``models.links``); each
    link says its band, probability, similarity and reasons. A city measure in no link
    is left out; a county measure in no link is added. 承接率 counts 承接 only."""
    settings = settings or default_comparison_settings()
    links, similarity = decision.links(city_rows, county_rows)
    records = {"taken_up": [], "possible": []}
    for link in links:
        records[link["band"]].append(_link_record(link, city_rows, county_rows, ("city_measure_id", "county_measure_id"), settings))
    left_out = _unlinked(city_rows, county_rows, {link["a"] for link in links}, similarity, settings, ("city_measure_id", "best_county_measure_id"))
    added = _unlinked(county_rows, city_rows, {link["b"] for link in links}, similarity.T, settings, ("county_measure_id", "best_city_measure_id"))
    taken_up, possible = records["taken_up"], records["possible"]
    by_category = _by_category(settings, {"city_measures": city_rows, "county_measures": county_rows},
                               {"taken_up": taken_up, "possible": possible, "left_out": left_out, "added": added})
    return {
        "city_measures": len(city_rows),
        "county_measures": len(county_rows),
        "taken_up": taken_up,
        "possible": possible,
        "left_out": left_out,
        "added": added,
        "taken_up_share": round(len(taken_up) / len(city_rows), 4) if city_rows else 0.0,
        "possible_share": round(len(possible) / len(city_rows), 4) if city_rows else 0.0,
        "by_category": by_category,
    }


def compare_peers(rows_a: Sequence[CatalogueEntry], rows_b: Sequence[CatalogueEntry], decision: LinkDecision,
                  settings: ComparisonSettings | None = None) -> dict:
    """Requirements two documents share (承接 band) or may share (可能承接), linked one to
    one; what each has that the other lacks (``a_only`` / ``b_only``); all per class."""
    settings = settings or default_comparison_settings()
    links, similarity = decision.links(rows_a, rows_b)

    ordered = sorted(links, key=lambda l: (-l["probability"], l["a"]))
    keys = ("a_measure_id", "b_measure_id")
    shared = [_link_record(link, rows_a, rows_b, keys, settings) for link in ordered if link["band"] == "taken_up"]
    possible = [_link_record(link, rows_a, rows_b, keys, settings) for link in ordered if link["band"] == "possible"]
    a_only = _unlinked(rows_a, rows_b, {l["a"] for l in links}, similarity, settings, ("a_measure_id", "best_b_measure_id"))
    b_only = _unlinked(rows_b, rows_a, {l["b"] for l in links}, similarity.T, settings, ("b_measure_id", "best_a_measure_id"))
    by_category = _by_category(settings, {"a_measures": rows_a, "b_measures": rows_b},
                               {"shared": shared, "possibly_shared": possible, "a_only": a_only, "b_only": b_only})
    return {
        "a_measures": len(rows_a),
        "b_measures": len(rows_b),
        "a_shared": len({t["a_measure_id"] for t in shared}),
        "b_shared": len({t["b_measure_id"] for t in shared}),
        "shared": shared,
        "possibly_shared": possible,
        "a_only": a_only,
        "b_only": b_only,
        "by_category": by_category,
    }


def _link_record(link: Mapping, rows_a: Sequence[CatalogueEntry], rows_b: Sequence[CatalogueEntry], keys: tuple[str, str],
                 settings: ComparisonSettings) -> dict:
    """A link of ``LinkDecision.links`` as the comparison keeps it: both measure ids (under
    ``keys``), band, probability, similarity, reasons, and the class of ``a``'s measure."""
    return {keys[0]: rows_a[link["a"]].measure_id, keys[1]: rows_b[link["b"]].measure_id, "similarity": link["similarity"],
            "probability": link["probability"], "band": link["band"], "broader": link["broader"], "reasons": link["reasons"],
            "category": measure_category(rows_a[link["a"]], settings)}


def _by_category(settings: ComparisonSettings, measures: Mapping[str, Sequence[CatalogueEntry]], lines: Mapping[str, Sequence[Mapping]]) -> list[dict]:
    """Per class of either side: how many measures each side has (``measures``) and how many
    lines of each relation (``lines``, each line with its ``category``)."""
    categories = sorted({measure_category(r, settings) for rows in measures.values() for r in rows})
    return [
        {"category": category,
         **{name: sum(measure_category(r, settings) == category for r in rows) for name, rows in measures.items()},
         **{name: sum(t["category"] == category for t in part) for name, part in lines.items()}}
        for category in categories
    ]


def _unlinked(rows: Sequence[CatalogueEntry], others: Sequence[CatalogueEntry], linked: set[int], similarity: np.ndarray,
              settings: ComparisonSettings, keys: tuple[str, str]) -> list[dict]:
    """The measures of ``rows`` in no link, each with its class and the most similar of
    ``others`` (what a reader checks first when doubting it)."""
    own, best_key = keys
    out = []
    for i, row in enumerate(rows):
        if i in linked:
            continue
        line = {own: row.measure_id, "category": measure_category(row, settings)}
        if others:
            j = int(similarity[i].argmax())
            line |= {best_key: others[j].measure_id, "best_similarity": round(float(similarity[i, j]), 4)}
        out.append(line)
    return out


# ---------------------------------------------------------------- concreteness


@lru_cache(maxsize=8)
def _specific(patterns: tuple[str, ...]):
    import re

    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def measure_flags(entry: CatalogueEntry, settings: ComparisonSettings | None = None) -> dict:
    """The signs that a measure is concrete: who (a named body), how much, by when, which
    platform, which thing (a named document, event or item, a number), a doing one could see
    done (召开, 制定 …) rather than a direction (加强, 提升 …), and no vague wording."""
    settings = settings or default_comparison_settings()
    kinds = {t.kind for t in entry.targets}
    text = entry.text or ""
    specific = _specific(tuple(settings.specific_patterns))
    action = entry.action or ""
    return {
        "explicit_body": any(b.explicit for b in entry.bodies),
        "quantified_target": bool(kinds & set(settings.quantified_kinds)),
        "deadline": bool(kinds & set(settings.deadline_kinds)),
        "initiative": bool(entry.initiatives),
        "specific_object": bool(specific and specific.search(text)),
        "concrete_action": any(v in action for v in settings.concrete_verbs),
        "not_vague": not any(w in text for w in settings.vague_words),
    }


def concreteness(rows: Sequence[CatalogueEntry], documents: Sequence[dict] = (), settings: ComparisonSettings | None = None) -> dict:
    """Per measure: the four flags and their weighted mean; per document: the share of
    measures with each flag and the mean score, ranked (duplicates listed, not ranked).

    ``documents`` (rows of documents.jsonl) adds documents without measures and the
    length for measures per 1,000 characters.
    """
    settings = settings or default_comparison_settings()
    weights = settings.concreteness
    total = sum(weights.values())
    per_measure = []
    for row in rows:
        flags = measure_flags(row, settings)
        score = sum(weights[f] for f, on in flags.items() if on) / total
        per_measure.append({"measure_id": row.measure_id, "doc_id": row.doc_id, **flags, "score": round(score, 4)})
    info = {d["doc_id"]: d for d in documents}
    by_doc: dict[str, list[dict]] = {d: [] for d in info}
    for m in per_measure:
        by_doc.setdefault(m["doc_id"], []).append(m)
    duplicates = {r.doc_id for r in rows if r.duplicate_of} | {d for d, doc in info.items() if doc.get("duplicate_of")}
    per_doc = []
    for doc_id, measures in by_doc.items():
        n = len(measures)
        chars = info.get(doc_id, {}).get("chars")
        entry = {
            "doc_id": doc_id,
            "measures": n,
            **{f"{f}_share": round(sum(m[f] for m in measures) / n, 4) if n else 0.0 for f in CONCRETENESS_FLAGS},
            "score": round(sum(m["score"] for m in measures) / n, 4) if n else 0.0,
            "measures_per_1000_chars": round(1000 * n / chars, 2) if chars else None,
            "duplicate": doc_id in duplicates,
        }
        per_doc.append(entry)
    ranked = sorted((d for d in per_doc if not d["duplicate"]), key=lambda d: (-d["score"], -d["measures"], d["doc_id"]))
    for rank, entry in enumerate(ranked, start=1):
        entry["rank"] = rank
    for entry in per_doc:
        entry.setdefault("rank", None)
    per_doc = ranked + sorted((d for d in per_doc if d["duplicate"]), key=lambda d: d["doc_id"])
    return {"measures": per_measure, "documents": per_doc}


# ---------------------------------------------------------------- clusters


def cluster_sizes(entries: Sequence[CatalogueEntry]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for entry in entries:
        sizes[entry.cluster_id] = sizes.get(entry.cluster_id, 0) + 1
    return sizes


def clusters(entries: Sequence[CatalogueEntry]) -> list[dict]:
    """Clusters of more than one measure, largest first: the same requirement in several documents."""
    members: dict[str, list[CatalogueEntry]] = {}
    for entry in entries:
        members.setdefault(entry.cluster_id, []).append(entry)
    found = [
        {
            "cluster_id": cid,
            "size": len(es),
            "doc_ids": sorted({e.doc_id for e in es}),
            "measure_ids": [e.measure_id for e in es],
        }
        for cid, es in members.items()
        if len(es) > 1
    ]
    return sorted(found, key=lambda c: (-c["size"], c["cluster_id"]))


# ---------------------------------------------------------------- all groups


def compare_documents(
    documents: Sequence[dict],
    rows: Sequence[CatalogueEntry],
    texts: Mapping[str, str],
    groups: Sequence[Group],
    decision: LinkDecision,
    settings: ComparisonSettings | None = None,
) -> dict:
    """Every group compared: city–county pairs and peer pairs, plus concreteness.

    Measures of documents marked ``duplicate_of`` never enter a pair (such
    documents are kept out of groups); they are listed, unranked, in concreteness.

    ``texts`` maps ``source_path`` to the decoded source text (for text reuse);
    a document whose text is missing gets ``text_reuse: None``.
    """
    settings = settings or default_comparison_settings()
    docs = {d["doc_id"]: d for d in documents}
    by_doc: dict[str, list[CatalogueEntry]] = {}
    for row in rows:
        if not row.duplicate_of and not docs.get(row.doc_id, {}).get("duplicate_of"):
            by_doc.setdefault(row.doc_id, []).append(row)

    def pieces(doc_id: str) -> list[str] | None:
        doc = docs.get(doc_id)
        text = texts.get(doc["source_path"]) if doc else None
        return document_text(doc, text) if text is not None else None

    def reuse(target: str, reference: str) -> dict | None:
        a, b = pieces(target), pieces(reference)
        return text_reuse_share(a, b, settings.reuse_ngram) if a is not None and b is not None else None

    pairs, peer_pairs = [], []
    for group in groups:
        if group.kind == "city_county":
            for county in group.members:
                result = compare_city_county(by_doc.get(group.city, []), by_doc.get(county, []), decision, settings)
                pairs.append({"group": group.name, "city_doc_id": group.city, "county_doc_id": county, **result, "text_reuse": reuse(county, group.city)})
        else:
            for a, b in combinations(group.members, 2):
                result = compare_peers(by_doc.get(a, []), by_doc.get(b, []), decision, settings)
                peer_pairs.append(
                    {"group": group.name, "a_doc_id": a, "b_doc_id": b, **result, "text_reuse_a_in_b": reuse(a, b), "text_reuse_b_in_a": reuse(b, a)}
                )
    return {
        "link_bands": {"taken_up": decision.settings.taken_up, "possible": decision.settings.possible},
        "groups": [
            {"name": g.name, "kind": g.kind, "origin": g.origin, "city_doc_id": g.city, "members": list(g.members)} for g in groups
        ],
        "pairs": pairs,
        "peer_pairs": peer_pairs,
        "concreteness": concreteness(rows, documents, settings),
    }
