"""A status you can trust: decisive moves need support (held), the best consistent history
(doubted), and the review log (confirm, dismiss, review) as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, add_thread
from negotrack.definitions import load_definitions
from negotrack.eventlog import LogEntry, write_events
from negotrack.model import Event, Evidence, Review, Source, SupportRules
from negotrack.replay import initial_state_for_phase, replay
from negotrack.reviews import append_review, load_reviews

VOCABULARY, THREADS = load_definitions(REPO / "states")
DOHA = THREADS["doha-ceasefire"]
RULES = VOCABULARY.support
DECISIVE = set(RULES.decisive)
KINDS = [e.name for e in VOCABULARY.event_types]
D = dt.date


def entry(n: int, kind: str, confidence: Optional[float], *, article: Optional[str] = None, attributed: bool = False, day: int = 0) -> LogEntry:
    """One report in replay's form: a happening per `n` unless two share kind and day."""
    date = (D(2030, 1, 1) + dt.timedelta(days=day or n)).isoformat()
    return LogEntry(date, date, f"e{n:05d}", "doha-ceasefire", kind, None, f"events/{article or f'a{n}'}.extracted.jsonl", 1, confidence, attributed, "extracted")


# --- held: decisive moves need support ----------------------------------------------------------

history = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from([0.6, 0.7, 0.8, 0.85, 0.9, 0.95]), st.booleans()),
    max_size=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history, st.sampled_from(KINDS), st.sampled_from(["dormant", "active", "stalled", "agreed", "in_force", "suspended"]), st.sampled_from([0.3, 0.4, round(RULES.min_confidence - 0.01, 2)]))
def test_a_weak_event_never_moves_a_thread_into_a_decisive_phase(events, kind, phase, confidence) -> None:
    """Uncorroborated, unattributed, unconfirmed and below min_confidence: whatever came before,
    adding it as the latest news leaves the thread where it was or in a phase that is not
    decisive; and wherever it stands in the history, it is never the move into one."""
    start = initial_state_for_phase(DOHA, phase)
    before = [entry(i + 1, k, c, attributed=a) for i, (k, c, a) in enumerate(events)]
    without = replay(DOHA, before, initial_state=start, rules=RULES)
    weak = entry(99, kind, confidence, day=200)
    with_it = replay(DOHA, before + [weak], initial_state=start, rules=RULES)
    assert with_it.phase == without.phase or with_it.phase not in DECISIVE
    row = with_it.rows[-1]
    assert row.entries[0][2] == "e00099"
    assert not (row.outcome == "moved" and DOHA.phase_of(row.to_state) in DECISIVE and DOHA.phase_of(row.from_state) != DOHA.phase_of(row.to_state))
    for at in range(len(before) + 1):  # the same event anywhere in the history
        placed = [*before[:at], entry(99, kind, confidence, day=at + 1), *[e._replace(date=str(D(2030, 6, 1) + dt.timedelta(days=i))) for i, e in enumerate(before[at:])]]
        for r in replay(DOHA, placed, initial_state=start, rules=RULES).rows:
            if r.entries[0][2] == "e00099" and r.outcome == "moved":
                assert DOHA.phase_of(r.to_state) not in DECISIVE or DOHA.phase_of(r.from_state) == DOHA.phase_of(r.to_state)


def test_support_is_confidence_or_two_articles_or_attribution() -> None:
    talks = entry(1, "talks_held", 0.9)
    weak = [talks, entry(2, "agreement_reached", 0.4)]
    assert replay(DOHA, weak, rules=RULES).rows[1].outcome == "held"
    assert "needs support" in replay(DOHA, weak, rules=RULES).rows[1].reason
    assert replay(DOHA, [talks, entry(2, "agreement_reached", 0.85)], rules=RULES).phase == "agreed"
    two = [talks, entry(2, "agreement_reached", 0.4, day=5), entry(3, "agreement_reached", 0.4, day=5)]
    result = replay(DOHA, two, rules=RULES)
    assert result.phase == "agreed" and result.rows[1].confidence == 0.64  # 1 - 0.6 * 0.6
    same_article = [talks, entry(2, "agreement_reached", 0.4, day=5, article="x"), entry(3, "agreement_reached", 0.4, day=5, article="x")]
    assert replay(DOHA, same_article, rules=RULES).phase == "active"  # one article telling it twice is one source
    assert replay(DOHA, [talks, entry(2, "agreement_reached", 0.4, attributed=True)], rules=RULES).phase == "agreed"
    strict = RULES.model_copy(update={"attributed_counts": False})
    assert replay(DOHA, [talks, entry(2, "agreement_reached", 0.4, attributed=True)], rules=strict).phase == "active"
    assert replay(DOHA, weak, plain=True).phase == "agreed"  # --plain: today's replay


# --- doubted: the best consistent history ----------------------------------------------------


def test_one_bad_agreement_is_doubted_when_it_would_block_later_events() -> None:
    events = [
        entry(1, "talks_held", 0.9),
        entry(2, "agreement_reached", 0.9),  # a party's acceptance read as a deal
        entry(3, "proposal_rejected", 0.9),
        entry(4, "impasse_reported", 0.85),
    ]
    plain = replay(DOHA, events, plain=True)
    assert plain.phase == "agreed" and [r.outcome for r in plain.rows][2:] == ["rejected", "rejected"]
    result = replay(DOHA, events, rules=RULES)
    assert [r.outcome for r in result.rows] == ["moved", "doubted", "moved", "unchanged"]
    assert result.phase == "stalled" and result.doubted == 1 and result.rejected == 0
    assert [g[0][2] for g in result.rows[1].blocked] == ["e00003", "e00004"]
    assert "better-supported" in result.rows[1].reason
    # one later event is not enough to outweigh it: ties and lighter evidence keep the plain history
    assert replay(DOHA, events[:3], rules=RULES).phase == "agreed"


def test_reviews_decide_whatever_the_confidence() -> None:
    events = [entry(1, "talks_held", 0.9), entry(2, "agreement_reached", 0.4)]
    at = dt.datetime(2030, 2, 1, tzinfo=dt.timezone.utc)
    confirm = Review(event_id="e00002", verdict="confirm", by="ana", at=at, note="read the communiqué")
    result = replay(DOHA, events, rules=RULES, reviews={"e00002": confirm})
    assert result.phase == "agreed" and result.rows[1].review == confirm and result.to_review == 0
    dismiss = Review(event_id="e00001", verdict="dismiss", by="ana", at=at, reason="another forum")
    result = replay(DOHA, [entry(1, "talks_held", 0.9)], rules=RULES, reviews={"e00001": dismiss})
    assert result.phase == "dormant" and result.rows[0].outcome == "dismissed"
    unreviewed = replay(DOHA, events, rules=RULES)
    assert unreviewed.held == 1 and unreviewed.to_review == 1


# --- the review log through the CLI ------------------------------------------------------------

ARTICLE = """Lyss deal reported

June 20, 2030

GENEVA — Officials close to the Lyss river talks said a water-sharing deal had been reached.
"""


def lyss_workspace(ws: Path, confidence: float = 0.4) -> tuple[str, str]:
    """A thread, an article and two extracted events written as ingest writes them; returns
    the ids of the talks and of the weak agreement."""
    add_thread(ws, "lyss-water", ["Lyss river"])
    article = ws / "articles" / "lyss-deal.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    quote = "a water-sharing deal had been reached"
    start = ARTICLE.index(quote)
    source = Source(path="articles/lyss-deal.txt", sha256="f" * 64)

    def event(kind: str, day: int, conf: float) -> Event:
        return Event(
            thread="lyss-water", type=kind, date=D(2030, 6, day), reported=D(2030, 6, 20), source=source,
            evidence=Evidence(quote=quote, start=start, end=start + len(quote)), confidence=conf, cue="reached",
        ).with_id()

    talks, deal = event("talks_held", 18, 0.9), event("agreement_reached", 19, confidence)
    write_events(ws / "events" / "lyss-deal.extracted.jsonl", [talks, deal])
    return talks.id, deal.id


def steps(cli, ws: Path) -> list[dict]:
    """The audit's event rows (the first row, where the thread starts, is not an event)."""
    run = cli("-w", str(ws), "replay", "lyss-water", "--json")
    assert run.code == 0, run.err
    return [r for r in json.loads(run.out) if r["type"] != "start"]


def test_confirm_and_dismiss_round_trip(cli, workspace: Path) -> None:
    talks, deal = lyss_workspace(workspace)
    assert [s["outcome"] for s in steps(cli, workspace)] == ["moved", "held"]
    queue = json.loads(cli("-w", str(workspace), "review", "--json").out)
    assert [q["event_id"] for q in queue] == [deal] and queue[0]["would_move"] == "active → agreed"
    status = json.loads(cli("-w", str(workspace), "status", "--json").out)
    assert next(s for s in status if s["thread"] == "lyss-water")["to_review"] == 1

    run = cli("-w", str(workspace), "confirm", deal, "--note", "checked the communiqué", "--by", "ana")
    assert run.code == 0, run.err
    row = steps(cli, workspace)[1]
    assert row["outcome"] == "moved" and row["to_phase"] == "agreed" and row["confidence"] == 0.4
    assert row["review"]["by"] == "ana" and row["review"]["note"] == "checked the communiqué" and row["review"]["at"]
    status = json.loads(cli("-w", str(workspace), "status", "--json").out)  # the snapshot saw the review
    lyss = next(s for s in status if s["thread"] == "lyss-water")
    assert lyss["phase"] == "agreed" and lyss["to_review"] == 0
    assert json.loads(cli("-w", str(workspace), "review", "lyss-water", "--json").out) == []

    run = cli("-w", str(workspace), "dismiss", deal, "--reason", "officials, not the parties", "--by", "bo")
    assert run.code == 0, run.err
    row = steps(cli, workspace)[1]
    assert row["outcome"] == "dismissed" and row["review"]["reason"] == "officials, not the parties"
    status = json.loads(cli("-w", str(workspace), "status", "--json").out)
    assert next(s for s in status if s["thread"] == "lyss-water")["phase"] == "active"
    lines = (workspace / "reviews.jsonl").read_text().splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == ["confirm", "dismiss"]
    assert cli("-w", str(workspace), "validate").code == 0  # the review file is not read as events


def test_the_desk_commands_tell_the_story_status_tells(cli, workspace: Path) -> None:
    """Export (and so the timeline, changes and check, which share its replay) holds the weak
    agreement as status does, and shows an analyst's verdict on it."""
    _, deal = lyss_workspace(workspace)

    def outcome() -> str:
        run = cli("-w", str(workspace), "export", "--format", "plover", "lyss-water")
        assert run.code == 0, run.err
        return next(json.loads(line)["outcome"] for line in run.out.splitlines() if json.loads(line)["id"] == deal)

    assert outcome() == "held"
    assert cli("-w", str(workspace), "dismiss", deal, "--reason", "not a deal").code == 0
    assert outcome() == "dismissed"


def test_unknown_id_is_one_error_and_writes_nothing(cli, workspace: Path) -> None:
    lyss_workspace(workspace)
    for args in (["confirm", "feedfacefeedface"], ["dismiss", "feedfacefeedface", "--reason", "wrong"]):
        run = cli("-w", str(workspace), *args)
        assert run.code == 2 and "feedfacefeedface" in run.err and "Traceback" not in run.err
        assert len(run.err.strip().splitlines()) == 1
    assert not (workspace / "reviews.jsonl").exists()


def test_reviews_survive_reingesting_the_article(cli, workspace: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river", "water-sharing talks"])
    article = workspace / "articles" / "lyss.txt"
    article.write_text(
        "Lyss talks\n\nJune 14, 2030\n\nGENEVA — Negotiators from Arland and Borovia met in Geneva on Thursday "
        "for a new round of water-sharing talks on the Lyss river.\n",
        encoding="utf-8",
    )
    assert cli("-w", str(workspace), "ingest", str(article)).code == 0
    (first,) = steps(cli, workspace)
    assert cli("-w", str(workspace), "dismiss", first["event_id"], "--reason", "a rehearsal, not a round").code == 0
    for path in (workspace / "events").glob("*.jsonl"):
        path.unlink()  # the log is rebuilt from the article
    assert cli("-w", str(workspace), "ingest", str(article)).code == 0
    (again,) = steps(cli, workspace)
    assert again["event_id"] == first["event_id"] and again["outcome"] == "dismissed"


def test_concurrent_confirms_lose_nothing(cli, workspace: Path) -> None:
    talks, deal = lyss_workspace(workspace)
    env = {"PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "negotrack", "-w", str(workspace), "confirm", deal, "--by", f"analyst{i}"], env={**__import__("os").environ, **env})
        for i in range(8)
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    root = workspace

    def hammer(n: int) -> None:  # many writers in one go: each line lands whole
        for k in range(25):
            append_review(root, Review(event_id=talks, verdict="confirm", by=f"t{n}-{k}", at=dt.datetime.now(dt.timezone.utc), note="x" * 300))

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (workspace / "reviews.jsonl").read_text().splitlines()
    assert len(lines) == 8 + 16 * 25
    assert sorted(json.loads(line)["by"] for line in lines[:8] if json.loads(line)["event_id"] == deal) == [f"analyst{i}" for i in range(8)] or \
        sorted(json.loads(line)["by"] for line in lines if json.loads(line)["event_id"] == deal) == [f"analyst{i}" for i in range(8)]
    assert set(load_reviews(workspace)) == {talks, deal}


# --- thresholds are data --------------------------------------------------------------------------


def test_thresholds_come_from_the_vocabulary_and_the_thread(cli, workspace: Path) -> None:
    lyss_workspace(workspace, confidence=0.4)
    thread_file = workspace / "states" / "lyss-water.yaml"
    thread_file.write_text(thread_file.read_text() + "support: {min_confidence: 0.3}\n")
    assert steps(cli, workspace)[1]["outcome"] == "moved"
    thread_file.write_text(thread_file.read_text().replace("support: {min_confidence: 0.3}", "support: {decisive: [agred]}"))
    run = cli("-w", str(workspace), "validate")
    assert run.code == 2 and "lyss-water.yaml:" in run.err and "'agred'" in run.err and "did you mean 'agreed'" in run.err
    thread_file.write_text(thread_file.read_text().replace("support: {decisive: [agred]}", ""))
    vocab = workspace / "states" / "vocabulary.yaml"
    vocab.write_text(vocab.read_text().replace("min_confidence: 0.5", "min_confidence: 0.35"))
    assert steps(cli, workspace)[1]["outcome"] == "moved"
    vocab.write_text(vocab.read_text().replace("min_confidence: 0.35", "min_confidence: 2"))
    run = cli("-w", str(workspace), "status")
    assert run.code == 2 and "vocabulary.yaml:" in run.err and "min_confidence" in run.err


def test_defaults_match_the_shipped_vocabulary() -> None:
    assert VOCABULARY.support == SupportRules()
