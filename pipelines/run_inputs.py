"""Everything a run's outputs depend on, as one digest: an unchanged corpus re-runs in seconds.

The digest covers the corpus (every listed file by name and bytes, the paths given), the
files beside it that a run reads (``corrections.yaml``, ``compare.yaml``), the project's
code and knowledge (every file of ``extractors/``, ``models/`` and ``pipelines/``: cue
words, taxonomy, templates, trained decision models), the gold the classifier learns from,
the installed libraries' versions and the run's options. When a folder's ``run.json`` was
written from the same digest and its files are still what it lists, the run reuses them
(``publish.RunFolder.reuse``) instead of computing them again.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Iterable

from extractors.knowledge import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIRS = ("extractors", "models", "pipelines")
BESIDE_CORPUS = ("corrections.yaml", "compare.yaml")  # read from the corpus folders by the run
VERSION = 1


def project_digest(root: Path = ROOT, data_dir: Path = DATA_DIR) -> str:
    """Every file of the project's packages (code, knowledge, templates, trained models)."""
    digest = hashlib.sha256()
    folders = [root / d for d in PROJECT_DIRS] + ([data_dir] if not data_dir.is_relative_to(root) else [])
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder.parent).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def libraries_digest() -> str:
    """Installed distributions and their versions: a new jieba or scikit-learn changes outputs."""
    found = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata["Name"]})
    return hashlib.sha256("\n".join(found).encode()).hexdigest()


def beside_corpus(paths: Iterable[str], corrections: str | None) -> dict[str, str]:
    """sha256 of the side files the run reads: the corrections and the comparison mapping.
    A review workbook counts by its decisions, not its bytes: the run rewrites that workbook
    (the same decisions in new bytes), and the next run must still find nothing changed."""
    found = {}
    candidates = [Path(p) / name for p in paths if Path(p).is_dir() for name in BESIDE_CORPUS]
    for path in [*candidates, *([Path(corrections)] if corrections else [])]:
        if path.is_file():
            found[str(path)] = review_digest(path) if path.suffix.lower() in (".xlsx", ".xlsm") else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def review_digest(path: Path) -> str:
    from extractors.knowledge import DataError
    from pipelines.reports.review import read_review_file

    try:
        parts = read_review_file(path).digest_parts()
    except DataError:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def run_inputs(corpus: dict, paths: Iterable[str], *, corrections: str | None, options: dict) -> str:
    """The digest of a run: ``corpus`` is ``publish.corpus_fingerprint``'s record."""
    from pipelines.classify import training_gold

    gold = training_gold()
    parts = {
        "version": VERSION,
        "corpus": corpus,
        "beside": beside_corpus(paths, corrections),
        "project": project_digest(),
        "gold": gold.key if gold is not None else None,
        "libraries": libraries_digest(),
        "options": options,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def corrections_beside(paths: Iterable[str]) -> str | None:
    """A ``corrections.yaml`` in a corpus folder, read when no other corrections are given."""
    found = [Path(p) / "corrections.yaml" for p in paths if (Path(p) / "corrections.yaml").is_file()]
    return str(found[0]) if found else None


def reused_run(folder, paths: list[str], corrections: str | None, max_bytes: int, *, reuse: bool = True) -> tuple[dict | None, dict, str]:
    """(the earlier run's summary when ``folder`` (a locked ``publish.RunFolder``) holds a run
    on exactly these inputs, else None; the corpus fingerprint; the inputs digest). The one
    check of the flow and of the command line, which makes it before starting Prefect. A
    reused summary carries this check's seconds and the run it came from (``reused_from``).
    ``reuse=False`` (``--no-cache``) only computes the fingerprint and the digest."""
    import time

    from extractors.reading import list_sources
    from pipelines.publish import corpus_fingerprint

    started = time.perf_counter()
    corpus = corpus_fingerprint(list_sources([Path(p) for p in paths]), paths)
    inputs = run_inputs(corpus, paths, corrections=corrections or corrections_beside(paths), options={"max_bytes": max_bytes})
    summary = folder.reuse(inputs) if reuse else None
    if summary is not None:
        summary["seconds"] = {"inputs": round(time.perf_counter() - started, 3), "reused": 0.0}
        summary["reused_from"] = folder.extra["reused"]
    return summary, corpus, inputs
