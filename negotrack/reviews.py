"""The review log: analysts' verdicts on events, kept beside the event log, never in it.

`reviews.jsonl` at the workspace root holds one Review per line. Extracted entries are never
edited; a review is keyed by the event's content id, so it still applies after the article is
ingested again. Each review is appended with one `os.write` on a file opened with O_APPEND and
flushed to disk with fsync: the kernel appends a line whole, so analysts confirming at the same
time lose nothing. The latest line about an event wins.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Optional

import orjson
from pydantic import ValidationError

from negotrack.errors import InputError
from negotrack.layout import REVIEWS_FILE
from negotrack.model import Review


def review_path(root: Path) -> Path:
    return root / REVIEWS_FILE


def load_reviews(root: Path) -> dict[str, Review]:
    """The deciding review of each event id: the last line about it."""
    path = review_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    latest: dict[str, Review] = {}
    for line_no, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            review = Review.model_validate_json(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "review"
            raise InputError(REVIEWS_FILE, f"{field}: {err['msg']}", line_no) from None
        latest[review.event_id] = review
    return latest


def append_review(root: Path, review: Review) -> None:
    """One line, one write, on a file opened for appending; flushed to disk before returning."""
    line = orjson.dumps(review.model_dump(mode="json", exclude_none=True), option=orjson.OPT_SORT_KEYS) + b"\n"
    fd = os.open(review_path(root), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, line)
        if written != len(line):  # pragma: no cover - a full disk
            raise OSError(f"short write to {REVIEWS_FILE}: {written} of {len(line)} bytes")
        os.fsync(fd)
    finally:
        os.close(fd)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def reviewer(explicit: Optional[str]) -> str:
    """Who reviews: --by, else the login name, so the trail always names someone."""
    if explicit:
        return explicit
    for var in ("NEGOTRACK_REVIEWER", "USER", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    return "unknown"
