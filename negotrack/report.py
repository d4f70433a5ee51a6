"""Report: turn replay results into the records users read (status per thread, audit rows).

`status` on an unchanged log is answered from a snapshot kept in the derived index (index.py),
keyed by the content hash of every definition and event file, so it stays fast however long the
log grows; any change to any of those files invalidates it.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping, Optional

from negotrack.errors import InputError
from negotrack.eventlog import DATE, FILE, ID, LINE, ORIGIN, TYPE, LogEntry, read_event_at
from negotrack.model import Blocked, Event, SourceRef, StartRow, Step, ThreadDef, ThreadStatus
from negotrack.overdue import clock, overdue
from negotrack.replay import ReplayResult, Row, replay, rules_for
from negotrack.reviews import load_reviews
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
        confidence=row.confidence,
        review=row.review,
        blocked=tuple(Blocked(event_id=g[0][ID], date=dt.date.fromisoformat(g[0][DATE]), type=g[0][TYPE]) for g in row.blocked),
    )


def statuses(ws: Workspace, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None, use_snapshot: bool = True) -> list[dict]:
    """Status of every thread, as JSON-ready dicts (the snapshot stores exactly these)."""
    return status_report(ws, as_of, known_at, use_snapshot)["statuses"]


def status_report(ws: Workspace, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None, use_snapshot: bool = True) -> dict:
    """{"statuses": [...], "problems": [...]}: the status of every thread and the log lines that
    were skipped (each "file:line: problem"), answered from the index's snapshot when no
    definition or log file changed."""
    index = ws.index if use_snapshot and ws.use_index else None
    key = ws.status_key(as_of, known_at) if index is not None else ""
    if index is not None:
        saved = index.snapshot(key)
        if saved is not None:
            return saved
    out = [s.model_dump(mode="json") for s in compute_statuses(ws, as_of, known_at)]
    report = {"statuses": out, "problems": [p.message for p in ws.problems]}
    if index is not None:
        index.save_snapshot(key, report)
        index.flush()
    return report


def compute_statuses(ws: Workspace, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None) -> list[ThreadStatus]:
    with bulk():
        per_thread = ws.entries(use_index=ws.use_index)
        results = replay_threads(ws, sorted(ws.threads), per_thread, as_of, known_at, keep_rows=False)

    def lookup(entry: LogEntry) -> Event:
        return read_event_at(entry[FILE], entry[LINE], ws.display(entry[FILE]))

    return [thread_status(result, lookup, as_of) for result in results.values()]


def replay_threads(
    ws: Workspace,
    thread_ids: Iterable[str],
    per_thread: Mapping[str, list[LogEntry]],
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
    keep_rows: bool = True,
) -> dict[str, ReplayResult]:
    """Threads replayed as `status` replays them: each with its support rules (the vocabulary's
    and its own overrides) and the analysts' reviews, so every command tells the same story."""
    reviews = load_reviews(ws.root)
    vocabulary = ws.vocabulary
    return {
        tid: replay(
            ws.threads[tid], per_thread[tid], as_of=as_of, known_at=known_at, keep_rows=keep_rows,
            rules=rules_for(vocabulary, ws.threads[tid]), reviews=reviews,
        )
        for tid in thread_ids
    }


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
    if result.to_review:
        warnings.append(f"{result.to_review} event(s) wait for review: see `negotrack review {result.thread.id}`")
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
        held=result.held,
        doubted=result.doubted,
        to_review=result.to_review,
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


def audit(
    ws: Workspace, thread_id: str, as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None, plain: bool = False
) -> tuple[ReplayResult, list[Step]]:
    thread = ws.thread(thread_id)
    records = ws.events_of(thread_id)
    events = [e for e, _ in records]
    result = replay(
        thread, events, as_of=as_of, known_at=known_at,
        rules=rules_for(ws.vocabulary, thread), reviews=load_reviews(ws.root), plain=plain,
    )
    steps = [step(row, result, lambda entry: events[entry[LINE]]) for row in result.rows]
    return result, steps


REVIEW_ORDER = {"held": 0, "doubted": 1}


def review_queue(ws: Workspace, thread_id: Optional[str] = None) -> list[dict]:
    """The happenings that need a person's look, not yet reviewed: held, doubted, or of low
    confidence. Most decisive first: those whose move would enter a decisive phase, then held
    before doubted before the rest, the latest first."""
    from negotrack.machines import machine_for

    ids = [ws.thread(thread_id).id] if thread_id else sorted(ws.threads)
    results = replay_threads(ws, ids, ws.entries())
    queue: list[tuple[tuple, dict]] = []
    for tid in ids:
        thread = ws.threads[tid]
        rules = rules_for(ws.vocabulary, thread)
        result = results[tid]
        decide = machine_for(thread).decide
        for row in result.rows:
            low = row.confidence is None or row.confidence < rules.min_confidence
            manual = all(e[ORIGIN] == "manual" for e in row.entries)
            if row.review is not None or not (row.outcome in REVIEW_ORDER or (low and not manual)):
                continue
            s = step(row, result, lambda entry: read_event_at(entry[FILE], entry[LINE], ws.display(entry[FILE])))
            verdict = decide(row.from_state, s.type)
            would = verdict.dest if verdict.outcome != "rejected" else row.from_state
            decisive = thread.phase_of(would) in rules.decisive and would != row.from_state
            item = {
                "event_id": s.event_id,
                "thread": tid,
                "type": s.type,
                "date": s.date.isoformat(),
                "confidence": s.confidence,
                "outcome": s.outcome,
                "reason": s.reason or ("low confidence" if s.confidence is None else f"low confidence {s.confidence:.2f} < {rules.min_confidence:.2f}"),
                "would_move": f"{row.from_state} → {would}" if would != row.from_state else None,
                "quote": s.sources[0].quote,
                "article": s.sources[0].path,
                "sources": len(s.sources),
                "blocked": [b.model_dump(mode="json") for b in s.blocked],
            }
            rank = (0 if decisive else 1, REVIEW_ORDER.get(s.outcome, 2), -s.date.toordinal(), tid, s.event_id)
            queue.append((rank, item))
    queue.sort(key=lambda pair: pair[0])
    return [item for _, item in queue]


def find_event(ws: Workspace, event_id: str) -> LogEntry:
    """The log entry of an event id, or an error naming the id."""
    for entries in ws.entries().values():
        for entry in entries:
            if entry[ID] == event_id:
                return LogEntry._make(entry)
    raise InputError(event_id, "no event with this id in the workspace's log (ids are listed by `negotrack review` and `negotrack replay THREAD --json`); nothing written")
