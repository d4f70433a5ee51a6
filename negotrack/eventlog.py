"""The event log: one JSON-lines file per article, human-readable and diff-friendly.

A workspace keeps curated events under `seeds/` and recorded ones under `events/`. Each line is
one Event with sorted keys, lines sorted by date and id, so a review diff shows what changed.
JSON lines read at well over 100,000 events/s where YAML manages a few thousand. Every write
goes to a temporary file in the same folder and is renamed over the old one, so a crash leaves
either the old file or the new one, never half of either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Optional

import orjson
from pydantic import ValidationError

from negotrack.errors import InputError
from negotrack.layout import log_file_for, log_files  # noqa: F401 - part of the log's interface
from negotrack.model import Event



class LogEntry(NamedTuple):
    """What replay needs of an event, kept small so a million of them fit easily in memory."""

    date: str  # ISO dates sort as strings
    reported: str
    id: str
    thread: str
    type: str
    expected: Optional[str]
    file: str  # the log file it is stored in
    line: int  # 1-based line in that file
    confidence: Optional[float]  # from extraction; None for manual events
    attributed: bool  # the event has an attribution or an actor
    origin: str  # "extracted" | "manual"


# Field positions: a million entries are kept as plain tuples in this order, not LogEntry objects.
DATE, REPORTED, ID, THREAD, TYPE, EXPECTED, FILE, LINE, CONFIDENCE, ATTRIBUTED, ORIGIN = range(11)


def _date(value: object, path: str, line: int, field: str) -> str:
    if not isinstance(value, str):
        raise InputError(path, f"{field}: expected a date YYYY-MM-DD, got {value!r}", line)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"{field}: {value!r} is not a date (YYYY-MM-DD)", line) from None
    return value


def read_entries(
    files: list[Path],
    known_types: dict[str, frozenset[str]],
    display: Callable[[Path], str] = str,
    index_dir: Optional[Path] = None,
) -> dict[str, list[LogEntry]]:
    """The replay view of the log, per thread, checked as it is read: thread, type and dates
    must be valid.

    The full record of an event (quote, source, attribution) is read again only for the few
    events a report shows; the log itself is checked in full by `read_events` and `validate`.
    With `index_dir`, the entries of every file are kept in a compact index (marshal) keyed by
    the file's size and modification time, so a log that grew by one article parses one file.
    """
    index = _LogIndex(index_dir)
    allowed = {(thread, kind) for thread, kinds in known_types.items() for kind in kinds}
    per_thread: dict[str, list[LogEntry]] = {thread: [] for thread in known_types}
    for path in files:
        entries = index.get(path)
        if entries is None:
            entries = index.put(path, _file_entries(path, display))
        pairs = {(e[3], e[4]) for e in entries}
        if not pairs <= allowed:
            _raise_unknown(entries, allowed, known_types, display(path))
        for entry in entries:  # plain tuples in LogEntry's field order: no object per event
            per_thread[entry[THREAD]].append(entry)
    index.save()
    return per_thread


def _raise_unknown(entries: list[tuple], allowed: set, known_types: dict, shown: str) -> None:
    for e in entries:
        thread, kind, line_no = e[3], e[4], e[7]
        if thread not in known_types:
            raise InputError(shown, f"unknown thread {thread!r} (known: {', '.join(sorted(known_types))})", line_no)
        if (thread, kind) not in allowed:
            raise InputError(shown, f"unknown event type {kind!r} for thread {thread!r}", line_no)


def _file_entries(path: Path, display: Callable[[Path], str]) -> list[tuple]:
    """One file's entries as plain tuples in LogEntry's field order, dates checked.

    The file is parsed in one call where it can be (one JSON array of its lines), a fifth
    faster than a call per line; a file that fails is read line by line to say which is wrong.
    """
    data = path.read_bytes()
    records: Optional[list] = None
    body = data.rstrip(b"\n")
    if body and not body.startswith(b"\n") and b"\n\n" not in body and b"\r" not in body:
        try:
            records = orjson.loads(b"[" + body.replace(b"\n", b",") + b"]")
        except orjson.JSONDecodeError:
            records = None
    numbered = enumerate(records, 1) if records is not None else _parse_lines(data, path, display)
    name = str(path)
    good_dates: set[str] = set()  # a file has few distinct dates: check each once
    shared: dict = {}  # one object per distinct confidence and origin, not one per event
    out = []
    for line_no, rec in numbered:
        try:
            thread = rec["thread"]
            kind = rec["type"]
            event_id = rec["id"]
            date = rec["date"]
            reported = rec["reported"]
            expected = rec.get("expected")
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(display(path), f"event is missing the field {exc}", line_no) from None
        if not isinstance(thread, str) or not isinstance(kind, str) or not isinstance(event_id, str):
            raise InputError(display(path), "thread, type and id must be strings", line_no)
        if date not in good_dates:
            good_dates.add(_date(date, display(path), line_no, "date"))
        if reported not in good_dates:
            good_dates.add(_date(reported, display(path), line_no, "reported"))
        if expected is not None and expected not in good_dates:
            good_dates.add(_date(expected, display(path), line_no, "expected"))
        confidence = rec.get("confidence")
        if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
            raise InputError(display(path), f"confidence: expected a number, got {confidence!r}", line_no)
        origin = rec.get("origin") or "extracted"
        confidence = shared.setdefault(confidence, confidence)
        origin = shared.setdefault(origin, origin)
        attributed = bool(rec.get("attribution") or rec.get("actor"))
        out.append((date, reported, event_id, thread, kind, expected, name, line_no, confidence, attributed, origin))
    return out


class _LogIndex:
    """Parsed entries of each log file, one small marshal file ("shard") per log file, valid
    while that file's size and mtime are unchanged. A log that grows by one article writes one
    shard, not the whole index again."""

    def __init__(self, folder: Optional[Path]) -> None:
        from negotrack.snapshot import code_stamp

        self.version = code_stamp()
        self.folder = folder
        self.seen: set[str] = set()

    @staticmethod
    def _stamp(path: Path) -> str:
        st = path.stat()
        return f"{st.st_size}:{st.st_mtime_ns}"

    def _shard(self, path: Path) -> Path:
        assert self.folder is not None
        name = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:20] + ".m"
        self.seen.add(name)
        return self.folder / name

    def get(self, path: Path) -> Optional[list[tuple]]:
        if self.folder is None:
            return None
        try:
            version, stamp, entries = marshal.loads(self._shard(path).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None  # no shard, or a damaged one: it is only a cache
        return entries if version == self.version and stamp == self._stamp(path) else None

    def put(self, path: Path, entries: list[tuple]) -> list[tuple]:
        if self.folder is not None:
            try:
                atomic_write(self._shard(path), marshal.dumps((self.version, self._stamp(path), entries)), durable=False)
            except OSError:
                pass  # a read-only workspace works, only slower
        return entries

    def save(self) -> None:
        """Drop the shards of log files that are gone."""
        if self.folder is None or not self.folder.is_dir():
            return
        names = os.listdir(self.folder)
        if len(names) > len(self.seen):
            for name in names:
                if name not in self.seen:
                    try:
                        os.unlink(self.folder / name)
                    except OSError:
                        pass


def _parse_lines(data: bytes, path: Path, display: Callable[[Path], str]) -> Iterator[tuple[int, dict]]:
    for line_no, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            yield line_no, orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(display(path), f"malformed JSON: {exc}", line_no) from None


def read_events(path: Path, shown: Optional[str] = None) -> list[Event]:
    """Every event of one file as a full, validated record."""
    name = shown or str(path)
    events: list[Event] = []
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    for line_no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            events.append(Event.model_validate_json(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "event"
            raise InputError(name, f"{field}: {err['msg']}", line_no) from None
    return events


def read_event_at(path: str | Path, line_no: int) -> Event:
    """One event, read again for a report: the log keeps only what replay needs in memory."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == line_no:
                return Event.model_validate_json(raw)
    raise InputError(str(path), "event line vanished while reading", line_no)


def encode(event: Event) -> bytes:
    return orjson.dumps(event.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def write_events(path: Path, events: Iterable[Event]) -> None:
    """Replace `path` with exactly these events, atomically; an empty list removes the file."""
    ordered = sorted({e.id: e for e in events}.values(), key=lambda e: (e.date, e.thread, e.id))
    if not ordered:
        if path.exists():
            path.unlink()
        return
    payload = b"".join(encode(e) + b"\n" for e in ordered)
    atomic_write(path, payload)


def atomic_write(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`. `durable` also
    flushes it to disk first (the log; caches skip that, a lost cache is rebuilt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
