"""Which thread a sentence, or a cue's clause, is about: names found in the text, weighed.

Aliases of a thread count more than its parties and mediators; failing a name, a definite
reference ("the talks", "the two sides") keeps the thread in context (the paragraph's, the
article's latest, or the headline's).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable, NamedTuple, Optional

from negotrack.lexicon import TOKEN, FoldedPattern, index_key
from negotrack.model import ThreadDef
from negotrack.extract.view import Clause, SentenceView

ALIAS_WEIGHT = 3
NAME_WEIGHT = 1
CONTEXT_PRIOR = 2  # what being the thread in context is worth against a rival's names
EXPLICIT = 2  # score from which a clause or sentence names a thread by itself

DATELINE = re.compile(
    r"\s*(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’/ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{0,30}?)?(?:,?\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"  # VIENNA, March 4
    r"|[A-ZÀ-ÖØ-Þ][\w.'’/-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’/-]*){0,3}(?:,\s*[A-Z][\w.'’ -]{0,30}?)?,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})"  # Port Venn, March 4
    r"(?:\s*\([^)]{1,40}\))?\s*[—–-]{1,2}\s"
)


class Mention(NamedTuple):
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


class ThreadMatcher:
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
                weight = ALIAS_WEIGHT if proper(alias) else NAME_WEIGHT
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

    def mentions(self, text: str) -> list[Mention]:
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
                out.extend(Mention(m.start(), m.end(), tid, w, name, shared) for tid, w, name in owners)
                taken = m.end()
        return out


def scores(mentions: Iterable[Mention], lo: int = 0, hi: int = 1 << 30) -> dict[str, int]:
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


def sides_named(view: SentenceView, thread: str) -> bool:
    """Two proper names of a thread (parties, mediators, or aliases such as its negotiators)
    named together: they are the process meeting."""
    key = ("sides", thread)
    if key not in view.memo:
        view.memo[key] = len({m.name for m in view.mentions if m.thread == thread and proper(m.name)}) >= 2
    return view.memo[key]


def named_by_alias(view: SentenceView, thread: str) -> bool:
    """The sentence names the thread by an alias of its own (not only by its parties)."""
    if "aliased" not in view.memo:
        view.memo["aliased"] = {m.thread for m in view.mentions if m.weight >= ALIAS_WEIGHT}
    return thread in view.memo["aliased"]


def proper(name: str) -> bool:
    """A proper name (it has a capital): it can tell one process from another."""
    return any(c.isupper() for c in name)


def choose(mentions: list[Mention], prefer: Optional[str], minimum: int, lo: int = 0, hi: int = 1 << 30) -> Optional[str]:
    """The thread a stretch of text names. The thread in context keeps it unless another thread
    is named by a proper name of its own: names several threads share (a mediator of two
    processes, a capital) and common nouns ("truce") never pull a sentence away from the thread
    the article is about."""
    found = scores(mentions, lo, hi)
    if prefer is not None and prefer in found:
        found[prefer] += CONTEXT_PRIOR  # the thread in context is the likelier reading
    if prefer is not None and found.get(prefer, 0) >= minimum:
        rivals = {m.thread for m in mentions if lo <= m.start and m.end <= hi and m.shared == 1 and m.thread != prefer and proper(m.name)}
        if not rivals:
            return prefer
    return best(found, prefer, minimum)


def best(found: dict[str, int], prefer: Optional[str], minimum: int) -> Optional[str]:
    if not found:
        return None
    top = max(found.values())
    if top < minimum:
        return None
    winners = [t for t, s in found.items() if s == top]
    if prefer in winners:
        return prefer
    return winners[0] if len(winners) == 1 else None


def thread_for(view: SentenceView, clause: Clause, own: Optional[str], here: Optional[str], anaphora: FoldedPattern) -> tuple[Optional[str], bool]:
    """The thread a cue is about, and whether the text names it (rather than refers back).

    Worked out once per clause: every cue of a clause gets the same answer."""
    key = ("thread", clause[0], clause[1], own, here)
    if key not in view.memo:
        view.memo[key] = _thread_for(view, clause, own, here, anaphora)
    return view.memo[key]


def _thread_for(view: SentenceView, clause: Clause, own: Optional[str], here: Optional[str], anaphora: FoldedPattern) -> tuple[Optional[str], bool]:
    starts = view.memo.get("mention_starts")
    if starts is None:
        starts = view.memo["mention_starts"] = [m.start for m in view.mentions]
    within = view.mentions[bisect_left(starts, clause[0]):bisect_left(starts, clause[1])]
    in_clause = choose(within, own or here, EXPLICIT, clause[0], clause[1])
    if in_clause:
        return in_clause, True
    if own:
        return own, True
    if here is None:
        return None, False
    weak = scores(view.mentions)
    if weak and max(weak.values()) >= 1 and here in weak:
        return here, False
    if weak and here not in weak:
        return None, False
    if view.has(anaphora) or not weak:
        return here, False
    return None, False
