"""Overdue meetings: talks were scheduled for a date, the date passed, and nothing was reported.

A scheduled meeting whose date has passed with no report looks, in a plain status, exactly like
one still to come; this is the one rule that tells them apart. Kept free of heavy imports: the
warm `status` path asks it for the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from negotrack.replay import ReplayResult

WAITING = ("talks_scheduled", "talks_postponed")  # events that leave a thread waiting for a date
_TYPE, _EXPECTED = 4, 5  # positions in a log entry (negotrack.eventlog.LogEntry)


def clock(as_of: Optional[dt.date]) -> dt.date:
    """The date overdue is judged on: the as-of date, else today."""
    return as_of or dt.date.today()


def overdue(result: "ReplayResult", on: dt.date) -> tuple[bool, Optional[dt.date]]:
    """(overdue?, the expected date) for one replayed thread.

    Overdue when the current state was entered by `talks_scheduled` or `talks_postponed`, the
    latest happening is one of those two too (taken or recorded unchanged, e.g. a new date), it
    names an expected date before `on`, and nothing was reported after it.
    """
    moved, last = result.moved_by, result.last
    if moved is None or last is None or last.outcome == "rejected":
        return False, None
    if moved.entries[0][_TYPE] not in WAITING or last.entries[0][_TYPE] not in WAITING:
        return False, None
    expected = last.entries[0][_EXPECTED]
    if expected is None:
        return False, None
    return expected < on.isoformat(), dt.date.fromisoformat(expected)
