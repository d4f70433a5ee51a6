"""Validation of a whole workspace: definitions, lexicon and log, every problem in one run.

A broken definition does not hide the log's problems, and a bad log line does not hide the
next one: each part is checked on whatever loaded, and every problem is named with its file
and line.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import BaseModel, ConfigDict

from negotrack.errors import InputError
from negotrack.model import Article, Event
from negotrack.workspace import Workspace, shipped_file


class Problem(BaseModel):
    """One problem found by `validate`: the file, the line (when known) and what is wrong."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: Optional[int] = None
    message: str

    @classmethod
    def of(cls, err: InputError) -> "Problem":
        return cls(file=err.path, line=err.line, message=err.problem)


class ValidationReport(BaseModel):
    """What `validate` found: counts of what loaded and every problem."""

    workspace: str
    threads: int
    event_types: int
    events: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_workspace(ws: Workspace) -> ValidationReport:
    """Definitions, lexicon and log of `ws`, every problem together."""
    from negotrack.definitions import collect_definitions

    problems: list[InputError] = []
    vocabulary, threads, errors = collect_definitions(ws.states_dir, fallback_vocabulary=shipped_file("vocabulary.yaml"))
    problems += errors
    known: dict[str, frozenset[str]] = {}
    if vocabulary is not None:
        base = set(vocabulary.event_type_names)
        known = {tid: frozenset(base | {e.name for e in t.event_types}) for tid, t in threads.items()}
    problems += lexicon_problems(ws, set(vocabulary.event_type_names).union(*known.values()) if vocabulary else None)
    broken = _broken_thread_ids(ws, threads)
    count, log_problems = check_log(ws, known, broken)
    problems += log_problems
    return ValidationReport(
        workspace=str(ws.root),
        threads=len(threads),
        event_types=len(vocabulary.event_types) if vocabulary else 0,
        events=count,
        problems=[Problem.of(p) for p in problems],
    )


def _broken_thread_ids(ws: Workspace, threads: dict) -> set[str]:
    """Ids of definition files that did not load: their events are not reported as unknown."""
    from negotrack.layout import definition_files

    return {p.stem for p in definition_files(ws.states_dir)} - set(threads)


def lexicon_problems(ws: Workspace, event_types: Optional[set[str]]) -> list[InputError]:
    """Every problem of the workspace's lexicon, with file:line (unknown types only once the
    types are known: a broken vocabulary is reported on its own)."""
    from negotrack import lexicon

    path = ws.lexicon_path()
    return lexicon.lexicon_problems(path, event_types or (), ws.display(path)) if event_types is not None else []


def check_log(ws: Workspace, known: dict[str, frozenset[str]], broken: set[str] = frozenset()) -> tuple[int, list[InputError]]:
    """Every line of every log file: its record, its thread and type, its id, and its quote
    against its article. `broken`: threads whose definition failed (their events are counted
    but their types cannot be checked)."""
    from negotrack.eventlog import parse_log, read_events_at
    from negotrack.fsio import describe

    problems: list[InputError] = []
    count = 0
    articles: dict[tuple[str, dt.date], object] = {}
    for path in ws.log_files():
        shown = ws.display(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(describe(exc, shown))
            continue
        entries, bad = parse_log(data, str(path), shown)
        problems += bad
        lines = [e[7] for e in entries]
        for line_no, event in zip(lines, read_events_at(path, lines, shown) if lines else []):
            count += 1
            if event.thread not in known:
                if event.thread not in broken:
                    problems.append(InputError(shown, f"unknown thread {event.thread!r}", line_no))
                continue
            if event.type not in known[event.thread]:
                problems.append(InputError(shown, f"unknown event type {event.type!r} for {event.thread}", line_no))
            if event.id != event.content_id():
                problems.append(InputError(shown, f"id {event.id!r} does not match the event's content ({event.content_id()})", line_no))
            problems.extend(article_problems(ws, event, shown, line_no, articles))
    return count, problems


def article_problems(ws: Workspace, event: Event, log: str, line: int, cache: Optional[dict] = None) -> list[InputError]:
    """Why an event's quote cannot be found in its article (empty when all is well); each
    problem names the log file and line of the event. `cache` keeps articles read already."""
    from negotrack.articles import read_article

    path = ws.article_path(event.source.path)
    key = (str(path), event.reported)
    article = cache.get(key) if cache is not None else None
    if article is None:
        if not path.exists():
            return [InputError(log, f"article {event.source.path} not found", line)]
        try:
            article = read_article(path, published=event.reported)
        except InputError as exc:
            article = exc
        if cache is not None:
            cache[key] = article
    if isinstance(article, InputError):
        return [InputError(log, article.message, line)]
    assert isinstance(article, Article)
    text = article.text
    quote = event.evidence.quote
    if text[event.evidence.start : event.evidence.end] == quote:
        return []
    found = text.find(quote)
    if found >= 0:
        where = f"at {found}-{found + len(quote)}, not at {event.evidence.start}-{event.evidence.end}"
        return [InputError(log, f"quote is in {event.source.path} {where}", line)]
    return [InputError(log, f"quote not found in {event.source.path}: {quote[:60]!r}", line)]
