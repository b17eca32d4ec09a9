"""Measures (举措): every verb–object clause about 政协 work with a concrete object,
with who must act, how strongly, how often and by when.

spaCy is the frame: a blank Chinese pipeline whose tokenizer is the project's own
jieba (with the 政协 user dictionary), followed by the project's components

    policycat_bodies    Doc._.bodies     body mentions (canonical name, level)
    policycat_clauses   Doc._.clauses    clauses with subject, verb, object, status cue
    policycat_status    Doc._.leads      lead-ins and governing cues spread over the sentence
    policycat_targets   Doc._.targets    quantified requirements per clause
    policycat_measures  Doc._.measures   clauses judged to be measures

Each Doc is one sentence of analysis text (simplified characters). Document context
(doc_type, sections, issuing body) is applied afterwards in ``extract_measures``.

``measure_id`` is ``sha1(source_path, start, end, text)[:16]``: it depends only on
where the measure sits in which file, so re-runs give the same ids, and an edited
file keeps ids for every passage whose offsets did not move.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.bodies import Mention, canonical_body, find_mentions
from extractors.clauses import Actor, Clause, ClauseAnalyser, protected_mask
from extractors.lexicon import Lexicon, load_lexicon
from extractors.sections import section_path
from extractors.sentences import build_tokenizer
from extractors.targets import find_targets
from extractors.types import Body, Document, Measure, Section, Sentence, SourceText, Target

__all__ = ["Lexicon", "load_lexicon", "build_nlp", "extract_measures", "measure_id"]

_OBJECT_LEAD = "好了到起实"
_EXTENSIONS = ("bodies", "clauses", "leads", "targets", "measures", "bounds")
_TEXT, _OFFSETS = "policycat_text", "policycat_offsets"


def doc_text(doc: Doc) -> str:
    return doc.user_data.get(_TEXT) if _TEXT in doc.user_data else doc.text


def doc_offsets(doc: Doc) -> list[tuple[int, int]]:
    if _OFFSETS in doc.user_data:
        return doc.user_data[_OFFSETS]
    return [(t.idx, t.idx + len(t.text)) for t in doc]


@dataclass
class Candidate:
    """A measure found in one sentence; offsets relative to the sentence."""

    clause: Clause
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
    extra: dict = field(default_factory=dict)


# ----- tokenizer ------------------------------------------------------------------


class JiebaTokenizer:
    """spaCy tokenizer over the project's own ``jieba.Tokenizer`` (user dictionary
    loaded, global jieba untouched). Every character, spaces included, lands in a
    token and no token has trailing whitespace, so ``doc.text`` equals the input and
    ``token.idx`` is an offset into it."""

    def __init__(self, vocab, jieba_tokenizer):
        self.vocab = vocab
        self.jieba = jieba_tokenizer

    def __call__(self, text: str) -> Doc:
        # HMM off: only word boundaries matter here, and unknown words then fall apart
        # into single characters, which are boundaries too
        pieces = list(self.jieba.tokenize(text, HMM=False)) if text else []
        doc = Doc(self.vocab, words=[w for w, _, _ in pieces], spaces=[False] * len(pieces))
        # Doc.text and Token objects are rebuilt on every access; the components
        # read these plain copies instead (same offsets).
        doc.user_data[_TEXT] = text
        doc.user_data[_OFFSETS] = [(s, e) for _, s, e in pieces]
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


# ----- components -------------------------------------------------------------------


class _Component:
    def __init__(self, name: str):
        self.name = name
        self.lexicon: Lexicon | None = None
        self.analyser: ClauseAnalyser | None = None

    def set_lexicon(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.analyser = ClauseAnalyser(lexicon)

    def _ready(self) -> Lexicon:
        if self.lexicon is None:
            raise RuntimeError(f"{self.name}: no lexicon; build the pipeline with build_nlp()")
        return self.lexicon


class BodiesComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        doc._.bodies = find_mentions(doc_text(doc), self._ready())
        return doc


class ClausesComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        self._ready()
        text = doc_text(doc)
        tokens = self.analyser.refine_tokens(text, doc_offsets(doc))
        bounds = {s for s, _ in tokens} | {e for _, e in tokens}
        blocked = protected_mask(text)
        for i, flag in enumerate(self.analyser.adverbial_mask(text)):
            if flag:
                blocked[i] = 1
        mentions = doc._.bodies if doc._.bodies is not None else []
        doc._.bounds = (tokens, bounds)
        doc._.clauses = [self.analyser.parse(text, s, e, bounds, tokens, mentions, blocked) for s, e in self.analyser.split(text, bounds)]
        return doc


class StatusComponent(_Component):
    """Lead-ins (会议强调：, 委员们表示，) and governing cues spread to later clauses."""

    def __call__(self, doc: Doc) -> Doc:
        lexicon = self._ready()
        text = doc_text(doc)
        colon = next((i for i, ch in enumerate(text) if ch in "：:"), -1)
        stop = colon if colon >= 0 else next((i for i, ch in enumerate(text) if ch in "，,"), -1)
        lead_status = None
        if stop > 0:
            prefix = text[:stop]
            for regex, status in lexicon.sentence_leads:
                if regex.search(prefix):
                    lead_status = status
                    break
        governing: tuple[str, int] | None = None
        for clause in doc._.clauses:
            if lead_status and clause.start >= stop:
                clause.lead_status = lead_status
            if clause.cue is None and governing is not None:
                clause.cue = governing
            elif clause.cue is not None and clause.cue_governs:
                governing = clause.cue
        doc._.leads = lead_status
        return doc


class TargetsComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        lexicon = self._ready()
        text = doc_text(doc)
        doc._.targets = [find_targets(text[c.start : c.end], c.start, lexicon) for c in doc._.clauses]
        return doc


class MeasuresComponent(_Component):
    def __call__(self, doc: Doc) -> Doc:
        lexicon = self._ready()
        text = doc_text(doc)
        candidates: list[Candidate] = []
        governing: list[Actor] = []
        support: list[Actor] = []
        for clause, targets in zip(doc._.clauses, doc._.targets):
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
            rejected = judge_clause(text, clause, doc._.bodies, lexicon, doc._.bounds[0], bool(targets))
            status = None
            if clause.cue is not None:
                status = clause.cue[0]
            candidate = Candidate(
                clause=clause,
                start=clause.core_start,
                end=clause.end,
                status=status,
                status_from_lead=clause.lead_status is not None,
                actors=actors,
                explicit=bool(actors),
                targets=targets,
                initiatives=find_initiatives(text[clause.start : clause.end], lexicon, clause.start),
                rejected=rejected,
                object_start=_object_start(text, clause),
                object_end=clause.end,
            )
            if clause.lead_status is not None and (status is None or status == "REQUIRED"):
                candidate.status = clause.lead_status
            candidates.append(candidate)
        whole = {c.rejected for c in candidates} & lexicon.sentence_non_measure
        if whole:
            # 为深入贯彻……，提出如下意见: the whole sentence frames the document
            for candidate in candidates:
                candidate.rejected = candidate.rejected or next(iter(whole))
        doc._.measures = candidates
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
    while i < clause.end and text[i] in _OBJECT_LEAD:
        i += 1
    return i


_FACTORIES = {
    "policycat_bodies": BodiesComponent,
    "policycat_clauses": ClausesComponent,
    "policycat_status": StatusComponent,
    "policycat_targets": TargetsComponent,
    "policycat_measures": MeasuresComponent,
}

for _name, _cls in _FACTORIES.items():
    if not Language.has_factory(_name):
        Language.factory(_name, func=lambda nlp, name, _cls=_cls: _cls(name))

for _ext in _EXTENSIONS:
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


def build_nlp(lexicon: Lexicon, tokenizer_userdict: Path | None = None) -> Language:
    """A blank Chinese spaCy pipeline: our jieba tokenizer plus the five policycat components."""
    # The tokenizer is replaced right away: the "char" segmenter keeps spaCy from
    # building jieba's global dictionary (a second, unused one) and logging it.
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, build_tokenizer(tokenizer_userdict))
    for name in _FACTORIES:
        nlp.add_pipe(name).set_lexicon(lexicon)
    return nlp


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
    if obj.endswith("的"):
        # 举办……的: the clause only modifies a noun, nothing is asked
        return "relative_clause"
    if len(obj) < 2:
        # 要及时研究部署，……带头学习贯彻: a compound action with a named actor stands alone
        if clause.strength == "strong" and (clause.verb_end - clause.verb_start >= 4 or clause.own_subject) and not obj:
            return None
        return "no_object"
    named = "《" in obj or "“" in obj or any(start <= m.start and m.end <= clause.end for m in mentions)
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
            if sec.end - sec.start <= 32 and sentence.text[-1] not in "。；;！!？?":
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
    lexicon: Lexicon,
    nlp,
) -> tuple[Measure, ...]:
    """Every measure the rules accept in ``document``; spans index ``source.text``."""
    return tuple(m for m in extract_candidates(source, document, sections, sentences, lexicon=lexicon, nlp=nlp) if m.rule_reason is None)


def extract_candidates(
    source: SourceText,
    document: Document,
    sections: Sequence[Section],
    sentences: Sequence[Sentence],
    *,
    lexicon: Lexicon,
    nlp,
) -> tuple[Measure, ...]:
    """Every clause of ``document`` that could be a measure, titles and headings
    included, each with ``rule_reason`` (why the rules would drop it, or None) and
    ``signals`` (the rules' evidence as feature strings for a learned decision)."""
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
                f"cue={candidate.clause.cue[0] if candidate.clause.cue else 'none'}",
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
        f"named={'《' in clause or '“' in clause}",
    ]
    signals += [f"pattern={kind}" for kind, regex in lexicon.non_measure if regex.search(clause)]
    return tuple(signals)


def _end_mark(sentence: str) -> str:
    """The sentence's closing mark, full-width folded: a heading ends in none."""
    tail = sentence.rstrip()
    return unicodedata.normalize("NFKC", tail[-1]) if tail and not tail[-1].isalnum() else "none"
