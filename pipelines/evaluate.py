"""``policycat evaluate``: a run's outputs against the gold standard, by the spec's rules."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from models.scoring import Span, classification_report, load_gold, restrict, score_documents, score_measures
from pipelines.outputs import from_row, read_jsonl

SPLITS = ("all", "tune", "heldout")


def catalogue_spans(rows: list[dict]) -> list[Span]:
    return [
        Span(
            r["source_path"],
            r["span_start"],
            r["span_end"],
            r["text"],
            r["status"],
            frozenset(b["canonical"] for b in r["bodies"] if b.get("explicit")),
            r.get("category"),
        )
        for r in rows
        if not r.get("rejected")
    ]


def evaluate_outputs(gold_path: Path, out_dir: Path, pairs_path: Path | None = None) -> dict:
    """Scores by split; the misses, false alarms and confusions behind them.

    Classes are scored on matched measures whose gold class is set: the run's
    classes beside the cue-word baseline's on the same measures (``categories``),
    with per-class scores and the confusion table ``confusion[gold][predicted]``.

    With ``pairs_path``, also the alignment's precision and recall on the gold
    measure pairs, its TF-IDF fitted on the run's measure texts as in a real run.
    """
    gold = load_gold(gold_path)
    rows = read_jsonl(out_dir / "catalogue.jsonl")
    documents = [SimpleNamespace(**d) for d in read_jsonl(out_dir / "documents.jsonl")]
    predicted = catalogue_spans(rows)
    row_of = {(r["source_path"], r["span_start"], r["span_end"]): r for r in rows if not r.get("rejected")}
    baseline = _cue_word_baseline()
    report = {}
    for split in SPLITS:
        docs = [d for d in gold if split == "all" or d.split == split]
        if not docs:
            continue
        gold_spans = [m for d in docs for m in d.measures]
        scores = score_measures(gold_spans, restrict(predicted, docs))
        doc_scores = score_documents(docs, documents)
        report[split] = {
            "documents": len(docs),
            "measure_precision": scores.measures.precision,
            "measure_recall": scores.measures.recall,
            "measure_f1": scores.measures.f1,
            "status_accuracy": scores.status_accuracy,
            "bodies_f1": scores.bodies.f1,
            "category_accuracy": scores.category_accuracy,
            "category_macro_f1": _macro_f1([(g.category, p.category) for g, p in scores.pairs if g.category]),
            "level_accuracy": doc_scores.level_accuracy,
            "doc_type_accuracy": doc_scores.doc_type_accuracy,
            "misses": [_span_row(s) for s in scores.misses],
            "false_alarms": [_span_row(s) for s in scores.false_alarms],
            "status_errors": [{"text": g.text, "gold": g.status, "predicted": p.status} for g, p in scores.status_errors],
            "category_pairs": [(g.category, p.category) for g, p in scores.pairs if g.category],
            "categories": _category_scores(scores.pairs, row_of, baseline),
            "document_errors": [list(e) for e in doc_scores.errors],
        }
        baseline_scores = report[split]["categories"]["cue_word_baseline"]
        report[split]["category_baseline_accuracy"] = baseline_scores["accuracy"] if baseline_scores["n"] else None
        report[split]["category_baseline_macro_f1"] = baseline_scores["macro_f1"] if baseline_scores["n"] else None
    if pairs_path is not None and Path(pairs_path).exists():
        from models.evaluation import evaluate_pairs
        from models.scoring import load_pairs

        report["alignment"] = evaluate_pairs(load_pairs(pairs_path), corpus=[r["text"] for r in rows] or None)
    return report


def _cue_word_baseline():
    from models.settings import load_settings
    from models.taxonomy import load_taxonomy
    from models.training import cue_word_baseline

    return cue_word_baseline(load_taxonomy(), load_settings())


def _category_scores(pairs, row_of: dict, baseline) -> dict:
    """The run's classes and the cue-word baseline's on the same matched measures.

    The baseline sees what the classifier saw: the catalogue row's clause, object
    and section path.
    """
    from models.classifier import ClassifierInput

    classed = [(g, p) for g, p in pairs if g.category]
    inputs = [ClassifierInput.from_entry(from_row(row_of[(p.source_path, p.start, p.end)])) for _, p in classed]
    gold = [g.category for g, _ in classed]
    model = classification_report(zip(gold, [p.category or "UNCLASSIFIED" for _, p in classed]))
    cue_words = classification_report(zip(gold, [baseline(i).category for i in inputs]))
    return {
        "n": len(classed),
        "model": model,
        "cue_word_baseline": cue_words,
        "confusion": model["confusion"],
    }


def _macro_f1(pairs: list[tuple[str, str | None]]) -> float | None:
    if not pairs:
        return None
    return classification_report([(g, p or "UNCLASSIFIED") for g, p in pairs])["macro_f1"]


def _span_row(span: Span) -> dict:
    return {"source_path": span.source_path, "start": span.start, "end": span.end, "text": span.text}


def write_report(report: dict, out_dir: Path) -> Path:
    path = out_dir / "evaluation.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
