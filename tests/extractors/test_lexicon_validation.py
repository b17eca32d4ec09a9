"""Knowledge files are validated: a mistake names its file and line."""

import shutil
from pathlib import Path

import pytest

from extractors.knowledge import DATA_DIR, DataError
from extractors.lexicon import load_lexicon

FILES = ["measures.yaml", "bodies.yaml", "status.yaml", "targets.yaml", "initiatives.yaml"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    "name, old, new, message",
    [
        ("status.yaml", "status: RECOMMENDED", "status: SUGGESTED", "未知的状态"),
        ("bodies.yaml", "'工商联'", "'工商联('", "正则表达式有误"),
        ("targets.yaml", "kind: deadline", "kind: soon", "未知的目标类型"),
        ("measures.yaml", "    - 建立健全\n", "    - 建立健全\n    - 建立健全\n", "重复"),
    ],
)
def test_lexicon_errors_name_file_and_line(data_dir, name, old, new, message):
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_lexicon(data_dir)
    assert error.value.path == str(path) and error.value.line is not None and message in error.value.message


def test_lexicon_shipped_files_load():
    lexicon = load_lexicon()
    assert "建立健全" in lexicon.strong_verbs and "政协党组" in lexicon.canonical_bodies
