"""Who says so: the speaker a reported event is attributed to, and who denied a claim."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from negotrack.extract.view import SentenceView

_ACCORDING = re.compile(r"according to ([^,.;]+)", re.IGNORECASE)
_SPEAKER = re.compile(r"(?:^|[,;]\s*)((?:[A-Z][\w.'’-]*\s+){0,5}?(?:[A-Z][\w.'’-]*|spokesman|spokeswoman|spokesperson|official|officials|sources|diplomats|minister|newspaper|agency|media|outlet|television|radio))\s*(?:,[^,]{0,80},\s*)?(?:said|says|told|announced|wrote|confirmed|declared|reported)\b")
_BREAK = re.compile(r"[,;:—–]")
_TRAILING_DATE = re.compile(r"\s+(?:late\s+|early\s+)?on\s+\S+$|\s+(?:yesterday|today|earlier|later)$", re.IGNORECASE)
SUBJECT_WORDS = 6
# the words a subject is read from: its SUBJECT_WORDS, the date words after them ("late on
# Friday") and one word more, which may be cut
_TAIL_WORDS = SUBJECT_WORDS + 5


def speaker(text: str) -> tuple[Optional[str], Optional[str]]:
    """Who said it ("according to Y" or "X said"): kept as the attribution of a reported event."""
    m = _ACCORDING.search(text)
    if m:
        return None, m.group(1).strip()
    m = _SPEAKER.search(text)
    if m:
        who = m.group(1).strip()
        return who, who
    return None, None


def speaker_of(view: SentenceView) -> tuple[Optional[str], Optional[str]]:
    if "speaker" not in view.memo:
        view.memo["speaker"] = speaker(view.text)
    return view.memo["speaker"]


def subject_before(text: str, end: int, breaks: Optional[list[int]] = None) -> Optional[str]:
    """Who denies: the words of the clause before the denial verb ("Israel's foreign ministry").

    Only the clause's last words are read (a clause may be a whole long sentence); `breaks`, the
    sorted places of `_BREAK` in text, saves looking for the clause's start again."""
    if breaks is None:
        breaks = [m.start() for m in _BREAK.finditer(text, 0, end)]
    i = bisect_left(breaks, end) - 1
    lo = breaks[i] + 1 if i >= 0 else 0
    clause = _tail(text, lo, end)
    clause = _TRAILING_DATE.sub("", clause.strip())
    words = clause.split()[-SUBJECT_WORDS:]
    return " ".join(words).strip() or None


def _tail(text: str, lo: int, hi: int) -> str:
    """text[lo:hi], or a stretch at its end holding its last _TAIL_WORDS words and more."""
    span = 256
    while hi - span > lo:
        piece = text[hi - span:hi]
        if len(piece.split()) > _TAIL_WORDS:
            return piece
        span *= 2
    return text[lo:hi]


def subject_in(view: SentenceView, end: int) -> Optional[str]:
    if "breaks" not in view.memo:
        view.memo["breaks"] = [m.start() for m in _BREAK.finditer(view.text)]
    return subject_before(view.text, end, view.memo["breaks"])
