"""The command line as a user runs it, in temporary workspaces."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import add_thread

QUOTE_HELD = "Negotiators from Arland and Borovia met in Geneva on Thursday"
QUOTE_TABLED = "Borovia presented a draft framework on seasonal quotas"
QUOTE_REJECTED = "Arland rejected the draft framework on Friday"


def record(cli, ws: Path, article: Path, kind: str, quote: str, date: str, *extra: str):
    return cli("add-event", "lyss-water", kind, "--article", str(article), "--quote", quote, "--date", date, "--workspace", str(ws), *extra)


def test_shipped_status_on_a_fresh_clone(cli, tmp_path: Path) -> None:
    """From anywhere that is not a workspace, `status` reads the shipped one (the seeds)."""
    result = cli("status", "--json", cwd=tmp_path)
    assert result.code == 0, result.err
    by_thread = {s["thread"]: s for s in json.loads(result.out)}
    assert by_thread["doha-ceasefire"]["phase"] == "active"
    assert by_thread["us-israel-rafah"]["phase"] == "scheduled"
    rafah = by_thread["us-israel-rafah"]
    assert rafah["since"] == "2024-03-22"
    assert rafah["entered_by"]["sources"][0]["quote"].startswith("Senior Israeli and U.S. officials are scheduled to meet")
    assert rafah["entered_by"]["expected"] == "2024-03-25"
    doha = by_thread["doha-ceasefire"]
    assert doha["entered_by"]["type"] == "progress_reported" and doha["last_event"]["type"] == "talks_held"
    human = cli("status", cwd=tmp_path)
    assert "doha-ceasefire" in human.out and "“Blinken on Thursday said the gaps were narrowing.”" in human.out


def test_init_example_gives_the_shipped_threads_and_no_events(cli, workspace: Path) -> None:
    assert sorted(p.name for p in (workspace / "states").iterdir()) == [
        "doha-ceasefire.yaml", "lexicon.yaml", "us-israel-rafah.yaml", "vocabulary.yaml"
    ]
    assert list((workspace / "events").iterdir()) == []
    result = cli("status", "--json", "--workspace", str(workspace))
    assert [s["phase"] for s in json.loads(result.out)] == ["dormant", "dormant"]
    again = cli("init", str(workspace))
    assert again.code == 2 and "already a negotrack workspace" in again.err


def test_record_and_audit_a_user_thread(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    assert record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13").code == 0
    assert record(cli, workspace, article, "proposal_tabled", QUOTE_TABLED, "2030-06-14").code == 0
    assert record(cli, workspace, article, "agreement_in_force", QUOTE_REJECTED, "2030-06-12").code == 0
    assert record(cli, workspace, article, "proposal_rejected", QUOTE_REJECTED, "2030-06-15").code == 0

    replay = cli("replay", "lyss-water", "--json", "--workspace", str(workspace))
    assert replay.code == 0, replay.err
    start, *steps = json.loads(replay.out)
    assert (start["type"], start["outcome"], start["to_state"], start["given_by"]) == ("start", "given", "dormant", "states/lyss-water.yaml")
    assert [(s["type"], s["outcome"], s["from_state"], s["to_state"]) for s in steps] == [
        ("agreement_in_force", "rejected", "dormant", "dormant"),
        ("talks_held", "moved", "dormant", "active"),
        ("proposal_tabled", "unchanged", "active", "active"),
        ("proposal_rejected", "moved", "active", "stalled"),
    ]
    assert "not allowed from dormant" in steps[0]["reason"]
    assert all(s["sources"][0]["path"] == "articles/lyss-round.txt" for s in steps)
    text = cli("replay", "lyss-water", "--workspace", str(workspace))
    assert "REJECTED (agreement_in_force is not allowed from dormant" in text.out
    assert "active → stalled" in text.out

    status = {s["thread"]: s for s in json.loads(cli("status", "--json", "--workspace", str(workspace)).out)}
    assert status["lyss-water"]["phase"] == "stalled"
    assert status["lyss-water"]["rejected"] == 1
    assert status["lyss-water"]["entered_by"]["sources"][0]["quote"] == QUOTE_REJECTED
    as_of = {s["thread"]: s for s in json.loads(cli("status", "--json", "--as-of", "2030-06-13", "--workspace", str(workspace)).out)}
    assert as_of["lyss-water"]["phase"] == "active"


def test_same_order_on_same_day_is_by_id_and_stable(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13")
    first = cli("replay", "lyss-water", "--json", "--workspace", str(workspace)).out
    second = cli("replay", "lyss-water", "--json", "--workspace", str(workspace)).out
    assert first == second


def test_snapshot_is_invalidated_by_a_new_event(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13")
    before = {s["thread"]: s["phase"] for s in json.loads(cli("status", "--json", "-w", str(workspace)).out)}
    assert (workspace / ".negotrack" / "index.sqlite").exists()
    record(cli, workspace, article, "proposal_rejected", QUOTE_REJECTED, "2030-06-14")
    after = {s["thread"]: s["phase"] for s in json.loads(cli("status", "--json", "-w", str(workspace)).out)}
    assert (before["lyss-water"], after["lyss-water"]) == ("active", "stalled")


def test_workspace_from_environment(cli, workspace: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    result = cli("status", "--json", env={"NEGOTRACK_WORKSPACE": str(workspace)})
    assert "lyss-water" in {s["thread"] for s in json.loads(result.out)}


def log_lines(ws: Path) -> list[str]:
    return [l for p in sorted((ws / "events").glob("*.jsonl")) for l in p.read_text().splitlines()]


def test_add_event_checks_everything_before_writing(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13")
    before = log_lines(workspace)
    cases = [
        (record(cli, workspace, article, "talks_held", "words that are not in the article", "2030-06-13"), "quote not found in the article"),
        (record(cli, workspace, article, "talk_held", QUOTE_HELD, "2030-06-13"), "did you mean 'talks_held'"),
        (cli("add-event", "nile-water", "talks_held", "--article", str(article), "--quote", QUOTE_HELD, "-w", str(workspace)), "unknown thread 'nile-water'; known threads: doha-ceasefire, lyss-water, us-israel-rafah"),
        (record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-13-40"), "is not a date"),
        (record(cli, workspace, workspace / "missing.txt", "talks_held", QUOTE_HELD, "2030-06-13"), "article not found"),
    ]
    for result, message in cases:
        assert result.code == 2, result.out
        assert message in result.err
        assert "Traceback" not in result.err
    assert log_lines(workspace) == before


def test_bad_event_lines_name_file_and_line(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13")
    (log,) = (workspace / "events").glob("*.jsonl")
    good = log.read_text().splitlines()[0]
    rec = json.loads(good)
    bad_file = workspace / "events" / "hand-edited.manual.jsonl"
    variants = {
        "unknown thread 'nile-water'": {**rec, "thread": "nile-water"},
        "unknown event type 'talks_hold'": {**rec, "type": "talks_hold"},
        "is not a date": {**rec, "date": "2030-02-30"},
    }
    for message, broken in variants.items():
        bad_file.write_text(good + "\n" + json.dumps(broken) + "\n")
        result = cli("status", "--no-cache", "-w", str(workspace))
        assert result.code == 2
        assert "events/hand-edited.manual.jsonl:2: " in result.err and message in result.err, result.err
    bad_file.write_text(good + "\n{not json\n")
    result = cli("status", "-w", str(workspace))
    assert result.code == 2 and "hand-edited.manual.jsonl:2: malformed JSON" in result.err


def test_validate_checks_quotes_against_articles(cli, workspace: Path, article: Path) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    record(cli, workspace, article, "talks_held", QUOTE_HELD, "2030-06-13")
    assert cli("validate", str(workspace)).code == 0
    article.write_text(article.read_text().replace("met in Geneva", "gathered in Geneva"))
    result = cli("validate", str(workspace))
    assert result.code == 2 and "quote not found in articles/lyss-round.txt" in result.err


def test_unknown_thread_and_missing_workspace(cli, tmp_path: Path) -> None:
    result = cli("replay", "atlantis")
    assert result.code == 2
    assert "unknown thread 'atlantis'; known threads: doha-ceasefire, us-israel-rafah" in result.err
    missing = cli("status", "--workspace", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "workspace does not exist" in missing.err


def test_graph_marks_the_current_state(cli) -> None:
    result = cli("graph", "us-israel-rafah")
    assert result.code == 0, result.err
    assert "stateDiagram-v2" in result.out
    assert "Class scheduled s_active" in result.out
