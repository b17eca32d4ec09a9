"""A .docx is a zip: its directory is checked against sources.yaml's docx_limits before parsing."""

from __future__ import annotations

import time
import zipfile

import docx
from conftest import assert_seeds_read, errors_of, run_folder

from extractors.reading import docx_limits

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _package(path, parts: dict[str, str]) -> zipfile.ZipFile:
    package = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    package.writestr("[Content_Types].xml", _CONTENT_TYPES)
    package.writestr("_rels/.rels", _RELS)
    for name, text in parts.items():
        package.writestr(name, text)
    return package


def _zip_bomb(path, inflated: int) -> None:
    """A well-formed Word package whose document.xml inflates to ``inflated`` bytes,
    streamed part by part so that neither disk nor memory holds it."""
    paragraph = ("<w:p><w:r><w:t>" + "政协委员" * 50 + "</w:t></w:r></w:p>") * 200
    chunk = paragraph.encode("utf-8")
    with _package(path, {}) as package, package.open("word/document.xml", "w", force_zip64=True) as part:
        part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
        for _ in range(inflated // len(chunk)):
            part.write(chunk)
        part.write(b"</w:body></w:document>")


def test_zip_bomb_is_refused_from_its_directory(corpus):
    bomb = corpus / "bomb.docx"
    _zip_bomb(bomb, 2**30)
    assert bomb.stat().st_size < 10 * 2**20  # a few MB on disk, under the size limit (--max-mb)
    good = docx.Document()
    good.add_paragraph("关于加强政协委员履职工作的意见")
    good.add_paragraph("各级政协要加强委员履职培训，每年开展两次专题调研。")
    good.save(corpus / "good.docx")

    started = time.perf_counter()
    batch = run_folder(corpus)
    elapsed = time.perf_counter() - started

    [row] = errors_of(batch, "bomb.docx")
    assert row["stage"] == "read"
    assert row["reason"].startswith("not read: the .docx package inflates to 1024 MB (word/document.xml: 1024 MB), over the limit of 200 MB")
    assert "zip bomb" in row["reason"]
    assert errors_of(batch, "good.docx") == []
    assert "每年开展两次专题调研" in next(s.text for s in batch.sources if s.source_path == "good.docx")
    assert_seeds_read(batch)
    # parsing 1 GB of XML takes minutes and many GB; the directory check takes milliseconds
    # (the run of the folder, seeds included, took ~1 s once the analysis worker was up)
    assert elapsed < 60


def test_too_many_entries_is_refused(corpus):
    limit = docx_limits().max_entries
    with _package(corpus / "entries.docx", {"word/document.xml": f'<w:document xmlns:w="{_W}"><w:body/></w:document>'}) as package:
        for i in range(limit):
            package.writestr(f"word/media/blank{i}.xml", "")
    batch = run_folder(corpus)
    [row] = errors_of(batch, "entries.docx")
    assert row["stage"] == "read"
    assert row["reason"] == f"not read: the .docx package holds {limit + 3} entries, over the limit of {limit} (sources.yaml docx_limits)"
    assert_seeds_read(batch)
