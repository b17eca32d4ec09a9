"""Shared fixtures: the real taxonomy and settings, and one model trained on them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the tests import the project's packages from the work tree
    sys.path.insert(0, str(ROOT))

from models.settings import load_settings  # noqa: E402
from models.taxonomy import DEFAULT_TAXONOMY_PATH, load_taxonomy  # noqa: E402
from models.training import build_training_set, train_model  # noqa: E402



@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(DEFAULT_TAXONOMY_PATH)


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def taxonomy_model(taxonomy, settings):
    """Trained on the taxonomy alone, so it does not move while gold grows."""
    return train_model(taxonomy, build_training_set(taxonomy, settings=settings), settings, cross_validate=False)
