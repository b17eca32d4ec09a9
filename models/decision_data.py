"""Gold documents analysed by the extractors: the material of training and scoring.

``seeds.jsonl`` annotates the seed files in ``corpora/`` (splits tune/heldout);
``dev.jsonl`` annotates the development corpus where it lies (splits train/test),
reading each file it names. A document's place (``group``) keeps cross-validation
and the split honest; for seeds it is the province of the gold region.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

from extractors.documents import Resources, process_source
from extractors.reading import read_sources
from models.decision_training import AnalysedDocument, attach_results
from models.scoring import DEV_GOLD, SEEDS_GOLD, GoldDocument, load_gold

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_GROUP = "seeds:"  # the place of a seed document: this prefix and its province
SEEDS_CORPUS = PROJECT_ROOT / "corpora"


def load_gold_documents(seeds: Path | None = SEEDS_GOLD, dev: Path | None = DEV_GOLD) -> list[GoldDocument]:
    """Every gold document, each with the file it annotates and its place."""
    documents = []
    if seeds is not None and Path(seeds).exists():
        import json

        regions = {}
        for line in Path(seeds).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                regions[(row["source_path"], row.get("doc_start", 0))] = row.get("region") or row["source_path"]
        for g in load_gold(seeds):
            region = regions.get((g.source_path, g.start), g.source_path)
            province = _province(region)
            documents.append(replace(g, file=SEEDS_CORPUS / g.source_path, group=f"{SEEDS_GROUP}{province}", genre=g.genre or g.doc_type))
    if dev is not None and Path(dev).exists():
        documents.extend(load_gold(dev))
    return documents


def _province(region: str) -> str:
    for suffix in ("自治区", "省", "市"):
        at = region.find(suffix)
        if at > 0:
            return region[: at + len(suffix)]
    return region


def analyse_gold(documents: Sequence[GoldDocument], resources: Resources) -> list[AnalysedDocument]:
    """Each gold document with the extractors' candidates over its file, labelled."""
    by_file: dict[Path, list] = {}
    for g in documents:
        by_file.setdefault(Path(g.file), []).append(g)
    analysed = []
    for file, golds in by_file.items():
        sources = [s for s in read_sources(file, file.parent) if hasattr(s, "analysis_text")]
        if not sources:
            raise ValueError(f"{file}: cannot be read for training")
        source = sources[0]
        results = process_source(source, resources)
        for g in golds:
            analysed.append(attach_results(g, source, results))
    return analysed
