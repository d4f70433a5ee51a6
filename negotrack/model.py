"""The records of negotrack: one pydantic model for every thing that is read, stored or reported.

Everything that crosses a module boundary is one of these, so the shape of the data is described
once, here, and validated where it enters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Precision = Literal["day", "week", "month"]
Origin = Literal["extracted", "manual"]
Stage = Literal["rule", "model"]  # which stage of extraction drew an event


class Record(BaseModel):
    """Base for stored records: unknown keys are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the standard vocabulary ---------------------------------------------------------------


class PhaseDef(Record):
    name: str
    description: str = ""


class PloverCode(Record):
    """An event type in PLOVER's terms (see negotrack/plover.py): category, mode, context."""

    event: str
    mode: str = ""
    context: str = ""


class EventTypeDef(Record):
    name: str
    description: str = ""
    cameo: str = ""
    plover: Optional[PloverCode] = None


DECISIVE_PHASES = ("agreed", "in_force", "collapsed", "cancelled", "suspended", "overtaken")


class SupportRules(Record):
    """What a move into a decisive phase needs before replay takes it (states/vocabulary.yaml
    `support:`, overridable per thread). One strong sign is enough: a confidence at or above
    `min_confidence`, `min_sources` distinct articles, or (with `attributed_counts`) a statement
    attributed to someone. `reject_penalty` is what machine-aware replay charges for each
    supported event its chosen history leaves rejected, beyond the event's own weight."""

    decisive: tuple[str, ...] = DECISIVE_PHASES
    min_confidence: float = Field(default=0.5, ge=0, le=1)
    min_sources: int = Field(default=2, ge=1)
    attributed_counts: bool = True
    reject_penalty: float = Field(default=0.0, ge=0)

    def merged(self, override: Optional["SupportOverride"]) -> "SupportRules":
        if override is None:
            return self
        return self.model_copy(update=override.model_dump(exclude_none=True))


class SupportOverride(Record):
    """A thread's own `support:` keys; whatever it leaves out comes from the vocabulary."""

    decisive: Optional[tuple[str, ...]] = None
    min_confidence: Optional[float] = Field(default=None, ge=0, le=1)
    min_sources: Optional[int] = Field(default=None, ge=1)
    attributed_counts: Optional[bool] = None
    reject_penalty: Optional[float] = Field(default=None, ge=0)


class Vocabulary(Record):
    """The standard phases and event types (states/vocabulary.yaml), plus a thread's own types."""

    phases: tuple[PhaseDef, ...]
    event_types: tuple[EventTypeDef, ...]
    support: SupportRules = Field(default_factory=SupportRules)

    @property
    def phase_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.phases)

    @property
    def event_type_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.event_types)


# --- thread definitions --------------------------------------------------------------------


class StateDef(Record):
    name: str
    phase: str
    description: str = ""
    final: bool = False
    replaces: Optional[str] = None  # in a thread on a machine: the machine's state this one renames


class TransitionDef(Record):
    """One edge: an event type moving the thread from any of `source` to `dest`.

    `dest` None means the event is taken and recorded but the state stays (an internal
    transition in `transitions`' terms): the `·` cells of the reference table.
    """

    trigger: str
    source: tuple[str, ...]
    dest: Optional[str] = None


class StartingPoint(Record):
    """Where a thread already under way starts, and on what grounds: the record form of
    `initial: {state, since, note, source}`. Status and replay show it as given by the file."""

    state: str
    since: Optional[dt.date] = None
    note: str = ""
    source: str = ""


class MachineDef(Record):
    """A shared machine (states/machines/NAME.yaml) that thread files take with `machine: NAME`."""

    name: str
    description: str = ""
    initial: str
    states: tuple[StateDef, ...]
    transitions: tuple[TransitionDef, ...]


class ThreadNames(Record):
    """What names a thread: its id and title, and the names extraction finds it by."""

    id: str
    title: str
    parties: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


class ThreadFile(ThreadNames):
    """A thread file as written: with `machine:` its states and transitions are only changes."""

    machine: Optional[str] = None
    initial: Optional[str] = None
    states: tuple[StateDef, ...] = ()
    transitions: tuple[TransitionDef, ...] = ()
    event_types: tuple[EventTypeDef, ...] = ()
    cues: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    support: Optional[SupportOverride] = None
    path: str = ""


class ThreadDef(ThreadNames):
    """A thread as replay runs it: its machine's states and transitions merged with its own."""

    initial: str
    states: tuple[StateDef, ...]
    transitions: tuple[TransitionDef, ...]
    event_types: tuple[EventTypeDef, ...] = ()
    cues: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    support: Optional[SupportOverride] = None
    path: str = ""
    machine: Optional[str] = None
    starting: Optional[StartingPoint] = None  # the record form of `initial:`, when given
    explain: str = ""  # how the states and edges came about (validate prints it)
    notes: tuple[str, ...] = ()  # harmless findings (unreachable standard states)

    def phase_of(self, state: str) -> str:
        for s in self.states:
            if s.name == state:
                return s.phase
        raise KeyError(state)

    def states_in_phase(self, phase: str) -> list[str]:
        return [s.name for s in self.states if s.phase == phase]


# --- the event log -------------------------------------------------------------------------


class Source(Record):
    """The article an event was read from; sha256 pins the exact text the quote is in."""

    path: str
    title: str = ""
    outlet: str = ""
    url: Optional[str] = None
    sha256: str = ""


class Evidence(Record):
    """The exact words, and where they stand in the article text (character offsets)."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Event(Record):
    id: str = ""
    thread: str
    type: str
    date: dt.date
    date_precision: Precision = "day"
    expected: Optional[dt.date] = None
    expected_precision: Optional[Precision] = None
    reported: dt.date
    source: Source
    evidence: Evidence
    actor: Optional[str] = None
    attribution: Optional[str] = None
    disputed_by: Optional[str] = None
    origin: Origin = "extracted"
    stage: Optional[Stage] = None  # extracted events: the lexicon's rules or a learned model
    cue: Optional[str] = None
    confidence: Optional[float] = None
    note: Optional[str] = None

    def content_id(self) -> str:
        """A stable id from what the event says and where: the same reading gives the same id."""
        key = "\x1f".join(
            [
                self.thread,
                self.type,
                self.date.isoformat(),
                self.expected.isoformat() if self.expected else "",
                self.source.sha256 or self.source.path,
                str(self.evidence.start),
                str(self.evidence.end),
            ]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def with_id(self) -> "Event":
        return self if self.id else self.model_copy(update={"id": self.content_id()})


# --- replay results ------------------------------------------------------------------------

Outcome = Literal["moved", "unchanged", "rejected", "held", "doubted", "dismissed"]
ReviewVerdict = Literal["confirm", "dismiss"]


class Review(Record):
    """One analyst's verdict on one event, appended to the workspace's `reviews.jsonl`.

    Extracted entries are never edited: a review sits beside them, keyed by the event's content
    id, and the latest review of an event wins."""

    event_id: str
    verdict: ReviewVerdict
    note: Optional[str] = None
    reason: Optional[str] = None  # why it was dismissed
    by: str
    at: dt.datetime  # UTC
    thread: str = ""  # what the event was, for a reader of the file
    type: str = ""
    date: Optional[dt.date] = None


class Blocked(Record):
    """A later event a doubted one would have forced the machine to reject."""

    event_id: str
    date: dt.date
    type: str


class SourceRef(Record):
    """A compact pointer to one article backing a happening."""

    path: str
    title: str = ""
    outlet: str = ""
    reported: dt.date
    quote: str


class Step(Record):
    """One row of the audit: what one happening did to one thread."""

    event_id: str
    date: dt.date
    type: str
    outcome: Outcome
    from_state: str
    to_state: str
    from_phase: str
    to_phase: str
    reason: str = ""
    sources: tuple[SourceRef, ...]
    expected: Optional[dt.date] = None
    confidence: Optional[float] = None  # of the happening, its articles taken together
    review: Optional[Review] = None  # the review that decided it, where there is one
    blocked: tuple[Blocked, ...] = ()  # doubted: the later events it would have blocked


class ThreadStatus(Record):
    thread: str
    title: str
    state: Optional[str]  # None while the thread is not yet tracked (as-of before its `since`)
    phase: Optional[str]
    since: Optional[dt.date]
    entered_by: Optional[Step]  # the event that put the thread in its current state
    last_event: Optional[Step]  # the latest event, whatever it did
    events: int
    rejected: int
    warnings: tuple[str, ...] = ()
    held: int = 0
    doubted: int = 0
    to_review: int = 0  # held, doubted or low-confidence events no one has reviewed yet
    tracked: bool = True
    starting: Optional[StartingPoint] = None  # the starting point given by the thread file
    overdue: bool = False  # a scheduled meeting whose expected date passed with no later report
    expected: Optional[dt.date] = None  # the date the thread is waiting for (scheduled talks)


class StartRow(Record):
    """The first row of an audit: where the thread starts, as given by its file (not an event)."""

    type: Literal["start"] = "start"
    outcome: Literal["given"] = "given"
    given_by: str  # the thread file
    state: str
    phase: str
    since: Optional[dt.date] = None
    note: str = ""
    source: str = ""
    tracked: bool = True  # False when the as-of date is before `since`
    # the same keys as an event's row, so a reader of the audit can treat every row alike
    date: Optional[dt.date] = None
    from_state: Optional[str] = None
    to_state: str = ""
    from_phase: Optional[str] = None
    to_phase: str = ""


# --- articles and extraction ---------------------------------------------------------------


class Article(Record):
    """An article as read: `text` is exactly what evidence spans index into and sha256 hashes.

    For plain text and Markdown it is the whole file as decoded; for HTML it is the main text
    drawn from the page. `body_start` is where the body begins (after front matter, headline,
    caption and date line), so extraction does not read the headline as news of its own.
    """

    path: str
    text: str
    title: str = ""
    published: dt.date
    outlet: str = ""
    url: Optional[str] = None
    body_start: int = 0
    sha256: str

    def source(self) -> Source:
        return Source(path=self.path, title=self.title, outlet=self.outlet, url=self.url, sha256=self.sha256)


class Discarded(Record):
    """A cue that fired but drew no event, kept so `extract` can say why (never replayed)."""

    path: str
    thread: Optional[str]
    type: str
    cue: str
    quote: str
    start: int
    end: int
    reason: str
    attribution: Optional[str] = None  # who made the claim, where a claim was denied
    disputed_by: Optional[str] = None  # who denied it: a disputed claim keeps both sides


class Suggestion(Record):
    """A happening extraction did not record but an analyst may want to: a learned reading below
    the threshold, or a cue set aside by a check. Shown, never recorded or replayed."""

    path: str
    thread: str
    type: str
    date: Optional[dt.date]  # None: a set-aside cue, which is not dated
    quote: str
    start: int
    end: int
    why: str


class Extraction(Record):
    """What one article yields: events to record, and the cues set aside with their reasons."""

    article: Article
    events: tuple[Event, ...]
    discarded: tuple[Discarded, ...] = ()
