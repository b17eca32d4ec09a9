"""``policycat compare`` and ``policycat report`` over a finished run keep run.json vouching for it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.publish import verify

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


def test_standalone_steps_renew_the_manifest(seed_run, tmp_path):
    source, _ = seed_run
    out = tmp_path / "out"
    shutil.copytree(source, out)
    assert verify(out) == []
    before = json.loads((out / "run.json").read_text(encoding="utf-8"))
    runner = CliRunner()
    for command in (["compare", str(out), "-c", str(CORPUS)], ["report", str(out), "-c", str(CORPUS)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        assert verify(out) == []  # every file still matches what run.json says of it
    after = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [a["step"] for a in after["amended"]] == ["compare", "report"]
    assert set(after["files"]) == set(before["files"]) and after["counts"] == before["counts"]
