"""Training data, training, saving and the cue-word baseline.

Training items come from four places, each with its own weight (``settings.yaml``):
the taxonomy's example measures, its cue words as weak labels (once as a clause,
once as a heading), gold measures of the training splits (``gold_splits``; never
``test``: that split is what evaluation scores), and analysts' corrections. Gold
measures carry the context the extractors give them, as catalogue rows do
(``models.class_data``). Training also scores the gold measures out of fold,
grouped by place, to calibrate the confidences and choose the review threshold
(``models.calibration``). A saved model's file name is a digest of what it was
trained from, so a run retrains exactly when the taxonomy, the gold, the
extractors, the corrections or the settings changed.
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
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import joblib
import numpy as np
import sklearn
from sklearn.model_selection import GroupKFold

from extractors.types import CatalogueEntry
from models.calibration import calibration_error, fit_temperature, reliability_table, review_share, review_threshold, sharpen
from models.class_data import GoldClassified, GoldSource
from models.classifier import CatalogueClassifier, Classification, ClassifierInput, classification_from_scores
from models.features import FIELDS, TOKEN_FIELDS
from models.corrections import Correction, load_corrections
from extractors.tokens import userdict_path
from models.scoring import classification_report
from models.settings import DEFAULT_SETTINGS_PATH, Settings, load_settings
from models.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "TrainingItem",
    "GoldSource",
    "TrainedModel",
    "build_training_set",
    "out_of_fold",
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
    group: str = ""  # a gold measure's place: out-of-fold scoring never splits one


def build_training_set(
    taxonomy: Taxonomy,
    gold: Iterable[GoldClassified] = (),
    corrections: Iterable[Correction | CatalogueEntry] | None = None,
    *,
    settings: Settings | None = None,
) -> list[TrainingItem]:
    """Training items from the taxonomy, gold measures and corrections.

    ``corrections`` are ``Correction`` entries with a text, or catalogue entries
    marked ``corrected`` and not ``rejected``. Gold measures and corrections whose
    class is not in the taxonomy are left out: the taxonomy decides which classes exist.
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
    for measure in gold:
        if measure.label in codes and measure.input.text:
            items.append(TrainingItem(measure.input, measure.label, weights["gold"], "gold", measure.group))
    for correction in corrections or ():
        item = _correction_item(correction, codes, weights["correction"])
        if item is not None:
            items.append(item)
    return items


def _correction_item(correction, codes: set[str], weight: float) -> TrainingItem | None:
    if isinstance(correction, Correction):
        label = correction.category or correction.confirmed
        if correction.reject or label not in codes or not correction.text:
            return None
        source = ClassifierInput(correction.text, correction.object or "", correction.heading or "")
        return TrainingItem(source, label, weight, "correction")
    entry = correction
    if not entry.corrected or entry.rejected or entry.category not in codes or not entry.text:
        return None
    return TrainingItem(ClassifierInput.from_entry(entry), entry.category, weight, "correction")


def training_sha256(items: Sequence[TrainingItem]) -> str:
    digest = hashlib.sha256()
    for item in items:
        record = [*(getattr(item.input, f) for f in (*FIELDS, *TOKEN_FIELDS, "section")), item.label, item.weight, item.source, item.group]
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
        names = self.taxonomy.names
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
        section_share=settings.section_share,
    )


def train_model(
    taxonomy: Taxonomy,
    training_set: Sequence[TrainingItem],
    settings: Settings | None = None,
    *,
    cross_validate: bool = True,
) -> TrainedModel:
    """Fit the classifier. With ``cross_validate`` and gold measures from at least
    ``MIN_PLACES`` places, also score those out of fold (grouped by place) to fit the
    temperature and choose the review threshold for ``settings.review_precision``;
    the model's settings then carry that threshold. Metadata records hashes, classes,
    timing and the out-of-fold figures."""
    settings = settings or load_settings()
    items = list(training_set)
    began = time.perf_counter()
    classifier = _fit(items, settings, taxonomy)
    fit_seconds = time.perf_counter() - began

    cv = None
    if cross_validate and len({i.group for i in items if i.group}) >= MIN_PLACES:
        cv = _calibrate(classifier, items, settings, taxonomy)
        settings = settings.model_copy(update={"review_threshold": cv["review_threshold"]})
        classifier.review_threshold = cv["review_threshold"]

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
        "class_names": taxonomy.names,
        "training_items": len(items),
        "training_sources": sources,
        "gold_places": len({i.group for i in items if i.group}),
        "calibrated": bool(classifier.calibrated_),
        "cross_validation": cv,
        "fit_seconds": round(fit_seconds, 3),
        "sklearn_version": sklearn.__version__,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return TrainedModel(classifier, taxonomy, settings, metadata)


MIN_PLACES = 3  # fewer places than this cannot say how the model does somewhere new


def _fit(items: Sequence[TrainingItem], settings: Settings, taxonomy: Taxonomy) -> CatalogueClassifier:
    return _classifier(settings).fit(
        [i.input for i in items], [i.label for i in items], sample_weight=np.asarray([i.weight for i in items])
    )


def out_of_fold(
    items: Sequence[TrainingItem], settings: Settings, taxonomy: Taxonomy, *, folds: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of every gold item (one with a place) from a model trained without its
    place: taxonomy items and corrections are always trained on. Returns the indices
    of the scored items and their score rows (one column per taxonomy class), before
    any temperature."""
    items = list(items)
    scored = np.asarray([i for i, item in enumerate(items) if item.group])
    always = [i for i, item in enumerate(items) if not item.group]
    groups = np.asarray([items[i].group for i in scored])
    splitter = GroupKFold(n_splits=min(folds or settings.cv_folds, len(set(groups))))
    scores = np.zeros((len(scored), len(taxonomy.codes)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for train_part, test_part in splitter.split(np.zeros(len(scored)), groups=groups):
            model = _fit([items[i] for i in always] + [items[i] for i in scored[train_part]], settings, taxonomy)
            model.temperature = 1.0
            for row, c in zip(test_part, model.classify([items[i].input for i in scored[test_part]], class_order=taxonomy.codes)):
                scores[row] = [c.scores[code] for code in taxonomy.codes]
    return scored, scores


def _calibrate(classifier: CatalogueClassifier, items: Sequence[TrainingItem], settings: Settings, taxonomy: Taxonomy) -> dict:
    """Out-of-fold scores → the temperature (set on ``classifier``), the review
    threshold for the stated precision, and the figures that chose them."""
    scored, raw = out_of_fold(items, settings, taxonomy)
    codes = list(taxonomy.codes)
    labels = [items[i].label for i in scored]
    columns = [codes.index(label) for label in labels]
    temperature = fit_temperature(raw, columns)
    scores = sharpen(raw, temperature)
    predicted = [codes[j] for j in np.argmax(scores, axis=1)]
    confidence = scores.max(axis=1)
    correct = [p == g for p, g in zip(predicted, labels)]
    threshold = review_threshold(confidence, correct, settings.review_precision)
    raw_correct = [codes[j] == g for j, g in zip(np.argmax(raw, axis=1), labels)]
    classifier.temperature = temperature
    report = classification_report(zip(labels, predicted))
    return {
        "grouped_by": "place",
        "folds": min(settings.cv_folds, len({items[i].group for i in scored})),
        "scored_items": len(labels),
        "accuracy": round(report["accuracy"], 4),
        "macro_f1": round(report["macro_f1"], 4),
        "temperature": temperature,
        "calibration_error": calibration_error(confidence, correct),
        "calibration_error_before": calibration_error(raw.max(axis=1), raw_correct),
        "review_precision": settings.review_precision,
        "review_threshold": threshold,
        "review_share": review_share(confidence, threshold),
        "precision_not_reviewed": round(float(np.mean([ok for ok, c in zip(correct, confidence) if c >= threshold] or [0.0])), 4),
        "reliability": reliability_table(confidence, correct),
    }


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
    gold: GoldSource | None = None,
    corrections_path: str | Path | Sequence[Correction] | None = None,
    *,
    settings_path: str | Path = DEFAULT_SETTINGS_PATH,
    cross_validate: bool = True,
    retrain: bool = False,
) -> TrainedModel:
    """The model trained on exactly this taxonomy, gold, corrections, settings, user
    dictionary and scikit-learn version: read from ``cache_dir`` when it was saved
    there, otherwise (or with ``retrain``) trained and saved there. The file is named
    by a digest of those inputs, so variants sharing a cache do not overwrite one
    another; past the ``KEEP_MODELS`` most recently used, older files are removed.
    The gold is analysed only when the model has to be trained."""
    cache_dir = Path(cache_dir)
    taxonomy = load_taxonomy(taxonomy_path)
    settings = load_settings(settings_path)
    if isinstance(corrections_path, (str, Path)):  # a corrections.yaml; or the corrections already read
        corrections = load_corrections(corrections_path, codes=taxonomy.codes) if Path(corrections_path).exists() else []
    else:
        corrections = list(corrections_path or ())
    base = build_training_set(taxonomy, (), corrections, settings=settings)
    expected = {
        "training_sha256": training_sha256(base),
        "gold_sha256": gold.key if gold is not None else None,
        "taxonomy_sha256": taxonomy.sha256,
        "settings_sha256": _settings_sha256(settings),
        "userdict_sha256": _userdict_sha256(),
        "cross_validate": cross_validate,
        "code_sha256": _code_sha256(),
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
        if metadata.get("inputs") == expected:
            try:
                model = load_model(model_path)
                # The taxonomy object in use is the one just read (same bytes, current path).
                model.taxonomy = taxonomy
                os.utime(model_path)  # recently used: kept by the pruning below
                return model
            except Exception:  # a damaged or incompatible file is simply retrained
                pass
    items = build_training_set(taxonomy, gold.load() if gold is not None else (), corrections, settings=settings)
    model = train_model(taxonomy, items, settings, cross_validate=cross_validate)
    model.metadata["inputs"] = expected
    model.path = save_model(model, model_path)
    _prune(cache_dir, KEEP_MODELS)
    return model


MODEL_CODE = ("classifier.py", "features.py", "calibration.py", "class_data.py", "training.py")


def _code_sha256() -> str:
    """The classifier's own code: a change to features or training retrains."""
    digest = hashlib.sha256()
    for name in MODEL_CODE:
        digest.update((Path(__file__).with_name(name)).read_bytes())
    return digest.hexdigest()


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
    names = taxonomy.names
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
