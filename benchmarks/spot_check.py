"""Draw measures at random from a run's catalogue for a person to judge.

    .venv/bin/python benchmarks/spot_check.py /tmp/gwr_out --corpus /tmp/gwr_txt
    .venv/bin/python benchmarks/spot_check.py /tmp/gwr_out -n 30 --seed 20261122 --markdown

Each measure is printed with its sentence, the measure marked 【…】 in it. With
``--corpus`` (the folder the run read) the mark is placed by the measure's offsets
in the source text, and the span is checked against that text; without it the
measure is looked up in its sentence. ``--markdown`` prints a table with empty
verdict columns to fill in.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

DEFAULT_SEED = 20261122


def load_catalogue(out_dir: Path) -> list[dict]:
    path = out_dir / "catalogue.jsonl" if out_dir.is_dir() else out_dir
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def draw(rows: list[dict], n: int, seed: int) -> list[tuple[int, dict]]:
    """``n`` rows by a seeded sample of catalogue positions, shown in catalogue order."""
    picked = sorted(random.Random(seed).sample(range(len(rows)), min(n, len(rows))))
    return [(i, rows[i]) for i in picked]


def source_texts(corpus: Path | None) -> dict[str, str]:
    if corpus is None:
        return {}
    from extractors import reading

    texts = {}
    for path, root in reading.list_sources([corpus]):
        # read_sources also opens JSON Lines collections, one source a record
        items = reading.read_sources(path, root) if hasattr(reading, "read_sources") else [reading.read_source(path, root)]
        texts.update((s.source_path, s.text) for s in items if not isinstance(s, Exception))
    return texts


def marked_sentence(row: dict, texts: dict[str, str]) -> tuple[str, str]:
    """The sentence with the measure in 【】, and how the mark was placed (span | search | missing)."""
    sentence, text = row["sentence"], row["text"]
    source = texts.get(row["source_path"])
    if source is not None:
        start, end = row["span_start"], row["span_end"]
        if source[start:end] != text:
            return sentence, "SPAN MISMATCH"
        at = source.find(sentence, max(0, end - len(sentence)), start + len(sentence))
        if at >= 0:
            i = start - at
            return sentence[:i] + "【" + text + "】" + sentence[i + len(text) :], "span"
    i = sentence.find(text)
    if i < 0:
        return sentence, "missing"
    return sentence[:i] + "【" + text + "】" + sentence[i + len(text) :], "search"


def document_label(row: dict) -> str:
    year = re.search(r"(1[89]\d\d|20\d\d)", row.get("title") or "") or re.search(r"(1[89]\d\d|20\d\d)", row["source_path"])
    kind = "决议" if "决议" in (row.get("title") or "") else "报告" if "报告" in (row.get("title") or "") else row.get("doc_type") or ""
    return f"{year.group(1) if year else '?'} {kind}".strip()


def bodies_label(row: dict) -> str:
    return "、".join(f"{b['canonical']}{'' if b['explicit'] else '(推)'}" for b in row["bodies"]) or "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a run's output folder (or its catalogue.jsonl)")
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus", type=Path, help="the folder the run read, to place marks by offset")
    parser.add_argument("--markdown", action="store_true", help="a table with empty verdict columns")
    args = parser.parse_args(argv)
    rows = load_catalogue(args.run)
    texts = source_texts(args.corpus)
    sample = draw(rows, args.n, args.seed)
    print(f"{len(sample)} of {len(rows)} measures, seed {args.seed}, from {args.run}")
    if args.markdown:
        print("\n| n | document | measure | status | bodies | verdict | why |\n|---|---|---|---|---|---|---|")
    for n, (index, row) in enumerate(sample, start=1):
        sentence, how = marked_sentence(row, texts)
        if args.markdown:
            cell = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
            print(f"| {n} | {document_label(row)} | {cell(row['text'])} | {row['status']} | {bodies_label(row)} | | |")
            continue
        print(f"\n[{n}] #{index} {row['doc_id']} ({document_label(row)}) {row['span_start']}–{row['span_end']}")
        print(f"    measure:  {row['text']}")
        print(f"    action/object: {row['action']} / {row['object']}")
        print(f"    status:   {row['status']}    bodies: {bodies_label(row)}    targets: {'; '.join(t['text'] for t in row['targets']) or '–'}")
        print(f"    section:  {' › '.join(row['section_path']) or '–'}")
        print(f"    sentence ({how}): {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
