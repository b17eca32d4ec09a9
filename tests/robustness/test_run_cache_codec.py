"""The analysis cache's JSON form: every seed document comes back exactly, and only trusted entries load."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from extractors.documents import load_resources, process_source
from extractors.reading import list_sources, read_sources
from pipelines import analysis_cache

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture(scope="module")
def seed_results():
    resources = load_resources()
    found = []
    for path, root in list_sources([CORPUS]):
        for source in read_sources(path, root):
            found.append((source, process_source(source, resources)))
    assert found
    return found


def test_run_cache_codec_round_trips_every_seed_document(seed_results):
    for _, results in seed_results:
        back = analysis_cache.results_from_json(analysis_cache.results_to_json(results))
        assert back == results
        # repr also tells 1 from 1.0 and a list from a tuple, which == may not
        assert repr(back) == repr(results)
        assert any(r.candidates for r in results)


def test_run_cache_store_and_load(seed_results, tmp_path):
    source, results = seed_results[0]
    key = analysis_cache.entry_key(source, "fingerprint")
    path = analysis_cache.store(tmp_path, key, results)
    assert path is not None and not list(path.parent.glob(".*"))  # no temporary left
    assert analysis_cache.load(tmp_path, key) == results
    assert analysis_cache.load(tmp_path, analysis_cache.entry_key(source, "other")) is None


def test_run_cache_damaged_entries_are_misses(seed_results, tmp_path):
    source, results = seed_results[0]
    key = analysis_cache.entry_key(source, "fingerprint")
    path = analysis_cache.store(tmp_path, key, results)
    good = path.read_bytes()
    raw = gzip.decompress(good)
    header, _, payload = raw.partition(b"\n")
    damaged = {
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "not gzip": raw,
        "payload changed": gzip.compress(header + b"\n" + payload.replace(b'"start":0', b'"start":1', 1)),
        "other key": gzip.compress(header.replace(key.encode(), b"0" * 64) + b"\n" + payload),
        "a pickle": b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00.",
    }
    assert damaged["payload changed"] != gzip.compress(raw)
    for name, data in damaged.items():
        path.write_bytes(data)
        assert analysis_cache.load(tmp_path, key) is None, name


def test_run_cache_key_names_the_source(seed_results):
    """The same bytes under another name are analysed again: ids are made from the name."""
    from dataclasses import replace

    source, _ = seed_results[0]
    renamed = replace(source, source_path="elsewhere/" + source.source_path)
    assert analysis_cache.entry_key(source, "f") != analysis_cache.entry_key(renamed, "f")
    assert analysis_cache.entry_key(source, "f") == analysis_cache.entry_key(replace(source), "f")
