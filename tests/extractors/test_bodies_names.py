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
    ["全国人大常委会审议通过了监督法", "提请市人大常委会审议", "县人大常务委员会听取报告"],
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
