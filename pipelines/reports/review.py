"""The review sheets of ``catalogue.xlsx``, written and read back.

复核 lists every measure, those the classifier is unsure of first, with yellow columns an
analyst fills in: a verdict (接受 / 拒绝) and a corrected class, strength and bodies, each
from a drop-down list where the values are a closed list (the taxonomy, the statuses).
复核-对比 lists every link the comparison made (承接, 可能承接, 两篇都有 …) to accept or
reject. ``read_review`` reads a saved workbook back into corrections and link verdicts;
``policycat run --corrections catalogue.xlsx`` applies them, and the next workbook shows
them again in the same cells, so a review is never lost by running again.

The sheet names, headers and verdict words are ``report.yaml``'s ``review`` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from extractors.knowledge import DataError, Problem, raise_on_errors
from extractors.types import CatalogueEntry
from models.corrections import Correction, load_corrections

__all__ = ["Review", "write_review_sheets", "read_review", "read_review_file", "LINK_RELATIONS"]

LINK_RELATIONS = ("taken_up", "possible", "shared", "possibly_shared")  # pair rows that are a link to judge
_BODY_SPLIT = re.compile(r"[、,，;；/\n]+")
EDITABLE_FILL = "FFF2CC"


@dataclass(frozen=True)
class Review:
    """What an analyst decided: corrections of measures and verdicts on links ((a, b) → accepted)."""

    corrections: tuple[Correction, ...] = ()
    links: Mapping[tuple[str, str], bool] = field(default_factory=dict)
    path: str = ""

    def digest_parts(self) -> list:
        """The decisions alone, for a run's input digest: rewriting the workbook keeps it."""
        fields = ("measure_id", "category", "status", "bodies", "reject", "note", "text", "confirmed")
        measures = sorted(([getattr(c, f) for f in fields] for c in self.corrections), key=lambda line: line[0])
        return [measures, sorted([list(k), v] for k, v in self.links.items())]


def _code_of(value, codes: set[str], names: Mapping[str, str]) -> str | None:
    """``CODE 名称``, ``CODE`` or ``名称`` → the code; None when it is none of them."""
    text = str(value).strip()
    head = text.split()[0] if text.split() else ""
    if head in codes:
        return head
    by_name = {n: c for c, n in names.items()}
    return by_name.get(text)


def _verdict(value, wording) -> bool | None:
    text = "" if value is None else str(value).strip()
    review = wording.section("review")
    if not text:
        return None
    if text == review["accept"] or text in review.get("accept_also", ()):
        return True
    if text == review["reject"] or text in review.get("reject_also", ()):
        return False
    raise ValueError(f"结论应为“{review['accept']}”或“{review['reject']}”，不是“{text}”")


# ---------------------------------------------------------------- writing


def _write_row(sheet, row: int, columns: Sequence[str], values: Mapping, editable, fill, font=None) -> None:
    """One row of a review sheet: every value through ``workbook.neutralise`` (no control
    character, no formula), text stored as text, the analyst's columns filled yellow."""
    from pipelines.reports.workbook import neutralise

    for col, key in enumerate(columns, start=1):
        value = neutralise(values[key])
        cell = sheet.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        if key in editable:
            cell.fill = fill


def write_review_sheets(
    workbook,
    entries: Sequence[CatalogueEntry],
    documents: Mapping[str, str],
    pairs: Sequence[Mapping] | None,
    wording,
    class_names: Mapping[str, str],
    body_names: Sequence[str],
    previous: Review | None,
    sheet_name,
    used: set[str],
) -> list[str]:
    """Add the review sheets to ``workbook``; ``documents`` maps doc_id → the name shown;
    ``previous`` is the review this run applied (shown again); ``used`` the sheet names
    taken (``workbook.sheet_name``'s set). Returns the sheet names."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from pipelines.reports.workbook import neutralise

    review = wording.section("review")
    heads = review["columns"]
    status_words = {k: v for k, v in wording.labels["status"].items() if k != "unknown"}
    prompts = review["prompts"]
    fill = PatternFill("solid", fgColor=EDITABLE_FILL)
    corrections = {c.measure_id: c for c in (previous.corrections if previous else ())}

    values = workbook.create_sheet(sheet_name(review["values_sheet"], used))
    lists = {
        "verdict": [review["accept"], review["reject"]],
        "category": [f"{code} {name}" for code, name in class_names.items()],
        "status": list(status_words.values()),
        "bodies": list(body_names),
    }
    for col, (key, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=col, value={"verdict": heads["verdict"], "category": heads["corrected_category"],
                                             "status": heads["corrected_status"], "bodies": heads["corrected_bodies"]}[key]).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            values.cell(row=row, column=col, value=neutralise(item))
        values.column_dimensions[get_column_letter(col)].width = 28
    ranges = {key: f"'{values.title}'!${get_column_letter(col)}$2:${get_column_letter(col)}${max(2, len(items) + 1)}"
              for col, (key, items) in enumerate(lists.items(), start=1)}

    def validation(key: str, prompt: str, strict: bool = True) -> DataValidation:
        rule = DataValidation(type="list", formula1=f"={ranges[key]}", allow_blank=True, showErrorMessage=strict, showInputMessage=True)
        rule.promptTitle, rule.prompt = heads.get(key, key)[:32], prompt[:255]
        rule.errorTitle, rule.error = prompts["error_title"][:32], prompts["error"].format(sheet=values.title)[:255]
        return rule

    sheet = workbook.create_sheet(sheet_name(review["sheet"], used), 1)
    columns = ("measure_id", "document", "text", "sentence", "category", "confidence", "needs_review", "status", "bodies",
               "verdict", "corrected_category", "corrected_status", "corrected_bodies", "note")
    editable = {"verdict", "corrected_category", "corrected_status", "corrected_bodies", "note"}
    sheet.cell(row=1, column=1, value=review["guide"]).alignment = Alignment(wrap_text=False)
    _write_row(sheet, 2, columns, heads, editable, fill, Font(bold=True))
    order = sorted(range(len(entries)), key=lambda i: (not entries[i].needs_review, i))
    yes, no = wording.labels["boolean"]["true"], wording.labels["boolean"]["false"]
    for row, i in enumerate(order, start=3):
        entry = entries[i]
        kept = corrections.get(entry.measure_id)
        # as the analyst wrote it when the run applied their review; else from the catalogue's flags
        if kept is not None:
            verdict = review["reject"] if kept.reject else (review["accept"] if kept.confirmed else None)
            changed_class = kept.category
        else:
            verdict = review["reject"] if entry.rejected else (review["accept"] if entry.corrected else None)
            changed_class = entry.category if entry.predicted_category and entry.predicted_category != entry.category else None
        model_class = entry.predicted_category or entry.category
        line = {
            "measure_id": entry.measure_id,
            "document": documents.get(entry.doc_id, entry.doc_id),
            "text": entry.text,
            "sentence": entry.sentence,
            "category": f"{model_class} {class_names.get(model_class, '')}".strip() if model_class else None,
            "confidence": round(entry.confidence, 3) if entry.confidence is not None else None,
            "needs_review": yes if entry.needs_review else no,
            "status": status_words.get(entry.status, entry.status),
            "bodies": "、".join(dict.fromkeys(b.canonical for b in entry.bodies if b.canonical)),
            "verdict": verdict,
            "corrected_category": f"{changed_class} {class_names.get(changed_class, '')}".strip() if changed_class else None,
            "corrected_status": status_words.get(kept.status, kept.status) if kept and kept.status else None,
            "corrected_bodies": "、".join(kept.bodies) if kept and kept.bodies else None,
            "note": kept.note if kept is not None else entry.correction_note,
        }
        _write_row(sheet, row, columns, line, editable, fill)
    last = max(3, len(entries) + 2)
    for key, prompt in (("verdict", prompts["verdict"]), ("corrected_category", prompts["corrected_category"]),
                        ("corrected_status", prompts["corrected_status"])):
        rule = validation(key if key == "verdict" else key.removeprefix("corrected_"), prompt)
        letter = get_column_letter(columns.index(key) + 1)
        rule.add(f"{letter}3:{letter}{last}")
        sheet.add_data_validation(rule)
    bodies_rule = validation("bodies", prompts["corrected_bodies"], strict=False)
    letter = get_column_letter(columns.index("corrected_bodies") + 1)
    bodies_rule.add(f"{letter}3:{letter}{last}")
    sheet.add_data_validation(bodies_rule)
    widths = {"measure_id": 18, "document": 24, "text": 40, "sentence": 50, "category": 16, "confidence": 8, "needs_review": 8,
              "status": 10, "bodies": 16, "verdict": 8, "corrected_category": 18, "corrected_status": 12, "corrected_bodies": 16, "note": 24}
    for col, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = widths[key]
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last}"
    names = [sheet.title]

    if pairs:
        names.append(_pairs_sheet(workbook, pairs, entries, documents, wording, previous, sheet_name, used, validation, fill))
    names.append(values.title)
    return names


def _pairs_sheet(workbook, pairs, entries, documents, wording, previous, sheet_name, used, validation, fill) -> str:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    review = wording.section("review")
    heads = review["pair_columns"]
    sheet = workbook.create_sheet(sheet_name(review["pairs_sheet"], used), 2)
    columns = ("pair", "relation", "probability", "measure_a", "text_a", "measure_b", "text_b", "verdict", "note")
    editable = {"verdict", "note"}
    _write_row(sheet, 1, columns, heads, editable, fill, Font(bold=True))
    verdicts = dict(previous.links) if previous else {}
    relations = wording.labels["relation"]
    lines = [line for line in pairs if line.get("relation") in LINK_RELATIONS and line.get("measure_a") and line.get("measure_b")]
    # a link the review rejected is no longer a link: it stays listed, so that the verdict is kept
    by_id = {e.measure_id: e for e in entries}
    shown = {(line["measure_a"], line["measure_b"]) for line in lines}
    for (a, b), verdict in verdicts.items():
        if (a, b) not in shown and a in by_id and b in by_id:
            lines.append({"doc_a": by_id[a].doc_id, "doc_b": by_id[b].doc_id, "relation": review["rejected_relation"], "measure_a": a,
                          "text_a": by_id[a].text, "measure_b": b, "text_b": by_id[b].text})
    row = 1
    for line in lines:
        row += 1
        known = verdicts.get((line["measure_a"], line["measure_b"]))
        values = {
            "pair": f"{documents.get(line['doc_a'], line['doc_a'])} — {documents.get(line['doc_b'], line['doc_b'])}",
            "relation": relations.get(line["relation"], line["relation"]),
            "probability": round(line["probability"], 3) if isinstance(line.get("probability"), float) else None,
            "measure_a": line["measure_a"], "text_a": line.get("text_a"), "measure_b": line["measure_b"], "text_b": line.get("text_b"),
            "verdict": None if known is None else review["accept" if known else "reject"], "note": None,
        }
        _write_row(sheet, row, columns, values, editable, fill)
    rule = validation("verdict", review["prompts"]["pair_verdict"])
    letter = get_column_letter(columns.index("verdict") + 1)
    rule.add(f"{letter}2:{letter}{max(2, row)}")
    sheet.add_data_validation(rule)
    for col, width in enumerate((30, 10, 8, 18, 40, 18, 40, 8, 24), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(2, row)}"
    return sheet.title


# ---------------------------------------------------------------- reading


def read_review(path: str | Path, wording, codes: Iterable[str], class_names: Mapping[str, str]) -> Review:
    """The decisions of a saved ``catalogue.xlsx``'s review sheets. A workbook without them
    is read as a table of corrections with English headers (``models.corrections.read_corrections_xlsx``).
    Problems (an unknown class, a verdict that is neither word) name the sheet and row;
    all are raised together as one ``DataError``."""
    from openpyxl import load_workbook

    from models.corrections import read_corrections_xlsx

    path = str(path)
    review = wording.section("review")
    codes = set(codes)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - not a workbook openpyxl can open: say which file and why
        raise DataError(path, None, f"无法作为 Excel 工作簿读取：{type(exc).__name__}: {exc}") from exc
    try:
        if review["sheet"] not in workbook.sheetnames:
            workbook.close()
            return Review(tuple(read_corrections_xlsx(path, codes=codes)), {}, path)
        problems: list[Problem] = []
        corrections = _read_measures(workbook[review["sheet"]], path, wording, codes, class_names, problems)
        links = _read_links(workbook[review["pairs_sheet"]], path, wording, problems) if review["pairs_sheet"] in workbook.sheetnames else {}
    finally:
        workbook.close()
    raise_on_errors(problems)
    return Review(tuple(corrections), links, path)


def _header_index(rows, heads: Mapping[str, str], required: Sequence[str]) -> tuple[dict[str, int], int]:
    """Find the header row (the first with every required header) within the first rows."""
    wanted = {v: k for k, v in heads.items()}
    for number, cells in enumerate(rows, start=1):
        found = {wanted[str(c).strip()]: i for i, c in enumerate(cells) if c is not None and str(c).strip() in wanted}
        if all(k in found for k in required):
            return found, number
        if number >= 5:
            break
    return {}, 0


def _read_measures(sheet, path, wording, codes, class_names, problems) -> list[Correction]:
    review = wording.section("review")
    heads = review["columns"]
    statuses = {v: k for k, v in wording.labels["status"].items() if k != "unknown"}
    rows = sheet.iter_rows(values_only=True)
    index, header_row = _header_index(rows, heads, ("measure_id", "verdict"))
    if not index:
        problems.append(Problem(path, None, f"“{sheet.title}”表没有“{heads['measure_id']}”和“{heads['verdict']}”列"))
        return []
    found = []
    for number, cells in enumerate(rows, start=header_row + 1):
        get = lambda key: cells[index[key]] if key in index and index[key] < len(cells) else None  # noqa: E731
        measure_id = str(get("measure_id") or "").strip()
        where = f"“{sheet.title}”表第 {number} 行"
        if not measure_id:
            continue
        try:
            verdict = _verdict(get("verdict"), wording)
        except ValueError as exc:
            problems.append(Problem(path, number, f"{where}：{exc}"))
            continue
        changes: dict = {}
        if get("corrected_category") not in (None, ""):
            code = _code_of(get("corrected_category"), codes, class_names)
            if code is None:
                problems.append(Problem(path, number, f"{where}：未知的类别“{get('corrected_category')}”"))
                continue
            changes["category"] = code
        elif verdict:
            code = _code_of(get("category") or "", codes, class_names)
            if code:
                changes["confirmed"] = code  # accepted as it is: the model's class, now confirmed
        if get("corrected_status") not in (None, ""):
            word = str(get("corrected_status")).strip()
            status = statuses.get(word) or (word if word in statuses.values() else None)
            if status is None:
                problems.append(Problem(path, number, f"{where}：未知的约束强度“{word}”"))
                continue
            changes["status"] = status
        if get("corrected_bodies") not in (None, ""):
            changes["bodies"] = tuple(b.strip() for b in _BODY_SPLIT.split(str(get("corrected_bodies"))) if b.strip())
        note = get("note")
        if note not in (None, ""):
            changes["note"] = str(note).strip()
        if verdict is None and not changes:
            continue  # not reviewed
        text = get("text")
        found.append(Correction(measure_id=measure_id, reject=verdict is False, text=str(text) if text else None, path=path, line=number, **changes))
    return found


def _read_links(sheet, path, wording, problems) -> dict[tuple[str, str], bool]:
    heads = wording.section("review")["pair_columns"]
    rows = sheet.iter_rows(values_only=True)
    index, header_row = _header_index(rows, heads, ("measure_a", "measure_b", "verdict"))
    if not index:
        problems.append(Problem(path, None, f"“{sheet.title}”表没有“{heads['measure_a']}”“{heads['measure_b']}”和“{heads['verdict']}”列"))
        return {}
    found = {}
    for number, cells in enumerate(rows, start=header_row + 1):
        get = lambda key: cells[index[key]] if index[key] < len(cells) else None  # noqa: E731
        try:
            verdict = _verdict(get("verdict"), wording)
        except ValueError as exc:
            problems.append(Problem(path, number, f"“{sheet.title}”表第 {number} 行：{exc}"))
            continue
        if verdict is not None and get("measure_a") and get("measure_b"):
            found[(str(get("measure_a")).strip(), str(get("measure_b")).strip())] = verdict
    return found


def read_review_file(path: Path | None) -> Review:
    """An analyst's review: a ``catalogue.xlsx`` whose 复核 sheets were filled in, or a
    ``corrections.yaml``. Raises ``DataError`` naming the file, sheet and row of each problem.
    A run reads it up to three times (the command line's check, the input digest, the flow):
    the file is parsed once while its size and modification time stay the same."""
    if path is None or not Path(path).exists():
        return Review()
    found = Path(path).stat()
    return _read_review_file(str(path), found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=4)
def _read_review_file(path: str, mtime_ns: int, size: int) -> Review:
    from models.taxonomy import load_taxonomy
    from pipelines.reports.wording import load_wording

    taxonomy = load_taxonomy()
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return read_review(path, load_wording(), taxonomy.codes, taxonomy.names)
    return Review(tuple(load_corrections(path, codes=taxonomy.codes)), {}, path)
