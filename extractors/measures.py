"""Measures (举措): every verb–object clause about 政协 work with a concrete object,
with who must act, how strongly, how often and by when.

spaCy is the frame (why: ``docs/spacy.md``): a blank Chinese pipeline whose
tokenizer is the project's own jieba (``policycat.jieba.v1``, with the 政协 user
dictionary), followed by the project's registered components, each assigning its
own values and reading those of the ones before it:

    policycat_bodies    Doc._.bodies             body mentions (canonical name, level)
    policycat_clauses   Doc._.words, ._.clauses  word boundaries; clauses with subject, verb, object, own cue
    policycat_status    Doc._.statuses, ._.leads each clause's cue once governing cues and lead-ins are spread
    policycat_targets   Doc._.targets            quantified requirements per clause
    policycat_measures  Doc._.measures           clauses judged to be measures

Every component's config names where its knowledge files are (``data_dir``), so
``nlp.to_disk`` saves the pipeline and ``spacy.load`` rebuilds it (with this module
imported). Each Doc is one sentence of analysis text (simplified characters). Document context
(doc_type, sections, issuing body) is applied afterwards in ``extract_measures``.

``measure_id`` is ``sha1(source_path, start, end, text)[:16]``: it depends only on
where the measure sits in which file, so re-runs give the same ids, and an edited
file keeps ids for every passage whose offsets did not move.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.bodies import Mention, canonical_body, find_mentions
from extractors.clauses import Actor, Clause, ClauseAnalyser, protected_mask
from extractors.lexicon import Lexicon, load_lexicon
from extractors.sections import section_path
from extractors.knowledge import data_path
from extractors.punctuation import PUNCTUATION
from extractors.tokens import word_spans
from extractors.targets import find_targets
from extractors.types import Body, Document, Measure, Section, Sentence, SourceText, Target

__all__ = ["Lexicon", "load_lexicon", "build_nlp", "pipeline_lexicon", "extract_measures", "measure_id"]

_TEXT, _OFFSETS = "policycat_text", "policycat_offsets"


def doc_text(doc: Doc) -> str:
    return doc.user_data.get(_TEXT) if _TEXT in doc.user_data else doc.text


def doc_offsets(doc: Doc) -> list[tuple[int, int]]:
    if _OFFSETS in doc.user_data:
        return doc.user_data[_OFFSETS]
    return [(t.idx, t.idx + len(t.text)) for t in doc]


@dataclass(frozen=True)
class Candidate:
    """A measure found in one sentence; offsets relative to the sentence."""

    clause: Clause
    cue: tuple[str, int] | None  # the clause's status cue, governing cues spread
    start: int
    end: int
    status: str | None  # from the sentence itself; None = take it from context
    status_from_lead: bool
    actors: list[Actor]
    explicit: bool
    targets: tuple[Target, ...] = ()
    initiatives: tuple[tuple[int, int], ...] = ()
    rejected: str | None = None  # why a clause is not a measure (kept for inspection)
    object_start: int = 0
    object_end: int = 0


# ----- tokenizer ------------------------------------------------------------------


class JiebaTokenizer:
    """spaCy tokenizer over the project's jieba (``extractors.tokens``, HMM off). Every
    character, spaces included, lands in a token and no token has trailing whitespace,
    so ``doc.text`` equals the input and ``token.idx`` is an offset into it."""

    def __init__(self, vocab, userdict: str = ""):
        self.vocab = vocab
        self.userdict = userdict or None  # None: the project dictionary

    def __call__(self, text: str) -> Doc:
        pieces = word_spans(text, self.userdict)
        doc = Doc(self.vocab, words=[w for w, _, _ in pieces], spaces=[False] * len(pieces))
        # Doc.text and Token objects are rebuilt on every access; the components
        # read these plain copies instead (same offsets).
        doc.user_data[_TEXT] = text
        doc.user_data[_OFFSETS] = [(s, e) for _, s, e in pieces]
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # The dictionary's location is in the pipeline config; nothing else to save.
    def to_disk(self, path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, *, exclude=()) -> "JiebaTokenizer":
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude=()) -> "JiebaTokenizer":
        return self


@spacy.registry.tokenizers("policycat.jieba.v1")
def create_jieba_tokenizer(userdict: str = "", segmenter: str = "char"):
    """``userdict``: path of the jieba user dictionary, empty for the project's.
    ``segmenter`` is the blank Chinese pipeline's own setting, merged into this
    section by spaCy; jieba does the segmenting here."""

    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, userdict)

    return make


# ----- what the components hand on ------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """Doc._.words: the sentence's words (jieba's, adverb + verb cut apart) and every boundary."""

    spans: tuple[tuple[int, int], ...]
    bounds: frozenset[int]


@dataclass(frozen=True)
class ClauseStatus:
    """Doc._.statuses, one per clause: its status cue once governing cues are spread,
    and the status a lead-in earlier in the sentence (会议强调：) gives it."""

    cue: tuple[str, int] | None
    lead_status: str | None


for _ext in ("bodies", "words", "clauses", "statuses", "leads", "targets", "measures"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


def _lexicon(data_dir: str) -> Lexicon:
    """The five components share one lexicon; an edited knowledge file is read again."""
    folder = Path(data_dir) if data_dir else data_path("measures.yaml").parent
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yaml")))
    return _cached_lexicon(data_dir, stamp)


@lru_cache(maxsize=4)
def _cached_lexicon(data_dir: str, stamp: tuple) -> Lexicon:
    return load_lexicon(Path(data_dir) if data_dir else None)


# ----- components -------------------------------------------------------------------
# Each reads what earlier ones assigned and assigns its own values; none edits another's.
# ``data_dir`` in a component's config is where its knowledge files are (empty: the project's).

_CONFIG = {"data_dir": ""}


class _Component:
    def __init__(self, name: str, data_dir: str):
        self.name = name
        self.lexicon = _lexicon(data_dir)


class BodiesComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        doc._.bodies = find_mentions(doc_text(doc), self.lexicon)
        return doc


class ClausesComponent(_Component):
    def __init__(self, name: str, data_dir: str):
        super().__init__(name, data_dir)
        self.analyser = ClauseAnalyser(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        tokens = self.analyser.refine_tokens(text, doc_offsets(doc))
        bounds = {s for s, _ in tokens} | {e for _, e in tokens}
        blocked = protected_mask(text)
        for i, flag in enumerate(self.analyser.adverbial_mask(text)):
            if flag:
                blocked[i] = 1
        mentions = doc._.bodies if doc._.bodies is not None else []
        doc._.words = Words(tuple(tokens), frozenset(bounds))
        doc._.clauses = tuple(self.analyser.parse(text, s, e, bounds, tokens, mentions, blocked) for s, e in self.analyser.split(text, bounds))
        return doc


class StatusComponent(_Component):
    """Lead-ins (会议强调：, 委员们表示，) and governing cues spread to later clauses."""

    def __call__(self, doc: Doc) -> Doc:
        lexicon = self.lexicon
        text = doc_text(doc)
        colon = next((i for i, ch in enumerate(text) if ch in PUNCTUATION.colons), -1)
        stop = colon if colon >= 0 else next((i for i, ch in enumerate(text) if ch in PUNCTUATION.commas), -1)
        lead_status = None
        if stop > 0:
            prefix = text[:stop]
            for regex, status in lexicon.sentence_leads:
                if regex.search(prefix):
                    lead_status = status
                    break
        governing: tuple[str, int] | None = None
        statuses = []
        for clause in doc._.clauses:
            cue = clause.cue
            if cue is None and governing is not None:
                cue = governing
            elif cue is not None and clause.cue_governs:
                governing = cue
            statuses.append(ClauseStatus(cue, lead_status if lead_status and clause.start >= stop else None))
        doc._.statuses = tuple(statuses)
        doc._.leads = lead_status
        return doc


class TargetsComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.targets = tuple(find_targets(text[c.start : c.end], c.start, self.lexicon) for c in doc._.clauses)
        return doc


class MeasuresComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        lexicon = self.lexicon
        text = doc_text(doc)
        candidates: list[Candidate] = []
        governing: list[Actor] = []
        support: list[Actor] = []
        for clause, state, targets in zip(doc._.clauses, doc._.statuses, doc._.targets):
            if clause.own_subject:
                governing = [a for a in clause.actors if a.role != "support"]
                explicit_actors = list(clause.actors)
            else:
                explicit_actors = governing + clause.actors
                verbs = text[clause.verb_start : clause.verb_end] if clause.has_verb else ""
                if clause.actors and not clause.pending_support and any(v in verbs for v in lexicon.pivot_verbs):
                    # 组织委员……开展学习，采取……形式: the pivot's bodies go on acting
                    governing = governing + clause.actors
            if clause.pending_support:
                support = support + clause.pending_support
            actors = _dedupe(explicit_actors + support)
            rejected = judge_clause(text, clause, doc._.bodies, lexicon, doc._.words.spans, bool(targets))
            status = None
            if state.cue is not None:
                status = state.cue[0]
            if state.lead_status is not None and (status is None or status == "REQUIRED"):
                status = state.lead_status
            candidates.append(
                Candidate(
                    clause=clause,
                    cue=state.cue,
                    start=clause.core_start,
                    end=clause.end,
                    status=status,
                    status_from_lead=state.lead_status is not None,
                    actors=actors,
                    explicit=bool(actors),
                    targets=targets,
                    initiatives=find_initiatives(text[clause.start : clause.end], lexicon, clause.start),
                    rejected=rejected,
                    object_start=_object_start(text, clause),
                    object_end=clause.end,
                )
            )
        whole = {c.rejected for c in candidates} & lexicon.sentence_non_measure
        if whole:
            # 为深入贯彻……，提出如下意见: the whole sentence frames the document
            candidates = [replace(c, rejected=c.rejected or next(iter(whole))) for c in candidates]
        doc._.measures = tuple(candidates)
        return doc


def _dedupe(actors: list[Actor]) -> list[Actor]:
    seen, out = set(), []
    for actor in actors:
        key = (actor.mention.start, actor.mention.end)
        if key not in seen:
            seen.add(key)
            out.append(actor)
    return out


def _object_start(text: str, clause: Clause) -> int:
    if not clause.has_verb:
        return clause.end
    i = clause.verb_end
    while i < clause.end and text[i] in PUNCTUATION.object_lead:
        i += 1
    return i


@Language.factory("policycat_bodies", assigns=["doc._.bodies"], default_config=_CONFIG)
def make_bodies(nlp: Language, name: str, data_dir: str) -> BodiesComponent:
    return BodiesComponent(name, data_dir)


@Language.factory("policycat_clauses", requires=["doc._.bodies"], assigns=["doc._.words", "doc._.clauses"], default_config=_CONFIG)
def make_clauses(nlp: Language, name: str, data_dir: str) -> ClausesComponent:
    return ClausesComponent(name, data_dir)


@Language.factory("policycat_status", requires=["doc._.clauses"], assigns=["doc._.statuses", "doc._.leads"], default_config=_CONFIG)
def make_status(nlp: Language, name: str, data_dir: str) -> StatusComponent:
    return StatusComponent(name, data_dir)


@Language.factory("policycat_targets", requires=["doc._.clauses"], assigns=["doc._.targets"], default_config=_CONFIG)
def make_targets(nlp: Language, name: str, data_dir: str) -> TargetsComponent:
    return TargetsComponent(name, data_dir)


@Language.factory(
    "policycat_measures",
    requires=["doc._.bodies", "doc._.words", "doc._.clauses", "doc._.statuses", "doc._.targets"],
    assigns=["doc._.measures"],
    default_config=_CONFIG,
)
def make_measures(nlp: Language, name: str, data_dir: str) -> MeasuresComponent:
    return MeasuresComponent(name, data_dir)


PIPES = ("policycat_bodies", "policycat_clauses", "policycat_status", "policycat_targets", "policycat_measures")


def build_nlp(data_dir: Path | None = None) -> Language:
    """A blank Chinese spaCy pipeline: the project's jieba tokenizer plus the five
    policycat components, all reading their knowledge from ``data_dir`` (None: the
    project's). ``nlp.to_disk`` saves it; ``spacy.load`` rebuilds it from the config."""
    where = str(data_dir) if data_dir else ""
    userdict = str(data_path("userdict.txt", data_dir)) if data_dir else ""
    # The tokenizer comes from the config, so spaCy never builds its own Chinese
    # segmenter (nor jieba's global dictionary).
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "policycat.jieba.v1", "userdict": userdict}}})
    for name in PIPES:
        nlp.add_pipe(name, config={"data_dir": where})
    return nlp


def pipeline_lexicon(nlp: Language) -> Lexicon:
    """The lexicon the pipeline's components read (document context uses it too)."""
    return nlp.get_pipe("policycat_measures").lexicon


# ----- judging a clause ---------------------------------------------------------------


def judge_clause(text: str, clause: Clause, mentions: Sequence[Mention], lexicon: Lexicon, tokens=(), has_targets: bool = False) -> str | None:
    """None when the clause is a measure; otherwise the reason it is not."""
    whole = text[clause.start : clause.end]
    for kind, regex in lexicon.non_measure:
        if regex.search(whole):
            return kind
    if not clause.has_verb:
        return "no_verb"
    if any(clause.start <= s and e <= clause.end and text[s:e] in lexicon.copulas for s, e in tokens):
        return "copula"
    if any(clause.start <= s and e <= clause.verb_start and text[s:e] in lexicon.cognitive_verbs for s, e in tokens):
        return "attitude"
    start = _object_start(text, clause)
    obj = text[start : clause.end]
    if obj.endswith(PUNCTUATION.modifier):
        # 举办……的: the clause only modifies a noun, nothing is asked
        return "relative_clause"
    if len(obj) < 2:
        # 要及时研究部署，……带头学习贯彻: a compound action with a named actor stands alone
        if clause.strength == "strong" and (clause.verb_end - clause.verb_start >= 4 or clause.own_subject) and not obj:
            return None
        return "no_object"
    named = _names(obj) or any(start <= m.start and m.end <= clause.end for m in mentions)
    concrete = named or lexicon.object_heads.search(obj) is not None
    if lexicon.vague_objects.search(obj):
        return "vague_object"
    if lexicon.vague_tail.search(obj) and not (lexicon.exempt_tails.search(obj) and lexicon.vague_exempt.search(obj)):
        return "vague_object"
    if not concrete and (clause.strength == "weak" or len(obj) < 4) and not has_targets:
        return "abstract_object"
    return None


def find_initiatives(text: str, lexicon: Lexicon, offset: int = 0) -> tuple[tuple[int, int], ...]:
    """Spans of brand and platform names: quoted names that are not slogans, and known names."""
    spans: list[tuple[int, int]] = []
    for match in lexicon.quoted_name.finditer(text):
        if not lexicon.quoted_exclude.search(match.group(1)):
            spans.append((offset + match.start(1), offset + match.end(1)))
    for regex in lexicon.initiative_names:
        for match in regex.finditer(text):
            s, e = offset + match.start(), offset + match.end()
            if not any(a <= s and e <= b for a, b in spans):
                spans.append((s, e))
    return tuple(spans)


# ----- document context -----------------------------------------------------------------


def measure_id(source_path: str, start: int, end: int, text: str) -> str:
    key = f"{source_path}\x1f{start}\x1f{end}\x1f{text}".encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def _heading_sentence(sentence: Sentence, sections: Sequence[Section], lexicon: Lexicon) -> bool:
    """A heading on its own is not a measure; list items (一是……, ◆……) are read as text."""
    for sec in sections:
        if sec.start <= sentence.start and sentence.end <= sec.end:
            if sec.kind not in lexicon.content_heading_kinds:
                return True
            # 一要学理论、明定位，力求“知得多”: a list item standing as its own line is a heading
            if sec.end - sec.start <= 32 and sentence.text[-1] not in PUNCTUATION.item_end:
                return True
    return False


def _title_end(analysis: str, document: Document, lexicon: Lexicon) -> int:
    """End of the document's title: its first non-empty line, when that line is short
    enough to be one. A page with its line breaks removed has no title line."""
    if document.title:
        at = analysis.find(document.title, document.start, document.end)
        if at >= 0:
            return at + len(document.title)
    i = document.start
    while i < document.end and analysis[i].isspace():
        i += 1
    newline = analysis.find("\n", i, document.end)
    end = document.end if newline < 0 else newline
    return end if end - i <= lexicon.title_max_chars else i


def _heading_status(section: Section, analysis: str, lexicon: Lexicon) -> str | None:
    heading = analysis[section.start : section.end]
    for regex, status in lexicon.section_cues:
        if regex.search(heading):
            return status
    return None


def _section_statuses(sections: Sequence[Section], analysis: str, lexicon: Lexicon) -> list[str | None]:
    """The status each section gives clauses that name none: its heading's cue, else
    the nearest enclosing heading's, else what its top-level part carries.

    Reports and speeches move from what was done to what is to be done: after a part
    headed `二、2015年工作总体部署`, the parts `三、把改革开放扎实推向纵深`… are tasks too.
    Only forward-looking statuses carry on; a review part does not make later ones DONE,
    but a dated review (``review_parts`` in ``status.yaml``) makes them the year's tasks.
    A status carries only to parts numbered like the one that set it (`三、` after `二、`):
    a stray title line inside a review part is not a part of its own.
    """
    resolved: list[str | None] = []  # parents come before their children
    current, kind = None, None
    for section in sections:
        own = _heading_status(section, analysis, lexicon)
        if section.parent is not None:
            resolved.append(own or resolved[section.parent])
            continue
        if own is not None and own != "DONE":
            current, kind = own, section.kind
        elif own == "DONE":
            # after `一、１９９４年国内工作的回顾` come the year's tasks, whatever their headings say
            heading = analysis[section.start : section.end]
            current = next((after for regex, after in lexicon.review_parts if regex.search(heading)), None)
            kind = section.kind
        resolved.append(own or (current if section.kind == kind else None))
    return resolved


def _section_bodies(index: int | None, sections: Sequence[Section], analysis: str, lexicon: Lexicon) -> list[tuple[int, Mention]]:
    while index is not None:
        section = sections[index]
        found = find_mentions(analysis[section.start : section.end], lexicon)
        if found:
            return [(section.start, m) for m in found[:3]]
        index = section.parent
    return []


def _sentence_time_status(text: str, lexicon: Lexicon) -> str | None:
    for regex, status in lexicon.time_cues:
        if regex.search(text):
            return status
    return None


def _body(source: SourceText, offset: int, mention: Mention, explicit: bool, role: str | None, doc_level: str | None) -> Body:
    start, end = offset + mention.start, offset + mention.end
    return Body(start, end, source.text[start:end], mention.canonical, mention.level or doc_level, explicit, role)


def extract_measures(
    source: SourceText,
    document: Document,
    sections: Sequence[Section],
    sentences: Sequence[Sentence],
    *,
    nlp: Language,
) -> tuple[Measure, ...]:
    """Every measure the rules accept in ``document``; spans index ``source.text``.
    ``nlp`` is ``build_nlp()``'s pipeline; its lexicon also gives the document context."""
    return tuple(m for m in extract_candidates(source, document, sections, sentences, nlp=nlp) if m.rule_reason is None)


def extract_candidates(
    source: SourceText,
    document: Document,
    sections: Sequence[Section],
    sentences: Sequence[Sentence],
    *,
    nlp: Language,
) -> tuple[Measure, ...]:
    """Every clause of ``document`` that could be a measure, titles and headings
    included, each with ``rule_reason`` (why the rules would drop it, or None) and
    ``signals`` (the rules' evidence as feature strings for a learned decision)."""
    lexicon = pipeline_lexicon(nlp)
    analysis = source.analysis_text
    title_end = _title_end(analysis, document, lexicon)
    todo = [s for s in sentences if s.end > document.start]
    issuer = canonical_body(document.issuing_body, lexicon)
    default_status = lexicon.doc_type_defaults.get(document.doc_type or "", lexicon.default_status)
    opening = analysis[document.start : min(document.end, document.start + lexicon.document_cue_chars)]
    for regex, status in lexicon.document_cues:
        if regex.search(opening):
            default_status = status
            break
    measures: list[Measure] = []
    section_statuses = _section_statuses(sections, analysis, lexicon)
    section_bodies: dict[int | None, list] = {}
    paragraph_actors: tuple[int, list[tuple[int, Actor]]] = (-1, [])
    texts = (analysis[s.start : s.end] for s in todo)
    for sentence, doc in zip(todo, nlp.pipe(texts, batch_size=256)):
        offset = sentence.start
        structure = "title" if sentence.start < title_end else "heading" if _heading_sentence(sentence, sections, lexicon) else "body"
        paragraph = analysis.rfind("\n", 0, offset)
        if paragraph != paragraph_actors[0]:
            paragraph_actors = (paragraph, [])
        path = section_path(sentence.section, sections)
        section_status = section_statuses[sentence.section] if sentence.section is not None else None
        time_status = _sentence_time_status(doc_text(doc), lexicon)
        section = sections[sentence.section] if sentence.section is not None else None
        for rank, candidate in enumerate(doc._.measures):
            if candidate.actors and candidate.clause.own_subject:
                paragraph_actors = (paragraph, [(offset, a) for a in candidate.actors])
            if candidate.end <= candidate.start:
                continue
            reason = structure if structure != "body" else candidate.rejected
            status = candidate.status
            if status in (None, "REQUIRED") and time_status == "PLANNED" and not candidate.status_from_lead:
                status = "PLANNED"
            if status is None and time_status == "DONE":
                status = "DONE"
            if status == "REQUIRED" and candidate.clause.cue_yields and not candidate.status_from_lead:
                if "DONE" in (time_status, section_status or default_status):
                    status = "DONE"
            if status is None:
                status = section_status or default_status
            bodies = [_body(source, offset, a.mention, True, a.role, document.level) for a in candidate.actors]
            if not bodies:
                inferred = [(o, a.mention, a.role) for o, a in paragraph_actors[1]]
                if not inferred:
                    if sentence.section not in section_bodies:
                        section_bodies[sentence.section] = _section_bodies(sentence.section, sections, analysis, lexicon)
                    inferred = [(o, m, None) for o, m in section_bodies[sentence.section]]
                if not inferred and issuer is not None and document.issuing_body:
                    at = analysis.find(document.issuing_body, document.start, document.end)
                    if at >= 0:
                        inferred = [(at, Mention(issuer.start, issuer.end, issuer.canonical, issuer.level), None)]
                bodies = [_body(source, o, m, False, role, document.level) for o, m, role in inferred]
            bodies = list({b.canonical: b for b in reversed(bodies)}.values())[::-1]
            start, end = offset + candidate.start, offset + candidate.end
            text = source.text[start:end]
            clause = candidate.clause
            targets = tuple(
                Target(offset + t.start, offset + t.end, t.kind, source.text[offset + t.start : offset + t.end], t.value, t.unit, t.comparator)
                for t in candidate.targets
            )
            signals = (
                f"rule={candidate.rejected or 'ok'}",
                f"structure={structure}",
                f"status={status}",
                f"cue={candidate.cue[0] if candidate.cue else 'none'}",
                f"lead={'yes' if candidate.status_from_lead else 'no'}",
                f"time={time_status}",
                f"section_status={section_status}",
                f"default_status={default_status}",
                f"section_kind={section.kind if section else 'none'}",
                f"depth={min(section.depth, 4) if section else 0}",
                f"strength={clause.strength}",
                f"own_subject={bool(clause.own_subject)}",
                f"explicit={bool(candidate.actors)}",
                f"targets={bool(targets)}",
                f"initiatives={bool(candidate.initiatives)}",
                f"rank={min(rank, 3)}",
                f"last={rank == len(doc._.measures) - 1}",
                f"sentence_end={_end_mark(doc_text(doc))}",
                *_lexicon_signals(doc_text(doc)[candidate.start : candidate.end], doc_text(doc)[candidate.object_start : candidate.object_end], lexicon),
            )
            measures.append(
                Measure(
                    measure_id=measure_id(document.source_path, start, end, text),
                    doc_id=document.doc_id,
                    source_path=document.source_path,
                    start=start,
                    end=end,
                    text=text,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    section_path=path,
                    action=source.text[offset + clause.verb_start : offset + clause.verb_end] if clause.has_verb else "",
                    object=source.text[offset + candidate.object_start : offset + candidate.object_end],
                    status=status,
                    bodies=tuple(bodies),
                    targets=targets,
                    initiatives=tuple(dict.fromkeys(source.text[offset + s : offset + e] for s, e in candidate.initiatives)),
                    placeholder=bool(lexicon.placeholder.search(text)),
                    rule_reason=reason,
                    signals=signals,
                )
            )
    return tuple(measures)


def _lexicon_signals(clause: str, obj: str, lexicon: Lexicon) -> tuple[str, ...]:
    """What the lexicons find in the clause, whatever the rules then decided."""
    verbs = len(lexicon.verb_regex.findall(clause))
    signals = [
        f"verbs={min(verbs, 3)}",
        f"object_head={lexicon.object_heads.search(obj) is not None}",
        f"vague_tail={lexicon.vague_tail.search(obj) is not None}",
        f"vague_object={lexicon.vague_objects.search(obj) is not None}",
        f"named={_names(clause)}",
    ]
    signals += [f"pattern={kind}" for kind, regex in lexicon.non_measure if regex.search(clause)]
    return tuple(signals)


def _names(text: str) -> bool:
    """Book-title marks or quotes: the text names something (《……条例》, “委员之家”)."""
    return any(mark in text for mark in PUNCTUATION.name_marks)


def _end_mark(sentence: str) -> str:
    """The sentence's closing mark, full-width folded: a heading ends in none."""
    tail = sentence.rstrip()
    return unicodedata.normalize("NFKC", tail[-1]) if tail and not tail[-1].isalnum() else "none"
