"""Where things live in a workspace. Only paths here, no parsing, so that the warm `status`
path can fingerprint the workspace without importing the heavy parts of negotrack."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATE_DIR = "states"
VOCABULARY_FILE = "vocabulary.yaml"
LEXICON_FILE = "lexicon.yaml"
NOT_THREADS = {VOCABULARY_FILE, LEXICON_FILE}
LOG_DIRS = ("seeds", "events")
LOG_SUFFIX = ".jsonl"
CACHE_DIR = ".negotrack"


def definition_files(states_dir: Path) -> list[Path]:
    """Every thread definition: the YAML files of `states/` except vocabulary and lexicon."""
    return sorted(p for p in states_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.name not in NOT_THREADS)


def log_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in LOG_DIRS:
        folder = root / name
        if folder.is_dir():
            files.extend(p for p in folder.rglob(f"*{LOG_SUFFIX}") if p.is_file())
    return sorted(files)


def log_file_for(root: Path, article_path: str, origin: str) -> Path:
    """Where the events of one article live: stable for its path, apart per origin.

    Extracted events are replaced when the article is ingested again; manual ones are never
    touched by ingest, so they get a file of their own.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(article_path).stem)[:80] or "article"
    digest = hashlib.sha256(article_path.encode("utf-8")).hexdigest()[:8]
    return root / "events" / f"{stem}-{digest}.{origin}{LOG_SUFFIX}"
