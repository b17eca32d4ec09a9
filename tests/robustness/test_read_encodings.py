"""Encoding names pass through as the detector gives them; mixed encodings say so."""

from __future__ import annotations

import codecs

import pytest
from conftest import assert_seeds_read, errors_of, run_folder

CHINESE = "关于加强政协委员履职工作的意见\n各级政协要加强委员履职培训，每年开展两次专题调研，形成调研报告。\n" * 8
RUSSIAN = "Постановление о работе комитета. Комитет проводит заседания ежемесячно и публикует отчёт.\n" * 8
GREEK = "Απόφαση για τη λειτουργία της επιτροπής. Η επιτροπή συνεδριάζει κάθε μήνα και δημοσιεύει έκθεση.\n" * 8
FRENCH = "Décision relative au fonctionnement du comité. Le comité se réunit chaque mois et publie un rapport.\n" * 8


@pytest.mark.parametrize(
    "text, encoding",
    [
        (CHINESE, "utf-16-le"),
        (CHINESE, "utf-16-be"),
        (CHINESE, "utf-32-le"),
        (CHINESE, "utf-32-be"),
        (RUSSIAN, "koi8-r"),
        (GREEK, "iso8859-7"),
        (FRENCH, "iso8859-1"),
    ],
)
def test_text_without_byte_order_mark_decodes(corpus, text, encoding):
    (corpus / "case.txt").write_bytes(text.encode(encoding))
    batch = run_folder(corpus)
    assert errors_of(batch, "case.txt") == []
    source = next(s for s in batch.sources if s.source_path == "case.txt")
    assert source.text == text
    # a name the codec registry knows, as the detector chose it (not a stripped "utf16le")
    assert codecs.lookup(source.encoding)
    assert "_" not in source.encoding
    assert_seeds_read(batch)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16"])
def test_byte_order_mark_is_honoured(corpus, encoding):
    (corpus / "bom.txt").write_bytes(CHINESE.encode(encoding))  # Python writes the mark
    batch = run_folder(corpus)
    assert errors_of(batch, "bom.txt") == []
    assert next(s for s in batch.sources if s.source_path == "bom.txt").text == CHINESE


def test_mixed_encodings_are_named(corpus):
    (corpus / "mixed.txt").write_bytes(CHINESE.encode("utf-8") + CHINESE.encode("gbk"))
    (corpus / "gbk.txt").write_bytes(CHINESE.encode("gbk"))
    batch = run_folder(corpus)
    [row] = errors_of(batch, "mixed.txt")
    assert row["stage"] == "read"
    assert row["reason"].startswith("mixed encodings: 16 lines of the file are UTF-8 and 16 are not")
    # one encoding throughout is still read, whatever it is
    assert errors_of(batch, "gbk.txt") == []
    assert next(s for s in batch.sources if s.source_path == "gbk.txt").text == CHINESE
    assert_seeds_read(batch)
