"""Report: turn replay results into the records users read (status per thread, audit rows).

`status` on an unchanged log is answered from a snapshot (snapshot.py) keyed by the size and
modification time of every definition and event file, so it stays fast however long the log
grows; any change to any of those files invalidates it.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from typing import Iterator, Optional

from negotrack import snapshot
from negotrack.errors import InputError
from negotrack.eventlog import FILE, LINE, LogEntry, read_event_at
from negotrack.model import Event, SourceRef, StartRow, Step, ThreadDef, ThreadStatus
from negotrack.overdue import clock, overdue
from negotrack.replay import ReplayResult, Row, replay
from negotrack.workspace import Workspace

def source_ref(event: Event) -> SourceRef:
    return SourceRef(
        path=event.source.path,
        title=event.source.title,
        outlet=event.source.outlet,
        reported=event.reported,
        quote=event.evidence.quote,
    )


def step(row: Row, result: ReplayResult, lookup) -> Step:
    """A full audit row: `lookup` turns a log entry into its full Event for the quote."""
    events = [lookup(entry) for entry in row.entries]
    first = events[0]
    return Step(
        event_id=first.id,
        date=first.date,
        type=first.type,
        outcome=row.outcome,  # type: ignore[arg-type]
        from_state=row.from_state,
        to_state=row.to_state,
        from_phase=result.thread.phase_of(row.from_state),
        to_phase=result.thread.phase_of(row.to_state),
        reason=row.reason,
        sources=tuple(source_ref(e) for e in events),
        expected=first.expected,
    )


def statuses(ws: Workspace, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None, use_snapshot: bool = True) -> list[dict]:
    """Status of every thread, as JSON-ready dicts (the snapshot stores exactly these)."""
    key = snapshot.fingerprint(ws.root, as_of, known_at, clock(as_of)) if use_snapshot else ""
    if use_snapshot:
        saved = snapshot.load(ws.root, key)
        if saved is not None:
            return saved
    out = [s.model_dump(mode="json") for s in compute_statuses(ws, as_of, known_at)]
    if use_snapshot:
        snapshot.save(ws.root, key, out)
    return out


def compute_statuses(ws: Workspace, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None) -> list[ThreadStatus]:
    with bulk():
        per_thread = ws.entries()
        results = {tid: replay(ws.threads[tid], per_thread[tid], as_of=as_of, known_at=known_at, keep_rows=False) for tid in sorted(ws.threads)}

    def lookup(entry: LogEntry) -> Event:
        return read_event_at(entry[FILE], entry[LINE])

    return [thread_status(result, lookup, as_of) for result in results.values()]


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a log is loaded and replayed.

    A million small tuples kept alive make every collection walk them all again: replay runs
    2.5 times faster without it. Nothing built here forms a reference cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()  # what was built stays out of later collections; refcounting still frees it
            gc.enable()


def is_tracked(thread: ThreadDef, as_of: Optional[dt.date]) -> bool:
    """False when the as-of date is before the day the thread file says tracking starts."""
    start = thread.starting
    return not (as_of is not None and start is not None and start.since is not None and as_of < start.since)


def given_since(result: ReplayResult) -> Optional[dt.date]:
    """Since when the thread is in its state: the move that put it there, else the `since` of
    the starting point the thread file gives (when replay started where the file says)."""
    if result.since:
        return dt.date.fromisoformat(result.since)
    start = result.thread.starting
    return start.since if start is not None and result.initial == result.thread.initial else None


def thread_status(result: ReplayResult, lookup, as_of: Optional[dt.date] = None) -> ThreadStatus:
    warnings = []
    if result.rejected:
        warnings.append(f"{result.rejected} event(s) rejected: see `negotrack replay {result.thread.id}`")
    if result.last is None:
        warnings.append("no events recorded")
    last = result.last
    tracked = is_tracked(result.thread, as_of)
    late, expected = overdue(result, clock(as_of)) if tracked else (False, None)
    return ThreadStatus(
        thread=result.thread.id,
        title=result.thread.title,
        state=result.state if tracked else None,
        phase=result.phase if tracked else None,
        since=given_since(result) if tracked else None,
        entered_by=step(result.moved_by, result, lookup) if result.moved_by and tracked else None,
        last_event=step(last, result, lookup) if last else None,
        events=result.events,
        rejected=result.rejected,
        warnings=tuple(warnings),
        tracked=tracked,
        starting=result.thread.starting,
        overdue=late,
        expected=expected,
    )


def start_row(result: ReplayResult, as_of: Optional[dt.date] = None, given_by: str = "") -> StartRow:
    """Where replay started, marked as given by the thread file (`given_by`, as shown to users)."""
    thread = result.thread
    start = thread.starting
    given = start is not None and result.initial == thread.initial
    return StartRow(
        given_by=given_by or thread.path,
        state=result.initial,
        phase=thread.phase_of(result.initial),
        since=start.since if given else None,
        note=start.note if given else "",
        source=start.source if given else "",
        tracked=is_tracked(thread, as_of),
        date=start.since if given else None,
        to_state=result.initial,
        to_phase=thread.phase_of(result.initial),
    )


def audit(ws: Workspace, thread_id: str, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None) -> tuple[ReplayResult, list[Step]]:
    thread = ws.thread(thread_id)
    records = ws.events_of(thread_id)
    events = [e for e, _ in records]
    result = replay(thread, events, as_of=as_of, known_at=known_at)
    steps = [step(row, result, lambda entry: events[entry[LINE]]) for row in result.rows]
    return result, steps


def article_problems(ws: Workspace, event: Event, log: str, line: int) -> list[InputError]:
    """Why an event's quote cannot be found in its article (empty when all is well); each
    problem names the log file and line of the event."""
    from negotrack.articles import read_article

    path = ws.article_path(event.source.path)
    if not path.exists():
        return [InputError(log, f"article {event.source.path} not found", line)]
    try:
        article = read_article(path, published=event.reported)
    except InputError as exc:
        return [InputError(log, exc.message, line)]
    text = article.text
    quote = event.evidence.quote
    if text[event.evidence.start : event.evidence.end] == quote:
        return []
    found = text.find(quote)
    if found >= 0:
        where = f"at {found}-{found + len(quote)}, not at {event.evidence.start}-{event.evidence.end}"
        return [InputError(log, f"quote is in {event.source.path} {where}", line)]
    return [InputError(log, f"quote not found in {event.source.path}: {quote[:60]!r}", line)]
