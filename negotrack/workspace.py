"""A workspace: a folder with `states/` (vocabulary and thread definitions), `seeds/` and
`events/` (the event log) and the articles the events quote.

Resolution order: --workspace, $NEGOTRACK_WORKSPACE, the current folder if it has `states/`,
else the workspace shipped with negotrack (this checkout's top folder).
"""

from __future__ import annotations

import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from negotrack.errors import InputError
from negotrack.layout import CACHE_DIR, LEXICON_FILE, STATE_DIR, VOCABULARY_FILE, definition_files, log_files

if TYPE_CHECKING:  # the parsing modules are imported only when a command needs them
    from negotrack.eventlog import LogEntry
    from negotrack.model import Event, ThreadDef, Vocabulary

SHIPPED = Path(__file__).resolve().parent.parent


def is_workspace(path: Path) -> bool:
    return (path / STATE_DIR).is_dir()


def shipped_file(name: str) -> Path:
    return SHIPPED / STATE_DIR / name


def resolve(explicit: Optional[str] = None) -> "Workspace":
    chosen = explicit or os.environ.get("NEGOTRACK_WORKSPACE")
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise InputError(str(root), "workspace does not exist (create one with `negotrack init DIR`)")
        if not is_workspace(root):
            raise InputError(str(root), f"not a negotrack workspace: it has no {STATE_DIR}/ folder (create one with `negotrack init DIR`)")
        return Workspace(root)
    here = Path.cwd()
    if is_workspace(here):
        return Workspace(here)
    if is_workspace(SHIPPED):
        return Workspace(SHIPPED)
    raise InputError(str(here), "no workspace here and no shipped workspace found; pass --workspace DIR")


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def states_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    @cached_property
    def definitions(self) -> tuple["Vocabulary", dict[str, "ThreadDef"]]:
        from negotrack.definitions import load_definitions

        return load_definitions(self.states_dir, fallback_vocabulary=shipped_file(VOCABULARY_FILE), cache_dir=self.cache_dir)

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

    def known_types(self) -> dict[str, frozenset[str]]:
        base = set(self.vocabulary.event_type_names)
        return {tid: frozenset(base | {e.name for e in t.event_types}) for tid, t in self.threads.items()}

    def display(self, path: Path) -> str:
        """Paths as the user should see them: relative to the workspace where possible."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def log_files(self) -> list[Path]:
        return log_files(self.root)

    def entries(self, files: Optional[list[Path]] = None, use_index: bool = True) -> dict[str, list["LogEntry"]]:
        """The log grouped per thread, in the light form replay needs."""
        from negotrack.eventlog import read_entries

        files = self.log_files() if files is None else files
        index = self.cache_dir / "log-index" if use_index else None
        return read_entries(files, self.known_types(), self.display, index)

    def events_of(self, thread_id: str) -> list[tuple["Event", Path]]:
        """Full records of one thread's events, each with the file it is stored in."""
        from negotrack.eventlog import read_events

        out = []
        known = self.known_types()
        for path in self.log_files():
            for line_no, event in enumerate(read_events(path, self.display(path)), 1):
                if event.thread not in known:
                    raise InputError(self.display(path), f"unknown thread {event.thread!r}", line_no)
                if event.thread == thread_id:
                    out.append((event, path))
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
    if target.exists() and any(target.iterdir()):
        if is_workspace(target):
            raise InputError(str(target), "is already a negotrack workspace")
        raise InputError(str(target), "folder exists and is not empty; choose a new or empty folder")
    staging = target.with_name(f".{target.name}.init-tmp")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / STATE_DIR).mkdir(parents=True)
    (staging / "events").mkdir()
    (staging / "articles").mkdir()
    for name in [VOCABULARY_FILE, LEXICON_FILE]:
        if shipped_file(name).exists():
            shutil.copy2(shipped_file(name), staging / STATE_DIR / name)
    (staging / "README.md").write_text(WORKSPACE_README, encoding="utf-8")
    if example:
        for path in definition_files(SHIPPED / STATE_DIR):
            shutil.copy2(path, staging / STATE_DIR / path.name)
    if target.exists():
        target.rmdir()
    staging.rename(target)  # the workspace appears whole or not at all
    return target
