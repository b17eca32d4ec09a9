"""Features of a measure for the catalogue classifier.

A measure is seen through five fields: its clause, its object, the heading of its
section (under `（四）切实强化对委员队伍的教育和管理` most measures are about members),
the headings above that one, and the sentence around it (`着力抓好社情民意信息工作，…，
加强机关干部采编能力建设` is about information work, not about the office). Each field
gets its own jieba bag of words, weighted separately, and the clause also gets
character n-grams, which survive segmentation mistakes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from extractors.reading import to_simplified
from extractors.tokens import words
from extractors.types import CatalogueEntry

_WORD_CHAR = re.compile(r"[\w\u4e00-\u9fff]")

__all__ = ["ClassifierInput", "tokenize", "build_features", "FIELDS"]

FIELDS = ("text", "object", "heading", "path", "sentence")


@dataclass(frozen=True)
class ClassifierInput:
    text: str
    object: str = ""
    heading: str = ""  # the innermost heading above the measure
    path: str = ""  # the headings above that one, outermost first
    sentence: str = ""  # the sentence the measure sits in

    def __post_init__(self) -> None:
        # rows keep the source's script; the classifier reads one script, simplified
        for name in FIELDS:
            object.__setattr__(self, name, _simplified(getattr(self, name)))

    @classmethod
    def from_context(cls, text: str, section_path: Sequence[str] | str = (), sentence: str = "", object: str = "") -> "ClassifierInput":
        """The innermost heading of ``section_path`` is the heading, the others the path.

        A heading that holds the measure itself (`三是积极帮助贫困户找到…项目。` over
        `积极帮助贫困户找到…项目`) says nothing the clause does not; the heading above it
        is the measure's context."""
        # simplified before the containment test below; the fields are simplified anyway
        text = _simplified(text)
        path = [_simplified(section_path)] if isinstance(section_path, str) else [_simplified(str(p)) for p in section_path or ()]
        while path and text and text in path[-1]:
            path.pop()
        return cls(
            text=text,
            object=object,
            heading=path[-1] if path else "",
            path=" ".join(path[:-1]),
            sentence=sentence,
        )

    @classmethod
    def from_entry(cls, entry: CatalogueEntry) -> "ClassifierInput":
        """From a catalogue entry (``from_context`` of its fields)."""
        return cls.from_context(entry.text, entry.section_path, entry.sentence, entry.object)


def _simplified(text: str) -> str:
    return to_simplified(text)[0] if text else text


def tokenize(text: str) -> list[str]:
    """jieba words of ``text`` without punctuation and spaces.

    Module-level so a fitted vectorizer that refers to it can be pickled.
    """
    if not text:
        return []
    return [w for w in words(text) if _WORD_CHAR.search(w)]


def select_field(inputs: Iterable[ClassifierInput], field: str) -> list[str]:
    return [getattr(item, field) or "" for item in inputs]


def _field(field: str) -> FunctionTransformer:
    return FunctionTransformer(select_field, kw_args={"field": field}, validate=False)


class OptionalText(BaseEstimator, TransformerMixin):
    """A vectorizer for a field that may be empty in every training item.

    Training data from the taxonomy has no objects and no headings; a plain
    vectorizer refuses an empty vocabulary, this one contributes no columns.
    """

    def __init__(self, vectorizer=None):
        self.vectorizer = vectorizer

    def fit(self, texts, y=None):
        texts = list(texts)
        self.empty_ = not any(texts)
        if not self.empty_:
            try:
                self.vectorizer_ = clone(self.vectorizer).fit(texts)
            except ValueError:  # only stop words or punctuation
                self.empty_ = True
        return self

    def transform(self, texts):
        texts = list(texts)
        if self.empty_:
            return sp.csr_matrix((len(texts), 0), dtype=np.float64)
        return self.vectorizer_.transform(texts)


def _words() -> OptionalText:
    return OptionalText(
        TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True)
    )


def _chars(ngram_range: Sequence[int]) -> OptionalText:
    return OptionalText(TfidfVectorizer(analyzer="char", ngram_range=tuple(ngram_range), sublinear_tf=True))


def build_features(weights: Mapping[str, float], char_ngrams: Sequence[int] = (1, 3)) -> FeatureUnion:
    """The feature union: ``<field>_words`` for every field of ``FIELDS`` and
    ``text_chars`` for the clause, each part scaled by its weight; a part weighted 0
    (or not named in ``weights``) is left out."""
    parts = [(f"{name}_words", Pipeline([("select", _field(name)), ("tfidf", _words())])) for name in FIELDS]
    parts.append(("text_chars", Pipeline([("select", _field("text")), ("tfidf", _chars(char_ngrams))])))
    parts = [(name, part) for name, part in parts if float(weights.get(name, 0.0)) > 0]
    return FeatureUnion(parts, transformer_weights={name: float(weights[name]) for name, _ in parts})
