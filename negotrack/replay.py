"""Replay: a thread's events, in (date, reported, id) order, through its `transitions` machine.

Every happening gets a row: moved, unchanged, or rejected with the reason. The same happening
told by several articles (same thread, type, date and expected date) is replayed once and keeps
all its sources. The order depends only on the events, never on the order of files on disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from negotrack.eventlog import LogEntry
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
        return self.entries[0]


@dataclass
class ReplayResult:
    thread: ThreadDef
    initial: str
    state: str
    rows: list[Row] = field(default_factory=list)
    since: Optional[str] = None  # date the thread entered `state`
    moved_by: Optional[Row] = None  # the row that put it there

    @property
    def phase(self) -> str:
        return self.thread.phase_of(self.state)

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "rejected")

    @property
    def events(self) -> int:
        return sum(len(r.entries) for r in self.rows)


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
    )


def happenings(entries: Iterable[LogEntry], as_of: Optional[str] = None, known_at: Optional[str] = None) -> list[list[LogEntry]]:
    """Filter by the two clocks, merge reports of one happening, and order them.

    Entries sort as tuples, (date, reported, id) first; a happening's group is then created by
    its earliest report, so the groups come out in replay order with no second sort.
    """
    if as_of is not None or known_at is not None:
        entries = [e for e in entries if (as_of is None or e.date <= as_of) and (known_at is None or e.reported <= known_at)]
    groups: dict[tuple, list[LogEntry]] = {}
    for e in sorted(entries):
        key = (e[4], e[0], e[5])  # (type, date, expected): one happening
        group = groups.get(key)
        if group is None:
            groups[key] = [e]
        elif e[2] != group[-1][2]:  # the same event recorded twice (ids are content-derived) counts once
            group.append(e)
    return list(groups.values())


def replay(
    thread: ThreadDef,
    entries: Iterable[LogEntry] | Sequence[Event],
    *,
    initial_state: Optional[str] = None,
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
) -> ReplayResult:
    """Replay one thread. `initial_state` overrides the definition's (evaluation starts threads
    in the phase the gold file gives)."""
    items = list(entries)
    if items and isinstance(items[0], Event):
        items = [as_entry(e, i) for i, e in enumerate(items)]  # type: ignore[arg-type]
    machine = machine_for(thread)
    state = initial_state or thread.initial
    result = ReplayResult(thread=thread, initial=state, state=state)
    rows = result.rows
    decide = machine.decide
    for group in happenings(
        items,
        as_of.isoformat() if as_of else None,
        known_at.isoformat() if known_at else None,
    ):
        verdict = decide(state, group[0][4])
        row = Row(group, verdict.outcome, state, verdict.dest, verdict.reason)
        rows.append(row)
        if verdict.outcome == "moved":
            state = verdict.dest
            result.since = group[0][0]
            result.moved_by = row
    result.state = state
    return result


def initial_state_for_phase(thread: ThreadDef, phase: str) -> str:
    """The first state of a phase: where evaluation starts a thread the gold says is in it."""
    states = thread.states_in_phase(phase)
    if not states:
        raise ValueError(f"thread {thread.id} has no state in phase {phase!r}")
    return thread.initial if thread.phase_of(thread.initial) == phase else states[0]
