"""Shared by the benchmark scripts: the GWR corpus as text files, the reference body scan."""

from __future__ import annotations

import functools
import json
import sys
from contextlib import contextmanager
from pathlib import Path

GWR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gwr" / "government_work_reports.jsonl"


def record_name(index: int, row: dict) -> str:
    # 20 of the 72 GWR records are NPC resolutions with no year: name by position too
    return f"gwr_{index:02d}_{row.get('year') or 'resolution'}.txt"


def export_records(jsonl: Path, folder: Path) -> Path:
    """Write ``title\\ncontent`` of every record into ``folder``; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            (folder / record_name(index, row)).write_text(row["title"] + "\n" + row["content"], encoding="utf-8")
    return folder


@contextmanager
def reference_body_scan():
    """Within the block every extractor module runs all body patterns on every text:
    the path before the prefilter, for before/after measurements in one process."""
    from extractors import bodies

    fast = bodies.find_mentions
    reference = functools.wraps(fast)(functools.partial(fast, prefilter=False))
    switched = [m for name, m in list(sys.modules.items()) if name.startswith("extractors.") and getattr(m, "find_mentions", None) is fast]
    if not any(m.__name__ == "extractors.measures" for m in switched):
        raise RuntimeError("reference body scan: extractors.measures is not imported or no longer calls find_mentions")
    for module in switched:
        module.find_mentions = reference
    try:
        yield
    finally:
        for module in switched:
            module.find_mentions = fast


if __name__ == "__main__":
    # python benchmarks/support.py OUT_DIR: the GWR corpus as text files, ready for `policycat run OUT_DIR`
    print(export_records(GWR, Path(sys.argv[1])))
