"""JSON Lines records end at "\n" alone: line and paragraph separators inside a string are data."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS, assert_seeds_read, run_folder


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_record_holding_a_unicode_line_separator_is_read(corpus, separator):
    seed = SEEDS[0].read_text(encoding="utf-8")
    records = [
        {"title": "关于加强委员履职的通知", "content": f"各级政协要加强委员履职培训{separator}每年开展两次专题调研。"},
        {"title": "种子", "content": seed},
    ]
    # ensure_ascii=False keeps the separator as the raw character, as most writers do
    (corpus / "records.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n", encoding="utf-8")
    batch = run_folder(corpus)
    assert [e for e in batch.errors if "records.jsonl" in e["path"]] == []
    texts = {s.source_path: s.text for s in batch.sources}
    assert separator in texts["records.jsonl/1"]
    assert texts["records.jsonl/2"].endswith(seed.rstrip("\n")) or seed.strip() in texts["records.jsonl/2"]
    assert_seeds_read(batch)


def test_bad_record_beside_good_ones_keeps_its_line_number(corpus):
    lines = [json.dumps({"content": "各级政协要加强委员履职培训\u2028每年开展两次专题调研。"}, ensure_ascii=False), "{not json", json.dumps({"content": "第三条记录。"}, ensure_ascii=False)]
    (corpus / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    batch = run_folder(corpus)
    rows = [e for e in batch.errors if "mixed.jsonl" in e["path"]]
    assert [(r["path"].rsplit(":", 1)[1], r["stage"]) for r in rows] == [("2", "read")]
    assert "not valid JSON" in rows[0]["reason"]
    assert {"mixed.jsonl/1", "mixed.jsonl/3"} <= {s.source_path for s in batch.sources}
