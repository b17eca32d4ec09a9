"""Analysts change the classes in taxonomy.yaml; the next run follows without code changes."""

from __future__ import annotations

from pathlib import Path

from models.taxonomy import DEFAULT_TAXONOMY_PATH, load_taxonomy
from models.training import load_or_train

WOMEN_CLASS = """
  - code: WOMEN
    name: 妇联界别工作
    definition: 妇联界别委员履职、联系妇女群众、维护妇女儿童权益。
    cues:
      - 妇联
      - 妇联界别
      - 妇女
      - 妇女儿童
      - 妇女群众
      - 女委员
      - 巾帼
      - 妇女权益
      - 儿童权益
      - 家庭家教家风
    examples:
      - 建立妇联界别委员联系妇女群众制度
      - 组织妇联界别女委员开展巾帼建功活动
      - 推动妇联界别围绕妇女儿童权益保障建言献策
"""

WOMEN_MEASURE = "支持妇联界别女委员开展巾帼志愿服务"


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_taxonomy_edit_added_class_is_learned(tmp_path):
    original = DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8")
    before = load_or_train(tmp_path / "cache", _copy(tmp_path, original), cross_validate=False)
    assert "WOMEN" not in before.classifier.classes_

    path = _copy(tmp_path, original + WOMEN_CLASS)
    after = load_or_train(tmp_path / "cache", path, cross_validate=False)

    assert not after.reused  # the taxonomy's hash changed
    result = after.classify_one(WOMEN_MEASURE)
    assert result.category == "WOMEN"
    assert result.name == "妇联界别工作"
    assert set(result.scores) == set(load_taxonomy(path).codes)
    assert after.metadata["classes"][-1] == "WOMEN"


def test_taxonomy_edit_renamed_class_shows_in_output(tmp_path):
    original = DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8")
    first = load_or_train(tmp_path / "cache", _copy(tmp_path, original), cross_validate=False)
    assert first.classify_one("建立委员履职档案").name == "委员队伍建设"

    unchanged = load_or_train(tmp_path / "cache", tmp_path / "taxonomy.yaml", cross_validate=False)
    assert unchanged.reused

    renamed = _copy(tmp_path, original.replace("name: 委员队伍建设\n", "name: 委员队伍建设与管理\n"))
    model = load_or_train(tmp_path / "cache", renamed, cross_validate=False)
    assert not model.reused
    result = model.classify_one("建立委员履职档案")
    assert (result.category, result.name) == ("MEMBERS", "委员队伍建设与管理")
    assert model.metadata["class_names"]["MEMBERS"] == "委员队伍建设与管理"
