"""``policycat serve``: the flow as a Prefect deployment on a cron schedule, run from the API
as the Prefect UI starts it, writing the same folder a ``policycat run`` writes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora"
pytestmark = pytest.mark.xdist_group("serve")


def test_serve_schedules_the_flow_and_runs_it_when_asked(tmp_path):
    out = tmp_path / "out"
    name = f"weekly-{uuid.uuid4().hex[:8]}"  # Prefect's database outlives the test: a name of its own
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from pipelines.cli import app; app()", "serve", str(CORPUS), "-o", str(out), "--cron", "0 6 * * 1", "--name", name],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        line = process.stdout.readline()
        found = re.search(r" on (http\S+) \(cron 0 6 \* \* 1\)", line)
        assert found, line
        api = found.group(1)
        deployment = None
        deadline = time.monotonic() + 120
        while deployment is None and time.monotonic() < deadline:
            reply = httpx.get(f"{api}/deployments/name/policycat-catalogue/{name}", timeout=10)
            deployment = reply.json() if reply.status_code == 200 else time.sleep(1)
        assert deployment, "the deployment never appeared"
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 6 * * 1"]
        assert deployment["parameters"]["out_dir"] == str(out.resolve())
        # started from the API, as the UI's "Run" button does; the served process runs it
        run = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json={}, timeout=10).json()
        state = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            state = httpx.get(f"{api}/flow_runs/{run['id']}", timeout=10).json()["state"]["type"]
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                break
            time.sleep(2)
        assert state == "COMPLETED", state
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert {"catalogue.jsonl", "catalogue.xlsx", "report.html"} <= set(manifest["files"])
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_refuses_a_bad_cron_line(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from pipelines.cli import app; app()", "serve", str(CORPUS), "-o", str(tmp_path), "--cron", "every monday"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and "--cron 'every monday'" in done.stderr
