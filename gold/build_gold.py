#!/usr/bin/env python
"""Build the gold files from the hand annotations.

Input : gold/seeds_annotations.yaml  (edited by an analyst)
Output: gold/seeds.jsonl              (one line per document)
        gold/pairs.jsonl              (cross-document measure pairs)

Offsets are never typed by hand.  Every document is located by anchor strings,
every measure by its exact text, searched inside the document's segments of the
decoded source file (``open(path, encoding="utf-8").read()``).  The build fails
loudly, listing every problem, when a text is missing, occurs more than once in
its document without an ``after:``/``occurrence:`` hint, spans overlap, or a
category/status/body/target kind is not in the allowed lists.

Usage:  .venv/bin/python gold/build_gold.py [--check]
        --check  build in memory and compare with the files on disk; exit 1 if
                 they differ (nothing is written).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from extractors.types import DOC_TYPES, LEVELS, STATUSES, TARGET_KINDS  # noqa: E402
CORPUS_DIR = ROOT / "corpora"
ANNOTATIONS = HERE / "seeds_annotations.yaml"
SEEDS_OUT = HERE / "seeds.jsonl"
PAIRS_OUT = HERE / "pairs.jsonl"

CATEGORIES = (
    "LEADERSHIP", "PARTY_BUILDING", "STUDY", "CONSULTATION", "SUPERVISION",
    "ADVICE", "CONSENSUS", "GRASSROOTS", "MEMBERS", "COMMITTEES",
    "INSTITUTIONS", "OFFICE", "SUPPORT", "PUBLICITY", "DIGITAL", "SYSTEM",
)
BODIES = (
    "党委", "政府", "政协", "政协党组", "政协常委会", "政协主席会议",
    "政协专门委员会", "政协界别", "政协委员", "政协机关", "政协基层组织",
    "政协参加单位", "组织部门", "宣传部门", "统战部门", "财政部门", "编制部门",
    "乡镇街道党委", "新闻媒体",
)
SPLITS = ("tune", "heldout")

DOC_KEYS = (
    "id", "source_path", "segments", "title", "doc_type", "level", "region",
    "region_evidence", "issuing_body", "author", "split", "duplicate_of",
    "warnings", "measures",
)
MEASURE_KEYS = ("text", "category", "status", "bodies", "targets", "after",
                "occurrence", "note")
SEGMENT_KEYS = ("start", "start_occurrence", "end_after", "end_before", "main",
                "note")


class GoldError(Exception):
    pass


def _all_indices(haystack: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(haystack) if hi is None else hi
    out, i = [], haystack.find(needle, lo, hi)
    while i != -1:
        out.append(i)
        i = haystack.find(needle, i + 1, hi)
    return out


def _read_text(source_path: str, cache: dict[str, str]) -> str:
    if source_path not in cache:
        path = CORPUS_DIR / source_path
        if not path.is_file():
            raise GoldError(f"source file not found: {path}")
        with open(path, encoding="utf-8") as fh:
            cache[source_path] = fh.read()
    return cache[source_path]


def _locate_segment(text: str, seg: dict, where: str) -> tuple[int, int, bool]:
    unknown = set(seg) - set(SEGMENT_KEYS)
    if unknown:
        raise GoldError(f"{where}: unknown segment keys {sorted(unknown)}")
    start_text = seg.get("start")
    if not start_text:
        raise GoldError(f"{where}: segment needs 'start'")
    hits = _all_indices(text, start_text)
    occ = seg.get("start_occurrence")
    if occ is None:
        if len(hits) != 1:
            raise GoldError(f"{where}: segment start {start_text!r} found {len(hits)} times "
                            "(need exactly 1; add start_occurrence)")
        s = hits[0]
    else:
        if not 1 <= occ <= len(hits):
            raise GoldError(f"{where}: start_occurrence {occ} but {len(hits)} hits for {start_text!r}")
        s = hits[occ - 1]
    if ("end_after" in seg) == ("end_before" in seg):
        raise GoldError(f"{where}: give exactly one of end_after / end_before")
    if "end_after" in seg:
        j = text.find(seg["end_after"], s)
        if j == -1:
            raise GoldError(f"{where}: end_after {seg['end_after']!r} not found after start")
        e = j + len(seg["end_after"])
    else:
        j = text.find(seg["end_before"], s + 1)
        if j == -1:
            raise GoldError(f"{where}: end_before {seg['end_before']!r} not found after start")
        e = j
        while e > s and text[e - 1].isspace():
            e -= 1
    return s, e, bool(seg.get("main", False))


def _locate_in_segments(text: str, segments: list[tuple[int, int]], needle: str,
                        after: str | None, occurrence: int | None, where: str) -> int:
    hits = sorted(i for s, e in segments for i in _all_indices(text, needle, s, e)
                  if i + len(needle) <= e)
    if not hits:
        raise GoldError(f"{where}: text not found in document: {needle!r}")
    if after is not None and occurrence is not None:
        raise GoldError(f"{where}: use either after or occurrence, not both")
    if after is not None:
        anchors = sorted(i for s, e in segments for i in _all_indices(text, after, s, e))
        if len(anchors) != 1:
            raise GoldError(f"{where}: anchor {after!r} found {len(anchors)} times in document "
                            "(need exactly 1)")
        a_end = anchors[0] + len(after)
        later = [i for i in hits if i >= a_end]
        if not later:
            raise GoldError(f"{where}: no occurrence of {needle!r} after anchor {after!r}")
        return later[0]
    if occurrence is not None:
        if not 1 <= occurrence <= len(hits):
            raise GoldError(f"{where}: occurrence {occurrence} but {len(hits)} hits for {needle!r}")
        return hits[occurrence - 1]
    if len(hits) != 1:
        raise GoldError(f"{where}: text occurs {len(hits)} times in document, add after:/occurrence: "
                        f"-> {needle!r}")
    return hits[0]


def build(ann: dict) -> tuple[list[dict], list[dict]]:
    errors: list[str] = []
    cache: dict[str, str] = {}
    docs_out: list[dict] = []
    doc_index: dict[str, dict] = {}   # id -> internal record

    for n, doc in enumerate(ann.get("documents") or []):
        did = str(doc.get("id", f"#{n}"))
        where = f"document {did}"
        try:
            unknown = set(doc) - set(DOC_KEYS)
            if unknown:
                raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
            if did in doc_index:
                raise GoldError(f"{where}: duplicate document id")
            for key, allowed in (("doc_type", DOC_TYPES), ("level", LEVELS), ("split", SPLITS)):
                if doc.get(key) not in allowed:
                    raise GoldError(f"{where}: {key}={doc.get(key)!r} not in {allowed}")
            text = _read_text(doc["source_path"], cache)
            segs = [_locate_segment(text, seg, f"{where} segment {k}")
                    for k, seg in enumerate(doc["segments"])]
            mains = [s for s in segs if s[2]] or [segs[0]]
            if len(mains) != 1:
                raise GoldError(f"{where}: more than one main segment")
            spans = [(s, e) for s, e, _ in segs]
        except (GoldError, KeyError) as exc:
            errors.append(str(exc))
            continue

        measures = []
        for m_no, m in enumerate(doc.get("measures") or []):
            mw = f"{where} measure {m_no + 1}"
            try:
                unknown = set(m) - set(MEASURE_KEYS)
                if unknown:
                    raise GoldError(f"{mw}: unknown keys {sorted(unknown)}")
                mtext = m.get("text")
                if not isinstance(mtext, str) or not mtext.strip():
                    raise GoldError(f"{mw}: empty text")
                if mtext != mtext.strip() or mtext[-1] in "，,。；;：:、！？":
                    raise GoldError(f"{mw}: text has surrounding space or trailing punctuation: {mtext!r}")
                if m.get("category") not in CATEGORIES:
                    raise GoldError(f"{mw}: bad category {m.get('category')!r}")
                if m.get("status") not in STATUSES:
                    raise GoldError(f"{mw}: bad status {m.get('status')!r}")
                bodies = list(m.get("bodies") or [])
                bad = [b for b in bodies if b not in BODIES]
                if bad or len(set(bodies)) != len(bodies):
                    raise GoldError(f"{mw}: bad or repeated bodies {bodies}")
                targets = []
                for t in m.get("targets") or []:
                    if set(t) != {"kind", "text"} or t["kind"] not in TARGET_KINDS:
                        raise GoldError(f"{mw}: bad target {t}")
                    if t["text"] not in mtext:
                        raise GoldError(f"{mw}: target text {t['text']!r} not inside measure text")
                    targets.append({"kind": t["kind"], "text": t["text"]})
                start = _locate_in_segments(text, spans, mtext, m.get("after"),
                                            m.get("occurrence"), mw)
                end = start + len(mtext)
                assert text[start:end] == mtext
                measures.append({
                    "start": start, "end": end, "text": mtext,
                    "category": m["category"], "status": m["status"],
                    "bodies": bodies, "targets": targets,
                })
            except GoldError as exc:
                errors.append(str(exc))

        measures.sort(key=lambda r: (r["start"], r["end"]))
        for a, b in zip(measures, measures[1:]):
            if b["start"] < a["end"]:
                errors.append(f"{where}: overlapping spans {a['text']!r} [{a['start']},{a['end']}) and "
                              f"{b['text']!r} [{b['start']},{b['end']})")

        main_s, main_e, _ = mains[0]
        row = {
            "doc_id": did,
            "source_path": doc["source_path"],
            "doc_start": main_s,
            "doc_end": main_e,
            "segments": [[s, e] for s, e in spans],
            "title": doc.get("title"),
            "doc_type": doc["doc_type"],
            "level": doc["level"],
            "region": doc.get("region"),
            "region_evidence": doc.get("region_evidence"),
            "issuing_body": doc.get("issuing_body"),
            "author": doc.get("author"),
            "split": doc["split"],
            "duplicate_of": doc.get("duplicate_of"),
            "warnings": list(doc.get("warnings") or []),
            "measures": measures,
        }
        docs_out.append(row)
        doc_index[did] = {"row": row, "text": text, "spans": spans}

    for row in docs_out:
        dup = row["duplicate_of"]
        if dup is not None and dup not in doc_index:
            errors.append(f"document {row['doc_id']}: duplicate_of {dup!r} is not a document id")

    pairs_out: list[dict] = []
    seen_pairs: set[tuple] = set()
    for p_no, p in enumerate(ann.get("pairs") or []):
        pw = f"pair {p_no + 1}"
        try:
            if set(p) - {"a", "b", "same", "note"} or not isinstance(p.get("same"), bool):
                raise GoldError(f"{pw}: needs a, b, same (bool), note")
            ends = []
            for side in ("a", "b"):
                ref = p[side]
                rec = doc_index.get(str(ref.get("doc")))
                if rec is None:
                    raise GoldError(f"{pw}.{side}: unknown doc {ref.get('doc')!r}")
                s = _locate_in_segments(rec["text"], rec["spans"], ref["text"], ref.get("after"),
                                        ref.get("occurrence"), f"{pw}.{side}")
                e = s + len(ref["text"])
                if not any(m["start"] == s and m["end"] == e for m in rec["row"]["measures"]):
                    raise GoldError(f"{pw}.{side}: {ref['text']!r} is not a gold measure span")
                ends.append({"source_path": rec["row"]["source_path"], "start": s, "end": e,
                             "text": ref["text"]})
            key = tuple(sorted([(ends[0]["source_path"], ends[0]["start"]),
                                (ends[1]["source_path"], ends[1]["start"])]))
            if key in seen_pairs:
                raise GoldError(f"{pw}: duplicate pair")
            seen_pairs.add(key)
            pairs_out.append({"a": ends[0], "b": ends[1], "same": p["same"],
                              "note": str(p.get("note") or "")})
        except (GoldError, KeyError, AttributeError) as exc:
            errors.append(str(exc))

    if errors:
        raise GoldError("gold build failed:\n  " + "\n  ".join(errors))
    return docs_out, pairs_out


def _dump(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with files on disk, write nothing")
    args = ap.parse_args(argv)
    with open(ANNOTATIONS, encoding="utf-8") as fh:
        ann = yaml.safe_load(fh)
    try:
        docs, pairs = build(ann)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    seeds_txt, pairs_txt = _dump(docs), _dump(pairs)
    if args.check:
        stale = [p.name for p, t in ((SEEDS_OUT, seeds_txt), (PAIRS_OUT, pairs_txt))
                 if not p.exists() or p.read_text(encoding="utf-8") != t]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("gold files up to date")
        return 0
    SEEDS_OUT.write_text(seeds_txt, encoding="utf-8", newline="\n")
    PAIRS_OUT.write_text(pairs_txt, encoding="utf-8", newline="\n")
    n_m = sum(len(d["measures"]) for d in docs)
    print(f"wrote {SEEDS_OUT.name}: {len(docs)} documents, {n_m} measures; "
          f"{PAIRS_OUT.name}: {len(pairs)} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
