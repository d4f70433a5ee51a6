"""Replay: a thread's events, in (date, reported, id) order, through its `transitions` machine.

Every happening gets a row: moved, unchanged, or rejected with the reason. The same happening
told by several articles (same thread, type, date and expected date) is replayed once and keeps
all its sources. The order depends only on the events, never on the order of files on disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from negotrack.eventlog import DATE, EXPECTED, ID, REPORTED, TYPE, LogEntry
from negotrack.machines import machine_for
from negotrack.model import Event, ThreadDef


@dataclass(slots=True)
class Row:
    """One happening and what the machine did with it."""

    entries: list[LogEntry]  # every report of the happening, the earliest first
    outcome: str
    from_state: str
    to_state: str
    reason: str = ""

    @property
    def entry(self) -> LogEntry:
        return LogEntry._make(self.entries[0])


@dataclass
class ReplayResult:
    thread: ThreadDef
    initial: str
    state: str
    rows: list[Row] = field(default_factory=list)  # every happening (when asked for: the audit)
    since: Optional[str] = None  # date the thread entered `state`
    moved_by: Optional[Row] = None  # the row that put it there
    last: Optional[Row] = None  # the latest happening
    events: int = 0  # reports replayed (a happening told twice counts two)
    rejected: int = 0  # happenings the machine refused

    @property
    def phase(self) -> str:
        return self.thread.phase_of(self.state)


def as_entry(event: Event, ref: int = 0) -> LogEntry:
    """An Event in replay's form; `ref` (its index in the caller's list) stands in for the line."""
    return LogEntry(
        event.date.isoformat(),
        event.reported.isoformat(),
        event.id or event.content_id(),
        event.thread,
        event.type,
        event.expected.isoformat() if event.expected else None,
        "",
        ref,
        event.confidence,
        bool(event.attribution or event.actor),
        event.origin,
    )


def happenings(entries: Iterable[LogEntry], as_of: Optional[str] = None, known_at: Optional[str] = None) -> list[list[LogEntry]]:
    """Filter by the two clocks, merge reports of one happening, and order them.

    Entries sort as tuples, (date, reported, id) first; a happening's group is then created by
    its earliest report, so the groups come out in replay order with no second sort.
    """
    if as_of is not None or known_at is not None:
        entries = [e for e in entries if (as_of is None or e[DATE] <= as_of) and (known_at is None or e[REPORTED] <= known_at)]
    groups: dict[tuple, list[LogEntry]] = {}
    for e in sorted(entries):
        key = (e[TYPE], e[DATE], e[EXPECTED])  # one happening
        group = groups.get(key)
        if group is None:
            groups[key] = [e]
        elif e[ID] != group[-1][ID]:  # the same event recorded twice (ids are content-derived) counts once
            group.append(e)
    return list(groups.values())


def replay(
    thread: ThreadDef,
    entries: Iterable[LogEntry] | Sequence[Event],
    *,
    initial_state: Optional[str] = None,
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
    keep_rows: bool = True,
) -> ReplayResult:
    """Replay one thread. `initial_state` overrides the definition's (evaluation starts threads
    in the phase the gold file gives). Without `keep_rows` only what a status needs is kept
    (the state, the move that made it, the latest happening and the counts)."""
    items = list(entries)
    if items and isinstance(items[0], Event):
        items = [as_entry(e, i) for i, e in enumerate(items)]  # type: ignore[arg-type]
    machine = machine_for(thread)
    state = initial_state or thread.initial
    result = ReplayResult(thread=thread, initial=state, state=state)
    rows = result.rows
    decide = machine.decide
    events = rejected = 0
    group: list = []
    verdict = None
    before = state
    for group in happenings(
        items,  # type: ignore[arg-type]
        as_of.isoformat() if as_of else None,
        known_at.isoformat() if known_at else None,
    ):
        verdict = decide(state, group[0][TYPE])
        events += len(group)
        before = state
        if verdict.outcome == "moved":
            state = verdict.dest
            result.since = group[0][DATE]
            result.moved_by = Row(group, verdict.outcome, before, state, verdict.reason)
            if keep_rows:
                rows.append(result.moved_by)
        else:
            if verdict.outcome == "rejected":
                rejected += 1
            if keep_rows:
                rows.append(Row(group, verdict.outcome, before, verdict.dest, verdict.reason))
    if verdict is not None:
        result.last = rows[-1] if keep_rows else (
            result.moved_by if result.moved_by is not None and result.moved_by.entries is group
            else Row(group, verdict.outcome, before, verdict.dest, verdict.reason)
        )
    result.state = state
    result.events = events
    result.rejected = rejected
    return result


def initial_state_for_phase(thread: ThreadDef, phase: str) -> str:
    """The first state of a phase: where evaluation starts a thread the gold says is in it."""
    states = thread.states_in_phase(phase)
    if not states:
        raise ValueError(f"thread {thread.id} has no state in phase {phase!r}")
    return thread.initial if thread.phase_of(thread.initial) == phase else states[0]
