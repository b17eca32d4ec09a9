"""One run at a time per output folder, and a manifest that says when the folder is whole.

A run takes ``run.lock`` (an ``flock`` the kernel drops when the process dies, so a
lock left by a killed run is simply taken over), removes the earlier ``run.json``,
writes every file through ``outputs.atomic_path``, removes what an earlier run wrote
and this one did not, and writes ``run.json`` last: the files with sha256 and size,
the counts, the corpus fingerprint, the version, when it started and finished. A
reader trusts the folder only when ``run.json`` is there and its hashes match.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from pipelines import outputs

MANIFEST = "run.json"
LOCK = "run.lock"
MANIFEST_FORMAT = "policycat-run"
# what a run writes at the top of the folder; with texts/ and charts/ the files a later
# run may remove when it no longer writes them (never anything else in the folder)
OWN_FILES = (
    "documents.jsonl", "sections.jsonl", "catalogue.jsonl", "catalogue.parquet", "errors.jsonl",
    "comparison.jsonl", "comparison.xlsx", "catalogue.xlsx", "report.docx", "report.html", "report.md",
)
OWN_FOLDERS = ("texts", "charts", "documents")
COUNTS = ("files_read", "documents", "split_files", "duplicates", "measures", "needs_review", "corrected", "failed")


class OutputFolderError(Exception):
    """The output folder cannot be used; the message is one line for the user."""


class FolderBusy(OutputFolderError):
    pass


@dataclass
class RunFolder:
    path: Path
    lock_fd: int
    started: str
    previous_manifest: bytes | None
    previous_files: set[str]
    journal_start: int
    finished: bool = False
    depth: int = 1
    extra: dict = field(default_factory=dict)

    def written(self) -> list[str]:
        """Files this run published into the folder (relative, POSIX), in order, once each."""
        root = self.path.resolve()
        seen: dict[str, None] = {}
        for path in outputs.PUBLISHED[self.journal_start :]:
            try:
                relative = Path(path).resolve().relative_to(root).as_posix()
            except ValueError:
                continue  # the cache, or another folder
            if relative not in (MANIFEST, LOCK):
                seen[relative] = None
        return list(seen)

    def reuse(self, inputs: str) -> dict | None:
        """The earlier run's summary when it ran on exactly ``inputs`` (``run_inputs``), every
        step succeeded and its files are still what its manifest lists; its files then count
        as this run's. None otherwise: the run computes everything."""
        try:
            manifest = json.loads(self.previous_manifest or b"null")
        except ValueError:
            return None
        if not isinstance(manifest, dict) or manifest.get("inputs") != inputs or not isinstance(manifest.get("summary"), dict):
            return None
        if any(state != "ok" for state in (manifest.get("steps") or {}).values()):
            return None  # a failed step may have been the machine's (a missing tool): try again
        files = manifest.get("files") or {}
        try:
            if any(file_entry(self.path / name) != entry for name, entry in files.items()):
                return None
        except OSError:
            return None
        outputs.PUBLISHED.extend(self.path / name for name in files)
        self.extra["reused"] = manifest.get("finished")
        return dict(manifest["summary"])

    def finish(self, summary: Mapping, corpus: Mapping, inputs: str | None = None) -> Path:
        """Remove an earlier run's leftovers, then write ``run.json``: the run is complete.
        ``inputs``: the run's digest, so that a run on the same inputs can reuse the files."""
        written = self.written()
        for stale in sorted(self._own_files() - set(written)):
            (self.path / stale).unlink(missing_ok=True)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": package_version(),
            "started": self.started,
            "finished": _now(),
            "out_dir": str(self.path),
            "corpus": dict(corpus),
            "counts": {k: summary[k] for k in COUNTS if k in summary},
            "steps": {step: ("failed" if (summary.get(step) or {}).get("error") else "ok") for step in ("comparison", "reports")},
            "seconds": dict(summary.get("seconds") or {}),  # wall-clock per step of this run
            "files": {name: file_entry(self.path / name) for name in sorted(written)},
            "inputs": inputs,
            "summary": {k: v for k, v in summary.items() if k not in ("manifest", "seconds")},
        }
        if self.extra.get("reused"):
            manifest["reused_from"] = self.extra["reused"]  # the files are that run's, unchanged
        with outputs.atomic_write(self.path / MANIFEST, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        self.finished = True
        return self.path / MANIFEST

    def amend(self, step: str) -> Path | None:
        """A standalone ``policycat compare`` or ``report`` rewrote files of a finished run: the
        earlier ``run.json`` comes back with those files' entries renewed, so it still vouches
        for the folder. Without an earlier manifest there is no complete run to amend."""
        if self.previous_manifest is None:
            return None
        manifest = json.loads(self.previous_manifest)
        files = manifest.get("files", {})
        for name in self.written():
            files[name] = file_entry(self.path / name)
        manifest["files"] = dict(sorted(files.items()))
        manifest.setdefault("amended", []).append({"step": step, "finished": _now()})
        with outputs.atomic_write(self.path / MANIFEST, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        self.finished = True
        return self.path / MANIFEST

    def _own_files(self) -> set[str]:
        found = {name for name in OWN_FILES if (self.path / name).is_file()}
        for folder in OWN_FOLDERS:
            if (self.path / folder).is_dir():
                found |= {p.relative_to(self.path).as_posix() for p in (self.path / folder).rglob("*") if p.is_file()}
        return found | {name for name in self.previous_files if (self.path / name).is_file()}


def file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return {"sha256": digest.hexdigest(), "size": size}


def corpus_fingerprint(files: Iterable[tuple[Path, Path]], paths: Iterable[str]) -> dict:
    """What went in: every listed file by its path under its root and the sha256 of its bytes."""
    digest = hashlib.sha256()
    count = 0
    for path, root in sorted(files, key=lambda f: (str(f[1]), str(f[0]))):
        try:
            name = Path(path).relative_to(root).as_posix()
        except ValueError:
            name = Path(path).name
        try:
            content = file_entry(Path(path))["sha256"]
        except OSError:
            content = "unreadable"
        digest.update(f"{name}\t{content}\n".encode("utf-8", "surrogateescape"))
        count += 1
    return {"paths": [str(p) for p in paths], "files": count, "sha256": digest.hexdigest()}


def verify(out_dir: Path) -> list[str]:
    """What does not match ``run.json`` (empty: the folder is what the manifest says)."""
    out_dir = Path(out_dir)
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST}: {exc}"]
    problems = []
    for name, expected in manifest.get("files", {}).items():
        try:
            found = file_entry(out_dir / name)
        except OSError as exc:
            problems.append(f"{name}: {exc}")
            continue
        if found != expected:
            problems.append(f"{name}: sha256/size differ from {MANIFEST}")
    return problems


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policycat")
    except PackageNotFoundError:
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- the lock and the folder -----------------------------------------------------------

_held: dict[Path, RunFolder] = {}


@contextmanager
def run_folder(out_dir: str | Path) -> Iterator[RunFolder]:
    """The output folder, locked for this run. Re-entrant within a process (the command line
    opens it before the flow does). On leaving without ``finish``, an earlier ``run.json``
    comes back if this run published nothing: the folder is then exactly as it was."""
    path = Path(out_dir)
    key = path.resolve()
    if key in _held:
        folder = _held[key]
        folder.depth += 1
        try:
            yield folder
        finally:
            folder.depth -= 1
        return
    folder = _open(path)
    _held[key] = folder
    try:
        yield folder
    finally:
        del _held[key]
        try:
            if not folder.finished and folder.previous_manifest is not None and not folder.written():
                with outputs.atomic_write(path / MANIFEST, "wb") as handle:
                    handle.write(folder.previous_manifest)
        finally:
            _release(path, folder.lock_fd)


def _open(path: Path) -> RunFolder:
    if path.exists() and not path.is_dir():
        raise OutputFolderError(f"-o {path}: is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFolderError(f"-o {path}: cannot create the folder ({exc.strerror or exc})") from None
    fd = _lock(path)
    try:
        manifest = path / MANIFEST
        previous = manifest.read_bytes() if manifest.is_file() else None
        previous_files: set[str] = set()
        if previous is not None:
            try:
                previous_files = set(json.loads(previous).get("files") or {})
            except (ValueError, AttributeError):
                pass
            # from here until the new manifest, nothing vouches for the folder
            manifest.unlink()
        _remove_temporaries(path)
        return RunFolder(path, fd, _now(), previous, previous_files, len(outputs.PUBLISHED))
    except OSError as exc:
        _release(path, fd)
        raise OutputFolderError(f"-o {path}: cannot write into the folder ({exc.strerror or exc})") from None
    except BaseException:
        _release(path, fd)
        raise


def _lock(path: Path) -> int:
    lock_path = path / LOCK
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputFolderError(f"-o {path}: cannot write into the folder ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise FolderBusy(f"-o {path}: another policycat run is writing there ({holder}); wait for it to end or choose another folder") from None
        try:
            # the holder before us may have removed the file between our open and our lock
            if os.path.samestat(os.fstat(fd), os.stat(lock_path)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": _now()}).encode() + b"\n")
    return fd


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {data.get('pid')} on {data.get('host')}, since {data.get('started')}"
    except (OSError, ValueError, AttributeError):
        return "pid unknown"


def _release(path: Path, fd: int) -> None:
    # removed while still held, so no other run can lock the file we are leaving
    try:
        (path / LOCK).unlink(missing_ok=True)
    except OSError:
        pass
    os.close(fd)


def _remove_temporaries(path: Path) -> None:
    """Half-written files a killed run left (``.<name>.tmp-<pid>-<n>``); we hold the lock."""
    for folder in (path, *(path / f for f in OWN_FOLDERS)):
        if folder.is_dir():
            pattern = "**/.*" if folder != path else ".*"
            for leftover in folder.glob(pattern):
                if outputs.TEMPORARY_MARK in leftover.name and leftover.is_file():
                    leftover.unlink(missing_ok=True)
