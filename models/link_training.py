"""Learning the link decision from the link gold, and choosing its bands.

Each line of ``gold/links.jsonl`` is one compared pair of documents with, for every
measure of ``a``, the measures of ``b`` that take it up (fully or in part). The gold
measures become catalogue entries with their run context (``models.class_data``), so
the features are those a run computes. Cross-validation leaves out one compared pair
at a time: a model never scores the pair it learned from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from extractors.types import CatalogueEntry
from models.class_data import gold_entries
from models.decision_training import AnalysedDocument
from models.links import FEATURES, LinkModel, LinksSettings, fit_link_model, load_synonyms, match_one_to_one, pair_features
from models.scoring import prf

__all__ = ["GoldPair", "read_link_gold", "examples", "fit_pairs", "cross_validate_links", "average_precision", "ablation", "choose_bands", "link_figures"]


@dataclass(frozen=True)
class GoldPair:
    name: str
    kind: str  # city_county | peers
    rows_a: tuple[CatalogueEntry, ...]
    rows_b: tuple[CatalogueEntry, ...]
    linked: frozenset[tuple[int, int]]  # (index in a, index in b) of every gold link
    decisions: tuple[str, ...]  # per measure of a: taken_up | partial | left_out


def read_link_gold(path: Path, analysed: Sequence[AnalysedDocument]) -> list[GoldPair]:
    """The compared pairs of ``path`` over the analysed gold documents they name."""
    by_span = {}
    for d in analysed:
        for e in gold_entries(d):
            by_span[(d.gold.source_path, e.start, e.end)] = e
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        sides = []
        for side in ("a", "b"):
            source = row[side]["source_path"]
            entries = []
            for start, end in row[f"measures_{side}"]:
                key = (source, start, end)
                if key not in by_span:
                    raise ValueError(f"{path}: {row['pair']}: {side} measure {start}–{end} of {source} is no gold measure")
                entries.append(by_span[key])
            sides.append(entries)
        index_a = {(e.start, e.end): i for i, e in enumerate(sides[0])}
        index_b = {(e.start, e.end): j for j, e in enumerate(sides[1])}
        linked, decisions = set(), []
        for link in row["links"]:
            i = index_a[tuple(link["a"])]
            decisions.append(link["decision"])
            for b in link["b"]:
                linked.add((i, index_b[tuple(b)]))
        pairs.append(GoldPair(row["pair"], row["kind"], tuple(sides[0]), tuple(sides[1]), frozenset(linked), tuple(decisions)))
    return pairs


def examples(pairs: Sequence[GoldPair]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each pair's feature tensor and gold link matrix: computed once, shared by
    training, cross-validation and the ablation."""
    synonyms = load_synonyms()
    return [pair_features(p.rows_a, p.rows_b, synonyms) for p in pairs], [_label_matrix(p) for p in pairs]


def _fit_on(features: Sequence[np.ndarray], labels: Sequence[np.ndarray], indices: Sequence[int], C: float, metadata: dict | None = None) -> LinkModel:
    return fit_link_model(
        np.concatenate([features[i].reshape(-1, len(FEATURES)) for i in indices]), np.concatenate([labels[i].ravel() for i in indices]), C, metadata
    )


def fit_pairs(pairs: Sequence[GoldPair], C: float, metadata: dict | None = None, *, computed=None) -> LinkModel:
    features, labels = computed or examples(pairs)
    return _fit_on(features, labels, range(len(pairs)), C, metadata)


def cross_validate_links(pairs: Sequence[GoldPair], C: float, *, drop: Sequence[str] = (), computed=None) -> list[np.ndarray]:
    """Each pair's probability matrix from a model trained on the other pairs; the
    features named in ``drop`` held constant (what the model does without them).
    ``computed``: what ``examples(pairs)`` returns, when already at hand."""
    features, labels = computed or examples(pairs)
    if drop:
        columns = [FEATURES.index(name) for name in drop]
        features = [f.copy() for f in features]
        for f in features:
            f[:, :, columns] = 0.0
    return [_fit_on(features, labels, [i for i in range(len(pairs)) if i != k], C).probability(features[k]) for k in range(len(pairs))]


def average_precision(pairs: Sequence[GoldPair], probabilities: Sequence[np.ndarray]) -> float:
    """How well the probabilities rank the gold links above every other pair, before
    matching and bands (1.0: every gold link first)."""
    from sklearn.metrics import average_precision_score

    y = np.concatenate([_label_matrix(p).ravel() for p in pairs])
    scores = np.concatenate([q.ravel() for q in probabilities])
    return round(float(average_precision_score(y, scores)), 4) if y.any() else 0.0


def _label_matrix(pair: GoldPair) -> np.ndarray:
    y = np.zeros((len(pair.rows_a), len(pair.rows_b)))
    for i, j in pair.linked:
        y[i, j] = 1
    return y


def ablation(pairs: Sequence[GoldPair], C: float, *, computed=None) -> dict:
    """Average precision with every feature, with only the two similarities, and
    without each feature in turn: what each adds."""
    computed = computed or examples(pairs)
    ap = lambda drop: average_precision(pairs, cross_validate_links(pairs, C, drop=drop, computed=computed))  # noqa: E731
    out = {"all": ap(()), "similarities only": ap([f for f in FEATURES if f not in ("word", "char")])}
    for name in FEATURES:
        out[f"without {name}"] = ap([name])
    return out


def link_figures(pairs: Sequence[GoldPair], probabilities: Sequence[np.ndarray], settings: LinksSettings) -> dict:
    """Precision and recall of the 承接 band, and of both bands together, against the
    gold links, after one-to-one matching; per pair kind as well."""
    def score(selected: Sequence[GoldPair], probs, bands: set[str]) -> dict:
        tp = predicted = gold = 0
        for pair, p in zip(selected, probs):
            links = {(link.a, link.b) for link in match_one_to_one(p, settings) if link.band in bands}
            tp += len(links & pair.linked)
            predicted += len(links)
            gold += len(pair.linked)
        r = prf(tp, predicted, gold)
        return {"precision": round(r.precision, 4), "recall": round(r.recall, 4), "links": predicted, "gold_links": gold}

    out = {"taken_up": score(pairs, probabilities, {"taken_up"}), "both_bands": score(pairs, probabilities, {"taken_up", "possible"})}
    for kind in sorted({p.kind for p in pairs}):
        chosen = [(p, q) for p, q in zip(pairs, probabilities) if p.kind == kind]
        out[kind] = {"taken_up": score([p for p, _ in chosen], [q for _, q in chosen], {"taken_up"}),
                     "both_bands": score([p for p, _ in chosen], [q for _, q in chosen], {"taken_up", "possible"})}
    return out


def choose_bands(pairs: Sequence[GoldPair], probabilities: Sequence[np.ndarray], precision: float, possible_precision: float, base: LinksSettings) -> LinksSettings:
    """The lowest 承接 threshold whose links are right at ``precision``, and below it the
    lowest 可能承接 threshold whose extra links are right at ``possible_precision``."""
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    taken_up = 0.95
    for t in sorted(grid, reverse=True):
        figures = link_figures(pairs, probabilities, base.model_copy(update={"taken_up": t, "possible": t, "broader": 1.01}))
        if figures["taken_up"]["links"] and figures["taken_up"]["precision"] >= precision:
            taken_up = t
    possible = taken_up
    upper = link_figures(pairs, probabilities, base.model_copy(update={"taken_up": taken_up, "possible": taken_up, "broader": 1.01}))["taken_up"]
    for t in sorted((g for g in grid if g < taken_up), reverse=True):
        both = link_figures(pairs, probabilities, base.model_copy(update={"taken_up": taken_up, "possible": t, "broader": 1.01}))["both_bands"]
        extra = both["links"] - upper["links"]
        extra_right = both["precision"] * both["links"] - upper["precision"] * upper["links"]
        if extra and extra_right / extra >= possible_precision:
            possible = t
    chosen = base.model_copy(update={"taken_up": taken_up, "possible": possible, "broader": 1.01})
    return chosen.model_copy(update={"broader": _choose_broader(pairs, probabilities, precision, chosen)})


def _choose_broader(pairs, probabilities, precision: float, settings: LinksSettings) -> float:
    """The highest threshold at which letting a measure of ``b`` take up a second one of
    ``a`` adds the most right 承接 links while 承接 stays right at ``precision``; 1.01
    (never) when none does."""
    best, best_recall = 1.01, link_figures(pairs, probabilities, settings)["taken_up"]["recall"]
    for t in [round(t, 2) for t in np.arange(1.0, settings.taken_up - 1e-9, -0.01)]:
        figures = link_figures(pairs, probabilities, settings.model_copy(update={"broader": t}))["taken_up"]
        if figures["precision"] >= precision and figures["recall"] > best_recall:
            best, best_recall = t, figures["recall"]
    return best


def threshold_rule(pairs: Sequence[GoldPair], alignment=None) -> dict:
    """The rule the comparison used before the learned decision: every measure of ``a``
    linked to its most similar measure of ``b`` when their cosine reaches the alignment
    threshold (several may share one). Precision and recall against the gold links."""
    from models.alignment import build_similarity, load_alignment_settings

    alignment = alignment or load_alignment_settings()
    tp = predicted = gold = 0
    for pair in pairs:
        gold += len(pair.linked)
        if not pair.rows_a or not pair.rows_b:
            continue
        similarity = build_similarity([e.text for e in (*pair.rows_a, *pair.rows_b)], alignment)
        scores = similarity.similarity([e.text for e in pair.rows_a], [e.text for e in pair.rows_b])
        links = {(i, int(scores[i].argmax())) for i in range(len(pair.rows_a)) if scores[i].max() >= alignment.threshold}
        tp += len(links & pair.linked)
        predicted += len(links)
    r = prf(tp, predicted, gold)
    return {"threshold": alignment.threshold, "precision": round(r.precision, 4), "recall": round(r.recall, 4), "links": predicted, "gold_links": gold}
