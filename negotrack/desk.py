"""Full audits of many threads at once, for the analyst's desk (changes, timeline, export, check).

`status` keeps only what a status needs; these commands need every happening with its full
events (quotes, articles, confidence). The log is read once here, every event parsed once, and
each thread replayed once, whatever the number of threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from pydantic import ValidationError

from negotrack.errors import InputError
from negotrack.eventlog import FILE, LINE, LogEntry
from negotrack.model import Event, StartRow, Step, ThreadDef, ThreadStatus
from negotrack.replay import ReplayResult, Row, replay
from negotrack.report import bulk, start_row, step, thread_status
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


def read_full_log(ws: Workspace, files: Optional[list[Path]] = None) -> dict[tuple[str, int], Event]:
    """Every event of the log as a full record, keyed as replay's entries are (file, line)."""
    out: dict[tuple[str, int], Event] = {}
    for path in ws.log_files() if files is None else files:
        shown = ws.display(path)
        for line_no, raw in enumerate(path.read_bytes().splitlines(), 1):
            if not raw.strip():
                continue
            try:
                out[(str(path), line_no)] = Event.model_validate_json(raw)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"]) or "event"
                raise InputError(shown, f"{where}: {err['msg']}", line_no) from None
    return out


def audits(
    ws: Workspace,
    thread_ids: Optional[Iterable[str]] = None,
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
) -> list[Audit]:
    """The audit of each thread asked for (all by default), in id order."""
    ids = sorted(ws.threads) if thread_ids is None else [ws.thread(t).id for t in thread_ids]
    files = ws.log_files()
    with bulk():
        per_thread = ws.entries(files)
        events = read_full_log(ws, files)

    def lookup(entry: LogEntry) -> Event:
        return events[(entry[FILE], entry[LINE])]

    out = []
    for tid in ids:
        thread = ws.threads[tid]
        result = replay(thread, per_thread[tid], as_of=as_of, known_at=known_at)
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
