"""Classification and analyst corrections applied to catalogue entries."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Mapping, Sequence

from extractors.types import CatalogueEntry

from models.classifier import ClassifierInput
from pipelines import analysis_cache
from models.corrections import Correction, apply_corrections
from models.class_data import GoldSource, gold_source
from models.scoring import DEV_GOLD, SEEDS_GOLD
from models.settings import load_settings
from models.taxonomy import DEFAULT_TAXONOMY_PATH
from models.training import load_or_train

CACHE_ENV = "POLICYCAT_CACHE"
log = logging.getLogger(__name__)


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where models trained at run time are kept: ``$POLICYCAT_CACHE``, else
    ``$XDG_CACHE_HOME/policycat``, else ``~/.cache/policycat``. Never inside the
    package: they are rebuilt from the taxonomy, gold and settings when those change."""
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV]).expanduser()
    xdg = environ.get("XDG_CACHE_HOME")
    # the XDG spec ignores a relative path
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "policycat"


def classifier_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return cache_dir(environ) / "classifier"


def load_model(corrections: Path | Sequence[Correction] | None = None, *, retrain: bool = False):
    """The saved model, retrained when the taxonomy, gold, extractors or corrections changed.
    ``corrections``: a review file (``read_review_file``) or the corrections read from one."""
    if isinstance(corrections, (str, Path)):
        from pipelines.reports.review import read_review_file

        corrections = read_review_file(Path(corrections)).corrections
    return load_or_train(classifier_dir(), DEFAULT_TAXONOMY_PATH, training_gold(), corrections or (), retrain=retrain)


def training_gold() -> GoldSource | None:
    """The gold the classifier learns from: ``seeds.jsonl`` and the development corpus's
    gold, in the splits ``settings.yaml`` names (never ``test``). Without the
    development corpus (a copy without ``../shared``) the seeds alone, said in the log."""
    from models.decision_data import analyse_gold, load_gold_documents
    from pipelines.flow import knowledge_fingerprint

    splits = set(load_settings().gold_splits)
    try:
        documents = load_gold_documents(SEEDS_GOLD, DEV_GOLD)
    except ValueError as exc:
        log.warning("classifier trained without the development corpus's gold: %s", exc)
        documents = load_gold_documents(SEEDS_GOLD, None)
    documents = [g for g in documents if g.split in splits]
    if not documents:
        return None

    def analyse(docs):
        from extractors.documents import load_resources

        return analyse_gold(docs, load_resources())

    return gold_source(documents, knowledge_fingerprint(), analyse)


def classify_entries(entries: list[CatalogueEntry], model, cache: Path | None = None) -> list[CatalogueEntry]:
    """Every entry with its class. With ``cache`` (the run cache folder), a document whose
    classifier inputs and model are unchanged keeps its classes from an earlier run; the
    others are classified together, in one pass."""
    inputs = [ClassifierInput.from_entry(e) for e in entries]
    by_document: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        by_document.setdefault(entry.doc_id, []).append(i)
    model_id = model.path.name if cache is not None and model.path is not None else None
    fields: list[dict | None] = [None] * len(entries)
    todo: list[tuple[str | None, list[int]]] = []
    for members in by_document.values():
        key = analysis_cache.derived_key("classes", model_id, [asdict(inputs[i]) for i in members]) if model_id else None
        kept = analysis_cache.load_value(cache, key) if key else None
        if isinstance(kept, list) and len(kept) == len(members) and all(isinstance(k, dict) and k.keys() == CLASS_FIELDS for k in kept):
            for i, value in zip(members, kept):
                fields[i] = {**value, "secondary_categories": tuple(value["secondary_categories"])}
        else:
            todo.append((key, members))
    pending = [i for _, members in todo for i in members]
    # classes are decided per document (share_context groups within one), so one pass over
    # every pending document gives each the classes it would get alone
    for i, c in zip(pending, model.classify([inputs[i] for i in pending]) if pending else []):
        fields[i] = c.entry_fields()
    for key, members in todo:
        if key:
            analysis_cache.store_value(cache, key, [{**fields[i], "secondary_categories": list(fields[i]["secondary_categories"])} for i in members])
    return [replace(entry, **f) for entry, f in zip(entries, fields)]


CLASS_FIELDS = {"category", "category_name", "category_scores", "confidence", "secondary_categories", "needs_review"}


def correct_entries(entries: list[CatalogueEntry], review) -> tuple[list[CatalogueEntry], list[str]]:
    """Apply a review's corrections; ids that match no measure come back to be reported."""
    if not review.corrections:
        return entries, []
    return apply_corrections(entries, review.corrections)
