"""Clauses of a sentence and their parts: who acts, how strongly, doing what to what.

Pure functions over one sentence's analysis text (simplified characters) and the
token boundaries jieba gave it. Offsets are relative to the sentence.

Chinese enumeration decides the cuts: ``，`` and ``；`` end a clause; ``、`` ends one
only between verb–object phrases (``健全委员联络机构、完善委员联络制度``), never
between nouns (``政协党组、常务委员会和主席会议``); ``并`` before a new verb does too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.bodies import Mention
from extractors.lexicon import Lexicon
from extractors.punctuation import PUNCTUATION

_CLAUSE_STOPS = PUNCTUATION.clause_stops
_OPENERS = PUNCTUATION.openers
_TRIM = PUNCTUATION.clause_trim
_QUANTIFIERS = PUNCTUATION.quantifiers  # 各专门委员会、广大政协委员: part of the chain, not a gap
_JOINED_WORDS = PUNCTUATION.joined_words  # 落实和反馈(机制)


@dataclass
class Actor:
    mention: Mention
    role: str | None  # lead | support | None


@dataclass
class Clause:
    start: int
    end: int
    core_start: int  # subject, modal or verb: where the measure text begins
    verb_start: int | None = None
    verb_end: int | None = None
    strength: str | None = None  # strong | weak
    actors: list[Actor] = field(default_factory=list)
    own_subject: bool = False  # actors named in this clause (not inherited)
    cue: tuple[str, int] | None = None  # status, priority
    cue_yields: bool = False  # the cue gives way to a DONE context (坚持 in a report of practice)
    cue_governs: bool = False  # the cue sits before the verb, so later clauses inherit it
    cue_start: int = 0
    pending_support: list[Actor] = field(default_factory=list)

    @property
    def has_verb(self) -> bool:
        return self.verb_start is not None


def protected_mask(text: str) -> bytearray:
    """1 where a character sits inside quotes, book titles or brackets (no cuts there)."""
    mask = bytearray(len(text))
    stack: list[str] = []
    for i, ch in enumerate(text):
        if stack and ch == stack[-1]:
            stack.pop()
            mask[i] = 1
            continue
        if ch in _OPENERS and len(stack) < 4:
            # an unclosed opener must not swallow the rest of the sentence
            if text.find(_OPENERS[ch], i + 1) < 0:
                continue
            stack.append(_OPENERS[ch])
            mask[i] = 1
            continue
        if stack:
            mask[i] = 1
    return mask


class ClauseAnalyser:
    """Splits and parses clauses of one sentence at a time."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._adverbs = lexicon.adverbs
        self._cue_words = sorted({t for cue in lexicon.status_cues for t in cue.tokens}, key=len, reverse=True)
        self._role_words = lexicon.lead_after + lexicon.support_after + lexicon.support_before + lexicon.lead_before
        self._adverbs_by_char: dict[str, list[str]] = {}
        for word in self._adverbs:
            self._adverbs_by_char.setdefault(word[0], []).append(word)
        self._followers = lexicon.chain_joins + lexicon.subject_followers + self._role_words

    def _joins(self, gap: str) -> bool:
        """The text between two bodies links them into one chain (、各, 和, 及广大)."""
        return gap == "" or gap.strip(_QUANTIFIERS) in self.lexicon.chain_joins or gap.strip(_QUANTIFIERS) == ""

    def refine_tokens(self, text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """jieba keeps 切实加强, 不断完善, 积极探索 as one word: cut them into adverb + verb."""
        out = []
        for ts, te in tokens:
            cut = None
            if te - ts >= 3:
                for word in self._adverbs_by_char.get(text[ts], ()):
                    if len(word) < te - ts and text.startswith(word, ts):
                        rest = text[ts + len(word) : te]
                        if rest in self.lexicon.strong_verbs or rest in self.lexicon.weak_verbs:
                            cut = ts + len(word)
                            break
            if cut is None:
                out.append((ts, te))
            else:
                out.extend(((ts, cut), (cut, te)))
        return out

    def adverbial_mask(self, text: str) -> bytearray:
        mask = bytearray(len(text))
        for regex in self.lexicon.adverbials:
            for match in regex.finditer(text):
                mask[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        return mask

    # ----- verbs -------------------------------------------------------------
    def verb_at(self, text: str, i: int, bounds: set[int], limit: int) -> int | None:
        """End of the longest verb starting at ``i`` and ending on a token boundary."""
        match = self.lexicon.verb_regex.match(text, i, limit)
        if not match:
            return None
        word = match.group()
        # the alternation is longest-first, but a shorter verb may end on a boundary
        for length in range(len(word), 0, -1):
            candidate = text[i : i + length]
            if candidate in self.lexicon.strong_verbs or candidate in self.lexicon.weak_verbs:
                # jieba keeps verb–object compounds whole (制定方案, 开展调研): a verb of two
                # or more characters at a word start counts even inside the word, when what
                # follows in the word could be an object (研究生 is a noun, not 研究 + 生)
                end = i + length
                if end in bounds or end == limit or (length >= 2 and i in bounds and self._rest_of_word(end, bounds, limit) >= 2):
                    return end
        return None

    def _names_head(self, text: str, i: int, limit: int) -> bool:
        """A verb straight before a bare mechanism noun is part of its name
        (完善和落实考核制度: 考核制度, not 考核 + 制度)."""
        return self.lexicon.object_heads.fullmatch(text, i, limit) is not None

    @staticmethod
    def _rest_of_word(i: int, bounds: set[int], limit: int) -> int:
        j = i + 1
        while j < limit and j not in bounds:
            j += 1
        return j - i

    def verb_phrase_end(self, text: str, i: int, bounds: set[int], limit: int) -> int | None:
        """A verb and the verbs chained to it (建立健全, 坚持和完善, 研究制定)."""
        end = self.verb_at(text, i, bounds, limit)
        if end is None:
            return None
        while end < limit:
            nxt = self.verb_at(text, end, bounds, limit)
            if nxt is not None and nxt - end >= 2 and not self._names_head(text, nxt, limit):
                end = nxt
                continue
            joined = False
            for join in self.lexicon.connectors:
                if text.startswith(join, end):
                    nxt = self.verb_at(text, end + len(join), bounds, limit)
                    # 坚持和完善X: both verbs share the object; 健全X和完善Y are split earlier
                    if nxt is not None and nxt - end - len(join) >= 2 and nxt < limit and not self._names_head(text, nxt, limit):
                        end, joined = nxt, True
                        break
            if not joined:
                break
        return end

    def skip_adverbs(self, text: str, i: int, limit: int) -> int:
        moved = True
        while moved and i < limit:
            moved = False
            for word in self._adverbs_by_char.get(text[i], ()):
                if text.startswith(word, i) and i + len(word) <= limit:
                    i += len(word)
                    moved = True
                    break
        return i

    def verb_initial(self, text: str, i: int, limit: int, bounds: set[int]) -> bool:
        """The piece opens (after adverbs and modals) with a verb that has an object."""
        j = self.skip_adverbs(text, i, limit)
        end = self.verb_phrase_end(text, j, bounds, limit)
        if end is None and j > i:
            end = self.verb_phrase_end(text, i, bounds, limit)
        return end is not None and limit - end >= 2

    # ----- splitting ---------------------------------------------------------
    def split(self, text: str, bounds: set[int]) -> list[tuple[int, int]]:
        mask = protected_mask(text)
        pieces, begin = [], 0
        for i, ch in enumerate(text):
            if ch in _CLAUSE_STOPS and not mask[i]:
                pieces.append((begin, i))
                begin = i + 1
        pieces.append((begin, len(text)))
        clauses = []
        for s, e in pieces:
            s, e = self._trim(text, s, e)
            if e <= s:
                continue
            for a, b in self._split_enumeration(text, s, e, mask, bounds):
                clauses.extend(self._split_bing(text, a, b, bounds))
        return clauses

    def _trim(self, text: str, s: int, e: int) -> tuple[int, int]:
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        return s, e

    def _split_enumeration(self, text, s, e, mask, bounds) -> list[tuple[int, int]]:
        cuts = [i for i in range(s, e) if text[i] in PUNCTUATION.enumeration_comma and not mask[i]]
        if not cuts:
            return [(s, e)]
        items = []
        begin = s
        for cut in cuts:
            items.append((begin, cut))
            begin = cut + 1
        items.append((begin, e))
        first = self.lexicon.enumerator.match(text, s, e)
        first_start = first.end() if first else s
        if not self.verb_initial(text, first_start, items[0][1], bounds):
            return [(s, e)]
        # 做好学习座谈、协商议政、调研视察等工作: a noun list closed by 等, not clauses
        tail = text[items[-1][0] : e]
        closer = PUNCTUATION.list_closer
        if closer in tail and len(tail) - tail.rfind(closer) <= 8:
            return [(s, e)]
        starts = [
            b - a >= 4 and self.verb_initial(text, a, b, bounds) and not self._verbs_on_head(text, a, b)
            for a, b in items[1:]
        ]
        if self._shared_head(text, items, starts):
            return [(s, e)]
        out = [list(items[0])]
        for (a, b), starts_clause in zip(items[1:], starts):
            if starts_clause:
                out.append([a, b])
            else:
                out[-1][1] = b
        return [tuple(x) for x in out]

    def _verbs_on_head(self, text, a, b) -> bool:
        """``健全协商成果采纳、落实和反馈机制``: a verb joined by 和/与/及 to another
        two-character word straight before a mechanism noun (``落实和反馈机制``) names
        the mechanism; it does not start a clause."""
        match = self.lexicon.verb_regex.match(text, a, b)
        if not match:
            return False
        joined = _JOINED_WORDS.match(text, match.end(), b)
        return joined is not None and self._names_head(text, joined.end(), b)

    def _shared_head(self, text, items, starts) -> bool:
        """``健全深度协商互动、意见充分表达、广泛凝聚共识机制``: a verbless item before a
        verb-initial last one ending in a mechanism noun means the items modify that
        noun, and the verb of the first item governs the whole."""
        if len(starts) < 2 or not starts[-1] or all(starts[:-1]):
            return False
        last = text[items[-1][0] : items[-1][1]]
        return self.lexicon.object_heads.search(last) is not None

    def _split_bing(self, text, s, e, bounds) -> list[tuple[int, int]]:
        """``建立X并落实Y``: 并 before a new verb–object starts a clause."""
        out, begin = [], s
        for i in range(s + 2, e - 3):
            if text[i] == PUNCTUATION.clause_joiner and i in bounds and i + 1 in bounds:
                if self._has_verb_object(text, begin, i, bounds) and self.verb_initial(text, i + 1, e, bounds):
                    out.append((begin, i))
                    begin = i + 1
        out.append((begin, e))
        return out

    def _has_verb_object(self, text, s, e, bounds) -> bool:
        for i in range(s, e):
            if i in bounds or i == s:
                end = self.verb_phrase_end(text, i, bounds, e)
                if end is not None:
                    return e - end >= 2
        return False

    # ----- parsing -----------------------------------------------------------
    def parse(self, text: str, s: int, e: int, bounds: set[int], tokens: list[tuple[int, int]], mentions: list[Mention], masked: bytearray) -> Clause:
        enum = self.lexicon.enumerator.match(text, s, e)
        if enum and enum.end() < e:
            s = enum.end()
        clause = Clause(start=s, end=e, core_start=s)
        inside = [m for m in mentions if s <= m.start and m.end <= e]
        occupied = bytearray(len(text))
        for m in inside:
            occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
        verb = self._main_verb(text, s, e, bounds, tokens, occupied, masked)
        if verb is not None:
            clause.verb_start, clause.verb_end = verb
            word = text[verb[0] : verb[1]]
            clause.strength = "strong" if any(v in self.lexicon.strong_verbs for v in self._verbs_in(word)) else "weak"
        region_end = clause.verb_start if clause.has_verb else e
        clause.actors = self._subject_actors(text, s, region_end, [m for m in inside if not masked[m.start]], tokens)
        clause.own_subject = any(a.role != "support" for a in clause.actors)
        if clause.has_verb and text[clause.verb_start : clause.verb_end] in self.lexicon.support_before:
            # 会同市委宣传部门、联合新闻媒体: the partners act in support
            clause.actors = [Actor(m, "support") for m in inside if m.start >= clause.verb_end and not masked[m.start]]
            clause.own_subject = False
            clause.pending_support = list(clause.actors)
        elif clause.has_verb:
            clause.actors += self._object_actors(text, clause, inside, tokens, bounds)
        self._status(text, clause, tokens, bounds)
        core = [a.mention.start for a in clause.actors if a.mention.start < region_end]
        if core:
            clause.core_start = min(core)
        elif clause.cue is not None and clause.cue_governs:
            clause.core_start = min(clause.cue_start, clause.verb_start or e)
        elif clause.has_verb:
            clause.core_start = clause.verb_start
        if not clause.has_verb:
            clause.pending_support = [a for a in clause.actors if a.role == "support"]
            piece = text[s:e]
            if any(p.search(piece) for p in self.lexicon.topic_patterns):
                clause.actors = [Actor(m, None) for m in inside]
                clause.own_subject = bool(clause.actors)
        return clause

    def _verbs_in(self, phrase: str) -> list[str]:
        out, i = [], 0
        while i < len(phrase):
            match = self.lexicon.verb_regex.match(phrase, i)
            if match:
                out.append(match.group())
                i = match.end()
            else:
                i += 1
        return out

    def _main_verb(self, text, s, e, bounds, tokens, occupied, masked) -> tuple[int, int] | None:
        ba_at = None
        for ts, te in tokens:
            if ts < s or te > e:
                continue
            word = text[ts:te]
            if word in PUNCTUATION.object_markers and ba_at is None:
                after = self.skip_adverbs(text, te, e)
                if self.verb_phrase_end(text, after, bounds, e) is None:
                    ba_at = te
                    continue
            if occupied[ts] or masked[ts]:
                continue
            if ba_at is not None:
                match = self.lexicon.ba_verbs.search(text, ba_at, e)
                if match:
                    end = self.verb_phrase_end(text, match.start(), bounds, e) or match.end()
                    return match.start(), end
                ba_at = None
            end = self.verb_phrase_end(text, ts, bounds, e)
            if end is not None:
                return ts, end
        return None

    def _chain_role(self, text: str, before_start: int, before: str, after: str) -> str | None:
        for word in self.lexicon.lead_after:
            if after.startswith(word):
                return "lead"
        for word in self.lexicon.support_after:
            if after.startswith(word):
                return "support"
        for word in self.lexicon.support_before:
            if before.endswith(word):
                return "support"
        for word in self.lexicon.lead_before:
            if before.endswith(word):
                return "lead"
        return None

    def _subject_actors(self, text, s, region_end, inside, tokens) -> list[Actor]:
        actors: list[Actor] = []
        previous_end = s
        chain_role: str | None = None
        chain_blocked = False
        for m in inside:
            if m.start >= region_end:
                break
            gap = text[previous_end : m.start]
            joined = previous_end > s and self._joins(gap)
            if joined and chain_blocked:
                previous_end = m.end
                continue
            if not joined:
                chain_role = None
                chain_blocked = self._blocked(text, previous_end, m.start, tokens)
                if chain_blocked:
                    previous_end = m.end
                    continue
            follow = self._after_chain(text, m.end, region_end, inside)
            if not follow:
                previous_end = m.end
                continue
            if text.startswith(PUNCTUATION.modifier, m.end):
                previous_end = m.end
                continue
            role = self._chain_role(text, m.start, text[max(s, m.start - 3) : m.start], text[m.end : m.end + 3]) or chain_role
            if joined and chain_role is None and role is not None:
                chain_role = role
            actors.append(Actor(m, role))
            previous_end = m.end
        # a role marker after the last body of a chain applies to the whole chain
        if actors:
            last = actors[-1]
            tail_role = self._chain_role(text, last.mention.start, "", text[last.mention.end : last.mention.end + 3])
            if tail_role:
                for actor in actors:
                    if actor.role is None:
                        actor.role = tail_role
        return actors

    def _blocked(self, text, gap_start, gap_end, tokens) -> bool:
        """A preposition between the clause start and the body makes it an object or beneficiary."""
        gap = text[gap_start:gap_end].rstrip(_QUANTIFIERS)
        if any(gap.endswith(p) for p in self.lexicon.object_prepositions if p not in self.lexicon.lead_before):
            return True
        for ts, te in tokens:
            if ts >= gap_start and te <= gap_end:
                word = text[ts:te]
                if word in self.lexicon.object_prepositions and word not in self.lexicon.lead_before:
                    return True
        return False

    def _after_chain(self, text, pos, region_end, inside) -> bool:
        """The body is a subject if what follows it (past coordinated bodies) is an adverb, a cue, a role word or the verb."""
        if pos >= region_end:
            return True
        rest = text[pos:region_end]
        for word in self._followers:
            if rest.startswith(word):
                return True
        for word in self._adverbs:
            if rest.startswith(word):
                return True
        for word in self._cue_words:
            if rest.startswith(word):
                return True
        return any(m.start == pos for m in inside)

    def _object_actors(self, text, clause: Clause, inside, tokens, bounds) -> list[Actor]:
        """Bodies opening the object that act themselves: after a pivot verb (组织委员开展调研),
        or named as parties of the mechanism (建立政协专门委员会与各民主党派对口联系制度)."""
        verbs = self._verbs_in(text[clause.verb_start : clause.verb_end])
        if any(v in self.lexicon.recipient_verbs for v in verbs):
            return []
        clausal = any(v in self.lexicon.pivot_verbs or v in self.lexicon.frame_verbs for v in verbs)
        pos = clause.verb_end
        while pos < clause.end and text[pos] in PUNCTUATION.pivot_lead:
            pos += 1
        chain: list[Actor] = []
        for m in inside:
            if m.start < pos:
                continue
            gap = text[pos : m.start]
            role = "support" if gap in self.lexicon.support_before else None
            if gap and not self._joins(gap) and role is None:
                break
            chain.append(Actor(m, role))
            pos = m.end
        if not chain:
            return []
        j = self.skip_adverbs(text, pos, clause.end)
        end = self.verb_phrase_end(text, j, bounds, clause.end)
        # 组织委员开展学习 (the verb takes its own object), not 加强专门委员会建设 (a noun)
        if clausal and end is not None and (clause.end - end >= 2 or j > pos or end - j >= 4):
            return chain
        rest = text[pos : clause.end]
        if any(rest.startswith(w) for w in self.lexicon.chain_joins + self.lexicon.support_before) or rest.startswith(PUNCTUATION.party_links):
            return chain
        return []

    @staticmethod
    def _sentence_end(text: str, i: int) -> int:
        for j in range(i, len(text)):
            if text[j] in PUNCTUATION.item_end:
                return j
        return len(text)

    # ----- status ------------------------------------------------------------
    def _status(self, text, clause: Clause, tokens, bounds) -> None:
        limit = clause.verb_end if clause.has_verb else clause.end
        best: tuple[str, int] | None = None
        best_start, governs, yields = None, False, False
        for ts, te in tokens:
            if ts < clause.start or te > limit:
                continue
            word = text[ts:te]
            for cue in self.lexicon.status_cues:
                if word in cue.tokens:
                    if cue.verb_after:
                        after = self.skip_adverbs(text, te, clause.end)
                        if self.verb_phrase_end(text, after, bounds, clause.end) is None:
                            continue
                        # 将学习贯彻……作为重要任务: 将 marks the object, not the future
                        if self.lexicon.ba_verbs.search(text, te, self._sentence_end(text, te)):
                            continue
                    if best is None or cue.priority > best[1] or (cue.priority == best[1] and yields and not cue.yields_to_context):
                        best, best_start = (cue.status, cue.priority), ts
                        governs = not clause.has_verb or te <= clause.verb_start
                        yields = cue.yields_to_context
                    break
        window = text[clause.start : limit]
        for cue in self.lexicon.status_cues:
            for pattern in cue.patterns:
                match = pattern.search(window)
                if match and (best is None or cue.priority > best[1]):
                    best, best_start, governs = (cue.status, cue.priority), clause.start + match.start(), False
        if clause.has_verb:
            for ts, te in tokens:
                if clause.verb_start <= ts and te <= clause.end and text[ts:te] in self.lexicon.done_particles:
                    # 制定了、建立了: reported practice
                    done = next(c for c in self.lexicon.status_cues if c.status == "DONE")
                    if best is None or done.priority > best[1]:
                        best, best_start, governs = ("DONE", done.priority), ts, False
                    break
        clause.cue, clause.cue_governs = best, governs
        clause.cue_yields = yields and best is not None and best[0] == "REQUIRED"
        clause.cue_start = best_start if best_start is not None else clause.start
