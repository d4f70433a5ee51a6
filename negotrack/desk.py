"""Full audits of many threads at once, for the analyst's desk (changes, timeline, export, check).

`status` keeps only what a status needs; these commands need every happening with its full
events (quotes, articles, confidence). The log is read once here, every event parsed once, and
each thread replayed once, whatever the number of threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional

from negotrack.eventlog import FILE, LINE, LogEntry, read_events_at
from negotrack.model import Event, StartRow, Step, ThreadDef, ThreadStatus
from negotrack.replay import ReplayResult, Row
from negotrack.report import bulk, replay_threads, start_row, step, thread_status
from negotrack.workspace import Workspace


@dataclass
class Happening:
    """One audit row with everything about it: the replay row, its Step and every report."""

    row: Row
    step: Step
    events: list[Event]


@dataclass
class Audit:
    thread: ThreadDef
    result: ReplayResult
    start: StartRow
    status: ThreadStatus
    happenings: list[Happening] = field(default_factory=list)


def read_full_events(ws: Workspace, per_thread: Mapping[str, list[LogEntry]]) -> dict[tuple[str, int], Event]:
    """The full record of every event replay will show, keyed as its entries are (file, line):
    each log file read once, and only the lines the index kept (a line `status` skips as bad
    is skipped here too)."""
    wanted: dict[str, list[int]] = {}
    for entries in per_thread.values():
        for e in entries:
            wanted.setdefault(e[FILE], []).append(e[LINE])
    out: dict[tuple[str, int], Event] = {}
    for file, lines in wanted.items():
        lines = sorted(set(lines))
        for line_no, event in zip(lines, read_events_at(file, lines, ws.display(Path(file)))):
            out[(file, line_no)] = event
    return out


def audits(
    ws: Workspace,
    thread_ids: Optional[Iterable[str]] = None,
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
) -> list[Audit]:
    """The audit of each thread asked for (all by default), in id order."""
    ids = sorted(ws.threads) if thread_ids is None else [ws.thread(t).id for t in thread_ids]
    with bulk():
        per_thread = ws.entries()
        events = read_full_events(ws, {tid: per_thread[tid] for tid in ids})
        results = replay_threads(ws, ids, per_thread, as_of, known_at)

    def lookup(entry: LogEntry) -> Event:
        return events[(entry[FILE], entry[LINE])]

    out = []
    for tid in ids:
        thread = ws.threads[tid]
        result = results[tid]
        audit = Audit(
            thread=thread,
            result=result,
            start=start_row(result, as_of, ws.display(Path(thread.path))),
            status=thread_status(result, lookup, as_of),
        )
        for row in result.rows:
            audit.happenings.append(Happening(row, step(row, result, lookup), [lookup(e) for e in row.entries]))
        out.append(audit)
    return out
