"""Thread definitions: load `states/*.yaml`, validate them completely, build `transitions` machines.

Validation is eager: every problem of every file is collected and reported at once with its
file and line, so a misspelt destination is found when the file is read, not when it fires.
"""

from __future__ import annotations

import difflib
import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from pydantic import ValidationError

from negotrack.errors import InputError, InputErrors
from negotrack.layout import LEXICON_FILE, MACHINES_DIR, VOCABULARY_FILE, definition_files  # noqa: F401
from negotrack.model import EventTypeDef, MachineDef, StartingPoint, ThreadDef, ThreadFile, TransitionDef, Vocabulary
from negotrack.workspace import shipped_file
from negotrack.yamlio import Located, load_yaml

if TYPE_CHECKING:
    from negotrack.index import Index

ANY_STATE = "*"
# Caps: a definition is a page of YAML a person writes. A file of millions of aliases took 70 s
# and 1.6 GB to read; these keep every definition to well under a second.
MAX_DEFINITION_BYTES = 1_000_000
MAX_NAMES = 1000  # aliases, parties, mediators: each list
MAX_NAME_CHARS = 200
MAX_CUES = 1000  # cue phrases of one thread, all event types together


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def bool_word_errors(doc: Located) -> list[InputError]:
    return [
        InputError(doc.path, f"{word!r} is read by YAML as a boolean; quote it (\"{word}\") or write true/false", line)
        for _loc, word, line in doc.bool_words
    ]


def pydantic_errors(doc: Located, exc: ValidationError, prefix: tuple = ()) -> list[InputError]:
    errors = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "document"
        errors.append(doc.error(loc, f"{field}: {err['msg'].removeprefix('Value error, ')}"))
    return errors


def load_vocabulary(path: Path, display: str | None = None) -> Vocabulary:
    doc = load_yaml(path, display, max_bytes=MAX_DEFINITION_BYTES)
    errors = bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors([doc.error((), "expected a mapping with `phases:` and `event_types:`")])
    try:
        vocabulary = Vocabulary.model_validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(errors + pydantic_errors(doc, exc)) from None
    for key, names in (("phases", vocabulary.phase_names), ("event_types", vocabulary.event_type_names)):
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                errors.append(doc.error((key, index), f"{name!r} is listed twice"))
            seen.add(name)
    errors += _plover_errors(doc, vocabulary)
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


def _plover_errors(doc: Located, vocabulary: Vocabulary) -> list[InputError]:
    """Each type's PLOVER mapping names a real category, a mode of that category and a context."""
    from negotrack.plover import CONTEXTS, MODES

    errors = []
    for index, kind in enumerate(vocabulary.event_types):
        code = kind.plover
        if code is None:
            continue
        loc = ("event_types", index, "plover")
        if code.event not in MODES:
            errors.append(doc.error(loc + ("event",), f"{kind.name}: {code.event!r} is not a PLOVER event category{did_you_mean(code.event, MODES)}"))
        elif code.mode and code.mode not in MODES[code.event]:
            allowed = ", ".join(sorted(MODES[code.event])) or "none"
            errors.append(doc.error(loc + ("mode",), f"{kind.name}: {code.mode!r} is not a mode of PLOVER {code.event} (its modes: {allowed})"))
        if code.context and code.context not in CONTEXTS:
            errors.append(doc.error(loc + ("context",), f"{kind.name}: {code.context!r} is not a PLOVER context{did_you_mean(code.context, CONTEXTS)}"))
    return errors


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


Origin = tuple[Located, tuple]  # the document and the path of keys where a state or edge was written


def check_thread(
    doc: Located,
    thread: ThreadDef,
    vocabulary: Vocabulary,
    state_origins: Optional[list[Origin]] = None,
    edge_origins: Optional[list[Origin]] = None,
    standard: Optional[set[tuple[str, str]]] = None,
    skip: Iterable[str] = (),
    dropped_states: Iterable[str] = (),
) -> tuple[list[InputError], list[str]]:
    """Every semantic problem of one definition, each with its line, and the notes.

    `state_origins`/`edge_origins` say where each merged state and edge was written (the thread
    file or its machine); by default, in `doc` at the same index. A state nothing reaches from
    the start is an error when the user wrote it, and only a note when it is a state of the
    standard machine (`standard`: its (name, phase) pairs): a thread already under way may
    start past `dormant`. `skip`: fields pydantic refused (already reported); `dropped_states`:
    states set aside for the same reason (still known, so references to them are not reported).
    """
    skip = set(skip)
    errors: list[InputError] = []
    notes: list[str] = []
    at_state = (lambda i: state_origins[i]) if state_origins else (lambda i: (doc, ("states", i)))
    at_edge = (lambda i: edge_origins[i]) if edge_origins else (lambda i: (doc, ("transitions", i)))

    def state_error(i: int, sub: tuple, problem: str) -> InputError:
        where, loc = at_state(i)
        return where.error(loc + sub, problem)

    def edge_error(i: int, sub: tuple, problem: str) -> InputError:
        where, loc = at_edge(i)
        return where.error(loc + sub, problem)

    phases = vocabulary.phase_names
    event_types = set(vocabulary.event_type_names) | {e.name for e in thread.event_types}
    errors += _cap_errors(doc, thread)
    stem = Path(doc.path).stem
    if "id" not in skip and thread.id != stem:
        errors.append(doc.error(("id",), f"id {thread.id!r} does not match the file name {stem!r}"))
    names: list[str] = []
    for index, state in enumerate(thread.states):
        if state.name in names:
            errors.append(state_error(index, ("name",), f"state {state.name!r} is defined twice"))
        names.append(state.name)
        if state.phase not in phases:
            errors.append(state_error(index, ("phase",), f"state {state.name!r} has unknown phase {state.phase!r}{did_you_mean(state.phase, phases)}"))
    known_names = names + [n for n in dropped_states if n not in names]
    if "initial" not in skip and thread.initial not in known_names:
        errors.append(doc.error(("initial",), f"initial state {thread.initial!r} is not a state{did_you_mean(thread.initial, names)}"))
    seen_edges: dict[tuple[str, str], int] = {}
    for index, t in enumerate(thread.transitions):
        if t.trigger not in event_types:
            errors.append(edge_error(index, ("trigger",), f"unknown event type {t.trigger!r}{did_you_mean(t.trigger, event_types)}"))
        where, loc = at_edge(index)
        for j, source in enumerate(t.source):
            if source != ANY_STATE and source not in known_names:
                errors.append(edge_error(index, ("source", j), f"unknown source state {source!r}{did_you_mean(source, names)}"))
            key = (t.trigger, source)
            if key in seen_edges:
                errors.append(
                    edge_error(index, (), f"duplicate transition: {t.trigger!r} from {source!r} is already defined at line {seen_edges[key]}")
                )
            else:
                seen_edges[key] = where.line(loc) or 0
        if t.dest is not None and t.dest not in known_names:
            errors.append(edge_error(index, ("dest",), f"unknown destination state {t.dest!r}{did_you_mean(t.dest, names)}"))
    if thread.support is not None and thread.support.decisive is not None:
        errors += _decisive_errors(doc, thread.support.decisive, phases)
    for event_type in thread.cues:
        if event_type not in event_types:
            errors.append(doc.error(("cues", event_type), f"cues for unknown event type {event_type!r}{did_you_mean(event_type, event_types)}"))
    # reported even beside other problems; not when a refused transition or state was set aside
    if not skip & {"initial", "states", "transitions"} and thread.initial in names:
        reachable = reachable_states(thread)
        for index, state in enumerate(thread.states):
            if state.name in reachable:
                continue
            if standard is not None and (state.name, state.phase) in standard:
                notes.append(f"state {state.name!r} of the standard machine cannot be reached from {thread.initial!r}; events that need it are rejected")
            else:
                errors.append(state_error(index, (), f"state {state.name!r} cannot be reached from {thread.initial!r}"))
    return errors, notes


def _cap_errors(doc: Located, thread: ThreadDef) -> list[InputError]:
    errors = []
    for key in ("aliases", "parties", "mediators"):
        names = getattr(thread, key)
        if len(names) > MAX_NAMES:
            errors.append(doc.error((key,), f"{key}: {len(names)} names; at most {MAX_NAMES} are allowed (keep the names that identify this thread)"))
        for i, name in enumerate(names):
            if len(name) > MAX_NAME_CHARS:
                errors.append(doc.error((key, i), f"{key}: a name of {len(name)} characters; at most {MAX_NAME_CHARS} are allowed"))
                break
    cues = sum(len(v) for v in thread.cues.values())
    if cues > MAX_CUES:
        errors.append(doc.error(("cues",), f"cues: {cues} phrases; at most {MAX_CUES} are allowed"))
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


# --- shared machines -----------------------------------------------------------------------

STANDARD = "standard"
_MACHINE_CACHE: dict[tuple[str, str], tuple[MachineDef, Located]] = {}


def machine_path(name: str, states_dir: Path) -> Optional[Path]:
    """A workspace's own `states/machines/NAME.yaml` first, then the one shipped with negotrack."""
    for folder in (states_dir / MACHINES_DIR, shipped_file(MACHINES_DIR)):
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    return None


def machine_files(states_dir: Path) -> list[Path]:
    """Every machine a workspace may use (its own, then the shipped ones): they feed caches' keys."""
    found = []
    for folder in (states_dir / MACHINES_DIR, shipped_file(MACHINES_DIR)):
        found.extend(sorted(folder.glob("*.yaml")) if folder.is_dir() else [])
    return found


def load_machine(name: str, states_dir: Path, vocabulary: Vocabulary) -> tuple[MachineDef, Located]:
    """One shared machine, validated like a thread (every state reachable from its initial one)."""
    path = machine_path(name, states_dir)
    if path is None:
        raise InputError(str(states_dir / MACHINES_DIR / f"{name}.yaml"), f"no machine named {name!r}")
    key = (str(path), _stamp(path))
    cached = _MACHINE_CACHE.get(key)
    if cached is not None:
        return cached
    doc = load_yaml(path)
    errors = bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors(errors + [doc.error((), "expected a mapping (name, initial, states, transitions)")])
    try:
        machine = MachineDef.model_validate(_normalise(doc.data))
    except ValidationError as exc:
        raise InputErrors(errors + pydantic_errors(doc, exc)) from None
    if machine.name != path.stem:
        errors.append(doc.error(("name",), f"name {machine.name!r} does not match the file name {path.stem!r}"))
    as_thread = ThreadDef(id=path.stem, title=machine.description, initial=machine.initial, states=machine.states, transitions=machine.transitions)
    problems, _ = check_thread(doc, as_thread, vocabulary)
    errors += problems
    if errors:
        raise InputErrors(errors)
    _MACHINE_CACHE[key] = (machine, doc)
    return machine, doc


def standard_states(states_dir: Path, vocabulary: Vocabulary) -> set[tuple[str, str]]:
    """(name, phase) of the standard machine's states: unreachable, they are only a note."""
    try:
        machine, _ = load_machine(STANDARD, states_dir, vocabulary)
    except (InputError, InputErrors):
        return set()
    return {(s.name, s.phase) for s in machine.states}


def _edges(transitions: Iterable[TransitionDef]) -> int:
    return sum(len(t.source) for t in transitions)


def merge(doc: Located, spec: ThreadFile, machine: MachineDef, mdoc: Located) -> tuple[dict, list[Origin], list[Origin], list[InputError], str]:
    """A thread's own states and edges laid over its machine's.

    A state with a machine state's name overrides it; `replaces: NAME` renames the machine's
    state NAME (in every edge too); any other state is added. An edge of the thread for a
    (trigger, source) pair the machine has replaces the machine's edge for that pair; the
    others are added. Returns the merged fields, where each state and edge was written, the
    problems, and a one-line explanation.
    """
    errors: list[InputError] = []
    states = list(machine.states)
    state_at: list[Origin] = [(mdoc, ("states", i)) for i in range(len(states))]
    index = {s.name: i for i, s in enumerate(states)}
    renamed: dict[str, str] = {}
    overridden: list[str] = []
    added: list[str] = []
    for i, state in enumerate(spec.states):
        own = state.model_copy(update={"replaces": None})
        if state.replaces is not None:
            if state.replaces not in index:
                errors.append(doc.error(("states", i, "replaces"), f"state {state.name!r} replaces {state.replaces!r}, which machine {machine.name!r} does not have{did_you_mean(state.replaces, index)}"))
                continue
            renamed[state.replaces] = state.name
            states[index[state.replaces]] = own
            state_at[index[state.replaces]] = (doc, ("states", i))
        elif state.name in index:
            overridden.append(state.name)
            states[index[state.name]] = own
            state_at[index[state.name]] = (doc, ("states", i))
        else:
            added.append(state.name)
            states.append(own)
            state_at.append((doc, ("states", i)))
    rename = lambda name: renamed.get(name, name)  # noqa: E731
    own_pairs = {(t.trigger, source) for t in spec.transitions for source in t.source}
    wildcard = {t.trigger for t in spec.transitions if ANY_STATE in t.source}
    edges: list[TransitionDef] = []
    edge_at: list[Origin] = []
    replaced = 0
    for i, t in enumerate(machine.transitions):
        kept = []
        for source in t.source:
            source = rename(source)
            if (t.trigger, source) in own_pairs or t.trigger in wildcard:
                replaced += 1
            else:
                kept.append(source)
        if kept:
            edges.append(TransitionDef(trigger=t.trigger, source=tuple(kept), dest=rename(t.dest) if t.dest else None))
            edge_at.append((mdoc, ("transitions", i)))
    for i, t in enumerate(spec.transitions):
        edges.append(t)
        edge_at.append((doc, ("transitions", i)))
    parts = [f"{len(machine.states)} states, {_edges(machine.transitions)} edges from machine {machine.name}"]
    if renamed:
        parts.append(f"{len(renamed)} state(s) renamed ({', '.join(f'{a} → {b}' for a, b in renamed.items())})")
    if overridden:
        parts.append(f"{len(overridden)} state(s) overridden ({', '.join(overridden)})")
    if added:
        parts.append(f"{len(added)} state(s) added ({', '.join(added)})")
    if replaced:
        parts.append(f"{replaced} edge(s) replaced")
    new_edges = _edges(spec.transitions) - replaced
    if new_edges > 0:
        parts.append(f"{new_edges} edge(s) added")
    fields = {"states": tuple(states), "transitions": tuple(edges), "initial": spec.initial or rename(machine.initial)}
    return fields, state_at, edge_at, errors, ", ".join(parts)


def load_thread(path: Path, vocabulary: Vocabulary, display: str | None = None) -> ThreadDef:
    """One thread file, merged with its machine if it names one, and checked completely: a field
    pydantic refuses does not hide the semantic problems of the rest of the file (they are
    checked on what remains once it is set aside)."""
    doc = load_yaml(path, display, max_bytes=MAX_DEFINITION_BYTES)
    errors = bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors(errors + [doc.error((), "expected a mapping (id, title, initial, states, transitions)")])
    data = _normalise(doc.data)
    starting: Optional[StartingPoint] = None
    if isinstance(data.get("initial"), dict):
        try:
            starting = StartingPoint.model_validate(data["initial"])
        except ValidationError as exc:
            raise InputErrors(errors + pydantic_errors(doc, exc, ("initial",))) from None
        data["initial"] = starting.state
    data = {**data, "path": doc.path}
    skip: set[str] = set()
    dropped: set[str] = set()
    try:
        spec = ThreadFile.model_validate(data)
    except ValidationError as exc:
        errors += pydantic_errors(doc, exc)
        repaired, skip, dropped = _set_aside(data, exc, Path(doc.path).stem)
        try:
            spec = ThreadFile.model_validate(repaired)
        except ValidationError:
            raise InputErrors(errors) from None
    states_dir = path.parent
    state_at = edge_at = None
    if spec.machine is not None:
        try:
            machine, mdoc = load_machine(spec.machine, states_dir, vocabulary)
        except InputError as exc:
            raise InputErrors(errors + [doc.error(("machine",), f"{exc.problem}{did_you_mean(spec.machine, [p.stem for p in machine_files(states_dir)])}")]) from None
        fields, state_at, edge_at, merge_errors, explain = merge(doc, spec, machine, mdoc)
        errors += merge_errors
    else:
        if spec.initial is None:
            errors.append(doc.error((), "initial: missing (or name a machine with `machine: standard`)"))
        if not spec.states:
            errors.append(doc.error((), "states: missing (or name a machine with `machine: standard`)"))
        for i, state in enumerate(spec.states):
            if state.replaces is not None:
                errors.append(doc.error(("states", i, "replaces"), "`replaces:` renames a state of the thread's machine; this thread names no `machine:`"))
        fields = {"states": spec.states, "transitions": spec.transitions, "initial": spec.initial or ""}
        explain = f"{len(spec.states)} states, {_edges(spec.transitions)} edges written in the file"
    try:
        thread = ThreadDef(
            **spec.model_dump(exclude={"states", "transitions", "initial"}),
            **fields,
            starting=starting,
            explain=explain,
        )
    except ValidationError as exc:
        raise InputErrors(errors + pydantic_errors(doc, exc)) from None
    problems, notes = check_thread(
        doc, thread, vocabulary, state_at, edge_at, standard_states(states_dir, vocabulary), skip=skip, dropped_states=dropped
    )
    errors += problems
    if errors:
        raise InputErrors(errors)
    return thread.model_copy(update={"notes": tuple(notes)}) if notes else thread


_PLACEHOLDERS: dict[str, Any] = {"title": "", "initial": "", "states": [], "transitions": []}


def _set_aside(data: dict[str, Any], exc: ValidationError, stem: str) -> tuple[dict[str, Any], set[str], set[str]]:
    """`data` less what pydantic refused (list items and mapping entries dropped, required
    fields given placeholders), the fields whose checks must be skipped, and the names of
    dropped states (still known, so references to them are not reported twice)."""
    data = dict(data)
    skip: set[str] = set()
    drop: dict[str, set] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        if not loc:
            continue
        field = str(loc[0])
        value = data.get(field)
        if len(loc) >= 2 and isinstance(value, list) and isinstance(loc[1], int):
            drop.setdefault(field, set()).add(loc[1])
        elif len(loc) >= 2 and isinstance(value, dict):
            drop.setdefault(field, set()).add(loc[1])
        elif field == "id":
            data["id"], _ = stem, skip.add("id")
        elif field in _PLACEHOLDERS:
            data[field] = _PLACEHOLDERS[field]
            skip.add(field)
        else:
            data.pop(field, None)
    dropped_states: set[str] = set()
    for field, keys in drop.items():
        value = data[field]
        if isinstance(value, list):
            if field == "states":
                dropped_states |= {s["name"] for i, s in enumerate(value) if i in keys and isinstance(s, dict) and isinstance(s.get("name"), str)}
            data[field] = [item for i, item in enumerate(value) if i not in keys]
        else:
            data[field] = {k: v for k, v in value.items() if k not in keys}
        skip.add(field)
    if "initial" in skip or not isinstance(data.get("initial"), str):
        skip.add("initial")
    return data, skip, dropped_states


def load_definitions(
    states_dir: Path, fallback_vocabulary: Path | None = None, index: "Index | None" = None
) -> tuple[Vocabulary, dict[str, ThreadDef]]:
    """The vocabulary and every thread of a `states/` folder; all problems raised together."""
    vocabulary, threads, errors = collect_definitions(states_dir, fallback_vocabulary, index)
    if errors or vocabulary is None:
        raise InputErrors(errors)
    return vocabulary, threads


def collect_definitions(
    states_dir: Path, fallback_vocabulary: Path | None = None, index: "Index | None" = None
) -> tuple[Vocabulary | None, dict[str, ThreadDef], list[InputError]]:
    """The vocabulary, every thread that is valid, and every problem of the others (validate
    goes on to check the log against what loaded).

    With an `index`, a definition validated before under the same vocabulary is taken from it
    by the content hash of its file: parsing YAML costs ~7 ms a file, which a workspace of a
    thousand threads would otherwise pay on every command.
    """
    if not states_dir.is_dir():
        return None, {}, [InputError(str(states_dir), "no such folder of thread definitions")]
    vocab_path = states_dir / VOCABULARY_FILE
    if not vocab_path.exists() and fallback_vocabulary is not None:
        vocab_path = fallback_vocabulary
    try:
        vocabulary = load_vocabulary(vocab_path)
    except InputError as exc:
        return None, {}, [exc]
    except InputErrors as exc:
        return None, {}, list(exc.errors)
    paths = definition_files(states_dir)
    hashes: dict[str, str] = {}
    saved: dict[tuple[str, str], bytes] = {}
    if index is not None:
        stats = []
        for path in [vocab_path, *paths]:
            try:
                stats.append((str(path), os.stat(path)))
            except OSError:
                pass
        for path in machine_files(states_dir):
            try:
                stats.append((str(path), os.stat(path)))
            except OSError:
                pass
        hashes = index.hashes(stats)
        saved = index.definitions(_shared_key(vocab_path, states_dir, hashes))
    errors: list[InputError] = []
    threads: dict[str, ThreadDef] = {}
    fresh: list[tuple[str, str, bytes]] = []
    for path in paths:
        sha = hashes.get(str(path), "")
        blob = saved.get((str(path), sha))
        thread = None
        if blob is not None:
            try:
                thread = ThreadDef.model_validate_json(blob)
            except ValidationError:
                thread = None
        if thread is None:
            try:
                thread = load_thread(path, vocabulary)
            except InputError as exc:
                errors.append(exc)
                continue
            except InputErrors as exc:
                errors.extend(exc.errors)
                continue
            if sha:
                fresh.append((str(path), sha, thread.model_dump_json().encode()))
        if thread.id in threads:
            errors.append(InputError(str(path), f"thread id {thread.id!r} is also defined in {threads[thread.id].path}", 1))
            continue
        threads[thread.id] = thread
    if index is not None and not errors:  # a failing command leaves nothing behind
        index.save_definitions(_shared_key(vocab_path, states_dir, hashes), fresh)
        index.flush()
    return vocabulary, threads, errors


def _shared_key(vocab_path: Path, states_dir: Path, hashes: dict[str, str]) -> str:
    """What every definition's reading depends on besides its own file: the vocabulary and the
    machines a thread may name."""
    return "|".join([hashes.get(str(vocab_path), ""), *(hashes.get(str(p), "") for p in machine_files(states_dir))])


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def event_types_of(thread: ThreadDef, vocabulary: Vocabulary) -> tuple[EventTypeDef, ...]:
    return vocabulary.event_types + thread.event_types
