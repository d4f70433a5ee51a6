"""Events from one article: cues found in sentences, attached to threads, judged for modality.

The pipeline for each sentence, in order of cost:
  1. the cues that match, found from an index of their first words (two sentences in three
     carry none and stop here);
  2. which thread the sentence (or the cue's clause) is about: aliases of a thread, or two of its
     parties/mediators; failing that, a definite reference ("the talks", "the two sides") to the
     thread in context (the paragraph's, the article's latest, or the headline's);
  3. each cue in its clause: quoted rhetoric, negation, denial, condition, hedge, stated position,
     plan (future), background (a plan that lapsed, a happening long past) set it aside with a
     reason; a planned meeting becomes `talks_scheduled` with its planned date;
  4. its date: a date phrase in its own clause, else when the speaker said it, else a date of a
     cue-free part of the sentence, else the paragraph's running date, else the publication day.
Then an article-level pass drops what the next sentence takes back ("rejected that report") and
keeps one event per thread, type and date (±1 day: the same happening told twice).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Optional

from negotrack.dates import DateMention, find_dates
from negotrack.lexicon import TOKEN, CompiledCue, CompiledLexicon, Cue, Lexicon, TypeCues, index_key
from negotrack.model import Article, Discarded, Event, Evidence, Extraction, ThreadDef, Vocabulary
from negotrack.sentences import Sentence, split_article

TALKS_TYPES = frozenset(
    {"talks_proposed", "talks_scheduled", "talks_held", "talks_resumed", "talks_postponed", "talks_cancelled"}
)
SCHEDULED = "talks_scheduled"
ALIAS_WEIGHT = 3
NAME_WEIGHT = 1
CONTEXT_PRIOR = 2  # what being the thread in context is worth against a rival's names
EXPLICIT = 2  # score from which a clause or sentence names a thread by itself

DATELINE = re.compile(
    r"\s*(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’/ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{0,30}?)?(?:,?\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"  # VIENNA, March 4
    r"|[A-ZÀ-ÖØ-Þ][\w.'’/-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’/-]*){0,3}(?:,\s*[A-Z][\w.'’ -]{0,30}?)?,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})"  # Port Venn, March 4
    r"(?:\s*\([^)]{1,40}\))?\s*[—–-]{1,2}\s"
)
_QUOTES = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_YEAR = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d-])")
_WOULD = re.compile(r"\bwould\b|\bwould(?=n't)", re.IGNORECASE)
_WORD = re.compile(r"[\w'’.-]+")
_REPORT_BEFORE = re.compile(r"(?:said|says|told|announced|stated|added|wrote|tweeted|confirmed|declared|reported)(?:\s+[\w.]+){0,3}?\s*$", re.IGNORECASE)
_REPORT_AFTER = re.compile(r"^,?\s*(?:said|says|told|announced|wrote|confirmed|declared)\b", re.IGNORECASE)
_ACCORDING = re.compile(r"according to ([^,.;]+)", re.IGNORECASE)
_SPEAKER = re.compile(r"(?:^|[,;]\s*)((?:[A-Z][\w.'’-]*\s+){0,5}?(?:[A-Z][\w.'’-]*|spokesman|spokeswoman|spokesperson|official|officials|sources|diplomats|minister|newspaper|agency|media|outlet|television|radio))\s*(?:,[^,]{0,80},\s*)?(?:said|says|told|announced|wrote|confirmed|declared|reported)\b")


# --- thread matching -----------------------------------------------------------------------------


class _Mention(NamedTuple):
    """A thread's name found in text (a tuple: a dozen are made per sentence)."""

    start: int
    end: int
    thread: str
    weight: int
    name: str
    shared: int = 1  # how many threads this name belongs to: 1 = it tells the thread apart


def _term_source(term: str, demonyms: bool) -> tuple[str, int]:
    """A regex for a name: exact case when it has capitals ("US" is not "us"), any case when not."""
    words = [re.escape(w) for w in term.split()]
    body = r"\s+".join(words)
    if demonyms and term[:1].isupper() and term.replace(" ", "").isalpha():
        last = term.split()[-1]
        variants = [r"(?:n|ns|i|is|ian|ians)?"]
        if last.endswith("e"):
            body = body + r"|" + r"\s+".join(words[:-1] + [re.escape(last[:-1]) + "ian"])
            body = f"(?:{body})"
        body = body + variants[0]
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    return rf"{body}(?![\w])", flags


class _ThreadMatcher:
    """Finds where a sentence names each thread, with weights: aliases count more than parties.

    Names are indexed by the first letters of their first word; a sentence costs one pass over
    its words and, where a word's letters are indexed, one anchored match of that key's names.
    """

    def __init__(self, threads: dict[str, ThreadDef], names: dict[str, tuple[str, ...]]):
        # term source -> every (thread, weight, canonical name) it stands for
        owners: dict[tuple[str, int], list[tuple[str, int, str]]] = {}
        lengths: dict[tuple[str, int], int] = {}
        firsts: dict[tuple[str, int], str] = {}
        for tid, t in threads.items():
            for alias in t.aliases:
                key = _term_source(alias, False)
                firsts[key] = alias
                # a common-noun alias ("truce", "peace talks") is weak evidence: many processes
                # share the word, so it counts like a party's name, not like a proper alias
                weight = ALIAS_WEIGHT if _proper(alias) else NAME_WEIGHT
                owners.setdefault(key, []).append((tid, weight, alias))
                lengths[key] = max(lengths.get(key, 0), len(alias))
            for name in (*t.parties, *t.mediators):
                for term in (name, *names.get(name, ())):
                    key = _term_source(term, term == name)
                    firsts[key] = term
                    owners.setdefault(key, []).append((tid, NAME_WEIGHT, name))
                    lengths[key] = max(lengths.get(key, 0), len(term))
        # terms indexed by the first letters of their first word: a sentence costs one
        # tokenisation and a few anchored matches, however many threads there are
        grouped: dict[str, list[tuple[str, int]]] = {}
        for key in sorted(owners, key=lambda k: -lengths[k]):
            grouped.setdefault(index_key(firsts[key]), []).append(key)
        # one regex per first-letters key: its names as alternatives, longest first, each in a
        # named group that says whose name it is (one match call per word, not one per name)
        self.index: dict[str, tuple[re.Pattern[str], dict[str, list[tuple[str, int, str]]]]] = {}
        for first, keys in grouped.items():
            parts, named = [], {}
            for n, (source, flags) in enumerate(keys):
                body = f"(?i:{source})" if flags & re.IGNORECASE else source
                parts.append(f"(?P<t{n}>{body})")
                named[f"t{n}"] = owners[(source, flags)]
            self.index[first] = (re.compile(r"(?<![\w-])(?:" + "|".join(parts) + ")"), named)

    def mentions(self, text: str) -> list[_Mention]:
        out = []
        # a dateline ("MEXICO CITY, Nov. 26 (Wire) —") says where the reporter is, not what
        # the story is about: names in it do not count
        dateline = DATELINE.match(text)
        taken = dateline.end() if dateline else -1
        low = text.lower()  # keys are looked up lower-cased: fold the sentence once, not each word
        if len(low) != len(text):
            low = text
        get = self.index.get
        for tok in TOKEN.finditer(low):
            start = tok.start()
            if start < taken:
                continue
            key = tok.group()[:3]
            found = get(key if low is not text else key.lower())
            if found is None:
                continue
            m = found[0].match(text, start)
            if m:
                owners = found[1][m.lastgroup]  # type: ignore[index]
                shared = len({tid for tid, _, _ in owners})
                out.extend(_Mention(m.start(), m.end(), tid, w, name, shared) for tid, w, name in owners)
                taken = m.end()
        return out


def _scores(mentions: Iterable[_Mention], lo: int = 0, hi: int = 1 << 30) -> dict[str, int]:
    """Per thread: aliases' weight plus one per distinct party or mediator named in [lo, hi)."""
    alias: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for m in mentions:
        if m.start >= lo and m.end <= hi:
            if m.weight >= ALIAS_WEIGHT:
                alias[m.thread] = alias.get(m.thread, 0) + m.weight
            else:
                names.setdefault(m.thread, set()).add(m.name)
    out = dict(alias)
    for tid, ns in names.items():
        out[tid] = out.get(tid, 0) + len(ns) * NAME_WEIGHT
    return out


def _sides_named(mentions: list[_Mention], thread: str) -> bool:
    """Two of a thread's parties or mediators named together: they are the process meeting."""
    return len({m.name for m in mentions if m.thread == thread and m.weight == NAME_WEIGHT and _proper(m.name)}) >= 2


def _proper(name: str) -> bool:
    """A proper name (it has a capital): it can tell one process from another."""
    return any(c.isupper() for c in name)


def _choose(mentions: list[_Mention], prefer: Optional[str], minimum: int, lo: int = 0, hi: int = 1 << 30) -> Optional[str]:
    """The thread a stretch of text names. The thread in context keeps it unless another thread
    is named by a proper name of its own: names several threads share (a mediator of two
    processes, a capital) and common nouns ("truce") never pull a sentence away from the thread
    the article is about."""
    scores = _scores(mentions, lo, hi)
    if prefer is not None and prefer in scores:
        scores[prefer] += CONTEXT_PRIOR  # the thread in context is the likelier reading
    if prefer is not None and scores.get(prefer, 0) >= minimum:
        rivals = {m.thread for m in mentions if lo <= m.start and m.end <= hi and m.shared == 1 and m.thread != prefer and _proper(m.name)}
        if not rivals:
            return prefer
    return _best(scores, prefer, minimum)


def _best(scores: dict[str, int], prefer: Optional[str], minimum: int) -> Optional[str]:
    if not scores:
        return None
    top = max(scores.values())
    if top < minimum:
        return None
    winners = [t for t, s in scores.items() if s == top]
    if prefer in winners:
        return prefer
    return winners[0] if len(winners) == 1 else None


# --- per-article state ---------------------------------------------------------------------------


@dataclass
class _Candidate:
    event: Event
    sentence: int
    own_date: bool
    explicit: bool


@dataclass
class _Prepared:
    """What is built once per (definitions, lexicon): compiled cues and thread matchers."""

    lex: CompiledLexicon
    matcher: _ThreadMatcher
    thread_cues: dict[str, CompiledLexicon]
    known: dict[str, frozenset[str]]


_PREPARED: dict[tuple[int, int, int], tuple[object, _Prepared]] = {}


def _prepare(vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon) -> _Prepared:
    key = (id(vocabulary), id(threads), id(lexicon))
    hit = _PREPARED.get(key)
    if hit is not None:
        v, ts, lx = hit[0]
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
    prepared = _Prepared(
        lex=lexicon.compiled(),
        matcher=_ThreadMatcher(threads, lexicon.names),
        thread_cues=thread_cues,
        known={tid: frozenset(base | {e.name for e in t.event_types}) for tid, t in threads.items()},
    )
    if len(_PREPARED) > 32:
        _PREPARED.clear()
    _PREPARED[key] = ((vocabulary, tuple(threads.items()), lexicon), prepared)  # type: ignore[assignment]
    return prepared


@dataclass
class _CueHit:
    start: int
    end: int
    cue: CompiledCue
    only_thread: Optional[str] = None


def _dates(text: str, published: dt.date, tense: str) -> list[DateMention]:
    """Date phrases, less possessives ("Wednesday's agenda" names no happening's date)."""
    return [m for m in find_dates(text, published, tense) if not text.startswith(("'s", "’s"), m.end)]


@dataclass
class _SentenceView:
    """One sentence with what the cues in it need: clauses, dates, thread mentions."""

    s: Sentence
    mentions: list[_Mention]
    clauses: list[tuple[int, int, str]]  # start, end, separator that opened it
    _past: Optional[list[DateMention]] = None
    _future: Optional[list[DateMention]] = None
    published: dt.date = dt.date.min

    @property
    def text(self) -> str:
        return self.s.text

    def past(self) -> list[DateMention]:
        if self._past is None:
            self._past = _dates(self.s.text, self.published, "past")
        return self._past

    def future(self) -> list[DateMention]:
        if self._future is None:
            self._future = _dates(self.s.text, self.published, "future")
        return self._future


    def clause_of(self, pos: int) -> tuple[int, int, str]:
        for c in self.clauses:
            if c[0] <= pos < c[1]:
                return c
        return self.clauses[-1]


def _clauses(text: str, seps: re.Pattern[str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos, opener = 0, ""
    for m in seps.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start(), opener))
        pos, opener = m.end(), m.group().strip().lower()
    out.append((pos, len(text), opener))
    return out


def _window(text: str, lo: int, hi: int, words: int) -> str:
    """The last `words` words of text[lo:hi]: how far negation or a hedge reaches back."""
    chunk = text[lo:hi]
    found = list(_WORD.finditer(chunk))
    if len(found) > words:
        chunk = chunk[found[-words].start():]
    return chunk


def _is_speech_date(text: str, m: DateMention) -> bool:
    return bool(_REPORT_BEFORE.search(text[max(0, m.start - 40):m.start]) or _REPORT_AFTER.match(text[m.end:m.end + 20]))


class _Reader:
    """Reads one article; holds the running context (threads, dates) across its sentences."""

    def __init__(self, article: Article, prepared: _Prepared, threads: dict[str, ThreadDef]):
        self.a = article
        self.p = prepared
        self.lex = prepared.lex
        self.lists = prepared.lex.lists
        self.settings = prepared.lex.lexicon.settings
        self.threads = threads
        self.events: list[_Candidate] = []
        self.discarded: list[Discarded] = []
        self.quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(article.text)]
        self.source = article.source()

    # -- context -----------------------------------------------------------------------------

    def dominant(self, sentences: list[Sentence]) -> Optional[str]:
        first_par = [DATELINE.sub("", s.text, count=1) for s in sentences if s.paragraph == (sentences[0].paragraph if sentences else 0)]
        head = " ".join([self.a.title, self.a.text[: self.a.body_start], *first_par])
        return _best(_scores(self.p.matcher.mentions(head)), None, 1)

    # -- main loop ---------------------------------------------------------------------------

    def run(self) -> None:
        sentences = split_article(self.a)
        context = self.dominant(sentences)
        par_thread: Optional[str] = None
        par = -1
        prev: Optional[_SentenceView] = None
        per_sentence: dict[int, list[_Candidate]] = {}
        for s in sentences:
            if s.paragraph != par:
                par, par_thread = s.paragraph, None
                prev = None
            view = _SentenceView(s, self.p.matcher.mentions(s.text), [], published=self.a.published)
            own = _choose(view.mentions, par_thread or context, EXPLICIT)
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

    def _retractor(self, text: str) -> Optional[str]:
        m = self.lists["retraction"].search(text)
        return _subject_before(text, m.start()) if m else _speaker(text)[1]

    def _retract(self, cands: list[_Candidate], by: Sentence) -> None:
        for c in cands:
            e = c.event
            self.discarded.append(Discarded.model_construct(
                path=self.a.path, thread=e.thread, type=e.type, cue=e.cue or "", quote=e.evidence.quote,
                start=e.evidence.start, end=e.evidence.end, reason=f"disputed: taken back by the next sentence: {by.text[:80]}",
                attribution=e.attribution or e.actor, disputed_by=self._retractor(by.text),
            ))

    def _hits(self, view: _SentenceView) -> list[_CueHit]:
        hits: list[_CueHit] = []
        text = view.text
        for lex, only in [(self.lex, None), *[(c, tid) for tid, c in self.p.thread_cues.items()]]:
            for start, end, cue in lex.hits(text):
                hits.append(_CueHit(start, end, cue, only))
        if not hits:
            return hits  # two sentences in three: no cue, so no clauses to work out either
        view.clauses = _clauses(text, self.lex.separators)
        # a cue never reaches across a clause boundary ("negotiations offered | since the war began")
        if view.clauses:
            hits = [h for h in hits if not any(h.start < c[0] < h.end for c in view.clauses)]
        # overlapping cues: the longer reading is tried first ("ended without progress" before
        # "progress"); a shorter one gets its turn only if the longer yields no event
        hits.sort(key=lambda h: (-(h.end - h.start), h.start))
        return hits

    def _sentence(self, view: _SentenceView, own: Optional[str], here: Optional[str], prev: Optional[_SentenceView]) -> list[_Candidate]:
        out: list[_Candidate] = []
        taken: list[_CueHit] = []
        for hit in self._hits(view):
            if any(hit.start < t.end and t.start < hit.end for t in taken):
                continue
            cand = self._cue(view, hit, own, here, prev)
            if cand is not None:
                out.append(cand)
                taken.append(hit)
        return out

    # -- one cue -----------------------------------------------------------------------------

    def _discard(self, view: _SentenceView, hit: _CueHit, thread: Optional[str], reason: str, type_: Optional[str] = None, disputed_by: Optional[str] = None) -> None:
        s = view.s
        self.discarded.append(Discarded.model_construct(
            path=self.a.path, thread=thread, type=type_ or hit.cue.type, cue=hit.cue.pattern,
            quote=s.text, start=s.start, end=s.end, reason=reason, attribution=None, disputed_by=disputed_by,
        ))

    def _thread_for(self, view: _SentenceView, hit: _CueHit, clause: tuple[int, int, str], own: Optional[str], here: Optional[str]) -> tuple[Optional[str], bool]:
        """The thread a cue is about, and whether the text names it (rather than refers back)."""
        in_clause = _choose(view.mentions, own or here, EXPLICIT, clause[0], clause[1])
        if in_clause:
            return in_clause, True
        if own:
            return own, True
        if here is None:
            return None, False
        weak = _scores(view.mentions)
        if weak and max(weak.values()) >= 1 and here in weak:
            return here, False
        if weak and here not in weak:
            return None, False
        if self.lists["anaphora"].search(view.text):
            return here, False
        return None, False

    def _cue(self, view: _SentenceView, hit: _CueHit, own: Optional[str], here: Optional[str], prev: Optional[_SentenceView]) -> Optional[_Candidate]:
        text = view.text
        cue = hit.cue
        type_ = cue.type
        tc = self.lex.type_cues.get(type_)
        if tc is None and hit.only_thread:
            tc = self.p.thread_cues[hit.only_thread].type_cues.get(type_)
        st = self.settings
        clause = view.clause_of(hit.start)
        thread, explicit = self._thread_for(view, hit, clause, own, here)
        if hit.only_thread and thread != hit.only_thread:
            return None
        if thread is None:
            self._discard(view, hit, None, "no tracked thread in this sentence or its context")
            return None
        if type_ not in self.p.known.get(thread, frozenset()):
            self._discard(view, hit, thread, f"{type_} is not an event type of {thread}")
            return None
        if tc is not None and tc.explicit_thread:
            if not any(m.thread == thread and m.weight >= ALIAS_WEIGHT for m in view.mentions):
                self._discard(view, hit, thread, "needs the thread named in the sentence")
                return None
        if tc is not None and tc.needs == "process" and not self.lists["process"].search(text) and not _sides_named(view.mentions, thread):
            self._discard(view, hit, thread, "no talks, deal or delegation in the sentence")
            return None
        if prev is not None and self.lists["demonstrative"].match(text) and prev.past():
            last = prev.past()[-1]
            if (self.a.published - last.date).days > st.background_days:
                self._discard(view, hit, thread, f"background: continues a sentence about {last.text}")
                return None
        abs_start = view.s.start + hit.start
        if any(qs < abs_start < qe for qs, qe in self.quotes):
            self._discard(view, hit, thread, "inside a quotation (rhetoric, not a report)")
            return None
        cs, ce, opener = clause
        clause_text = text[cs:ce]
        before = text[cs:hit.start]
        if type_ in TALKS_TYPES and self.lists["distractor"].search(clause_text):
            self._discard(view, hit, thread, "a meeting of another forum (not a round of these talks)")
            return None
        # modality inside the cue's own gaps counts too ("negotiations would resume"), except
        # for cues that carry a negation themselves ("ended without a breakthrough")
        self_negating = bool(self.lists["negation"].search(cue.pattern.replace("_", " ").replace("|", " ")))
        reach = hit.start if self_negating else hit.end
        inside = len(_WORD.findall(text[hit.start:reach]))
        if self.lists["negation"].search(_window(text, cs, reach, st.negation_window + inside)):
            self._discard(view, hit, thread, "negated")
            return None
        denial = self.lists["denial"].search(text, 0, hit.start)
        if denial:
            denier = _subject_before(text, denial.start())
            self._discard(view, hit, thread, "denied", disputed_by=denier)
            return None
        if self.lists["conditional"].search(text, 0, hit.start) or self.lists["conditional"].search(clause_text):
            self._discard(view, hit, thread, "conditional or open question")
            return None
        hedge_zone = _window(text, cs, hit.end, st.hedge_window + len(_WORD.findall(text[hit.start:hit.end])))
        if self.lists["hedge"].search(hedge_zone):
            self._discard(view, hit, thread, "hedged or hypothetical (could, may, likely ...)")
            return None
        if type_ != "talks_proposed" and self.lists["aspiration"].search(hedge_zone):
            self._discard(view, hit, thread, "a wish or an effort (hopes, ready to, tries to ...), not a happening")
            return None
        if clause_text.lstrip().lower().startswith(("who ", "whose ")):
            self._discard(view, hit, thread, "describes a person (a 'who' clause), not news")
            return None
        if opener in ("when", "once") and (_WOULD.search(text, 0, cs) or self.lists["future"].search(text, 0, cs)):
            self._discard(view, hit, thread, "in a 'when' clause of a plan: not yet happened")
            return None
        if type_ == "proposal_accepted" and self.lists["talks_offer"].search(text, hit.start, ce):
            self._discard(view, hit, thread, "accepts an offer of talks, not a proposal under negotiation")
            return None
        if type_ != "talks_proposed" and self.lists["position"].search(hedge_zone):
            self._discard(view, hit, thread, "a stated position or demand, not a happening")
            return None
        if self.lists["background"].search(before) or self.lists["background"].search(text[hit.end:ce]):
            self._discard(view, hit, thread, "background: a plan that lapsed or a happening long past")
            return None
        future = bool(self.lists["future"].search(hedge_zone))
        would = _WOULD.search(hedge_zone)
        if would:
            if self.lists["reporting"].search(text, 0, cs + len(text[cs:hit.end]) - len(hedge_zone) + would.start()) or self.lists["reporting"].search(text, hit.end):
                future = True  # "said it would resume": reported will
            else:
                self._discard(view, hit, thread, "hypothetical (would)")
                return None
        if type_ == SCHEDULED:
            future = True
        new_type = type_
        if type_ == "agreement_reached" and self.lists["partial"].search(text):
            new_type = "progress_reported"  # agreed on some points, in principle: progress, not the deal
        if future and type_ != SCHEDULED:
            if cue.future == "discard":
                self._discard(view, hit, thread, "planned or expected, not yet happened")
                return None
            if cue.future == "schedule":
                new_type = SCHEDULED
        if type_ == "talks_proposed" and not future:
            fut = self._future_date(view, clause, hit)
            if fut is not None and fut.date > self.a.published and self.lists["future"].search(text, hit.end, ce + 40):
                new_type, future = SCHEDULED, True
        if new_type not in self.p.known.get(thread, frozenset()):
            self._discard(view, hit, thread, f"{new_type} is not an event type of {thread}", new_type)
            return None
        # -- dates ---------------------------------------------------------------------------
        expected: Optional[DateMention] = None
        if new_type == SCHEDULED:
            expected = self._future_date(view, clause, hit)
            date, precision, own_date = self._said_date(view, hit, prev, expected)
        else:
            if opener in ("after", "since", "before", "until") and not self._in_clause(view.past(), clause, text):
                self._discard(view, hit, thread, "background: a happening named only to place another in time")
                return None
            date, precision, own_date = self._event_date(view, hit, clause, prev)
        year = _YEAR.search(clause_text)
        if year and int(year.group()) < self.a.published.year and not own_date:
            self._discard(view, hit, thread, f"background: dated {year.group()}")
            return None
        if (self.a.published - date).days > st.background_days:
            self._discard(view, hit, thread, f"background: happened {date.isoformat()}, long before publication")
            return None
        confidence = min(0.95, cue.weight + (0.1 if explicit else 0) + (0.1 if own_date else 0))
        actor, attribution = _speaker(text)
        event = Event(
            thread=thread,
            type=new_type,
            date=date,
            date_precision=precision,
            expected=expected.date if expected else None,
            expected_precision=expected.precision if expected else None,
            reported=self.a.published,
            source=self.source,
            evidence=Evidence(quote=view.s.text, start=view.s.start, end=view.s.end),
            actor=actor,
            attribution=attribution,
            origin="extracted",
            cue=cue.pattern,
            confidence=round(confidence, 2),
        ).with_id()
        return _Candidate(event, view.s.index, own_date, explicit)

    @staticmethod
    def _in_clause(mentions: list[DateMention], clause: tuple[int, int, str], text: str) -> list[DateMention]:
        return [m for m in mentions if clause[0] <= m.start < clause[1] and not _is_speech_date(text, m)]

    def _future_date(self, view: _SentenceView, clause: tuple[int, int, str], hit: _CueHit) -> Optional[DateMention]:
        """The planned date: a non-speech date phrase in the clause, else after the cue in the sentence."""
        text = view.text
        cands = self._in_clause(view.future(), clause, text)
        if not cands:
            cands = [m for m in view.future() if m.start >= hit.end and not _is_speech_date(text, m)]
        cands = [m for m in cands if m.date >= self.a.published - dt.timedelta(days=6)]
        if not cands:
            return None
        return min(cands, key=lambda m: (m.start < hit.start, abs(m.start - hit.end)))

    def _said_date(self, view: _SentenceView, hit: _CueHit, prev: Optional[_SentenceView], expected: Optional[DateMention]) -> tuple[dt.date, str, bool]:
        """When a plan was announced: the speech date, another past date in the sentence, or publication."""
        text = view.text
        past = view.past()
        speech = [m for m in past if _is_speech_date(text, m)]
        if speech:
            m = min(speech, key=lambda m: abs(m.start - hit.start))
            return m.date, m.precision, True
        others = [m for m in past if m.date <= self.a.published and (expected is None or m.start != expected.start)]
        if others:
            m = min(others, key=lambda m: abs(m.start - hit.start))
            return m.date, m.precision, True
        return self.a.published, "day", False

    def _event_date(self, view: _SentenceView, hit: _CueHit, clause: tuple[int, int, str], prev: Optional[_SentenceView]) -> tuple[dt.date, str, bool]:
        text = view.text
        past = view.past()
        if hit.cue.date == "clause":
            own = self._in_clause(past, clause, text)
            if own:
                # a date inside the cue's own gap dates its object ("the exchange agreed last
                # month began on Friday"), so dates outside the cue come first
                m = min(own, key=lambda m: (hit.start < m.start < hit.end, abs(m.start - hit.start)))
                return m.date, m.precision, True
        speech = [m for m in past if _is_speech_date(text, m)]
        if speech:
            m = min(speech, key=lambda m: abs(m.start - hit.start))
            return m.date, m.precision, True
        if hit.cue.date == "clause":
            hits = self._hits_cache(view)
            free = [
                m for m in past
                if not any(c[0] <= m.start < c[1] for c in (view.clause_of(h.start) for h in hits))
            ]
            if free:
                m = min(free, key=lambda m: abs(m.start - hit.start))
                return m.date, m.precision, True
        if prev is not None and past == [] and prev.past():
            if self.lists["demonstrative"].match(text):
                m = prev.past()[-1]
                return m.date, m.precision, True
            last = prev.past()[-1]
            if last.precision == "day":
                return last.date, last.precision, False
        return self.a.published, "day", False

    def _hits_cache(self, view: _SentenceView) -> list[_CueHit]:
        cached = getattr(view, "_hits", None)
        if cached is None:
            cached = self._hits(view)
            setattr(view, "_hits", cached)
        return cached


def _subject_before(text: str, end: int) -> Optional[str]:
    """Who denies: the words of the clause before the denial verb ("Israel's foreign ministry")."""
    clause = re.split(r"[,;:—–]", text[:end])[-1]
    clause = _TRAILING_DATE.sub("", clause.strip())
    words = clause.split()[-6:]
    return " ".join(words).strip() or None


_TRAILING_DATE = re.compile(r"\s+(?:late\s+|early\s+)?on\s+\S+$|\s+(?:yesterday|today|earlier|later)$", re.IGNORECASE)


def _speaker(text: str) -> tuple[Optional[str], Optional[str]]:
    """Who said it ("according to Y" or "X said"): kept as the attribution of a reported event."""
    m = _ACCORDING.search(text)
    if m:
        return None, m.group(1).strip()
    m = _SPEAKER.search(text)
    if m:
        who = m.group(1).strip()
        return who, who
    return None, None


# --- article-level ---------------------------------------------------------------------------------


def _dedupe(cands: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """One event per thread, type and date (a day either way is the same happening)."""
    ranked = sorted(cands, key=lambda c: (-(c.own_date), -(c.event.confidence or 0), c.event.evidence.start))
    kept: list[_Candidate] = []
    dropped: list[_Candidate] = []
    for c in ranked:
        e = c.event
        if any(k.event.thread == e.thread and k.event.type == e.type and abs((k.event.date - e.date).days) <= 1 for k in kept):
            dropped.append(c)
        else:
            kept.append(c)
    kept.sort(key=lambda c: (c.event.evidence.start, c.event.type))
    return kept, dropped


def extract_article(article: Article, vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon) -> Extraction:
    """The events one article reports, each with its evidence, and the cues set aside with why."""
    prepared = _prepare(vocabulary, threads, lexicon)
    reader = _Reader(article, prepared, threads)
    reader.run()
    kept, dropped = _dedupe(reader.events)
    discarded = list(reader.discarded)
    for c in dropped:
        e = c.event
        discarded.append(Discarded.model_construct(
            path=article.path, thread=e.thread, type=e.type, cue=e.cue or "", quote=e.evidence.quote,
            start=e.evidence.start, end=e.evidence.end, reason="the same happening told again in this article",
        ))
    return Extraction(article=article, events=tuple(c.event for c in kept), discarded=tuple(discarded))
