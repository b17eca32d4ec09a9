"""The cue-word baseline used beside the model in reports."""

from __future__ import annotations

from models.classifier import ClassifierInput
from models.training import cue_word_baseline


def test_training_baseline_matches_cue_words(taxonomy):
    classify = cue_word_baseline(taxonomy)
    result = classify("建设“有事好商量”协商议事室")
    assert result.category == "GRASSROOTS"
    assert result.name == "基层协商与联系群众"
    assert list(result.scores) == list(taxonomy.codes)


def test_training_baseline_without_cue_falls_back_and_asks_for_review(taxonomy):
    result = cue_word_baseline(taxonomy)("推动政协工作再上新台阶")
    assert (result.category, result.confidence, result.needs_review) == (taxonomy.fallback, 0.0, True)


def test_training_baseline_heading_cues_count(taxonomy):
    classify = cue_word_baseline(taxonomy)
    result = classify(ClassifierInput("健全工作机制", heading="（四）切实强化对委员队伍的教育和管理"))
    assert result.scores["MEMBERS"] > 0
    assert classify("健全工作机制").scores["MEMBERS"] == 0
