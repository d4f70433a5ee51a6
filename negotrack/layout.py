"""Where things live in a workspace. Only paths here, no parsing, so that the warm `status`
path can list the workspace without importing the heavy parts of negotrack.

This is the one place that says which files are event logs: everything that lists, indexes or
validates the log asks `log_file_stats` / `is_event_log`. A file of another kind kept beside
the events (the review log) is named here and excluded here.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

STATE_DIR = "states"
VOCABULARY_FILE = "vocabulary.yaml"
LEXICON_FILE = "lexicon.yaml"
MACHINES_DIR = "machines"  # shared machines (states/machines/NAME.yaml) that threads name with `machine:`
NOT_THREADS = {VOCABULARY_FILE, LEXICON_FILE}
EVENTS_DIR = "events"
SEEDS_DIR = "seeds"
LOG_DIRS = (SEEDS_DIR, EVENTS_DIR)
LOG_SUFFIX = ".jsonl"
# JSON-lines files in the log folders that are not event logs (reviews: confirm/dismiss entries).
REVIEWS_FILE = "reviews.jsonl"
NOT_EVENT_LOGS = frozenset({REVIEWS_FILE})
CACHE_DIR = ".negotrack"
INDEX_FILE = "index.sqlite"
LOCK_FILE = "write.lock"
# Caches of earlier versions, replaced by the index: removed when the index is first built.
OLD_CACHES = ("definitions.json", "log-index", "status-snapshot.json")
# Temporary files of an atomic write: `.NAME.PID.RANDOM.tmp` beside the file they replace.
TMP_SUFFIX = ".tmp"


def definition_files(states_dir: Path) -> list[Path]:
    """Every thread definition: the YAML names of `states/` except vocabulary and lexicon.

    A folder with a YAML name is listed too, so that it is reported rather than ignored."""
    return sorted(p for p in states_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.name not in NOT_THREADS)


def definition_stats(states_dir: Path) -> list[tuple[str, "os.stat_result"]]:
    """Every YAML file of `states/` (definitions, vocabulary, lexicon, machines) with its stat."""
    try:
        entries = list(os.scandir(states_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for e in entries:
        if e.name.endswith((".yaml", ".yml")):
            try:
                found.append((e.path, e.stat()))
            except OSError:
                continue
    try:
        found += [(e.path, e.stat()) for e in os.scandir(os.path.join(states_dir, MACHINES_DIR)) if e.name.endswith(".yaml") and e.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        pass
    found.sort()
    return found


def is_event_log(name: str) -> bool:
    """Whether a file name in a log folder is an event log (and not, say, the review log)."""
    return name.endswith(LOG_SUFFIX) and not name.startswith(".") and name not in NOT_EVENT_LOGS


def log_files(root: Path) -> list[Path]:
    return [Path(p) for p, _ in log_file_stats(root)]


def log_file_stats(root: Path) -> list[tuple[str, "os.stat_result"]]:
    """Every event file with its stat, sorted by path: os.scandir, since pathlib's rglob and
    Path sorting cost more than the warm `status` may take on a log of ten thousand files."""
    found: list[tuple[str, os.stat_result]] = []
    for name in LOG_DIRS:
        _scan(os.path.join(root, name), found)
    found.sort()
    return found


def _scan(folder: str, found: list) -> None:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=True):
                if not entry.name.startswith("."):
                    _scan(entry.path, found)
            elif is_event_log(entry.name):
                # an unreadable file is listed too: reading it says what is wrong
                found.append((entry.path, entry.stat()))
        except OSError:
            continue


def tmp_files(root: Path) -> list[Path]:
    """Temporary files of atomic writes in the log folders (left behind by a killed writer)."""
    out: list[Path] = []
    for name in LOG_DIRS:
        folder = root / name
        if folder.is_dir():
            out.extend(p for p in folder.rglob(f".*{TMP_SUFFIX}") if p.is_file())
    return sorted(out)


def log_file_for(root: Path, article_id: str, origin: str, name: str | None = None) -> Path:
    """Where the events of one article live: stable for its identity, apart per origin.

    `article_id` is the article's path relative to the workspace, or its content hash when it
    lies outside (see Workspace.article_identity). Extracted events are replaced when the
    article is ingested again; manual ones are never touched by ingest, so they get a file of
    their own. `name` (the article's file name) makes the file name readable when the identity
    is a hash.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(name or article_id).stem)[:80] or "article"
    digest = hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8]
    return root / EVENTS_DIR / f"{stem}-{digest}.{origin}{LOG_SUFFIX}"
