"""The fast cut (rjieba) gives jieba's word boundaries, with the project's user dictionary,
on every real corpus the project reads: the condition on which it replaces jieba."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.reading import read_source
from extractors.tokens import jieba_word_spans, userdict_path, word_spans

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def _texts() -> list[tuple[str, str]]:
    texts = []
    for folder in (ROOT / "corpora", SHARED / "corpora" / "dev"):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".md", ".html", ".htm", ".docx", ".pdf") and not path.name.startswith(("SOURCE", "README")):
                texts.append((path.name, read_source(path).text))
    reports = SHARED / "corpora" / "gwr" / "government_work_reports.jsonl"
    for line in reports.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.append((record["title"], record["content"]))
    return texts


def test_fast_cut_is_jiebas_on_every_corpus():
    if not (SHARED / "corpora" / "dev").is_dir():
        pytest.skip(f"{SHARED / 'corpora'} is not here")
    texts = _texts()
    assert len(texts) > 200
    differ = [name for name, text in texts if word_spans(text) != jieba_word_spans(text)]
    assert differ == [], f"rjieba and jieba cut these differently: {differ[:5]}"


def test_fast_cut_reads_the_user_dictionary(tmp_path):
    text = "推进有事好商量协商议事室建设，发挥专门协商机构作用"
    assert ("有事好商量", 2, 7) in word_spans(text) and ("专门协商机构", 17, 23) in word_spans(text)
    # without the project's dictionary the same text falls apart differently, in both cuts alike
    empty = tmp_path / "userdict.txt"
    empty.write_text("", encoding="utf-8")
    assert word_spans(text, empty) == jieba_word_spans(text, empty) != word_spans(text)
    assert userdict_path().is_file()
