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


class IndexSettings(Schema):
    exact_up_to: PositiveInt  # at most this many measures: every pair compared
    max_postings: PositiveInt  # a feature in more measures than this does not make candidates
    candidates: PositiveInt  # per measure, the most promising kept and scored exactly


class AlignmentSettings(Schema):
    threshold: float = Field(ge=0, le=1)
    combine: Literal["weighted", "max"]
    word_weight: float = Field(ge=0, le=1)  # weight of the word cosine in ``weighted``; the char cosine gets the rest
    char_ngram_range: tuple[PositiveInt, PositiveInt]
    index: IndexSettings  # above ``exact_up_to`` measures, candidates come from an index
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


def _best_in_each_document(similarity: "MeasureSimilarity", vectors, docs: np.ndarray, n_docs: int, block: int) -> list[dict[int, tuple[int, float]]]:
    """Every pair compared: per measure, for each other document, its most similar
    measure there and their similarity (``{document: (measure, similarity)}``)."""
    n = len(docs)
    columns = [np.flatnonzero(docs == k) for k in range(n_docs)]
    out: list[dict[int, tuple[int, float]]] = []
    for begin in range(0, n, block):
        end = min(begin + block, n)
        scores = similarity.similarity_of_vectors((vectors[0][begin:end], vectors[1][begin:end]), vectors)
        best = {}
        for k, cols in enumerate(columns):
            sub = scores[:, cols]
            arg = sub.argmax(axis=1)
            best[k] = (cols[arg], sub[np.arange(end - begin), arg])
        for r in range(end - begin):
            own = int(docs[begin + r])
            # a measure sharing nothing with a document has no match there (as in the index)
            out.append({k: (int(j[r]), float(v[r])) for k, (j, v) in best.items() if k != own and v[r] > 0})
    return out


def _best_in_documents_indexed(combined: sp.csr_matrix, docs: np.ndarray, index: IndexSettings, block: int) -> list[dict[int, tuple[int, float]]]:
    """As ``_best_in_each_document``, over candidates: two measures are candidates when
    they share features that at most ``max_postings`` measures have (what two texts share
    with hundreds of others says little of them); each measure keeps its ``candidates``
    best by those features, scored exactly. The work grows with the corpus, not its
    square; a best match reached only through common words is missed. ``combined``: the
    measures' vectors whose dot product is their similarity (``_combined``)."""
    postings = np.diff(combined.tocsc().indptr)
    rare = combined[:, np.flatnonzero(postings <= index.max_postings)].tocsr()
    rare_t = rare.T.tocsr()
    n = len(docs)
    out: list[dict[int, tuple[int, float]]] = []
    for begin in range(0, n, block):
        end = min(begin + block, n)
        approx = (rare[begin:end] @ rare_t).tocsr()
        rows, cols = [], []
        for r in range(end - begin):
            lo, hi = approx.indptr[r], approx.indptr[r + 1]
            js, vs = approx.indices[lo:hi], approx.data[lo:hi]
            keep = docs[js] != docs[begin + r]
            js, vs = js[keep], vs[keep]
            if len(js) > index.candidates:
                top = np.argpartition(-vs, index.candidates)[: index.candidates]
                js = js[top]
            rows.append(np.full(len(js), begin + r))
            cols.append(js)
        rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        cols_all = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        exact = np.asarray(combined[rows_all].multiply(combined[cols_all]).sum(axis=1)).ravel() if len(rows_all) else np.zeros(0)
        found: list[dict[int, tuple[int, float]]] = [{} for _ in range(end - begin)]
        # best first, so the first seen per document is its best; ties to the lower index
        for t in np.lexsort((cols_all, -exact)):
            i, j, score = int(rows_all[t]), int(cols_all[t]), float(exact[t])
            found[i - begin].setdefault(int(docs[j]), (j, score))
        out += found
    return out


def _cluster_key(members: Iterable[str]) -> str:
    return "c" + min(members)


def _merge_clusters(n: int, docs: np.ndarray, edges: list[tuple[float, int, int]], pair_scores, threshold: float, combined=None) -> list[int]:
    """Average-linkage merging along ``edges`` (score, i, j), strongest first.

    Two clusters merge when they share no document and the mean similarity of
    all their cross pairs (``pair_scores(members_a, members_b)``) reaches
    ``threshold``: a cluster holds at most one measure per document, and a loose
    chain of pairwise matches does not become one cluster.

    ``combined``: the measures' vectors whose dot product is their similarity (the
    ``weighted`` combination); the mean cross similarity is then the dot product of the
    two clusters' summed vectors over the product of their sizes, kept per cluster.
    """
    parent = list(range(n))
    members = [[x] for x in range(n)]
    doc_sets = [{int(d)} for d in docs]
    sums: dict[int, Any] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def summed(root: int):
        if root not in sums:
            sums[root] = combined[root]
        return sums[root]

    def mean_score(ri: int, rj: int) -> float:
        if combined is None:
            return float(pair_scores(members[ri], members[rj]).mean())
        return float(summed(ri).multiply(summed(rj)).sum()) / (len(members[ri]) * len(members[rj]))

    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = find(i), find(j)
        if ri == rj or doc_sets[ri] & doc_sets[rj]:
            continue
        if (len(members[ri]) > 1 or len(members[rj]) > 1) and mean_score(ri, rj) < threshold:
            continue
        if len(members[ri]) < len(members[rj]):
            ri, rj = rj, ri
        if combined is not None:
            sums[ri] = summed(ri) + summed(rj)
            sums.pop(rj, None)
        parent[rj] = ri
        members[ri] += members[rj]
        doc_sets[ri] |= doc_sets[rj]
    return [find(x) for x in range(n)]


def _combined(similarity: "MeasureSimilarity", vectors) -> sp.csr_matrix:
    """One matrix whose rows' dot products are the ``weighted`` similarity."""
    w = similarity.word_weight
    return sp.hstack([vectors[0] * np.sqrt(w), vectors[1] * np.sqrt(1.0 - w)]).tocsr()


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
    ``best_match_*`` is the most similar measure of any other document, however low its
    similarity (None when there is no other document or it shares nothing with any). Two measures are linked when
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

    Up to ``index.exact_up_to`` measures every pair is compared; above, candidates come
    from an index (``_best_in_documents_indexed``), so the work grows with the corpus.
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
    vectors = similarity.vectors([e.text for e in out])
    n = len(out)
    # the weighted similarity is a dot product of one matrix: the index and the clusters' sums use it
    combined = _combined(similarity, vectors) if similarity.combine == "weighted" else None
    if n <= settings.index.exact_up_to or combined is None:
        best_in_doc = _best_in_each_document(similarity, vectors, docs, len(doc_names), block)
    else:
        best_in_doc = _best_in_documents_indexed(combined, docs, settings.index, block)
    edges: list[tuple[float, int, int]] = []
    best: list[tuple[str | None, float | None]] = []
    for i in range(n):
        row = best_in_doc[i]
        if not row:
            best.append((None, None))
            continue
        # the most similar; among equals, the first document's (then its first measure)
        _, (j, score) = max(row.items(), key=lambda item: (item[1][1], -item[0]))
        best.append((out[j].measure_id, round(float(score), 4)))
        for k, (j, score) in row.items():
            # mutual best match between the two documents
            if score >= threshold and i < j and best_in_doc[j].get(int(docs[i]), (-1, 0.0))[0] == i:
                edges.append((float(score), i, j))

    def pair_scores(a: list[int], b: list[int]) -> np.ndarray:
        return similarity.similarity_of_vectors((vectors[0][a], vectors[1][a]), (vectors[0][b], vectors[1][b]))

    labels = _merge_clusters(n, docs, edges, pair_scores, threshold, combined)
    members: dict[int, list[str]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(out[index].measure_id)
    return [
        replace(entry, cluster_id=_cluster_key(members[label]), best_match_id=match, best_match_similarity=score)
        for entry, label, (match, score) in zip(out, labels, best)
    ]

