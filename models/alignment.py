"""Which measures of different documents ask for the same thing.

两条举措的相似度由两部分组成：jieba 分词（项目词典）的 TF-IDF 余弦，和字符 2–3 元组的
TF-IDF 余弦；两个向量器都只在本次运行的举措上拟合。合并方式（加权平均或取大）和阈值
都记在 ``alignment.yaml`` 里，并附有在标注句对（``gold/pairs.jsonl``）上测得的
精确率、召回率和 F1（``models.evaluation.evaluate_pairs``）——改阈值请改文件，不改代码。

Measures whose combined similarity reaches the threshold and that belong to
different documents are linked; the connected components of those links are the
clusters (``cluster_id``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

import numpy as np
import scipy.sparse as sp
from pydantic import Field, PositiveInt, field_validator
from sklearn.feature_extraction.text import TfidfVectorizer

from extractors.knowledge import Schema, load_file
from extractors.reading import normalize_text
from extractors.tokens import words
from extractors.types import CatalogueEntry

DEFAULT_ALIGNMENT_PATH = Path(__file__).with_name("alignment.yaml")

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_DROP = re.compile(r"[^\w\u4e00-\u9fff]+")

__all__ = [
    "AlignmentSettings",
    "MeasureSimilarity",
    "load_alignment_settings",
    "normalize_text",
    "word_tokens",
    "build_similarity",
    "align_measures",
    "DEFAULT_ALIGNMENT_PATH",
]


# ---------------------------------------------------------------- settings


class AlignmentSettings(Schema):
    threshold: float = Field(ge=0, le=1)
    combine: Literal["weighted", "max"]
    word_weight: float = Field(ge=0, le=1)  # weight of the word cosine in ``weighted``; the char cosine gets the rest
    char_ngram_range: tuple[PositiveInt, PositiveInt]
    evaluation: dict[str, Any]  # what justified the threshold
    path: str = ""  # set by the loader, not written in the file

    @field_validator("char_ngram_range")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] > value[1]:
            raise ValueError(f"应为 [最小, 最大]（现为 {list(value)}）")
        return value


def load_alignment_settings(path: str | Path = DEFAULT_ALIGNMENT_PATH) -> AlignmentSettings:
    """Read and validate ``alignment.yaml``; all problems are reported with file and line."""
    return load_file(path, AlignmentSettings).model_copy(update={"path": str(path)})


# ---------------------------------------------------------------- features


def char_text(text: str) -> str:
    """What the character n-grams see: normalised text without punctuation and spaces."""
    return _DROP.sub("", normalize_text(text))


def word_tokens(text: str) -> list[str]:
    """jieba words of a measure with the project dictionary; punctuation dropped.

    A module-level function, so a fitted vectorizer that uses it pickles.
    """
    return [w for w in words(normalize_text(text)) if _KEEP.search(w)]


class MeasureSimilarity:
    """Word and character TF-IDF fitted on one run's measures; cosine, combined.

    ``fit`` learns the vocabularies; ``similarity`` returns the combined cosine of
    every text of ``a`` with every text of ``b`` (dense, ``len(a) × len(b)``).
    """

    def __init__(self, combine: str = "weighted", word_weight: float = 0.5, char_ngram_range: tuple[int, int] = (2, 3)):
        self.combine = combine
        self.word_weight = word_weight
        self.char_ngram_range = tuple(char_ngram_range)

    def fit(self, texts: Sequence[str]) -> "MeasureSimilarity":
        texts = list(texts)
        if not texts:
            raise ValueError("no measure texts to fit the similarity on")
        self.word_vectorizer_ = TfidfVectorizer(
            tokenizer=word_tokens, token_pattern=None, lowercase=False, sublinear_tf=True
        ).fit(texts)
        self.char_vectorizer_ = TfidfVectorizer(
            analyzer="char", preprocessor=char_text, ngram_range=self.char_ngram_range, lowercase=False, sublinear_tf=True
        ).fit(texts)
        return self

    def vectors(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        texts = list(texts)
        return self.word_vectorizer_.transform(texts), self.char_vectorizer_.transform(texts)

    def combine_cosines(self, word: np.ndarray, char: np.ndarray) -> np.ndarray:
        if self.combine == "max":
            return np.maximum(word, char)
        return self.word_weight * word + (1.0 - self.word_weight) * char

    def similarity_of_vectors(self, a: tuple, b: tuple) -> np.ndarray:
        # TF-IDF rows are L2-normalised: the dot product is the cosine
        word = (a[0] @ b[0].T).toarray()
        char = (a[1] @ b[1].T).toarray()
        return self.combine_cosines(word, char)

    def similarity(self, a: Sequence[str], b: Sequence[str] | None = None) -> np.ndarray:
        va = self.vectors(a)
        vb = va if b is None else self.vectors(b)
        return self.similarity_of_vectors(va, vb)


def build_similarity(texts: Sequence[str], settings: AlignmentSettings | None = None) -> MeasureSimilarity:
    """A similarity fitted on ``texts`` (the measures of the run), configured by ``alignment.yaml``."""
    settings = settings or load_alignment_settings()
    return MeasureSimilarity(settings.combine, settings.word_weight, settings.char_ngram_range).fit(texts)


# ---------------------------------------------------------------- alignment


def _cluster_key(members: Iterable[str]) -> str:
    return "c" + min(members)


def _merge_clusters(n: int, docs: np.ndarray, edges: list[tuple[float, int, int]], pair_scores, threshold: float) -> list[int]:
    """Average-linkage merging along ``edges`` (score, i, j), strongest first.

    Two clusters merge when they share no document and the mean similarity of
    all their cross pairs (``pair_scores(members_a, members_b)``) reaches
    ``threshold``: a cluster holds at most one measure per document, and a loose
    chain of pairwise matches does not become one cluster.
    """
    parent = list(range(n))
    members = [[x] for x in range(n)]
    doc_sets = [{int(d)} for d in docs]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = find(i), find(j)
        if ri == rj or doc_sets[ri] & doc_sets[rj]:
            continue
        if (len(members[ri]) > 1 or len(members[rj]) > 1) and pair_scores(members[ri], members[rj]).mean() < threshold:
            continue
        if len(members[ri]) < len(members[rj]):
            ri, rj = rj, ri
        parent[rj] = ri
        members[ri] += members[rj]
        doc_sets[ri] |= doc_sets[rj]
    return [find(x) for x in range(n)]


def align_measures(
    entries: Sequence[CatalogueEntry],
    threshold: float | None = None,
    *,
    similarity: MeasureSimilarity | None = None,
    settings: AlignmentSettings | None = None,
    block: int = 512,
) -> list[CatalogueEntry]:
    """Copies of ``entries`` with ``cluster_id``, ``best_match_id`` and ``best_match_similarity``.

    Only measures of different documents (``doc_id``) are compared.
    ``best_match_*`` is the most similar measure of any other document, whatever its
    score (None when there is no other document). Two measures are linked when
    each is the other's best match within the other's document and their
    similarity reaches ``threshold``; ``cluster_id`` names the connected
    components of these links: ``"c"`` + the smallest ``measure_id`` of the
    cluster, stable while the cluster is. A measure with no link has a cluster of
    its own.

    Links are merged strongest first (average linkage): a merge that would put two
    measures of one document into one cluster, or whose mean cross similarity is
    below the threshold, is refused. (Plain connected components chain generic
    clauses: at the chosen threshold one component swallowed 699 of the 768 seed
    measures.)
    """
    settings = settings or load_alignment_settings()
    threshold = settings.threshold if threshold is None else threshold
    out = list(entries)
    if not out:
        return out
    similarity = similarity or build_similarity([e.text for e in out], settings)
    doc_names = sorted({e.doc_id for e in out})
    doc_index = {d: k for k, d in enumerate(doc_names)}
    docs = np.array([doc_index[e.doc_id] for e in out])
    columns = [np.flatnonzero(docs == k) for k in range(len(doc_names))]
    vectors = similarity.vectors([e.text for e in out])
    n = len(out)
    best_in_doc = np.full((n, len(doc_names)), -1, dtype=np.int64)  # best measure of each other document
    best_score = np.full((n, len(doc_names)), -1.0)
    for begin in range(0, n, block):
        end = min(begin + block, n)
        part = (vectors[0][begin:end], vectors[1][begin:end])
        scores = similarity.similarity_of_vectors(part, vectors)
        for k, cols in enumerate(columns):
            sub = scores[:, cols]
            arg = sub.argmax(axis=1)
            best_in_doc[begin:end, k] = cols[arg]
            best_score[begin:end, k] = sub[np.arange(end - begin), arg]
    own = docs[:, None] == np.arange(len(doc_names))[None, :]
    best_score[own] = -1.0
    best_in_doc[own] = -1
    edges: list[tuple[float, int, int]] = []
    best: list[tuple[str | None, float | None]] = []
    for i in range(n):
        k = int(best_score[i].argmax()) if len(doc_names) > 1 else -1
        if k < 0 or best_score[i, k] < 0:
            best.append((None, None))
        else:
            best.append((out[int(best_in_doc[i, k])].measure_id, round(float(best_score[i, k]), 4)))
        for k in np.flatnonzero(best_score[i] >= threshold):
            j = int(best_in_doc[i, k])
            if i < j and best_in_doc[j, docs[i]] == i:  # mutual best match between the two documents
                edges.append((float(best_score[i, k]), i, j))
    def pair_scores(a: list[int], b: list[int]) -> np.ndarray:
        return similarity.similarity_of_vectors((vectors[0][a], vectors[1][a]), (vectors[0][b], vectors[1][b]))

    labels = _merge_clusters(n, docs, edges, pair_scores, threshold)
    members: dict[int, list[str]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(out[index].measure_id)
    return [
        replace(entry, cluster_id=_cluster_key(members[label]), best_match_id=match, best_match_similarity=score)
        for entry, label, (match, score) in zip(out, labels, best)
    ]

