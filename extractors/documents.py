"""``process_source``: one read file to its documents, strung together as a plain function.

A Prefect task and the tests both call it; resources are passed in, never globals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extractors.metadata import MetadataRules, describe_document, load_metadata_rules
from extractors.noise import NoiseRules, find_masks, find_placeholders, load_noise_rules
from extractors.sections import HeadingRules, load_heading_rules, segment_sections
from extractors.sentences import SentenceRules, load_sentence_rules, split_sentences, tokenize
from extractors.splitting import SplitRules, find_duplicates, load_split_rules, split_documents
from extractors.types import Document, DocumentResult, SourceText


@dataclass(frozen=True)
class Resources:
    """Everything the extractors need, loaded once per run."""

    noise: NoiseRules
    headings: HeadingRules
    sentences: SentenceRules
    split: SplitRules
    metadata: MetadataRules
    userdict: Path | None  # jieba user dictionary; None: the project's (extractors.tokens)
    nlp: Any = None  # measures.build_nlp()'s pipeline, None to stop after sentences


def load_resources(data_dir: Path | None = None, *, measures: bool = True) -> Resources:
    """Load and validate every knowledge file; errors name file and line."""

    def path(name: str) -> Path | None:
        return data_dir / name if data_dir else None

    nlp = None
    if measures:
        from extractors.measures import build_nlp

        nlp = build_nlp(data_dir)
    return Resources(
        noise=load_noise_rules(path("noise.yaml")),
        headings=load_heading_rules(path("headings.yaml")),
        sentences=load_sentence_rules(path("sentences.yaml")),
        split=load_split_rules(path("documents.yaml")),
        metadata=load_metadata_rules(path("documents.yaml")),
        userdict=path("userdict.txt"),
        nlp=nlp,
    )


def document_id(source_path: str, index: int) -> str:
    return f"{source_path}#{index}"


def process_source(source: SourceText, resources: Resources, *, with_tokens: bool = False) -> list[DocumentResult]:
    """Split a file into documents and analyse each one."""
    text, analysis = source.text, source.analysis_text
    masks = find_masks(analysis, resources.noise)
    placeholders = find_placeholders(text, resources.noise)
    spans = split_documents(analysis, masks, rules=resources.split)
    duplicates = find_duplicates([analysis[s.start : s.end] for s in spans], resources.split.duplicate_threshold)
    results = []
    for index, span in enumerate(spans, start=1):
        doc_masks = tuple(m for m in masks if m.start < span.end and m.end > span.start)
        meta = describe_document(analysis, span, resources.metadata, doc_masks)
        doc_placeholders = tuple(p for p in placeholders if span.start <= p.start < span.end)
        warnings = list(source.warnings)
        if doc_placeholders:
            shown = "、".join(sorted({p.text for p in doc_placeholders})[:5])
            warnings.append(f"placeholder text ({len(doc_placeholders)}: {shown})")
        duplicate = duplicates[index - 1]
        if duplicate is not None:
            warnings.append(f"duplicate of {document_id(source.source_path, duplicate + 1)}")
        fragment = not (meta["title"] or meta["issuing_body"] or meta["author"])
        if fragment:
            warnings.append("fragment: no title, issuer or author")
        document = Document(
            doc_id=document_id(source.source_path, index),
            source_path=source.source_path,
            start=span.start,
            end=span.end,
            duplicate_of=document_id(source.source_path, duplicate + 1) if duplicate is not None else None,
            warnings=tuple(warnings),
            fragment=fragment,
            **meta,
        )
        sections = tuple(segment_sections(analysis, span.start, span.end, doc_masks, rules=resources.headings))
        sections = tuple(replace(s, text=text[s.start : s.end]) for s in sections)
        sentences = split_sentences(analysis, span.start, span.end, doc_masks, sections, rules=resources.sentences)
        sentences = [replace(s, text=text[s.start : s.end]) for s in sentences]
        if with_tokens:
            sentences = [replace(s, tokens=tokenize(s, analysis, text, resources.userdict)) for s in sentences]
        candidates: tuple = ()
        if resources.nlp is not None:
            from extractors.measures import extract_candidates

            candidates = extract_candidates(source, document, sections, sentences, nlp=resources.nlp)
        measures = tuple(c for c in candidates if c.rule_reason is None)
        results.append(DocumentResult(document, doc_masks, doc_placeholders, sections, tuple(sentences), measures, candidates))
    return results


def mark_cross_file_duplicates(results: list[DocumentResult], sources: dict[str, SourceText], threshold: float) -> list[DocumentResult]:
    """Near-identical documents in different files of one corpus."""
    texts = [sources[r.document.source_path].analysis_text[r.document.start : r.document.end] for r in results]
    marked = []
    for result, duplicate in zip(results, find_duplicates(texts, threshold)):
        document = result.document
        if duplicate is not None and document.duplicate_of is None:
            other = results[duplicate].document.doc_id
            if results[duplicate].document.source_path != document.source_path:
                document = replace(document, duplicate_of=other, warnings=document.warnings + (f"duplicate of {other}",))
                result = replace(result, document=document)
        marked.append(result)
    return marked
