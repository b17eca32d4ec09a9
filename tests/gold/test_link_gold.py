"""The link gold: every compared pair's measures are gold measures of the documents it
names, every measure of a is decided, and the one-to-one rule holds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINKS = ROOT / "gold" / "links.jsonl"
SEEDS = ROOT / "gold" / "seeds.jsonl"

pytestmark = pytest.mark.skipif(not LINKS.exists(), reason="no link gold yet")


def _lines():
    return [json.loads(line) for line in LINKS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_link_gold_measures_are_gold_measures_of_the_named_documents():
    gold = {}
    for line in SEEDS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[(row["source_path"], row["doc_id"])] = {(m["start"], m["end"]) for m in row["measures"]}
    for pair in _lines():
        for side in ("a", "b"):
            doc = (pair[side]["source_path"], pair[side]["doc_id"])
            assert doc in gold, pair["pair"]
            assert {tuple(s) for s in pair[f"measures_{side}"]} == gold[doc], f"{pair['pair']}: {side} measures differ from the gold"


def test_link_gold_decides_every_measure_of_a_one_to_one():
    for pair in _lines():
        a = [tuple(s) for s in pair["measures_a"]]
        b = {tuple(s) for s in pair["measures_b"]}
        assert [tuple(link["a"]) for link in pair["links"]] == a
        used = Counter()
        for link in pair["links"]:
            assert link["decision"] in ("taken_up", "partial", "left_out")
            assert (link["decision"] == "left_out") == (not link["b"])
            assert {tuple(s) for s in link["b"]} <= b
            used.update(tuple(s) for s in link["b"])
        for span, n in used.items():
            if n > 1:  # a broader measure of b: partial for each measure of a it covers
                assert all(link["decision"] == "partial" for link in pair["links"] if span in map(tuple, link["b"])), pair["pair"]


def test_link_gold_stores_offsets_and_labels_only():
    for pair in _lines():
        text = json.dumps(pair, ensure_ascii=False)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{pair['pair']}: the gold quotes text"
