"""A small corpus folder per test: two good seed files beside the hostile case.

Cases are run the way ``policycat run`` reads and analyses a folder (``list_sources`` then
``analyse_files``), so each expectation is checked on the error rows a user sees.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (ROOT / "corpora" / "000_c4eeb4407c4e4302.txt", ROOT / "corpora" / "001_c928dd9025f7e819.txt")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def run_folder(folder: Path):
    """The batch of one folder as the run analyses it (no cache)."""
    from extractors.reading import list_sources
    from pipelines.flow import analyse_files

    return analyse_files(list_sources([folder]), max_bytes=20 * 2**20, cache_dir=None, fingerprint="test")


def assert_seeds_read(batch) -> None:
    read = {s.source_path for s in batch.sources}
    assert {seed.name for seed in SEEDS} <= read, read
    assert any(r.document.source_path == SEEDS[0].name and r.measures for r in batch.results)


def errors_of(batch, name: str) -> list[dict]:
    return [row for row in batch.errors if Path(row["path"]).name == name or row["path"].endswith(name)]
