"""The spec's matching rule: overlap of at least half the shorter span, one-to-one, greedy."""

import json

import pytest

from models.scoring import Span, load_gold, match_spans, score_measures, spans_match


def span(start, end, path="a.txt", status="REQUIRED", bodies=()):
    return Span(path, start, end, "", status, frozenset(bodies))


@pytest.mark.parametrize(
    "a, b, matched",
    [
        (span(0, 10), span(5, 30), True),  # overlap 5 = half of the shorter (10)
        (span(0, 10), span(6, 30), False),  # overlap 4 < 5
        (span(0, 10), span(2, 4), True),  # a span inside another always matches
        (span(0, 10), span(0, 10, path="b.txt"), False),  # other file
        (span(0, 10), span(10, 20), False),  # touching, no overlap
    ],
)
def test_scoring_half_of_shorter_span(a, b, matched):
    assert spans_match(a, b) is matched


def test_scoring_each_gold_matches_one_prediction_greedy_by_overlap():
    gold = [span(0, 20), span(20, 40)]
    predicted = [span(0, 40), span(22, 38)]
    # the long prediction overlaps both golds by 20; the short one overlaps the second by 16
    assert match_spans(gold, predicted) == [(0, 0), (1, 1)]
    one = score_measures([span(0, 20)], [span(0, 20), span(2, 18)])
    assert (one.measures.true_positives, one.measures.predicted, one.measures.gold) == (1, 2, 1)
    assert one.measures.precision == 0.5 and one.measures.recall == 1.0
    assert len(one.false_alarms) == 1 and not one.misses


def test_scoring_status_and_bodies_on_pairs():
    gold = [span(0, 10, status="REQUIRED", bodies={"政协党组", "政协常委会"}), span(20, 30, status="DONE", bodies={"党委"})]
    predicted = [span(0, 10, status="REQUIRED", bodies={"政协党组"}), span(20, 30, status="PLANNED", bodies={"党委", "政府"})]
    scores = score_measures(gold, predicted)
    assert scores.status_accuracy == 0.5
    assert (scores.bodies.true_positives, scores.bodies.predicted, scores.bodies.gold) == (2, 3, 3)
    assert len(scores.status_errors) == 1


def test_scoring_loads_gold_lines(tmp_path):
    row = {"source_path": "000.txt", "doc_type": "opinion", "level": "county", "split": "tune",
           "measures": [{"start": 3, "end": 9, "text": "建立委员档案", "status": "REQUIRED", "bodies": ["政协机关"]}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (doc,) = load_gold(path)
    assert doc.split == "tune" and doc.measures[0].bodies == frozenset({"政协机关"})
