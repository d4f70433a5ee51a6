"""The modality gauntlet: whether a cue in its clause reports a happening, and if not, why.

`CHECKS` is the order the checks are tried in; the first that objects names the reason the cue is
set aside (`extract --discarded` shows it). Each check reads one `Ctx`: the sentence, the cue,
its clause and thread, and the lexicon's word lists, settings and rules for the cue's type. What a
type is exempt from, or put through in addition, is said in states/lexicon.yaml, not here.

Some steps the checks lean on are worked out here too, once a cue has come far enough to need
them: whether it is a plan (`future`), the type it is read as (`read_type`) and its dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Optional

from negotrack.lexicon import CompiledLexicon, FoldedPattern, Settings, TypeCues
from negotrack.extract import attribution, dating
from negotrack.extract.cues import Hit
from negotrack.extract.threads import named_by_alias, sides_named
from negotrack.extract.view import WOULD, Clause, ClauseView, SentenceView

_YEAR = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d-])")
_TIME_OPENERS = ("after", "since", "before", "until")


@dataclass
class Ctx:
    """One cue as the checks see it. The cached properties are worked out when first asked for."""

    view: SentenceView
    hit: Hit
    clause: Clause
    thread: Optional[str]
    explicit: bool
    rules: TypeCues
    lex: CompiledLexicon
    known: frozenset[str]  # the thread's event types
    published: dt.date
    prev: Optional[SentenceView]
    quoted: Callable[[int], bool]  # whether an article offset is inside a quotation
    disputed_by: Optional[str] = None  # set by `denied`: who denies it
    shown_type: Optional[str] = None  # the type a discarded record names, if not the cue's

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def settings(self) -> Settings:
        return self.lex.lexicon.settings

    def list(self, name: str) -> FoldedPattern:
        return self.lex.lists[name]

    @cached_property
    def cv(self) -> ClauseView:
        return self.view.clause(self.clause)

    @cached_property
    def hedge_start(self) -> int:
        """Where the hedge window begins: the last `hedge_window` words before the cue's end
        (plus the cue's own words), inside its clause. A learned reading has no span of its own
        (its anchor is only the word that weighed most): its window is its whole clause."""
        h = self.hit
        if h.origin == "model":
            return self.clause[0]
        words = self.view.words
        return words.window(self.clause[0], h.end, self.settings.hedge_window + words.count(h.start, h.end))

    @cached_property
    def hedge_zone(self) -> str:
        end = self.clause[1] if self.hit.origin == "model" else self.hit.end
        return self.text[self.hedge_start:end]

    @cached_property
    def would(self) -> Optional[re.Match[str]]:
        return WOULD.search(self.hedge_zone)

    @cached_property
    def reported_would(self) -> bool:
        """"said it would resume": a speaker's verb before the "would", or after the cue."""
        scan, rep = self.view.scan, self.list("reporting")
        assert self.would is not None
        return bool(scan.search(rep, 0, self.hedge_start + self.would.start()) or scan.search(rep, self.hit.end))

    @property
    def scheduled_type(self) -> str:
        return self.settings.scheduled_type

    @property
    def hit_future(self) -> str:
        return self.hit.future or self.rules.future

    @cached_property
    def future(self) -> bool:
        """Planned or expected rather than done."""
        if self.hit.type == self.scheduled_type:
            return True
        if self.would is not None and self.reported_would:
            return True
        return bool(self.list("future").search(self.hedge_zone))

    @cached_property
    def read_type(self) -> str:
        """The type the cue is read as: a plan may make it the scheduled type, a partial
        agreement another (the type's `partial_becomes`)."""
        h, rules, scheduled = self.hit, self.rules, self.scheduled_type
        read = h.type
        if rules.partial_becomes and self.view.has(self.list("partial")):
            read = rules.partial_becomes
        if self.future and h.type != scheduled and self.hit_future == "schedule":
            read = scheduled
        if rules.scheduled_when_dated_ahead and not self.future:
            ahead = dating.future_date(self.view, h, self.clause, self.published)
            if ahead is not None and ahead.date > self.published and self.view.scan.search(self.list("future"), h.end, self.clause[1] + 40):
                read = scheduled
        return read

    @cached_property
    def dated(self) -> dating.Dated:
        return dating.date_of(self.view, self.hit, self.clause, self.prev, self.published,
                              self.read_type == self.scheduled_type, self.list("demonstrative"))


# --- the checks, in the order they are tried ---------------------------------------------------


def no_thread(c: Ctx) -> Optional[str]:
    return "no tracked thread in this sentence or its context" if c.thread is None else None


def thread_type(c: Ctx) -> Optional[str]:
    return None if c.hit.type in c.known else f"{c.hit.type} is not an event type of {c.thread}"


def explicit_thread(c: Ctx) -> Optional[str]:
    if c.rules.explicit_thread and not named_by_alias(c.view, c.thread or ""):
        return "needs the thread named in the sentence"
    return None


def process(c: Ctx) -> Optional[str]:
    """Types that say `needs: process`, and every reading of the learned typer (it has seen
    sentences, not articles: "Kyiv dismissed that account" reads as a rejection to it), need the
    sentence to speak of talks, a deal or the sides."""
    needs = c.rules.needs == "process" or c.hit.origin == "model"
    if needs and not c.view.has(c.list("process")) and not sides_named(c.view, c.thread or ""):
        return "no talks, deal or delegation in the sentence"
    return None


def continues_background(c: Ctx) -> Optional[str]:
    """"Those talks have since stalled" after a sentence about an old happening."""
    prev = c.prev
    if prev is not None and c.view.scan.match(c.list("demonstrative")) and prev.past():
        last = prev.past()[-1]
        if (c.published - last.date).days > c.settings.background_days:
            return f"background: continues a sentence about {last.text}"
    return None


def quoted(c: Ctx) -> Optional[str]:
    if c.quoted(c.view.s.start + c.hit.start):
        return "inside a quotation (rhetoric, not a report)"
    return None


def other_forum(c: Ctx) -> Optional[str]:
    if c.rules.meeting and c.cv.search(c.list("distractor")):
        return "a meeting of another forum (not a round of these talks)"
    return None


def negated(c: Ctx) -> Optional[str]:
    """Negation before the cue in its clause, or inside the cue's own gaps ("negotiations would
    not resume"), except for a cue that carries a negation itself ("ended without a breakthrough")."""
    h, words = c.hit, c.view.words
    reach = h.start if h.self_negating else h.end
    lo = words.window(c.clause[0], reach, c.settings.negation_window + words.count(h.start, reach))
    return "negated" if c.list("negation").search(c.text[lo:reach]) else None


def denied(c: Ctx) -> Optional[str]:
    m = c.view.scan.search(c.list("denial"), 0, c.hit.start)
    if m is None:
        return None
    c.disputed_by = attribution.subject_in(c.view, m.start())
    return "denied"


def disputes_report(c: Ctx) -> Optional[str]:
    """"Estria's envoy dismissed that report": a sentence that rejects a report or claim is about
    the report, not a happening of its own (a reading of "dismissed" as a rejected proposal)."""
    m = c.view.scan.search(c.list("retraction"), 0, len(c.view.text))
    if m is None:
        return None
    c.disputed_by = attribution.subject_in(c.view, m.start())
    return "disputes a report or claim: not a happening of its own"


def conditional(c: Ctx) -> Optional[str]:
    cond = c.list("conditional")
    if c.view.scan.search(cond, 0, c.hit.start) or c.cv.search(cond):
        return "conditional or open question"
    return None


def hedged(c: Ctx) -> Optional[str]:
    return "hedged or hypothetical (could, may, likely ...)" if c.list("hedge").search(c.hedge_zone) else None


def aspiration(c: Ctx) -> Optional[str]:
    if c.list("aspiration").search(c.hedge_zone):
        return "a wish or an effort (hopes, ready to, tries to ...), not a happening"
    return None


def who_clause(c: Ctx) -> Optional[str]:
    memo = c.cv.memo
    if "who" not in memo:
        memo["who"] = c.cv.text.lstrip().lower().startswith(("who ", "whose "))
    if memo["who"]:
        return "describes a person (a 'who' clause), not news"
    return None


def when_clause(c: Ctx) -> Optional[str]:
    cs, scan = c.clause[0], c.view.scan
    if c.clause[2] in ("when", "once") and (scan.search(WOULD, 0, cs) or scan.search(c.list("future"), 0, cs)):
        return "in a 'when' clause of a plan: not yet happened"
    return None


def talks_offer(c: Ctx) -> Optional[str]:
    if c.view.scan.search(c.list("talks_offer"), c.hit.start, c.clause[1]):
        return "accepts an offer of talks, not a proposal under negotiation"
    return None


def position(c: Ctx) -> Optional[str]:
    return "a stated position or demand, not a happening" if c.list("position").search(c.hedge_zone) else None


def background(c: Ctx) -> Optional[str]:
    bg, h, cl = c.list("background"), c.hit, c.clause
    if c.view.slice_search(bg, cl, cl[0], h.start) or c.view.slice_search(bg, cl, h.end, cl[1]):
        return "background: a plan that lapsed or a happening long past"
    return None


def would(c: Ctx) -> Optional[str]:
    return "hypothetical (would)" if c.would is not None and not c.reported_would else None


def not_yet(c: Ctx) -> Optional[str]:
    if c.future and c.hit.type != c.scheduled_type and c.hit_future == "discard":
        return "planned or expected, not yet happened"
    return None


def read_type(c: Ctx) -> Optional[str]:
    if c.read_type in c.known:
        return None
    c.shown_type = c.read_type
    return f"{c.read_type} is not an event type of {c.thread}"


def placed_in_time(c: Ctx) -> Optional[str]:
    """"after talks broke down, ...": the happening only places another in time."""
    if c.read_type != c.scheduled_type and c.clause[2] in _TIME_OPENERS and not dating.has_own_past_date(c.view, c.clause):
        return "background: a happening named only to place another in time"
    return None


def dated_year(c: Ctx) -> Optional[str]:
    if "year" not in c.cv.memo:
        c.cv.memo["year"] = _YEAR.search(c.cv.text)
    year = c.cv.memo["year"]
    if year and int(year.group()) < c.published.year and not c.dated.own:
        return f"background: dated {year.group()}"
    return None


def long_past(c: Ctx) -> Optional[str]:
    date = c.dated.date
    if (c.published - date).days > c.settings.background_days:
        return f"background: happened {date.isoformat()}, long before publication"
    return None


Check = Callable[[Ctx], Optional[str]]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("no_thread", no_thread),
    ("thread_type", thread_type),
    ("explicit_thread", explicit_thread),
    ("process", process),
    ("continues_background", continues_background),
    ("quoted", quoted),
    ("other_forum", other_forum),
    ("negated", negated),
    ("denied", denied),
    ("disputes_report", disputes_report),
    ("conditional", conditional),
    ("hedged", hedged),
    ("aspiration", aspiration),
    ("who_clause", who_clause),
    ("when_clause", when_clause),
    ("talks_offer", talks_offer),
    ("position", position),
    ("background", background),
    ("would", would),
    ("not_yet", not_yet),
    ("read_type", read_type),
    ("placed_in_time", placed_in_time),
    ("dated_year", dated_year),
    ("long_past", long_past),
)
# Checks a type runs only when its `checks:` lists them; and checks no type may be exempt from
# (without a thread and its types there is nothing to read the cue as).
OPT_IN = frozenset({"talks_offer"})
REQUIRED = frozenset({"no_thread", "thread_type", "read_type"})


def opt_in_checks() -> tuple[str, ...]:
    return tuple(n for n, _ in CHECKS if n in OPT_IN)


def exemptable_checks() -> tuple[str, ...]:
    return tuple(n for n, _ in CHECKS if n not in OPT_IN and n not in REQUIRED)


def first_objection(c: Ctx) -> Optional[tuple[str, str]]:
    """The first check (in table order) that sets the cue aside: its name and reason."""
    rules = c.rules
    for name, check in CHECKS:
        if name in OPT_IN and name not in rules.checks or name in rules.exempt:
            continue
        reason = check(c)
        if reason is not None:
            return name, reason
    return None
