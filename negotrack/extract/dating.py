"""When a cue's happening took place, and when a planned one is expected.

An event's date is a date phrase in its own clause, else when the speaker said it, else a date
of a cue-free part of the sentence, else the paragraph's running date, else the publication
day. A plan is dated when it was announced, and `expected` is its planned date.

Each choice is "the date phrase nearest the cue" among some of the sentence's dates: the dates
are sorted once per sentence, so the choice is a bisection, not a scan of every date (a long
sentence has as many dates as cues).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Optional

from negotrack.dates import DateMention
from negotrack.lexicon import FoldedPattern
from negotrack.extract.cues import Hit
from negotrack.extract.view import Clause, SentenceView

_REPORT_BEFORE = re.compile(r"(?:said|says|told|announced|stated|added|wrote|tweeted|confirmed|declared|reported)(?:\s+[\w.]+){0,3}?\s*$", re.IGNORECASE)
_REPORT_AFTER = re.compile(r"^,?\s*(?:said|says|told|announced|wrote|confirmed|declared)\b", re.IGNORECASE)
PLAN_REACH = dt.timedelta(days=6)  # a "planned" date a few days past is still the plan's date


@dataclass(frozen=True)
class Dated:
    date: dt.date
    precision: str
    own: bool  # the sentence itself dates it (not the context or the publication day)
    expected: Optional[DateMention] = None


def is_speech_date(text: str, m: DateMention) -> bool:
    """A date right after "said" (or before ", said"): when it was said, not when it happened."""
    return bool(_REPORT_BEFORE.search(text[max(0, m.start - 40):m.start]) or _REPORT_AFTER.match(text[m.end:m.end + 20]))


class _Sorted:
    """Date mentions in order of start, for nearest-to-a-position questions."""

    def __init__(self, items: list[DateMention]) -> None:
        self.items = items
        self.starts = [m.start for m in items]

    def range(self, lo: int, hi: int) -> tuple[int, int]:
        """Indexes of the mentions that start in [lo, hi)."""
        return bisect_left(self.starts, lo), bisect_left(self.starts, hi)

    def nearest(self, pos: int, a: int = 0, b: Optional[int] = None, skip: Optional[int] = None) -> Optional[DateMention]:
        """The mention in [a, b) starting nearest `pos`, the earlier on a tie (as `min` over the
        list would), leaving out the one that starts at `skip`."""
        b = len(self.items) if b is None else b
        i = bisect_left(self.starts, pos, a, b)
        left, right = i - 1, i
        if left >= a and self.starts[left] == skip:
            left -= 1
        if right < b and self.starts[right] == skip:
            right += 1
        if left < a:
            return self.items[right] if right < b else None
        if right >= b or pos - self.starts[left] <= self.starts[right] - pos:
            return self.items[left]
        return self.items[right]


class _Dates:
    """One tense's date mentions of a sentence, split by whether each is a speech date."""

    def __init__(self, text: str, mentions: list[DateMention]) -> None:
        speech = [is_speech_date(text, m) for m in mentions]
        self.all = _Sorted(mentions)
        self.speech = _Sorted([m for m, s in zip(mentions, speech) if s])
        self.plain = _Sorted([m for m, s in zip(mentions, speech) if not s])


def _past(view: SentenceView) -> _Dates:
    if "past" not in view.memo:
        view.memo["past"] = _Dates(view.text, view.past())
    return view.memo["past"]


def _future(view: SentenceView) -> _Dates:
    if "future" not in view.memo:
        view.memo["future"] = _Dates(view.text, view.future())
    return view.memo["future"]


def has_own_past_date(view: SentenceView, clause: Clause) -> bool:
    """A past date phrase (not a speech date) in the clause."""
    a, b = _past(view).plain.range(clause[0], clause[1])
    return a < b


def date_of(view: SentenceView, hit: Hit, clause: Clause, prev: Optional[SentenceView], published: dt.date,
            scheduled: bool, demonstrative: FoldedPattern) -> Dated:
    """The event's date; for a planned meeting, when it was announced, and its expected date."""
    if scheduled:
        expected = future_date(view, hit, clause, published)
        return Dated(*said_date(view, hit, published, expected), expected=expected)
    return Dated(*event_date(view, hit, clause, prev, published, demonstrative))


def future_date(view: SentenceView, hit: Hit, clause: Clause, published: dt.date) -> Optional[DateMention]:
    """The planned date: a non-speech date phrase in the clause, else after the cue in the sentence."""
    plain = _future(view).plain
    a, b = plain.range(clause[0], clause[1])
    lo, hi = (clause[0], clause[1]) if a < b else (hit.end, 1 << 62)
    recent = _recent_future(view, published)
    a, b = recent.range(lo, hi)
    if a >= b:
        return None
    # dates from the cue on come first, the nearest to its end; else the last before the cue
    after = max(a, bisect_left(recent.starts, hit.start))
    if after < b:
        return recent.nearest(hit.end, after, b)
    return recent.items[b - 1]


def _recent_future(view: SentenceView, published: dt.date) -> _Sorted:
    if "recent_future" not in view.memo:
        view.memo["recent_future"] = _Sorted([m for m in _future(view).plain.items if m.date >= published - PLAN_REACH])
    return view.memo["recent_future"]


def said_date(view: SentenceView, hit: Hit, published: dt.date, expected: Optional[DateMention]) -> tuple[dt.date, str, bool]:
    """When a plan was announced: the speech date, another past date in the sentence, or publication."""
    past = _past(view)
    m = past.speech.nearest(hit.start)
    if m is not None:
        return m.date, m.precision, True
    if "known_by_then" not in view.memo:
        view.memo["known_by_then"] = _Sorted([m for m in past.all.items if m.date <= published])
    m = view.memo["known_by_then"].nearest(hit.start, skip=expected.start if expected else None)
    if m is not None:
        return m.date, m.precision, True
    return published, "day", False


def event_date(view: SentenceView, hit: Hit, clause: Clause, prev: Optional[SentenceView], published: dt.date,
               demonstrative: FoldedPattern) -> tuple[dt.date, str, bool]:
    past = _past(view)
    if hit.date == "clause":
        m = _own_clause_date(past.plain, hit, clause)
        if m is not None:
            return m.date, m.precision, True
    m = past.speech.nearest(hit.start)
    if m is not None:
        return m.date, m.precision, True
    if hit.date == "clause":
        m = _free(view).nearest(hit.start)
        if m is not None:
            return m.date, m.precision, True
    if prev is not None and view.past() == [] and prev.past():
        if view.scan.match(demonstrative):
            m = prev.past()[-1]
            return m.date, m.precision, True
        last = prev.past()[-1]
        if last.precision == "day":
            return last.date, last.precision, False
    return published, "day", False


def _own_clause_date(plain: _Sorted, hit: Hit, clause: Clause) -> Optional[DateMention]:
    """The clause's date phrase nearest the cue. A date inside the cue's own gap dates its object
    ("the exchange agreed last month began on Friday"), so dates outside the cue come first."""
    a, b = plain.range(clause[0], clause[1])
    if a >= b:
        return None
    starts = plain.starts
    first_inside = bisect_right(starts, hit.start, a, b)  # starts after the cue's start
    first_after = bisect_left(starts, hit.end, a, b)  # starts at or after its end
    left = plain.items[first_inside - 1] if first_inside > a else None
    right = plain.items[first_after] if first_after < b else None
    if left is not None and (right is None or hit.start - left.start <= right.start - hit.start):
        return left
    if right is not None:
        return right
    return plain.items[first_inside]  # every date is inside the cue: the first of them


def _free(view: SentenceView) -> _Sorted:
    """Past dates in no cue's clause: a date of the sentence that dates no other happening."""
    if "free" not in view.memo:
        taken = {view.clause_of(h.start) for h in view.hits}

        def in_taken(pos: int) -> bool:
            c = view.clause_of(pos)
            return c in taken and c[0] <= pos < c[1]

        view.memo["free"] = _Sorted([m for m in _past(view).all.items if not in_taken(m.start)])
    return view.memo["free"]
