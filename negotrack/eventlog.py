"""The event log: one JSON-lines file per article, human-readable and diff-friendly.

A workspace keeps curated events under `seeds/` and recorded ones under `events/`. Each line is
one Event with sorted keys, lines sorted by date and id, so a review diff shows what changed.
JSON lines read at well over 100,000 events/s where YAML manages a few thousand. Every write
goes to a temporary file in the same folder and is renamed over the old one, so a crash leaves
either the old file or the new one, never half of either (fsio.py). The derived index of the
log (index.py) is built from these files and never the other way round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional

import orjson
from pydantic import ValidationError

from negotrack.errors import InputError
from negotrack.fsio import atomic_write, describe, remove  # noqa: F401 - atomic_write: part of the log's interface
from negotrack.layout import log_file_for, log_files  # noqa: F401 - part of the log's interface
from negotrack.model import Event

class LogEntry(NamedTuple):
    """What replay needs of an event, kept small so a million of them fit easily in memory.

    The last three fields serve confidence-aware replay; keep the order: new fields go last."""

    date: str  # ISO dates sort as strings
    reported: str
    id: str
    thread: str
    type: str
    expected: Optional[str]
    file: str  # the log file it is stored in
    line: int  # 1-based line in that file
    confidence: Optional[float] = None
    attributed: bool = False  # the event names who says so (attribution) or who acted (actor)
    origin: str = "extracted"  # "extracted" | "manual"


# Field positions: a million entries are kept as plain tuples in this order, not LogEntry objects.
DATE, REPORTED, ID, THREAD, TYPE, EXPECTED, FILE, LINE, CONFIDENCE, ATTRIBUTED, ORIGIN = range(11)


def entry_of(event: Event, file: str, line: int) -> tuple:
    """An Event as a plain tuple in LogEntry's field order."""
    return (
        event.date.isoformat(),
        event.reported.isoformat(),
        event.id,
        event.thread,
        event.type,
        event.expected.isoformat() if event.expected else None,
        file,
        line,
        event.confidence,
        bool(event.attribution or event.actor),
        event.origin,
    )


def _problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "event"
    if err["type"].startswith(("date_", "datetime_")):
        return f"{field}: {err.get('input')!r} is not a date (YYYY-MM-DD)"
    if err["type"] == "extra_forbidden":
        return f"{field}: unexpected field (a record has only the fields of an Event)"
    return f"{field}: {err['msg']}"


def parse_log(data: bytes, file: str, shown: str) -> tuple[list[tuple], list[InputError]]:
    """Every good line of one log file as an entry, and one InputError per bad line.

    Each line is validated as a full Event (pydantic), so everything the index keeps is a record
    a report can show; a bad line is named and skipped, and the other lines still count. The
    file is parsed in one orjson call where it can be (a fifth faster than a call per line).
    """
    records: Optional[list] = None
    body = data.rstrip(b"\n")
    if body and not body.startswith(b"\n") and b"\n\n" not in body and b"\r" not in body:
        try:
            records = orjson.loads(b"[" + body.replace(b"\n", b",") + b"]")
        except orjson.JSONDecodeError:
            records = None
    problems: list[InputError] = []
    numbered: Iterable[tuple[int, object]]
    if records is not None and len(records) == body.count(b"\n") + 1:
        numbered = enumerate(records, 1)
    else:
        numbered = _parse_lines(data, shown, problems)
    out = []
    validate = Event.model_validate
    for line_no, rec in numbered:
        try:
            event = validate(rec)
        except ValidationError as exc:
            problems.append(InputError(shown, _problem(exc), line_no))
            continue
        if not event.id:
            problems.append(InputError(shown, "event has no id", line_no))
            continue
        out.append(entry_of(event, file, line_no))
    return out, problems


def _parse_lines(data: bytes, shown: str, problems: list[InputError]) -> Iterator[tuple[int, object]]:
    for line_no, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            yield line_no, orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            problems.append(InputError(shown, f"malformed JSON: {exc}", line_no))


def read_log(path: Path, shown: Optional[str] = None) -> tuple[list[tuple], list[InputError]]:
    """`parse_log` of one file; a file that cannot be read is one problem."""
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [describe(exc, name)]
    return parse_log(data, str(path), name)


def check_known(
    entries: list[tuple], known_types: dict[str, frozenset[str]], shown: str, allowed: Optional[set[tuple[str, str]]] = None
) -> tuple[list[tuple], list[InputError]]:
    """Entries of threads and event types the definitions know, and a problem for each other."""
    if allowed is None:
        allowed = allowed_pairs(known_types)
    if {(e[THREAD], e[TYPE]) for e in entries} <= allowed:  # the usual case, checked at C speed
        return entries, []
    good, problems = [], []
    for e in entries:
        thread, kind = e[THREAD], e[TYPE]
        if thread not in known_types:
            problems.append(InputError(shown, f"unknown thread {thread!r} (known: {', '.join(sorted(known_types)) or 'none'})", e[LINE]))
        elif (thread, kind) not in allowed:
            problems.append(InputError(shown, f"unknown event type {kind!r} for thread {thread!r}", e[LINE]))
        else:
            good.append(e)
    return good, problems


def allowed_pairs(known_types: dict[str, frozenset[str]]) -> set[tuple[str, str]]:
    """Every (thread, event type) the definitions know: compute once, pass to `check_known`."""
    return {(thread, kind) for thread, kinds in known_types.items() for kind in kinds}


def read_events(path: Path, shown: Optional[str] = None) -> list[Event]:
    """Every event of one file as a full, validated record; the first bad line is an error."""
    name = shown or str(path)
    events: list[Event] = []
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise describe(exc, name) from None
    for line_no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            events.append(Event.model_validate_json(raw))
        except ValidationError as exc:
            raise InputError(name, _problem(exc), line_no) from None
    return events


def read_event_at(path: str | Path, line_no: int, shown: Optional[str] = None) -> Event:
    """One event, read again for a report: the log keeps only what replay needs in memory."""
    name = shown or str(path)
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                if number == line_no:
                    try:
                        return Event.model_validate_json(raw)
                    except ValidationError as exc:
                        raise InputError(name, _problem(exc), line_no) from None
    except OSError as exc:
        raise describe(exc, name) from None
    raise InputError(name, "event line vanished while reading; run the command again", line_no)


def read_events_at(path: str | Path, lines: list[int], shown: Optional[str] = None) -> list[Event]:
    """The events at these lines of one file, read in one pass."""
    name = shown or str(path)
    try:
        raw_lines = Path(path).read_bytes().split(b"\n")
    except OSError as exc:
        raise describe(exc, name) from None
    out = []
    for line_no in lines:
        if line_no > len(raw_lines):
            raise InputError(name, "event line vanished while reading; run the command again", line_no)
        try:
            out.append(Event.model_validate_json(raw_lines[line_no - 1]))
        except ValidationError as exc:
            raise InputError(name, _problem(exc), line_no) from None
    return out


def encode(event: Event) -> bytes:
    return orjson.dumps(event.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def write_events(path: Path, events: Iterable[Event], keep_empty: bool = False) -> None:
    """Replace `path` with exactly these events, atomically. An empty list removes the file,
    or with `keep_empty` leaves an empty one (an article ingested that gave no events)."""
    ordered = sorted({e.id: e for e in events}.values(), key=lambda e: (e.date, e.thread, e.id))
    if not ordered and not keep_empty:
        remove(path)
        return
    payload = b"".join(encode(e) + b"\n" for e in ordered)
    atomic_write(path, payload)
