"""Dates in news text, resolved against the article's publication date.

News rarely gives full dates: "on Thursday", "last week", "Oct. 7". An event's date is when it
happened, so each phrase is turned into a calendar date relative to the day the article was
published, with a precision (day, week or month) saying how much the phrase really told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Optional

Precision = Literal["day", "week", "month"]
Tense = Literal["past", "future"]


@dataclass(frozen=True)
class DateMention:
    """One date phrase: where it stands in the text, the date it means and how precisely."""

    start: int
    end: int
    date: date
    precision: Precision
    text: str


# --- vocabulary ------------------------------------------------------------------------------

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Month words (capitalised only: "march" and "may" in lower case are a verb and a modal).
_MONTH_NUMBER: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7,
    "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}
_WEEKDAY_NUMBER: dict[str, int] = {name: i for i, name in enumerate(_WEEKDAY_NAMES)}

# Full names before abbreviations so "June" is not read as "Jun" + "e"; only an abbreviation
# takes a dot ("Sept."), so a full name does not swallow the full stop after it.
_MONTH_ABBR = sorted(set(_MONTH_NUMBER) - set(_MONTH_NAMES), key=len, reverse=True)
_MONTH_ANY = (
    "(?:" + "|".join(_MONTH_NAMES) + "|(?:" + "|".join(_MONTH_ABBR) + r")\.?)(?![A-Za-z])"
)
_MONTH_FULL = "(?:" + "|".join(_MONTH_NAMES) + r")(?![A-Za-z'’])"
_WEEKDAY = "(?:" + "|".join(_WEEKDAY_NAMES) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_TIME_OF_DAY = r"(?:\s+(?:night|morning|afternoon|evening))?"
# Words after which a bare month name ("in April") is a date and not, say, a person's name.
_MONTH_LEAD = "|".join(
    f"(?<=\\b{w} )" for w in ("in", "In", "since", "Since", "until", "by", "By", "from", "early",
                              "late", "during", "before", "after", "through")
) + "|(?<=\\bmid-)"


def _cap(word: str) -> str:
    """`word` with its first letter either case: relative phrases may open a sentence."""
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


# Every alternative starts a word, and its lookahead names the characters it can start with:
# checking these first keeps the scan fast (the engine cannot rule alternatives out by itself).
_PATTERN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        [
            r"(?=\d)(?P<iso>(?<!-)(?P<iso_y>\d{4})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)(?![\d-]))",
            # "Thursday, March 21, 2024" / "April 7" / "Sept. 1"
            rf"(?=[A-Z])(?P<mdy>(?:{_WEEKDAY},?\s+)?(?P<mdy_m>{_MONTH_ANY})\s+(?P<mdy_d>{_DAY})"
            rf"(?:,?\s+(?P<mdy_y>{_YEAR}))?)",
            # "7 April 2024" / "the 7th of April"
            rf"(?=[\dA-Z])(?P<dmy>(?:{_WEEKDAY},?\s+)?(?P<dmy_d>{_DAY})\s+(?:of\s+)?"
            rf"(?P<dmy_m>{_MONTH_ANY})(?:,?\s+(?P<dmy_y>{_YEAR}))?)",
            # "April 2024"
            rf"(?=[A-Z])(?P<my>(?P<my_m>{_MONTH_ANY})\s+(?P<my_y>{_YEAR}))",
            # "in April", "mid-June" (a bare month name alone may be a person: "May")
            rf"(?=[A-Z])(?P<month>(?:{_MONTH_LEAD})(?P<month_m>{_MONTH_FULL})(?!\s*\d))",
            # "on the 7th" (not "the 7th round", "the 7th of April")
            rf"(?=t)(?P<nth>(?<=[Oo]n )the\s+(?P<nth_d>{_DAY})(?!\s+[a-z])(?!\s+{_MONTH_ANY}))",
            rf"(?=[TtYyLlEe])(?P<rel_day>(?:[Tt]he day (?:before yesterday|after tomorrow)"
            rf"|{_cap('yesterday')}|(?:{_cap('earlier')} |{_cap('later')} )?{_cap('today')}"
            rf"|{_cap('tonight')}|{_cap('tomorrow')}|{_cap('last')} night"
            rf"|{_cap('this')} (?:morning|afternoon|evening))\b)",
            rf"(?=[LlTtNnOoAaDd])(?P<weekend>(?:{_cap('last')}|{_cap('this')}|{_cap('next')}"
            rf"|{_cap('over')} the|{_cap('at')} the|{_cap('during')} the) weekend\b)",
            rf"(?=[EeLlTtNn])(?P<week>(?:(?:{_cap('earlier')} |{_cap('later')} )?{_cap('this')}"
            rf"|{_cap('last')}|{_cap('next')}) week\b)",
            rf"(?=[EeLlTtNn])(?P<rel_month>(?:(?:{_cap('earlier')} |{_cap('later')} )?"
            rf"{_cap('this')}|{_cap('last')}|{_cap('next')}) month\b)",
            rf"(?=[LlNnTtMWFS])(?P<weekday>(?:(?P<wd_mod>{_cap('last')}|{_cap('next')}"
            rf"|{_cap('this')})\s+)?(?P<wd>{_WEEKDAY}){_TIME_OF_DAY}\b)",
        ]
    )
    + ")"
)

# A cheap test run first, as most sentences name no date at all: every phrase above holds one of
# these strings, or a number that is an ordinal ("the 7th") or part of an ISO date.
_ANCHORS = ("day", "night", "omorrow", "week", "month", "morning", "afternoon", "evening") + tuple(
    name[:3] for name in _MONTH_NAMES
)
_NUMERIC_ANCHOR = re.compile(r"\d(?:st|nd|rd|th)\b|\d-\d\d-")


def _may_hold_date(text: str) -> bool:
    return any(a in text for a in _ANCHORS) or _NUMERIC_ANCHOR.search(text) is not None


# --- resolution ------------------------------------------------------------------------------


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _first_of_month(d: date, months_ahead: int = 0) -> date:
    index = d.year * 12 + d.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_weekday(weekday: int, modifier: str, published: date, tense: Tense) -> date:
    """Past: the latest such day on or before publication; future: the next on or after it.

    "last X" is always strictly before publication, "next X" always strictly after.
    """
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if modifier == "last":
        return published - timedelta(days=back or 7)
    if modifier == "next":
        return published + timedelta(days=ahead or 7)
    if tense == "future":
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def _resolve_day_month(month: int, day: int, published: date, tense: Tense) -> Optional[date]:
    """A day and month without a year: past takes the latest such date up to a day after
    publication (the news may carry another time zone's date); future the earliest on or after."""
    if tense == "future":
        candidates = (_safe_date(published.year + k, month, day) for k in range(0, 5))
        return next((d for d in candidates if d and d >= published), None)
    limit = published + timedelta(days=1)
    candidates = (_safe_date(published.year + 1 - k, month, day) for k in range(0, 6))
    return next((d for d in candidates if d and d <= limit), None)


def _resolve_month(month: int, published: date, tense: Tense) -> date:
    """A bare month ("in April"): the latest one begun by publication, or the next one to come."""
    year = published.year
    if tense == "future":
        return date(year if month >= published.month else year + 1, month, 1)
    return date(year if month <= published.month else year - 1, month, 1)


def _resolve_nth(day: int, published: date, tense: Tense) -> Optional[date]:
    """"on the 7th": that day of the publication month, or of the month before (past) or after
    (future) when the day has not come yet (or has already passed)."""
    here = _safe_date(published.year, published.month, day)
    if tense == "past" and (here is None or here > published):
        prev = _first_of_month(published, -1)
        return _safe_date(prev.year, prev.month, day)
    if tense == "future" and (here is None or here < published):
        nxt = _first_of_month(published, 1)
        return _safe_date(nxt.year, nxt.month, day)
    return here


def _first_word(phrase: str) -> str:
    return phrase.split()[0].lower()


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


_Resolved = Optional[tuple[date, Precision]]


def _resolve(m: re.Match[str], published: date, tense: Tense) -> _Resolved:
    """The date and precision one match of `_PATTERN` stands for (None: not a real date).

    `lastgroup` names the alternative that matched: its group encloses the others, so closes last.
    """
    kind = m.lastgroup
    g = m.group
    if kind == "iso":
        d = _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return (d, "day") if d else None
    if kind in ("mdy", "dmy"):
        month = _MONTH_NUMBER[g(f"{kind}_m").rstrip(".")]
        day = _day_number(g(f"{kind}_d"))
        year = g(f"{kind}_y")
        if year:
            d = _safe_date(int(year), month, day)
        else:
            d = _resolve_day_month(month, day, published, tense)
        return (d, "day") if d else None
    if kind == "my":
        return date(int(g("my_y")), _MONTH_NUMBER[g("my_m").rstrip(".")], 1), "month"
    if kind == "month":
        return _resolve_month(_MONTH_NUMBER[g("month_m")], published, tense), "month"
    if kind == "nth":
        d = _resolve_nth(_day_number(g("nth_d")), published, tense)
        return (d, "day") if d else None
    if kind == "rel_day":
        return published + timedelta(days=_relative_day(m.group())), "day"
    if kind == "weekend":
        return _resolve_weekend(_first_word(m.group()), published, tense), "day"
    if kind == "week":
        shift = {"last": -1, "next": 1}.get(m.group().lower().split()[-2], 0)
        return _monday(published) + timedelta(weeks=shift), "week"
    if kind == "rel_month":
        shift = {"last": -1, "next": 1}.get(m.group().lower().split()[-2], 0)
        return _first_of_month(published, shift), "month"
    if kind == "weekday":
        modifier = (g("wd_mod") or "").lower()
        return _resolve_weekday(_WEEKDAY_NUMBER[g("wd")], modifier, published, tense), "day"
    return None


# "due on May 1", "a deadline of May 1", "expires May 1": a date named as a deadline is the
# nearest such date, before or after publication, even in a sentence read as past.
_DEADLINE = re.compile(
    r"\b(?:[Dd]ue|[Dd]eadline(?: of| is)?|[Ee]xpires?|[Ee]xpiring|[Ee]xpiry(?: date)?(?: of| is)?|[Ll]apses?)"
    r"\s+(?:on\s+|by\s+|in\s+)?$"
    r"|\b[Bb]y\s+$"  # "report by July": a deadline, which may lie either side of publication
)


def _nearest(m: re.Match[str], published: date) -> _Resolved:
    """The reading of `m` closest to publication, past or future."""
    options = [r for r in (_resolve(m, published, "past"), _resolve(m, published, "future")) if r is not None]
    return min(options, key=lambda r: abs((r[0] - published).days)) if options else None


def _relative_day(phrase: str) -> int:
    """Days from publication for "yesterday", "tonight", "last night" and the like."""
    phrase = phrase.lower()
    if phrase.endswith("before yesterday"):
        return -2
    if phrase.endswith("after tomorrow"):
        return 2
    if phrase.endswith("yesterday") or phrase == "last night":
        return -1
    if phrase.endswith("tomorrow"):
        return 1
    return 0


def _resolve_weekend(modifier: str, published: date, tense: Tense) -> date:
    """The Saturday of the weekend meant; weeks run Monday to Sunday."""
    saturday = _monday(published) + timedelta(days=5)
    if modifier == "last":
        return saturday - timedelta(weeks=1)
    if modifier == "next":
        return saturday + timedelta(weeks=1)
    if modifier == "this":
        return saturday
    # "over the weekend": the latest weekend begun by publication, or the coming one.
    if tense == "future":
        return saturday
    return saturday if published >= saturday else saturday - timedelta(weeks=1)


# --- public ----------------------------------------------------------------------------------


def find_dates(text: str, published: date, tense: Tense = "past") -> list[DateMention]:
    """Every date phrase in `text`, in order, resolved against `published`.

    `tense` says which way an ambiguous phrase ("on Thursday", "April 7") points: to the latest
    such day up to publication (past) or the first from publication on (future).
    """
    if not _may_hold_date(text):
        return []
    mentions: list[DateMention] = []
    for m in _PATTERN.finditer(text):
        if tense == "past" and _DEADLINE.search(text, max(0, m.start() - 40), m.start()):
            resolved = _nearest(m, published)
        else:
            resolved = _resolve(m, published, tense)
        if resolved is not None:
            mentions.append(DateMention(m.start(), m.end(), resolved[0], resolved[1], m.group()))
    return mentions


_DATE_LINE = re.compile(
    rf"\s*(?:{_WEEKDAY},?\s+)?(?:"
    rf"(?P<mdy_m>{_MONTH_ANY})\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR})"
    rf"|(?P<dmy_d>{_DAY})\s+(?P<dmy_m>{_MONTH_ANY}),?\s+(?P<dmy_y>{_YEAR})"
    rf"|(?P<iso_y>\d{{4}})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d))\s*"
)


def parse_date_line(line: str) -> Optional[date]:
    """The date an article's date line gives ("March 22, 2024", "22 March 2024", "2024-03-22").

    The whole line must be the date, so a body sentence that starts with one is not taken.
    """
    m = _DATE_LINE.fullmatch(line)
    if not m:
        return None
    if m.group("iso_y"):
        return _safe_date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
    kind = "mdy" if m.group("mdy_m") else "dmy"
    month = _MONTH_NUMBER[m.group(f"{kind}_m").rstrip(".")]
    return _safe_date(int(m.group(f"{kind}_y")), month, _day_number(m.group(f"{kind}_d")))
