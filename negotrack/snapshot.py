"""The status snapshot: the last computed status, valid while no definition or event file changed.

Kept free of heavy imports (no pydantic, no transitions): a warm `status` only lists files,
compares sizes and modification times, and prints what was saved.
"""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import Any, Optional

import orjson

from negotrack.layout import CACHE_DIR, REVIEW_FILE, STATE_DIR, definition_stats, log_file_stats

NAME = "status-snapshot.json"


def code_stamp() -> str:
    """The version and the stamps of negotrack's own modules: a snapshot written by other code
    (an upgrade, a local edit) is never read back."""
    from negotrack import __version__

    package = Path(__file__).parent
    stamps = [f"{p.name}:{p.stat().st_mtime_ns}" for p in sorted(package.glob("*.py"))]
    return __version__ + "|" + ",".join(stamps)


def fingerprint(root: Path, *args: Any) -> str:
    """Size and mtime of every definition and event file and of the review log: one stat
    each, no parsing."""
    stats = definition_stats(root / STATE_DIR) + log_file_stats(root)
    try:
        stats.append((REVIEW_FILE, (root / REVIEW_FILE).stat()))
    except OSError:
        pass  # no reviews yet
    numbers = array("q")
    for _, st in stats:
        numbers.append(st.st_size)
        numbers.append(st.st_mtime_ns)
    digest = hashlib.sha256(f"{code_stamp()}|{args}|{root}\n".encode())
    digest.update("\n".join(path for path, _ in stats).encode("utf-8", "surrogateescape"))
    digest.update(numbers.tobytes())
    return digest.hexdigest()


def load(root: Path, key: str) -> Optional[list[dict]]:
    path = root / CACHE_DIR / NAME
    try:
        saved = orjson.loads(path.read_bytes())
        return saved["statuses"] if saved.get("key") == key else None
    except (OSError, orjson.JSONDecodeError, KeyError, AttributeError, TypeError):
        return None  # no snapshot, or a damaged one: it is only a cache


def save(root: Path, key: str, statuses: list[dict]) -> None:
    from negotrack.eventlog import atomic_write

    try:
        atomic_write(root / CACHE_DIR / NAME, orjson.dumps({"key": key, "statuses": statuses}))
    except OSError:
        pass  # a read-only workspace still gets its answer, only slower next time
