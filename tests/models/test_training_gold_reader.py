"""Gold measures as training data: spec format, splits, headings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.scoring import SEEDS_GOLD
from models.training import build_training_set, nearest_heading, read_gold_measures

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]
HEADING_TWO = "二、准确把握全市政协工作会议的主要精神"
HEADING_TWO_ONE = "积极探索政协履行职能的制度机制。"


def test_training_gold_reader_keeps_the_tune_split_only():
    measures = read_gold_measures([DATA / "gold_tiny.jsonl"])
    assert [(m.text, m.category, m.split) for m in measures] == [
        ("全面推进政协职能的制度化、规范化和程序化", "INSTITUTIONS", "tune"),
        ("进一步密切联络各界", "OUTREACH", "tune"),
    ]
    # As the extractors section the file: the innermost heading, the path above it, the sentence.
    assert all((m.heading, m.path) == (HEADING_TWO_ONE, HEADING_TWO) for m in measures)
    assert all(m.text in m.sentence for m in measures)


def test_training_gold_reader_all_splits_on_request():
    measures = read_gold_measures([DATA / "gold_tiny.jsonl"], splits=None)
    assert [m.split for m in measures] == ["tune", "tune", "heldout"]


def test_training_gold_set_leaves_out_classes_not_in_the_taxonomy(taxonomy, settings):
    items = build_training_set(taxonomy, [DATA / "gold_tiny.jsonl"], settings=settings)
    gold = [(i.input.text, i.input.heading, i.input.path, i.label, i.weight) for i in items if i.source == "gold"]
    assert gold == [
        ("全面推进政协职能的制度化、规范化和程序化", HEADING_TWO_ONE, HEADING_TWO, "INSTITUTIONS", settings.training_weights["gold"])
    ]


def test_training_gold_reader_without_the_source_falls_back_to_the_nearest_heading(tmp_path):
    measures = read_gold_measures([DATA / "gold_tiny.jsonl"], corpus_dir=tmp_path)
    assert [(m.heading, m.path, m.sentence) for m in measures] == [("", "", "")] * 2
    assert [m.text for m in measures] == ["全面推进政协职能的制度化、规范化和程序化", "进一步密切联络各界"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、总体要求\n坚持党的领导。\n（一）加强学习\n建立学习制度", "（一）加强学习"),
        ("一、总体要求\n（一）提高政治站位，深入学习贯彻会议精神。市委召开常委会议", "（一）提高政治站位，深入学习贯彻会议精神"),
        ("一、总体要求\n（一）提高政治站位，深入学习贯彻会议精神。市委召开常委会议", "一、总体要求"),
        ("——坚持守正创新，高效务实推动政协改革。进一步健全深度协商互动机制", "——坚持守正创新，高效务实推动政协改革"),
        ("没有标题的段落。建立学习制度", ""),
    ],
)
def test_training_gold_nearest_heading(text, expected):
    # The measure is the last clause, except in the third case where it is the heading's own sentence.
    start = text.rfind("（一）") + 3 if expected == "一、总体要求" else len(text) - 4
    assert nearest_heading(text, start) == expected


@pytest.mark.skipif(not SEEDS_GOLD.exists(), reason="gold file not annotated yet")
def test_training_gold_real_seeds_train_on_tune_and_never_on_heldout(taxonomy, settings):
    documents = [json.loads(line) for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    heldout_texts = {m["text"] for d in documents if d.get("split") == "heldout" for m in d["measures"]}
    tune_count = sum(
        1
        for d in documents
        if d.get("split") == "tune"
        for m in d["measures"]
        if m.get("category") in taxonomy.codes
    )
    items = build_training_set(taxonomy, [SEEDS_GOLD], settings=settings)
    gold = [i for i in items if i.source == "gold"]
    assert len(gold) == tune_count
    assert not heldout_texts & {i.input.text for i in gold} - {
        m["text"] for d in documents if d.get("split") == "tune" for m in d["measures"]
    }
    source = (ROOT / "corpora" / documents[0]["source_path"]).read_text(encoding="utf-8")
    for measure in documents[0]["measures"]:
        assert source[measure["start"] : measure["end"]] == measure["text"]
