"""Record: put events into a workspace's log, checked before anything is written.

Manual events (`add-event`) and extracted ones (`ingest`) live in separate files per article,
so re-ingesting an article replaces what extraction drew from it and never touches what a
person recorded by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from negotrack.articles import iter_article_paths, read_article
from negotrack.errors import InputError
from negotrack.eventlog import log_file_for, read_events, write_events
from negotrack.fsio import write_lock
from negotrack.model import Article, Event, Evidence, Extraction
from negotrack.workspace import Workspace

# An event reported in an article happened by its publication; a day's slack for time zones.
PUBLICATION_SLACK = dt.timedelta(days=1)


def load_article(ws: Workspace, path: Path, published: Optional[dt.date] = None) -> Article:
    """Read an article; the path recorded is its identity's path (see Workspace.article_identity)."""
    if not path.exists():
        raise InputError(str(path), "article not found")
    _, recorded = ws.article_identity(path)
    return read_article(path, published=published, display_path=recorded)


def article_log(ws: Workspace, path: Path, article: Article, origin: str) -> Path:
    """The log file of one article and origin: the same however the article's path is spelt."""
    identity, _ = ws.article_identity(path)
    if identity.startswith("sha256:"):
        identity = f"sha256:{article.sha256}"  # the text as read, not the bytes a moment before
    return log_file_for(ws.root, identity, origin, name=path.name)


def earlier_versions(ws: Workspace, target: Path, article: Article) -> list[Path]:
    """Extracted logs of earlier texts of the same outside article (identity is the content
    hash there, so an edited file has a new log): the same recorded path, another hash. Only
    logs named after the same file are looked at, so this costs a few reads, not the log."""
    if not Path(article.path).is_absolute():
        return []
    stem = target.name.rsplit("-", 1)[0]
    found = []
    for other in target.parent.glob(f"{stem}-*.extracted.jsonl"):
        if other == target:
            continue
        try:
            with open(other, "rb") as handle:
                first = handle.readline()
            source = Event.model_validate_json(first).source
        except (OSError, ValueError):
            continue
        if source.path == article.path and source.sha256 != article.sha256:
            found.append(other)
    return found


def add_manual_event(
    ws: Workspace,
    *,
    thread_id: str,
    event_type: str,
    article: Path,
    quote: str,
    date: Optional[dt.date] = None,
    precision: str = "day",
    expected: Optional[dt.date] = None,
    published: Optional[dt.date] = None,
    actor: Optional[str] = None,
    attribution: Optional[str] = None,
    note: Optional[str] = None,
) -> tuple[Event, Path]:
    """Record one event by hand; every check passes before the log is touched."""
    thread = ws.thread(thread_id)
    types = ws.known_types()[thread.id]
    if event_type not in types:
        from negotrack.definitions import did_you_mean

        raise InputError(event_type, f"unknown event type for {thread.id}{did_you_mean(event_type, types)}")
    doc = load_article(ws, article, published)
    start = doc.text.find(quote)
    if not quote.strip() or start < 0:
        raise InputError(doc.path, f"quote not found in the article: {quote[:80]!r}")
    when = date or doc.published
    if when > doc.published + PUBLICATION_SLACK:
        raise InputError(doc.path, f"--date {when} is after the article's publication ({doc.published}): an article reports what happened by then; for a planned date use --expected")
    if expected is not None and expected < when:
        raise InputError(doc.path, f"--expected {expected} is before the event's date ({when}): a planned date comes after the planning")
    event = Event(
        thread=thread.id,
        type=event_type,
        date=when,
        date_precision=precision,  # type: ignore[arg-type]
        expected=expected,
        expected_precision="day" if expected else None,
        reported=doc.published,
        source=doc.source(),
        evidence=Evidence(quote=quote, start=start, end=start + len(quote)),
        actor=actor,
        attribution=attribution,
        origin="manual",
        note=note,
    ).with_id()
    target = article_log(ws, article, doc, "manual")
    with write_lock(ws.root):  # read, add, write back: no other writer in between
        existing = read_events(target, ws.display(target))
        write_events(target, existing + [event])
    return event, target


def extract_files(
    ws: Workspace, paths: list[Path], published: Optional[dt.date] = None
) -> tuple[list[Extraction], list[InputError]]:
    """Extraction over many files: a bad file is reported and the others go on."""
    draw = extractor(ws)
    results: list[Extraction] = []
    failures: list[InputError] = []
    for path in article_paths(paths, failures):
        try:
            article = load_article(ws, path, published)
        except InputError as exc:
            failures.append(exc)
            continue
        results.append(draw(article))
    return results, failures


def article_paths(paths: list[Path], failures: list[InputError]) -> list[Path]:
    """The article files named or found in folders; a path that does not exist is a failure."""
    failures.extend(InputError(str(p), "no such file or folder") for p in paths if not p.exists())
    return iter_article_paths([p for p in paths if p.exists()])


def extractor(ws: Workspace):
    """Extraction bound to the workspace's definitions and lexicon, loaded once."""
    from negotrack.extract import extract_article
    from negotrack.lexicon import load_lexicon

    vocabulary, threads = ws.definitions
    lexicon = load_lexicon(ws.lexicon_path())
    return lambda article: extract_article(article, vocabulary, threads, lexicon)


def ingest(
    ws: Workspace, paths: list[Path], published: Optional[dt.date] = None, progress: bool = True
) -> tuple[dict, list[InputError]]:
    """Draw and record events. Idempotent: the same article again changes nothing, however its
    path is spelt; a changed article has its extracted events replaced, not doubled; an article
    that gave no events leaves an empty log file, so it is not "new" again next time."""
    failures: list[InputError] = []
    files = article_paths(paths, failures)
    summary = {"workspace": str(ws.root), "articles": 0, "new": 0, "replaced": 0, "unchanged": 0, "events": 0, "replaced_files": []}
    draw = extractor(ws)
    bar = _progress(len(files)) if progress and len(files) >= 20 else None
    seen: set[Path] = set()
    try:
        for path in files:
            if bar:
                bar.advance()
            try:
                article = load_article(ws, path, published)
            except InputError as exc:
                failures.append(exc)
                continue
            target = article_log(ws, path, article, "extracted")
            if target in seen:  # the same article named twice in one run
                continue
            seen.add(target)
            ex = draw(article)
            summary["articles"] += 1
            with write_lock(ws.root):  # compare and replace with no other writer in between
                existed = target.exists()
                try:
                    before = read_events(target, ws.display(target))
                except InputError:
                    before = None  # a damaged file is replaced by a clean extraction
                if existed and before is not None and _same(before, ex):
                    summary["unchanged"] += 1
                    continue
                write_events(target, ex.events, keep_empty=True)
                for stale in earlier_versions(ws, target, ex.article):
                    stale.unlink()
                    existed = True
            if existed:
                summary["replaced"] += 1
                summary["replaced_files"].append(ex.article.path)
            else:
                summary["new"] += 1
            summary["events"] += len(ex.events)
    finally:
        if bar:
            bar.close()
    return summary, failures


def _same(before: list[Event], ex: Extraction) -> bool:
    """The log of an article already holds exactly what this extraction drew from this text."""
    if not before:
        return not ex.events
    return {e.source.sha256 for e in before} == {ex.article.sha256} and {e.id for e in before} == {e.id for e in ex.events}


class _progress:
    """A progress bar on stderr (rich) when many files are ingested."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task("ingesting", total=total)

    def advance(self) -> None:
        self._progress.advance(self._task)

    def close(self) -> None:
        self._progress.stop()
