"""The body-pattern prefilter gives exactly what running every pattern gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.bodies import candidate_patterns, find_mentions, pattern_requirement
from extractors.documents import load_resources, process_source
from extractors.knowledge import DATA_DIR
from extractors.lexicon import load_lexicon
from extractors.reading import list_sources, read_source

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    """Every sentence, heading and line of the seed corpus, as the extractor sees them."""
    resources = load_resources(measures=False)
    texts = []
    for path, root in list_sources([CORPUS]):
        source = read_source(path, root)
        analysis = source.analysis_text
        texts += [line for line in analysis.splitlines() if line.strip()]
        for result in process_source(source, resources):
            texts += [analysis[s.start : s.end] for s in result.sentences]
            texts += [analysis[s.start : s.end] for s in result.sections]
    return texts


def test_bodies_prefilter_same_mentions_as_reference_on_seeds(seed_texts, lexicon):
    assert len(seed_texts) > 1000
    differ = [t for t in seed_texts if find_mentions(t, lexicon) != find_mentions(t, lexicon, prefilter=False)]
    assert differ == []
    assert sum(len(find_mentions(t, lexicon)) for t in seed_texts) > 1000  # the seeds do name bodies


def test_bodies_prefilter_skips_only_patterns_that_cannot_match(seed_texts, lexicon):
    wrongly_skipped = []
    for text in seed_texts:
        kept = set(candidate_patterns(text, lexicon))
        for order, pattern in enumerate(lexicon.body_patterns):
            if order not in kept and pattern.regex.search(text):
                wrongly_skipped.append((pattern.regex.pattern, text))
    assert wrongly_skipped == []


def test_bodies_prefilter_runs_few_patterns_per_sentence(seed_texts, lexicon):
    # the point of the prefilter: most patterns never run on a given sentence
    runs = sum(len(candidate_patterns(t, lexicon)) for t in seed_texts)
    assert runs < 0.25 * len(lexicon.body_patterns) * len(seed_texts)


@pytest.mark.parametrize(
    "pattern, required",
    [
        ("(?<![机关])党组(成员|书记)?(?!理论学习|会议)", [{"党"}, {"组"}]),
        ("电视台|报社|融媒体中心", [{"电", "报", "融"}]),
        ("财政(部门|局)", [{"财"}, {"政"}, {"部", "局"}, {"门", "局"}]),
        ("中共[一-龥]{2,5}?[省市]委", [{"中"}, {"共"}, {"省", "市"}, {"委"}]),
        ("(各)?界别", [{"界"}, {"别"}]),
        ("[一-龥]{2,5}", []),  # a big class tells nothing
        ("(?i)ab", []),  # case-blind: no literal is certain
        ("委?", []),  # may match nothing
    ],
)
def test_bodies_requirement_read_from_pattern(pattern, required):
    assert [set(c) for c in pattern_requirement(re.compile(pattern))] == required


def test_bodies_prefilter_follows_an_edited_data_file(tmp_path):
    for name in ("measures.yaml", "bodies.yaml", "status.yaml", "targets.yaml", "initiatives.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    text = "县政研室牵头起草。"
    assert not any(m.start == 1 for m in find_mentions(text, load_lexicon(tmp_path)))
    bodies = (tmp_path / "bodies.yaml").read_text(encoding="utf-8")
    assert "      - '研究室'\n" in bodies
    (tmp_path / "bodies.yaml").write_text(bodies.replace("      - '研究室'\n", "      - '研究室'\n      - '政研室'\n"), encoding="utf-8")
    edited = load_lexicon(tmp_path)
    assert [(m.start, m.end, m.canonical) for m in find_mentions(text, edited)] == [(1, 4, "政协机关")]
    assert find_mentions(text, edited) == find_mentions(text, edited, prefilter=False)


_LEXICON = load_lexicon()
_ALPHABET = sorted({ch for p in _LEXICON.body_patterns for ch in p.regex.pattern if "\u4e00" <= ch <= "\u9fff"} | set("、，（）()要和的在"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_bodies_prefilter_same_mentions_on_any_text_of_body_characters(text):
    assert find_mentions(text, _LEXICON) == find_mentions(text, _LEXICON, prefilter=False)
