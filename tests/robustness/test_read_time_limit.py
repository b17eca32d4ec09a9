"""A file whose analysis runs over the time limit becomes an error row; the others are analysed."""

from __future__ import annotations

import time

from conftest import assert_seeds_read, errors_of, run_folder


def test_file_over_the_time_limit_is_an_error_row(corpus, tmp_path, monkeypatch):
    limits = tmp_path / "limits.yaml"
    # seeds take ~0.2 s each in a warm worker; the long line ~14 s (measured): margins both ways
    limits.write_text("seconds_per_file: 2\n", encoding="utf-8")
    monkeypatch.setenv("POLICYCAT_LIMITS", str(limits))
    # one 880,000-character line, no sentence end: slow to tokenise and parse, not broken
    (corpus / "000_long.txt").write_text("政协" + "委员会议" * 220_000 + "\n", encoding="utf-8")

    started = time.perf_counter()
    batch = run_folder(corpus)
    elapsed = time.perf_counter() - started

    [row] = errors_of(batch, "000_long.txt")
    assert row == {"path": str(corpus / "000_long.txt"), "stage": "analyse", "reason": "analysis failed: analysis stopped after 2 s, the time limit per file (pipelines/limits.yaml)"}
    assert "000_long.txt" not in {s.source_path for s in batch.sources}
    # the file listed first, so the seeds after it ran in a fresh worker
    assert_seeds_read(batch)
    assert elapsed < 120  # two worker starts (~5-10 s each on a busy machine) and the 2 s limit


def test_default_limit_is_the_settings_file():
    from pipelines.limits import LIMITS_PATH, load_limits

    assert LIMITS_PATH.name == "limits.yaml"
    assert load_limits().seconds_per_file == 180
