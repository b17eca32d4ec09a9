"""One coordinate system: every span of every seed points back into its source text."""

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.measures import build_nlp, doc_offsets
from extractors.noise import find_masks, load_noise_rules
from extractors.sentences import load_sentence_rules, split_sentences, tokenize
from extractors.types import Sentence


def test_spans_every_seed_span_points_into_source(seed_results):
    checked = 0
    for source, results in seed_results.values():
        text = source.text
        for result in results:
            spans = [*result.masks, *result.placeholders, *result.sections, *result.sentences]
            spans += [t for s in result.sentences for t in s.tokens]
            for span in spans:
                assert text[span.start : span.end] == span.text
                checked += 1
    assert checked > 10_000


def test_spans_tokens_cover_sentence(seed_results):
    for source, results in seed_results.values():
        for result in results:
            for sentence in result.sentences:
                assert "".join(t.text for t in sentence.tokens) == sentence.text


def test_spans_sentences_never_include_noise(seed_results):
    for source, results in seed_results.values():
        for result in results:
            for sentence in result.sentences:
                assert not any(m.start < sentence.end and sentence.start < m.end for m in result.masks)


NOISE = ["[bookmark: x1]", "\n首页 > 讲话致辞 > 讲话稿\n", "\n此处内容需要权限查看\n", "本文由素材库整理汇总。"]
CLAUSES = ["建立委员履职档案。", "政协党组要及时研究部署，提出贯彻意见。", "每年至少开展一次集中培训；", "会同市委宣传部门开展宣传。\n"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(CLAUSES + NOISE), min_size=1, max_size=12))
def test_spans_property_random_documents(pieces):
    text = "".join(pieces)
    masks = find_masks(text, load_noise_rules())
    sentences = split_sentences(text, 0, len(text), masks, rules=load_sentence_rules())
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    kept = "".join(s.text for s in sentences)
    for clause in CLAUSES:
        if clause in pieces:
            assert clause.strip().rstrip("；。") in kept


@lru_cache(maxsize=1)
def _nlp():
    return build_nlp()


MIXED = ["委員履職檔案", "  ", "\u3000", "ABC 12", "2024年", "“有事好商量”", "——"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CLAUSES + NOISE + MIXED), min_size=1, max_size=8))
def test_spans_property_sentence_tokens_are_the_measure_pipelines(pieces):
    # The tokens a sentence carries are the ones the measure pipeline cuts it into.
    text = "".join(pieces)
    tokens = tokenize(Sentence(0, len(text), text, None), text, text)
    assert [(t.start, t.end) for t in tokens] == doc_offsets(_nlp().tokenizer(text))
    assert "".join(t.text for t in tokens) == text
    assert all(t.end > t.start for t in tokens)
