"""Events from one article: its sentences read in order, with the context they carry.

Per sentence: the cues (`cues`), the thread each is about (`threads`), the checks that may set
it aside (`modality`), its date (`dating`) and who says so (`attribution`). Then an
article-level pass drops what the next sentence takes back ("rejected that report") and keeps
one event per thread, type and date (±1 day: the same happening told twice).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional, Sequence

from negotrack.lexicon import CompiledLexicon, Cue, Lexicon, TypeCues
from negotrack.model import Article, Discarded, Event, Evidence, Extraction, ThreadDef, Vocabulary
from negotrack.sentences import Sentence, split_article
from negotrack.extract import attribution, modality, typer
from negotrack.extract.cues import Hit, Proposer, find_hits
from negotrack.extract.threads import DATELINE, EXPLICIT, ThreadMatcher, best, choose, scores, thread_for
from negotrack.extract.view import SentenceView

_QUOTES = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_NO_RULES = TypeCues()


@dataclass
class Candidate:
    event: Event
    sentence: int
    own_date: bool
    explicit: bool


@dataclass
class Prepared:
    """What is built once per (definitions, lexicon): compiled cues and thread matchers."""

    lex: CompiledLexicon
    matcher: ThreadMatcher
    thread_cues: dict[str, CompiledLexicon]
    known: dict[str, frozenset[str]]
    negating: dict[str, bool]  # cue pattern -> whether it carries a negation itself

    def rules_for(self, hit: Hit) -> TypeCues:
        """How the lexicon treats the hit's type (a thread's own type: as a type with no keys)."""
        tc = self.lex.type_cues.get(hit.type)
        if tc is None and hit.only_thread:
            tc = self.thread_cues[hit.only_thread].type_cues.get(hit.type)
        return tc if tc is not None else _NO_RULES


_PREPARED: dict[tuple[int, int, int], tuple[object, Prepared]] = {}


def prepare(vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon) -> Prepared:
    key = (id(vocabulary), id(threads), id(lexicon))
    hit = _PREPARED.get(key)
    if hit is not None:
        v, ts, lx = hit[0]  # type: ignore[misc]
        if v is vocabulary and lx is lexicon and len(ts) == len(threads) and all(threads.get(k) is t for k, t in ts):
            return hit[1]
    base = set(vocabulary.event_type_names)
    thread_cues: dict[str, CompiledLexicon] = {}
    for tid, t in threads.items():
        if t.cues:
            types = {
                name: TypeCues(
                    future=lexicon.types[name].future if name in lexicon.types else "discard",
                    needs=lexicon.types[name].needs if name in lexicon.types else None,
                    cues=tuple(Cue(p=p) for p in pats),
                )
                for name, pats in t.cues.items()
            }
            thread_cues[tid] = lexicon.model_copy(update={"types": types}).compiled()
    prepared = Prepared(
        lex=lexicon.compiled(),
        matcher=ThreadMatcher(threads, lexicon.names),
        thread_cues=thread_cues,
        known={tid: frozenset(base | {e.name for e in t.event_types}) for tid, t in threads.items()},
        negating={},
    )
    if len(_PREPARED) > 32:
        _PREPARED.clear()
    _PREPARED[key] = ((vocabulary, tuple(threads.items()), lexicon), prepared)
    return prepared


class _Taken:
    """Spans of hits that drew an event; they never overlap, so one bisection tells a clash."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def clashes(self, h: Hit) -> bool:
        i = bisect_left(self.starts, h.end)
        return i > 0 and self.ends[i - 1] > h.start

    def add(self, h: Hit) -> None:
        i = bisect_left(self.starts, h.start)
        self.starts.insert(i, h.start)
        self.ends.insert(i, h.end)


class Reader:
    """Reads one article; holds the running context (threads, dates) across its sentences."""

    def __init__(self, article: Article, prepared: Prepared, proposers: Sequence[Proposer] = ()):
        self.a = article
        self.p = prepared
        self.lex = prepared.lex
        self.lists = prepared.lex.lists
        self.proposers = proposers
        self.events: list[Candidate] = []
        self.discarded: list[Discarded] = []
        quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(article.text)]
        self._quote_starts = [q[0] for q in quotes]
        self._quote_ends = [q[1] for q in quotes]
        self.source = article.source()

    def quoted(self, pos: int) -> bool:
        """Whether an article offset lies strictly inside a quotation."""
        i = bisect_left(self._quote_starts, pos) - 1
        return i >= 0 and pos < self._quote_ends[i]

    def dominant(self, sentences: list[Sentence]) -> Optional[str]:
        first_par = [DATELINE.sub("", s.text, count=1) for s in sentences if s.paragraph == (sentences[0].paragraph if sentences else 0)]
        head = " ".join([self.a.title, self.a.text[: self.a.body_start], *first_par])
        return best(scores(self.p.matcher.mentions(head)), None, 1)

    def run(self) -> None:
        sentences = split_article(self.a)
        context = self.dominant(sentences)
        cap = self.lex.lexicon.settings.max_sentence_chars
        par_thread: Optional[str] = None
        par = -1
        prev: Optional[SentenceView] = None
        per_sentence: dict[int, list[Candidate]] = {}
        for s in sentences:
            if s.paragraph != par:
                par, par_thread = s.paragraph, None
                prev = None
            if len(s.text) > cap:
                self._skip(s, cap)
                prev = None
                continue
            view = SentenceView(s, self.p.matcher.mentions(s.text), published=self.a.published)
            own = choose(view.mentions, par_thread or context, EXPLICIT)
            here = par_thread or context
            if prev is not None and prev.s.index in per_sentence and self.lists["retraction"].search(s.text):
                self._retract(per_sentence.pop(prev.s.index), s)
            found = self._sentence(view, own, here, prev)
            if found:
                per_sentence[s.index] = found
            if own:
                par_thread = own
                context = own
            prev = view
        for found in per_sentence.values():
            self.events.extend(found)

    def _skip(self, s: Sentence, cap: int) -> None:
        """A "sentence" longer than any news sentence (a table, a list, text that lost its
        punctuation) is not read: its quote would be no evidence, and reading it costs time."""
        self.discarded.append(Discarded.model_construct(
            path=self.a.path, thread=None, type="-", cue="", quote=s.text[:120] + "…", start=s.start, end=s.end,
            reason=f"not read: a sentence of {len(s.text):,} characters (longer than max_sentence_chars, {cap:,})",
            attribution=None, disputed_by=None,
        ))

    def _retract(self, cands: list[Candidate], by: Sentence) -> None:
        m = self.lists["retraction"].search(by.text)
        retractor = attribution.subject_before(by.text, m.start()) if m else attribution.speaker(by.text)[1]
        for c in cands:
            e = c.event
            self.discarded.append(Discarded.model_construct(
                path=self.a.path, thread=e.thread, type=e.type, cue=e.cue or "", quote=e.evidence.quote,
                start=e.evidence.start, end=e.evidence.end, reason=f"disputed: taken back by the next sentence: {by.text[:80]}",
                attribution=e.attribution or e.actor, disputed_by=retractor,
            ))

    def _sentence(self, view: SentenceView, own: Optional[str], here: Optional[str], prev: Optional[SentenceView]) -> list[Candidate]:
        out: list[Candidate] = []
        taken = _Taken()
        for hit in find_hits(view, self.lex, self.p.thread_cues, self.p.negating, self.proposers):
            if taken.clashes(hit):
                continue
            cand = self._read(view, hit, own, here, prev)
            if cand is not None:
                out.append(cand)
                taken.add(hit)
        return out

    def _read(self, view: SentenceView, hit: Hit, own: Optional[str], here: Optional[str], prev: Optional[SentenceView]) -> Optional[Candidate]:
        """One hit through thread, modality, dating and attribution: an event, or a discard."""
        clause = view.clause_of(hit.start)
        thread, explicit = thread_for(view, clause, own, here, self.lists["anaphora"])
        if hit.only_thread and thread != hit.only_thread:
            return None  # a thread's own cue, in a sentence about another thread
        c = modality.Ctx(
            view=view, hit=hit, clause=clause, thread=thread, explicit=explicit, rules=self.p.rules_for(hit),
            lex=self.lex, known=self.p.known.get(thread or "", frozenset()), published=self.a.published,
            prev=prev, quoted=self.quoted,
        )
        objection = modality.first_objection(c)
        if objection is not None:
            s = view.s
            self.discarded.append(Discarded.model_construct(
                path=self.a.path, thread=thread, type=c.shown_type or hit.type, cue=hit.label,
                quote=s.text, start=s.start, end=s.end, reason=objection[1], attribution=None, disputed_by=c.disputed_by,
            ))
            return None
        assert thread is not None
        dated = c.dated
        confidence = typer.calibrated(hit.origin, min(0.95, hit.weight + (0.1 if explicit else 0) + (0.1 if dated.own else 0)))
        actor, said_by = attribution.speaker_of(view)
        expected = dated.expected
        event = Event(
            thread=thread,
            type=c.read_type,
            date=dated.date,
            date_precision=dated.precision,  # type: ignore[arg-type]
            expected=expected.date if expected else None,
            expected_precision=expected.precision if expected else None,
            reported=self.a.published,
            source=self.source,
            evidence=Evidence(quote=view.s.text, start=view.s.start, end=view.s.end),
            actor=actor,
            attribution=said_by,
            origin="extracted",
            stage=hit.origin,
            cue=hit.label,
            confidence=round(confidence, 2),
        ).with_id()
        return Candidate(event, view.s.index, dated.own, explicit)


def dedupe(cands: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """One event per thread, type and date (a day either way is the same happening)."""
    ranked = sorted(cands, key=lambda c: (-(c.own_date), -(c.event.confidence or 0), c.event.evidence.start))
    kept: list[Candidate] = []
    dropped: list[Candidate] = []
    for c in ranked:
        e = c.event
        if any(k.event.thread == e.thread and k.event.type == e.type and abs((k.event.date - e.date).days) <= 1 for k in kept):
            dropped.append(c)
        else:
            kept.append(c)
    kept.sort(key=lambda c: (c.event.evidence.start, c.event.type))
    return kept, dropped


def extract_article(
    article: Article,
    vocabulary: Vocabulary,
    threads: dict[str, ThreadDef],
    lexicon: Lexicon,
    proposers: Optional[Sequence[Proposer]] = None,
) -> Extraction:
    """The events one article reports, each with its evidence, and the cues set aside with why.

    `proposers` (a learned stage) add hits to each sentence's rule hits; theirs go through the
    same thread, modality, dating and attribution steps, and the events they draw say `stage: model`.
    None means the shipped learned typer; `()` the rules alone.
    """
    if proposers is None:
        proposers = typer.default_proposers(lexicon.settings)
    prepared = prepare(vocabulary, threads, lexicon)
    reader = Reader(article, prepared, proposers)
    reader.run()
    kept, dropped = dedupe(reader.events)
    discarded = list(reader.discarded)
    for c in dropped:
        e = c.event
        discarded.append(Discarded.model_construct(
            path=article.path, thread=e.thread, type=e.type, cue=e.cue or "", quote=e.evidence.quote,
            start=e.evidence.start, end=e.evidence.end, reason="the same happening told again in this article",
        ))
    return Extraction(article=article, events=tuple(c.event for c in kept), discarded=tuple(discarded))
