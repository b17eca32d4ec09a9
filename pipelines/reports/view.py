"""The report as sections of blocks that the Word, Markdown and HTML writers render alike."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from pipelines.reports.summary import UNKNOWN
from pipelines.reports.wording import Wording

def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence], numeric_from: int = 1) -> dict:
    return {"type": "table", "header": list(header), "rows": [[("" if c is None else str(c)) for c in r] for r in rows], "numeric_from": numeric_from}


def _p(text: str) -> dict:
    return {"type": "paragraph", "text": text}


def _h(text: str, level: int = 2) -> dict:
    return {"type": "heading", "text": text, "level": level}


def _examples(items: Sequence[Mapping], wording: Wording) -> dict:
    return {
        "type": "examples",
        "items": [
            {
                # a measure already in quotation marks (“有事好商量”) is not quoted twice
                "text": e["text"] if e["text"][:1] in "“「" and e["text"][-1:] in "”」" else wording.fill("example", text=e["text"]),
                "source": wording.fill("example_source", title=e["title"], source_path=e["source_path"], start=e["span_start"], end=e["span_end"], doc_id=e["doc_id"]),
                "note": wording.fill("example_flags", score=e["score"]),
            }
            for e in items
        ],
    }


def _chart(key: str, charts: Mapping[str, Any]) -> list[dict]:
    return [{"type": "chart", "key": key, "title": charts[key].title}] if key in charts else []


def _characters(characters: Sequence[str]) -> str:
    """Characters named for a reader: the character and its code point (a control character by code point only)."""
    return "、".join(f"“{ch}”（U+{ord(ch):04X}）" if ch.isprintable() else f"U+{ord(ch):04X}" for ch in characters)


def build_view(summary: Mapping, wording: Wording, charts: Mapping[str, Any], *, left_out: Sequence[Any] = (), font: str = "") -> dict:
    """The report as sections of blocks (heading, paragraph, table, examples, list, chart)
    that the Word, Markdown and HTML writers render alike. ``left_out``: the charts that
    could not be drawn (``charts.ChartFailure``), named in the data notes."""
    say, col, label = wording.fill, wording.section("columns"), wording.label
    totals, overview = summary["totals"], summary["documents"]
    class_name = {c["code"]: c["name"] for c in summary["classes"]}
    class_name.setdefault(UNKNOWN, label("class", UNKNOWN))
    sections = []

    # overview
    blocks = [
        _p(say("overview", files=overview["files"], documents=overview["documents"], split_files=overview["split_files"],
               duplicates=overview["duplicates"], fragments=overview.get("fragments", 0), counted=overview["counted"])),
        _p(say("measures", measures=totals["measures"], uncounted=totals["uncounted_measures"], counted=totals["counted_measures"],
               classes_used=totals["classes_used"], classes=totals["classes"])),
        _p(say("documents_by",
               types="、".join(say("type_part", label=label("doc_type", t["key"]), count=t["count"]) for t in overview["by_type"]),
               levels="、".join(say("level_part", label=label("level", t["key"]), count=t["count"]) for t in overview["by_level"]))),
        _h(wording.heading("documents_by_type")),
        _table(
            [col["type"], *(label("level", lv) for lv in overview["levels"]), wording.labels["total"]],
            [[label("doc_type", line["key"]), *(line["counts"][lv] for lv in overview["levels"]), line["total"]] for line in overview["type_level"]]
            + [[wording.labels["total"], *(c["count"] for c in overview["by_level"]), overview["counted"]]],
        ),
        *_chart("documents", charts),
    ]
    sections.append({"key": "overview", "heading": wording.heading("overview"), "blocks": blocks})

    # classes
    statuses = [s["key"] for s in summary["statuses"]]
    used = [c for c in summary["classes"] if c["measures"]]
    top = sorted(used, key=lambda c: -c["measures"])[:3]
    blocks = [
        _p(say("statuses", parts="，".join(say("status_part", label=label("status", s["key"]), count=s["count"], share=s["share"]) for s in summary["statuses"]))),
        _p(say("classes_lead", top="、".join(say("class_top_part", name=c["name"], count=c["measures"], code=c["code"]) for c in top))),
        _table(
            [col["class"], col["code"], col["measures"], col["share"], *(label("status", s) for s in statuses), col["documents"]],
            [[c["name"], c["code"], c["measures"], _pct(c["share"]), *(c["by_status"].get(s, 0) for s in statuses), c["documents"]] for c in summary["classes"]]
            + [[wording.labels["total"], "", totals["counted_measures"], _pct(1.0 if totals["counted_measures"] else 0.0),
                *(s["count"] for s in summary["statuses"]), overview["counted"]]],
            numeric_from=2,
        ),
        *_chart("classes", charts),
        _h(wording.heading("class_examples")),
        _p(say("class_examples_lead")),
    ]
    for c in used:
        blocks += [_h(say("class_heading", name=c["name"], code=c["code"], count=c["measures"]), 3), _examples(c["examples"], wording)]
    sections.append({"key": "classes", "heading": wording.heading("classes"), "blocks": blocks})

    # bodies
    bodies = summary["bodies"]
    counted = totals["counted_measures"]
    explicit = sum(line["explicit"] for line in bodies["lines"])
    blocks = [
        _p(say("bodies_lead", explicit_share=explicit / counted if counted else 0.0, explicit=explicit)),
        _table(
            [col["class"], *bodies["bodies"], wording.labels["bodies_other"], wording.labels["bodies_none"], col["measures"]],
            [[class_name.get(line["code"], line["code"]), *(line["counts"][b] for b in bodies["bodies"]), line["other"], line["none"], line["measures"]] for line in bodies["lines"]]
            + [[wording.labels["total"], *(bodies["totals"][b] for b in bodies["bodies"]), sum(line["other"] for line in bodies["lines"]),
                sum(line["none"] for line in bodies["lines"]), counted]],
        ),
        *_chart("bodies", charts),
    ]
    sections.append({"key": "bodies", "heading": wording.heading("bodies"), "blocks": blocks})

    # city and county
    blocks = [_p(say("city_county_lead"))]
    if not summary["city_county"]:
        blocks.append(_p(say("no_city_county")))
    for i, pair in enumerate(summary["city_county"], start=1):
        blocks += [
            _h(pair["group"] or f"{pair['city']['title']} — {pair['county']['title']}"),
            _p(say("city_county_pair", city=pair["city"]["title"], county=pair["county"]["title"], city_measures=pair["city_measures"],
                   county_measures=pair["county_measures"], taken_up=pair["taken_up"], possible=pair.get("possible", 0), left_out=pair["left_out"], added=pair["added"],
                   taken_up_share=pair["taken_up_share"], added_share=pair["added_share"])),
            _p(say("text_reuse", share=pair["text_reuse_share"]) if pair["text_reuse_share"] is not None else say("text_reuse_missing")),
            _table(
                [col["class"], col["city_measures"], col["county_measures"], col["taken_up"], col["possible"], col["left_out"], col["added"]],
                [[class_name.get(line["category"], line["category"]), line["city_measures"], line["county_measures"], line["taken_up"], line.get("possible", 0), line["left_out"], line["added"]]
                 for line in pair["by_category"]]
                + [[wording.labels["total"], pair["city_measures"], pair["county_measures"], pair["taken_up"], pair.get("possible", 0), pair["left_out"], pair["added"]]],
            ),
            _p(_nothing_taken_up(pair, class_name, say)),
            *_chart(f"city_county_{i}", charts),
            _h(say("taken_up_lead"), 3),
            _links(pair["links"], wording, "city_county"),
            _h(say("left_out_lead"), 3),
            _class_list(pair["class_lists"], "left_out", class_name, wording),
            _h(say("added_lead"), 3),
            _class_list(pair["class_lists"], "added", class_name, wording),
        ]
    sections.append({"key": "city_county", "heading": wording.heading("city_county"), "blocks": blocks})

    # peers
    blocks = [_p(say("peers_lead"))]
    if summary["peers"]:
        blocks.append(_table(
            [col["pair_a"], col["pair_b"], f"{col['measures']}（甲）", f"{col['measures']}（乙）", col["a_shared"], col["b_shared"], f"{col['reuse']}（甲在乙）", f"{col['reuse']}（乙在甲）"],
            [[p["a"]["title"], p["b"]["title"], p["a_measures"], p["b_measures"], f"{p['a_shared']}（{_pct(p['a_shared_share'])}）",
              f"{p['b_shared']}（{_pct(p['b_shared_share'])}）", _pct(p["reuse_a_in_b"]), _pct(p["reuse_b_in_a"])] for p in summary["peers"]],
            numeric_from=2,
        ))
    else:
        blocks.append(_p(wording.labels["none"]))
    for p in summary["peers"]:
        a, b = p["a"]["title"], p["b"]["title"]
        blocks += [
            _h(say("peer_pair_heading", a=a, b=b), 3),
            _table(
                [col["class"], f"{col['measures']}（甲）", f"{col['measures']}（乙）", col["shared"], col["possibly_shared"], col["a_only"], col["b_only"]],
                [[class_name.get(line["category"], line["category"]), line["a_measures"], line["b_measures"], line["shared"], line["possibly_shared"], line["a_only"], line["b_only"]]
                 for line in p["by_category"]],
            ),
            _p(say("peer_links_lead", a=a, b=b)),
            _links(p["links"], wording, "peers"),
            _p(say("a_only_lead", a=a, b=b)),
            _class_list(p["class_lists"], "a_only", class_name, wording),
            _p(say("a_only_lead", a=b, b=a)),
            _class_list(p["class_lists"], "b_only", class_name, wording),
        ]
    sections.append({"key": "peers", "heading": wording.heading("peers"), "blocks": blocks})

    # ranking
    ranked = [d for d in summary["ranking"] if d.get("rank") is not None]
    blocks = []
    if ranked:
        blocks.append(_p(say("ranking_lead", best=ranked[0]["title"], best_score=ranked[0]["score"], worst=ranked[-1]["title"], worst_score=ranked[-1]["score"])))
        blocks.append(_table(
            [col["rank"], col["title"], col["type"], col["level"], col["region"], col["measures"], col["score"],
             col["explicit_body_share"], col["quantified_target_share"], col["deadline_share"], col["initiative_share"]],
            [[d["rank"], d["title"], label("doc_type", d.get("doc_type")), label("level", d.get("level")), d.get("region") or "", d["measures"], _num(d["score"]),
              _pct(d["explicit_body_share"]), _pct(d["quantified_target_share"]), _pct(d["deadline_share"]), _pct(d["initiative_share"])] for d in ranked],
            numeric_from=5,
        ))
        blocks += _chart("ranking", charts)
    else:
        blocks.append(_p(wording.labels["none"]))
    sections.append({"key": "ranking", "heading": wording.heading("ranking"), "blocks": blocks})

    # notes
    notes = summary["notes"]
    items = []
    if notes["placeholders"]:
        items.append(say("notes_placeholders", documents=len(notes["placeholders"]), count=notes["placeholder_count"], measures=notes["placeholder_measures"],
                         examples="、".join(f"“{t}”" for t in dict.fromkeys(t for p in notes["placeholders"] for t in p["texts"]) if t)[:80]))
    else:
        items.append(say("notes_no_placeholders"))
    if notes["duplicates"]:
        items.append(say("notes_duplicates", measures=notes["duplicate_measures"],
                         parts="；".join(say("notes_duplicate_part", title=d["title"], duplicate_title=d["duplicate_title"]) for d in notes["duplicates"])))
    else:
        items.append(say("notes_no_duplicates"))
    if notes.get("fragments"):
        items.append(say("notes_fragments", count=len(notes["fragments"]), measures=sum(f["measures"] for f in notes["fragments"]),
                         parts="、".join(f["doc_id"] for f in notes["fragments"])))
    items.append(say("notes_review", count=notes["needs_review"], share=notes["needs_review_share"], mean=notes["low_confidence_mean"]))
    items.append(say("notes_no_body", count=notes["no_explicit_body"], share=notes["no_explicit_body_share"]))
    if notes["corrected"] or notes["rejected"]:
        items.append(say("notes_corrections", corrected=notes["corrected"], rejected=notes["rejected"]))
    if notes["failed"]:
        items.append(say("notes_failed", count=len(notes["failed"]), parts="；".join(say("notes_failed_part", path=f["path"], reason=f["reason"], stage=f["stage"]) for f in notes["failed"])))
    else:
        items.append(say("notes_no_failed"))
    if notes["comparison_missing"]:
        items.append(say("notes_comparison_missing"))
    elif notes["comparison_stale"]:
        items.append(say("notes_comparison_stale"))
    if notes["comparison_warnings"]:
        items.append(say("notes_comparison_warnings", parts="；".join(notes["comparison_warnings"])))
    if left_out:
        items.append(say("notes_charts_left_out", count=len(left_out), parts="；".join(
            say("notes_chart_glyphs", title=f.title, font=font, characters=_characters(f.missing)) if f.missing
            else say("notes_chart_error", title=f.title, error=f.reason) for f in left_out)))
    if notes["document_warnings"]:
        items.append(say("notes_document_warnings", parts="；".join(notes["document_warnings"])))
    sections.append({"key": "notes", "heading": wording.heading("notes"), "blocks": [{"type": "list", "items": items}]})

    # the 任务分工 table of each document, as an appendix
    columns = wording.section("columns")
    blocks = [_p(say("tasks_intro"))]
    for doc in summary.get("tasks") or ():
        blocks.append(_h(doc["title"] + (f"（{doc['date']}）" if doc.get("date") else ""), 2))
        blocks.append(_table(
            [columns["task_number"], columns["text"], columns["task_lead"], columns["task_support"], columns["task_deadline"], columns["task_targets"]],
            [[i, t["text"], "、".join(t["lead"]), "、".join(t["support"]), "；".join(t["deadline"]), "；".join(t["targets"])] for i, t in enumerate(doc["tasks"], start=1)],
            numeric_from=6,
        ))
    if len(blocks) == 1:
        blocks.append(_p(wording.labels["none"]))
    sections.append({"key": "tasks", "heading": wording.heading("tasks"), "blocks": blocks})

    return {"title": wording.data["title"], "subtitle": wording.data["subtitle"], "sections": sections}


def _links(links: Sequence[Mapping], wording: Wording, kind: str) -> dict:
    """Every link of both bands, with its band, probability, similarity and reasons."""
    say = wording.fill
    band = {"taken_up": "taken_up", "possible": "possible"} if kind == "city_county" else {"taken_up": "shared", "possible": "possibly_shared"}
    return {"type": "list", "items": [
        say(f"{kind}_link", b=t["b"]["text"], a=t["a"]["text"], similarity=t["similarity"] or 0.0, probability=t.get("probability") or 0.0,
            band=wording.label("relation", band[t.get("band") or "taken_up"]), reasons="、".join(t.get("reasons") or ()) or wording.labels["none"])
        for t in links] or [wording.labels["none"]]}


def _class_list(lines: Sequence[Mapping], relation: str, class_name: Mapping[str, str], wording: Wording) -> dict:
    """One item per class: how many measures, the most concrete quoted, and how many more
    the workbook lists."""
    say = wording.fill
    items = []
    for line in lines:
        part = line[relation]
        if not part["count"]:
            continue
        quoted = "；".join(say("example", text=e["text"]) for e in part["examples"])
        more = part["count"] - len(part["examples"])
        items.append(say("class_list_item", name=class_name.get(line["category"], line["category"]), count=part["count"], examples=quoted)
                     + (say("class_list_more", more=more) if more > 0 else ""))
    return {"type": "list", "items": items or [wording.labels["none"]]}


def _nothing_taken_up(pair: dict, class_name: dict, say) -> str:
    """The classes the city asks for and the county took up nothing of, in either band."""
    missing = [line for line in pair["by_category"] if line["city_measures"] and not line["taken_up"] and not line.get("possible", 0)]
    if not missing:
        return say("every_class_taken_up")
    parts = "、".join(say("nothing_taken_up_part", name=class_name.get(line["category"], line["category"]), count=line["city_measures"]) for line in missing)
    return say("nothing_taken_up", parts=parts)
