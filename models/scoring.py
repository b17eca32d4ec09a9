"""The gold standard and the spec's scoring rules: reading the gold files, matching
spans, precision/recall/F1 and the classification report every evaluation uses.

The matching rule of the catalogue spec: a predicted measure matches a gold measure
of the same file when their spans overlap by at least half of the shorter span;
each gold measure matches at most one prediction and each prediction at most one
gold measure. Pairs are taken greedily, largest overlap first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

# The gold standard is data of the product (training and evaluation), kept beside the packages.
GOLD_DIR = Path(__file__).resolve().parents[1] / "gold"
SEEDS_GOLD = GOLD_DIR / "seeds.jsonl"  # the seed corpus: splits tune / heldout
DEV_GOLD = GOLD_DIR / "dev.jsonl"  # the development corpus: splits train / test
PAIRS_GOLD = GOLD_DIR / "pairs.jsonl"  # measure pairs that say / do not say the same


@dataclass(frozen=True)
class Span:
    """A measure reduced to what scoring needs."""

    source_path: str
    start: int
    end: int
    text: str = ""
    status: str | None = None
    bodies: frozenset[str] = frozenset()  # canonical names of explicit bodies
    category: str | None = None


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int


def prf(true_positives: int, predicted: int, gold: int) -> PRF:
    """Precision, recall and F1 of ``true_positives`` among ``predicted`` answers and
    ``gold`` expected ones; 0 where a ratio has nothing to divide by."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, true_positives, predicted, gold)


@dataclass(frozen=True)
class MeasureScores:
    measures: PRF
    status_accuracy: float | None
    bodies: PRF
    category_accuracy: float | None
    pairs: list[tuple[Span, Span]] = field(default_factory=list)  # (gold, predicted)
    misses: list[Span] = field(default_factory=list)
    false_alarms: list[Span] = field(default_factory=list)
    status_errors: list[tuple[Span, Span]] = field(default_factory=list)


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def spans_match(a: Span, b: Span) -> bool:
    shorter = min(a.end - a.start, b.end - b.start)
    return a.source_path == b.source_path and shorter > 0 and 2 * overlap(a, b) >= shorter


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Index pairs (gold, predicted), greedy by overlap (ties: earlier spans first)."""
    candidates = []
    by_file: dict[str, list[int]] = {}
    for j, p in enumerate(predicted):
        by_file.setdefault(p.source_path, []).append(j)
    for i, g in enumerate(gold):
        for j in by_file.get(g.source_path, ()):
            if spans_match(g, predicted[j]):
                candidates.append((-overlap(g, predicted[j]), g.start, predicted[j].start, i, j))
    candidates.sort()
    used_gold, used_pred, pairs = set(), set(), []
    for _, _, _, i, j in candidates:
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def score_measures(gold: Sequence[Span], predicted: Sequence[Span]) -> MeasureScores:
    pairs = match_spans(gold, predicted)
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    status_ok = sum(1 for i, j in pairs if gold[i].status == predicted[j].status)
    with_category = [(i, j) for i, j in pairs if gold[i].category is not None and predicted[j].category is not None]
    category_ok = sum(1 for i, j in with_category if gold[i].category == predicted[j].category)
    body_tp = sum(len(gold[i].bodies & predicted[j].bodies) for i, j in pairs)
    body_pred = sum(len(predicted[j].bodies) for _, j in pairs)
    body_gold = sum(len(gold[i].bodies) for i, _ in pairs)
    return MeasureScores(
        measures=prf(len(pairs), len(predicted), len(gold)),
        status_accuracy=status_ok / len(pairs) if pairs else None,
        bodies=prf(body_tp, body_pred, body_gold),
        category_accuracy=category_ok / len(with_category) if with_category else None,
        pairs=[(gold[i], predicted[j]) for i, j in pairs],
        misses=[g for i, g in enumerate(gold) if i not in matched_gold],
        false_alarms=[p for j, p in enumerate(predicted) if j not in matched_pred],
        status_errors=[(gold[i], predicted[j]) for i, j in pairs if gold[i].status != predicted[j].status],
    )


@dataclass(frozen=True)
class GoldDocument:
    source_path: str
    start: int
    end: int
    doc_type: str | None
    level: str | None
    split: str | None
    measures: tuple[Span, ...]
    file: Path | None = None  # the annotated file itself, when the gold names it
    group: str | None = None  # place: cross-validation and the train/test split never divide one
    genre: str | None = None  # finer genre (rules, news, …) for per-genre figures
    doc_id: str | None = None


def load_gold(path: Path | str, root: Path | str | None = None) -> list[GoldDocument]:
    """Gold JSON Lines: one document a line (see the catalogue spec).

    A line with ``file`` and ``sha256`` stores offsets only: its measure texts are
    read from that file (a path relative to ``root``, by default the project folder
    that holds the gold file's folder), and a file whose bytes changed is an error.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.resolve().parents[1]
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        source_path = row["source_path"]
        file = text = None
        if "file" in row:
            file = (root / row["file"]).resolve()
            text = _read_checked(file, row.get("sha256"), f"{path}:{number}")
        measures = tuple(
            Span(
                source_path,
                m["start"],
                m["end"],
                text[m["start"] : m["end"]] if text is not None else m.get("text", ""),
                m.get("status"),
                frozenset(m.get("bodies", ())),
                m.get("category"),
            )
            for m in row.get("measures", ())
        )
        documents.append(
            GoldDocument(
                source_path,
                row.get("doc_start", 0),
                row.get("doc_end", max((m.end for m in measures), default=0)),
                row.get("doc_type"),
                row.get("level"),
                row.get("split"),
                measures,
                file,
                row.get("group"),
                row.get("genre"),
                row.get("doc_id"),
            )
        )
    return documents


def _read_checked(file: Path, sha256: str | None, where: str) -> str:
    import hashlib

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ValueError(f"{where}: annotated file {file} cannot be read: {exc.strerror}") from exc
    if sha256 is None or hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"{where}: {file} changed since it was annotated (sha256 differs): re-check its gold offsets")
    return data.decode("utf-8")


def predicted_span(measure) -> Span:
    """A ``Measure`` (or catalogue row with the same attributes) as a scoring span."""
    return Span(
        measure.source_path,
        measure.start,
        measure.end,
        measure.text,
        measure.status,
        frozenset(b.canonical for b in measure.bodies if b.explicit),
        getattr(measure, "category", None),
    )


def restrict(predicted: Iterable[Span], documents: Sequence[GoldDocument]) -> list[Span]:
    """Predictions that fall inside the annotated documents (files may hold unannotated text)."""
    out = []
    for p in predicted:
        if any(p.source_path == d.source_path and d.start <= p.start and p.end <= d.end for d in documents):
            out.append(p)
    return out


@dataclass(frozen=True)
class DocumentScores:
    level_accuracy: float | None
    doc_type_accuracy: float | None
    matched: int
    gold: int
    errors: tuple[tuple[str, str, str | None, str | None], ...]  # (source_path, field, gold, predicted)


def score_documents(gold: Sequence[GoldDocument], predicted: Sequence) -> DocumentScores:
    """Per gold document, the predicted document overlapping it most; compare level and doc_type.
    ``predicted`` holds ``Document`` objects (source_path, start, end, level, doc_type)."""
    level_ok = type_ok = matched = 0
    errors = []
    for g in gold:
        best, best_overlap = None, 0
        for p in predicted:
            if p.source_path != g.source_path:
                continue
            shared = max(0, min(g.end, p.end) - max(g.start, p.start))
            if shared > best_overlap:
                best, best_overlap = p, shared
        if best is None:
            errors.append((g.source_path, "missing", None, None))
            continue
        matched += 1
        if best.level == g.level:
            level_ok += 1
        else:
            errors.append((g.source_path, "level", g.level, best.level))
        if best.doc_type == g.doc_type:
            type_ok += 1
        else:
            errors.append((g.source_path, "doc_type", g.doc_type, best.doc_type))
    return DocumentScores(
        level_ok / len(gold) if gold else None,
        type_ok / len(gold) if gold else None,
        matched,
        len(gold),
        tuple(errors),
    )


def classification_report(pairs: Iterable[tuple[str, str]]) -> dict:
    """Accuracy, macro-F1 over the classes present in gold, per-class precision,
    recall, F1 and support, and a confusion table ``confusion[gold][predicted]``.

    A class that is predicted but absent from gold still gets a per-class row
    (precision only) but does not enter the macro average.
    """
    pairs = [(str(g), str(p)) for g, p in pairs]
    gold_classes = sorted({g for g, _ in pairs})
    all_classes = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    confusion: dict[str, dict[str, int]] = {}
    for gold, predicted in pairs:
        confusion.setdefault(gold, {})
        confusion[gold][predicted] = confusion[gold].get(predicted, 0) + 1
    per_class: dict[str, dict] = {}
    for code in all_classes:
        support = sum(1 for g, _ in pairs if g == code)
        scores = prf(
            sum(1 for g, p in pairs if g == code and p == code),
            sum(1 for _, p in pairs if p == code),
            support,
        )
        per_class[code] = {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1, "support": support}
    correct = sum(1 for g, p in pairs if g == p)
    return {
        "n": len(pairs),
        "accuracy": correct / len(pairs) if pairs else 0.0,
        "macro_f1": sum(per_class[c]["f1"] for c in gold_classes) / len(gold_classes) if gold_classes else 0.0,
        "per_class": per_class,
        "confusion": confusion,
    }


def load_pairs(path: str | Path = PAIRS_GOLD) -> list[dict]:
    """Annotated pairs: ``{"a": {source_path,start,end,text}, "b": {...}, "same": bool, "note"}``."""
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                pair = json.loads(line)
                pair["a"]["text"], pair["b"]["text"]
                if not isinstance(pair["same"], bool):
                    raise TypeError("same")
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: 句对格式错误（需要 a.text、b.text 和布尔值 same）：{exc}") from exc
            pairs.append(pair)
    return pairs
