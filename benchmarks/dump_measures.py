"""Every measure of a corpus as JSON Lines, for checking that a speed-up changes nothing.

    python benchmarks/dump_measures.py corpora/ /work/shared/corpora/gwr -o /tmp/measures.jsonl
    diff <(before) <(after)

A ``.jsonl`` corpus of records (title, content, year) is exported to one text file a
record first, as ``benchmarks/run.py`` does. ``--reference`` uses the per-pattern body
scan instead of the combined one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from extractors.documents import load_resources, process_source
from extractors.reading import list_sources, read_source
from support import export_records, reference_body_scan

ROOT = Path(__file__).resolve().parents[1]


def corpus_folders(paths: list[Path], tmp: Path) -> list[Path]:
    folders = []
    for path in paths:
        jsonls = sorted(path.glob("*.jsonl")) if path.is_dir() else [path] if path.suffix == ".jsonl" else []
        if jsonls:
            for i, jsonl in enumerate(jsonls):
                folders.append(export_records(jsonl, Path(tempfile.mkdtemp(prefix=f"records{i}_", dir=tmp))))
        else:
            folders.append(path)
    return folders


def measure_rows(folder: Path, resources) -> list[dict]:
    rows = []
    for path, root in list_sources([folder]):
        source = read_source(path, root)
        for result in process_source(source, resources):
            for m in result.measures:
                assert source.text[m.start : m.end] == m.text, (m.doc_id, m.start, m.end)
                for b in m.bodies:
                    assert source.text[b.start : b.end] == b.mention, (m.doc_id, b.start, b.end)
                rows.append(
                    {
                        "doc_id": m.doc_id,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "status": m.status,
                        "action": m.action,
                        "object": m.object,
                        "section_path": list(m.section_path),
                        "bodies": [asdict(b) for b in m.bodies],
                        "targets": [asdict(t) for t in m.targets],
                        "initiatives": list(m.initiatives),
                        "measure_id": m.measure_id,
                    }
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--reference", action="store_true", help="per-pattern body scan (the old path)")
    args = parser.parse_args(argv)
    resources = load_resources()
    count = 0
    scan = reference_body_scan() if args.reference else contextlib.nullcontext()
    with scan, tempfile.TemporaryDirectory() as tmp, args.output.open("w", encoding="utf-8") as out:
        for folder in corpus_folders(args.paths, Path(tmp)):
            for row in measure_rows(folder, resources):
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    print(f"{count} measures → {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
