"""The gold files are well-formed and in sync with their YAML source."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

GOLD_DIR = Path(__file__).resolve().parents[2] / "gold"  # the gold files and their build scripts
if str(GOLD_DIR) not in sys.path:
    sys.path.insert(0, str(GOLD_DIR))

import build_gold  # noqa: E402
import check_gold  # noqa: E402


def test_gold_integrity():
    assert check_gold.check(verbose=False) == []


def test_gold_files_match_annotations():
    with open(build_gold.ANNOTATIONS, encoding="utf-8") as fh:
        docs, pairs = build_gold.build(yaml.safe_load(fh))
    assert build_gold.SEEDS_OUT.read_text(encoding="utf-8") == build_gold._dump(docs)
    assert build_gold.PAIRS_OUT.read_text(encoding="utf-8") == build_gold._dump(pairs)
