"""punctuation.yaml: every stage's marks come from it; a mistake names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.knowledge import DATA_DIR, DataError
from extractors.punctuation import PUNCTUATION, load_punctuation


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('  full_stops: "。！？!?"', '  full_stops: ""', "不能为空"),
        ('    "《": "》"', '    "《": "》》"', "单个字符"),
        ('  conjunctions: ["以及", "和", "与", "及"]', '  conjunctions: ["以及", 3]', "非空字符串"),
    ],
)
def test_punctuation_errors_name_file_and_line(tmp_path: Path, old, new, message):
    text = (DATA_DIR / "punctuation.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "punctuation.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_punctuation(path)
    assert error.value.path == str(path) and error.value.line is not None and message in error.value.message


def test_punctuation_stages_read_the_file(tmp_path: Path):
    # An analyst's edit reaches the combined sets the stages use.
    text = (DATA_DIR / "punctuation.yaml").read_text(encoding="utf-8")
    path = tmp_path / "punctuation.yaml"
    path.write_text(text.replace('  semicolons: "；;"', '  semicolons: "；"', 1), encoding="utf-8")
    edited = load_punctuation(path)
    assert ";" in PUNCTUATION.clause_stops and ";" not in edited.clause_stops
    assert set(edited.clause_stops) >= set(edited.clause_end) >= set(edited.sentence_end)
    assert edited.joined_words.fullmatch("和反馈以及评价") is not None
