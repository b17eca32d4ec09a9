"""Which measures of one document another took up: a learned decision per pair.

Within one compared pair of documents (a city's and a county's, or two peers'),
every measure of ``a`` is scored against every measure of ``b`` on what an analyst
looks at: word and character similarity (after the synonyms of ``synonyms.yaml``),
whether each is the other's best match and by how much, the same class, the same
object head, the same named platform or 《…》 title, the same bodies and similar
section headings. A logistic model turns those into the probability that the pair
is a link; pairs are then matched one to one, best first, and each link is put in a
band (承接 taken up, 可能承接 possibly) by the thresholds in ``links.yaml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from pydantic import Field

from extractors.knowledge import Schema, load_file
from extractors.reading import normalize_text
from extractors.tokens import words
from extractors.types import CatalogueEntry
from models.alignment import MeasureSimilarity

SYNONYMS_PATH = Path(__file__).with_name("synonyms.yaml")
LINKS_SETTINGS_PATH = Path(__file__).with_name("links.yaml")

FEATURES = (
    "word",
    "char",
    "row_best",
    "column_best",
    "row_margin",
    "column_margin",
    "same_class",
    "same_object_head",
    "shared_initiative",
    "shared_title",
    "shared_bodies",
    "heading",
)

__all__ = ["FEATURES", "Synonyms", "load_synonyms", "pair_features", "LinkModel", "LinkDecision", "load_link_decision", "match_one_to_one", "Link", "band_of"]


# ---------------------------------------------------------------- synonyms


class _SynonymsFile(Schema):
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Synonyms:
    """Every written form of a group replaced by the group's first, longest form first."""

    canonical: dict[str, str]

    def __post_init__(self) -> None:
        forms = sorted(self.canonical, key=len, reverse=True)
        object.__setattr__(self, "_pattern", re.compile("|".join(map(re.escape, forms))) if forms else None)

    def apply(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(lambda m: self.canonical[m.group(0)], text) if pattern is not None and text else text


def load_synonyms(path: Path = SYNONYMS_PATH) -> Synonyms:
    groups = load_file(path, _SynonymsFile).groups
    canonical = {}
    for group in groups:
        for form in group:
            canonical[normalize_text(form)] = normalize_text(group[0])
    return Synonyms(canonical)


# ---------------------------------------------------------------- features


_TITLE = re.compile(r"《([^》]{2,40})》")


def _object_head(entry: CatalogueEntry) -> str:
    """The last word of the measure's object: `委员履职档案` → `档案`."""
    tokens = [w for w in words(normalize_text(entry.object or "")) if re.search(r"[\w\u4e00-\u9fff]", w)]
    return tokens[-1] if tokens else ""


def _names(entry: CatalogueEntry) -> set[str]:
    return {normalize_text(n) for n in entry.initiatives}


def _titles(entry: CatalogueEntry) -> set[str]:
    return {normalize_text(t) for t in _TITLE.findall(entry.text or "")}


def _bodies(entry: CatalogueEntry) -> set[str]:
    return {b.canonical for b in entry.bodies}


def _heading(entry: CatalogueEntry) -> str:
    return entry.section_path[-1] if entry.section_path else ""


def pair_features(rows_a: Sequence[CatalogueEntry], rows_b: Sequence[CatalogueEntry], synonyms: Synonyms | None = None) -> np.ndarray:
    """``len(a) × len(b) × len(FEATURES)``: the features of every pair of measures.

    The similarities are fitted on the two documents' measures alone, so a word common
    in both weighs little, as it does for a reader comparing them."""
    if not rows_a or not rows_b:
        return np.zeros((len(rows_a), len(rows_b), len(FEATURES)))
    synonyms = synonyms or load_synonyms()
    text_a = [synonyms.apply(normalize_text(r.text)) for r in rows_a]
    text_b = [synonyms.apply(normalize_text(r.text)) for r in rows_b]
    similarity = MeasureSimilarity().fit(text_a + text_b)
    va, vb = similarity.vectors(text_a), similarity.vectors(text_b)
    word = (va[0] @ vb[0].T).toarray()
    char = (va[1] @ vb[1].T).toarray()
    combined = 0.5 * (word + char)
    heading_a = [synonyms.apply(normalize_text(_heading(r))) for r in rows_a]
    heading_b = [synonyms.apply(normalize_text(_heading(r))) for r in rows_b]
    heading = _heading_similarity(heading_a, heading_b)

    row_max = combined.max(axis=1, keepdims=True)
    column_max = combined.max(axis=0, keepdims=True)
    row_second = np.sort(combined, axis=1)[:, -2:-1] if combined.shape[1] > 1 else np.zeros_like(row_max)
    column_second = np.sort(combined, axis=0)[-2:-1, :] if combined.shape[0] > 1 else np.zeros_like(column_max)
    heads_a, heads_b = [_object_head(r) for r in rows_a], [_object_head(r) for r in rows_b]
    names_a, names_b = [_names(r) for r in rows_a], [_names(r) for r in rows_b]
    titles_a, titles_b = [_titles(r) for r in rows_a], [_titles(r) for r in rows_b]
    bodies_a, bodies_b = [_bodies(r) for r in rows_a], [_bodies(r) for r in rows_b]
    out = np.zeros((len(rows_a), len(rows_b), len(FEATURES)))
    out[:, :, 0] = word
    out[:, :, 1] = char
    out[:, :, 2] = combined >= row_max - 1e-12
    out[:, :, 3] = combined >= column_max - 1e-12
    # how far this pair stands above the row's (column's) best other: negative when another is better
    out[:, :, 4] = np.where(combined >= row_max - 1e-12, combined - row_second, combined - row_max)
    out[:, :, 5] = np.where(combined >= column_max - 1e-12, combined - column_second, combined - column_max)
    out[:, :, 11] = heading
    for i, a in enumerate(rows_a):
        for j, b in enumerate(rows_b):
            out[i, j, 6] = float(bool(a.category) and a.category == b.category)
            out[i, j, 7] = float(bool(heads_a[i]) and heads_a[i] == heads_b[j])
            out[i, j, 8] = float(bool(names_a[i] & names_b[j]))
            out[i, j, 9] = float(bool(titles_a[i] & titles_b[j]))
            union = bodies_a[i] | bodies_b[j]
            out[i, j, 10] = len(bodies_a[i] & bodies_b[j]) / len(union) if union else 0.0
    return out


def _heading_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """Character cosine of the section headings; 0 where either side has none."""
    try:
        similarity = MeasureSimilarity().fit([h for h in a + b if h])
    except ValueError:  # no heading with two characters on either side
        return np.zeros((len(a), len(b)))
    va, vb = similarity.vectors(a), similarity.vectors(b)
    return (va[1] @ vb[1].T).toarray()


# ---------------------------------------------------------------- the decision


class PrecisionTargets(Schema):
    taken_up: float = Field(gt=0, le=1)  # 承接 links right at least this often
    possible: float = Field(gt=0, le=1)  # the extra 可能承接 links right at least this often


class LinksSettings(Schema):
    taken_up: float = Field(ge=0, le=1)  # 承接: a link at or above this probability
    possible: float = Field(ge=0, le=1)  # 可能承接: at or above this, below ``taken_up``
    broader: float = Field(ge=0, le=1.01)  # a measure of b already linked takes up another of a at or above this
    regularization: float = Field(gt=0)
    precision_targets: PrecisionTargets  # what the thresholds are chosen for (``policycat evaluate`` shows the choice)
    reasons: dict[str, str] = {}  # each feature's name as a reader sees it
    evaluation: dict = {}  # the figures that chose the thresholds


def load_links_settings(path: Path = LINKS_SETTINGS_PATH) -> LinksSettings:
    return load_file(path, LinksSettings)


@dataclass(frozen=True)
class LinkModel:
    """Logistic weights over ``FEATURES`` (standardised by ``mean`` / ``scale``)."""

    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    metadata: dict

    def probability(self, features: np.ndarray) -> np.ndarray:
        if features.size == 0:
            return np.zeros(features.shape[:-1])
        z = ((features - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def reasons(self, features: np.ndarray, top: int = 3) -> list[str]:
        """The features that raised this pair's probability most, strongest first."""
        contribution = (features - np.asarray(self.mean)) / np.asarray(self.scale) * np.asarray(self.weights)
        order = np.argsort(-contribution)
        return [FEATURES[k] for k in order[:top] if contribution[k] > 0]

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "weights": list(self.weights), "intercept": self.intercept,
                           "mean": list(self.mean), "scale": list(self.scale), "metadata": self.metadata}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "LinkModel":
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError("link model was trained on other features: run `policycat train`")
        return cls(tuple(data["weights"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]), data.get("metadata", {}))


def fit_link_model(features: np.ndarray, labels: np.ndarray, C: float, metadata: dict | None = None) -> LinkModel:
    """``features``: ``n × len(FEATURES)``, ``labels``: 1 for a gold link."""
    from sklearn.linear_model import LogisticRegression

    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000).fit((features - mean) / scale, labels)
    return LinkModel(tuple(round(float(w), 6) for w in model.coef_[0]), round(float(model.intercept_[0]), 6),
                     tuple(round(float(m), 6) for m in mean), tuple(round(float(s), 6) for s in scale), metadata or {})


# ---------------------------------------------------------------- matching and bands


@dataclass(frozen=True)
class Link:
    a: int
    b: int
    probability: float
    band: str  # taken_up | possible
    broader: bool = False  # ``b`` takes up more than one measure of ``a``: in part each


def band_of(probability: float, settings: LinksSettings) -> str | None:
    if probability >= settings.taken_up:
        return "taken_up"
    if probability >= settings.possible:
        return "possible"
    return None


@dataclass(frozen=True)
class LinkDecision:
    """The trained model and the settings: what a comparison needs to link two documents."""

    model: LinkModel
    settings: LinksSettings
    synonyms: Synonyms
    # an analyst's verdicts, (a measure_id, b measure_id) -> accepted: a pair accepted is a link
    # (承接) whatever the model says, one rejected is never linked
    reviewed: Mapping[tuple[str, str], bool] = field(default_factory=dict)

    def links(self, rows_a: Sequence[CatalogueEntry], rows_b: Sequence[CatalogueEntry]) -> tuple[list[dict], np.ndarray]:
        """The links of two documents' measures, one to one, each with its band, probability,
        similarity and reasons (in the reader's words); and the similarity of every pair."""
        features = pair_features(rows_a, rows_b, self.synonyms)
        similarity = 0.5 * (features[:, :, 0] + features[:, :, 1]) if features.size else np.zeros((len(rows_a), len(rows_b)))
        probability = self.model.probability(features)
        decided = self._apply_review(probability, rows_a, rows_b)
        names = self.settings.reasons
        out = []
        for link in match_one_to_one(probability, self.settings):
            if (link.a, link.b) in decided:
                out.append({"a": link.a, "b": link.b, "band": link.band, "probability": link.probability, "broader": link.broader,
                            "similarity": round(float(similarity[link.a, link.b]), 4), "reasons": [names.get("reviewed", "reviewed")]})
                continue
            reasons = [names.get(r, r) for r in self.model.reasons(features[link.a, link.b])]
            if link.broader:
                reasons.append(names.get("broader", "broader"))
            out.append({"a": link.a, "b": link.b, "band": link.band, "probability": link.probability, "broader": link.broader,
                        "similarity": round(float(similarity[link.a, link.b]), 4), "reasons": reasons})
        return out, similarity


    def _apply_review(self, probability: np.ndarray, rows_a: Sequence[CatalogueEntry], rows_b: Sequence[CatalogueEntry]) -> set[tuple[int, int]]:
        """Set the reviewed pairs' probabilities (1 accepted, 0 rejected); their positions."""
        if not self.reviewed or not probability.size:
            return set()
        index_a = {r.measure_id: i for i, r in enumerate(rows_a)}
        index_b = {r.measure_id: j for j, r in enumerate(rows_b)}
        accepted = set()
        for (a, b), verdict in self.reviewed.items():
            if a in index_a and b in index_b:
                probability[index_a[a], index_b[b]] = 1.0 if verdict else 0.0
                if verdict:
                    accepted.add((index_a[a], index_b[b]))
        return accepted


def load_link_decision(model_path: Path | None = None, settings_path: Path = LINKS_SETTINGS_PATH) -> LinkDecision:
    path = model_path or Path(__file__).with_name("trained") / "links.json"
    return LinkDecision(LinkModel.from_json(path.read_text(encoding="utf-8")), load_links_settings(settings_path), load_synonyms())


def match_one_to_one(probability: np.ndarray, settings: LinksSettings) -> list[Link]:
    """Pairs in either band, best first, each measure of ``a`` used once and each of
    ``b`` once, unless ``b``'s link to another measure of ``a`` reaches ``broader``: then
    ``b`` is the broader measure and takes up each in part (the spec's rule for a county
    measure that covers several of the city's)."""
    chosen, used_a, used_b = [], set(), set()
    order = np.argsort(-probability, axis=None, kind="stable")
    for flat in order:
        i, j = (int(k) for k in np.unravel_index(flat, probability.shape))
        p = float(probability[i, j])
        band = band_of(p, settings)
        if band is None:
            break
        if i in used_a or (j in used_b and p < settings.broader):
            continue
        used_a.add(i)
        used_b.add(j)
        chosen.append((i, j, round(p, 4), band))
    per_b = {}
    for _, j, _, _ in chosen:
        per_b[j] = per_b.get(j, 0) + 1
    return sorted((Link(i, j, p, band, per_b[j] > 1) for i, j, p, band in chosen), key=lambda link: (link.a, link.b))
