"""The main flow on a real Dask cluster and on local worker processes: the same catalogue
as the single-process run (``seed_run``), batch for batch."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora"
SAME = ("catalogue.jsonl", "documents.jsonl", "sections.jsonl", "errors.jsonl", "comparison.jsonl")

pytestmark = pytest.mark.xdist_group("parallel-runs")


@pytest.fixture(scope="module")
def cluster():
    """A real ``distributed.LocalCluster``: two worker processes, as an office's scheduler
    would have them (allowed children: each analyses a file in a child of its own)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
            yield local


def _same_outputs(a: Path, b: Path) -> None:
    for name in SAME:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_flow_on_a_dask_cluster_writes_the_single_process_catalogue(seed_run, cluster, tmp_path):
    from pipelines.flow import runnable_flow

    single, _ = seed_run
    flow, parallel = runnable_flow(dask=cluster.scheduler_address)
    assert parallel >= 2
    before = cluster.scheduler.transition_counter
    summary = flow([str(CORPUS)], str(tmp_path), show_progress=False, use_cache=False, parallel=parallel)
    # the batches went through the cluster's scheduler, to its workers
    assert cluster.scheduler.transition_counter > before
    assert summary["failed"] == 0 and summary["measures"] > 0
    _same_outputs(single, tmp_path)


def test_flow_on_two_local_workers_writes_the_single_process_catalogue(seed_run, tmp_path):
    from pipelines.flow import runnable_flow

    single, _ = seed_run
    flow, parallel = runnable_flow(workers=2)
    summary = flow([str(CORPUS)], str(tmp_path), show_progress=False, use_cache=False, parallel=parallel)
    assert summary["failed"] == 0
    _same_outputs(single, tmp_path)


def test_one_worker_runs_in_process():
    from pipelines.flow import catalogue_flow, runnable_flow

    assert runnable_flow(workers=1) == (catalogue_flow, 0)
