"""One sentence as the later steps read it: its clauses, words, dates and list matches, each
worked out once per sentence.

Every cue asks its sentence the same questions ("a denial anywhere before me?", "the last six
words of my clause?"). Asked afresh per cue, a sentence of n characters with n/20 cues costs n²:
one generated 100 KB sentence took 108 s (issue #8). Here each answer is a lookup into lists
built in one pass, and stays exactly what the direct search would have returned.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from negotrack.dates import DateMention, find_dates
from negotrack.lexicon import FoldedPattern
from negotrack.sentences import Sentence

Clause = tuple[int, int, str]  # start, end, the separator that opened it
AnyPattern = Union[FoldedPattern, "re.Pattern[str]"]

WORD = re.compile(r"[\w'’.-]+")
# A list pattern ends with `(?![\w'’])`; its matches end with one of [\w'’-].
_AHEAD = re.compile(r"[\w'’]")
_BEHIND = re.compile(r"[\w'’-]")
# "would" as a FoldedPattern: searched like the lexicon's lists (its matches end in a letter)
WOULD = FoldedPattern(r"\bwould\b|\bwould(?=n't)", ends_in_word=True)


class Scan:
    """`pattern.search(text, lo, hi)` answered from where the pattern's matches start in `text`.

    The starts are found once per pattern (each position is tried once); a search is then a
    bisection and one anchored match. A search cut at `hi` can find a match the whole text does
    not have only if the cut falls inside a word that a match may end on; then (never for a cut
    at a cue's start or a clause's edge) the direct search is run instead, so answers are exact.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        self._low: Optional[str] = low if len(low) == len(text) else None
        self._starts: dict[int, tuple[Any, list[int]]] = {}

    def _regex(self, pat: AnyPattern) -> tuple["re.Pattern[str]", str]:
        if isinstance(pat, FoldedPattern):
            return (pat.folded, self._low) if self._low is not None else (pat.exact, self.text)
        return pat, self.text

    def starts(self, pat: AnyPattern) -> list[int]:
        found = self._starts.get(id(pat))
        if found is None:
            regex, s = self._regex(pat)
            out: list[int] = []
            m = regex.search(s)
            while m is not None:
                out.append(m.start())
                m = regex.search(s, m.start() + 1)
            found = self._starts[id(pat)] = (pat, out)  # holds pat: its id stays its own
        return found[1]

    def search(self, pat: AnyPattern, lo: int = 0, hi: Optional[int] = None) -> Optional["re.Match[str]"]:
        regex, s = self._regex(pat)
        hi = len(s) if hi is None or hi > len(s) else hi
        if lo >= hi:
            return None
        if not self._cut_is_clean(pat, s, hi):
            return regex.search(s, lo, hi)
        starts = self.starts(pat)
        i = bisect_left(starts, lo)
        while i < len(starts) and starts[i] < hi:
            m = regex.match(s, starts[i])
            if m is not None and m.end() <= hi:
                return m
            m = regex.match(s, starts[i], hi)  # a shorter reading may fit before the cut
            if m is not None:
                return m
            i += 1
        return None

    def match(self, pat: AnyPattern, pos: int = 0) -> Optional["re.Match[str]"]:
        regex, s = self._regex(pat)
        return regex.match(s, pos)

    @staticmethod
    def _cut_is_clean(pat: AnyPattern, s: str, hi: int) -> bool:
        if hi >= len(s) or not _AHEAD.match(s, hi):
            return True  # the text goes on with a non-word: a match ending at the cut ends there anyway
        return bool(getattr(pat, "ends_in_word", False)) and not _BEHIND.match(s, hi - 1)


class Words:
    """The words of a text (as `WORD` finds them), for windows of the last N words before a cue."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def _span(self, lo: int, hi: int) -> tuple[int, int]:
        return bisect_right(self.ends, lo), bisect_left(self.starts, hi)

    def count(self, lo: int, hi: int) -> int:
        """How many words `WORD.findall(text[lo:hi])` finds (a word cut by lo or hi counts)."""
        if lo >= hi:
            return 0
        a, b = self._span(lo, hi)
        return max(0, b - a)

    def window(self, lo: int, hi: int, words: int) -> int:
        """Where the last `words` words of text[lo:hi] begin: how far negation or a hedge reaches back."""
        if lo >= hi:
            return lo
        a, b = self._span(lo, hi)
        if b - a > words:
            return max(self.starts[b - words if words > 0 else a], lo)
        return lo


@dataclass
class ClauseView:
    """One clause's text, searched as a string of its own (as the rules were written)."""

    start: int
    end: int
    opener: str
    text: str
    scan: Scan
    memo: dict[Any, Any] = field(default_factory=dict)

    def search(self, pat: AnyPattern) -> Optional["re.Match[str]"]:
        key = ("search", id(pat))
        if key not in self.memo:
            self.memo[key] = pat.search(self.text)
        return self.memo[key]


@dataclass
class SentenceView:
    """One sentence with what the cues in it need, each part built when first asked for."""

    s: Sentence
    mentions: list[Any]  # threads.Mention, in order of start
    published: dt.date = dt.date.min
    clauses: list[Clause] = field(default_factory=list)
    hits: list[Any] = field(default_factory=list)  # cues.Hit: every hit read in this sentence
    memo: dict[Any, Any] = field(default_factory=dict)  # what the steps work out once per sentence
    _past: Optional[list[DateMention]] = None
    _future: Optional[list[DateMention]] = None
    _scan: Optional[Scan] = None
    _words: Optional[Words] = None
    _clause_starts: list[int] = field(default_factory=list)
    _clause_views: dict[int, ClauseView] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.s.text

    @property
    def scan(self) -> Scan:
        if self._scan is None:
            self._scan = Scan(self.s.text)
        return self._scan

    @property
    def words(self) -> Words:
        if self._words is None:
            self._words = Words(self.s.text)
        return self._words

    def past(self) -> list[DateMention]:
        if self._past is None:
            self._past = dates_in(self.s.text, self.published, "past")
        return self._past

    def future(self) -> list[DateMention]:
        if self._future is None:
            self._future = dates_in(self.s.text, self.published, "future")
        return self._future

    def set_clauses(self, seps: "re.Pattern[str]") -> None:
        self.clauses = clauses(self.s.text, seps)
        self._clause_starts = [c[0] for c in self.clauses]

    def clause_of(self, pos: int) -> Clause:
        i = bisect_right(self._clause_starts, pos) - 1
        if i >= 0 and pos < self.clauses[i][1]:
            return self.clauses[i]
        return self.clauses[-1]

    def crosses_clause(self, start: int, end: int) -> bool:
        """Whether a clause begins strictly inside (start, end)."""
        i = bisect_right(self._clause_starts, start)
        return i < len(self._clause_starts) and self._clause_starts[i] < end

    def clause(self, c: Clause) -> ClauseView:
        view = self._clause_views.get(c[0])
        if view is None or view.end != c[1]:
            text = self.s.text[c[0]:c[1]]
            view = self._clause_views[c[0]] = ClauseView(c[0], c[1], c[2], text, Scan(text))
        return view

    def has(self, pat: AnyPattern) -> bool:
        """Whether the pattern matches anywhere in the sentence."""
        return bool(self.scan.starts(pat))

    def slice_search(self, pat: AnyPattern, c: Clause, lo: int, hi: int) -> Optional["re.Match[str]"]:
        """`pat.search(text[lo:hi])` for a stretch of clause `c` (positions in the clause's text)."""
        text = self.s.text
        if c[0] <= lo and hi <= c[1]:
            cv = self.clause(c)
            rel = lo - c[0]
            # a match at the stretch's very start sees no word before it in the slice; in the
            # clause it may: where that could differ, read the slice itself
            if rel == 0 or not _BEHIND.match(cv.text, rel - 1) or rel >= len(cv.text) or cv.text[rel].isspace():
                return cv.scan.search(pat, rel, hi - c[0])
        return pat.search(text[lo:hi])


def dates_in(text: str, published: dt.date, tense: str) -> list[DateMention]:
    """Date phrases, less possessives ("Wednesday's agenda" names no happening's date)."""
    return [m for m in find_dates(text, published, tense) if not text.startswith(("'s", "’s"), m.end)]  # type: ignore[arg-type]


def clauses(text: str, seps: "re.Pattern[str]") -> list[Clause]:
    out: list[Clause] = []
    pos, opener = 0, ""
    for m in seps.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start(), opener))
        pos, opener = m.end(), m.group().strip().lower()
    out.append((pos, len(text), opener))
    return out
