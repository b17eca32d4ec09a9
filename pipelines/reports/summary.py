"""Figures of the summary report, computed from the rows a run wrote.

汇总报告里的每个数字都由这里的函数从目录行（catalogue.jsonl）、文档行（documents.jsonl）、
对比记录（comparison.jsonl）和错误行（errors.jsonl）算出，报告模板只负责措辞和排版。
标为重复（``duplicate_of``）的文档和分析人员否决（``rejected``）的举措留在目录里，但不计入
各项统计。

Pure functions on lists of dict rows: no file I/O, no wording beyond the labels passed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from extractors.types import STATUSES, Body, CatalogueEntry, Target
from models.comparison import ComparisonSettings, concreteness, default_comparison_settings, measure_category, measure_flags

UNKNOWN = "unknown"  # key for a missing doc_type / level / status / class

__all__ = [
    "SummarySettings",
    "UNKNOWN",
    "counted_documents",
    "counted_rows",
    "key_counts",
    "documents_overview",
    "class_table",
    "status_table",
    "rank_examples",
    "bodies_by_class",
    "comparison_is_current",
    "city_county_summaries",
    "peer_summaries",
    "document_ranking",
    "data_notes",
    "build_summary",
    "format_bodies",
    "format_targets",
    "measure_context",
]


@dataclass(frozen=True)
class SummarySettings:
    examples_per_class: int = 3
    examples_per_relation: int = 5
    top_bodies: int = 8
    min_example_chars: int = 8  # shorter clauses (``学习贯彻``) quote badly; they come after longer ones of the same score


# ---------------------------------------------------------------- what counts


def _left_out_fragment(doc: Mapping) -> bool:
    """A fragment (no title, issuer or author) that no comparison group keeps, and no duplicate."""
    return bool(doc.get("fragment")) and not doc.get("duplicate_of") and not doc.get("kept")


def _duplicate_ids(documents: Iterable[Mapping]) -> set[str]:
    """Documents left out of counts: duplicates, and fragments no comparison group names."""
    return {d["doc_id"] for d in documents if d.get("duplicate_of") or _left_out_fragment(d)}


def counted_documents(documents: Sequence[Mapping]) -> list[Mapping]:
    """Documents that enter counts: not marked ``duplicate_of``, not a fragment (a piece of a
    page with no title, issuer or author) unless the comparison mapping keeps it (``kept``)."""
    left_out = _duplicate_ids(documents)
    return [d for d in documents if d["doc_id"] not in left_out]


def counted_rows(rows: Sequence[CatalogueEntry], documents: Sequence[Mapping] = ()) -> list[CatalogueEntry]:
    """Measures that enter counts: not of a duplicate document, not rejected by an analyst."""
    duplicates = _duplicate_ids(documents)
    return [r for r in rows if not r.duplicate_of and r.doc_id not in duplicates and not r.rejected]


def key_counts(values: Iterable[str | None], order: Sequence[str] = ()) -> list[dict]:
    """``[{key, count, share}]``: keys of ``order`` first (those present), then the rest sorted;
    a missing value counts under ``UNKNOWN``."""
    counts = Counter(v or UNKNOWN for v in values)
    total = sum(counts.values())
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [{"key": k, "count": counts[k], "share": round(counts[k] / total, 4) if total else 0.0} for k in keys]


# ---------------------------------------------------------------- documents


def documents_overview(documents: Sequence[Mapping], type_order: Sequence[str] = (), level_order: Sequence[str] = ()) -> dict:
    """Documents by type, by level and by both; duplicates are left out of the tables."""
    counted = counted_documents(documents)
    by_type = key_counts((d.get("doc_type") for d in counted), type_order)
    by_level = key_counts((d.get("level") for d in counted), level_order)
    levels = [c["key"] for c in by_level]
    table = []
    for line in by_type:
        of_type = [d for d in counted if (d.get("doc_type") or UNKNOWN) == line["key"]]
        table.append(
            {"key": line["key"], "counts": {lv: sum((d.get("level") or UNKNOWN) == lv for d in of_type) for lv in levels}, "total": len(of_type)}
        )
    return {
        "documents": len(documents),
        "counted": len(counted),
        "duplicates": sum(1 for d in documents if d.get("duplicate_of")),
        "fragments": sum(1 for d in documents if _left_out_fragment(d)),
        "files": len({d.get("source_path") for d in documents}),
        "split_files": sum(1 for n in Counter(d.get("source_path") for d in documents).values() if n > 1),
        "by_type": by_type,
        "by_level": by_level,
        "levels": levels,
        "type_level": table,
    }


# ---------------------------------------------------------------- classes


def class_table(rows: Sequence[CatalogueEntry], codes: Sequence[str], statuses: Sequence[str] = ()) -> list[dict]:
    """One line per class (taxonomy order, then classes the taxonomy no longer has):
    measures, share, documents and measures by status."""
    total = len(rows)
    present = Counter(r.category or UNKNOWN for r in rows)
    ordered = list(codes) + sorted(k for k in present if k not in codes)
    status_keys = list(statuses) + sorted({r.status or UNKNOWN for r in rows} - set(statuses))
    table = []
    for code in ordered:
        of_class = [r for r in rows if (r.category or UNKNOWN) == code]
        table.append(
            {
                "code": code,
                "measures": len(of_class),
                "share": round(len(of_class) / total, 4) if total else 0.0,
                "documents": len({r.doc_id for r in of_class}),
                "by_status": {s: sum((r.status or UNKNOWN) == s for r in of_class) for s in status_keys},
            }
        )
    return table


def status_table(rows: Sequence[CatalogueEntry], statuses: Sequence[str] = ()) -> list[dict]:
    return key_counts((r.status for r in rows), statuses)


def _example(row: CatalogueEntry, flags: Mapping) -> dict:
    return {
        "measure_id": row.measure_id,
        "text": row.text,
        "doc_id": row.doc_id,
        "title": row.title or row.doc_id,
        "source_path": row.source_path,
        "span_start": row.start,
        "span_end": row.end,
        "status": row.status,
        "category": row.category or UNKNOWN,
        "bodies": list(dict.fromkeys(b.canonical for b in row.bodies if b.canonical)),
        "targets": [t.text for t in row.targets if t.text],
        "initiatives": list(row.initiatives),
        "score": flags["score"],
        "flags": {k: v for k, v in flags.items() if k != "score"},
    }


def _measure_scores(rows: Sequence[CatalogueEntry], settings: ComparisonSettings) -> dict[str, dict]:
    weights = settings.concreteness
    total = sum(weights.values()) or 1.0
    scored = {}
    for row in rows:
        flags = measure_flags(row, settings)
        scored[row.measure_id] = {**flags, "score": round(sum(weights[f] for f, on in flags.items() if on) / total, 4)}
    return scored


def rank_examples(rows: Sequence[CatalogueEntry], n: int, settings: ComparisonSettings | None = None, min_chars: int = 8) -> list[dict]:
    """The ``n`` most concrete measures: highest concreteness score first; measures with
    placeholder text (``*次``) or flagged for review after those that have neither; then
    clauses of at least ``min_chars`` characters, classifier confidence, document and position."""
    settings = settings or default_comparison_settings()
    scores = _measure_scores(rows, settings)
    ordered = sorted(
        rows,
        key=lambda r: (
            bool(r.placeholder) or bool(r.needs_review),
            -scores[r.measure_id]["score"],
            len(r.text or "") < min_chars,
            -(r.confidence or 0.0),
            str(r.doc_id),
            r.start or 0,
        ),
    )
    return [_example(r, scores[r.measure_id]) for r in ordered[:n]]


# ---------------------------------------------------------------- bodies


def bodies_by_class(rows: Sequence[CatalogueEntry], codes: Sequence[str], top: int = 8) -> dict:
    """Measures per class naming each responsible body (canonical names; a measure counts
    once per body, so a line's cells can add up to more than its measures). The ``top``
    bodies by measures get a column; the others are summed under ``other``; ``none``
    counts measures without any body."""
    totals = Counter(name for r in rows for name in {b.canonical for b in r.bodies if b.canonical})
    bodies = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    present = {r.category or UNKNOWN for r in rows}
    ordered = [c for c in codes if c in present] + sorted(present - set(codes))
    lines = []
    for code in ordered:
        of_class = [r for r in rows if (r.category or UNKNOWN) == code]
        named = [{b.canonical for b in r.bodies if b.canonical} for r in of_class]
        lines.append(
            {
                "code": code,
                "measures": len(of_class),
                "counts": {name: sum(name in n for n in named) for name in bodies},
                "other": sum(1 for n in named if n - set(bodies)),
                "none": sum(1 for n in named if not n),
                "explicit": sum(1 for r in of_class if any(b.explicit for b in r.bodies)),
            }
        )
    return {
        "bodies": bodies,
        "totals": {name: totals[name] for name in bodies},
        "other_bodies": sorted(set(totals) - set(bodies)),
        "lines": lines,
    }


# ---------------------------------------------------------------- comparison


def comparison_is_current(result: Mapping | None, rows: Sequence[CatalogueEntry]) -> bool:
    """Whether the comparison was made on these very measures (same measure ids)."""
    if not result:
        return False
    compared = {m.get("measure_id") for m in result["concreteness"]["measures"]}
    return compared == {r.measure_id for r in rows}


def _doc_brief(doc_id: str | None, docs: Mapping[str, Mapping]) -> dict:
    doc = docs.get(doc_id or "", {})
    return {"doc_id": doc_id, "title": doc.get("title") or doc_id, "region": doc.get("region"), "level": doc.get("level"), "doc_type": doc.get("doc_type")}


def _class_lists(relations: Mapping[str, Sequence[CatalogueEntry]], codes_order: Mapping[str, int], n: int, settings: ComparisonSettings,
                 min_chars: int) -> list[dict]:
    """Per class (in taxonomy order), for each relation (``left_out``, ``added``, ``a_only``…),
    how many measures and the ``n`` most concrete: the per-class lists of a comparison."""
    by_class: dict[str, dict[str, list[CatalogueEntry]]] = {}
    for relation, rows in relations.items():
        for row in rows:
            by_class.setdefault(measure_category(row, settings), {}).setdefault(relation, []).append(row)
    out = []
    for category in sorted(by_class, key=lambda c: (codes_order.get(c, len(codes_order)), c)):
        lists = by_class[category]
        out.append({"category": category, **{relation: {"count": len(lists.get(relation, ())), "examples": rank_examples(lists.get(relation, []), n, settings, min_chars)}
                                             for relation in relations}})
    return out


def _banded(links: Sequence[Mapping], by_id: Mapping[str, CatalogueEntry], scores: Mapping[str, dict], keys: tuple[str, str]) -> list[dict]:
    """Every link of both bands, most probable first, with its measures, band,
    probability, similarity and reasons."""
    a_key, b_key = keys
    ordered = sorted(links, key=lambda t: (-(t.get("probability") or t.get("similarity") or 0.0), str(t.get(a_key))))
    return [
        {"a": _example(by_id[t[a_key]], scores[t[a_key]]), "b": _example(by_id[t[b_key]], scores[t[b_key]]), "similarity": t.get("similarity"),
         "probability": t.get("probability"), "band": t.get("band") or "taken_up", "reasons": list(t.get("reasons") or ())}
        for t in ordered
        if t.get(a_key) in by_id and t.get(b_key) in by_id
    ]


def city_county_summaries(
    result: Mapping | None,
    rows: Sequence[CatalogueEntry],
    documents: Sequence[Mapping],
    n_examples: int = 5,
    settings: ComparisonSettings | None = None,
    codes: Sequence[str] = (),
    min_chars: int = 8,
) -> list[dict]:
    """Per city–county pair: counts, shares, the by-class table (in ``codes`` order), every
    link of both bands, and per class the ``n_examples`` most concrete measures the county
    left out and added."""
    if not result:
        return []
    order = {code: i for i, code in enumerate(codes)}
    settings = settings or default_comparison_settings()
    by_id = {r.measure_id: r for r in rows}
    docs = {d["doc_id"]: d for d in documents}
    scores = _measure_scores(rows, settings)
    summaries = []
    for pair in result["pairs"]:
        links = _banded([*(pair.get("taken_up") or ()), *(pair.get("possible") or ())], by_id, scores, ("city_measure_id", "county_measure_id"))
        left = [by_id[t["city_measure_id"]] for t in pair.get("left_out") or () if t.get("city_measure_id") in by_id]
        added = [by_id[t["county_measure_id"]] for t in pair.get("added") or () if t.get("county_measure_id") in by_id]
        city_n = pair.get("city_measures") or 0
        county_n = pair.get("county_measures") or 0
        summaries.append(
            {
                "group": pair.get("group"),
                "city": _doc_brief(pair.get("city_doc_id"), docs),
                "county": _doc_brief(pair.get("county_doc_id"), docs),
                "city_measures": city_n,
                "county_measures": county_n,
                "taken_up": len(pair.get("taken_up") or ()),
                "possible": len(pair.get("possible") or ()),
                "left_out": len(pair.get("left_out") or ()),
                "added": len(pair.get("added") or ()),
                "taken_up_share": round(len(pair.get("taken_up") or ()) / city_n, 4) if city_n else 0.0,
                "added_share": round(len(pair.get("added") or ()) / county_n, 4) if county_n else 0.0,
                "text_reuse_share": (pair.get("text_reuse") or {}).get("share"),
                "by_category": sorted(pair.get("by_category") or (), key=lambda line: (order.get(line.get("category"), len(order)), str(line.get("category")))),
                "links": links,
                "class_lists": _class_lists({"left_out": left, "added": added}, order, n_examples, settings, min_chars),
            }
        )
    return summaries


def peer_summaries(
    result: Mapping | None,
    documents: Sequence[Mapping],
    rows: Sequence[CatalogueEntry] = (),
    n_examples: int = 5,
    settings: ComparisonSettings | None = None,
    codes: Sequence[str] = (),
    min_chars: int = 8,
) -> list[dict]:
    """Per peer pair: measures, shared measures on each side, text reuse both ways, the
    by-class table, every link of both bands, and per class what each has that the other
    lacks (the ``n_examples`` most concrete)."""
    if not result:
        return []
    order = {code: i for i, code in enumerate(codes)}
    settings = settings or default_comparison_settings()
    by_id = {r.measure_id: r for r in rows}
    docs = {d["doc_id"]: d for d in documents}
    scores = _measure_scores(rows, settings)
    out = []
    for p in result["peer_pairs"]:
        only = {side: [by_id[t[f"{side[0]}_measure_id"]] for t in p.get(side) or () if t.get(f"{side[0]}_measure_id") in by_id] for side in ("a_only", "b_only")}
        out.append({
            "group": p.get("group"),
            "a": _doc_brief(p.get("a_doc_id"), docs),
            "b": _doc_brief(p.get("b_doc_id"), docs),
            "a_measures": p.get("a_measures") or 0,
            "b_measures": p.get("b_measures") or 0,
            "a_shared": p.get("a_shared") or 0,
            "b_shared": p.get("b_shared") or 0,
            "a_shared_share": round((p.get("a_shared") or 0) / p["a_measures"], 4) if p.get("a_measures") else 0.0,
            "b_shared_share": round((p.get("b_shared") or 0) / p["b_measures"], 4) if p.get("b_measures") else 0.0,
            "reuse_a_in_b": (p.get("text_reuse_a_in_b") or {}).get("share"),
            "reuse_b_in_a": (p.get("text_reuse_b_in_a") or {}).get("share"),
            "by_category": sorted(p.get("by_category") or (), key=lambda line: (order.get(line.get("category"), len(order)), str(line.get("category")))),
            "links": _banded([*(p.get("shared") or ()), *(p.get("possibly_shared") or ())], by_id, scores, ("a_measure_id", "b_measure_id")),
            "class_lists": _class_lists(only, order, n_examples, settings, min_chars),
        })
    return out


def document_ranking(rows: Sequence[CatalogueEntry], documents: Sequence[Mapping], settings: ComparisonSettings | None = None) -> list[dict]:
    """Documents ranked by mean concreteness (``models.comparison.concreteness``); duplicates,
    unranked, come last. Rejected measures are left out."""
    docs = {d["doc_id"]: d for d in documents}
    # a fragment left out of the counts is left out of the ranking too (the data notes list it)
    fragments = {d["doc_id"] for d in documents if _left_out_fragment(d)}
    kept = [r for r in rows if not r.rejected and r.doc_id not in fragments]
    ranked = concreteness(kept, [d for d in documents if d["doc_id"] not in fragments], settings or default_comparison_settings())["documents"]
    return [{**d, **{k: docs.get(d["doc_id"], {}).get(k) for k in ("title", "doc_type", "level", "region")}, "title": docs.get(d["doc_id"], {}).get("title") or d["doc_id"]} for d in ranked]


# ---------------------------------------------------------------- data notes


def data_notes(
    documents: Sequence[Mapping],
    rows: Sequence[CatalogueEntry],
    errors: Sequence[Mapping] = (),
    comparison: Mapping | None = None,
    comparison_current: bool = True,
) -> dict:
    """What a reader should know before quoting a figure: placeholder text, duplicates,
    low-confidence classes, measures without a named body, corrections, failed files."""
    docs = {d["doc_id"]: d for d in documents}
    counted = counted_rows(rows, documents)
    n = len(counted)
    placeholders = []
    for d in documents:
        found = d.get("placeholders") or ()
        if found:
            texts = list(dict.fromkeys(p.get("text") for p in found if p.get("text")))
            placeholders.append({"doc_id": d["doc_id"], "title": d.get("title") or d["doc_id"], "count": len(found), "texts": texts[:6]})
    duplicates = [
        {
            "doc_id": d["doc_id"],
            "title": d.get("title") or d["doc_id"],
            "duplicate_of": d["duplicate_of"],
            "duplicate_title": docs.get(d["duplicate_of"], {}).get("title") or d["duplicate_of"],
            "measures": sum(1 for r in rows if r.doc_id == d["doc_id"]),
        }
        for d in documents
        if d.get("duplicate_of")
    ]
    review = sum(1 for r in counted if r.needs_review)
    no_body = sum(1 for r in counted if not any(b.explicit for b in r.bodies))
    summary = (comparison or {}).get("summary") or {}
    other_warnings = sorted({w for d in documents for w in d.get("warnings") or () if not w.startswith(("placeholder", "duplicate", "fragment"))})
    fragments = [{"doc_id": d["doc_id"], "source_path": d.get("source_path"), "measures": sum(1 for r in rows if r.doc_id == d["doc_id"])}
                 for d in documents if _left_out_fragment(d)]
    return {
        "placeholders": placeholders,
        "placeholder_count": sum(p["count"] for p in placeholders),
        "placeholder_measures": sum(1 for r in counted if r.placeholder),
        "duplicates": duplicates,
        "duplicate_measures": sum(p["measures"] for p in duplicates),
        "fragments": fragments,
        "needs_review": review,
        "needs_review_share": round(review / n, 4) if n else 0.0,
        "low_confidence_mean": round(sum(r.confidence or 0.0 for r in counted) / n, 4) if n else 0.0,
        "no_explicit_body": no_body,
        "no_explicit_body_share": round(no_body / n, 4) if n else 0.0,
        "unclassified": sum(1 for r in counted if not r.category),
        "corrected": sum(1 for r in rows if r.corrected),
        "rejected": sum(1 for r in rows if r.rejected),
        "failed": [{"path": e.get("path"), "stage": e.get("stage"), "reason": e.get("reason")} for e in errors],
        "document_warnings": other_warnings,
        "comparison_missing": comparison is None,
        "comparison_stale": comparison is not None and not comparison_current,
        "comparison_warnings": list(summary.get("warnings") or ()),
        "clusters": len((comparison or {}).get("clusters") or ()),
    }


# ---------------------------------------------------------------- everything


def build_summary(
    documents: Sequence[Mapping],
    rows: Sequence[CatalogueEntry],
    *,
    class_names: Mapping[str, str],
    comparison: Mapping | None = None,
    errors: Sequence[Mapping] = (),
    statuses: Sequence[str] = STATUSES,
    type_order: Sequence[str] = (),
    level_order: Sequence[str] = (),
    settings: SummarySettings | None = None,
    comparison_settings: ComparisonSettings | None = None,
) -> dict:
    """Every figure of the report. ``class_names`` maps the taxonomy's codes, in its
    order, to their names; the comparison sections are empty without a ``comparison``
    result, or when it was made on other measures than ``rows``."""
    settings = settings or SummarySettings()
    comparison_settings = comparison_settings or default_comparison_settings()
    codes = list(class_names)
    grouped = {d for g in (comparison or {}).get("groups") or () if g.get("origin") == "mapping" for d in ([g.get("city_doc_id")] if g.get("city_doc_id") else []) + list(g.get("members") or ())}
    documents = [{**d, "kept": True} if d.get("fragment") and d["doc_id"] in grouped else d for d in documents]
    counted = counted_rows(rows, documents)
    result = comparison
    current = comparison_is_current(result, rows)
    classes = class_table(counted, codes, statuses)
    for line in classes:
        of_class = [r for r in counted if (r.category or UNKNOWN) == line["code"]]
        line["name"] = class_names.get(line["code"], line["code"])
        line["examples"] = rank_examples(of_class, settings.examples_per_class, comparison_settings, settings.min_example_chars)
    overview = documents_overview(documents, type_order, level_order)
    return {
        "totals": {
            "files": overview["files"],
            "documents": overview["documents"],
            "counted_documents": overview["counted"],
            "duplicate_documents": overview["duplicates"],
            "measures": len(rows),
            "counted_measures": len(counted),
            "uncounted_measures": len(rows) - len(counted),
            "classes_used": sum(1 for c in classes if c["measures"]),
            "classes": len(codes),
            "failed_files": len(errors),
        },
        "documents": overview,
        "statuses": status_table(counted, statuses),
        "classes": classes,
        "bodies": bodies_by_class(counted, codes, settings.top_bodies),
        "city_county": city_county_summaries(result if current else None, rows, documents, settings.examples_per_relation, comparison_settings, codes, settings.min_example_chars),
        "peers": peer_summaries(result if current else None, documents, rows, settings.examples_per_relation, comparison_settings, codes, settings.min_example_chars),
        "ranking": document_ranking(rows, documents, comparison_settings),
        "notes": data_notes(documents, rows, errors, result, current),
        "tasks": task_division(counted, documents),
    }


TASK_STATUSES = ("REQUIRED", "PLANNED", "ENCOURAGED", "RECOMMENDED")  # what is still to be done (not 已开展)


def task_division(counted: Sequence[CatalogueEntry], documents: Sequence[Mapping]) -> list[dict]:
    """The 任务分工 table an office writes by hand, per document in the documents' order:
    every measure still to be done (not a report of work done), with its lead bodies (牵头;
    a body named without a role is the one responsible), supporting bodies (配合), deadline
    (时限) and quantified targets (量化指标), in the document's own words."""
    by_doc: dict[str, list[CatalogueEntry]] = {}
    for row in counted:
        if row.status in TASK_STATUSES:
            by_doc.setdefault(row.doc_id, []).append(row)
    tasks = []
    for doc in documents:
        rows = sorted(by_doc.get(doc["doc_id"], []), key=lambda r: (r.start, r.end))
        if not rows:
            continue
        lines = []
        for row in rows:
            lead = [b.mention for b in row.bodies if b.role != "support"]
            support = [b.mention for b in row.bodies if b.role == "support"]
            lines.append({
                "measure_id": row.measure_id, "text": row.text, "status": row.status,
                "lead": list(dict.fromkeys(lead)), "support": list(dict.fromkeys(support)),
                "deadline": [t.text for t in row.targets if t.kind == "deadline"],
                "targets": [t.text for t in row.targets if t.kind != "deadline"],
                "section": " › ".join(row.section_path), "source": f"{row.source_path} {row.start}–{row.end}",
            })
        tasks.append({"doc_id": doc["doc_id"], "title": doc.get("title") or doc["doc_id"], "date": doc.get("date"), "tasks": lines})
    return tasks


# ---------------------------------------------------------------- text of fields


def format_bodies(bodies: Iterable[Body] | None, labels: Mapping[str, Mapping[str, str]]) -> str:
    """``市政协（市级，牵头）；中共靖江市委（党委，县级，推断）``: the mention, then its canonical
    body when the mention differs, level, role, and whether the body was inferred.

    ``labels`` holds ``level``, ``role`` and ``inferred`` (a mapping with key ``label``)."""
    parts = []
    for body in bodies or ():
        mention = body.mention or body.canonical or ""
        notes = []
        if body.canonical and body.canonical not in mention:
            notes.append(body.canonical)
        if body.level:
            notes.append(labels.get("level", {}).get(body.level, body.level))
        if body.role:
            notes.append(labels.get("role", {}).get(body.role, body.role))
        if body.explicit is False:
            notes.append(labels.get("inferred", {}).get("label", "inferred"))
        parts.append(f"{mention}（{'，'.join(notes)}）" if notes else mention)
    return "；".join(parts)


def format_targets(targets: Iterable[Target] | None, labels: Mapping[str, Mapping[str, str]]) -> str:
    """``每年（频次）；至少开展一次（数量 ≥1次）``: the text, its kind and, for counts, the number."""
    comparators = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": ""}
    parts = []
    for target in targets or ():
        kind = labels.get("target_kind", {}).get(target.kind, target.kind or "")
        note = kind
        value = target.value
        if target.kind == "count" and isinstance(value, (int, float)) and target.comparator in comparators:
            unit = labels.get("unit", {}).get(target.unit, target.unit or "")
            note = f"{kind} {comparators[target.comparator]}{value:g}{unit}"
        parts.append(f"{target.text}（{note}）" if note else str(target.text))
    return "；".join(parts)


def measure_context(text: str | None, start: int, end: int, width: int = 80, sentence: str | None = None, measure: str | None = None) -> dict:
    """The measure with up to ``width`` characters of source text on either side.

    ``verified`` is true when ``text[start:end]`` is the measure; otherwise (no source
    text, or a source changed since the run) the measure is shown inside its sentence."""
    if text is not None and 0 <= start <= end <= len(text) and (measure is None or text[start:end] == measure):
        left = max(0, start - width)
        right = min(len(text), end + width)
        return {"before": text[left:start], "mark": text[start:end], "after": text[end:right],
                "cut_before": left > 0, "cut_after": right < len(text), "verified": True}
    sentence = sentence or ""
    at = sentence.find(measure or "")
    if measure and at >= 0:
        return {"before": sentence[:at], "mark": measure, "after": sentence[at + len(measure):], "cut_before": False, "cut_after": False, "verified": False}
    return {"before": "", "mark": measure or "", "after": "", "cut_before": False, "cut_after": False, "verified": False}
