"""The late stages under hostile titles: two good seed files beside files whose titles
carry an emoji, U+FFFD junk, a spreadsheet formula and control characters.

The corpus goes through ``policycat run --strict`` twice, into two folders and with
two hash seeds, as a user runs it (each run its own ephemeral Prefect server). Every
chart that can be drawn is drawn, every writer writes, each left-out chart is a row of
errors.jsonl naming the file whose title caused it, ``--strict`` fails, no cell of
either workbook is a formula, and the two folders hold the same bytes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

# two full runs in a module fixture: on one xdist worker, not repeated on each (make test uses --dist loadgroup)
pytestmark = pytest.mark.xdist_group("hostile-runs")

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora"
CITY, COUNTY = "001_c928dd9025f7e819.txt", "000_c4eeb4407c4e4302.txt"
EMOJI_TITLE = "政协工作🚀要点"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","点击")'
CONTROL_TITLE = "政协\x00工作\x0b方案\x1b[31m"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}


def build_corpus(root: Path) -> Path:
    """The city–county pair of the seeds, and four hostile files with bodies from another seed
    (distinct parts, so none is a duplicate of another)."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (CITY, COUNTY):
        shutil.copy(CORPUS / name, corpus / name)
    lines = [line.strip() for line in (CORPUS / "003_c6d22d7c8ab3c4ee.txt").read_text(encoding="utf-8").splitlines() if len(line.strip()) > 30]
    body = lambda i: "\n".join(lines[i : i + 6]) + "\n"  # noqa: E731
    (corpus / "emoji.txt").write_text(EMOJI_TITLE + "\n" + body(5), encoding="utf-8")
    (corpus / "formula.txt").write_text(FORMULA_TITLE + "\n" + body(15), encoding="utf-8")
    (corpus / "control.txt").write_text(CONTROL_TITLE + "\n" + body(25), encoding="utf-8")
    # undecodable bytes in the title: the reader turns them into U+FFFD
    (corpus / "junk.html").write_bytes(
        b"<html><head><title>\xff\xfe\xfd\x80\x81 \xe6\x94\xbf\xe5\x8d\x8f</title></head><body><p>"
        + "\n".join(lines[35:41]).encode("utf-8") + b"\xff\xfe</p></body></html>"
    )
    (corpus / "compare.yaml").write_text(
        f"use_metadata: true\ngroups:\n  - name: 南通—靖江\n    city: {CITY}\n    counties: [{COUNTY}]\n", encoding="utf-8"
    )
    return corpus


def _run(corpus: Path, out: Path, hash_seed: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": hash_seed, "PREFECT_HOME": str(home), "COLUMNS": "200"}
    env.pop("SOURCE_DATE_EPOCH", None)
    command = [sys.executable, "-m", "pipelines.cli", "run", str(corpus), "-o", str(out), "--no-cache", "--strict"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory, worker_id):
    """(corpus, first output folder, second output folder, first run's process); built once
    for the whole session, even across xdist workers (a lock and a marker file)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if worker_id != "master" else base) / "report-hostile"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "done.json"
        if not done.exists():
            for old in ("corpus", "a", "b", "prefect"):
                shutil.rmtree(shared / old, ignore_errors=True)
            corpus = build_corpus(shared)
            first = _run(corpus, shared / "a", "1", shared / "prefect")
            second = _run(corpus, shared / "b", "2", shared / "prefect")
            done.write_text(json.dumps({"rc": [first.returncode, second.returncode], "stdout": first.stdout, "stderr": first.stderr[-4000:]}), encoding="utf-8")
        record = json.loads(done.read_text(encoding="utf-8"))
    return shared / "corpus", shared / "a", shared / "b", record


def _errors(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_report_hostile_run_writes_every_output_and_strict_fails(hostile_runs):
    _, out, _, record = hostile_runs
    assert record["rc"] == [1, 1], record["stdout"] + record["stderr"]  # --strict: rows in errors.jsonl
    assert "Traceback" not in record["stderr"]
    for name in ("catalogue.jsonl", "catalogue.parquet", "catalogue.xlsx", "comparison.jsonl", "comparison.xlsx", "report.docx", "report.html", "report.md"):
        assert (out / name).is_file() and (out / name).stat().st_size > 1000, name
    charts = sorted(p.name for p in (out / "charts").glob("*.png"))
    assert [c.split("-", 1)[1] for c in charts] == ["documents.png", "classes.png", "bodies.png", "city_county_1.png"]
    for name in charts:
        assert (out / "charts" / name).read_bytes().startswith(b"\x89PNG")


def test_report_left_out_chart_is_a_row_naming_each_file(hostile_runs):
    _, out, _, record = hostile_runs
    errors = _errors(out)
    assert {e["stage"] for e in errors} == {"report"}
    by_path = {e["path"]: e["reason"] for e in errors}
    assert set(by_path) == {"emoji.txt", "junk.html", "control.txt"}  # the files, never the output folder
    assert "U+1F680" in by_path["emoji.txt"] and "U+FFFD" in by_path["junk.html"] and "U+001B" in by_path["control.txt"]
    assert all("chart ranking left out" in reason for reason in by_path.values())
    assert "emoji.txt" in record["stdout"]  # the run says so, not only the file


def test_report_data_notes_say_which_chart_is_left_out(hostile_runs):
    _, out, _, _ = hostile_runs
    markdown = (out / "report.md").read_text(encoding="utf-8")
    notes = markdown[markdown.index("七、数据说明"):]
    assert "未能绘制的图表 1 幅" in notes and "U+1F680" in notes and "U+FFFD" in notes and "文档具体程度得分" in notes
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "未能绘制的图表 1 幅" in page
    word = "\n".join(p.text for p in docx.Document(str(out / "report.docx")).paragraphs)
    assert "未能绘制的图表 1 幅" in word
    assert len(docx.Document(str(out / "report.docx")).inline_shapes) == 4  # the four charts drawn


def test_report_pages_hold_no_control_character(hostile_runs):
    _, out, _, _ = hostile_runs
    for name in ("report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert not CONTROL & set(text), name
    assert "政协工作方案" in (out / "report.md").read_text(encoding="utf-8")  # NUL, VT and ESC gone, the words kept


@pytest.mark.parametrize("name", ["catalogue.xlsx", "comparison.xlsx"])
def test_report_workbooks_hold_no_formula_and_no_control_character(hostile_runs, name):
    _, out, _, _ = hostile_runs
    book = load_workbook(out / name)
    seen_formula_title = seen_control_title = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                value = cell.value
                if not isinstance(value, str):
                    continue
                assert not value.startswith(TRIGGERS), (sheet.title, cell.coordinate, value)
                assert not CONTROL & set(value), (sheet.title, cell.coordinate)
                seen_formula_title += value == "'" + FORMULA_TITLE  # shown, after the apostrophe
                seen_control_title += value == "政协工作方案[31m"
    assert seen_formula_title and seen_control_title
    # a formula only when read back without openpyxl's types: the stored cell is a string
    with zipfile.ZipFile(out / name) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_report_no_output_names_the_output_folder(hostile_runs):
    _, out, _, _ = hostile_runs
    summary = json.loads((out / "comparison.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert summary["kind"] == "summary" and "out_dir" not in summary
    for path in out.rglob("*"):
        if path.suffix in (".jsonl", ".html", ".md"):
            assert str(out) not in path.read_text(encoding="utf-8"), path


def test_report_two_runs_give_the_same_bytes(hostile_runs):
    _, first, second, _ = hostile_runs
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    assert {"catalogue.parquet", "catalogue.xlsx", "report.docx", "report.html", "comparison.xlsx"} <= set(names)
    # run.json records when the run started and finished: the one file meant to differ
    differing = [n for n in names if n != "run.json" and (first / n).read_bytes() != (second / n).read_bytes()]
    assert not differing
    for name in ("catalogue.xlsx", "comparison.xlsx"):
        book = load_workbook(first / name)
        assert book.properties.created.year == book.properties.modified.year == 1980
    properties = docx.Document(str(first / "report.docx")).core_properties
    assert properties.modified is None or properties.modified.year == 1980
    with zipfile.ZipFile(first / "report.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_report_failed_writer_leaves_the_others_and_a_row(hostile_runs, tmp_path):
    """``policycat report`` over a copy of the run, with a folder where report.docx goes:
    that writer fails, the other files are written, errors.jsonl gets one row for it, and
    a second report over the same folder does not repeat the rows."""
    from typer.testing import CliRunner

    from pipelines.cli import app

    corpus, source, _, _ = hostile_runs
    out = tmp_path / "out"
    shutil.copytree(source, out)
    for name in ("catalogue.xlsx", "report.html", "report.md"):
        (out / name).unlink()
    (out / "report.docx").unlink()
    (out / "report.docx").mkdir()
    result = CliRunner().invoke(app, ["report", str(out), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    for name in ("catalogue.xlsx", "report.html", "report.md"):
        assert (out / name).is_file(), name
    rows = _errors(out)
    docx_rows = [r for r in rows if r["path"] == "report.docx"]
    assert len(docx_rows) == 1 and docx_rows[0]["stage"] == "report" and "not written" in docx_rows[0]["reason"]
    assert "report.docx" in result.output
    CliRunner().invoke(app, ["report", str(out), "--corpus", str(corpus)])
    assert _errors(out) == rows


def test_report_comparison_workbook_failure_keeps_comparison_jsonl(hostile_runs, tmp_path):
    """``policycat compare`` with a folder where comparison.xlsx goes: comparison.jsonl is
    still written, and the row names the workbook, not the output folder."""
    from typer.testing import CliRunner

    from pipelines.cli import app

    corpus, source, _, _ = hostile_runs
    out = tmp_path / "out"
    shutil.copytree(source, out)
    (out / "comparison.jsonl").unlink()
    (out / "comparison.xlsx").unlink()
    (out / "comparison.xlsx").mkdir()
    result = CliRunner().invoke(app, ["compare", str(out), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert (out / "comparison.jsonl").read_text(encoding="utf-8") == (source / "comparison.jsonl").read_text(encoding="utf-8")
    rows = [r for r in _errors(out) if r["stage"] == "compare"]
    assert len(rows) == 1 and rows[0]["path"] == "comparison.xlsx" and "not written" in rows[0]["reason"]
