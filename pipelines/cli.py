"""The ``policycat`` command line."""

from __future__ import annotations

import json
from contextlib import contextmanager
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.scoring import PAIRS_GOLD, SEEDS_GOLD

app = typer.Typer(help="Turn Chinese policy texts about 政协 work into a structured requirement catalogue.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("policycat")
        except PackageNotFoundError:  # run from a checkout that was never installed
            found = "unknown (not installed)"
        console.print(f"policycat {found}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit.")) -> None:
    """Turn Chinese policy texts about 政协 work into a structured requirement catalogue."""


def _fail(message: str, code: int = 2):
    """One line on stderr and the exit code: an input the command cannot use."""
    err_console.print(f"policycat: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _require_paths(paths: list[Path], written: str = "") -> None:
    """Every path given exists (a dangling link is read and reported by the reader)."""
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        _fail("no such file or folder: " + ", ".join(missing) + written)


def _check_inputs(paths: list[Path]) -> None:
    """Every path given exists and together they hold a document, before anything is written."""
    from extractors.reading import FORMATS, list_sources

    _require_paths(paths, "; nothing was written")
    if not list_sources(paths):
        kinds = " ".join(sorted(FORMATS))
        _fail(f"no documents in {', '.join(map(str, paths))} (looked for {kinds}); nothing was written")


def _check_review(corrections: Path | None, paths: list[Path], out: Path) -> None:
    """The review the run is to apply can be read; and a review filled into the output
    folder's catalogue.xlsx is not overwritten by a run that was not asked to apply it.
    Nothing is imported or read when there is no review anywhere (a busy folder is refused
    at once, before the review is looked at)."""
    if corrections is not None and not corrections.is_file():
        _fail(f"no such corrections file: {corrections}; nothing was written")
    chosen = corrections or next((p / "corrections.yaml" for p in paths if (p / "corrections.yaml").is_file()), None)
    workbook = out / "catalogue.xlsx"
    edited = False
    if corrections is None and workbook.is_file():
        from pipelines.publish import verify

        edited = any(p.startswith("catalogue.xlsx") for p in verify(out))
    if chosen is None and not edited:
        return
    from extractors.knowledge import DataError
    from pipelines.reports.review import read_review_file

    try:
        read_review_file(chosen)
    except DataError as exc:
        _fail(f"the review in {chosen} cannot be applied; nothing was written:\n" + str(exc))
    if edited:
        try:
            review = read_review_file(workbook)
        except DataError:
            return
        decided = len(review.corrections) + len(review.links)
        if decided:
            _fail(f"{workbook} was edited after its run and holds {decided} review decisions: apply them with "
                  f"--corrections {workbook}, or move the file away; nothing was written")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Files or folders of documents (txt, md, docx, pdf, html; JSON Lines, one record a document)."),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", help="Folder the run writes to."),
    strict: bool = typer.Option(False, help="Exit 1 when errors.jsonl has any row: a file not read or analysed, a comparison, chart or report that failed."),
    max_mb: float = typer.Option(20.0, help="Refuse files larger than this many MB."),
    batch_size: int = typer.Option(16, help="Files per Prefect task."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-analyse files even when unchanged."),
    workers: int = typer.Option(1, min=1, help="Analyse files in this many local processes (a local Dask cluster when more than 1)."),
    dask: str = typer.Option(None, help="Analyse files on the Dask cluster at this scheduler address (tcp://host:8786); its workers need this project installed."),
    corrections: Optional[Path] = typer.Option(
        None, "--corrections", help="An analyst's review to apply: a catalogue.xlsx whose 复核 sheets were filled in, or a corrections.yaml "
        "(default: corrections.yaml in the corpus folder, when there is one).",
    ),
) -> None:
    """Run the whole flow: read, split, analyse, extract, classify, compare, write catalogue and reports to outputs/."""
    from pipelines.publish import OutputFolderError, run_folder
    from pipelines.runtime import RunInterrupted, prefect_server, stop_on_signals

    _check_inputs(paths)
    _check_review(corrections, paths, out)
    folder = None
    try:
        with stop_on_signals(), run_folder(out) as folder:
            # the lock is taken before Prefect is imported and started: a busy folder is refused at once
            summary = None if no_cache else _reused(folder, paths, corrections, int(max_mb * 2**20))
            if summary is None:
                from pipelines.flow import runnable_flow

                with prefect_server():
                    flow, parallel = runnable_flow(workers, dask)
                    summary = flow(
                        [str(p) for p in paths], str(out), batch_size=batch_size, max_bytes=int(max_mb * 2**20), use_cache=not no_cache, parallel=parallel,
                        corrections=str(corrections) if corrections else None,
                    )
    except OutputFolderError as exc:
        err_console.print(f"policycat: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except RunInterrupted as exc:
        left = "as it was" if folder is None or not folder.written() else "with no run.json (this run had begun replacing files)"
        err_console.print(f"policycat: stopped by {exc.name}; {out} is left {left}", markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    if summary.get("reused_from"):
        console.print(f"nothing changed since the run of {summary['reused_from']}: its files are kept", markup=False, highlight=False)
        console.print("(--no-cache computes them again)", markup=False, highlight=False)
    for line in summary_lines(summary):
        console.print(line, markup=False, highlight=False)
    for step in ("comparison", "reports"):
        if summary.get(step, {}).get("error"):
            console.print(f"[red]{step} failed: {escape(summary[step]['error'])}[/red] (the catalogue is written)")
    late = late_error_rows(summary)
    for row in late:
        console.print(f"[yellow]{escape(row['stage'])}: {escape(str(row['path']))}: {escape(row['reason'])}[/yellow]", highlight=False)
    if summary["failed"] or late:
        console.print(f"[yellow]every problem is listed in {escape(str(out / 'errors.jsonl'))}[/yellow]")
    console.print(f"written to {out}/: " + ", ".join(written_names(summary)), markup=False, highlight=False)
    if strict and (summary["failed"] or late):
        raise typer.Exit(1)


def _reused(folder, paths: list[Path], corrections: Path | None, max_bytes: int) -> dict | None:
    """An unchanged corpus keeps the earlier run's files, checked before Prefect is started
    (the check the flow makes too): a re-run then takes seconds, not a server's start."""
    from pipelines.run_inputs import reused_run

    summary, corpus, inputs = reused_run(folder, [str(p) for p in paths], str(corrections) if corrections else None, max_bytes)
    if summary is not None:
        summary["manifest"] = str(folder.finish(summary, corpus, inputs))
    return summary


def summary_lines(summary: dict) -> list[str]:
    """The run's counts in short lines: each fits 80 columns, in a terminal or a pipe."""
    read = f"read {plural(summary['files_read'], 'file')}: {plural(summary['documents'], 'document')}"
    parts = [plural(summary["split_files"], "file") + " split"] if summary["split_files"] else []
    parts += [plural(summary["duplicates"], "duplicate")] if summary["duplicates"] else []
    if parts:
        read += f" ({', '.join(parts)})"
    found = f"{plural(summary['measures'], 'measure')}"
    if summary.get("needs_review"):
        found += f", {summary['needs_review']} to review"
    if summary.get("corrected"):
        found += f", {summary['corrected']} corrected by the review"
    return [read, f"{found}; {summary['failed']} failed"]


def written_names(summary: dict) -> list[str]:
    """Every file the run's run.json lists, folders of many files (charts, texts) as one."""
    try:
        files = sorted(json.loads(Path(summary["manifest"]).read_text(encoding="utf-8"))["files"])
    except (KeyError, OSError, ValueError):
        files = []
    top = [f for f in files if "/" not in f]
    folders = {}
    for f in files:
        if "/" in f:
            folders.setdefault(f.split("/", 1)[0], []).append(f)
    return [*top, *(f"{name}/ ({len(found)})" for name, found in sorted(folders.items())), "run.json"]


@app.command()
def serve(
    paths: list[Path] = typer.Argument(..., help="Folders (or files) the office drops documents into."),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", help="Folder each run writes to."),
    cron: str = typer.Option("0 6 * * 1", "--cron", help="When to run, as a cron line (default: Mondays at 06:00)."),
    name: str = typer.Option("policycat", help="The deployment's name in the Prefect UI."),
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="A review to apply on every run (catalogue.xlsx or corrections.yaml)."),
) -> None:
    """Serve the flow as a Prefect deployment that runs on a schedule (and whenever it is
    started from the Prefect UI): point PREFECT_API_URL at a `prefect server start` to watch
    the runs there; without it a server is started here for as long as this serves."""
    _require_paths(paths)
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        _fail(f"--cron {cron!r} is not a cron line: {exc}")
    from pipelines.flow import catalogue_flow
    from pipelines.runtime import prefect_server

    parameters = {"paths": [str(p.resolve()) for p in paths], "out_dir": str(out.resolve()), "show_progress": False,
                  "corrections": str(corrections.resolve()) if corrections else None}
    with prefect_server() as api:
        console.print(f"serving {catalogue_flow.name}/{name} on {api} (cron {cron}); Ctrl-C stops", markup=False, highlight=False)
        catalogue_flow.serve(name=name, cron=cron, parameters=parameters, print_starting_message=False)


def late_error_rows(summary: dict) -> list[dict]:
    """The rows the comparison and report steps added to errors.jsonl after the catalogue's:
    a step that failed whole, or a chart, writer or cell it left out."""
    rows = []
    for step in ("comparison", "reports"):
        part = summary.get(step) or {}
        rows += ([part["error_row"]] if part.get("error_row") else []) + list(part.get("errors") or [])
    return rows


INGEST_COLUMNS = ("file", "format", "encoding", "doc", "type", "level", "region", "date", "title", "problem")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders to look at."),
    max_mb: float = typer.Option(20.0, help="Refuse files larger than this many MB."),
    format: str = typer.Option(None, "--format", help="table, tsv or json (one object a line); default: table on a terminal, tsv in a pipe."),
) -> None:
    """Read files and print what was found: documents, types, levels, regions, problems."""
    chosen = format or ("table" if sys.stdout.isatty() else "tsv")
    if chosen not in ("table", "tsv", "json"):
        _fail(f"--format {chosen}: use table, tsv or json")
    _require_paths(paths)
    from extractors.documents import load_resources, process_source
    from extractors.errors import SourceError
    from extractors.reading import list_sources, read_sources

    resources = load_resources(measures=False)
    rows = []
    for path, root in list_sources(paths):
        for source in read_sources(path, root, max_bytes=int(max_mb * 2**20)):
            if isinstance(source, SourceError):
                rows.append(dict(zip(INGEST_COLUMNS, (source.path, path.suffix.lstrip("."), "", "", "", "", "", "", "", source.reason))))
                continue
            for result in process_source(source, resources):
                doc = result.document
                problem = f"duplicate of {doc.duplicate_of}" if doc.duplicate_of else ("fragment" if doc.fragment else "")
                rows.append(dict(zip(INGEST_COLUMNS, (
                    source.source_path, source.format, source.encoding or "", doc.doc_id.rsplit("#", 1)[-1],
                    doc.doc_type or "", doc.level or "", doc.region.name or "", doc.date or "", doc.title or "", problem,
                ))))
    if chosen == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif chosen == "tsv":
        clean = lambda v: str(v).replace("\t", " ").replace("\n", " ")  # noqa: E731
        sys.stdout.write("\t".join(INGEST_COLUMNS) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(clean(row[c]) for c in INGEST_COLUMNS) + "\n")
    else:
        table = Table(*INGEST_COLUMNS[:-2], "title / problem", show_lines=False)
        for row in rows:
            note = f"[red]{escape(row['problem'])}[/red]" if not row["doc"] else (f" [yellow]({escape(row['problem'])})[/yellow]" if row["problem"] else "")
            table.add_row(*(escape(str(row[c])) for c in INGEST_COLUMNS[:-2]), escape(row["title"][:40]) + note)
        console.print(table)


@app.command()
def evaluate(
    out_dir: Path = typer.Argument(Path("outputs"), help="Folder a run wrote."),
    gold: Path = typer.Option(SEEDS_GOLD, help="Gold annotations (JSON Lines, spec format)."),
    pairs: Path = typer.Option(PAIRS_GOLD, help="Gold measure pairs for alignment."),
    show: int = typer.Option(15, help="How many misses and false alarms to list."),
    decisions: bool = typer.Option(True, help="Also score the learned decisions on the dev corpus's test part."),
    curve: bool = typer.Option(True, help="Learning curves of the decisions and the classifier (each retrains four times)."),
    classes: bool = typer.Option(True, help="Also score the catalogue classifier on the dev corpus's test part."),
    links: bool = typer.Option(True, help="Also score the link decision on the link gold (gold/links.jsonl), by compared pair."),
) -> None:
    """Score a run against the gold standard: measures, status, bodies, classes, levels; and the
    learned decisions on the test part of dev.jsonl beside the rule-only extractor and a naive
    verb rule, per genre and per level, with a learning curve."""
    from pipelines.evaluate import SPLITS, evaluate_outputs, write_report

    report = evaluate_outputs(gold, out_dir, pairs)
    if decisions:
        from pipelines.training import evaluate_decision_models

        report["decisions"] = evaluate_decision_models(curve=curve)
        print_decisions(report["decisions"])
    if classes:
        from pipelines.training import evaluate_class_model

        try:
            report["classes"] = evaluate_class_model(curve=curve)
        except ValueError as exc:  # the development corpus is not where dev.jsonl says
            console.print(f"classifier on the dev test part not scored: {exc}")
        else:
            print_classes(report["classes"])
    if links:
        from pipelines.training import LINK_GOLD, evaluate_link_model

        if LINK_GOLD.exists():
            report["links"] = evaluate_link_model()
            print_links(report["links"])
    table = Table("split", "docs", "measure P", "R", "F1", "status acc", "bodies F1", "level acc", "type acc")
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    for split, r in report.items():
        if split not in SPLITS:
            continue
        table.add_row(split, str(r["documents"]), *(fmt(r[k]) for k in (
            "measure_precision", "measure_recall", "measure_f1", "status_accuracy", "bodies_f1",
            "level_accuracy", "doc_type_accuracy")))
    console.print(table)
    classes = Table(
        "split", "matched", "model acc", "model macro-F1", "cue words acc", "cue words macro-F1",
        title="seed run classes on matched measures, model vs cue-word baseline (training figures: the classifier learns from every seed document; see the dev test part above)",
    )
    for split, r in report.items():
        if split in SPLITS:
            classes.add_row(split, str(r["categories"]["n"]), *(fmt(r[k]) for k in (
                "category_accuracy", "category_macro_f1", "category_baseline_accuracy", "category_baseline_macro_f1")))
    console.print(classes)
    every = report["all"]
    for title, rows in (("misses (gold, not found)", every["misses"]), ("false alarms (found, not gold)", every["false_alarms"])):
        listing = Table("file", "span", "text", title=f"{title}: {len(rows)}")
        for row in rows[:show]:
            listing.add_row(row["source_path"][:12], f"{row['start']}–{row['end']}", row["text"][:60])
        console.print(listing)
    if "alignment" in report:
        a = report["alignment"]
        console.print(f"alignment on {pairs} (threshold {a['threshold']}): P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} ({a['n']} pairs)")
    console.print(f"report written to {write_report(report, out_dir)}")


def print_decisions(report: dict) -> None:
    """Tables of the learned decisions: systems side by side, per genre, per level, learning curve."""
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    keys = ("measure_precision", "measure_recall", "measure_f1", "bodies_f1", "status_accuracy", "doc_type_accuracy", "level_accuracy")
    heads = ("measure P", "R", "F1", "bodies F1", "status", "type", "level")
    for part, title in (("dev_test", "dev.jsonl test part"), ("seeds_heldout", "seeds held-out")):
        if part not in report:
            continue
        r = report[part]
        table = Table("system", "docs", *heads, title=f"learned decisions vs rules vs naive verb rule: {title}")
        for system in ("learned", "rules", "naive_verbs"):
            table.add_row(system, str(r[system]["documents"]), *(fmt(r[system][k]) for k in keys))
        console.print(table)
        for by in ("per_genre", "per_level"):
            table = Table(by.split("_")[1], "docs", "gold", "learned F1", "rules F1", "naive F1", "learned bodies", "learned status", title=f"{title}, {by.replace('_', ' ')}")
            for group, scores in r[by]["learned"].items():
                table.add_row(
                    group, str(scores["documents"]), str(scores["gold_measures"]), fmt(scores["measure_f1"]),
                    fmt(r[by]["rules"][group]["measure_f1"]), fmt(r[by]["naive_verbs"][group]["measure_f1"]),
                    fmt(scores["bodies_f1"]), fmt(scores["status_accuracy"]),
                )
            console.print(table)
        if "learning_curve" in r:
            table = Table("training places", "training docs", *heads, title=f"learning curve ({title})")
            for share, scores in r["learning_curve"].items():
                table.add_row(share, str(scores["training_documents"]), *(fmt(scores[k]) for k in keys))
            console.print(table)


def print_classes(report: dict) -> None:
    """The classifier on the dev test part: beside the cue-word baseline, per class,
    per genre, the confusion table, the reliability of its confidences."""
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    cv = report.get("cross_validation") or {}
    table = Table("measures", "n", "model acc", "model macro-F1", "cue words acc", "cue words macro-F1", "review share", "right when not reviewed",
                  title=f"catalogue classes, dev.jsonl test part (review below {report['review_threshold']}, chosen out of fold for precision {report['review_precision']})")
    for part, name in (("matched", "matched (as a run extracts them)"), ("gold_spans", "gold spans")):
        if part in report:
            r = report[part]
            table.add_row(name, str(r["n"]), fmt(r["model"]["accuracy"]), fmt(r["model"]["macro_f1"]), fmt(r["cue_word_baseline"]["accuracy"]),
                          fmt(r["cue_word_baseline"]["macro_f1"]), fmt(r["review_share"]), fmt(r["precision_not_reviewed"]))
    if cv:
        table.add_row("training, out of fold by place", str(cv["scored_items"]), fmt(cv["accuracy"]), fmt(cv["macro_f1"]), "", "", fmt(cv["review_share"]), "")
    console.print(table)
    r = report.get("matched") or report["gold_spans"]
    per_class = Table("class", "n", "P", "R", "F1", "cue words F1", title="per class (matched measures)")
    for code, row in sorted(r["model"]["per_class"].items()):
        if row["support"]:
            per_class.add_row(code, str(row["support"]), fmt(row["precision"]), fmt(row["recall"]), fmt(row["f1"]), fmt(r["cue_word_baseline"]["per_class"].get(code, {}).get("f1")))
    console.print(per_class)
    genres = Table("genre", "n", "model acc", "model macro-F1", "cue words acc", "cue words macro-F1", title="per genre (matched measures)")
    for genre, row in r["per_genre"].items():
        genres.add_row(genre, str(row["n"]), fmt(row["accuracy"]), fmt(row["macro_f1"]), fmt(row["baseline_accuracy"]), fmt(row["baseline_macro_f1"]))
    console.print(genres)
    console.print(confusion_table(r, title="dev test classes: gold (rows) × model (columns)"))
    reliability = Table("confidence", "n", "mean confidence", "right", title="reliability (matched measures; training out of fold beside)")
    beside = {row["band"]: row for row in cv.get("reliability", [])}
    reliability.add_column("out of fold n")
    reliability.add_column("out of fold right")
    for row in r["reliability"]:
        other = beside.get(row["band"], {})
        reliability.add_row(row["band"], str(row["n"]), fmt(row["mean_confidence"]), fmt(row["accuracy"]), str(other.get("n", "")), fmt(other.get("accuracy")))
    console.print(reliability)
    console.print(f"expected calibration error: dev test {r['calibration_error']:.3f}; out of fold {fmt(cv.get('calibration_error'))} "
                  f"(before the temperature {fmt(cv.get('calibration_error_before'))})")
    if "learning_curve" in report:
        table = Table("dev places", "dev measures", "matched acc", "macro-F1", "gold spans acc", "macro-F1", title="classifier learning curve (seeds always; dev training places added)")
        for row in report["learning_curve"].values():
            table.add_row(str(row["dev_places"]), str(row["dev_measures"]), fmt(row["matched_accuracy"]), fmt(row["matched_macro_f1"]),
                          fmt(row["gold_spans_accuracy"]), fmt(row["gold_spans_macro_f1"]))
        console.print(table)


def print_links(report: dict) -> None:
    """The link decision on the link gold, each compared pair left out in turn."""
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    s = report["settings"]
    table = Table("pairs", "band", "links", "gold links", "precision", "recall",
                  title=f"links on gold/links.jsonl, each compared pair left out (承接 ≥ {s['taken_up']}, 可能承接 ≥ {s['possible']})")
    for kind in ["all", *sorted(k for k in report if k in ("city_county", "peers"))]:
        part = report if kind == "all" else report[kind]
        for band, name in (("taken_up", "承接"), ("both_bands", "承接 + 可能承接")):
            r = part[band]
            table.add_row(kind, name, str(r["links"]), str(r["gold_links"]), fmt(r["precision"]), fmt(r["recall"]))
    rule = report["threshold_rule"]
    table.add_row("all", f"the former rule (best match, cosine ≥ {rule['threshold']})", str(rule["links"]), str(rule["gold_links"]), fmt(rule["precision"]), fmt(rule["recall"]))
    console.print(table)
    ablation = Table("features", "average precision", title="what each feature adds (gold links ranked above all other pairs; each pair left out)")
    for name, value in report["ablation"].items():
        ablation.add_row(name, fmt(value))
    console.print(ablation)
    shares = Table("pair", "a measures", "hand-linked 承接率", "承接率", "可能承接", title="承接率: hand-linked vs the bands")
    for row in report["shares"]:
        shares.add_row(row["pair"], str(row["a_measures"]), fmt(row["hand_taken_up_share"]), fmt(row["taken_up_share"]), fmt(row["possible_share"]))
    console.print(shares)
    c = report["chosen"]
    console.print(f"bands the link gold chooses (承接 right ≥ {c['taken_up_precision']}, extra 可能承接 right ≥ {c['possible_precision']}): "
                  f"承接 ≥ {c['taken_up']}, 可能承接 ≥ {c['possible']}, broader ≥ {c['broader']}; models/links.yaml has "
                  f"{s['taken_up']} / {s['possible']} / {s['broader']}")


def confusion_table(categories: dict, title: str) -> Table:
    """Gold class (rows) × predicted class (numbered columns) over the classes that
    occur, with each gold class's F1 for the model and the cue-word baseline; compact
    enough for an 80-column terminal."""
    from rich import box

    confusion = categories["confusion"]
    model, baseline = categories["model"]["per_class"], categories["cue_word_baseline"]["per_class"]
    codes = sorted({g for g in confusion} | {p for row in confusion.values() for p in row})
    table = Table(
        title=title, caption="n: gold measures of the class; F1: model / cue-word baseline",
        box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False,
    )
    table.add_column("gold", no_wrap=True)
    for i, _ in enumerate(codes, start=1):
        table.add_column(str(i), justify="right", min_width=2)
    table.add_column("n", justify="right", min_width=3)
    table.add_column("F1", justify="right", no_wrap=True)
    for i, code in enumerate(codes, start=1):
        row = confusion.get(code, {})
        cells = [(f"[bold]{row[p]}[/bold]" if p == code else str(row[p])) if row.get(p) else "·" for p in codes]
        support = sum(row.values())
        f1 = "–" if not support else f"{model[code]['f1']:.2f}/{baseline.get(code, {}).get('f1', 0.0):.2f}"
        table.add_row(f"{i:>2} {code}", *cells, str(support), f1)
    return table


@app.command()
def train(
    corrections: Optional[Path] = typer.Option(None, help="corrections.yaml to learn from."),
    decisions: bool = typer.Option(True, help="Retrain the measure, status, genre and level decisions."),
) -> None:
    """Retrain every model: the learned decisions (measure or not, status, genre, level) from
    seeds.jsonl + dev.jsonl (training parts), the link decision from links.jsonl, and the
    catalogue classifier from the taxonomy, the gold standard and corrections. Settings are
    chosen by cross-validation grouped by place (links: by compared pair)."""
    from pipelines.classify import load_model

    if decisions:
        from models.decisions import DEFAULT_MODELS_PATH
        from pipelines.training import train_decision_models

        metadata = train_decision_models(DEFAULT_MODELS_PATH)
        console.print(f"decision models written to {DEFAULT_MODELS_PATH}")
        console.print(json.dumps({k: metadata[k] for k in ("documents", "places", "candidates", "gold_measures", "chosen")}, ensure_ascii=False))
    from pipelines.training import LINK_GOLD, LINK_MODEL_PATH, train_link_model

    if LINK_GOLD.exists():
        figures = train_link_model()["cross_validation"]
        console.print(f"link model written to {LINK_MODEL_PATH}: 承接 precision {figures['taken_up']['precision']:.3f}, "
                      f"recall {figures['taken_up']['recall']:.3f} (each compared pair left out)")
    model = load_model(corrections, retrain=True)
    console.print(f"model written to {model.path}")
    console.print(json.dumps({k: v for k, v in model.metadata.items() if "sha256" not in k}, ensure_ascii=False)[:600])


@app.command("tune-classes")
def tune_classes() -> None:
    """Score every candidate setting of the catalogue classifier (models/class_tuning.py's GRID)
    by cross-validation grouped by place, on the training gold; the figures that chose
    models/settings.yaml's values are written beside them there."""
    from models.class_tuning import tune
    from models.settings import load_settings
    from models.taxonomy import load_taxonomy
    from pipelines.classify import training_gold

    source = training_gold()
    gold = source.load() if source is not None else []
    tune(gold, load_taxonomy(), load_settings(), report=lambda row: console.print(json.dumps(row, ensure_ascii=False)))


@contextmanager
def _on_finished_run(out_dir: Path, step: str):
    """A standalone step over a finished run: the folder's lock, and run.json renewed for the
    files the step rewrites; a busy or unusable folder is one line and exit 2."""
    from pipelines.publish import OutputFolderError, run_folder

    try:
        with run_folder(out_dir) as folder:
            yield
            folder.amend(step)
    except OutputFolderError as exc:
        err_console.print(f"policycat: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command("compare")
def compare_command(
    out_dir: Path = typer.Argument(Path("outputs"), help="Folder a `policycat run` wrote (catalogue.jsonl, documents.jsonl)."),
    corpus: list[Path] = typer.Option([Path("corpora")], "--corpus", "-c", help="Folder(s) holding the source files of the run."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="Group file; default: compare.yaml in the first corpus folder that has one."),
    no_mapping: bool = typer.Option(False, "--no-mapping", help="Groups from document metadata only."),
) -> None:
    """Compare city and county documents: taken up, left out, added; text reuse; concreteness."""
    from pipelines.compare import default_mapping, run_comparison

    chosen = None if no_mapping else (mapping or default_mapping(corpus))
    with _on_finished_run(out_dir, "compare"):
        summary, _ = run_comparison(out_dir, corpus, chosen)
    console.print(
        f"{summary['groups']} groups ({summary['city_county_pairs']} city–county pairs, {summary['peer_pairs']} peer pairs), "
        f"{summary['clusters']} clusters of {summary['measures']} measures; threshold {summary['threshold']}"
    )
    for warning in summary["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")
    console.print(f"written: {', '.join(summary['files'])}")


@app.command("report")
def report_command(
    out_dir: Path = typer.Argument(Path("outputs"), help="Folder a `policycat run` (and `policycat compare`) wrote."),
    corpus: list[Path] = typer.Option([Path("corpora")], "--corpus", "-c", help="Folder(s) holding the .txt/.md sources, for the measures' context."),
    wording: Optional[Path] = typer.Option(None, "--wording", help="Wording file (default: pipelines/templates/report.yaml)."),
) -> None:
    """Write catalogue.xlsx, report.docx, report.html and report.md: tables and a summary to paste from."""
    from extractors.knowledge import DataError
    from pipelines.reports import write_reports
    from pipelines.reports.charts import ChartFontError

    try:
        with _on_finished_run(out_dir, "report"):
            summary = write_reports(out_dir, corpus, wording_path=wording)
    except ChartFontError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except DataError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(
        f"{summary['measures']} measures ({summary['counted_measures']} counted) of {summary['documents']} documents; "
        f"{summary['charts']} charts, {summary['sheets']} sheets; font {summary['font']}; {summary['seconds']} s"
    )
    for warning in summary["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")
    for row in summary.get("errors") or []:
        console.print(f"[yellow]{escape(str(row['path']))}: {escape(row['reason'])}[/yellow]", highlight=False)
    reports = [f for f in summary["files"] if Path(f).parent.name != "charts"]
    console.print(f"written: {', '.join(reports)} and {summary['charts']} charts")

taxonomy_app = typer.Typer(help="The catalogue classes file.")
app.add_typer(taxonomy_app, name="taxonomy")


@taxonomy_app.command("check")
def taxonomy_check(path: Optional[Path] = typer.Argument(None, help="Taxonomy YAML (default: models/taxonomy.yaml).")) -> None:
    """Validate the taxonomy: unknown keys, duplicate codes or cue words, empty classes."""
    from models.taxonomy import DEFAULT_TAXONOMY_PATH, check_taxonomy

    problems = check_taxonomy(path or DEFAULT_TAXONOMY_PATH)
    for problem in problems:
        console.print(str(problem), markup=False, soft_wrap=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)
    console.print(f"ok: {path or DEFAULT_TAXONOMY_PATH}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
