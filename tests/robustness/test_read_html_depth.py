"""HTML nested past the parser's limit says so, instead of "no text"."""

from __future__ import annotations

from conftest import assert_seeds_read, errors_of, run_folder

BODY = "各级政协要加强委员履职培训，每年开展两次专题调研，形成调研报告。"


def _nested(depth: int, inner: str, outer: str = "") -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{outer}{'<div>' * depth}<p>{inner}</p>{'</div>' * depth}</body></html>".encode()


def test_deep_html_reasons(corpus):
    (corpus / "deep.html").write_bytes(_nested(5000, BODY))
    (corpus / "half.html").write_bytes(_nested(300, "深处的文字。", outer=f"<h1>关于加强政协委员履职的通知</h1><p>{BODY}</p>"))
    (corpus / "shallow.html").write_bytes(_nested(100, BODY))
    batch = run_folder(corpus)
    [deep] = errors_of(batch, "deep.html")
    assert deep["stage"] == "read"
    assert deep["reason"] == "HTML nested deeper than 256 levels: text below that depth is not read; none above that depth"
    half = next(s for s in batch.sources if s.source_path == "half.html")
    assert BODY in half.text and "深处的文字" not in half.text
    assert "HTML nested deeper than 256 levels: text below that depth is not read" in half.warnings
    shallow = next(s for s in batch.sources if s.source_path == "shallow.html")
    assert BODY in shallow.text and not any("nested" in w for w in shallow.warnings)
    assert_seeds_read(batch)
