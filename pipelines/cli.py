"""The ``policycat`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Turn Chinese policy texts about 政协 work into a structured requirement catalogue.", no_args_is_help=True)
console = Console()


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Files or folders of documents (txt, md, docx, pdf, html)."),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", help="Folder the run writes to."),
    strict: bool = typer.Option(False, help="Exit 1 when any file could not be read."),
    max_mb: float = typer.Option(20.0, help="Refuse files larger than this many MB."),
    batch_size: int = typer.Option(16, help="Files per Prefect task."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-analyse files even when unchanged."),
) -> None:
    """Run the whole flow: read, split, analyse, extract, write outputs/."""
    from pipelines.flow import catalogue_flow

    summary = catalogue_flow(
        [str(p) for p in paths], str(out), batch_size=batch_size, max_bytes=int(max_mb * 2**20), use_cache=not no_cache
    )
    console.print(
        f"read {summary['files_read']} files → {summary['documents']} documents "
        f"({summary['split_files']} files split, {summary['duplicates']} duplicates), "
        f"{summary['measures']} measures; failed {summary['failed']}"
    )
    if summary["failed"]:
        console.print(f"[yellow]unreadable files are listed in {out / 'errors.jsonl'}[/yellow]")
    console.print(f"outputs written to [bold]{out}/[/bold]")
    if strict and summary["failed"]:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders to look at."),
    max_mb: float = typer.Option(20.0, help="Refuse files larger than this many MB."),
) -> None:
    """Read files and print what was found: documents, types, levels, regions, problems."""
    from extractors.documents import load_resources, process_source
    from extractors.errors import SourceError
    from extractors.reading import list_sources, read_source

    resources = load_resources(measures=False)
    table = Table("file", "format", "encoding", "doc", "type", "level", "region", "title / problem", show_lines=False)
    for path, root in list_sources(paths):
        try:
            source = read_source(path, root, max_bytes=int(max_mb * 2**20))
        except SourceError as exc:
            table.add_row(str(path), path.suffix.lstrip("."), "", "", "", "", "", f"[red]{exc.reason}[/red]")
            continue
        for result in process_source(source, resources):
            doc = result.document
            title = (doc.title or "")[:40] + (f" [yellow](duplicate of {doc.duplicate_of})[/yellow]" if doc.duplicate_of else "")
            table.add_row(
                source.source_path, source.format, source.encoding or "", doc.doc_id.rsplit("#", 1)[-1],
                doc.doc_type or "", doc.level or "", doc.region.name, title,
            )
    console.print(table)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
