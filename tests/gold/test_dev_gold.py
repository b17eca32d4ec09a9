"""The development corpus's gold: complete, offsets into unchanged files, split by place."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from extractors.types import STATUSES
from models.scoring import DEV_GOLD, load_gold

# dev.jsonl names its files relative to the project folder: ../shared/corpora/dev/…
DEV = DEV_GOLD.resolve().parents[1].parent / "shared" / "corpora" / "dev"


def rows() -> list[dict]:
    return [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dev_gold_covers_every_development_page():
    pages = {p.stem for p in DEV.glob("d*.txt")}
    assert len(pages) == 150
    assert {r["doc_id"] for r in rows()} == pages


def test_dev_gold_loads_texts_from_the_shared_files():
    documents = load_gold(DEV_GOLD)
    assert sum(len(d.measures) for d in documents) > 500
    for d in documents:
        text = d.file.read_text(encoding="utf-8")
        for m in d.measures:
            assert m.text and text[m.start : m.end] == m.text
            assert m.status in STATUSES


def test_dev_gold_refuses_a_changed_file(tmp_path):
    changed = tmp_path / "d001.txt"
    changed.write_text((DEV / "d001.txt").read_text(encoding="utf-8") + "。", encoding="utf-8")
    row = rows()[0]
    row["file"] = str(changed)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="changed since it was annotated"):
        load_gold(gold, root=tmp_path)


def test_dev_gold_stores_no_text():
    for r in rows():
        assert all(set(m) <= {"start", "end", "category", "status", "bodies", "targets"} for m in r["measures"])


def test_dev_gold_split_is_by_place_with_a_test_part_of_forty():
    split_of = {}
    for r in rows():
        assert split_of.setdefault(r["group"], r["split"]) == r["split"], r["group"]
    counts = Counter(r["split"] for r in rows())
    assert counts["test"] >= 40 and counts["train"] >= 80


def test_dev_gold_measures_do_not_overlap():
    for r in rows():
        spans = sorted((m["start"], m["end"]) for m in r["measures"])
        assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:])), r["doc_id"]
