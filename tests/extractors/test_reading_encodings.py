"""Text files in every encoding research offices send, and the ways files go bad."""

import pytest

from extractors.errors import SourceError
from extractors.reading import read_source, to_simplified

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpora"

SEED = (CORPUS / "000_c4eeb4407c4e4302.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_reading_detects_and_records_encoding(tmp_path, encoding, expected):
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(SEED.encode(encoding))
    source = read_source(path, tmp_path)
    assert source.encoding == expected
    assert source.text == SEED
    assert source.source_path == path.name


def test_reading_traditional_keeps_offsets_and_analyses_simplified(tmp_path):
    traditional = "政協黨組、常務委員會和主席會議要及時研究部署，提出貫徹意見。"
    path = tmp_path / "trad.txt"
    path.write_text(traditional, encoding="big5hkscs")
    source = read_source(path, tmp_path)
    assert source.text == traditional
    assert source.script == "traditional"
    assert len(source.analysis_text) == len(source.text)
    assert source.analysis_text.startswith("政协党组、常务委员会和主席会议")
    assert any("traditional" in w for w in source.warnings)


def test_to_simplified_same_length_on_real_report():
    import json

    line = (CORPUS.parents[1] / "shared/corpora/gwr/government_work_reports.jsonl")
    if not line.exists():
        pytest.skip("long corpus not present on this machine")
    texts = [json.loads(row)["content"] for row in line.read_text(encoding="utf-8").splitlines()[-3:]]
    for text in texts:
        simplified, _ = to_simplified(text)
        assert len(simplified) == len(text)


@pytest.mark.parametrize(
    "name, payload, words",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("junk.txt", bytes(range(256)) * 64, "not a text file"),
        ("notes.rtf", b"{\\rtf1 hello}", "unsupported file type"),
    ],
)
def test_reading_bad_input_names_file_and_reason(tmp_path, name, payload, words):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(SourceError) as info:
        read_source(path, tmp_path)
    assert info.value.path.endswith(name)
    assert words in info.value.reason


def test_reading_refuses_oversized_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        chunk = SEED.encode("utf-8")
        while handle.tell() < 50 * 2**20:
            handle.write(chunk)
    with pytest.raises(SourceError, match="too large"):
        read_source(path, tmp_path)


def test_reading_vanished_file(tmp_path):
    with pytest.raises(SourceError, match="disappeared"):
        read_source(tmp_path / "gone.txt", tmp_path)
