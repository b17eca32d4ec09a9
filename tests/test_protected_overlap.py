"""No document the tests read shares text with the protected evaluation set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TOOL = SHARED / "tools" / "protected-overlap"
# every corpus a test, a benchmark or training reads
CORPORA = [ROOT / "corpora", ROOT / "tests" / "fixtures", SHARED / "corpora" / "dev", SHARED / "seeds", SHARED / "corpora" / "gwr"]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_corpus_shares_no_text_with_the_protected_set(corpus):
    assert corpus.exists(), f"{corpus} is missing"
    done = subprocess.run([sys.executable, str(TOOL), str(corpus)], capture_output=True, text=True, timeout=600)
    flagged = [line for line in done.stdout.splitlines() if ": ok" not in line]
    assert done.returncode == 0, "documents overlapping the protected set:\n" + "\n".join(flagged)
