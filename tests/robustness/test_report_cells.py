"""The workbook cell guard on its own: each dangerous start, each character XML cannot
hold, written to a real xlsx and read back with openpyxl."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone

import pytest
from openpyxl import Workbook, load_workbook

from pipelines.reports.package import settle, stable_time
from pipelines.reports.workbook import _write_table, neutralise

DANGEROUS = ["=1+1", '=HYPERLINK("http://x.example","a")', "+86 10 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
SAFE = ["政协委员履职", "2024年", "a=b", "（-）", 3, 2.5, True, None]


def _round_trip(tmp_path, values):
    book = Workbook()
    failures: list[dict] = []
    _write_table(book.active, ["列"], ([v] for v in values), source_of=lambda i: f"file-{i}.txt", failures=failures)
    path = tmp_path / "cells.xlsx"
    book.save(path)
    sheet = load_workbook(path).active
    return [sheet.cell(row=i + 2, column=1) for i in range(len(values))], failures, path


@pytest.mark.parametrize("value", DANGEROUS)
def test_report_cells_formula_starts_are_text_with_apostrophe(tmp_path, value):
    (cell,), failures, path = _round_trip(tmp_path, [value])
    assert not failures
    assert cell.data_type == "s" and cell.value == "'" + value  # the value stays visible after the apostrophe
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_report_cells_safe_values_unchanged(tmp_path):
    cells, failures, _ = _round_trip(tmp_path, SAFE)
    assert not failures and [c.value for c in cells] == SAFE


def test_report_cells_control_characters_stripped_then_guarded(tmp_path):
    values = ["政协\x00工作\x0b方案\x1b[31m", "\x00=cmd|' /C calc'!A0", "\ufffe标题\uffff"]
    cells, failures, _ = _round_trip(tmp_path, values)
    assert not failures
    assert [c.value for c in cells] == ["政协工作方案[31m", "'=cmd|' /C calc'!A0", "标题"]
    assert neutralise(["=a", "b"]) == '["=a", "b"]'  # lists as JSON text, which starts with [


def test_report_cells_refused_value_left_empty_and_named(tmp_path):
    cells, failures, _ = _round_trip(tmp_path, ["前", object(), "后"])
    assert [c.value for c in cells] == ["前", None, "后"]
    assert len(failures) == 1 and failures[0]["path"] == "file-1.txt" and failures[0]["row"] == 3


def test_report_cells_settle_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    paths = []
    for year, name in ((2001, "a.xlsx"), (2002, "b.xlsx")):
        book = Workbook()
        book.active["A1"] = "政协"
        book.properties.created = datetime(year, 1, 1)  # differs until settled
        book.save(tmp_path / name)
        settle(tmp_path / name)
        paths.append(tmp_path / name)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert load_workbook(paths[0]).properties.modified == datetime(1980, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert stable_time() == datetime.fromtimestamp(1700000000, tz=timezone.utc)
