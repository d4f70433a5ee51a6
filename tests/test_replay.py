"""Replay: order, merging of one happening told by several articles, the two clocks, and
determinism whatever the order of files on disk."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from negotrack.definitions import load_definitions
from negotrack.eventlog import write_events
from negotrack.model import Event, Evidence, Source
from negotrack.replay import replay
from negotrack.report import compute_statuses
from negotrack.workspace import Workspace

_, THREADS = load_definitions(REPO / "states")
DOHA = THREADS["doha-ceasefire"]
D = dt.date


def ev(kind: str, date: D, reported: D | None = None, path: str = "a.txt", start: int = 0, thread: str = "doha-ceasefire") -> Event:
    return Event(
        thread=thread,
        type=kind,
        date=date,
        reported=reported or date,
        source=Source(path=path, sha256=path * 2),
        evidence=Evidence(quote=f"{kind} quote", start=start, end=start + 5),
    ).with_id()


def test_order_is_by_date_not_by_input() -> None:
    events = [ev("proposal_rejected", D(2030, 1, 5)), ev("talks_held", D(2030, 1, 3)), ev("talks_proposed", D(2030, 1, 1))]
    result = replay(DOHA, events)
    assert [(r.entry.type, r.outcome) for r in result.rows] == [
        ("talks_proposed", "moved"),
        ("talks_held", "moved"),
        ("proposal_rejected", "moved"),
    ]
    assert result.phase == "stalled"
    assert result.since == "2030-01-05"


def test_rejected_events_are_recorded_with_reason() -> None:
    result = replay(DOHA, [ev("agreement_in_force", D(2030, 1, 1)), ev("talks_held", D(2030, 1, 2))])
    first, second = result.rows
    assert first.outcome == "rejected"
    assert first.reason.startswith("agreement_in_force is not allowed from dormant (phase dormant)")
    assert second.outcome == "moved" and result.phase == "active"
    assert result.rejected == 1


def test_one_happening_from_many_articles_counts_once() -> None:
    a = ev("talks_held", D(2030, 1, 2), D(2030, 1, 2), path="wire.txt")
    b = ev("talks_held", D(2030, 1, 2), D(2030, 1, 3), path="paper.txt")
    c = ev("proposal_rejected", D(2030, 1, 4), path="wire.txt", start=9)
    result = replay(DOHA, [b, c, a])
    assert len(result.rows) == 2
    assert [e.reported for e in result.rows[0].entries] == ["2030-01-02", "2030-01-03"]
    assert result.events == 3


def test_two_clocks() -> None:
    held = ev("talks_held", D(2030, 1, 2), D(2030, 1, 2))
    late_news = ev("impasse_reported", D(2030, 1, 3), D(2030, 1, 9))
    assert replay(DOHA, [held, late_news]).phase == "stalled"
    assert replay(DOHA, [held, late_news], as_of=D(2030, 1, 2)).phase == "active"
    assert replay(DOHA, [held, late_news], known_at=D(2030, 1, 8)).phase == "active"
    assert replay(DOHA, [held, late_news], known_at=D(2030, 1, 9)).phase == "stalled"


KINDS = [
    "talks_proposed", "talks_scheduled", "talks_held", "proposal_tabled", "proposal_rejected",
    "progress_reported", "impasse_reported", "talks_suspended", "talks_resumed", "agreement_reached",
    "agreement_in_force", "agreement_collapsed",
]
event_strategy = st.builds(
    # an article has one publication date: its name carries it, so two of its events agree on it
    lambda kind, day, lag, article, start: ev(kind, D(2030, 1, 1) + dt.timedelta(days=day), D(2030, 1, 1) + dt.timedelta(days=day + lag), f"art{article}-{day + lag}.txt", start),
    st.sampled_from(KINDS),
    st.integers(0, 20),
    st.integers(0, 3),
    st.integers(0, 5),
    st.integers(0, 50),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event_strategy, min_size=1, max_size=25), order=st.randoms(use_true_random=False))
def test_replay_is_deterministic_under_any_file_order(tmp_path: Path, events: list[Event], order) -> None:
    """The same log, one file per article as the store keeps it, written in any order under any
    names, gives one audit."""
    audits = []
    for attempt in range(2):
        root = tmp_path / f"ws{attempt}"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(REPO / "states", root / "states")
        shuffled = list(events)
        order.shuffle(shuffled)
        articles = sorted({e.source.path for e in shuffled})
        order.shuffle(articles)
        for index, article in enumerate(articles):
            name = f"{order.randint(0, 10**6):07d}-{index}.extracted.jsonl"
            write_events(root / "events" / name, [e for e in shuffled if e.source.path == article])
        statuses = compute_statuses(Workspace(root))
        audits.append(json.dumps([s.model_dump(mode="json") for s in statuses], sort_keys=True, default=str))
        direct = replay(DOHA, shuffled)
        audits.append(json.dumps([(r.entry.id, r.outcome, r.to_state) for r in direct.rows]))
    assert audits[0] == audits[2]
    assert audits[1] == audits[3]
