"""Every measure, body and target span points back into the source text, whatever
stretch of a seed is taken as the document."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.measures import build_nlp, extract_measures
from extractors.noise import find_masks, load_noise_rules
from extractors.reading import read_source
from extractors.sections import load_heading_rules, segment_sections
from extractors.sentences import load_sentence_rules, split_sentences
from extractors.types import Document

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def engine():
    return build_nlp(), load_noise_rules(), load_heading_rules(), load_sentence_rules()


def check(source, start, end, doc_type, engine):
    nlp, noise, headings, sentence_rules = engine
    analysis = source.analysis_text
    masks = tuple(m for m in find_masks(analysis, noise) if m.start < end and m.end > start)
    sections = segment_sections(analysis, start, end, masks, rules=headings)
    sentences = split_sentences(analysis, start, end, masks, tuple(sections), rules=sentence_rules)
    document = Document(f"{source.source_path}#1", source.source_path, start, end, doc_type=doc_type)
    measures = extract_measures(source, document, sections, sentences, nlp=nlp)
    text = source.text
    for m in measures:
        assert text[m.start : m.end] == m.text
        assert start <= m.start < m.end <= end
        assert m.sentence_start <= m.start and m.end <= m.sentence_end
        assert m.text and m.text[-1] not in "，。；、,;"
        for body in m.bodies:
            assert text[body.start : body.end] == body.mention
        for target in m.targets:
            assert text[target.start : target.end] == target.text
            assert m.start - 40 <= target.start  # targets come from the measure's own clause
    return measures


@pytest.mark.parametrize("name", SEEDS)
def test_measures_spans_whole_seed(name, engine):
    source = read_source(CORPUS / name, CORPUS)
    assert check(source, 0, len(source.text), "opinion", engine)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(SEEDS),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
    doc_type=st.sampled_from([None, "opinion", "speech", "report", "article", "news", "plan"]),
)
def test_measures_spans_any_stretch_of_any_seed(name, a, b, doc_type, engine):
    source = read_source(CORPUS / name, CORPUS)
    n = len(source.text)
    start, end = sorted((int(a * n), int(b * n)))
    check(source, start, end, doc_type, engine)
