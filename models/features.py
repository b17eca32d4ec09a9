"""Features of a measure for the catalogue classifier.

A measure is seen as an analyst reads it: its clause, its object, the heading of its
section (under `（四）切实强化对委员队伍的教育和管理` most measures are about members),
the headings above that one, the sentence around it (`着力抓好社情民意信息工作，…，
加强机关干部采编能力建设` is about information work, not about the office), the bodies
responsible for it and the document's genre. Each text field gets its own jieba bag
of words, weighted separately, and the clause also gets character n-grams, which
survive segmentation mistakes. Bodies and genre are tokens of their own. Every field
is read simplified and full-width folded, so a traditional or half-width copy of a
measure gets the same features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from extractors.knowledge import DataError, Problem, Schema, load_file
from extractors.reading import normalize_text
from extractors.tokens import words
from extractors.types import CatalogueEntry, Document, Measure

_WORD_CHAR = re.compile(r"[\w\u4e00-\u9fff]")

__all__ = ["ClassifierInput", "tokenize", "build_features", "body_tokens", "FIELDS", "TOKEN_FIELDS"]

FIELDS = ("text", "object", "heading", "path", "sentence", "title")  # text fields, each a bag of words
TOKEN_FIELDS = ("bodies", "genre")  # space-separated tokens


@dataclass(frozen=True)
class ClassifierInput:
    text: str
    object: str = ""
    heading: str = ""  # the innermost heading above the measure
    path: str = ""  # the headings above that one, outermost first
    sentence: str = ""  # the sentence the measure sits in
    title: str = ""  # the document's title
    bodies: str = ""  # canonical names of the responsible bodies, space-separated
    genre: str = ""  # the document's doc_type
    section: str = ""  # a key shared by the measures of one section of one document (not a feature)
    document: str = ""  # the document's id: measures share their sentence only within it (not a feature)

    def __post_init__(self) -> None:
        # rows keep the source's script and punctuation; the classifier reads one form
        for name in FIELDS:
            object.__setattr__(self, name, _normalized(getattr(self, name)))

    @classmethod
    def from_context(
        cls,
        text: str,
        section_path: Sequence[str] | str = (),
        sentence: str = "",
        object: str = "",
        bodies: Sequence[str] = (),
        genre: str = "",
        document: str = "",
        title: str = "",
    ) -> "ClassifierInput":
        """The innermost heading of ``section_path`` is the heading, the others the path.

        A heading that holds the measure itself (`三是积极帮助贫困户找到…项目。` over
        `积极帮助贫困户找到…项目`) says nothing the clause does not; the heading above it
        is the measure's context. ``document`` (its id) keys the measure's section."""
        # section key from the path as given: measures under one heading of one document
        key = section_key(document, section_path)
        # normalised before the containment test below; the fields are normalised anyway
        text = _normalized(text)
        path = [_normalized(section_path)] if isinstance(section_path, str) else [_normalized(str(p)) for p in section_path or ()]
        while path and text and text in path[-1]:
            path.pop()
        return cls(
            text=text,
            object=object,
            heading=path[-1] if path else "",
            path=" ".join(path[:-1]),
            sentence=sentence,
            title=title or "",
            bodies=body_tokens(bodies),
            genre=genre or "",
            section=key,
            document=document or "",
        )

    @classmethod
    def from_entry(cls, entry: CatalogueEntry) -> "ClassifierInput":
        """From a catalogue entry (``from_context`` of its fields)."""
        bodies = [b.canonical for b in entry.bodies]
        return cls.from_context(entry.text, entry.section_path, entry.sentence, entry.object, bodies, entry.doc_type or "", entry.doc_id, entry.title or "")

    @classmethod
    def from_measure(cls, measure: Measure, source_text: str, document: Document) -> "ClassifierInput":
        """From an extracted measure, as its catalogue entry will read (same fields)."""
        sentence = source_text[measure.sentence_start : measure.sentence_end]
        bodies = [b.canonical for b in measure.bodies]
        return cls.from_context(
            measure.text, measure.section_path, sentence, measure.object, bodies, document.doc_type or "", measure.doc_id, document.title or ""
        )


def section_key(document: str, section_path: Sequence[str] | str) -> str:
    """``document`` and its headings; empty for a measure outside every section or of no document."""
    path = [section_path] if isinstance(section_path, str) else list(section_path or ())
    return f"{document}\x1f" + "\x1f".join(path) if document and any(path) else ""


def body_tokens(names: Sequence[str]) -> str:
    """Distinct body names, in order, one token each."""
    return " ".join(dict.fromkeys(_normalized(n).replace(" ", "") for n in names if n))


def _normalized(text: str) -> str:
    return normalize_text(text) if text else text


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


def _tokens() -> OptionalText:
    # str.split pickles; each body name or genre is one token, present or not
    return OptionalText(TfidfVectorizer(analyzer=str.split, use_idf=False, binary=True))


SIGNALS_PATH = Path(__file__).with_name("class_signals.yaml")
SIGNAL_FIELDS = ("text", "sentence")


class _SignalsFile(Schema):
    signals: dict[str, str]


def load_signals(path: Path = SIGNALS_PATH) -> tuple[tuple[str, str], ...]:
    """The named patterns of ``class_signals.yaml``; a pattern that does not compile is a ``DataError``."""
    loaded = load_file(path, _SignalsFile)
    problems = []
    for name, pattern in loaded.signals.items():
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(Problem(str(path), None, f"信号 “{name}” 的正则表达式无效：{exc}"))
    if problems:
        raise DataError(problems=problems)
    return tuple(loaded.signals.items())


class SignalTokens(BaseEstimator, TransformerMixin):
    """``<field>:<signal>`` tokens for each signal of ``class_signals.yaml`` found in the
    clause or its sentence: regularities cue words cannot say (a scoring rule's points)."""

    def __init__(self, signals: tuple = ()):
        self.signals = signals

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = list(X)
        compiled = [(name, re.compile(pattern)) for name, pattern in self.signals]
        columns = {(f, name): i for i, (f, name) in enumerate((f, name) for f in SIGNAL_FIELDS for name, _ in compiled)}
        rows, cols = [], []
        for row, item in enumerate(X):
            for f in SIGNAL_FIELDS:
                text = getattr(item, f)
                for name, pattern in compiled:
                    if text and pattern.search(text):
                        rows.append(row)
                        cols.append(columns[(f, name)])
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(X), len(columns)))


def build_features(weights: Mapping[str, float], char_ngrams: Sequence[int] = (1, 3)) -> FeatureUnion:
    """The feature union: ``<field>_words`` for every field of ``FIELDS``,
    ``text_chars`` for the clause and ``<field>_tokens`` for ``TOKEN_FIELDS``, each
    part scaled by its weight; a part weighted 0 (or not named in ``weights``) is left out."""
    parts = [(f"{name}_words", Pipeline([("select", _field(name)), ("tfidf", _words())])) for name in FIELDS]
    parts.append(("text_chars", Pipeline([("select", _field("text")), ("tfidf", _chars(char_ngrams))])))
    parts += [(f"{name}_tokens", Pipeline([("select", _field(name)), ("tfidf", _tokens())])) for name in TOKEN_FIELDS]
    parts.append(("signal_tokens", SignalTokens(load_signals())))
    parts = [(name, part) for name, part in parts if float(weights.get(name, 0.0)) > 0]
    return FeatureUnion(parts, transformer_weights={name: float(weights[name]) for name, _ in parts})
