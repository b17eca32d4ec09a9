"""The development corpus's gold standard: two annotation passes, their agreement,
the adjudication, and ``gold/dev.jsonl``.

The passes and the adjudication name measures by their exact text (never by typed
offsets) and live outside the repo, because they quote the shared corpus; what the
repo keeps is offsets and labels (``dev.jsonl``), the agreement figures and the
adjudication log (``docs/dev-gold.md``), which quote no text.

    python gold/dev_gold.py compare PASS_A_DIR PASS_B_DIR OUT_DIR
        agreement of the passes; OUT_DIR/dNNN.json: both passes side by side, for adjudication
    python gold/dev_gold.py build PASS_A_DIR PASS_B_DIR ADJUDICATED_DIR
        writes gold/dev.jsonl and docs/dev-gold.md
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV = ROOT.parent / "shared" / "corpora" / "dev"
DEV_RELATIVE = "../shared/corpora/dev"
GOLD_PATH = HERE / "dev.jsonl"
LOG_PATH = ROOT / "docs" / "dev-gold.md"

sys.path.insert(0, str(ROOT))
from models.scoring import Span, match_spans, prf  # noqa: E402

# Places that are never trained or tuned on: whole provinces, so that no page of the
# test part shares a region (and its house style) with a training page.
TEST_PROVINCES_TARGET = 45  # documents, at least 40


def read_pass(folder: Path) -> dict[str, dict]:
    docs = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                docs[row["id"]] = row
    return docs


def locate(text: str, measure: dict, where: str) -> tuple[int, int]:
    t = measure["text"]
    pos = -1
    for _ in range(measure.get("occurrence") or 1):
        pos = text.find(t, pos + 1)
        if pos < 0:
            raise ValueError(f"{where}: text not found: {t}")
    return pos, pos + len(t)


def spans_of(doc_id: str, row: dict, text: str) -> list[dict]:
    out = []
    for m in row.get("measures", []):
        start, end = locate(text, m, doc_id)
        targets = []
        for g in m.get("targets", []):
            at = text.find(g["text"], start, end)
            if at >= 0:
                targets.append({"kind": g["kind"], "start": at, "end": at + len(g["text"])})
        out.append({"start": start, "end": end, "category": m["category"], "status": m["status"], "bodies": sorted(set(m.get("bodies", []))), "targets": targets})
    out.sort(key=lambda m: (m["start"], m["end"]))
    return out


def as_spans(doc_id: str, measures: list[dict]) -> list[Span]:
    return [Span(doc_id, m["start"], m["end"], "", m["status"], frozenset(m["bodies"]), m["category"]) for m in measures]


def agreement(a: dict[str, list[dict]], b: dict[str, list[dict]]) -> dict:
    tp = n_a = n_b = status = category = 0
    body_tp = body_a = body_b = 0
    for doc_id in sorted(a):
        sa, sb = as_spans(doc_id, a[doc_id]), as_spans(doc_id, b.get(doc_id, []))
        pairs = match_spans(sa, sb)
        tp += len(pairs)
        n_a += len(sa)
        n_b += len(sb)
        for i, j in pairs:
            status += sa[i].status == sb[j].status
            category += sa[i].category == sb[j].category
            body_tp += len(sa[i].bodies & sb[j].bodies)
            body_a += len(sa[i].bodies)
            body_b += len(sb[j].bodies)
    # pass A plays gold, pass B the prediction (F1 is symmetric)
    return {
        "measures_a": n_a,
        "measures_b": n_b,
        "matched": tp,
        "measure_f1": round(prf(tp, n_b, n_a).f1, 4),
        "status_agreement": round(status / tp, 4) if tp else None,
        "category_agreement": round(category / tp, 4) if tp else None,
        "bodies_f1": round(prf(body_tp, body_b, body_a).f1, 4),
    }


def load_index() -> dict[str, dict]:
    with open(DEV / "index.tsv", encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


def choose_test_provinces(index: dict[str, dict]) -> set[str]:
    """Whole provinces for the test part, about a third of the documents: taken in
    a fixed pseudo-random order of province names until the target is reached."""
    sizes = Counter(row["province"] for row in index.values())
    order = sorted(sizes, key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    chosen, total = set(), 0
    for province in order:
        if total >= TEST_PROVINCES_TARGET:
            break
        chosen.add(province)
        total += sizes[province]
    return chosen


def genre_of(meta: dict) -> str:
    """The corpus index's finer genre (`genre:rules(条例);` → rules), else its doc_type."""
    notes = meta["notes"]
    if notes.startswith("genre:"):
        return notes.split(";")[0].split(":", 1)[1].split("(")[0].strip()
    return meta["doc_type"]


def compare(pass_a: Path, pass_b: Path, out_dir: Path | None) -> dict:
    """Agreement of the passes; with ``out_dir``, both passes side by side per page there."""
    a_rows, b_rows = read_pass(pass_a), read_pass(pass_b)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    a, b = {}, {}
    for doc_id in sorted(a_rows):
        text = (DEV / f"{doc_id}.txt").read_text(encoding="utf-8")
        a[doc_id] = spans_of(doc_id, a_rows[doc_id], text)
        b[doc_id] = spans_of(doc_id, b_rows.get(doc_id, {}), text)
        sa, sb = as_spans(doc_id, a[doc_id]), as_spans(doc_id, b[doc_id])
        pairs = dict(match_spans(sa, sb))
        side = {
            "id": doc_id,
            "A": {k: a_rows[doc_id].get(k) for k in ("title", "doc_type", "level")},
            "B": {k: b_rows.get(doc_id, {}).get(k) for k in ("title", "doc_type", "level")},
            "A_measures": [dict(m, item=f"A{i + 1}", text=text[m["start"] : m["end"]], matches=f"B{pairs[i] + 1}" if i in pairs else None) for i, m in enumerate(a[doc_id])],
            "B_measures": [dict(m, item=f"B{j + 1}", text=text[m["start"] : m["end"]]) for j, m in enumerate(b[doc_id])],
        }
        if out_dir is not None:
            (out_dir / f"{doc_id}.json").write_text(json.dumps(side, ensure_ascii=False, indent=1), encoding="utf-8")
    doc_type = sum(a_rows[d].get("doc_type") == b_rows.get(d, {}).get("doc_type") for d in a_rows) / len(a_rows)
    level = sum(a_rows[d].get("level") == b_rows.get(d, {}).get("level") for d in a_rows) / len(a_rows)
    return {**agreement(a, b), "documents": len(a_rows), "doc_type_agreement": round(doc_type, 4), "level_agreement": round(level, 4)}


def build(pass_a: Path, pass_b: Path, adjudicated: Path) -> None:
    index = load_index()
    test_provinces = choose_test_provinces(index)
    agree = compare(pass_a, pass_b, None)
    final = read_pass(adjudicated)
    missing = sorted(set(index) - set(final))
    if missing:
        raise SystemExit(f"adjudication lacks documents: {', '.join(missing)}")
    a_rows, b_rows = read_pass(pass_a), read_pass(pass_b)
    lines, log, per_kind, final_spans, a_spans, b_spans = [], [], Counter(), {}, {}, {}
    for doc_id in sorted(index):
        path = DEV / f"{doc_id}.txt"
        data = path.read_bytes()
        text = data.decode("utf-8")
        row = final[doc_id]
        measures = spans_of(doc_id, row, text)
        for x, y in zip(measures, measures[1:]):
            if y["start"] < x["end"]:
                raise SystemExit(f"{doc_id}: adjudicated measures overlap at {y['start']}")
        final_spans[doc_id] = measures
        a_spans[doc_id] = spans_of(doc_id, a_rows[doc_id], text)
        b_spans[doc_id] = spans_of(doc_id, b_rows[doc_id], text)
        meta = index[doc_id]
        title = row.get("title")
        title_at = text.find(title) if title else -1
        lines.append(
            {
                "doc_id": doc_id,
                "source_path": f"{doc_id}.txt",
                "file": f"{DEV_RELATIVE}/{doc_id}.txt",
                "sha256": hashlib.sha256(data).hexdigest(),
                "doc_start": 0,
                "doc_end": len(text),
                "title_span": [title_at, title_at + len(title)] if title_at >= 0 else None,
                "doc_type": row["doc_type"],
                "level": row["level"],
                "genre": genre_of(meta),
                "province": meta["province"],
                "place": meta["place"],
                "group": meta["province"],
                "split": "test" if meta["province"] in test_provinces else "train",
                "measures": measures,
            }
        )
        for key in ("doc_type", "level"):
            # The corpus index was written from the whole page (its URL, full title and
            # text), the annotators saw only its opening: where they differ the index
            # decides, by its own conventions (a municipality's own bodies are city level).
            if meta[key] != lines[-1][key]:
                row.setdefault("decisions", []).append(
                    {"items": [], "kind": key, "decision": f"{lines[-1][key]} -> {meta[key]}", "reason": "corpus index (made from the whole page) decides document labels"}
                )
                lines[-1][key] = meta[key]
        for decision in row.get("decisions", []):
            per_kind[decision.get("kind", "other")] += 1
            log.append(f"| {doc_id} | {', '.join(decision.get('items', []))} | {decision.get('kind', '')} | {decision.get('decision', '')} | {decision.get('reason', '')} |")
    with GOLD_PATH.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    vs_a, vs_b = agreement(final_spans, a_spans), agreement(final_spans, b_spans)
    test = [l for l in lines if l["split"] == "test"]
    write_log(agree, vs_a, vs_b, per_kind, log, lines, test, test_provinces)


def write_log(agree, vs_a, vs_b, per_kind, log, lines, test, test_provinces) -> None:
    def row(name, d):
        return f"| {name} | {d['measure_f1']} | {d['status_agreement']} | {d['category_agreement']} | {d['bodies_f1']} |"

    genres = Counter(l["genre"] for l in lines)
    text = [
        "# Development corpus gold: agreement and adjudication",
        "",
        "`gold/dev.jsonl` annotates all 150 pages of `../shared/corpora/dev/` by",
        "`catalogue-spec.md`: offsets and labels only, the text is read from the shared file",
        "(each line carries its sha256; loading fails if the file changed). Built by",
        "`gold/dev_gold.py` from two independent annotation passes (each annotator had",
        "the spec and the texts, nothing else) and an adjudication pass that saw both and the",
        "spec, and recorded each disagreement with its decision. The passes quote the corpus and",
        "are kept outside the repo.",
        "",
        "## Agreement of the two passes (the ceiling any model here is held to)",
        "",
        "Measures matched by the spec's rule (overlap of at least half the shorter span).",
        "",
        "| | measure F1 | status agreement | class agreement | bodies F1 |",
        "|---|---|---|---|---|",
        row("pass A vs pass B", agree),
        row("adjudicated vs pass A", vs_a),
        row("adjudicated vs pass B", vs_b),
        "",
        f"Measures: pass A {agree['measures_a']}, pass B {agree['measures_b']}, matched {agree['matched']}; adjudicated "
        f"{sum(len(l['measures']) for l in lines)}. doc_type agreement {agree['doc_type_agreement']}, level agreement {agree['level_agreement']}.",
        "",
        "## Split",
        "",
        f"By province, never by page: `test` = every page of {', '.join(sorted(test_provinces))} "
        f"({len(test)} pages, {sum(len(l['measures']) for l in test)} measures); `train` = the other "
        f"{len(lines) - len(test)} pages. Nothing is tuned on `test`; settings are chosen by cross-validation "
        "over `train` grouped by province.",
        "",
        "Genres (finer genre from the corpus index): " + ", ".join(f"{g} {n}" for g, n in genres.most_common()) + ".",
        "",
        "## Adjudication log",
        "",
        "Decisions by kind: " + ", ".join(f"{k} {n}" for k, n in per_kind.most_common()) + ".",
        "Items are the passes' measures in file order (`A3` = pass A's third measure of that page).",
        "",
        "| page | items | kind | decision | reason |",
        "|---|---|---|---|---|",
        *log,
        "",
    ]
    LOG_PATH.write_text("\n".join(text), encoding="utf-8")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "compare" and len(sys.argv) == 5:
        print(json.dumps(compare(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])), ensure_ascii=False, indent=1))
    elif command == "build" and len(sys.argv) == 5:
        build(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
