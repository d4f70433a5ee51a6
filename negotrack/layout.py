"""Where things live in a workspace. Only paths here, no parsing, so that the warm `status`
path can fingerprint the workspace without importing the heavy parts of negotrack."""

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
LOG_DIRS = ("seeds", "events")
LOG_SUFFIX = ".jsonl"
CACHE_DIR = ".negotrack"


def definition_files(states_dir: Path) -> list[Path]:
    """Every thread definition: the YAML files of `states/` except vocabulary and lexicon."""
    return sorted(p for p in states_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.name not in NOT_THREADS)


def definition_stats(states_dir: Path) -> list[tuple[str, "os.stat_result"]]:
    """Every YAML file of `states/` (definitions, vocabulary, lexicon, machines) with its stat."""
    try:
        entries = list(os.scandir(states_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [(e.path, e.stat()) for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    try:
        found += [(e.path, e.stat()) for e in os.scandir(os.path.join(states_dir, MACHINES_DIR)) if e.name.endswith(".yaml") and e.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        pass
    found.sort()
    return found


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
        if entry.is_dir(follow_symlinks=True):
            _scan(entry.path, found)
        elif entry.name.endswith(LOG_SUFFIX) and entry.is_file(follow_symlinks=True):
            found.append((entry.path, entry.stat()))


def log_file_for(root: Path, article_path: str, origin: str) -> Path:
    """Where the events of one article live: stable for its path, apart per origin.

    Extracted events are replaced when the article is ingested again; manual ones are never
    touched by ingest, so they get a file of their own.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(article_path).stem)[:80] or "article"
    digest = hashlib.sha256(article_path.encode("utf-8")).hexdigest()[:8]
    return root / "events" / f"{stem}-{digest}.{origin}{LOG_SUFFIX}"
