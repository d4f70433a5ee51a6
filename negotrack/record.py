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
from negotrack.model import Article, Event, Evidence, Extraction
from negotrack.workspace import Workspace


def load_article(ws: Workspace, path: Path, published: Optional[dt.date] = None) -> Article:
    if not path.exists():
        raise InputError(str(path), "article not found")
    return read_article(path, published=published, display_path=ws.display(path))


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
    event = Event(
        thread=thread.id,
        type=event_type,
        date=date or doc.published,
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
    target = log_file_for(ws.root, doc.path, "manual")
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
    """Draw and record events. Idempotent: the same article again changes nothing; a changed
    article has its extracted events replaced, not doubled."""
    failures: list[InputError] = []
    files = article_paths(paths, failures)
    summary = {"articles": 0, "new": 0, "replaced": 0, "unchanged": 0, "events": 0, "replaced_files": []}
    draw = extractor(ws)
    bar = _progress(len(files)) if progress and len(files) >= 20 else None
    try:
        for path in files:
            if bar:
                bar.advance()
            try:
                article = load_article(ws, path, published)
            except InputError as exc:
                failures.append(exc)
                continue
            for ex in [draw(article)]:
                summary["articles"] += 1
                target = log_file_for(ws.root, ex.article.path, "extracted")
                before = read_events(target, ws.display(target))
                old_hashes = {e.source.sha256 for e in before}
                if before and old_hashes == {ex.article.sha256} and {e.id for e in before} == {e.id for e in ex.events}:
                    summary["unchanged"] += 1
                    continue
                if before or target.exists():
                    summary["replaced"] += 1
                    summary["replaced_files"].append(ex.article.path)
                else:
                    summary["new"] += 1
                write_events(target, ex.events)
                summary["events"] += len(ex.events)
    finally:
        if bar:
            bar.close()
    return summary, failures


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
