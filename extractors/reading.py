"""Read any supported file into a ``SourceText``: the project's coordinate system."""

from __future__ import annotations

import codecs
import os
import fnmatch
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pydantic import Field

from extractors.errors import SourceError
from extractors.knowledge import Schema, Text, data_path, load_file
from extractors.types import Extraction, SourceText

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".text": "txt"}
FORMATS = {**TEXT_SUFFIXES, ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Encodings detectors report for Chinese text all decode as GB18030, their superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


class ZipLimits(Schema):
    """What a zip-packed document (.docx) may hold, read from its directory before parsing."""

    max_inflated_mb: int = Field(gt=0)
    max_entries: int = Field(gt=0)


class _SourcesFile(Schema):
    skip_in_folders: tuple[Text, ...]
    docx_limits: ZipLimits


@lru_cache(maxsize=1)
def _sources_file() -> _SourcesFile:
    return load_file(data_path("sources.yaml"), _SourcesFile)


def _folder_skips() -> tuple[str, ...]:
    return tuple(p.lower() for p in _sources_file().skip_in_folders)


def docx_limits() -> ZipLimits:
    return _sources_file().docx_limits


def skipped_in_folder(file: Path) -> bool:
    """A corpus folder's own notes (README.md, SOURCE.md…) are not documents."""
    name = file.name.lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in _folder_skips())


def list_sources(paths: list[Path]) -> list[tuple[Path, Path]]:
    """Every supported file under the given files/folders, as (file, root) pairs;
    a file named on its own is always listed."""
    found = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.name.startswith(".") or skipped_in_folder(file):
                    continue
                if file.is_symlink():
                    # a link that is not followed is listed all the same, so that the reader's
                    # error row says why (link_problem); links to other kinds of file are ignored
                    problem = link_problem(file, path)
                    wanted = file.suffix.lower() in FORMATS
                    if (problem is None and wanted and file.is_file()) or (problem is not None and (wanted or file.is_dir() or "loop" in problem)):
                        found.append((file, path))
                elif file.is_file() and file.suffix.lower() in FORMATS:
                    found.append((file, path))
        else:
            found.append((path, path.parent))
    return found


# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def link_problem(path: Path, root: Path | None) -> str | None:
    """Why a symbolic link under a corpus folder is not followed, or None when it may be:
    a link is read only when it leads to a file inside the corpus folder."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"symbolic link to {os.readlink(path)}, which does not exist: not followed"
    except (RuntimeError, OSError):  # Python raises RuntimeError on a loop before 3.13, OSError after
        return f"symbolic link loop ({path.name} → {os.readlink(path)} leads back to itself): not followed"
    base = (root or path.parent).resolve()
    if not target.is_relative_to(base):
        return f"symbolic link to {target}, outside the corpus folder {base}: not followed"
    if target.is_dir():
        if path.parent.resolve().is_relative_to(target):
            return f"symbolic link loop: {path.name} points back to the folder it is in ({target}): not followed"
    return None  # a folder of the corpus (its files are read where they are) or a file in it


def decode_text(raw: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text and name the encoding used; refuse to guess silently."""
    if not raw.strip():
        raise SourceError(path, "file is empty")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"has a {name} byte-order mark but does not decode: {exc.reason}") from exc
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        mixed = _mixed_utf8(raw, exc.start)
        if mixed:
            raise SourceError(path, mixed) from exc
        text, encoding = _detect(raw, path)
    if _looks_binary(text):
        raise SourceError(path, f"not a text file: decodes as {encoding} to mostly control characters (binary data named as text?)")
    return text, encoding


def _mixed_utf8(raw: bytes, first_bad: int) -> str | None:
    """The reason for a file that is partly UTF-8 and partly another encoding, or None.

    Text in another encoding decodes as UTF-8 only by chance, and a whole line of Chinese
    practically never does; a file with lines of Chinese in valid UTF-8 beside lines that are
    not UTF-8 mixes encodings, and no single decoding would read it right.
    """
    good = bad = 0
    for line in raw.split(b"\n"):
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
            continue
        if sum(1 for ch in decoded if ord(ch) >= 0x800) >= 4:
            good += 1
    if not good or not bad:
        return None
    return (
        f"mixed encodings: {good} lines of the file are UTF-8 and {bad} are not (the first bad byte at {first_bad}); "
        "a part was saved in another encoding (GBK?): save the whole file in one encoding"
    )


def _detect(raw: bytes, path: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    if best is None:
        raise SourceError(path, "not a text file: no text encoding fits (binary data?)")
    # the detector's name as Python's codec registry spells it (utf_16_le → utf-16-le):
    # the name must stay one the codecs know.
    try:
        encoding = codecs.lookup(best.encoding).name
    except LookupError:
        encoding = best.encoding.lower()
    if encoding in _GB_FAMILY:
        encoding = "gb18030"
    elif encoding in {"big5", "big5hkscs", "cp950"}:
        encoding = "big5hkscs"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(path, f"detected encoding {encoding} does not decode the file: {exc}") from exc


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f") + sample.count("\ufffd")
    return control > max(8, len(sample) // 20)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, str]:
    """Simplified text of the same length, one character for one, and the script found.

    Offsets must stay shared, so a phrase conversion that changes a line's length
    falls back to converting that line character by character.
    """
    converter = _t2s()
    out = converter.convert(text)
    if len(out) != len(text):
        lines = []
        for line in text.split("\n"):
            converted = converter.convert(line)
            if len(converted) != len(line):
                converted = "".join(c if len(c) == 1 else o for o, c in ((o, converter.convert(o)) for o in line))
            lines.append(converted)
        out = "\n".join(lines)
    changed = sum(1 for a, b in zip(text, out) if a != b)
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") or 1
    share = changed / cjk
    script = "traditional" if share > 0.05 else "mixed" if share > 0.005 else "simplified"
    return (out if changed else text), script


def normalize_text(text: str) -> str:
    """The form models read text in: simplified characters, full-width forms folded
    (NFKC), so a traditional or half-width copy reads the same. Not offset-preserving."""
    import unicodedata

    simplified, _ = to_simplified(text)
    return unicodedata.normalize("NFKC", simplified)


def read_sources(path: Path, root: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceText | SourceError]:
    """Every source in one file: the file itself, or each record of a JSON Lines collection.

    Errors come in the stream as ``SourceError`` values, so a bad record does not
    lose the good ones; a file that cannot be read at all yields one error.
    """
    path = Path(path)
    problem = link_problem(path, root)
    if problem is not None:
        yield SourceError(str(path), problem)
        return
    if FORMATS.get(path.suffix.lower()) != "jsonl":
        try:
            yield read_source(path, root, max_bytes=max_bytes)
        except SourceError as exc:
            yield exc
        return
    from extractors.records import load_record_fields, record_sha256, record_texts

    try:
        shown, source_path, raw = _read_bytes(path, root, max_bytes)
        text, encoding = decode_text(raw, shown)
    except SourceError as exc:
        yield exc
        return
    for item in record_texts(text, shown, load_record_fields()):
        if isinstance(item, SourceError):
            yield item
            continue
        number, record = item
        yield _source(f"{shown}:{number}", f"{source_path}/{number}", "jsonl", Extraction(record), encoding, record_sha256(record))


def _read_bytes(path: Path, root: Path | None, max_bytes: int) -> tuple[str, str, bytes]:
    shown = str(path)
    source_path = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(shown, f"file too large: {size / 2**20:.1f} MB over the {max_bytes / 2**20:.0f} MB limit (--max-mb)")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(shown, "file disappeared before it could be read") from exc
    except PermissionError as exc:
        raise SourceError(shown, "permission denied") from exc
    except IsADirectoryError as exc:
        raise SourceError(shown, "is a directory") from exc
    return shown, source_path, raw


def read_source(path: Path, root: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one file. Raises ``SourceError`` naming the file and the reason."""
    path = Path(path)
    problem = link_problem(path, root)
    if problem is not None:
        raise SourceError(str(path), problem)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or fmt == "jsonl":
        supported = ", ".join(sorted(f for f in FORMATS if FORMATS[f] != "jsonl"))
        reason = "a JSON Lines collection holds several sources: read it with read_sources" if fmt else f"unsupported file type {path.suffix or '(none)'}; supported: {supported}"
        raise SourceError(str(path), reason)
    shown, source_path, raw = _read_bytes(path, root, max_bytes)
    digest = hashlib.sha256(raw).hexdigest()
    encoding: str | None = None
    if fmt in ("txt", "md"):
        text, encoding = decode_text(raw, shown)
        extraction = Extraction(text)
    elif fmt == "pdf":
        from extractors.pdf_text import extract_pdf_text

        extraction = extract_pdf_text(path)
    elif fmt == "docx":
        from extractors.docx_text import extract_docx_text

        extraction = extract_docx_text(path, limits=docx_limits())
    else:
        from extractors.html_text import extract_html_text

        extraction = extract_html_text(raw, shown)
    return _source(shown, source_path, fmt, extraction, encoding, digest)


def _source(shown: str, source_path: str, fmt: str, extraction: Extraction, encoding: str | None, digest: str) -> SourceText:
    if not extraction.text.strip():
        raise SourceError(shown, "no text found in the file")
    analysis, script = to_simplified(extraction.text)
    warnings = list(extraction.warnings)
    if script != "simplified":
        warnings.append(f"{script} characters: analysed as simplified, offsets in the original")
    return SourceText(
        path=shown,
        source_path=source_path,
        format=fmt,
        text=extraction.text,
        encoding=encoding,
        sha256=digest,
        analysis_text=analysis,
        script=script,
        warnings=tuple(warnings),
        pages=extraction.pages,
    )
