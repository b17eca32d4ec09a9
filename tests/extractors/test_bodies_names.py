"""Body names that look alike: another assembly's standing committee is not the 政协's."""

from __future__ import annotations

import pytest

from extractors.bodies import find_mentions
from extractors.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _canonical(text: str, lexicon) -> list[str]:
    return [m.canonical for m in find_mentions(text, lexicon)]


@pytest.mark.parametrize(
    "text",
    [
        "全国人大常委会审议通过了监督法",
        "提请市人大常委会审议",
        "县人大常务委员会听取报告",
        "全国人民代表大会及其常务委员会已经制定了一批重要法律",
        "全国人大及其常委会加快了立法步伐",
    ],
)
def test_peoples_congress_standing_committee_is_not_the_cppcc_one(text, lexicon):
    assert "政协常委会" not in _canonical(text, lexicon)


@pytest.mark.parametrize(
    "text",
    ["县政协常委会审议通过协商建议案", "经常委会审议通过后报送县委", "市政协常务委员会听取专委会工作汇报"],
)
def test_cppcc_standing_committee_is_still_found(text, lexicon):
    assert "政协常委会" in _canonical(text, lexicon)


def test_finance_bureau_by_level_word_but_not_the_budget(lexicon):
    assert "财政部门" in _canonical("县财政每年安排专项经费", lexicon)
    assert "财政部门" not in _canonical("委员工作经费列入县财政预算", lexicon)


def test_the_un_secretary_general_is_not_the_cppcc_office(lexicon):
    assert "政协机关" not in _canonical("联合国秘书长为和平解决危机所进行的调解活动", lexicon)
    assert "政协机关" in _canonical("秘书长办公会每月研究机关工作", lexicon)
