"""One file's analysis under a time limit (``limits.yaml``): a runaway file becomes an error row.

Why a worker process: a regular expression that backtracks runs inside C code that never
returns to the interpreter, so nothing in-process can stop it. ``signal.alarm`` works only in
the main thread (Prefect runs tasks in worker threads), and a thread cannot be stopped, nor does
it give up the GIL while the regex runs. A process can be killed by the operating system at
any point. One long-lived worker, started with ``spawn`` (``fork`` is unsafe in a process
running Prefect's threads), loads the extractors' resources once and analyses file after
file; only a file that runs over its limit costs a new worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from extractors.knowledge import Schema, load_file
from extractors.types import DocumentResult, SourceText

LIMITS_PATH = Path(__file__).with_name("limits.yaml")
# a new worker imports the extractors and loads jieba and spaCy: not part of any file's time
_STARTUP_SECONDS = 600


_WARM_UP = "南通市政协关于加强政协委员履职工作的意见\n一、总体要求\n（一）各级政协要加强委员履职培训，每年开展两次专题调研。\n"


class AnalysisLimits(Schema):
    seconds_per_file: float = Field(gt=0)


@lru_cache(maxsize=2)
def load_limits(path: Path = LIMITS_PATH) -> AnalysisLimits:
    return load_file(path, AnalysisLimits)


class AnalysisTimeout(Exception):
    """A file's analysis ran over its limit; its worker was stopped."""


class WorkerDied(Exception):
    """The worker process ended while analysing a file (killed, out of memory, crashed)."""


def _work(conn, data_dir: str | None) -> None:
    # Ctrl-C is the parent's to handle: it stops this worker when it stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from extractors.documents import load_resources, process_source

    resources = load_resources(Path(data_dir) if data_dir else None)
    # jieba, spaCy and the place lookup (cpca, pandas) finish loading on first use: on this
    # text, not on a file's clock
    process_source(SourceText("warm-up", "warm-up", "txt", _WARM_UP, "utf-8", "", _WARM_UP), resources)
    conn.send(("ready", None))
    while True:
        try:
            source = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", process_source(source, resources)))
        except Exception as exc:  # noqa: BLE001 - sent back to be an error row
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            conn.send(("error", detail))


class AnalysisError(Exception):
    """The analysis raised; ``detail`` is the exception's last line, as the error row shows it."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LimitedAnalyser:
    """``process_source`` in a worker process, stopped when one file runs over ``seconds``."""

    def __init__(self, seconds: float, data_dir: str | None = None) -> None:
        self.seconds = seconds
        self.data_dir = data_dir
        self._process = None
        self._conn = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_work, args=(child, self.data_dir), name="policycat-analysis", daemon=True)
        process.start()
        child.close()
        if not parent.poll(_STARTUP_SECONDS):
            process.kill()
            raise WorkerDied(f"the analysis worker did not start within {_STARTUP_SECONDS} s")
        try:
            parent.recv()
        except EOFError as exc:
            process.join()
            raise WorkerDied(f"the analysis worker failed to start (exit code {process.exitcode})") from exc
        self._process, self._conn = process, parent

    def analyse(self, source: SourceText) -> list[DocumentResult]:
        """The file's documents; raises ``AnalysisTimeout``, ``WorkerDied`` or ``AnalysisError``."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._conn.send(source)
            if not self._conn.poll(self.seconds):
                self._stop()
                raise AnalysisTimeout(f"analysis stopped after {self.seconds:g} s, the time limit per file (pipelines/limits.yaml)")
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError) as exc:
                code = self._process.exitcode if self._process else None
                self._stop()
                raise WorkerDied(f"the analysis worker ended while reading this file (exit code {code})") from exc
        if kind == "error":
            raise AnalysisError(value)
        return value

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        with self._lock:
            self._stop()


_shared: dict[tuple[float, str | None], LimitedAnalyser] = {}
_shared_lock = threading.Lock()


def shared_analyser(seconds: float | None = None, data_dir: str | None = None) -> LimitedAnalyser:
    """One worker per process and limit, kept across batches (it dies with this process)."""
    if seconds is None:
        # POLICYCAT_LIMITS: another limits file (a test's, a slow machine's)
        seconds = load_limits(Path(os.environ.get("POLICYCAT_LIMITS", LIMITS_PATH))).seconds_per_file
    with _shared_lock:
        key = (seconds, data_dir)
        if key not in _shared:
            _shared[key] = LimitedAnalyser(seconds, data_dir)
        return _shared[key]


def analysis_failure(exc: Exception) -> str:
    """The error row's reason for a file whose analysis failed."""
    if isinstance(exc, AnalysisError):
        return f"analysis failed: {exc.detail}"
    if isinstance(exc, (AnalysisTimeout, WorkerDied)):
        return f"analysis failed: {exc}"
    return "analysis failed: " + traceback.format_exception_only(type(exc), exc)[-1].strip()


def analyse_with_limit(source: SourceText, seconds: float | None = None) -> list[DocumentResult]:
    """One file's documents, or an exception whose message is the error row's reason."""
    return shared_analyser(seconds).analyse(source)
