"""A workspace: a folder with `states/` (vocabulary and thread definitions), `seeds/` and
`events/` (the event log) and the articles the events quote.

Resolution order: --workspace, $NEGOTRACK_WORKSPACE, the current folder if it has `states/`,
else the workspace shipped with negotrack, which is read-only: commands that write refuse it
rather than write into the installed package or the checkout.
"""

from __future__ import annotations

import datetime as dt

import hashlib
import marshal
import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from negotrack.errors import InputError
from negotrack.layout import EVENTS_DIR, LEXICON_FILE, STATE_DIR, VOCABULARY_FILE, definition_files, log_file_stats, log_files

if TYPE_CHECKING:  # the parsing modules are imported only when a command needs them
    from negotrack.eventlog import LogEntry
    from negotrack.index import Index
    from negotrack.model import Event, ThreadDef, Vocabulary


def _shipped_root() -> Path:
    """The shipped workspace: `states/` and `seeds/` installed inside the package
    (negotrack/states, negotrack/seeds), or, running from a checkout or an editable install,
    the checkout's top folder."""
    package = Path(__file__).resolve().parent
    if (package / STATE_DIR / VOCABULARY_FILE).is_file():
        return package
    return package.parent


SHIPPED = _shipped_root()
NO_WRITE_WORKSPACE = (
    "no workspace to write to: pass --workspace DIR, set NEGOTRACK_WORKSPACE, or run in a workspace folder "
    "(create one with `negotrack init DIR`); the shipped workspace is read-only"
)


def is_workspace(path: Path) -> bool:
    return (path / STATE_DIR).is_dir()


def shipped_file(name: str) -> Path:
    return SHIPPED / STATE_DIR / name


def is_shipped(path: Path) -> bool:
    try:
        return path.resolve() == SHIPPED
    except OSError:
        return False


def resolve(explicit: Optional[str] = None, write: bool = False) -> "Workspace":
    """The workspace a command works on; `write`: one it may write to (never the shipped one)."""
    chosen = explicit or os.environ.get("NEGOTRACK_WORKSPACE")
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise InputError(str(root), "workspace does not exist (create one with `negotrack init DIR`)")
        if not is_workspace(root):
            raise InputError(str(root), f"not a negotrack workspace: it has no {STATE_DIR}/ folder (create one with `negotrack init DIR`)")
        ws = Workspace(root)
    else:
        here = Path.cwd()
        if is_workspace(here):
            ws = Workspace(here)
        elif is_workspace(SHIPPED):
            ws = Workspace(SHIPPED)
        else:
            raise InputError(str(here), "no workspace here and no shipped workspace found; pass --workspace DIR")
    if write and ws.read_only:
        raise InputError(str(Path.cwd()) if not chosen else str(ws.root), NO_WRITE_WORKSPACE)
    return ws


class Workspace:
    def __init__(self, root: Path, use_index: bool = True) -> None:
        self.root = root.resolve()
        self.read_only = self.root == SHIPPED
        self.use_index = use_index
        self.problems: list[InputError] = []  # log lines skipped by the last `entries()`, each named

    @property
    def states_dir(self) -> Path:
        return self.root / STATE_DIR

    @cached_property
    def index(self) -> "Index":
        """The derived index; in memory only for the shipped workspace or with `use_index` off."""
        from negotrack.index import Index

        return Index(self.root if self.use_index else None, writable=not self.read_only)

    def status_key(self, as_of: Optional[dt.date], known_at: Optional[dt.date]) -> str:
        """What a saved status is valid for: the files it was made from, the two clocks, and the
        day overdue is judged on. Light: the warm `status` asks it before importing anything heavy."""
        from negotrack.overdue import clock

        return self.index.status_key(self.root, as_of, known_at, clock(as_of))

    @cached_property
    def definitions(self) -> tuple["Vocabulary", dict[str, "ThreadDef"]]:
        from negotrack.definitions import load_definitions

        return load_definitions(self.states_dir, fallback_vocabulary=shipped_file(VOCABULARY_FILE), index=self.index)

    @property
    def vocabulary(self) -> "Vocabulary":
        return self.definitions[0]

    @property
    def threads(self) -> dict[str, "ThreadDef"]:
        return self.definitions[1]

    def lexicon_path(self) -> Path:
        own = self.states_dir / LEXICON_FILE
        return own if own.exists() else shipped_file(LEXICON_FILE)

    def thread(self, thread_id: str) -> "ThreadDef":
        threads = self.threads
        if thread_id not in threads:
            known = ", ".join(sorted(threads)) or "none"
            raise InputError(str(self.states_dir), f"unknown thread {thread_id!r}; known threads: {known}")
        return threads[thread_id]

    @cached_property
    def _known_types(self) -> dict[str, frozenset[str]]:
        base = set(self.vocabulary.event_type_names)
        return {tid: frozenset(base | {e.name for e in t.event_types}) for tid, t in self.threads.items()}

    def known_types(self) -> dict[str, frozenset[str]]:
        return self._known_types

    def display(self, path: Path | str) -> str:
        """Paths as the user should see them: relative to the workspace where possible."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return str(path)

    def article_identity(self, path: Path) -> tuple[str, str]:
        """(identity, path to record) of an article file.

        Inside the workspace both are its resolved path relative to the workspace, however it
        was spelt on the command line; outside, the identity is its content hash and the path
        recorded is its resolved absolute path (a relative one would depend on the folder the
        command ran in)."""
        resolved = path.resolve()
        try:
            relative = resolved.relative_to(self.root).as_posix()
            return relative, relative
        except ValueError:
            pass
        try:
            digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
        except OSError:
            digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()
        return f"sha256:{digest}", str(resolved)

    def log_files(self) -> list[Path]:
        return log_files(self.root)

    def entries(self, files: Optional[list[Path]] = None, use_index: bool = True) -> dict[str, list["LogEntry"]]:
        """The log grouped per thread, in the light form replay needs.

        A bad line (malformed, an unknown thread or type, a file that cannot be read) does not
        block the rest: it is skipped and named in `self.problems`."""
        from negotrack.eventlog import allowed_pairs, check_known, parse_log
        from negotrack.fsio import describe
        from negotrack.index import Index

        known = self.known_types()
        allowed = allowed_pairs(known)
        if files is None:
            stats = log_file_stats(self.root)
        else:
            stats = [(str(p), os.stat(p)) for p in files]
        index = self.index if use_index else Index(None)
        hashes = index.hashes(stats)
        saved = index.log_entries()
        fresh = []
        per_thread: dict[str, list] = {thread: [] for thread in known}
        problems: list[InputError] = []
        for path, _ in stats:
            shown = self.display(path)
            row = saved.get(path)
            if row is not None and row[0] == hashes[path]:
                entries = marshal.loads(row[1])
                bad = [InputError(*p) for p in marshal.loads(row[2])]
            else:
                try:
                    data = Path(path).read_bytes()
                except OSError as exc:
                    problems.append(describe(exc, shown))
                    continue
                entries, bad = parse_log(data, path, shown)
                sha = hashlib.sha256(data).hexdigest()
                fresh.append((path, sha, entries, [(p.path, p.problem, p.line) for p in bad]))
            problems.extend(bad)
            good, unknown = check_known(entries, known, shown, allowed)
            problems.extend(unknown)
            for entry in good:  # plain tuples in LogEntry's field order: no object per event
                per_thread[entry[3]].append(entry)
        if use_index:
            index.save_log_entries(fresh, [p for p, _ in stats] if files is None else list(saved) + [p for p, _ in stats])
            index.flush()
        self.problems = problems
        return per_thread

    def events_of(self, thread_id: str) -> list[tuple["Event", Path]]:
        """Full records of one thread's events, each with the file it is stored in; lines that
        cannot be read or name an unknown thread or type are skipped and named in
        `self.problems`, exactly as `entries` does, so `replay` and `status` agree."""
        from negotrack.eventlog import read_events_at

        wanted: dict[str, list[int]] = {}
        for entry in self.entries().get(thread_id, []):
            wanted.setdefault(entry[6], []).append(entry[7])
        out = []
        for file, lines in wanted.items():
            out.extend((event, Path(file)) for event in read_events_at(file, lines, self.display(file)))
        return out

    def article_path(self, source_path: str) -> Path:
        path = Path(source_path)
        return path if path.is_absolute() else self.root / path


WORKSPACE_README = """# A negotrack workspace

- `states/` — `vocabulary.yaml` (the phases and event types), `lexicon.yaml` (the cue words) and
  one file per negotiation thread, `states/ID.yaml`.
- `events/` — what `negotrack ingest` and `negotrack add-event` record (one JSON-lines file per article).
- `articles/` — a place for the articles the events quote.

## Add a thread

Write `states/lyss-water.yaml` (the file name is the id):

```yaml
id: lyss-water
title: Lyss river water-sharing talks
parties: [Arland, Borovia]
mediators: [Switzerland]
aliases: [Lyss river, water-sharing talks]   # names and places that identify it in text
machine: standard                           # the standard states and transitions
```

`machine: standard` gives the thread every phase and event of the standard vocabulary (talks
proposed, scheduled, held, stalled, suspended, resumed, agreements reached, in force, collapsed,
...). Check it with `negotrack validate`; draw it with `negotrack graph lyss-water`.

## Add a thread that is already under way

Most talks have a history before the first article you have. Say where the thread stands, since
when, and on what grounds:

```yaml
id: lyss-water
title: Lyss river water-sharing talks
aliases: [Lyss river, water-sharing talks]
machine: standard
initial: {state: active, since: 2029-02-25, note: "rounds held in Geneva since late 2028", source: "https://example.org/lyss-talks"}
```

`status` shows the thread in `active` since that date until an event moves it, `replay` shows
the starting point as its first row, and `--as-of` a date before `since` shows the thread as not
yet tracked. `initial: active` alone works too.

## Then

```sh
negotrack ingest ~/clippings/        # draw and record events from articles
negotrack status                     # where each thread stands, with the quote that put it there
negotrack replay lyss-water          # every event, and what it did
```
"""


def init_workspace(target: Path, example: bool = False) -> Path:
    """A new workspace: the standard vocabulary and lexicon, a README on adding threads, no
    events, and no threads unless `example` (then the shipped Gaza threads)."""
    if target.exists() and not target.is_dir():
        raise InputError(str(target), "exists and is a file; choose a new or empty folder")
    if target.exists() and any(target.iterdir()):
        if is_workspace(target):
            raise InputError(str(target), "is already a negotrack workspace")
        raise InputError(str(target), "folder exists and is not empty; choose a new or empty folder")
    if not shipped_file(VOCABULARY_FILE).is_file():
        raise InputError(str(shipped_file(VOCABULARY_FILE)), "the shipped vocabulary is missing: negotrack is not installed whole; reinstall it")
    staging = target.with_name(f".{target.name}.init-tmp")
    try:
        if staging.exists():
            shutil.rmtree(staging)
        (staging / STATE_DIR).mkdir(parents=True)
        (staging / EVENTS_DIR).mkdir()
        (staging / "articles").mkdir()
        for name in [VOCABULARY_FILE, LEXICON_FILE]:
            shutil.copyfile(shipped_file(name), staging / STATE_DIR / name)
        (staging / "README.md").write_text(WORKSPACE_README, encoding="utf-8")
        if example:
            for path in definition_files(SHIPPED / STATE_DIR):
                shutil.copyfile(path, staging / STATE_DIR / path.name)
        if target.exists():
            target.rmdir()
        staging.rename(target)  # the workspace appears whole or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
