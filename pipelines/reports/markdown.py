"""``report.md``: the summary as Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

_MD_SPECIAL = {ch: "\\" + ch for ch in "\\`*_[]#|<>~"}


def markdown_escape(text) -> str:
    """Text safe in a Markdown paragraph or table cell: markup characters escaped, no raw HTML."""
    from pipelines.reports.package import xml_text

    text = "" if text is None else xml_text(str(text))
    return "".join(_MD_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def write_markdown(path: Path, view: Mapping, chart_files: Mapping[str, str]) -> None:
    from pipelines.reports.templates import jinja

    path.write_text(jinja(False).get_template("report.md.j2").render(view=view, chart_files=chart_files), encoding="utf-8")
