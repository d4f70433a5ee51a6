"""Writing files safely: atomic replacement that respects the umask, the workspace's write
lock, the sweep of temporary files a killed writer left, and OS errors told in one line.

Every read-modify-write of the log happens inside `write_lock`: two `add-event` calls on the
same article can no longer read the same old file and each write back their own version.
"""

from __future__ import annotations

import errno
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from negotrack.errors import InputError
from negotrack.layout import CACHE_DIR, LOCK_FILE, TMP_SUFFIX, tmp_files

LOCK_TIMEOUT = 600.0  # seconds to wait for another negotrack writing to the same workspace

_HINTS = {
    errno.EACCES: "permission denied; check the permissions, or choose another workspace with -w",
    errno.EPERM: "operation not permitted; check the permissions, or choose another workspace with -w",
    errno.EROFS: "read-only file system; choose a writable workspace with -w",
    errno.ENOSPC: "no space left on the device; free some space and run the command again (nothing was half-written)",
    errno.EDQUOT: "disk quota exceeded; free some space and run the command again (nothing was half-written)",
    errno.EFBIG: "file too large for this file system or limit; free space or raise the limit and run again (nothing was half-written)",
    errno.EISDIR: "is a folder where a file was expected",
    errno.ENOTDIR: "a part of this path is a file where a folder was expected",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many symbolic links",
}


def describe(exc: OSError, path: object = None) -> InputError:
    """An OS error as the one-line InputError the CLI prints: the file, what happened, what to do."""
    where = str(path if path is not None else (exc.filename if exc.filename is not None else "negotrack"))
    hint = _HINTS.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)
    return InputError(where, hint)


def atomic_write(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: a crash leaves the
    old file or the new one, never half of either. The temporary file is created with mode
    0666 less the umask, as any other file the user makes (mkstemp would force 0600).
    `durable` also flushes the data and the rename to disk."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(folder)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sweep_tmp(root: Path) -> list[Path]:
    """Remove the temporary files of atomic writes in the log folders. Called with the write
    lock held: every writer holds it while its temporary file exists, so any found is stale."""
    removed = []
    for path in tmp_files(root):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


@contextmanager
def write_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """The workspace's write lock (`.negotrack/write.lock`, via `filelock`), held for every
    read-modify-write of the log; stale temporary files are swept once it is taken."""
    from filelock import FileLock, Timeout

    folder = root / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK_FILE), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(str(root), f"another negotrack has been writing to this workspace for {timeout:.0f}s; try again later") from None
    try:
        sweep_tmp(root)
        yield
    finally:
        lock.release()
