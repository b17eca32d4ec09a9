#!/usr/bin/env python
"""Integrity check of the generated gold files (independent of the YAML).

Checks, for gold/seeds.jsonl:
  * every measure's text == file_text[start:end] (decoded UTF-8 source text);
  * every category / status / body / target kind is in the allowed lists and
    every target text lies inside its measure text;
  * measures lie inside their document's segments and do not overlap within a
    document; documents of one file do not overlap;
  * doc_type / level / split values are allowed;
and for gold/pairs.jsonl that both ends are gold measures with the right
text.  Prints a summary; exits 1 on any problem.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_gold import (BODIES, CATEGORIES, CORPUS_DIR, DOC_TYPES, LEVELS,  # noqa: E402
                        SPLITS, STATUSES, TARGET_KINDS)


def check(seeds_path: Path = HERE / "seeds.jsonl", pairs_path: Path = HERE / "pairs.jsonl",
          verbose: bool = True) -> list[str]:
    problems: list[str] = []
    texts: dict[str, str] = {}
    gold_spans: dict[tuple[str, int, int], str] = {}
    doc_ranges: dict[str, list[tuple[int, int, str]]] = {}
    docs = [json.loads(line) for line in seeds_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for d in docs:
        did = d.get("doc_id")
        sp = d["source_path"]
        if sp not in texts:
            with open(CORPUS_DIR / sp, encoding="utf-8") as fh:
                texts[sp] = fh.read()
        t = texts[sp]
        for key, allowed in (("doc_type", DOC_TYPES), ("level", LEVELS), ("split", SPLITS)):
            if d.get(key) not in allowed:
                problems.append(f"{did}: {key}={d.get(key)!r}")
        segs = [tuple(s) for s in d.get("segments") or [[d["doc_start"], d["doc_end"]]]]
        if (d["doc_start"], d["doc_end"]) not in segs:
            problems.append(f"{did}: doc_start/doc_end is not one of its segments")
        for s, e in segs:
            if not 0 <= s < e <= len(t):
                problems.append(f"{did}: bad segment {s},{e}")
            doc_ranges.setdefault(sp, []).append((s, e, did))
        prev_end, prev_text = -1, None
        for m in sorted(d["measures"], key=lambda r: (r["start"], r["end"])):
            s, e = m["start"], m["end"]
            where = f"{did} [{s},{e})"
            if t[s:e] != m["text"]:
                problems.append(f"{where}: text mismatch {m['text']!r} vs {t[s:e]!r}")
            if not any(a <= s and e <= b for a, b in segs):
                problems.append(f"{where}: measure outside the document's segments")
            if s < prev_end:
                problems.append(f"{where}: overlaps previous measure {prev_text!r}")
            prev_end, prev_text = e, m["text"]
            if m["category"] not in CATEGORIES:
                problems.append(f"{where}: category {m['category']!r}")
            if m["status"] not in STATUSES:
                problems.append(f"{where}: status {m['status']!r}")
            for b in m["bodies"]:
                if b not in BODIES:
                    problems.append(f"{where}: body {b!r}")
            if len(set(m["bodies"])) != len(m["bodies"]):
                problems.append(f"{where}: repeated body")
            for tg in m["targets"]:
                if tg.get("kind") not in TARGET_KINDS or tg.get("text") not in m["text"]:
                    problems.append(f"{where}: bad target {tg}")
            if m["text"][-1] in "，,。；;：:、":
                problems.append(f"{where}: trailing punctuation")
            gold_spans[(sp, s, e)] = m["text"]
    for sp, ranges in doc_ranges.items():
        ranges.sort()
        for (s1, e1, d1), (s2, e2, d2) in zip(ranges, ranges[1:]):
            if s2 < e1:
                problems.append(f"{sp}: documents {d1} and {d2} overlap")
    n_pairs = 0
    if pairs_path.exists():
        for line in pairs_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            p = json.loads(line)
            n_pairs += 1
            if not isinstance(p.get("same"), bool):
                problems.append(f"pair {n_pairs}: same is not bool")
            for side in ("a", "b"):
                r = p[side]
                if gold_spans.get((r["source_path"], r["start"], r["end"])) != r["text"]:
                    problems.append(f"pair {n_pairs}.{side}: not a gold measure: {r}")

    if verbose:
        ms = [m for d in docs for m in d["measures"]]
        print(f"documents: {len(docs)}   measures: {len(ms)}   pairs: {n_pairs}")
        per_file = Counter()
        for d in docs:
            per_file[d["source_path"]] += len(d["measures"])
        for sp in sorted(per_file):
            print(f"  {sp}: {per_file[sp]}")
        for d in docs:
            print(f"  {d['doc_id']:<15} {d['split']:<8} {d['doc_type']:<8} {d['level']:<7} {len(d['measures']):>4}")
        print("by category:", dict(sorted(Counter(m['category'] for m in ms).items())))
        print("by status:  ", dict(sorted(Counter(m['status'] for m in ms).items())))
        print("problems:", len(problems))
        for p in problems:
            print("  " + p)
    return problems


if __name__ == "__main__":
    sys.exit(1 if check() else 0)
