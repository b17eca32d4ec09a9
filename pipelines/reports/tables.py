"""The comparison as tables: the sheets of ``comparison.xlsx`` and ``catalogue.xlsx``."""

from __future__ import annotations

from extractors.types import CatalogueEntry
from models.comparison import cluster_sizes, measure_category



def comparison_tables(documents: list[dict], rows: list[CatalogueEntry], result: dict, settings) -> dict[str, list[dict]]:
    by_id = {r.measure_id: r for r in rows}
    docs = {d["doc_id"]: d for d in documents}

    def text(measure_id: str | None) -> str | None:
        return by_id[measure_id].text if measure_id in by_id else None

    def category(measure_id: str | None) -> str | None:
        return measure_category(by_id[measure_id], settings) if measure_id in by_id else None

    def title(doc_id: str) -> str | None:
        return docs.get(doc_id, {}).get("title")

    compared = list(dict.fromkeys(
        d for g in result["groups"] for d in ([g["city_doc_id"]] if g["city_doc_id"] else []) + g["members"]
    ))
    categories = sorted({measure_category(r, settings) for r in rows if r.doc_id in compared})
    coverage = []
    for cat in categories:
        line = {"category": cat}
        for doc_id in compared:
            line[doc_id] = sum(1 for r in rows if r.doc_id == doc_id and measure_category(r, settings) == cat)
        coverage.append(line)
    if compared:
        coverage.append({"category": "合计", **{d: sum(1 for r in rows if r.doc_id == d) for d in compared}})

    pairs, pair_summary = [], []
    for pair in result["pairs"]:
        base = {"group": pair["group"], "kind": "city_county", "doc_a": pair["city_doc_id"], "title_a": title(pair["city_doc_id"]),
                "doc_b": pair["county_doc_id"], "title_b": title(pair["county_doc_id"])}
        for relation in ("taken_up", "possible"):
            for t in pair.get(relation) or ():
                pairs.append({**base, "relation": relation, "category": t["category"], "measure_a": t["city_measure_id"], "text_a": text(t["city_measure_id"]),
                              "measure_b": t["county_measure_id"], "text_b": text(t["county_measure_id"]), "category_b": category(t["county_measure_id"]),
                              "similarity": t["similarity"], "probability": t.get("probability"), "reasons": "、".join(t.get("reasons") or ())})
        for t in pair["left_out"]:
            pairs.append({**base, "relation": "left_out", "category": t["category"], "measure_a": t["city_measure_id"], "text_a": text(t["city_measure_id"]),
                          "measure_b": t.get("best_county_measure_id"), "text_b": text(t.get("best_county_measure_id")), "category_b": category(t.get("best_county_measure_id")), "similarity": t.get("best_similarity")})
        for t in pair["added"]:
            pairs.append({**base, "relation": "added", "category": t["category"], "measure_a": t.get("best_city_measure_id"), "text_a": text(t.get("best_city_measure_id")),
                          "measure_b": t["county_measure_id"], "text_b": text(t["county_measure_id"]), "category_b": t["category"], "similarity": t.get("best_similarity")})
        reuse = pair["text_reuse"] or {}
        for line in pair["by_category"]:
            pair_summary.append({**base, **line, "text_reuse_share": reuse.get("share")})
        pair_summary.append({**base, "category": "合计", "city_measures": pair["city_measures"], "county_measures": pair["county_measures"],
                             "taken_up": len(pair["taken_up"]), "possible": len(pair.get("possible") or ()), "left_out": len(pair["left_out"]), "added": len(pair["added"]),
                             "text_reuse_share": reuse.get("share")})
    for pair in result["peer_pairs"]:
        base = {"group": pair["group"], "kind": "peers", "doc_a": pair["a_doc_id"], "title_a": title(pair["a_doc_id"]),
                "doc_b": pair["b_doc_id"], "title_b": title(pair["b_doc_id"])}
        for relation, key in (("shared", "shared"), ("possibly_shared", "possibly_shared")):
            for t in pair.get(key) or ():
                pairs.append({**base, "relation": relation, "category": category(t["a_measure_id"]), "measure_a": t["a_measure_id"], "text_a": text(t["a_measure_id"]),
                              "measure_b": t["b_measure_id"], "text_b": text(t["b_measure_id"]), "category_b": category(t["b_measure_id"]),
                              "similarity": t["similarity"], "probability": t.get("probability"), "reasons": "、".join(t.get("reasons") or ())})
        for t in pair.get("a_only") or ():
            pairs.append({**base, "relation": "a_only", "category": t["category"], "measure_a": t["a_measure_id"], "text_a": text(t["a_measure_id"]),
                          "measure_b": t.get("best_b_measure_id"), "text_b": text(t.get("best_b_measure_id")), "category_b": category(t.get("best_b_measure_id")), "similarity": t.get("best_similarity")})
        for t in pair.get("b_only") or ():
            pairs.append({**base, "relation": "b_only", "category": t["category"], "measure_a": t.get("best_a_measure_id"), "text_a": text(t.get("best_a_measure_id")),
                          "measure_b": t["b_measure_id"], "text_b": text(t["b_measure_id"]), "category_b": t["category"], "similarity": t.get("best_similarity")})
        a_reuse, b_reuse = pair["text_reuse_a_in_b"] or {}, pair["text_reuse_b_in_a"] or {}
        for line in pair.get("by_category") or ():
            pair_summary.append({**base, **line, "text_reuse_share": a_reuse.get("share"), "text_reuse_b_in_a": b_reuse.get("share")})
        pair_summary.append({**base, "category": "合计", "a_measures": pair["a_measures"], "b_measures": pair["b_measures"],
                             "a_shared": pair["a_shared"], "b_shared": pair["b_shared"], "a_only": len(pair.get("a_only") or ()),
                             "b_only": len(pair.get("b_only") or ()), "text_reuse_share": a_reuse.get("share"), "text_reuse_b_in_a": b_reuse.get("share")})

    sizes = cluster_sizes(rows)
    cluster_docs: dict[str, set] = {}
    for r in rows:
        cluster_docs.setdefault(r.cluster_id, set()).add(r.doc_id)
    clusters = [
        {"cluster_id": r.cluster_id, "size": sizes[r.cluster_id], "documents": len(cluster_docs[r.cluster_id]), "doc_id": r.doc_id,
         "measure_id": r.measure_id, "category": measure_category(r, settings), "text": r.text, "best_match_id": r.best_match_id,
         "best_match_similarity": r.best_match_similarity, "duplicate_of": r.duplicate_of}
        for r in sorted(rows, key=lambda r: (-sizes[r.cluster_id], r.cluster_id, r.doc_id))
        if sizes[r.cluster_id] > 1
    ]

    flags = {m["measure_id"]: m for m in result["concreteness"]["measures"]}
    concreteness = [
        {"rank": d["rank"], "doc_id": d["doc_id"], "title": docs.get(d["doc_id"], {}).get("title"), "level": docs.get(d["doc_id"], {}).get("level"),
         "region": docs.get(d["doc_id"], {}).get("region"), **{k: v for k, v in d.items() if k not in ("rank", "doc_id")}}
        for d in result["concreteness"]["documents"]
    ]
    measures = [
        {"measure_id": r.measure_id, "doc_id": r.doc_id, "span_start": r.start, "span_end": r.end,
         "category": measure_category(r, settings), "status": r.status, "text": r.text, "cluster_id": r.cluster_id,
         "best_match_id": r.best_match_id, "best_match_similarity": r.best_match_similarity,
         **{k: flags[r.measure_id][k] for k in ("explicit_body", "quantified_target", "deadline", "initiative", "score")},
         "duplicate_of": r.duplicate_of}
        for r in rows
    ]
    documents_sheet = [
        {k: d.get(k) for k in ("doc_id", "source_path", "title", "doc_type", "level", "region", "issuing_body", "author", "date", "duplicate_of", "measures", "chars")}
        for d in documents
    ]
    return {
        "coverage": coverage,
        "pairs": pairs,
        "pair_summary": pair_summary,
        "clusters": clusters,
        "concreteness": concreteness,
        "measures": measures,
        "documents": documents_sheet,
    }
