"""Golden traces: what an analyst expects a thread's replay to be, checked against replay.

A trace names a thread, optional clocks, and the happenings in order, each with its date and
type and, optionally, where it takes the thread (`to`: a state or a phase) and its outcome. It is
a regression test of one's own threads and lexicon: any difference is shown with the quote of
what replay actually did.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from negotrack.definitions import bool_word_errors, pydantic_errors, did_you_mean
from negotrack.desk import Audit, Happening, audits
from negotrack.errors import InputErrors
from negotrack.model import Record
from negotrack.workspace import Workspace
from negotrack.yamlio import Located, load_yaml


class Expected(Record):
    date: dt.date
    type: str
    to: Optional[str] = None  # a state or a phase
    outcome: Optional[str] = None


class Trace(Record):
    thread: str
    as_of: Optional[dt.date] = None
    known_at: Optional[dt.date] = None
    expect: tuple[Expected, ...]


def load_trace(path: Path, ws: Workspace) -> tuple[Trace, Located]:
    """A trace file, checked against the workspace; every problem with file:line (exit 2)."""
    doc = load_yaml(path)
    errors = bool_word_errors(doc)
    if not isinstance(doc.data, dict):
        raise InputErrors(errors + [doc.error((), "expected a mapping with `thread:` and `expect:`")])
    try:
        trace = Trace.model_validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(errors + pydantic_errors(doc, exc)) from None
    threads = ws.threads
    if trace.thread not in threads:
        errors.append(doc.error(("thread",), f"unknown thread {trace.thread!r}{did_you_mean(trace.thread, threads)}"))
    else:
        thread = threads[trace.thread]
        kinds = set(ws.known_types()[trace.thread])
        names = {s.name for s in thread.states} | {s.phase for s in thread.states}
        for i, step in enumerate(trace.expect):
            if step.type not in kinds:
                errors.append(doc.error(("expect", i, "type"), f"unknown event type {step.type!r}{did_you_mean(step.type, kinds)}"))
            if step.to is not None and step.to not in names:
                errors.append(doc.error(("expect", i, "to"), f"{step.to!r} is neither a state nor a phase of {trace.thread}{did_you_mean(step.to, names)}"))
    if errors:
        raise InputErrors(errors)
    return trace, doc


def _shown(h: Happening) -> str:
    s = h.step
    move = f"{s.from_state} → {s.to_state}" if s.outcome == "moved" else f"{s.to_state} ({s.outcome})"
    src = s.sources[0]
    return f"{s.date} {s.type}: {move}\n      “{' '.join(src.quote.split())}” — {src.path}"


def _expected(e: Expected) -> str:
    parts = [f"{e.date} {e.type}"]
    if e.to:
        parts.append(f"to {e.to}")
    if e.outcome:
        parts.append(f"({e.outcome})")
    return " ".join(parts)


def check(trace: Trace, doc: Located, audit: Audit) -> list[str]:
    """The differences, as readable lines; empty when replay matches the trace."""
    got = audit.happenings
    want = list(trace.expect)
    keys_got = [(h.step.date, h.step.type) for h in got]
    keys_want = [(e.date, e.type) for e in want]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=keys_want, b=keys_got, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for e_i, h in zip(range(i1, i2), got[j1:j2]):
                e = want[e_i]
                wrong = []
                if e.to is not None and e.to not in (h.step.to_state, h.step.to_phase):
                    wrong.append(f"to {e.to}")
                if e.outcome is not None and e.outcome != h.step.outcome:
                    wrong.append(f"outcome {e.outcome}")
                if wrong:
                    out.append(f"{doc.path}:{doc.line(('expect', e_i))}: expected {_expected(e)}")
                    out.append(f"    replay gave {_shown(h)}")
            continue
        for e_i in range(i1, i2):
            out.append(f"{doc.path}:{doc.line(('expect', e_i))}: expected {_expected(want[e_i])}; replay has no such happening")
        for h in got[j1:j2]:
            out.append(f"  not in the trace: {_shown(h)}")
    return out


def run(path: Path, ws: Workspace) -> tuple[Trace, list[str]]:
    trace, doc = load_trace(path, ws)
    (audit,) = audits(ws, [trace.thread], as_of=trace.as_of, known_at=trace.known_at)
    return trace, check(trace, doc, audit)
