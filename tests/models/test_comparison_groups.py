"""Groups from a mapping file and from region metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_catalogue import gold_documents

from models.comparison import comparison_groups, groups_from_metadata, load_compare_mapping, resolve_groups
from extractors.knowledge import DataError

SEED_MAPPING = Path(__file__).resolve().parents[2] / "corpora" / "compare.yaml"


def _doc(doc_id, level, province, prefecture=None, county=None, duplicate_of=None):
    return {"doc_id": doc_id, "source_path": doc_id.split("#")[0], "level": level, "province": province,
            "prefecture": prefecture, "county": county, "duplicate_of": duplicate_of}


# regions as cpca resolves them (dependency-notes: 靖江市 → 江苏省/泰州市; 潼南区 → 重庆市)
TAIZHOU = _doc("taizhou.txt#1", "city", "江苏省", "泰州市")
JINGJIANG = _doc("jingjiang.txt#1", "county", "江苏省", "泰州市", "靖江市")
NANTONG = _doc("nantong.txt#1", "city", "江苏省", "南通市")
TONGNAN = _doc("cq.txt#1", "county", "重庆市", None, "潼南区")
DIANJIANG = _doc("cq.txt#2", "county", "重庆市", None, "垫江县")
COPY = _doc("cq.txt#3", "county", "重庆市", None, "垫江县", duplicate_of="cq.txt#2")


def test_comparison_metadata_pairs_a_city_with_its_counties_only():
    groups = groups_from_metadata([TAIZHOU, JINGJIANG, NANTONG, TONGNAN, DIANJIANG, COPY])
    city = [g for g in groups if g.kind == "city_county"]
    assert [(g.city, g.members) for g in city] == [("taizhou.txt#1", ("jingjiang.txt#1",))]
    peers = [g for g in groups if g.kind == "peers"]
    assert [g.members for g in peers] == [("cq.txt#1", "cq.txt#2")]  # the duplicate is left out


def test_comparison_seed_mapping_resolves_on_gold_documents(tmp_path):
    """The shipped compare.yaml names run doc_ids; gold ids differ, so write the same groups with gold ids."""
    specs, use_metadata = load_compare_mapping(SEED_MAPPING)
    assert use_metadata and [s.kind for s in specs] == ["city_county", "peers"]
    assert specs[0].city == "001_c928dd9025f7e819.txt" and specs[0].members == ("000_c4eeb4407c4e4302.txt",)
    groups, warnings = resolve_groups(specs[:1], gold_documents())
    assert warnings == [] and (groups[0].city, groups[0].members) == ("001", ("000",))


def test_comparison_mapping_file_drops_duplicates_with_a_warning(tmp_path):
    path = tmp_path / "compare.yaml"
    path.write_text("groups:\n  - name: 三篇讲话\n    peers: [003_c6d22d7c8ab3c4ee.txt]\n", encoding="utf-8")
    groups, warnings = comparison_groups(gold_documents(), path)
    assert groups[0].members == ("003-1", "003-2", "003-4", "003-5")
    assert warnings == []  # a file reference silently expands to its non-duplicate documents
    path.write_text("groups:\n  - name: 两篇讲话\n    peers: [003-3, 003-4, 不存在]\n", encoding="utf-8")
    groups, warnings = comparison_groups(gold_documents(), path)
    assert groups == []
    assert any("003-3" in w and "重复" in w for w in warnings)
    assert any("不存在" in w for w in warnings)
    assert any("不足两篇" in w for w in warnings)


def test_comparison_mapping_errors_name_the_line(tmp_path):
    path = tmp_path / "compare.yaml"
    path.write_text(
        "groups:\n  - name: 甲\n    peers: []\n  - name: 乙\n    city: b.txt\n  - city: c.txt\n    counties: [d.txt]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_compare_mapping(path)
    text = str(caught.value)
    assert f"{path}:3:" in text and f"{path}:4:" in text and f"{path}:6:" in text
