"""Thread definitions: load `states/*.yaml`, validate them completely, build `transitions` machines.

Validation is eager: every problem of every file is collected and reported at once with its
file and line, so a misspelt destination is found when the file is read, not when it fires.
"""

from __future__ import annotations

import difflib
from collections import deque
from pathlib import Path
from typing import Any, Iterable

import orjson
from pydantic import ValidationError

from negotrack.errors import InputError, InputErrors
from negotrack.model import EventTypeDef, ThreadDef, Vocabulary
from negotrack.yamlio import Located, load_yaml

from negotrack.layout import LEXICON_FILE, VOCABULARY_FILE, definition_files  # noqa: F401

ANY_STATE = "*"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _bool_word_errors(doc: Located) -> list[InputError]:
    return [
        InputError(doc.path, f"{word!r} is read by YAML as a boolean; quote it (\"{word}\") or write true/false", line)
        for _loc, word, line in doc.bool_words
    ]


def _pydantic_errors(doc: Located, exc: ValidationError) -> list[InputError]:
    errors = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "document"
        errors.append(doc.error(loc, f"{field}: {err['msg']}"))
    return errors


def load_vocabulary(path: Path, display: str | None = None) -> Vocabulary:
    doc = load_yaml(path, display)
    errors = _bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors([doc.error((), "expected a mapping with `phases:` and `event_types:`")])
    try:
        vocabulary = Vocabulary.model_validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(errors + _pydantic_errors(doc, exc)) from None
    for key, names in (("phases", vocabulary.phase_names), ("event_types", vocabulary.event_type_names)):
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                errors.append(doc.error((key, index), f"{name!r} is listed twice"))
            seen.add(name)
    errors += _decisive_errors(doc, vocabulary.support.decisive, vocabulary.phase_names)
    if errors:
        raise InputErrors(errors)
    return vocabulary


def _decisive_errors(doc: Located, decisive: Iterable[str], phases: tuple[str, ...]) -> list[InputError]:
    """`support.decisive` must name phases: a typo would silently take moves unsupported."""
    return [
        doc.error(("support", "decisive", i), f"support.decisive: unknown phase {name!r}{did_you_mean(name, phases)}")
        for i, name in enumerate(decisive)
        if name not in phases
    ]


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Accept `source: a` as well as `source: [a, b]`, as `transitions` does."""
    data = dict(data)
    transitions = data.get("transitions")
    if isinstance(transitions, list):
        fixed = []
        for t in transitions:
            if isinstance(t, dict) and isinstance(t.get("source"), str):
                t = {**t, "source": [t["source"]]}
            fixed.append(t)
        data["transitions"] = fixed
    return data


def check_thread(doc: Located, thread: ThreadDef, vocabulary: Vocabulary) -> list[InputError]:
    """Every semantic problem of one definition, each with its line."""
    errors: list[InputError] = []
    phases = vocabulary.phase_names
    event_types = set(vocabulary.event_type_names) | {e.name for e in thread.event_types}
    stem = Path(doc.path).stem
    if thread.id != stem:
        errors.append(doc.error(("id",), f"id {thread.id!r} does not match the file name {stem!r}"))
    names: list[str] = []
    for index, state in enumerate(thread.states):
        if state.name in names:
            errors.append(doc.error(("states", index, "name"), f"state {state.name!r} is defined twice"))
        names.append(state.name)
        if state.phase not in phases:
            errors.append(
                doc.error(("states", index, "phase"), f"state {state.name!r} has unknown phase {state.phase!r}{did_you_mean(state.phase, phases)}")
            )
    if thread.initial not in names:
        errors.append(doc.error(("initial",), f"initial state {thread.initial!r} is not a state{did_you_mean(thread.initial, names)}"))
    seen_edges: dict[tuple[str, str], int] = {}
    for index, t in enumerate(thread.transitions):
        if t.trigger not in event_types:
            errors.append(
                doc.error(("transitions", index, "trigger"), f"unknown event type {t.trigger!r}{did_you_mean(t.trigger, event_types)}")
            )
        for j, source in enumerate(t.source):
            if source != ANY_STATE and source not in names:
                errors.append(doc.error(("transitions", index, "source", j), f"unknown source state {source!r}{did_you_mean(source, names)}"))
            key = (t.trigger, source)
            if key in seen_edges:
                errors.append(
                    doc.error(
                        ("transitions", index),
                        f"duplicate transition: {t.trigger!r} from {source!r} is already defined at line {seen_edges[key]}",
                    )
                )
            else:
                seen_edges[key] = doc.line(("transitions", index)) or 0
        if t.dest is not None and t.dest not in names:
            errors.append(doc.error(("transitions", index, "dest"), f"unknown destination state {t.dest!r}{did_you_mean(t.dest, names)}"))
    if thread.support is not None and thread.support.decisive is not None:
        errors += _decisive_errors(doc, thread.support.decisive, phases)
    for event_type in thread.cues:
        if event_type not in event_types:
            errors.append(doc.error(("cues", event_type), f"cues for unknown event type {event_type!r}{did_you_mean(event_type, event_types)}"))
    if not errors:
        reachable = reachable_states(thread)
        for index, state in enumerate(thread.states):
            if state.name not in reachable:
                errors.append(doc.error(("states", index), f"state {state.name!r} cannot be reached from {thread.initial!r}"))
    return errors


def reachable_states(thread: ThreadDef) -> set[str]:
    edges: dict[str, set[str]] = {}
    all_states = [s.name for s in thread.states]
    for t in thread.transitions:
        if t.dest is None:
            continue
        for source in expand_sources(thread, t.source):
            edges.setdefault(source, set()).add(t.dest)
    seen = {thread.initial}
    queue = deque([thread.initial])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen and nxt in all_states:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def expand_sources(thread: ThreadDef, sources: Iterable[str]) -> list[str]:
    """`*` means every state that is not final: nothing leaves a final state."""
    out: list[str] = []
    for source in sources:
        if source == ANY_STATE:
            out.extend(s.name for s in thread.states if not s.final)
        else:
            out.append(source)
    return list(dict.fromkeys(out))


def load_thread(path: Path, vocabulary: Vocabulary, display: str | None = None) -> ThreadDef:
    doc = load_yaml(path, display)
    errors = _bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors(errors + [doc.error((), "expected a mapping (id, title, initial, states, transitions)")])
    try:
        thread = ThreadDef.model_validate({**_normalise(doc.data), "path": doc.path})
    except ValidationError as exc:
        raise InputErrors(errors + _pydantic_errors(doc, exc)) from None
    errors += check_thread(doc, thread, vocabulary)
    if errors:
        raise InputErrors(errors)
    return thread


def load_definitions(
    states_dir: Path, fallback_vocabulary: Path | None = None, cache_dir: Path | None = None
) -> tuple[Vocabulary, dict[str, ThreadDef]]:
    """The vocabulary and every thread of a `states/` folder; all problems raised together.

    With `cache_dir`, definitions that validated before and whose file is unchanged (size and
    modification time) are taken from a cache: parsing YAML costs ~7 ms a file, which a
    workspace of a thousand threads would otherwise pay on every command.
    """
    if not states_dir.is_dir():
        raise InputErrors([InputError(str(states_dir), "no such folder of thread definitions")])
    vocab_path = states_dir / VOCABULARY_FILE
    if not vocab_path.exists() and fallback_vocabulary is not None:
        vocab_path = fallback_vocabulary
    vocabulary = load_vocabulary(vocab_path)
    cache = _DefinitionCache(cache_dir, vocab_path) if cache_dir is not None else None
    errors: list[InputError] = []
    threads: dict[str, ThreadDef] = {}
    for path in definition_files(states_dir):
        thread = cache.get(path) if cache else None
        if thread is None:
            try:
                thread = load_thread(path, vocabulary)
            except InputError as exc:
                errors.append(exc)
                continue
            except InputErrors as exc:
                errors.extend(exc.errors)
                continue
            if cache:
                cache.put(path, thread)
        if thread.id in threads:
            errors.append(InputError(str(path), f"thread id {thread.id!r} is also defined in {threads[thread.id].path}", 1))
        threads[thread.id] = thread
    if errors:
        raise InputErrors(errors)
    if cache:
        cache.save()
    return vocabulary, threads


class _DefinitionCache:
    """Validated definitions keyed by file size and mtime (and the vocabulary's and our version)."""

    NAME = "definitions.json"

    def __init__(self, cache_dir: Path, vocab_path: Path) -> None:
        from negotrack.snapshot import code_stamp

        self.path = cache_dir / self.NAME
        self.salt = f"{code_stamp()}|{_stamp(vocab_path)}"
        self.entries: dict[str, dict] = {}
        self.dirty = False
        try:
            saved = orjson.loads(self.path.read_bytes())
            if saved.get("salt") == self.salt:
                self.entries = saved["threads"]
        except (OSError, orjson.JSONDecodeError, KeyError, AttributeError, TypeError):
            pass  # no cache, or a damaged one: parse everything

    def get(self, path: Path) -> ThreadDef | None:
        entry = self.entries.get(str(path))
        if entry is None or entry.get("stamp") != _stamp(path):
            return None
        try:
            return ThreadDef.model_validate(entry["thread"])
        except (ValidationError, KeyError, TypeError):
            return None

    def put(self, path: Path, thread: ThreadDef) -> None:
        self.entries[str(path)] = {"stamp": _stamp(path), "thread": thread.model_dump(mode="json")}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        from negotrack.eventlog import atomic_write

        try:
            atomic_write(self.path, orjson.dumps({"salt": self.salt, "threads": self.entries}))
        except OSError:
            pass  # a read-only workspace works, only slower


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def event_types_of(thread: ThreadDef, vocabulary: Vocabulary) -> tuple[EventTypeDef, ...]:
    return vocabulary.event_types + thread.event_types
