"""The command line tells the truth: a missing path or an empty folder is an error and
writes nothing; counts read well at 80 columns; ingest is usable in a pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipelines.cli import summary_lines

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora"


def _policycat(*args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra_env}
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-c", "from pipelines.cli import app; app()", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_a_missing_path_is_an_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    done = _policycat("run", str(tmp_path / "nonexistent"), "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.strip() == f"policycat: no such file or folder: {tmp_path / 'nonexistent'}; nothing was written"
    assert not out.exists()


def test_an_empty_folder_says_so_and_writes_no_reports(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("not a document", encoding="utf-8")
    out = tmp_path / "out"
    done = _policycat("run", str(tmp_path / "empty"), "-o", str(out))
    assert done.returncode == 2 and "no documents in" in done.stderr and "nothing was written" in done.stderr
    assert not out.exists()


def test_version():
    from importlib.metadata import version

    done = _policycat("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"policycat {version('policycat')}"


def test_ingest_in_a_pipe_is_whole_tsv_and_json_on_request():
    done = _policycat("ingest", str(CORPUS))
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines[0].split("\t") == ["file", "format", "encoding", "doc", "type", "level", "region", "date", "title", "problem"]
    rows = [dict(zip(lines[0].split("\t"), line.split("\t"))) for line in lines[1:]]
    assert len(rows) == 13 and all(len(r) == 10 for r in rows)
    assert {r["date"] for r in rows} >= {"2024-05-24"} and {r["problem"] for r in rows} >= {"fragment"}
    # titles whole, not cut to a terminal's width
    assert "学习贯彻市委政协工作会议精神 紧紧围绕中心大局 全面展现政协担当" in {r["title"] for r in rows}
    found = [json.loads(line) for line in _policycat("ingest", str(CORPUS), "--format", "json").stdout.splitlines()]
    assert [r["title"] for r in found] == [r["title"] for r in rows]


def test_the_counts_fit_80_columns_and_speak_in_the_singular_where_one():
    summary = {"files_read": 5, "documents": 13, "split_files": 1, "duplicates": 1, "measures": 12345, "needs_review": 1550,
               "corrected": 21, "failed": 0}
    lines = summary_lines(summary)
    assert lines[0] == "read 5 files: 13 documents (1 file split, 1 duplicate)"
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[1].endswith("; 0 failed")


def test_an_unchanged_corpus_is_kept_without_starting_prefect(tmp_path):
    """The second run of the same corpus into the same folder finds nothing changed before
    Prefect is imported: run.json records the input check alone, the files are untouched."""
    out = tmp_path / "out"
    first = _policycat("run", str(CORPUS), "-o", str(out), timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file() and p.name != "run.json"}
    # a Prefect API nobody answers: a run that started its flow would fail against it
    second = _policycat("run", str(CORPUS), "-o", str(out), "--strict", PREFECT_API_URL="http://127.0.0.1:9/api")
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.stdout.startswith("nothing changed since the run of ")
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert set(manifest["seconds"]) == {"inputs", "reused"} and manifest["reused_from"]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file() and p.name != "run.json"} == before
    # run.json still vouches for every file
    from pipelines.publish import verify

    assert verify(out) == []
