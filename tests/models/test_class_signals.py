"""The text signals of class_signals.yaml: what they match, and a broken pattern named."""

from __future__ import annotations

import pytest

from extractors.knowledge import DataError
from models.features import SIGNALS_PATH, ClassifierInput, SignalTokens, load_signals


def test_class_signals_mark_a_scored_duty_and_nothing_else():
    signals = SignalTokens(load_signals())
    names = [f"{f}:{n}" for f in ("text", "sentence") for n, _ in load_signals()]
    rows = signals.transform([
        ClassifierInput("参加市政协组织的调研，一次２分"),
        ClassifierInput("无故缺席扣3分"),
        ClassifierInput("分析研究", sentence="分类推进、分层培训"),
    ]).toarray()
    found = [{names[j] for j in row.nonzero()[0]} for row in rows]
    assert found == [{"text:points"}, {"text:points", "text:deduction"}, set()]


def test_class_signals_a_broken_pattern_is_named(tmp_path):
    path = tmp_path / "class_signals.yaml"
    path.write_text(SIGNALS_PATH.read_text(encoding="utf-8") + "  broken: '([0-9]+'\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_signals(path)
    assert "broken" in str(caught.value) and str(path) in str(caught.value)
