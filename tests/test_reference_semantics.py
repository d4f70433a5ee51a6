"""Every cell of the spec's reference table, driven through each shipped machine."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO
from negotrack.definitions import load_definitions
from negotrack.model import Event, Evidence, Source
from negotrack.replay import initial_state_for_phase, replay

# The reference semantics of the vocabulary (phase after each event); `·` = no change.
REFERENCE = r"""
| event \ from | dormant | proposed | scheduled | active | stalled | suspended | agreed | in_force | collapsed | cancelled |
|---|---|---|---|---|---|---|---|---|---|---|
| talks_proposed | proposed | · | · | · | · | · | · | · | proposed | proposed |
| talks_scheduled | scheduled | scheduled | · | · | scheduled | scheduled | · | · | scheduled | scheduled |
| talks_postponed | rej | · | · | · | · | · | rej | rej | rej | scheduled |
| talks_cancelled | rej | cancelled | cancelled | · | · | · | rej | rej | rej | · |
| talks_held | active | active | active | · | active | active | · | · | active | active |
| proposal_tabled | active | active | active | · | active | active | · | · | active | active |
| proposal_accepted | rej | active | active | · | active | active | · | · | active | rej |
| proposal_rejected | rej | stalled | stalled | stalled | · | · | rej | rej | · | rej |
| progress_reported | active | active | active | · | active | active | · | · | active | rej |
| impasse_reported | rej | stalled | stalled | stalled | · | · | rej | rej | · | rej |
| talks_suspended | rej | suspended | suspended | suspended | suspended | · | suspended | rej | · | rej |
| talks_resumed | active | active | active | · | active | active | rej | rej | active | active |
| agreement_reached | agreed | agreed | agreed | agreed | agreed | agreed | · | · | agreed | agreed |
| agreement_in_force | rej | rej | rej | in_force | in_force | rej | in_force | · | in_force | rej |
| agreement_violated | rej | rej | rej | rej | rej | rej | · | · | · | rej |
| agreement_collapsed | rej | rej | rej | rej | rej | rej | collapsed | collapsed | · | rej |
| process_overtaken | overtaken | overtaken | overtaken | overtaken | overtaken | overtaken | overtaken | overtaken | overtaken | overtaken |
"""


def reference() -> list[tuple[str, str, str]]:
    lines = [l for l in REFERENCE.strip().splitlines()]
    phases = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    cells = []
    for line in lines[2:]:
        parts = [c.strip() for c in line.strip("|").split("|")]
        for phase, outcome in zip(phases, parts[1:]):
            cells.append((parts[0], phase, outcome))
    return cells


CELLS = reference()
_, THREADS = load_definitions(REPO / "states")


def event(thread: str, kind: str) -> Event:
    return Event(
        thread=thread,
        type=kind,
        date=dt.date(2030, 1, 2),
        reported=dt.date(2030, 1, 2),
        source=Source(path="a.txt", sha256="0" * 64),
        evidence=Evidence(quote="q", start=0, end=1),
    ).with_id()


def test_table_is_complete() -> None:
    assert len(CELLS) == 17 * 10


@pytest.mark.parametrize("thread_id", sorted(THREADS))
@pytest.mark.parametrize("kind,phase,outcome", CELLS)
def test_cell(thread_id: str, kind: str, phase: str, outcome: str) -> None:
    thread = THREADS[thread_id]
    start = initial_state_for_phase(thread, phase)
    result = replay(thread, [event(thread_id, kind)], initial_state=start, plain=True)  # the machine alone
    (row,) = result.rows
    if outcome == "rej":
        assert row.outcome == "rejected"
        assert kind in row.reason and start in row.reason
        assert result.phase == phase
    elif outcome == "·":
        assert row.outcome == "unchanged"
        assert result.phase == phase
    else:
        assert row.outcome == "moved"
        assert result.phase == outcome


@pytest.mark.parametrize("thread_id", sorted(THREADS))
def test_overtaken_is_final(thread_id: str) -> None:
    thread = THREADS[thread_id]
    start = initial_state_for_phase(thread, "overtaken")
    kinds = sorted({kind for kind, _, _ in CELLS})
    result = replay(thread, [event(thread_id, k) for k in kinds], initial_state=start, plain=True)
    assert [r.outcome for r in result.rows] == ["rejected"] * len(kinds)
    assert all("final state" in r.reason for r in result.rows)
