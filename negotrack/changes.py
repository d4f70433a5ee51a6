"""What changed: each thread whose phase differs between what was known at one date and at a
later one, with the events (and quotes) that moved it. Threads that did not change are left out."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import BaseModel

from negotrack.desk import audits
from negotrack.model import Step
from negotrack.workspace import Workspace


class Change(BaseModel):
    thread: str
    title: str
    from_phase: Optional[str]  # None: not yet tracked then
    to_phase: Optional[str]
    from_state: Optional[str]
    to_state: Optional[str]
    events: list[Step]  # the happenings learnt in between that moved the thread


def changes(ws: Workspace, since: dt.date, until: dt.date) -> list[Change]:
    """Known at `since` (events by then, from articles published by then) against known at `until`."""
    before = {a.thread.id: a for a in audits(ws, as_of=since, known_at=since)}
    out = []
    for after in audits(ws, as_of=until, known_at=until):
        then = before[after.thread.id].status
        now = after.status
        if then.phase == now.phase:
            continue
        known = {e[2] for h in before[after.thread.id].happenings for e in h.row.entries}  # ids known then
        moved = [h.step for h in after.happenings if h.row.outcome == "moved" and not all(e[2] in known for e in h.row.entries)]
        out.append(
            Change(
                thread=now.thread, title=now.title, from_phase=then.phase, to_phase=now.phase,
                from_state=then.state, to_state=now.state, events=moved,
            )
        )
    return out


def render(found: list[Change], since: dt.date, until: dt.date) -> str:
    if not found:
        return f"no thread changed phase between {since} and {until}"
    lines = [f"{len(found)} thread(s) changed phase between {since} and {until}:"]
    for change in found:
        lines.append(f"\n{change.thread}: {change.from_phase or 'not yet tracked'} → {change.to_phase or 'not yet tracked'}  ({change.title})")
        for s in change.events:
            src = s.sources[0]
            more = f" (+{len(s.sources) - 1} more source(s))" if len(s.sources) > 1 else ""
            lines.append(f"  {s.date} {s.type}: {s.from_state} → {s.to_state}")
            lines.append(f"    “{' '.join(src.quote.split())}”")
            lines.append(f"    — {src.path}, published {src.reported}{more}")
    return "\n".join(lines)
