"""Typed values that flow between the stages.

One coordinate system: every ``start``/``end`` is a half-open offset into the
decoded text of the source (``SourceText.text``); for PDF/DOCX/HTML that is the
extracted text the run writes beside the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# The closed vocabularies of the catalogue (catalogue-spec.md), defined here once.
STATUSES = ("REQUIRED", "PLANNED", "ENCOURAGED", "RECOMMENDED", "DONE")
DOC_TYPES = ("opinion", "speech", "report", "article", "news", "plan")
LEVELS = ("central", "province", "city", "county")  # a document's level
BODY_LEVELS = (*LEVELS, "all")  # a body may address every level
TARGET_KINDS = ("frequency", "count", "deadline", "coverage")


@dataclass(frozen=True)
class Extraction:
    """Plain text pulled out of a binary or markup file, before decoding concerns."""

    text: str
    warnings: tuple[str, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class SourceText:
    """A file read into text. ``analysis_text`` is ``text`` converted to simplified
    characters one character for one, so offsets are shared."""

    path: str  # path as given on the command line
    source_path: str  # path relative to the corpus root: the key in outputs and gold
    format: str  # txt, md, docx, pdf, html
    text: str
    encoding: str | None
    sha256: str
    analysis_text: str
    script: str = "simplified"  # simplified | traditional | mixed
    warnings: tuple[str, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class Mask:
    """Noise kept in place: later stages skip it, offsets stay valid."""

    start: int
    end: int
    kind: str  # breadcrumb, site_header, paywall, bookmark, watermark, page_furniture, ...
    text: str


@dataclass(frozen=True)
class Placeholder:
    """Redacted or templated text kept but flagged (``202_年``, ``x市``, ``*个``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Region:
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    code: str | None = None

    @property
    def name(self) -> str:
        return "".join(p for p in (self.province, self.prefecture, self.county) if p and p != "市辖区")


@dataclass(frozen=True)
class Section:
    """A heading and the extent of the text it governs."""

    start: int  # heading span
    end: int
    text: str
    kind: str  # pattern name from headings.yaml
    depth: int
    parent: int | None  # index into the document's section list
    content_end: int  # the section reaches from ``start`` to here


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    section: int | None  # index of the innermost section containing it
    tokens: tuple[Token, ...] = ()


@dataclass(frozen=True)
class Document:
    """One text with one author or issuing body, a span of a source file."""

    doc_id: str
    source_path: str
    start: int
    end: int
    title: str | None = None
    doc_type: str | None = None  # opinion, speech, report, article, news, plan
    level: str | None = None  # central, province, city, county
    region: Region = field(default_factory=Region)
    issuing_body: str | None = None
    author: str | None = None
    date: str | None = None
    duplicate_of: str | None = None
    warnings: tuple[str, ...] = ()
    # no title, issuer or author: a piece of a page (a cut-off tail, a list of links), not a
    # document an office would count; flagged and left out of the report's counts
    fragment: bool = False


@dataclass(frozen=True)
class Body:
    start: int | None  # None only for a body an analyst's correction names: it has no span
    end: int | None
    mention: str
    canonical: str
    level: str | None  # city, county, province, central, all, None
    explicit: bool
    role: str | None = None  # lead | support | None


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    kind: str  # frequency, count, deadline, coverage
    text: str
    value: float | None
    unit: str | None
    comparator: str | None = None  # >=, <=, =, range


@dataclass(frozen=True)
class Measure:
    measure_id: str
    doc_id: str
    source_path: str
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    section_path: tuple[str, ...]
    action: str
    object: str
    status: str  # REQUIRED, PLANNED, ENCOURAGED, RECOMMENDED, DONE
    bodies: tuple[Body, ...] = ()
    targets: tuple[Target, ...] = ()
    initiatives: tuple[str, ...] = ()
    placeholder: bool = False
    # Candidate generation is generous; a learned decision keeps or drops each one.
    rule_reason: str | None = None  # why the rules alone would drop it (None: they keep it)
    signals: tuple[str, ...] = ()  # the rules' evidence, as features for the learned decisions
    score: float | None = None  # probability that this is a measure, once decided
    evidence: tuple[str, ...] = ()  # the strongest features of that decision


@dataclass(frozen=True)
class DocumentResult:
    """Everything the extractors know about one document."""

    document: Document
    masks: tuple[Mask, ...]
    placeholders: tuple[Placeholder, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    measures: tuple[Measure, ...] = ()
    candidates: tuple[Measure, ...] = ()  # every clause considered, kept or not


@dataclass(frozen=True)
class CatalogueEntry:
    """One line of the catalogue: a measure, its document's metadata, its class, its
    counterparts in other documents and any analyst's correction.

    Built from a ``Measure`` by the flow; ``pipelines.outputs`` alone turns it into a
    row of ``catalogue.jsonl`` and back (``to_row`` / ``from_row``).
    """

    measure_id: str
    doc_id: str
    source_path: str
    start: int
    end: int
    text: str  # in the source's script; ``text == source.text[start:end]``
    sentence: str
    section_path: tuple[str, ...]
    action: str
    object: str
    status: str
    bodies: tuple[Body, ...] = ()
    targets: tuple[Target, ...] = ()
    initiatives: tuple[str, ...] = ()
    placeholder: bool = False
    measure_score: float | None = None
    measure_evidence: tuple[str, ...] = ()
    # the document's metadata, repeated so a row reads on its own
    title: str | None = None
    doc_type: str | None = None
    level: str | None = None
    region: str | None = None
    region_code: str | None = None
    issuing_body: str | None = None
    duplicate_of: str | None = None
    # the classifier's
    category: str | None = None
    category_name: str | None = None
    category_scores: Mapping[str, float] = field(default_factory=dict, hash=False)
    confidence: float | None = None
    secondary_categories: tuple[str, ...] = ()
    needs_review: bool | None = None
    # alignment across documents
    cluster_id: str | None = None
    best_match_id: str | None = None
    best_match_similarity: float | None = None
    # an analyst's correction
    corrected: bool = False
    predicted_category: str | None = None  # the model's class, when a correction changed it
    rejected: bool = False
    correction_note: str | None = None

    @property
    def counted(self) -> bool:
        """Whether it enters counts: not of a duplicate document, not rejected by an analyst."""
        return not self.duplicate_of and not self.rejected
