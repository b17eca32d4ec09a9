"""JSON Lines collections: each record a source; a bad record is reported, the rest read."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.errors import SourceError
from extractors.reading import list_sources, read_source, read_sources

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
GWR = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "gwr" / "government_work_reports.jsonl"


def _collection(tmp_path: Path) -> Path:
    seeds = sorted(CORPUS.glob("*.txt"))[:2]
    lines = [
        json.dumps({"title": "靖江意见", "content": seeds[0].read_text(encoding="utf-8"), "year": 2016}, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "空", "content": "  "}, ensure_ascii=False),
        json.dumps({"标题": "南通意见", "正文": seeds[1].read_text(encoding="utf-8")}, ensure_ascii=False),
    ]
    path = tmp_path / "texts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_each_record_is_a_source_and_bad_ones_are_named(tmp_path):
    path = _collection(tmp_path)
    assert (path, tmp_path) in list_sources([tmp_path])
    items = list(read_sources(path, tmp_path))
    sources = [i for i in items if not isinstance(i, SourceError)]
    errors = [i for i in items if isinstance(i, SourceError)]
    assert [s.source_path for s in sources] == ["texts.jsonl/1", "texts.jsonl/4"]
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "not valid JSON" in errors[0].reason and "no text" in errors[1].reason
    # the title goes in front as its own line; the content follows unchanged
    assert sources[0].text.startswith("靖江意见\n")
    assert sources[0].text.endswith(sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8"))
    assert sources[0].sha256 != sources[1].sha256 and sources[0].format == "jsonl"


def test_records_read_source_points_to_read_sources(tmp_path):
    with pytest.raises(SourceError, match="read_sources"):
        read_source(_collection(tmp_path), tmp_path)


@pytest.mark.skipif(not GWR.exists(), reason="shared GWR corpus not present")
def test_records_gwr_corpus_reads_every_report():
    items = list(read_sources(GWR, GWR.parent))
    assert all(not isinstance(i, SourceError) for i in items)
    assert len(items) == sum(1 for line in GWR.read_text(encoding="utf-8").splitlines() if line.strip())
    assert {i.script for i in items} >= {"simplified", "traditional"}


def test_folder_notes_are_not_documents_but_a_named_note_is_read(tmp_path):
    seed = sorted(CORPUS.glob("*.txt"))[0]
    (tmp_path / "a.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "SOURCE.md").write_text("# 来源\n国务院政府工作报告，维基文库。\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("本文件夹说明。\n", encoding="utf-8")
    assert [p.name for p, _ in list_sources([tmp_path])] == ["a.txt"]
    assert [p.name for p, _ in list_sources([tmp_path / "SOURCE.md"])] == ["SOURCE.md"]
