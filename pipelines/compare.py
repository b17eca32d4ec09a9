"""City and county documents compared: the flow's comparison step and ``policycat compare``.

Takes a run's documents, entries and source texts (the flow's values, or what a
finished run wrote), aligns the measures where the run did not, compares every group
(``models.comparison``) and writes ``comparison.jsonl`` and ``comparison.xlsx`` (one
sheet per table, every count backed by measure ids in another sheet).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from models.alignment import align_measures, build_similarity, load_alignment_settings
from extractors.types import CatalogueEntry
from models.comparison import clusters, comparison_groups, compare_documents, load_comparison_settings
from models.links import load_link_decision
from models.taxonomy import load_taxonomy
from pipelines.outputs import atomic_path, comparison_records, load_source_texts, read_catalogue, read_jsonl, write_jsonl
from pipelines.reports.wording import load_wording
from pipelines.reports.workbook import write_comparison_workbook

MAPPING_NAME = "compare.yaml"

__all__ = ["run_comparison", "default_mapping"]


def default_mapping(corpus_dirs: list[Path]) -> Path | None:
    """The first ``compare.yaml`` found in the corpus folders."""
    for root in corpus_dirs:
        if (root / MAPPING_NAME).is_file():
            return root / MAPPING_NAME
    return None


def run_comparison(
    out_dir: Path,
    corpus_dirs: list[Path],
    mapping: Path | None = None,
    *,
    documents: list[dict] | None = None,
    entries: list[CatalogueEntry] | None = None,
    texts: dict[str, str] | None = None,
    reviewed_links: dict | None = None,
) -> tuple[dict, dict]:
    """Compare the documents of a run; write ``comparison.xlsx`` and ``comparison.jsonl`` into ``out_dir``.

    The flow hands over its documents, entries and source texts; a standalone
    ``policycat compare`` reads them from what the run wrote. ``mapping`` is a group
    file (see ``models.comparison.load_compare_mapping``); None means groups from
    metadata only; ``reviewed_links`` an analyst's verdicts on links ((a, b) → accepted).
    Returns the summary and the comparison result.
    """
    out_dir = Path(out_dir)
    documents = read_jsonl(out_dir / "documents.jsonl") if documents is None else documents
    entries = read_catalogue(out_dir / "catalogue.jsonl") if entries is None else entries
    alignment = load_alignment_settings()
    settings = load_comparison_settings()
    warnings: list[str] = []
    if texts is None:
        texts, warnings = load_source_texts(documents, out_dir, [Path(p) for p in corpus_dirs])
    groups, group_warnings = comparison_groups(documents, mapping)
    warnings += group_warnings
    similarity = build_similarity([e.text for e in entries], alignment) if entries else None
    if entries and all(e.cluster_id for e in entries):
        aligned = entries  # aligned by the run that wrote the catalogue: keep its clusters
    else:
        aligned = align_measures(entries, alignment.threshold, similarity=similarity, settings=alignment) if entries else []
    if similarity is None:
        groups = []
        warnings.append("目录中没有举措，无从对比")
    # documents marked duplicate_of are in no group; their measures still get clusters and concreteness (flagged)
    decision = replace(load_link_decision(), reviewed=dict(reviewed_links or {}))
    result = compare_documents(documents, aligned, texts, groups, decision, settings)
    found = clusters(aligned)
    summary = {  # comparison.jsonl's first record: what was found, not where this run wrote it
        "mapping": str(mapping) if mapping else None,
        "threshold": alignment.threshold,
        "link_bands": result["link_bands"],
        "documents": len(documents),
        "measures": len(entries),
        "groups": len(groups),
        "city_county_pairs": len(result["pairs"]),
        "peer_pairs": len(result["peer_pairs"]),
        "clusters": len(found),
        "warnings": warnings,
    }
    result = {**result, "summary": summary, "clusters": found}
    write_jsonl(out_dir / "comparison.jsonl", comparison_records(result))
    workbook = out_dir / "comparison.xlsx"
    try:
        with atomic_path(workbook) as temporary:
            failures = write_comparison_workbook(temporary, documents, aligned, result, settings, load_wording(), load_taxonomy().names)
    except Exception as exc:  # noqa: BLE001 - comparison.jsonl stands; the row names the workbook, not the folder
        if workbook.is_file():
            workbook.unlink()  # neither half-written nor an earlier run's
        failures = [{"path": workbook.name, "reason": f"not written: {type(exc).__name__}: {exc}"}]
    # a cell the workbook could not hold: a row naming the document's source file, the sheet still written
    errors = [{"path": f["path"], "stage": "compare", "reason": f"comparison.xlsx: cell {f['column']} of row {f['row']} of sheet {f['sheet']} left empty: {f['reason']}"
               if "sheet" in f else f"comparison.xlsx {f['reason']}"} for f in failures]
    if errors:
        write_jsonl(out_dir / "errors.jsonl", errors, append=True)
    files = [str(p) for p in (workbook, out_dir / "comparison.jsonl") if p.is_file()]
    return {**summary, "out_dir": str(out_dir), "files": files, "errors": errors}, result
