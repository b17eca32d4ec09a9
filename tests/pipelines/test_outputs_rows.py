"""Typed values and the rows a run writes: each turns into the other without loss."""

from __future__ import annotations

import json
from pathlib import Path

from catalogue_entries import entry

from extractors.types import Body
from pipelines.compare import default_mapping, run_comparison
from pipelines.outputs import comparison_from_records, from_row, read_catalogue, read_jsonl, to_row

CORPUS = Path(__file__).resolve().parents[2] / "corpora"



def test_outputs_rows_catalogue_round_trip_is_exact(seed_run):
    out, _ = seed_run
    lines = (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        assert json.dumps(to_row(from_row(json.loads(line))), ensure_ascii=False) == line


def test_outputs_rows_entries_keep_their_spans(seed_run):
    out, _ = seed_run
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for item in read_catalogue(out / "catalogue.jsonl"):
        assert texts[item.source_path][item.start : item.end] == item.text
        for body in item.bodies:
            assert texts[item.source_path][body.start : body.end] == body.mention


def test_outputs_rows_comparison_read_back_equals_the_result(seed_run, tmp_path):
    out, _ = seed_run
    documents = read_jsonl(out / "documents.jsonl")
    entries = read_catalogue(out / "catalogue.jsonl")
    _, result = run_comparison(tmp_path, [CORPUS], default_mapping([CORPUS]), documents=documents, entries=entries)
    assert result["pairs"] and result["clusters"]
    assert comparison_from_records(read_jsonl(tmp_path / "comparison.jsonl")) == result


def test_outputs_rows_correction_keys_only_on_corrected_rows():
    plain = to_row(entry("m1"))
    assert not {"corrected", "rejected", "predicted_category", "correction_note"} & set(plain)
    named = entry("m2", corrected=True, rejected=True, bodies=["政协委员"])
    row = to_row(named)
    assert row["corrected"] and row["rejected"]
    assert row["bodies"] == [{"mention": "政协委员", "canonical": "政协委员", "level": None, "explicit": True}]
    assert from_row(row).bodies == (Body(None, None, "政协委员", "政协委员", None, True),)
