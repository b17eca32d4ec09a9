"""Flow tests run against a temporary local Prefect server started once."""

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def seed_run(prefect_harness, tmp_path_factory):
    """One uncached run of the main flow on ``corpora/``: (output folder, flow summary).

    Shared by every test that only reads a run's outputs; a run costs about a minute.
    """
    from pipelines.flow import catalogue_flow

    out = tmp_path_factory.mktemp("seed-run")
    summary = catalogue_flow([str(CORPUS)], str(out), show_progress=False, use_cache=False)
    return out, summary
