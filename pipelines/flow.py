"""The main flow: read, analyse, write. Prefect sees batches of documents, never sentences."""

from __future__ import annotations

import hashlib
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from extractors.documents import Resources, load_resources, mark_cross_file_duplicates
from extractors.errors import SourceError
from extractors.knowledge import DATA_DIR
from extractors.reading import DEFAULT_MAX_BYTES, list_sources, read_sources
from extractors.types import CatalogueEntry, DocumentResult, SourceText
from pipelines import analysis_cache, outputs, publish
from pipelines.limits import analyse_with_limit, analysis_failure
from pipelines.run_inputs import corrections_beside, reused_run

CACHE_VERSION = "1"


@dataclass
class Batch:
    sources: list[SourceText] = field(default_factory=list)
    results: list[DocumentResult] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


@lru_cache(maxsize=2)
def shared_resources(data_dir: str | None = None) -> Resources:
    """Loaded once per process: the jieba dictionary and the spaCy pipeline are not cheap."""
    return load_resources(Path(data_dir) if data_dir else None)


@lru_cache(maxsize=2)
def shared_decisions(path: str | None = None):
    """The trained decision models (``policycat train`` writes them), loaded once per process."""
    from models.decisions import DEFAULT_MODELS_PATH, load_decisions

    target = Path(path) if path else DEFAULT_MODELS_PATH
    if not target.exists():
        raise FileNotFoundError(f"{target}: no trained decision models; run `policycat train`")
    return load_decisions(target)


@lru_cache(maxsize=1)
def decisions_digest() -> str:
    """The trained decision models and the code and settings that apply them (all of
    ``models/``): decided results are kept per version of those."""
    from models.decisions import DEFAULT_MODELS_PATH

    models_dir = Path(DEFAULT_MODELS_PATH).resolve().parents[1]
    digest = hashlib.sha256(Path(DEFAULT_MODELS_PATH).read_bytes())
    for path in sorted([*models_dir.glob("*.py"), *models_dir.glob("*.yaml")]):
        digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def knowledge_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """Changes whenever a knowledge file or extractor code changes: the cache key's second half."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    code_dir = Path(__file__).resolve().parents[1] / "extractors"
    for path in sorted([*data_dir.rglob("*"), *code_dir.glob("*.py")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def error_row(path: str, reason: str, stage: str) -> dict:
    return {"path": path, "stage": stage, "reason": reason}


def analyse_files(files: list[tuple[Path, Path]], *, max_bytes: int, cache_dir: Path | None, fingerprint: str) -> Batch:
    """Read and analyse files; one bad file becomes an error row, never a crash."""
    from models.decisions import decide_document

    batch = Batch()
    decisions = shared_decisions()
    for source in _sources(files, max_bytes, batch):
        cache_key = analysis_cache.entry_key(source, fingerprint) if cache_dir else None
        decided_key = analysis_cache.derived_key("decided", cache_key, decisions_digest()) if cache_dir else None
        try:
            results = analysis_cache.load(cache_dir, decided_key) if cache_dir else None
            if results is None:
                # the extractors' candidates are kept apart: a retrained model needs no re-analysis
                results = analysis_cache.load(cache_dir, cache_key) if cache_dir else None
                if results is None:
                    results = analyse_with_limit(source)  # in a worker, stopped at the time limit
                    if cache_dir:
                        analysis_cache.store(cache_dir, cache_key, results)
                results = [decide_document(r, source, decisions) for r in results]
                if cache_dir:
                    analysis_cache.store(cache_dir, decided_key, results)
        except Exception as exc:
            batch.errors.append(error_row(source.path, analysis_failure(exc), "analyse"))
            continue
        batch.sources.append(source)
        batch.results.extend(results)
    return batch


def _sources(files: list[tuple[Path, Path]], max_bytes: int, batch: Batch):
    """Every readable source of the files; what cannot be read becomes an error row of ``batch``."""
    for path, root in files:
        try:
            for item in read_sources(path, root, max_bytes=max_bytes):
                if isinstance(item, SourceError):
                    batch.errors.append(error_row(item.path, item.reason, "read"))
                else:
                    yield item
        except Exception as exc:  # an unforeseen reader failure must not lose the other files
            batch.errors.append(error_row(str(path), f"unexpected {type(exc).__name__}: {exc}", "read"))


@task(name="analyse batch", cache_policy=NO_CACHE)
def analyse_batch(files: list[tuple[str, str]], max_bytes: int, cache_dir: str | None, fingerprint: str) -> Batch:
    return analyse_files(
        [(Path(p), Path(r)) for p, r in files], max_bytes=max_bytes, cache_dir=Path(cache_dir) if cache_dir else None, fingerprint=fingerprint
    )


def catalogue_entries(batch: Batch) -> list[CatalogueEntry]:
    by_path = {s.source_path: s for s in batch.sources}
    return [e for r in batch.results for e in outputs.catalogue_entries(r, by_path[r.document.source_path])]


def document_rows(batch: Batch) -> list[dict]:
    by_path = {s.source_path: s for s in batch.sources}
    return [outputs.document_row(r, by_path[r.document.source_path]) for r in batch.results]


@task(name="classify catalogue", cache_policy=NO_CACHE)
def classify_catalogue(entries: list[CatalogueEntry], review, cache_dir: str | None = None) -> tuple[list[CatalogueEntry], list[str]]:
    """Catalogue class for every measure (kept per document in the run cache), then the
    analyst's review on top (``pipelines.reports.review.Review``)."""
    from pipelines.classify import classify_entries, correct_entries, load_model

    model = load_model(review.corrections)
    classified = classify_entries(entries, model, Path(cache_dir) if cache_dir else None)
    return correct_entries(classified, review)


@task(name="align measures", cache_policy=NO_CACHE)
def align_catalogue(entries: list[CatalogueEntry]) -> list[CatalogueEntry]:
    """``cluster_id`` and best counterpart for every measure: the same requirement across documents."""
    from models.alignment import align_measures

    return align_measures(entries) if entries else entries


@task(name="compare documents", cache_policy=NO_CACHE)
def compare_outputs(
    out_dir: str, corpus_dirs: list[str], documents: list[dict], entries: list[CatalogueEntry], texts: dict[str, str], links: dict | None = None
) -> tuple[dict, dict | None]:
    """City vs county and peer comparison of this run's values (``links``: the review's
    verdicts on links); a failure here keeps the catalogue."""
    from pipelines.compare import default_mapping, run_comparison

    roots = [Path(p) for p in corpus_dirs]
    try:
        return run_comparison(Path(out_dir), roots, default_mapping(roots), documents=documents, entries=entries, texts=texts, reviewed_links=links)
    except Exception as exc:  # noqa: BLE001 - reported in errors.jsonl, the catalogue stands
        return _step_failed(out_dir, "compare", "comparison", exc), None


@task(name="write reports", cache_policy=NO_CACHE)
def report_outputs(
    out_dir: str, corpus_dirs: list[str], documents: list[dict], entries: list[CatalogueEntry], comparison: dict | None, errors: list[dict],
    texts: dict[str, str], review=None,
) -> dict:
    """Workbook, Word, HTML and Markdown reports of this run's values; a failure here keeps the catalogue."""
    from pipelines.reports import write_reports

    try:
        return write_reports(out_dir, corpus_dirs, documents=documents, entries=entries, comparison=comparison, errors=errors, texts=texts, review=review)
    except Exception as exc:  # noqa: BLE001 - reported in errors.jsonl, the catalogue stands
        return _step_failed(out_dir, "report", "reports", exc)


def _step_failed(out_dir: str, stage: str, what: str, exc: Exception) -> dict:
    """A late step's failure as a row of errors.jsonl and the step's summary (with that row)."""
    row = error_row(out_dir, f"{what} failed: {exc!r}", stage)
    outputs.write_jsonl(Path(out_dir) / "errors.jsonl", [row], append=True)
    return {"error": repr(exc), "traceback": traceback.format_exc(), "error_row": row}


def write_run_outputs(out_dir: Path, batch: Batch, documents: list[dict], entries: list[CatalogueEntry]) -> dict:
    """All files of a run; returns the counts for the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for source in batch.sources:
        outputs.write_extracted_text(out_dir, source)
    measures = [outputs.to_row(e) for e in entries]
    outputs.write_jsonl(out_dir / "documents.jsonl", documents)
    outputs.write_jsonl(out_dir / "sections.jsonl", (row for r in batch.results for row in outputs.section_rows(r)))
    outputs.write_jsonl(out_dir / "catalogue.jsonl", measures)
    outputs.write_parquet(out_dir / "catalogue.parquet", measures)
    outputs.write_jsonl(out_dir / "errors.jsonl", batch.errors)
    return {
        "files_read": len(batch.sources),
        "documents": len(batch.results),
        "split_files": sum(1 for s in batch.sources if sum(r.document.source_path == s.source_path for r in batch.results) > 1),
        "duplicates": sum(1 for r in batch.results if r.document.duplicate_of),
        "measures": len(measures),
        "needs_review": sum(1 for e in entries if e.needs_review),
        "corrected": sum(1 for e in entries if e.corrected),
        "failed": len(batch.errors),
    }


@task(name="write outputs", cache_policy=NO_CACHE)
def write_outputs(out_dir: str, batch: Batch, documents: list[dict], entries: list[CatalogueEntry]) -> dict:
    return write_run_outputs(Path(out_dir), batch, documents, entries)


@flow(name="policycat-catalogue", log_prints=False)
def catalogue_flow(
    paths: list[str],
    out_dir: str = "outputs",
    batch_size: int = 16,
    max_bytes: int = DEFAULT_MAX_BYTES,
    use_cache: bool = True,
    show_progress: bool = True,
    corrections: str | None = None,
    cache_dir: str | None = None,
    parallel: int = 0,
) -> dict:
    """Corpus in, catalogue out, in a locked output folder that ``run.json`` vouches for at the end.

    ``cache_dir``: where analyses are kept (default: the user's cache, ``analysis_cache.default_dir()``).
    ``parallel``: how many batches the task runner analyses at once (0: one after another,
    in this process); see ``runnable_flow``.
    """
    listed = list_sources([Path(p) for p in paths])
    if not listed:  # a served run on a folder nobody has dropped files into yet: fail, write nothing
        raise NoDocuments(f"no documents in {', '.join(map(str, paths))}: nothing was written")
    with publish.run_folder(out_dir) as folder:
        started = time.perf_counter()
        cache = (Path(cache_dir) if cache_dir else analysis_cache.default_dir()) if use_cache else None
        corrections = corrections or corrections_beside(paths)
        # an unchanged corpus (same files, knowledge, models, options) keeps the earlier run's files
        summary, corpus, inputs = reused_run(folder, paths, corrections, max_bytes, reuse=use_cache)
        if summary is None:
            checked = round(time.perf_counter() - started, 3)
            summary = _catalogue(paths, out_dir, batch_size, max_bytes, cache, show_progress, corrections, parallel)
            summary["seconds"] = {"inputs": checked, **summary["seconds"]}
        summary["manifest"] = str(folder.finish(summary, corpus, inputs))
    return summary


class NoDocuments(ValueError):
    """The paths of a run hold no document the run can read."""


def _catalogue(
    paths: list[str], out_dir: str, batch_size: int, max_bytes: int, cache_dir: Path | None, show_progress: bool, corrections: str | None,
    parallel: int = 0,
) -> dict:
    """Files go to tasks in batches so state tracking stays cheap."""
    clock = _Clock()
    files = [(str(p), str(r)) for p, r in list_sources([Path(p) for p in paths])]
    missing = [p for p in paths if not Path(p).exists()]
    fingerprint = knowledge_fingerprint()
    merged = Batch(errors=[error_row(p, "no such file or folder", "list") for p in missing])
    if parallel:  # about four batches per worker, so that none waits long for the last
        batch_size = max(1, min(batch_size, -(-len(files) // (4 * max(1, parallel)))))
    batches = [files[i : i + batch_size] for i in range(0, len(files), batch_size)]
    arguments = [(chunk, max_bytes, str(cache_dir) if cache_dir else None, fingerprint) for chunk in batches]
    with Progress(
        TextColumn("[bold]analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), disable=not show_progress, transient=True
    ) as progress:
        bar = progress.add_task("files", total=len(files))
        # in parallel every batch is submitted at once; results are merged in batch order, so
        # the catalogue is the same however many workers there are
        futures = [analyse_batch.submit(*a) for a in arguments] if parallel else None
        for k, chunk in enumerate(batches):
            batch = _batch_result(futures[k], chunk) if futures else analyse_batch(*arguments[k])
            merged.sources += batch.sources
            merged.results += batch.results
            merged.errors += batch.errors
            progress.advance(bar, len(chunk))
    if merged.results:
        sources = {s.source_path: s for s in merged.sources}
        merged.results = mark_cross_file_duplicates(merged.results, sources, shared_threshold())
    clock.lap("analyse")
    # quote(): Prefect would walk every field of every measure of a large argument looking for
    # futures (a minute per step at 1 M characters); NO_CACHE on the tasks: results are not
    # persisted, so Prefect's default policy would hash these arguments for nothing
    review = _review(corrections, merged)
    entries, unmatched = classify_catalogue(quote(catalogue_entries(merged)), quote(review), str(cache_dir) if cache_dir else None)
    merged.errors += [error_row(corrections, f"correction for measure {m} matches no measure in this run", "corrections") for m in unmatched]
    clock.lap("classify")
    entries = align_catalogue(quote(entries))
    clock.lap("align")
    documents = document_rows(merged)
    summary = write_outputs(out_dir, quote(merged), quote(documents), quote(entries))
    clock.lap("write")
    corpus_dirs = [p for p in paths if Path(p).is_dir()] or [str(Path(p).parent) for p in paths if Path(p).exists()]
    texts = {s.source_path: s.text for s in merged.sources}
    summary["comparison"], comparison = compare_outputs(out_dir, corpus_dirs, quote(documents), quote(entries), quote(texts), quote(dict(review.links)))
    clock.lap("compare")
    errors = merged.errors + ([summary["comparison"]["error_row"]] if "error_row" in summary["comparison"] else [])
    summary["reports"] = report_outputs(out_dir, corpus_dirs, quote(documents), quote(entries), quote(comparison), quote(errors), quote(texts), quote(review))
    clock.lap("report")
    summary["seconds"] = clock.seconds
    summary["out_dir"] = str(out_dir)
    return summary


def _review(corrections: str | None, merged: Batch):
    """The analyst's review the run applies; a file that cannot be read is a row per problem
    (the command line refuses it before anything is written)."""
    from extractors.knowledge import DataError
    from pipelines.reports.review import read_review_file
    from pipelines.reports.review import Review

    try:
        return read_review_file(Path(corrections) if corrections else None)
    except DataError as exc:
        merged.errors += [error_row(p.path, f"review not applied: {p.message}" + (f" (line {p.line})" if p.line else ""), "corrections") for p in exc.problems]
        return Review()


class _Clock:
    """Wall-clock seconds per step, for run.json and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = round(now - self._last, 3)
        self._last = now


def _batch_result(future, chunk: list[tuple[str, str]]) -> Batch:
    """A submitted batch's result; a batch whose worker failed whole (died, lost) becomes an
    error row per file, and the other batches stand."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one lost batch must not lose the run
        return Batch(errors=[error_row(p, f"analysis worker failed: {type(exc).__name__}: {exc}", "analyse") for p, _ in chunk])


def task_runner(workers: int = 1, dask: str | None = None):
    """The task runner of a run: None (the default, batches analysed one after another in
    this process) for one worker; Dask for more (a local cluster of ``workers`` processes)
    or for the cluster at ``dask`` (``tcp://scheduler:8786``)."""
    if dask is None and workers <= 1:
        return None
    from prefect_dask import DaskTaskRunner

    if dask:
        return DaskTaskRunner(address=dask)
    import dask

    # a worker analyses each file in a child process of its own (pipelines.limits): Dask's
    # workers must be allowed children
    dask.config.set({"distributed.worker.daemon": False})
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None},
                          client_kwargs={"set_as_default": False})


def runnable_flow(workers: int = 1, dask: str | None = None):
    """``catalogue_flow`` with the task runner for ``workers`` / ``dask``, and the number of
    batches to analyse at once (0: one after another)."""
    runner = task_runner(workers, dask)
    if runner is None:
        return catalogue_flow, 0
    return catalogue_flow.with_options(task_runner=runner), max(workers, 2)


def shared_threshold() -> float:
    from extractors.splitting import load_split_rules

    return load_split_rules().duplicate_threshold
