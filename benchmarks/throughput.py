"""Throughput of the whole run against bare jieba, in one run of this script.

Builds corpora of the given sizes (millions of characters) from distinct documents that
recombine paragraphs of the State Council work reports and the development corpus (read
where they lie in ../shared), then times, per size:

* bare ``jieba.lcut`` over the same text, on one core;
* ``policycat run`` cold (empty analysis cache) with 1 worker and with 2;
* a warm re-run of the unchanged corpus;
* a re-run after adding one file;

with each step's wall-clock seconds (``run.json``), the rest of the wall time (process
start, imports, Prefect's server and engine) and the peak memory of the run's process
tree. The classifier is trained into the benchmark's cache once before any timing: it
is a project artefact, not part of a corpus's run.

    .venv/bin/python benchmarks/throughput.py --sizes 1 2 5 [--write]

Ratios measured in one run are the figures: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GWR = SHARED / "corpora" / "gwr" / "government_work_reports.jsonl"
DEV = SHARED / "corpora" / "dev"
RESULTS = Path(__file__).with_name("RESULTS.md")
DOC_CHARS = 20_000  # about a long 实施意见 or work report
STEPS = ("inputs", "reused", "analyse", "classify", "align", "write", "compare", "report")


def paragraphs() -> list[str]:
    found = []
    for line in GWR.read_text(encoding="utf-8").splitlines():
        if line.strip():
            found += [p.strip() for p in json.loads(line)["content"].split("\n") if len(p.strip()) >= 30]
    for path in sorted(DEV.glob("d*.txt")):
        found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) >= 30]
    return found


def build_corpus(folder: Path, chars: int, pool: list[str], seed: int) -> int:
    """Documents of about ``DOC_CHARS`` characters, each a distinct random draw of
    paragraphs, until ``chars`` characters are written. Returns the characters written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written, k = 0, 0
    while written < chars:
        body, size = [], 0
        while size < DOC_CHARS:
            p = pool[rng.randrange(len(pool))]
            body.append(p)
            size += len(p) + 1
        text = f"关于做好政协工作的实施意见（汇编第{seed}-{k}号）\n" + "\n".join(body) + "\n"
        (folder / f"doc_{seed}_{k:05d}.txt").write_text(text, encoding="utf-8")
        written += len(text)
        k += 1
    return written


def corpus_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))


def bare_jieba(text: str) -> float:
    """Seconds for ``jieba.lcut`` over ``text`` in a fresh process on one core (dictionary
    loaded before the clock starts)."""
    code = (
        "import sys, time, jieba; jieba.setLogLevel(60); jieba.initialize(); text = sys.stdin.read(); "
        "t = time.perf_counter(); jieba.lcut(text); print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def timed_run(corpus: Path, out: Path, cache: Path, workers: int) -> dict:
    """``policycat run`` as a user starts it; wall seconds, run.json's step seconds and the
    peak resident memory of the process tree (sampled every 0.2 s)."""
    import psutil

    env = {**os.environ, "POLICYCAT_CACHE": str(cache)}
    command = [str(ROOT / ".venv" / "bin" / "policycat"), "run", str(corpus), "-o", str(out), "--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    parent = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    wall = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"policycat run {corpus} failed ({process.returncode}): {stderr[-2000:]}")
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    seconds = manifest.get("seconds", {})
    return {"wall": round(wall, 2), "seconds": seconds, "rest": round(wall - sum(seconds.values()), 2), "peak_mb": round(peak / 2**20)}


def measure(size_m: float, pool: list[str], work: Path) -> dict:
    corpus = work / f"corpus_{size_m:g}M"
    chars = build_corpus(corpus, int(size_m * 1_000_000), pool, seed=int(size_m * 10))
    jieba_s = bare_jieba(corpus_text(corpus))
    cache = work / "cache"
    runs = {}
    for name, workers in (("cold_1", 1), ("cold_2", 2)):
        shutil.rmtree(cache / "analysis", ignore_errors=True)
        runs[name] = timed_run(corpus, work / f"out_{size_m:g}_{name}", cache, workers)
    runs["warm"] = timed_run(corpus, work / f"out_{size_m:g}_cold_1", cache, 1)
    build_corpus(corpus / "added", DOC_CHARS, pool, seed=999)  # one more file, in a subfolder of the corpus
    runs["one_added"] = timed_run(corpus, work / f"out_{size_m:g}_cold_1", cache, 1)
    return {"size_m": size_m, "chars": chars, "files": len(list(corpus.glob("*.txt"))), "jieba_s": round(jieba_s, 2), "runs": runs}


def machine() -> str:
    import platform

    cores = os.cpu_count()
    memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return f"{platform.processor() or platform.machine()}, {cores} cores, {memory} GB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def report(results: list[dict]) -> str:
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    lines = [
        "## Throughput: the whole run against bare jieba (`benchmarks/throughput.py`)",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; commit {commit}; machine: {machine()}",
        "- corpora: distinct documents of about 20k characters, each a random draw of paragraphs of the work reports and the development corpus",
        "- chars/s of a run = the corpus's characters / the run's wall-clock seconds; × jieba = that / bare `jieba.lcut`'s chars/s on the same text",
        "",
        "| corpus | files | jieba chars/s | run | wall s | chars/s | × jieba | of cold | peak MB | " + " | ".join(STEPS) + " | rest |",
        "|---|---|---|---|---|---|---|---|---|" + "---|" * len(STEPS) + "---|",
    ]
    for r in results:
        jieba_rate = r["chars"] / r["jieba_s"]
        cold = r["runs"]["cold_1"]["wall"]
        for name, run in r["runs"].items():
            rate = r["chars"] / run["wall"]
            steps = " | ".join(f"{run['seconds'].get(s, 0):.1f}" for s in STEPS)
            lines.append(f"| {r['size_m']:g} M ({r['chars']:,}) | {r['files']} | {jieba_rate:,.0f} | {name} | {run['wall']:.1f} | {rate:,.0f} | "
                         f"{rate / jieba_rate:.3f} | {run['wall'] / cold:.0%} | {run['peak_mb']} | {steps} | {run['rest']:.1f} |")
    if len(results) > 1:
        lines += ["", "Growth from one size to the next (cold, 1 worker):", ""]
        for a, b in zip(results, results[1:]):
            ra, rb = a["runs"]["cold_1"], b["runs"]["cold_1"]
            lines.append(f"- {a['size_m']:g} M → {b['size_m']:g} M ({b['chars'] / a['chars']:.2f}× the characters): whole run {rb['wall'] / ra['wall']:.2f}×, "
                         f"align {rb['seconds'].get('align', 0) / max(ra['seconds'].get('align', 0), 1e-9):.2f}×, "
                         f"analyse {rb['seconds'].get('analyse', 0) / max(ra['seconds'].get('analyse', 0), 1e-9):.2f}×, peak memory {rb['peak_mb'] / max(ra['peak_mb'], 1):.2f}×")
    for r in results:
        two = r["runs"]["cold_2"]["wall"]
        lines.append(f"- {r['size_m']:g} M: 2 workers {r['runs']['cold_1']['wall'] / two:.2f}× as fast as 1 (cold)")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 5], help="corpus sizes in millions of characters")
    parser.add_argument("--write", action="store_true", help=f"append the table to {RESULTS.name}")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one, removed)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="policycat-throughput-"))
    try:
        pool = paragraphs()
        warm_up = work / "warm-up"
        build_corpus(warm_up, DOC_CHARS, pool, seed=1)
        timed_run(warm_up, work / "out_warm_up", work / "cache", 1)  # trains the classifier into the cache
        results = []
        for size in args.sizes:
            results.append(measure(size, pool, work))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        text = report(results)
        print(text)
        if args.write:
            with RESULTS.open("a", encoding="utf-8") as handle:
                handle.write("\n" + text)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
