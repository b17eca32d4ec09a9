"""Training data, training, saving and the cue-word baseline.

Training items come from four places, each with its own weight (``settings.yaml``):
the taxonomy's example measures, its cue words as weak labels (once as a clause,
once as a heading), gold measures of the ``tune`` split (never ``heldout``: that
split is what evaluation scores), and analysts' corrections. Gold measures carry
the section path and sentence the extractors give them, as catalogue rows do.
A saved model carries the hashes of what it was trained on, and its file name a
digest of them, so a run retrains exactly when the taxonomy, the training data or
the settings changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import joblib
import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

from extractors.sections import section_path
from extractors.types import CatalogueEntry
from models.classifier import CatalogueClassifier, Classification, ClassifierInput, classification_from_scores
from models.corrections import Correction, load_corrections
from extractors.tokens import userdict_path
from models.scoring import classification_report, load_gold
from models.settings import DEFAULT_SETTINGS_PATH, Settings, load_settings
from models.taxonomy import Taxonomy, load_taxonomy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpora"

__all__ = [
    "TrainingItem",
    "GoldMeasure",
    "TrainedModel",
    "read_gold_measures",
    "measure_context",
    "build_training_set",
    "train_model",
    "save_model",
    "load_model",
    "load_or_train",
    "cue_word_baseline",
    "training_sha256",
]


class TrainingItem(NamedTuple):
    input: ClassifierInput
    label: str
    weight: float
    source: str  # example | cue | cue_heading | gold | correction


@dataclass(frozen=True)
class GoldMeasure:
    source_path: str
    start: int
    end: int
    text: str
    category: str | None
    split: str | None
    status: str | None = None
    section_path: tuple[str, ...] = ()  # headings above the measure, outermost first
    sentence: str = ""

    def as_input(self) -> ClassifierInput:
        return ClassifierInput.from_context(self.text, self.section_path, self.sentence)

    @property
    def heading(self) -> str:
        return self.as_input().heading

    @property
    def path(self) -> str:
        return self.as_input().path


_MAX_HEADING = 40


@lru_cache(maxsize=1)
def _heading_rules():
    from extractors.sections import load_heading_rules

    return load_heading_rules()


def _heading_cut(line: str) -> int:
    """Where a heading line's heading stops: its first full stop, semicolon or colon."""
    from extractors.punctuation import PUNCTUATION

    return next((i for i, ch in enumerate(line) if ch in PUNCTUATION.clause_end), len(line))


def nearest_heading(text: str, start: int) -> str:
    """The innermost heading above ``start``: the last heading-marked line, cut at its
    first full stop (headings often run on into their paragraph: `（一）提高政治站位，
    深入学习贯彻会议精神。市委…`). A light stand-in where no section tree is at hand;
    heading lines are those that open with a ``line_start_kinds`` heading of headings.yaml."""
    rules = _heading_rules()
    line_start = text.rfind("\n", 0, start) + 1
    same_line = True
    while True:
        line_end = text.find("\n", line_start)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if rules.starts_with_heading(line.lstrip()):
            cut = _heading_cut(line)
            # A measure that is the heading's own first sentence is governed by the heading above.
            if not same_line or line_start + cut <= start:
                return line[:cut].strip()[:_MAX_HEADING]
        if line_start == 0:
            return ""
        line_start = text.rfind("\n", 0, line_start - 1) + 1
        same_line = False


class MeasureContext(NamedTuple):
    section_path: tuple[str, ...]
    sentence: str


def measure_context(corpus_dir: str | Path, source_path: str, start: int) -> MeasureContext | None:
    """The section path and sentence that the extractors give the offset ``start`` of
    a corpus file, as a run's catalogue row has them; ``None`` outside every sentence."""
    from extractors.errors import SourceError

    try:
        results = _analysed(Path(corpus_dir) / source_path, Path(corpus_dir))
    except SourceError:
        return None
    for result in results:
        if not result.document.start <= start < result.document.end:
            continue
        for sentence in result.sentences:
            if sentence.start <= start < sentence.end:
                return MeasureContext(section_path(sentence.section, result.sections), sentence.text)
    return None


def _analysed(path: Path, root: Path) -> tuple:
    stat = path.stat()
    return _analysed_file(str(path), str(root), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _analysed_file(path: str, root: str, mtime_ns: int, size: int) -> tuple:
    from extractors.documents import process_source
    from extractors.reading import read_source

    return tuple(process_source(read_source(Path(path), Path(root)), _sentence_resources()))


@lru_cache(maxsize=1)
def _sentence_resources():
    from extractors.documents import load_resources

    return load_resources(measures=False)


def read_gold_measures(
    paths: Iterable[str | Path],
    splits: Iterable[str] | None = ("tune",),
    *,
    corpus_dir: str | Path | None = DEFAULT_CORPUS_DIR,
) -> list[GoldMeasure]:
    """Measures of the gold JSON Lines files (spec format, read by
    ``models.scoring.load_gold``), from documents whose ``split`` is in ``splits``
    (``None``: every document). Where the source file is found under ``corpus_dir``,
    each measure gets the section path and sentence the extractors give it, so that
    the model learns from what it will see in a run."""
    wanted = None if splits is None else set(splits)
    measures: list[GoldMeasure] = []
    for path in paths:
        for document in load_gold(path):
            if wanted is not None and document.split not in wanted:
                continue
            source = _source_text(corpus_dir, document.source_path)
            for span in document.measures:
                text = span.text or (source[span.start : span.end] if source is not None else "")
                context = measure_context(corpus_dir, document.source_path, span.start) if source is not None else None
                if context is not None and context.section_path:
                    headings = context.section_path
                else:
                    nearest = nearest_heading(source, span.start) if source is not None else ""
                    headings = (nearest,) if nearest else ()
                measures.append(
                    GoldMeasure(
                        source_path=document.source_path,
                        start=span.start,
                        end=span.end,
                        text=text,
                        category=span.category,
                        split=document.split,
                        status=span.status,
                        section_path=tuple(headings),
                        sentence=context.sentence if context is not None else "",
                    )
                )
    return measures


def _source_text(corpus_dir, source_path: str) -> str | None:
    if corpus_dir is None or not source_path:
        return None
    candidate = Path(corpus_dir) / source_path
    if not candidate.is_file():
        return None
    return candidate.read_text(encoding="utf-8", errors="replace")


def build_training_set(
    taxonomy: Taxonomy,
    gold_paths: Iterable[str | Path] = (),
    corrections: Iterable[Correction | CatalogueEntry] | None = None,
    *,
    settings: Settings | None = None,
    splits: Iterable[str] | None = None,
    corpus_dir: str | Path | None = DEFAULT_CORPUS_DIR,
) -> list[TrainingItem]:
    """Training items from the taxonomy, gold files and corrections.

    ``corrections`` are ``Correction`` entries with a text, or catalogue entries
    marked ``corrected`` and not ``rejected``. Gold measures and
    corrections whose class is not in the taxonomy are left out: the taxonomy
    decides which classes exist. ``splits`` defaults to ``settings.gold_splits``.
    """
    settings = settings or load_settings()
    weights = settings.training_weights
    codes = set(taxonomy.codes)
    items: list[TrainingItem] = []
    for category in taxonomy.categories:
        for example in category.examples:
            items.append(TrainingItem(ClassifierInput(text=example), category.code, weights["example"], "example"))
        for cue in category.cues:
            items.append(TrainingItem(ClassifierInput(text=cue), category.code, weights["cue"], "cue"))
            # Cue words also teach what a section heading about the class looks like.
            items.append(TrainingItem(ClassifierInput(text="", heading=cue), category.code, weights["cue"], "cue_heading"))
    gold = read_gold_measures(
        gold_paths, splits=settings.gold_splits if splits is None else splits, corpus_dir=corpus_dir
    )
    for measure in gold:
        if measure.category in codes and measure.text:
            items.append(TrainingItem(measure.as_input(), measure.category, weights["gold"], "gold"))
    for correction in corrections or ():
        item = _correction_item(correction, codes, weights["correction"])
        if item is not None:
            items.append(item)
    return items


def _correction_item(correction, codes: set[str], weight: float) -> TrainingItem | None:
    if isinstance(correction, Correction):
        if correction.reject or correction.category not in codes or not correction.text:
            return None
        source = ClassifierInput(correction.text, correction.object or "", correction.heading or "")
        return TrainingItem(source, correction.category, weight, "correction")
    entry = correction
    if not entry.corrected or entry.rejected or entry.category not in codes or not entry.text:
        return None
    return TrainingItem(ClassifierInput.from_entry(entry), entry.category, weight, "correction")


def training_sha256(items: Sequence[TrainingItem]) -> str:
    digest = hashlib.sha256()
    for item in items:
        record = [item.input.text, item.input.object, item.input.heading, item.label, item.weight, item.source]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _settings_sha256(settings: Settings) -> str:
    return hashlib.sha256(json.dumps(settings.as_dict(), sort_keys=True, default=list).encode()).hexdigest()


def _userdict_sha256() -> str | None:
    path = userdict_path()
    if not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class TrainedModel:
    classifier: CatalogueClassifier
    taxonomy: Taxonomy
    settings: Settings
    metadata: dict = field(default_factory=dict)
    reused: bool = False  # loaded from a saved file rather than trained in this run
    path: Path | None = None  # the saved file, when there is one

    def classify(self, inputs: Sequence[ClassifierInput]) -> list[Classification]:
        names = {c.code: c.name for c in self.taxonomy.categories}
        return self.classifier.classify(list(inputs), class_order=self.taxonomy.codes, names=names)

    def classify_one(self, text: str, object: str = "", heading: str = "") -> Classification:
        return self.classify([ClassifierInput(text, object, heading)])[0]

    def predict(self, inputs: Sequence[ClassifierInput]) -> list[str]:
        return [c.category for c in self.classify(inputs)]


def _classifier(settings: Settings) -> CatalogueClassifier:
    return CatalogueClassifier(
        feature_weights=settings.feature_weights,
        C=settings.regularization,
        estimator=settings.estimator,
        calibration_folds=settings.calibration_folds,
        review_threshold=settings.review_threshold,
        secondary_threshold=settings.secondary_threshold,
        secondary_share=settings.secondary_share,
        context_share=settings.context_share,
    )


def train_model(
    taxonomy: Taxonomy,
    training_set: Sequence[TrainingItem],
    settings: Settings | None = None,
    *,
    cross_validate: bool = True,
) -> TrainedModel:
    """Fit the classifier; metadata records hashes, classes, timing and, with
    ``cross_validate``, accuracy and macro-F1 over folds scored on the non-weak
    items (examples, gold, corrections)."""
    settings = settings or load_settings()
    items = list(training_set)
    inputs = [i.input for i in items]
    labels = np.asarray([i.label for i in items])
    weights = np.asarray([i.weight for i in items])
    began = time.perf_counter()
    classifier = _classifier(settings).fit(inputs, labels, sample_weight=weights)
    fit_seconds = time.perf_counter() - began

    cv = None
    if cross_validate:
        cv = _cross_validate(items, settings)

    sources: dict[str, int] = {}
    for item in items:
        sources[item.source] = sources.get(item.source, 0) + 1
    metadata = {
        "training_sha256": training_sha256(items),
        "taxonomy_sha256": taxonomy.sha256,
        "settings_sha256": _settings_sha256(settings),
        "userdict_sha256": _userdict_sha256(),
        "taxonomy_path": taxonomy.path,
        "classes": list(taxonomy.codes),
        "class_names": {c.code: c.name for c in taxonomy.categories},
        "training_items": len(items),
        "training_sources": sources,
        "calibrated": bool(classifier.calibrated_),
        "cross_validation": cv,
        "fit_seconds": round(fit_seconds, 3),
        "sklearn_version": sklearn.__version__,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return TrainedModel(classifier, taxonomy, settings, metadata)


def _cross_validate(items: list[TrainingItem], settings: Settings) -> dict | None:
    labels = np.asarray([i.label for i in items])
    scored = np.asarray([i.source not in ("cue", "cue_heading") for i in items])
    _, counts = np.unique(labels, return_counts=True)
    folds = settings.cv_folds
    if counts.min() < folds:
        return None
    pairs: list[tuple[str, str]] = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for train_index, test_index in splitter.split(np.zeros(len(items)), labels):
            test_index = test_index[scored[test_index]]
            if len(test_index) == 0:
                continue
            model = _classifier(settings).fit(
                [items[i].input for i in train_index],
                labels[train_index],
                sample_weight=[items[i].weight for i in train_index],
            )
            predicted = model.predict([items[i].input for i in test_index])
            pairs.extend(zip(labels[test_index], predicted))
    report = classification_report(pairs)
    return {"folds": folds, "scored_items": len(pairs), "accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}


def _metadata_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + ".json")


def save_model(model: TrainedModel, path: str | Path) -> Path:
    """Write the model (joblib) and its metadata as ``<path>.json`` beside it. Each file
    appears whole (written aside, then renamed): runs sharing a cache folder may read
    while another writes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = {"classifier": model.classifier, "taxonomy": model.taxonomy, "settings": model.settings}
    _replace_atomically(path, lambda target: joblib.dump(saved, target))
    text = json.dumps(model.metadata, ensure_ascii=False, indent=2)
    _replace_atomically(_metadata_path(path), lambda target: Path(target).write_text(text, encoding="utf-8"))
    return path


def _replace_atomically(path: Path, write: Callable[[str], object]) -> None:
    # a name of its own per writer; created by ``write``, so the umask sets its mode
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(str(temporary))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_model(path: str | Path) -> TrainedModel:
    path = Path(path)
    saved = joblib.load(path)
    metadata = json.loads(_metadata_path(path).read_text(encoding="utf-8"))
    return TrainedModel(saved["classifier"], saved["taxonomy"], saved["settings"], metadata, reused=True, path=path)


MODEL_PREFIX = "catalogue-"
KEEP_MODELS = 4  # trained variants a cache folder keeps (taxonomy edits, branches), most recently used first


def load_or_train(
    cache_dir: str | Path,
    taxonomy_path: str | Path,
    gold_paths: Iterable[str | Path] = (),
    corrections_path: str | Path | None = None,
    *,
    settings_path: str | Path = DEFAULT_SETTINGS_PATH,
    corpus_dir: str | Path | None = DEFAULT_CORPUS_DIR,
    cross_validate: bool = True,
    retrain: bool = False,
) -> TrainedModel:
    """The model trained on exactly this taxonomy, training data, settings, user
    dictionary and scikit-learn version: read from ``cache_dir`` when it was saved
    there, otherwise (or with ``retrain``) trained and saved there. The file is named
    by a digest of those inputs, so variants sharing a cache do not overwrite one
    another; past the ``KEEP_MODELS`` most recently used, older files are removed."""
    cache_dir = Path(cache_dir)
    taxonomy = load_taxonomy(taxonomy_path)
    settings = load_settings(settings_path)
    corrections = []
    if corrections_path is not None and Path(corrections_path).exists():
        corrections = load_corrections(corrections_path, codes=taxonomy.codes)
    items = build_training_set(taxonomy, list(gold_paths), corrections, settings=settings, corpus_dir=corpus_dir)
    expected = {
        "training_sha256": training_sha256(items),
        "taxonomy_sha256": taxonomy.sha256,
        "settings_sha256": _settings_sha256(settings),
        "userdict_sha256": _userdict_sha256(),
        "sklearn_version": sklearn.__version__,
    }
    digest = hashlib.sha256(json.dumps(expected, sort_keys=True).encode()).hexdigest()[:16]
    model_path = cache_dir / f"{MODEL_PREFIX}{digest}.joblib"
    meta_path = _metadata_path(model_path)
    if not retrain and model_path.exists() and meta_path.exists():
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            metadata = {}
        if all(metadata.get(k) == v for k, v in expected.items()):
            try:
                model = load_model(model_path)
                # The taxonomy object in use is the one just read (same bytes, current path).
                model.taxonomy = taxonomy
                os.utime(model_path)  # recently used: kept by the pruning below
                return model
            except Exception:  # a damaged or incompatible file is simply retrained
                pass
    model = train_model(taxonomy, items, settings, cross_validate=cross_validate)
    model.path = save_model(model, model_path)
    _prune(cache_dir, KEEP_MODELS)
    return model


def _prune(cache_dir: Path, keep: int) -> None:
    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another run
            return 0.0

    saved = sorted(cache_dir.glob(f"{MODEL_PREFIX}*.joblib"), key=used, reverse=True)
    for path in saved[keep:]:
        path.unlink(missing_ok=True)
        _metadata_path(path).unlink(missing_ok=True)


def cue_word_baseline(taxonomy: Taxonomy, settings: Settings | None = None) -> Callable[[ClassifierInput | str], Classification]:
    """A classifier by cue words alone: each class scores the summed length of its
    cue words found in the clause or object, plus a share for those in the heading.
    Scores are normalised to sum to 1; with no match the taxonomy's fallback class
    is returned with confidence 0 and marked for review."""
    settings = settings or load_settings()
    heading_weight = settings.baseline_heading_weight
    names = {c.code: c.name for c in taxonomy.categories}
    cues = [(c.code, tuple(sorted(c.cues, key=len, reverse=True))) for c in taxonomy.categories]
    fallback = taxonomy.fallback or taxonomy.codes[0]

    def classify(item: ClassifierInput | str) -> Classification:
        if isinstance(item, str):
            item = ClassifierInput(item)
        body = f"{item.text}\n{item.object}"
        raw = {}
        for code, words in cues:
            raw[code] = sum(len(w) for w in words if w in body) + heading_weight * sum(
                len(w) for w in words if w in item.heading
            )
        total = sum(raw.values())
        if total == 0:
            scores = {code: 0.0 for code in raw}
            return Classification(fallback, scores, 0.0, (), True, names.get(fallback, fallback))
        scores = {code: value / total for code, value in raw.items()}
        return classification_from_scores(
            scores,
            review_threshold=settings.review_threshold,
            secondary_threshold=settings.secondary_threshold,
            secondary_share=settings.secondary_share,
            names=names,
        )

    return classify
