"""The Jinja environment of the Markdown and HTML pages (``pipelines/templates/*.j2``)."""

from __future__ import annotations

from pipelines.reports.wording import TEMPLATES_DIR


def _printable(value):
    """What a page shows, without control characters (a NUL or ESC from a source title
    makes the page a "binary" file to editors and tools); markup stays markup."""
    from markupsafe import Markup

    from pipelines.reports.package import xml_text

    if isinstance(value, Markup):
        return Markup(xml_text(str(value)))
    return xml_text(value) if isinstance(value, str) else value


def jinja(autoescape: bool):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=autoescape, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_printable)
    from pipelines.reports.markdown import markdown_escape

    env.filters["md"] = markdown_escape
    return env
