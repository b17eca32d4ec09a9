"""The link gold: which measures of a compared pair of documents one took up from the other.

Two annotation passes and an adjudication live outside the repo, because they quote
the corpus (the measures' texts); the repo keeps ``gold/links.jsonl``: per compared
pair, the two documents and, per measure of ``a`` (by its gold offsets), the decision
(taken_up / partial / left_out) and the measures of ``b`` behind it.

    python gold/links_gold.py compare PAIRS_DIR PASS_A_DIR PASS_B_DIR OUT_DIR
        agreement of the passes; OUT_DIR/PAIR.json: both passes side by side, disagreements marked
    python gold/links_gold.py build PAIRS_DIR PASS_A_DIR PASS_B_DIR ADJUDICATED_DIR
        writes gold/links.jsonl and docs/link-gold.md (agreement, and which pass each
        disagreement followed, from ADJUDICATED_DIR/decisions.tsv; no text quoted)

PAIRS_DIR holds one ``PAIR.json`` per compared pair (the documents and their gold
measures with ids and offsets, as the annotators saw them); a pass or the adjudication
is one ``PAIR.jsonl`` per pair, a line per measure of ``a``:
``{"a": ID, "decision": ..., "b": [ID, ...], "note": ...}``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLD_PATH = HERE / "links.jsonl"
LOG_PATH = ROOT / "docs" / "link-gold.md"
DECISIONS = ("taken_up", "partial", "left_out")


def read_pairs(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))}


def read_pass(folder: Path, pairs: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """Per pair, per ``a`` id, the decision; every problem is reported at once."""
    out, problems = {}, []
    for name, pair in pairs.items():
        ids_a = {m["id"] for m in pair["a"]["measures"]}
        ids_b = {m["id"] for m in pair["b"]["measures"]}
        path = Path(folder) / f"{name}.jsonl"
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        rows = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            where = f"{path}:{number}"
            if row.get("a") not in ids_a:
                problems.append(f"{where}: unknown a id {row.get('a')!r}")
            if row.get("decision") not in DECISIONS:
                problems.append(f"{where}: decision {row.get('decision')!r}")
            if set(row.get("b") or ()) - ids_b:
                problems.append(f"{where}: unknown b ids {sorted(set(row['b']) - ids_b)}")
            if (row.get("decision") == "left_out") != (not row.get("b")):
                problems.append(f"{where}: left_out goes with no b measure, the others with at least one")
            rows[row.get("a")] = row
        if set(rows) != ids_a:
            problems.append(f"{path}: decides {len(rows)} of {len(ids_a)} measures of a")
        used = Counter(b for row in rows.values() for b in row.get("b") or ())
        for b, n in used.items():
            if n > 1 and any(row["decision"] != "partial" for row in rows.values() if b in (row.get("b") or ())):
                problems.append(f"{path}: {b} takes up {n} measures of a, not all partial")
        out[name] = rows
    if problems:
        raise SystemExit("\n".join(problems))
    return out


def _links(rows: dict[str, dict]) -> set[tuple[str, str]]:
    return {(a, b) for a, row in rows.items() for b in row.get("b") or ()}


def agreement(first: dict[str, dict[str, dict]], second: dict[str, dict[str, dict]]) -> dict:
    """Decision agreement over ``a`` measures and link F1 of one pass against the other."""
    same = total = 0
    tp = n_first = n_second = 0
    for name in first:
        for a, row in first[name].items():
            total += 1
            same += row["decision"] == second[name][a]["decision"]
        l1, l2 = _links(first[name]), _links(second[name])
        tp += len(l1 & l2)
        n_first += len(l1)
        n_second += len(l2)
    precision = tp / n_first if n_first else 0.0
    recall = tp / n_second if n_second else 0.0
    return {
        "measures": total,
        "decision_agreement": round(same / total, 4) if total else 0.0,
        "link_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "links": [n_first, n_second],
    }


def compare(pairs_dir: Path, pass_a: Path, pass_b: Path, out_dir: Path) -> dict:
    pairs = read_pairs(pairs_dir)
    a, b = read_pass(pass_a, pairs), read_pass(pass_b, pairs)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, pair in pairs.items():
        texts = {m["id"]: m["text"] for side in ("a", "b") for m in pair[side]["measures"]}
        rows = []
        for m in pair["a"]["measures"]:
            ra, rb = a[name][m["id"]], b[name][m["id"]]
            rows.append({
                "a": m["id"], "text": m["text"], "agree": (ra["decision"], sorted(ra["b"])) == (rb["decision"], sorted(rb["b"])),
                "A": {**ra, "b_text": [texts[x] for x in ra["b"]]}, "B": {**rb, "b_text": [texts[x] for x in rb["b"]]},
            })
        (out_dir / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return agreement(a, b)


def build(pairs_dir: Path, pass_a: Path, pass_b: Path, adjudicated: Path) -> list[dict]:
    """``gold/links.jsonl``: offsets and labels only; and the log."""
    pairs = read_pairs(pairs_dir)
    decided = read_pass(adjudicated, pairs)
    first, second = read_pass(pass_a, pairs), read_pass(pass_b, pairs)
    _write_log(pairs, first, second, decided, Path(adjudicated) / "decisions.tsv")
    lines = []
    for name, pair in pairs.items():
        spans = {m["id"]: [m["start"], m["end"]] for side in ("a", "b") for m in pair[side]["measures"]}
        lines.append({
            "pair": name,
            "kind": pair["kind"],
            "a": {"source_path": pair["a"]["source_path"], "doc_id": pair["a"]["doc"]},
            "b": {"source_path": pair["b"]["source_path"], "doc_id": pair["b"]["doc"]},
            "measures_a": [spans[m["id"]] for m in pair["a"]["measures"]],
            "measures_b": [spans[m["id"]] for m in pair["b"]["measures"]],
            "links": [
                {"a": spans[a], "decision": row["decision"], "b": [spans[x] for x in row["b"]]}
                for a, row in ((m["id"], decided[name][m["id"]]) for m in pair["a"]["measures"])
            ],
        })
    GOLD_PATH.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return lines


def _write_log(pairs, first, second, decided, decisions_tsv: Path) -> None:
    between = agreement(first, second)
    with_a, with_b = agreement(decided, first), agreement(decided, second)
    lines = [
        "# Link gold: agreement and adjudication",
        "",
        "Two annotators linked, independently and by `docs/link-annotation-guide.md`, every measure of",
        "one document of a compared pair to the measures of the other that take it up (`taken_up`),",
        "cover part of it (`partial`) or none (`left_out`); an adjudicator decided where they differed.",
        "The passes quote the corpus and stay outside the repo; `gold/links.jsonl` keeps offsets and labels.",
        "",
        "| | decision agreement | link F1 | links |",
        "|---|---|---|---|",
        f"| pass A vs pass B | {between['decision_agreement']} | {between['link_f1']} | {between['links'][0]} / {between['links'][1]} |",
        f"| adjudicated vs pass A | {with_a['decision_agreement']} | {with_a['link_f1']} | {with_a['links'][0]} / {with_a['links'][1]} |",
        f"| adjudicated vs pass B | {with_b['decision_agreement']} | {with_b['link_f1']} | {with_b['links'][0]} / {with_b['links'][1]} |",
        "",
        "| pair | kind | measures of a | taken_up | partial | left_out |",
        "|---|---|---|---|---|---|",
    ]
    for name, pair in pairs.items():
        counts = Counter(row["decision"] for row in decided[name].values())
        lines.append(f"| {name} | {pair['kind']} | {len(decided[name])} | {counts['taken_up']} | {counts['partial']} | {counts['left_out']} |")
    if decisions_tsv.exists():
        lines += ["", "Disagreements and the pass the adjudication followed:", "", "| pair | measure of a | disagreement | outcome |", "|---|---|---|---|"]
        for row in decisions_tsv.read_text(encoding="utf-8").splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) >= 4:
                lines.append(f"| {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
    LOG_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "compare":
        print(json.dumps(compare(*map(Path, args)), ensure_ascii=False, indent=1))
    elif command == "build":
        print(f"{len(build(*map(Path, args)))} pairs written to {GOLD_PATH}")
    else:
        raise SystemExit(__doc__)
