"""The whole seed run against golden files: a refactor that changes an output is seen.

The golden files are the run's ``catalogue.jsonl``, ``documents.jsonl`` and
``comparison.jsonl``, canonicalised (floats to 6 places, the run's own folder
removed). They are rewritten only with ``pytest --regen-golden``; a missing
golden file is a failure, never a silent regeneration.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "seeds"
FILES = ("catalogue.jsonl", "documents.jsonl", "comparison.jsonl")
RUN_LOCAL_KEYS = {"out_dir", "files"}  # where this run wrote, not what it found
BY_NAME = {"mapping"}  # a file the run read: its folder depends on the caller


def _canonical(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: Path(v).name if k in BY_NAME and v else _canonical(v) for k, v in value.items() if k not in RUN_LOCAL_KEYS}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def canonical_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.dumps(_canonical(json.loads(line)), ensure_ascii=False, sort_keys=True) for line in handle if line.strip()]


@pytest.mark.parametrize("name", FILES)
def test_golden_seed_run(seed_run, name, request):
    out, _ = seed_run
    produced = canonical_lines(out / name)
    golden = GOLDEN / name
    if request.config.getoption("--regen-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text("".join(line + "\n" for line in produced), encoding="utf-8")
        pytest.skip(f"{golden} rewritten")
    assert golden.is_file(), f"{golden} is missing; create it with `pytest --regen-golden`"
    expected = golden.read_text(encoding="utf-8").splitlines()
    if produced != expected:
        diff = list(difflib.unified_diff(expected, produced, "golden", "run", n=0, lineterm=""))
        pytest.fail(f"{name} differs from {golden} ({len(diff)} diff lines):\n" + "\n".join(d[:300] for d in diff[:20]))
