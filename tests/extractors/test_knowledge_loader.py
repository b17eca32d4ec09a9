"""The one loader: a declared schema, every problem at once, each as file:line in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

from extractors.knowledge import DataError, Regex, Schema, load_file, validate, load_yaml


class Inner(Schema):
    size: int = Field(ge=1)


class Example(Schema):
    threshold: float = Field(ge=0, le=1)
    mode: Literal["fast", "slow"]
    names: tuple[str, ...]
    inner: Inner
    pattern: Regex


GOOD = "threshold: 0.5\nmode: fast\nnames: [甲, 乙]\ninner:\n  size: 3\npattern: '第.篇'\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(DataError) as caught:
        load_file(path, Example)
    error = caught.value
    for problem in error.problems:  # every printed problem names its file and line
        where = f"{path}:{problem.line}" if problem.line else str(path)  # None: the whole file
        assert str(problem).startswith(f"{where}: ")
    assert str(error) == "\n".join(str(p) for p in error.problems)
    return [(p.line, p.message) for p in error.problems]


def test_knowledge_loader_good_file_gives_typed_values(tmp_path):
    loaded = load_file(_write(tmp_path, GOOD), Example)
    assert loaded.threshold == 0.5 and loaded.names == ("甲", "乙") and loaded.inner.size == 3
    with pytest.raises(Exception):
        loaded.threshold = 0.6  # frozen


def test_knowledge_loader_unknown_key(tmp_path):
    path = _write(tmp_path, GOOD + "colour: 红\n")
    assert _problems(path) == [(7, "未知的键 “colour”")]


def test_knowledge_loader_unknown_nested_key_at_its_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("  size: 3\n", "  size: 3\n  sise: 4\n"))
    assert _problems(path) == [(6, "未知的键 “inner.sise”")]


def test_knowledge_loader_wrong_type(tmp_path):
    path = _write(tmp_path, GOOD.replace("threshold: 0.5", "threshold: 很高"))
    [(line, message)] = _problems(path)
    assert line == 1 and message.startswith("threshold：应为数字")


def test_knowledge_loader_true_is_not_a_number(tmp_path):
    path = _write(tmp_path, GOOD.replace("  size: 3", "  size: true"))
    [(line, message)] = _problems(path)
    assert line == 5 and message.startswith("inner.size：应为整数")


def test_knowledge_loader_out_of_range(tmp_path):
    path = _write(tmp_path, GOOD.replace("threshold: 0.5", "threshold: 1.5"))
    assert _problems(path) == [(1, "threshold：应不大于 1（现为 1.5）")]


def test_knowledge_loader_choice(tmp_path):
    path = _write(tmp_path, GOOD.replace("mode: fast", "mode: quick"))
    assert _problems(path) == [(2, "mode：应为 fast、slow 之一（现为 'quick'）")]


def test_knowledge_loader_missing_key_at_its_mapping(tmp_path):
    path = _write(tmp_path, GOOD.replace("mode: fast\n", ""))
    assert _problems(path) == [(1, "缺少键 “mode”")]
    path = _write(tmp_path, GOOD.replace("  size: 3\n", "  {}\n"))
    assert _problems(path) == [(4, "缺少键 “inner.size”")]


def test_knowledge_loader_bad_regex_and_list_item_lines(tmp_path):
    path = _write(tmp_path, GOOD.replace("names: [甲, 乙]", "names:\n  - 甲\n  - 3").replace("'第.篇'", "'第(篇'"))
    problems = _problems(path)
    assert [line for line, _ in problems] == [5, 8]
    assert problems[0][1].startswith("names.第2项：应为文字") and problems[1][1].startswith("pattern：正则表达式有误")


def test_knowledge_loader_reports_every_problem_at_once(tmp_path):
    text = "threshold: -1\nmode: 3\nnames: 甲\ninner:\n  size: 0\npattern: '('\nextra: 1\n"
    problems = _problems(_write(tmp_path, text))
    assert [line for line, _ in problems] == [1, 2, 3, 5, 6, 7]
    assert all(message for _, message in problems)


def test_knowledge_loader_yaml_syntax_error(tmp_path):
    path = _write(tmp_path, "threshold: 0.5\nnames: [甲, 乙\nmode: fast\n")
    with pytest.raises(DataError) as caught:
        load_file(path, Example)
    [problem] = caught.value.problems
    assert problem.path == str(path) and problem.line is not None and problem.line >= 2
    assert problem.message.startswith("YAML 语法错误")
    assert str(caught.value).startswith(f"{path}:{problem.line}: ")


def test_knowledge_loader_duplicate_keys_each_reported(tmp_path):
    path = _write(tmp_path, GOOD + "mode: slow\nthreshold: 0.2\n")
    with pytest.raises(DataError) as caught:
        load_yaml(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (7, "键 “mode” 重复（第 2 行已有）"),
        (8, "键 “threshold” 重复（第 1 行已有）"),
    ]


def test_knowledge_loader_missing_file(tmp_path):
    with pytest.raises(DataError) as caught:
        load_file(tmp_path / "nowhere.yaml", Example)
    assert caught.value.message == "文件不存在" and str(caught.value) == f"{tmp_path / 'nowhere.yaml'}: 文件不存在"


def test_knowledge_loader_empty_file_is_not_a_mapping(tmp_path):
    path = _write(tmp_path, "# 只有注释\n")
    assert _problems(path) == [(None, "应为映射（键: 值）")]


def test_knowledge_loader_section_of_a_shared_file(tmp_path):
    path = _write(tmp_path, "other: 1\nsection:\n  size: 0\n")
    with pytest.raises(DataError) as caught:
        validate(load_yaml(path), Inner, path, at=("section",))
    assert [(p.line, p.message) for p in caught.value.problems] == [(3, "section.size：应不小于 1（现为 0）")]
    with pytest.raises(DataError) as caught:
        validate(load_yaml(path), Inner, path, at=("missing",))
    assert caught.value.message == "缺少键 “missing”"


def test_knowledge_loader_shipped_settings_files_load():
    from extractors.documents import load_resources
    from models.alignment import load_alignment_settings
    from models.comparison import load_comparison_settings
    from models.decision_features import load_decision_settings
    from models.settings import load_settings
    from pipelines.reports.wording import load_wording

    assert load_settings().feature_weights["text_words"] == 1.0
    assert load_alignment_settings().char_ngram_range == (2, 3)
    assert load_comparison_settings().quantified_kinds == ("frequency", "count", "coverage")
    assert load_decision_settings().measure_c == (0.05, 0.1, 0.3)
    assert load_wording().settings["chart_dpi"] > 0
    assert load_resources() is not None


def _line(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.lstrip().startswith(fragment))


def test_knowledge_loader_settings_file_reports_all_its_problems(tmp_path):
    from models.settings import DEFAULT_SETTINGS_PATH, load_settings

    text = DEFAULT_SETTINGS_PATH.read_text(encoding="utf-8")
    path = tmp_path / "settings.yaml"
    broken = text.replace("estimator: svm", "estimator: forest").replace("  path_words: 0.0\n", "").replace("cv_folds: 5", "cv_folds: 1")
    path.write_text(broken + "learning_rate: 0.1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_settings(path)
    found = [(p.line, p.message.split("：")[0]) for p in caught.value.problems]
    assert found == [
        (_line(path, "feature_weights:"), "缺少键 “feature_weights.path_words”"),
        (_line(path, "estimator: forest"), "estimator"),
        (_line(path, "cv_folds: 1"), "cv_folds"),
        (_line(path, "learning_rate"), "未知的键 “learning_rate”"),
    ]


def test_knowledge_loader_decision_settings_name_the_grid_line(tmp_path):
    from models.decision_features import SETTINGS_PATH, load_decision_settings

    path = tmp_path / "decisions.yaml"
    path.write_text(SETTINGS_PATH.read_text(encoding="utf-8").replace("measure_c: [0.05, 0.1, 0.3]", "measure_c: [0.05, -1]"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_decision_settings(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [(_line(path, "measure_c:"), "grid.measure_c.第2项：应大于 0（现为 -1）")]
