"""The project's one jieba tokenizer, and the two ways the stages cut with it.

One ``jieba.Tokenizer`` per process and user dictionary (the global jieba one is left
to whoever else imports jieba). Two cuts, each used by the stages that already used it:

* ``word_spans``  HMM off: the extractors (spaCy tokenizer, sentence tokens). Only word
  boundaries matter there, and an unknown word falls apart into single characters,
  which are boundaries too. Cut by rjieba (jieba-rs: jieba's dictionary and algorithm in
  Rust, about 20× faster here) with the same user dictionary; a test checks it gives
  jieba's tokens on the seeds, the development corpus and the work reports.
* ``words``       HMM on: the classifier and the alignment bags of words, where an
  unknown word kept whole is a better feature than its characters. jieba itself: with
  HMM on, jieba-rs keeps ``88-1007706`` whole where jieba splits it.
"""

from __future__ import annotations

import logging
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import jieba

from extractors.knowledge import data_path

# Outside the work tree: the dictionary cache is 9 MB and rebuilt on demand.
CACHE_DIR = Path(tempfile.gettempdir()) / "policycat-jieba"


def userdict_path(userdict: Path | str | None = None) -> Path:
    return Path(userdict) if userdict else data_path("userdict.txt")


def tokenizer(userdict: Path | str | None = None) -> jieba.Tokenizer:
    """The process's tokenizer for ``userdict`` (default: the project dictionary),
    rebuilt when the dictionary file changes or appears between calls."""
    path = userdict_path(userdict)
    stamp = path.stat().st_mtime if path.exists() else None
    return _tokenizer(str(path), stamp)


@lru_cache(maxsize=4)
def _tokenizer(userdict: str, stamp: float | None) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    built = jieba.Tokenizer()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    built.tmp_dir = str(CACHE_DIR)
    if stamp is not None:
        built.load_userdict(userdict)
    return built


# jieba's own reading of a user-dictionary line: word, optional frequency, optional tag
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


def fast_tokenizer(userdict: Path | str | None = None):
    """The process's rjieba tokenizer for ``userdict``, its words added as jieba's
    ``load_userdict`` adds them."""
    path = userdict_path(userdict)
    stamp = path.stat().st_mtime if path.exists() else None
    return _fast_tokenizer(str(path), stamp)


@lru_cache(maxsize=4)
def _fast_tokenizer(userdict: str, stamp: float | None):
    import rjieba

    built = rjieba.Jieba()
    if stamp is not None:
        for line in Path(userdict).read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
            line = line.strip()
            if not line:
                continue
            word, freq, tag = _USERDICT_LINE.match(line).groups()
            built.add_word(word, int(freq) if freq else None, tag.strip() if tag else None)
    return built


def word_spans(text: str, userdict: Path | str | None = None) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of every word of ``text``, HMM off; the words cover the text."""
    return fast_tokenizer(userdict).tokenize(text, "default", False) if text else []


def jieba_word_spans(text: str, userdict: Path | str | None = None) -> list[tuple[str, int, int]]:
    """``word_spans`` as jieba cuts them: what the fast cut is checked against."""
    return list(tokenizer(userdict).tokenize(text, HMM=False)) if text else []


def words(text: str, userdict: Path | str | None = None) -> list[str]:
    """The words of ``text``, HMM on (the bags of words of the classifier and alignment)."""
    return tokenizer(userdict).lcut(text, HMM=True) if text else []
