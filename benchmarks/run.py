"""Speed of each stage on the seeds and on the long government-work-report corpus.

Ratios measured in one run (the machines are shared and noisy): compare stages
with each other, not absolute seconds across runs. Results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from extractors.documents import load_resources, process_source
from extractors.reading import list_sources, read_source

ROOT = Path(__file__).resolve().parents[1]
GWR = ROOT.parent / "shared" / "corpora" / "gwr" / "government_work_reports.jsonl"


def export_gwr(folder: Path) -> Path:
    """The JSON Lines corpus as one text file a report, so the flow can read it."""
    for line in GWR.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        (folder / f"gwr_{row['year']}.txt").write_text(row["title"] + "\n" + row["content"], encoding="utf-8")
    return folder


def time_corpus(name: str, folder: Path) -> dict:
    files = list_sources([folder])
    started = time.perf_counter()
    sources = [read_source(path, root) for path, root in files]
    read_s = time.perf_counter() - started
    chars = sum(len(s.text) for s in sources)
    timings = {"corpus": name, "files": len(files), "chars": chars, "read_s": read_s}
    for label, resources in (("segment_s", BASE), ("extract_s", FULL)):
        started = time.perf_counter()
        documents = measures = 0
        for source in sources:
            results = process_source(source, resources)
            documents += len(results)
            measures += sum(len(r.measures) for r in results)
        timings[label] = time.perf_counter() - started
        timings["documents"], timings["measures"] = documents, measures
    return timings


if __name__ == "__main__":
    started = time.perf_counter()
    BASE = load_resources(measures=False)
    FULL = load_resources()
    load_s = time.perf_counter() - started
    rows = [time_corpus("seeds", ROOT / "corpora")]
    if GWR.exists():
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(time_corpus("gwr 1954–2025", export_gwr(Path(tmp))))
    lines = [f"resource load (dictionaries, spaCy pipeline): {load_s:.1f} s", "",
             "| corpus | files | chars | documents | measures | read chars/s | segment chars/s | full extraction chars/s | extraction ÷ segmentation time |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['files']} | {r['chars']:,} | {r['documents']} | {r['measures']} | "
            f"{r['chars'] / r['read_s']:,.0f} | {r['chars'] / r['segment_s']:,.0f} | {r['chars'] / r['extract_s']:,.0f} | "
            f"{r['extract_s'] / r['segment_s']:.1f}× |"
        )
    print("\n".join(lines))
    if "--write" in sys.argv:
        (ROOT / "benchmarks" / "RESULTS.md").write_text("# Benchmark results\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
