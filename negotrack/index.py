"""The derived index: one SQLite file, `.negotrack/index.sqlite`, built from the workspace's
files and never the other way round. It replaces the three caches of earlier versions
(validated definitions, the log index, the status snapshot) with one store that is

* keyed by content: every definition and log file is known by the SHA-256 of its bytes, and a
  cached definition, a file's log entries and a status snapshot are valid only for the hashes
  they were built from;
* rebuilt when missing, damaged, or written by other code (its stamp is a hash of negotrack's
  own sources);
* safe under concurrency: SQLite's transactions, not our own stamps and temporary files.

Hashing ten thousand log files on every `status` would cost more than the status itself, so a
file's hash is reused while its stat signature (size, mtime, ctime, inode) is unchanged. ctime
cannot be set back by `touch -r`, `cp -p` or `rsync -a`, and a signature taken within two
seconds of the file's last change is not trusted (the file may change again within the clock's
granularity), so the next run hashes it again. `status --no-cache` bypasses the index.

Kept free of heavy imports (no pydantic, no transitions): a warm `status` lists files, compares
signatures, and prints the snapshot it finds.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Optional

import orjson

from negotrack.layout import CACHE_DIR, INDEX_FILE, OLD_CACHES, REVIEWS_FILE, STATE_DIR, definition_stats, log_file_stats

RACY_NS = 2_000_000_000  # a signature this close to the file's last change is not trusted
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sig TEXT, sha TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS definitions (path TEXT NOT NULL, sha TEXT NOT NULL, vocabulary TEXT NOT NULL,
    thread BLOB NOT NULL, PRIMARY KEY (path, sha, vocabulary));
CREATE TABLE IF NOT EXISTS logs (path TEXT PRIMARY KEY, sha TEXT NOT NULL, entries BLOB NOT NULL, problems BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""
_TABLES = ("files", "definitions", "logs", "snapshots")
_CODE_STAMP: Optional[str] = None


def code_stamp() -> str:
    """negotrack's version and a hash of its own sources: an index written by other code (an
    upgrade, a local edit) is rebuilt, never read back."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        from negotrack import __version__

        digest = hashlib.sha256(__version__.encode())
        package = Path(__file__).parent
        for path in sorted(package.rglob("*.py")):
            try:
                digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
            except OSError:
                digest.update(path.name.encode())
        _CODE_STAMP = digest.hexdigest()
    return _CODE_STAMP


def sha256_file(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _signature(st: os.stat_result, now_ns: int) -> Optional[str]:
    if now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


class Index:
    """One workspace's derived index; `Index(None)` is an index that keeps nothing."""

    def __init__(self, root: Optional[Path], writable: bool = True) -> None:
        self.root = root
        self._db: Optional[sqlite3.Connection] = None
        self._path = root / CACHE_DIR / INDEX_FILE if root is not None and writable else None
        self._hashes: dict[str, str] = {}
        self._file_rows: Optional[dict[str, tuple[Optional[str], str]]] = None
        self._changed: list[tuple[str, Optional[str], str]] = []
        if root is not None and self._path is not None and self._path.exists():
            self._db = self._open(self._path)
        if root is not None and self._db is None and self._path is None:
            self._memory()

    def _memory(self) -> None:
        """Read-only (or unwritable) workspace: an index in memory, for this run."""
        self._db = sqlite3.connect(":memory:", isolation_level=None)
        self._db.executescript(_SCHEMA)

    @property
    def db(self) -> Optional[sqlite3.Connection]:
        return self._db

    def _for_writing(self) -> Optional[sqlite3.Connection]:
        """The index file is made on the first write, so a command that fails leaves nothing."""
        if self._db is None and self._path is not None:
            self._db = self._open(self._path)
            if self._db is None:
                self._path = None
                self._memory()
        return self._db

    # --- opening -------------------------------------------------------------------------

    def _open(self, path: Path) -> Optional[sqlite3.Connection]:
        for attempt in (1, 2):
            try:
                fresh = not path.exists()
                path.parent.mkdir(parents=True, exist_ok=True)
                if fresh:  # made by us with 0666 less the umask (SQLite would make it 0644 less the umask)
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o666))
                db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
                db.execute("PRAGMA synchronous=OFF")  # a derived index: lost writes are rebuilt
                db.executescript(_SCHEMA)
                row = db.execute("SELECT value FROM meta WHERE key='code'").fetchone()
                if row is None or row[0] != code_stamp():
                    with db:
                        db.execute("BEGIN IMMEDIATE")
                        for table in _TABLES:
                            db.execute(f"DELETE FROM {table}")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_stamp(),))
                if fresh:
                    self._remove_old_caches(path.parent)
                return db
            except sqlite3.DatabaseError:  # damaged: it is derived, so start again
                try:
                    db.close()  # type: ignore[possibly-undefined]
                except Exception:
                    pass
                if attempt == 1:
                    for suffix in ("", "-journal", "-wal", "-shm"):
                        try:
                            os.unlink(str(path) + suffix)
                        except OSError:
                            pass
            except OSError:
                return None
        return None

    @staticmethod
    def _remove_old_caches(folder: Path) -> None:
        import shutil

        for name in OLD_CACHES:
            old = folder / name
            try:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            except OSError:
                pass

    def close(self) -> None:
        if self._db is not None:
            self.flush()
            self._db.close()
            self._db = None

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, rows: Iterable[tuple]) -> None:
        """Writes are best effort: a busy or full disk costs speed next time, not this answer."""
        db = self._for_writing()
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(sql, rows)
        except sqlite3.Error:
            pass

    # --- content hashes --------------------------------------------------------------------

    def hashes(self, stats: list[tuple[str, os.stat_result]]) -> dict[str, str]:
        """The SHA-256 of each file, reusing a recorded one while its signature holds."""
        if self.root is None:
            return {path: sha256_file(path) for path, _ in stats}
        if self._file_rows is None and self.db is None:
            self._file_rows = {}
        if self._file_rows is None:
            try:
                self._file_rows = {p: (sig, sha) for p, sig, sha in self.db.execute("SELECT path, sig, sha FROM files")}
            except sqlite3.Error:
                self._file_rows = {}
        rows = self._file_rows
        now = time.time_ns()
        out: dict[str, str] = {}
        for path, st in stats:
            known = self._hashes.get(path)
            if known is None:
                sig = _signature(st, now)
                row = rows.get(path)
                if row is not None and sig is not None and row[0] == sig:
                    known = row[1]
                else:
                    try:
                        known = sha256_file(path)
                    except OSError:
                        known = f"unreadable:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
                        sig = None
                    if row != (sig, known):
                        self._changed.append((path, sig, known))
                        rows[path] = (sig, known)
                self._hashes[path] = known
            out[path] = known
        return out

    def flush(self) -> None:
        """Record the hashes learnt in this run."""
        if self._changed:
            changed, self._changed = self._changed, []
            self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", changed)

    def workspace_hashes(self, root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(path, hash) of every YAML file of `states/` and of every event log file."""
        defs = definition_stats(root / STATE_DIR)
        logs = log_file_stats(root)
        hashes = self.hashes(defs + logs)
        return [(p, hashes[p]) for p, _ in defs], [(p, hashes[p]) for p, _ in logs]

    # --- the status snapshot -----------------------------------------------------------------

    def status_key(self, root: Path, *args: Any) -> str:
        """What a status depends on: definitions, event logs and the analysts' reviews."""
        defs, logs = self.workspace_hashes(root)
        reviews: list[tuple[str, str]] = []
        try:
            path = os.path.join(root, REVIEWS_FILE)
            reviews = list(self.hashes([(path, os.stat(path))]).items())
        except OSError:
            pass  # no reviews yet
        digest = hashlib.sha256(f"{code_stamp()}|{args}|{root}\n".encode())
        for path, sha in defs + logs + reviews:
            digest.update(f"{path}\0{sha}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def snapshot(self, key: str) -> Optional[Any]:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM snapshots WHERE key=?", (key,)).fetchone()
            return orjson.loads(row[0]) if row else None
        except (sqlite3.Error, orjson.JSONDecodeError):
            return None

    def save_snapshot(self, key: str, value: Any) -> None:
        """Keep the latest few snapshots (one per clock setting in use), not every one ever made."""
        if self.root is None:
            return
        self._write("INSERT OR REPLACE INTO snapshots VALUES (?, ?)", [(key, orjson.dumps(value))])
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM snapshots WHERE rowid NOT IN (SELECT rowid FROM snapshots ORDER BY rowid DESC LIMIT 8)")
        except sqlite3.Error:
            pass

    # --- definitions -----------------------------------------------------------------------

    def definitions(self, vocabulary_sha: str) -> dict[tuple[str, str], bytes]:
        """Validated definitions saved under this vocabulary: (path, sha) → thread JSON."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute("SELECT path, sha, thread FROM definitions WHERE vocabulary=?", (vocabulary_sha,))
            return {(p, s): t for p, s, t in rows}
        except sqlite3.Error:
            return {}

    def save_definitions(self, vocabulary_sha: str, fresh: list[tuple[str, str, bytes]]) -> None:
        if fresh:
            self._write("INSERT OR REPLACE INTO definitions VALUES (?, ?, ?, ?)", [(p, s, vocabulary_sha, t) for p, s, t in fresh])

    # --- log entries -----------------------------------------------------------------------

    def log_entries(self) -> dict[str, tuple[str, bytes, bytes]]:
        """Saved entries of every log file: path → (sha, marshalled entries, marshalled problems)."""
        if self.db is None:
            return {}
        try:
            return {p: (s, e, q) for p, s, e, q in self.db.execute("SELECT path, sha, entries, problems FROM logs")}
        except sqlite3.Error:
            return {}

    def save_log_entries(self, rows: list[tuple[str, str, list, list]], keep: Iterable[str]) -> None:
        """Save the entries of files parsed in this run; drop those of files that are gone."""
        if self.root is None:
            return
        if rows:
            self._write("INSERT OR REPLACE INTO logs VALUES (?, ?, ?, ?)", [(p, s, marshal.dumps(e), marshal.dumps(q)) for p, s, e, q in rows])
        try:
            present = {p for (p,) in self.db.execute("SELECT path FROM logs")} if self.db is not None else set()
        except sqlite3.Error:
            return
        gone = present - set(keep)
        if gone:
            self._write("DELETE FROM logs WHERE path=?", [(p,) for p in gone])
            self._write("DELETE FROM files WHERE path=?", [(p,) for p in gone])
