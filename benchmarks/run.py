"""Speed of each stage on the seeds and on the long government-work-report corpus.

    .venv/bin/python benchmarks/run.py            # print the tables
    .venv/bin/python benchmarks/run.py --write    # also write benchmarks/RESULTS.md
    options: --no-flow (skip the Prefect runs), --repeat N (best of N for extraction, default 3)

Ratios measured in one run (the machines are shared and noisy): compare stages
with each other, not absolute seconds across runs. Measure extraction is timed twice
in the same process: with the body-pattern prefilter and with the reference scan
that runs every body pattern on every text (the path before the prefilter).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from support import GWR, export_records, reference_body_scan

from extractors.documents import load_resources, process_source
from extractors.reading import list_sources, read_source

ROOT = Path(__file__).resolve().parents[1]
# the figure that started the work on body detection, and its re-measurement before the change
EARLIER = (
    "32k chars/s wall-clock for the whole `process_source` on the GWR corpus, the figure in issue 3 (before the "
    "body-pattern prefilter); re-measured 2026-11-22 on this machine with the old path: 32–36k chars/s wall-clock"
)


def clock(fn, *args, **kwargs):
    """Value and wall-clock seconds."""
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def cpu_clock(fn, *args, **kwargs):
    """Value and CPU seconds of this process: steadier than wall time on a shared
    machine, and the same thing for single-threaded extraction on an idle one."""
    started = time.process_time()
    value = fn(*args, **kwargs)
    return value, time.process_time() - started


def both_clocks(fn, *args, **kwargs):
    """Value and (wall, CPU) seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - wall, time.process_time() - cpu)


def analyse(sources, resources) -> tuple[int, int]:
    documents = measures = 0
    for source in sources:
        results = process_source(source, resources)
        documents += len(results)
        measures += sum(len(r.measures) for r in results)
    return documents, measures


def time_extraction(name: str, folder: Path, base, full, repeat: int) -> dict:
    files = list_sources([folder])
    sources, read_s = cpu_clock(lambda: [read_source(path, root) for path, root in files])
    chars = sum(len(s.text) for s in sources)
    analyse(sources[:1], full)  # lazy loads (opencc, first spaCy call) out of the timings
    row = {"corpus": name, "files": len(files), "chars": chars, "read_s": read_s}
    (row["documents"], _), row["segment_s"] = cpu_clock(analyse, sources, base)
    fast, reference = [], []
    for _ in range(repeat):  # alternated, so that load from other processes hits both alike
        with reference_body_scan():
            (_, old_measures), seconds = cpu_clock(analyse, sources, full)
        reference.append(seconds)
        (_, row["measures"]), seconds = cpu_clock(analyse, sources, full)
        fast.append(seconds)
        if old_measures != row["measures"]:
            raise SystemExit(f"{name}: {old_measures} measures with the reference scan, {row['measures']} with the prefilter")
    row["extract_s"], row["extract_old_s"] = min(fast), min(reference)
    row["extract_all"], row["extract_old_all"] = fast, reference
    return row


def time_flow_stages(folder: Path, out_dir: Path) -> dict:
    """The flow's steps called as plain functions (``task.fn``): where the time goes."""
    from pipelines import flow

    files = list_sources([folder])
    flow.shared_resources()  # loaded once per process in a run too; timed under "Resource load"
    stages = {}
    batch, stages["analyse"] = both_clocks(flow.analyse_files, files, max_bytes=flow.DEFAULT_MAX_BYTES, cache_dir=None, fingerprint="")
    rows = flow.catalogue_rows(batch)
    (measures, _), stages["classify"] = both_clocks(flow.classify_catalogue.fn, rows, None)
    measures, stages["align"] = both_clocks(flow.align_catalogue.fn, measures)
    _, stages["write"] = both_clocks(flow.write_outputs.fn, str(out_dir), batch, measures)
    _, stages["compare"] = both_clocks(flow.compare_outputs.fn, str(out_dir), [str(folder)])
    return stages


def time_prefect_startup() -> tuple[float, float]:
    """First trivial flow run (starts the temporary local server) and a second one."""
    import pipelines  # noqa: F401 - sets PREFECT_HOME and the quiet, offline settings first
    from prefect import flow

    @flow(name="benchmark-empty")
    def empty() -> int:
        return 1

    _, first = clock(empty)
    _, second = clock(empty)
    return first, second


def time_flow(folder: Path, out_dir: Path) -> tuple[float, dict]:
    from pipelines.flow import catalogue_flow

    summary, seconds = clock(catalogue_flow, [str(folder)], str(out_dir), use_cache=False, show_progress=False)
    return seconds, summary


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 2**20 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), None)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("spacy", "jieba", "prefect", "scikit-learn"))
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "machine": f"{cpu}, {os.cpu_count()} cores, {mem} GB RAM, {platform.system()} {platform.release()}",
        "python": f"Python {platform.python_version()}; {versions}",
    }


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "–"


def report(info: dict, load: dict, rows: list[dict], stages: dict, flows: list[dict], startup: tuple[float, float] | None) -> str:
    out = [
        f"- date: {info['date']}",
        f"- commit: {info['commit']}",
        f"- machine: {info['machine']}",
        f"- software: {info['python']}",
        f"- command: `.venv/bin/python benchmarks/run.py {' '.join(sys.argv[1:])}`",
        f"- earlier measurement: {EARLIER}",
        "",
        f"Resource load: {load['base']:.1f} s without the measure extractor, {load['full']:.1f} s with it (jieba dictionaries, spaCy pipeline, lexicons).",
        "",
        "## Extraction (plain functions, no Prefect)",
        "",
        "chars/s and docs/s per stage by CPU time of the process (best of "
        f"{len(rows[0]['extract_all'])} for measure extraction, reference and prefilter runs alternated); "
        "every stage from the decoded text (reading is separate).",
        "",
        "| corpus | files | chars | docs | measures | read chars/s | read docs/s | segmentation chars/s | segmentation docs/s | measures, reference body scan chars/s | measures, prefilter chars/s | measures docs/s | prefilter speed-up | extraction ÷ segmentation time |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['corpus']} | {r['files']} | {r['chars']:,} | {r['documents']} | {r['measures']:,} | "
            f"{rate(r['chars'], r['read_s'])} | {rate(r['files'], r['read_s'])} | "
            f"{rate(r['chars'], r['segment_s'])} | {rate(r['documents'], r['segment_s'])} | "
            f"{rate(r['chars'], r['extract_old_s'])} | {rate(r['chars'], r['extract_s'])} | {rate(r['documents'], r['extract_s'])} | "
            f"{r['extract_old_s'] / r['extract_s']:.2f}× | {r['extract_s'] / r['segment_s']:.1f}× |"
        )
    out += [
        "",
        "Segmentation = noise masks, document splitting, metadata, sections, sentences (`load_resources(measures=False)`).",
        "Measure extraction = segmentation plus the spaCy/jieba measure pipeline (bodies, clauses, status, targets).",
        "Reference body scan = every body pattern on every text (the path before the prefilter); same measures, checked in the run.",
        "",
        "Every extraction run, CPU seconds reference / prefilter (ratio): "
        + "; ".join(
            f"{r['corpus']}: " + ", ".join(f"{a:.1f}/{b:.1f} ({a / b:.2f}×)" for a, b in zip(r["extract_old_all"], r["extract_all"])) for r in rows
        ),
    ]
    if stages:
        out += ["", "## The flow's steps as plain functions (`task.fn`), GWR corpus", "",
                "| step | wall s | CPU s | share of CPU |", "|---|---|---|---|"]
        wall, cpu = (sum(v[i] for v in stages.values()) for i in (0, 1))
        out += [f"| {name} | {w:.1f} | {c:.1f} | {c / cpu:.0%} |" for name, (w, c) in stages.items()]
        out.append(f"| total | {wall:.1f} | {cpu:.1f} | |")
    if startup:
        out += [
            "",
            "## Whole flow through Prefect (in-process, temporary local server, no cache), wall-clock",
            "",
            f"Prefect start-up: first empty flow run {startup[0]:.1f} s, second {startup[1]:.1f} s; "
            f"start-up ≈ {startup[0] - startup[1]:.1f} s, paid once per process.",
            "",
            "| corpus | files | chars | docs | measures | seconds | chars/s | docs/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for f in flows:
            out.append(
                f"| {f['corpus']} | {f['files_read']} | {f['chars']:,} | {f['documents']} | {f['measures']:,} | {f['seconds']:.1f} | "
                f"{rate(f['chars'], f['seconds'])} | {rate(f['documents'], f['seconds'])} |"
            )
        out.append("")
        out.append("The whole flow adds classification, alignment (cluster ids), comparison and the output files to extraction.")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed of each stage; --write records benchmarks/RESULTS.md.")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--no-flow", action="store_true", help="skip the Prefect flow and its steps")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for measure extraction")
    args = parser.parse_args()
    info = machine()
    base, load_base = clock(load_resources, measures=False)
    full, load_full = clock(load_resources)
    load = {"base": load_base, "full": load_full}
    corpora = [("seeds", ROOT / "corpora")]
    stages, flows, startup = {}, [], None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if GWR.exists():
            corpora.append(("gwr 1954–2025", export_records(GWR, tmp / "gwr")))
        rows = [time_extraction(name, folder, base, full, args.repeat) for name, folder in corpora]
        failures = []
        if not args.no_flow:
            try:  # a failing later stage must not lose the extraction timings
                if GWR.exists():
                    stages = time_flow_stages(tmp / "gwr", tmp / "stages")
                startup = time_prefect_startup()
                for (name, folder), row in zip(corpora, rows):
                    seconds, summary = time_flow(folder, tmp / f"flow-{len(flows)}")
                    flows.append({"corpus": name, "chars": row["chars"], "seconds": seconds, **summary})
            except Exception as exc:  # noqa: BLE001 - reported in the results
                failures.append(f"flow benchmark stopped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    text = report(info, load, rows, stages, flows, startup)
    if failures:
        text += "\n\n" + "\n".join(f"**{f}**" for f in failures)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "RESULTS.md").write_text("# Benchmark results\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
