"""The Jinja environment of the Markdown and HTML pages (``pipelines/templates/*.j2``)."""

from __future__ import annotations

from pipelines.reports.wording import TEMPLATES_DIR


def jinja(autoescape: bool):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=autoescape, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    from pipelines.reports.markdown import markdown_escape

    env.filters["md"] = markdown_escape
    return env
