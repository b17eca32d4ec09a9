"""The main flow over a real corpus with bad files mixed in."""

import json
import shutil
from pathlib import Path

import pytest

from pipelines.flow import catalogue_flow

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory, policy_pdf, policy_docx, truncated_pdf, encrypted_pdf, zero_page_pdf):
    root = tmp_path_factory.mktemp("corpus")
    for seed in CORPUS.glob("*.txt"):
        shutil.copy(seed, root / seed.name)
    shutil.copy(policy_pdf, root / "opinion.pdf")
    shutil.copy(policy_docx, root / "opinion.docx")
    shutil.copy(truncated_pdf, root / "truncated.pdf")
    shutil.copy(encrypted_pdf, root / "locked.pdf")
    shutil.copy(zero_page_pdf, root / "zero.pdf")
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 64)
    return root


def test_flow_run_bad_files_do_not_stop_the_run(prefect_harness, mixed_corpus, tmp_path):
    out = tmp_path / "out"
    summary = catalogue_flow([str(mixed_corpus)], str(out), show_progress=False)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = {Path(e["path"]).name: e["reason"] for e in errors}
    assert set(failed) == {"truncated.pdf", "locked.pdf", "zero.pdf", "empty.txt", "junk.txt"}
    assert "encrypted" in failed["locked.pdf"] and "empty" in failed["empty.txt"]
    documents = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    sources = {d["source_path"] for d in documents}
    assert {"opinion.pdf", "opinion.docx", "003_c6d22d7c8ab3c4ee.txt"} <= sources
    assert summary["documents"] == len(documents) and summary["failed"] == 5
    assert sum(1 for d in documents if d["duplicate_of"]) >= 1
    # the PDF's and the DOCX's text are written beside the catalogue; offsets index them
    pdf_text = (out / "texts" / "opinion.pdf.txt").read_text(encoding="utf-8")
    for row in (r for r in documents if r["source_path"] == "opinion.pdf"):
        assert 0 <= row["start"] < row["end"] <= len(pdf_text)
    catalogue = [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = {p.name: p.read_text(encoding="utf-8") for p in mixed_corpus.glob("*.txt") if p.stat().st_size and p.name != "junk.txt"}
    texts.update({p.name[: -len(".txt")]: p.read_text(encoding="utf-8") for p in (out / "texts").glob("*.txt")})
    for row in catalogue:
        assert texts[row["source_path"]][row["span_start"] : row["span_end"]] == row["text"]


def test_flow_run_unchanged_corpus_uses_cache(prefect_harness, tmp_path):
    """Into another folder (nothing to reuse) the same corpus is computed from the cache alone:
    every file's analysis, decisions and every document's classes were stored by the first run."""
    cache = tmp_path / "cache"
    first = catalogue_flow([str(CORPUS)], str(tmp_path / "a"), show_progress=False, cache_dir=str(cache))
    cached = {p: p.stat().st_mtime_ns for p in cache.rglob("*.json.gz")}
    # per file: candidates and decided results; per document: its classes
    assert len(cached) == 2 * first["files_read"] + first["documents"]
    assert not (tmp_path / "a" / ".cache").exists()  # the cache is kept out of the output folder
    second = catalogue_flow([str(CORPUS)], str(tmp_path / "b"), show_progress=False, cache_dir=str(cache))
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.json.gz")} == cached
    for summary in (first, second):
        summary["reports"].pop("seconds")  # wall-clock time of the report step
        assert set(summary.pop("seconds")) == {"inputs", "analyse", "classify", "align", "write", "compare", "report"}
    counts = ("files_read", "documents", "measures", "failed", "duplicates")
    assert {k: second[k] for k in counts} == {k: first[k] for k in counts}
    for name in ("catalogue.jsonl", "documents.jsonl", "catalogue.xlsx"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
