"""``policycat run`` as a user starts it: a subprocess, watched through its output folder.

Shared by the ``test_run_*`` files: a run on the seed corpus with its own analysis
cache, the state of a folder (every file's bytes), and the temporary names of files
being written, which tell a test that a run is in the middle of writing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora"
POLICYCAT = [sys.executable, "-c", "from pipelines.cli import app; app()"]
TEMPORARY_MARK = ".tmp-"


def environment(cache: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["POLICYCAT_CACHE"] = str(cache)
    env.pop("PREFECT_API_URL", None)  # the run starts its own server, as a user's does
    env["COLUMNS"] = "200"
    return env


def start(out: Path, cache: Path, *extra: str, corpus: Path = CORPUS) -> subprocess.Popen:
    """A run in a session of its own, so a test can signal it as a terminal would (its group)."""
    return subprocess.Popen(
        [*POLICYCAT, "run", str(corpus), "-o", str(out), *extra], env=environment(cache), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def run(out: Path, cache: Path, *extra: str, timeout: float = 400, corpus: Path = CORPUS) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*POLICYCAT, "run", str(corpus), "-o", str(out), *extra], env=environment(cache), cwd=ROOT,
        capture_output=True, text=True, timeout=timeout,
    )


def moved_corpus(folder: Path) -> Path:
    """The seed corpus copied elsewhere: a run from it analyses nothing again (its files' bytes
    are cached) but does not reuse a folder written from ``corpora/`` (the paths differ), so it
    writes every output, as a run after an edit does."""
    shutil.copytree(CORPUS, folder)
    return folder


def state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(".*") if TEMPORARY_MARK in p.name]


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (its main thread's children: the Prefect server)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return status != "Z"


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def manifest(folder: Path) -> dict | None:
    path = folder / "run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """What a terminal's Ctrl-C does: the signal to every process of the run's group."""
    os.killpg(process.pid, signum)


SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM}
