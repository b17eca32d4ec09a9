"""Seed documents analysed once per test session."""

from pathlib import Path

import pytest

from extractors.documents import load_resources, process_source
from extractors.reading import read_source

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def base_resources():
    """Everything up to sentences; measure extraction has its own fixtures."""
    return load_resources(measures=False)


@pytest.fixture(scope="session")
def seed_results(base_resources):
    results = {}
    for name in SEEDS:
        source = read_source(CORPUS / name, CORPUS)
        results[name] = (source, process_source(source, base_resources, with_tokens=True))
    return results
