"""Faults during ``policycat run``: kill -9, SIGINT, SIGTERM, a second run, a damaged cache.

Every test starts from a folder holding a complete earlier run of the seed corpus (the
module's first run, which also fills the analysis cache the others reuse).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from pipelines.classify import cache_dir
from run_harness import alive, children, copy_folder, manifest, moved_corpus, run, signal_group, start, state, temporaries, wait_for


def mismatches(folder: Path) -> list[str]:
    """Files ``run.json`` lists whose bytes are not what it says (none when there is no run.json)."""
    found = manifest(folder)
    if found is None:
        return []
    problems = []
    for name, entry in found["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        data = path.read_bytes()
        if (hashlib.sha256(data).hexdigest(), len(data)) != (entry["sha256"], entry["size"]):
            problems.append(f"{name}: differs")
    return problems


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """(folder of a complete run, its state, the analysis cache it filled)."""
    base = tmp_path_factory.mktemp("previous")
    out, cache = base / "out", base / "cache"
    trained = cache_dir() / "classifier"
    if trained.is_dir():  # the catalogue classifier a run trains once: taken from the user's cache
        shutil.copytree(trained, cache / "classifier")
    done = run(out, cache)
    assert done.returncode == 0, done.stderr[-2000:]
    assert manifest(out) is not None and not mismatches(out)
    found = manifest(out)
    assert set(found["files"]) >= {"catalogue.jsonl", "documents.jsonl", "catalogue.xlsx", "report.html", "comparison.xlsx"}
    assert "run.lock" not in state(out) and not temporaries(out)
    return out, state(out), cache


def test_run_kill_9_never_leaves_run_json_vouching_for_a_wrong_file(previous, tmp_path):
    """The run is frozen (SIGSTOP) whenever a file is being written: the folder is then exactly
    what a kill -9 at that moment leaves. At each freeze run.json is absent or right; the last
    freeze is a real kill -9. The next run takes the dead run's lock over and completes."""
    source, before, cache = previous
    out = copy_folder(source, tmp_path / "out")
    corpus = moved_corpus(tmp_path / "corpus")
    process = start(out, cache, corpus=corpus)
    server = []
    frozen_during = set()
    try:
        while process.poll() is None and len(frozen_during) < 6:
            server = server or children(process.pid)
            writing = temporaries(out)
            if not writing:
                time.sleep(0.002)
                continue
            process.send_signal(signal.SIGSTOP)
            try:
                assert not mismatches(out), writing
                assert manifest(out) is None or "run.json" in " ".join(writing)
                frozen_during.update(name.split(".tmp-")[0] for name in writing)
            finally:
                process.send_signal(signal.SIGCONT)
            wait_for(lambda: set(temporaries(out)) != set(writing), 30, step=0.001)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(frozen_during) >= 3, frozen_during  # it was caught writing several files
    assert not mismatches(out)
    # every output file is whole: the earlier run's bytes, or this run's complete file
    for name in ("catalogue.jsonl", "documents.jsonl", "sections.jsonl"):
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines]
        assert len(lines) == before[name].count(b"\n")
    # the Prefect server died with the run
    assert server and wait_for(lambda: not any(alive(p) for p in server), 15), server

    # a damaged cache entry is analysed again; the lock the killed run left is taken over
    entries = sorted(cache.rglob("*.json.gz"))
    assert entries
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    entries[-1].write_bytes(gzip.compress(b"{}\n[]"))
    again = run(out, cache, corpus=corpus)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "analysis failed" not in (out / "errors.jsonl").read_text(encoding="utf-8")
    assert not mismatches(out) and manifest(out) is not None
    after = state(out)
    # (comparison.jsonl names its output folder, a copy here: not compared)
    for name in ("catalogue.jsonl", "documents.jsonl", "sections.jsonl", "errors.jsonl", "catalogue.parquet"):
        assert after[name] == before[name], name
    assert set(manifest(out)["files"]) == set(manifest(source)["files"])
    assert not temporaries(out) and "run.lock" not in after


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_run_stop_signal_leaves_the_previous_outputs(previous, tmp_path, name):
    """Ctrl-C (SIGINT to the run's process group, as a terminal sends it) and SIGTERM (to the
    run alone, as ``timeout`` or a service manager sends it) before the run writes: it stops
    within seconds, says so in one line, stops its Prefect server, and the folder is as it was.
    Meanwhile a second run into the same folder is turned away."""
    source, before, cache = previous
    out = copy_folder(source, tmp_path / "out")
    # --no-cache: analysed afresh, so the run is still reading when the signal comes (with the
    # cache, the unchanged corpus would keep the earlier files within a second)
    process = start(out, cache, "--no-cache")
    try:
        assert wait_for(lambda: (out / "run.lock").is_file() and children(process.pid), 120)
        server = children(process.pid)
        second = run(out, cache, timeout=120)
        assert second.returncode == 2
        message = second.stderr.strip()
        assert len(message.splitlines()) == 1 and "Traceback" not in message, message
        assert str(out) in message and f"pid {process.pid}" in message
        time.sleep(2)
        assert not temporaries(out)
        signum = signal.SIGINT if name == "SIGINT" else signal.SIGTERM
        sent = time.monotonic()
        if name == "SIGINT":
            signal_group(process, signum)
        else:
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + signum, stderr[-2000:]
    assert took < 15, took
    lines = stderr.strip().splitlines()
    assert lines == [f"policycat: stopped by {name}; {out} is left as it was"], lines
    assert state(out) == before  # run.json included: nothing had been replaced
    assert wait_for(lambda: not any(alive(p) for p in server), 10), server


def test_run_stop_while_writing_leaves_no_half_file(previous, tmp_path):
    """SIGTERM once the run has replaced a file: no temporary file stays, no run.json, every file whole."""
    source, before, cache = previous
    out = copy_folder(source, tmp_path / "out")
    process = start(out, cache, corpus=moved_corpus(tmp_path / "corpus"))
    try:
        # documents.jsonl is in place once the catalogue is being written
        assert wait_for(lambda: any(n.startswith(".catalogue.tmp-") for n in temporaries(out)), 300, step=0.002)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 143, stderr[-2000:]
    assert stderr.strip().splitlines() == [f"policycat: stopped by SIGTERM; {out} is left with no run.json (this run had begun replacing files)"]
    assert not temporaries(out) and "run.lock" not in state(out)
    assert manifest(out) is None and not mismatches(out)
    after = state(out)
    assert set(after) == set(before) - {"run.json"}


def test_run_output_folder_errors(tmp_path):
    """``-o`` on a file, or where no folder can be made: one line, exit 2, no traceback, at once."""
    a_file = tmp_path / "catalogue.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    # root writes through permissions: a path under /proc can be made by no one
    cannot = (read_only / "out") if os.geteuid() != 0 else Path("/proc/policycat-test/out")
    for target, says in ((a_file, "is a file"), (cannot, "cannot create the folder")):
        started = time.monotonic()
        done = run(target, tmp_path / "cache", timeout=120)
        assert done.returncode == 2, done.stderr[-2000:]
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and str(target) in lines[0], lines
        assert time.monotonic() - started < 60
    assert a_file.read_text(encoding="utf-8") == "not a folder"
