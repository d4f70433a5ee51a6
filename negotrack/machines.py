"""Thread definitions built into `transitions` machines, the only interpreter of the threads.

One Machine is built per distinct definition and shared by every replay of it. Our machines
carry no conditions and no callbacks (definitions cannot express them), so what an event does
depends only on the current state and the event type: each (state, event type) pair is put to
`transitions` once, and its verdict is reused for every later event with the same pair. That
keeps `transitions` the single authority on every move while replay runs at the speed of a
dictionary lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from transitions import Machine, MachineError

from negotrack.definitions import expand_sources
from negotrack.model import ThreadDef


@dataclass(frozen=True)
class Verdict:
    """What `transitions` did with one event type in one state."""

    outcome: str  # "moved" | "unchanged" | "rejected"
    dest: str
    reason: str = ""


class _Probe:
    """The model object `transitions` moves; one per machine, re-seated for every question."""

    state: str


def machine_config(thread: ThreadDef) -> dict:
    """The one-dict configuration `transitions` takes (states, transitions, initial)."""
    return {
        "states": [{"name": s.name, "final": s.final} for s in thread.states],
        "transitions": [
            {"trigger": t.trigger, "source": expand_sources(thread, t.source), "dest": t.dest}
            for t in thread.transitions
        ],
        "initial": thread.initial,
        "auto_transitions": False,
        "ignore_invalid_triggers": False,
    }


class ThreadMachine:
    def __init__(self, thread: ThreadDef) -> None:
        self.thread = thread
        self.phase = {s.name: s.phase for s in thread.states}
        self.final = {s.name for s in thread.states if s.final}
        self.machine = Machine(model=None, **machine_config(thread))
        self._probe = _Probe()
        self.machine.add_model(self._probe)
        self._verdicts: dict[tuple[str, str], Verdict] = {}
        self._sources: dict[str, list[str]] = {}
        for t in thread.transitions:
            self._sources.setdefault(t.trigger, []).extend(expand_sources(thread, t.source))

    def decide(self, state: str, event_type: str) -> Verdict:
        key = (state, event_type)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._ask(state, event_type)
        return verdict

    def _ask(self, state: str, event_type: str) -> Verdict:
        if state in self.final:
            return Verdict("rejected", state, f"the thread is in final state {state!r}: nothing follows it")
        self.machine.set_state(state, model=self._probe)
        try:
            self._probe.trigger(event_type)  # type: ignore[attr-defined]
        except (MachineError, AttributeError, ValueError):
            allowed = self._sources.get(event_type)
            if not allowed:
                return Verdict("rejected", state, f"{event_type} is not a trigger of this thread's machine")
            where = ", ".join(dict.fromkeys(allowed))
            return Verdict(
                "rejected",
                state,
                f"{event_type} is not allowed from {state} (phase {self.phase[state]}); it is allowed from: {where}",
            )
        dest = self._probe.state
        return Verdict("moved" if dest != state else "unchanged", dest)


_MACHINES: dict[tuple, ThreadMachine] = {}
_BY_OBJECT: dict[int, tuple[ThreadDef, ThreadMachine]] = {}


def machine_for(thread: ThreadDef) -> ThreadMachine:
    """Threads with the same states and edges share one built machine."""
    known = _BY_OBJECT.get(id(thread))
    if known is not None and known[0] is thread:
        return known[1]
    shape = (
        thread.initial,
        tuple((s.name, s.phase, s.final) for s in thread.states),
        tuple((t.trigger, t.source, t.dest) for t in thread.transitions),
    )
    key = (thread.id, shape)
    shared_key = shape
    found = _MACHINES.get(key)
    if found is None:
        twin: Optional[ThreadMachine] = _MACHINES.get(shared_key)
        if twin is None:
            twin = _MACHINES[shared_key] = ThreadMachine(thread)
        found = twin if twin.thread.id == thread.id else _Renamed(twin, thread)
        _MACHINES[key] = found
    _BY_OBJECT[id(thread)] = (thread, found)  # holding the object keeps its id from being reused
    return found


class _Renamed(ThreadMachine):
    """A thread sharing another's machine (same states and edges): its own definition, the
    twin's machine and verdicts."""

    def __init__(self, twin: ThreadMachine, thread: ThreadDef) -> None:  # noqa: D107 - no new machine
        self.thread = thread
        self.phase = twin.phase
        self.final = twin.final
        self.machine = twin.machine
        self._probe = twin._probe
        self._sources = twin._sources
        self._verdicts = twin._verdicts  # reasons name no thread, so verdicts are shared too


def graph(thread: ThreadDef, current: str, fmt: str = "mermaid") -> str:
    """The machine drawn by transitions' own diagram support, with the current state marked.

    The start arrow leaves the definition's initial state; the model alone sits in `current`."""
    from transitions.extensions import GraphMachine

    config = machine_config(thread)
    engine = "mermaid" if fmt == "mermaid" else "graphviz"
    try:
        machine = GraphMachine(model=None, graph_engine=engine, title=thread.title, show_state_attributes=False, **config)
    except (ImportError, TypeError):
        machine = GraphMachine(model=None, graph_engine=engine, title=thread.title, **config)
    holder = _Probe()
    machine.add_model(holder, initial=current)
    drawn = holder.get_graph()  # type: ignore[attr-defined]
    if engine == "mermaid":
        return str(drawn.draw(None))
    return str(drawn.source)
