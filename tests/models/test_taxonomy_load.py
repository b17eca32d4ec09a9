"""The shipped taxonomy file and what the checker says about broken copies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.taxonomy import DEFAULT_TAXONOMY_PATH, DataError, check_taxonomy, load_taxonomy

SPEC_CLASSES = (
    ("LEADERSHIP", "坚持党的领导"),
    ("PARTY_BUILDING", "政协党的建设"),
    ("STUDY", "理论学习与传达贯彻"),
    ("CONSULTATION", "协商议政"),
    ("SUPERVISION", "民主监督"),
    ("ADVICE", "调研视察与建言资政"),
    ("CONSENSUS", "凝聚共识"),
    ("GRASSROOTS", "基层协商与联系群众"),
    ("MEMBERS", "委员队伍建设"),
    ("COMMITTEES", "专委会与界别工作"),
    ("INSTITUTIONS", "制度建设"),
    ("OFFICE", "机关建设与作风"),
    ("SUPPORT", "支持保障"),
    ("PUBLICITY", "宣传与文史"),
    ("DIGITAL", "数字政协"),
    ("SYSTEM", "政协系统联动"),
)


def test_taxonomy_load_has_the_sixteen_spec_classes_in_order(taxonomy):
    assert [(c.code, c.name) for c in taxonomy.categories] == list(SPEC_CLASSES)
    assert taxonomy.fallback == "INSTITUTIONS"


@pytest.mark.parametrize("code", [code for code, _ in SPEC_CLASSES])
def test_taxonomy_load_every_class_has_enough_cues_and_examples(taxonomy, code):
    category = taxonomy.get(code)
    assert 15 <= len(category.cues) <= 60
    assert 8 <= len(category.examples) <= 30
    assert category.definition


def test_taxonomy_check_real_file_is_clean():
    assert check_taxonomy(DEFAULT_TAXONOMY_PATH) == []


def _edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line]
    return lines[occurrence - 1]


def test_taxonomy_check_unknown_key_reports_its_line(tmp_path):
    path = _edited(tmp_path, "    name: 民主监督\n", "    name: 民主监督\n    colour: 红色\n")
    problems = check_taxonomy(path)
    assert [(p.line, p.severity) for p in problems] == [(_line_of(path, "colour:"), "error")]
    assert "colour" in problems[0].message and problems[0].path == str(path)


def test_taxonomy_check_duplicate_code_reports_the_second(tmp_path):
    path = _edited(tmp_path, "  - code: SYSTEM\n", "  - code: DIGITAL\n")
    errors = [p for p in check_taxonomy(path) if p.severity == "error"]
    assert [p.line for p in errors] == [_line_of(path, "code: DIGITAL", occurrence=2)]
    assert "DIGITAL" in errors[0].message
    with pytest.raises(DataError) as caught:
        load_taxonomy(path)
    assert f"{path}:{errors[0].line}" in str(caught.value)


def test_taxonomy_check_empty_class_is_an_error_at_the_class(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    text = DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8")
    path.write_text(text + "\n  - code: EMPTY\n    name: 空类别\n    definition: 没有线索词也没有例句\n", encoding="utf-8")
    problems = check_taxonomy(path)
    assert [(p.line, p.severity) for p in problems] == [(_line_of(path, "code: EMPTY"), "error")]


def test_taxonomy_check_missing_name(tmp_path):
    path = _edited(tmp_path, "    name: 数字政协\n", "")
    problems = check_taxonomy(path)
    assert [(p.line, p.severity) for p in problems] == [(_line_of(path, "code: DIGITAL"), "error")]
    assert "name" in problems[0].message


def test_taxonomy_check_cue_shared_by_two_classes_is_a_warning(tmp_path):
    # 委员工作室 belongs to GRASSROOTS; give MEMBERS the same cue.
    path = _edited(tmp_path, "      - 委员推荐\n", "      - 委员推荐\n      - 委员工作室\n")
    problems = check_taxonomy(path)
    assert [(p.line, p.severity) for p in problems] == [(_line_of(path, "- 委员工作室", occurrence=2), "warning")]
    assert "GRASSROOTS" in problems[0].message and "MEMBERS" in problems[0].message
    assert load_taxonomy(path).warnings == tuple(problems)  # warnings do not stop loading


def test_taxonomy_check_yaml_syntax_error_has_a_line(tmp_path):
    path = _edited(tmp_path, "    cues:\n      - 民主监督\n", "    cues: [民主监督\n")
    problems = check_taxonomy(path)
    assert problems and problems[0].severity == "error" and problems[0].line is not None
    assert re.search("YAML", problems[0].message)


def test_taxonomy_check_fallback_must_exist(tmp_path):
    path = _edited(tmp_path, "fallback: INSTITUTIONS", "fallback: NOWHERE")
    problems = check_taxonomy(path)
    assert [(p.line, p.severity) for p in problems] == [(_line_of(path, "fallback: NOWHERE"), "error")]
