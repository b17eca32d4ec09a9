"""Incremental runs: an unchanged corpus keeps the earlier run's files, and a corpus with a
file added reuses what it can yet writes exactly what a run from nothing writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
FIRST = ("000_c4eeb4407c4e4302.txt", "001_c928dd9025f7e819.txt")
ADDED = "002_db615ddd08875ea9.txt"
SAME = ("catalogue.jsonl", "documents.jsonl", "sections.jsonl", "errors.jsonl", "comparison.jsonl")


def _corpus(folder: Path, names) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _manifest(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def _entries(cache: Path) -> set[str]:
    return {p.name for p in cache.rglob("*.json.gz")}


def test_unchanged_corpus_keeps_the_files_and_a_changed_one_is_computed_again(prefect_harness, tmp_path):
    from pipelines.flow import catalogue_flow
    from pipelines.publish import verify

    corpus, out, cache = _corpus(tmp_path / "corpus", FIRST), tmp_path / "out", tmp_path / "cache"
    first = catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    files = _manifest(out)["files"]
    second = catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    manifest = _manifest(out)
    assert manifest["reused_from"] and set(manifest["seconds"]) == {"inputs", "reused"}
    assert manifest["files"] == files and verify(out) == []
    assert {k: second[k] for k in ("measures", "documents", "failed")} == {k: first[k] for k in ("measures", "documents", "failed")}

    # an output an analyst edited is not vouched for: the run computes everything again
    (out / "report.md").write_text("edited", encoding="utf-8")
    catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    assert "reused_from" not in _manifest(out) and verify(out) == []
    assert _manifest(out)["files"] == files

    # a changed document changes the digest
    changed = corpus / FIRST[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n各级政协要加强委员培训。\n", encoding="utf-8")
    catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    assert "reused_from" not in _manifest(out) and _manifest(out)["files"]["catalogue.jsonl"] != files["catalogue.jsonl"]


def test_an_added_file_is_the_only_one_analysed_and_the_outputs_are_a_fresh_runs(prefect_harness, tmp_path):
    from pipelines.flow import catalogue_flow

    corpus, out, cache = _corpus(tmp_path / "corpus", FIRST), tmp_path / "out", tmp_path / "cache"
    catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    before = _entries(cache)
    _corpus(corpus, [ADDED])
    catalogue_flow([str(corpus)], str(out), show_progress=False, cache_dir=str(cache))
    added = _entries(cache) - before
    # the new file's candidates, its decided results and its documents' classes; nothing
    # of the two files already there is computed again
    fresh = tmp_path / "fresh"
    catalogue_flow([str(corpus)], str(fresh), show_progress=False, use_cache=False)
    documents = [json.loads(line) for line in (fresh / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    added_documents = sum(1 for d in documents if d["source_path"].endswith(ADDED))
    assert len(added) == 2 + added_documents
    for name in SAME:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_documents_classes_do_not_depend_on_the_rest_of_the_corpus(prefect_harness, tmp_path):
    """Kept per document between runs, classes must be what the document gets alone."""
    from pipelines.flow import catalogue_flow

    found = []
    for k, names in enumerate([FIRST[:1], (*FIRST, ADDED)]):
        out = tmp_path / f"out{k}"
        catalogue_flow([str(_corpus(tmp_path / f"corpus{k}", names))], str(out), show_progress=False, use_cache=False)
        rows = [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
        found.append({r["measure_id"]: (r["category"], r["category_scores"]) for r in rows if r["source_path"].endswith(FIRST[0])})
    assert found[0] and found[0] == found[1]
