"""extract, ingest and eval as a user runs them, on articles written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ARTICLE, add_thread

SECOND = """Lyss river talks stall as Arland walks out

June 21, 2030

GENEVA — Arland recalled its negotiating team from the Lyss river talks on Wednesday, accusing Borovia of stalling.

Swiss mediators said they hoped the two sides would meet again in July.
"""


@pytest.fixture
def lyss(workspace: Path) -> Path:
    path = add_thread(workspace, "lyss-water", ["Lyss river", "water-sharing talks"], title="Lyss river water-sharing talks")
    path.write_text(path.read_text().replace("parties: []", "parties: [Arland, Borovia]"))
    (workspace / "articles" / "01-round.txt").write_text(ARTICLE, encoding="utf-8")
    (workspace / "articles" / "02-walkout.txt").write_text(SECOND, encoding="utf-8")
    return workspace


def log_bytes(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "events").glob("*.jsonl"))}


def test_extract_prints_events_and_writes_nothing(cli, lyss: Path) -> None:
    result = cli("extract", str(lyss / "articles" / "01-round.txt"), "--json", "-w", str(lyss))
    assert result.code == 0, result.err
    events = json.loads(result.out)
    assert {"file", "thread", "type", "date", "expected", "evidence", "cue", "confidence"} <= set(events[0])
    found = {(e["thread"], e["type"], e["date"]) for e in events}
    assert ("lyss-water", "talks_held", "2030-06-13") in found  # "on Thursday", published Friday
    assert ("lyss-water", "proposal_rejected", "2030-06-14") in found
    text = (lyss / "articles" / "01-round.txt").read_text()
    for e in events:
        assert e["evidence"] in text
    assert log_bytes(lyss) == {}


def test_ingest_is_idempotent_and_replaces_changed_articles(cli, lyss: Path) -> None:
    first = cli("ingest", str(lyss / "articles"), "--json", "-w", str(lyss))
    assert first.code == 0, first.err
    summary = json.loads(first.out)
    assert summary["articles"] == 2 and summary["new"] == 2 and summary["events"] > 0
    recorded = log_bytes(lyss)
    again = json.loads(cli("ingest", str(lyss / "articles"), "--json", "-w", str(lyss)).out)
    assert again["unchanged"] == 2 and again["events"] == 0
    assert log_bytes(lyss) == recorded

    status = {s["thread"]: s for s in json.loads(cli("status", "--json", "-w", str(lyss)).out)}
    assert status["lyss-water"]["phase"] == "suspended"
    assert "recalled its negotiating team" in status["lyss-water"]["entered_by"]["sources"][0]["quote"]

    changed = lyss / "articles" / "02-walkout.txt"
    changed.write_text(SECOND.replace("on Wednesday", "on Tuesday"), encoding="utf-8")
    third = cli("ingest", str(lyss / "articles"), "-w", str(lyss))
    assert third.code == 0
    assert "changed since last ingest, events replaced: articles/02-walkout.txt" in third.out
    lines = [json.loads(l) for p in (lyss / "events").glob("*walkout*.jsonl") for l in p.read_text().splitlines()]
    suspended = [e for e in lines if e["type"] == "talks_suspended"]
    assert [e["date"] for e in suspended] == ["2030-06-18"]  # replaced, not doubled


def test_bad_files_are_reported_and_the_rest_go_on(cli, lyss: Path) -> None:
    articles = lyss / "articles"
    (articles / "03-latin1.txt").write_bytes("Caf\xe9 talks\n\nJune 22, 2030\n\nNothing.\n".encode("latin-1"))
    (articles / "04-empty.txt").write_text("   \n")
    (articles / "05-undated.txt").write_text("Talks on the Lyss river\n\nArland and Borovia met in Bern.\n")
    result = cli("ingest", str(articles), "--json", "-w", str(lyss))
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "03-latin1.txt" in result.err and "UTF-8" in result.err
    assert "04-empty.txt" in result.err and "empty" in result.err
    assert "05-undated.txt" in result.err and "--published" in result.err
    assert json.loads(result.out)["articles"] == 2  # the two good ones were ingested
    dated = cli("extract", str(articles / "05-undated.txt"), "--published", "2030-06-23", "--json", "-w", str(lyss))
    assert dated.code == 0, dated.err


def test_eval_scores_a_folder_against_its_gold(cli, lyss: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "01-round.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "gold.yaml").write_text(
        "initial: {lyss-water: dormant}\n"
        "articles:\n"
        "  - file: 01-round.txt\n"
        "    events:\n"
        "      - {thread: lyss-water, type: talks_held, date: 2030-06-13, evidence: \"met in Geneva on Thursday\"}\n"
        "      - {thread: lyss-water, type: proposal_rejected, date: 2030-06-14, evidence: \"Arland rejected\"}\n"
        "      - {thread: lyss-water, type: talks_cancelled, date: 2030-06-14, evidence: \"Arland rejected\"}\n"
        "    optional:\n"
        "      - {thread: lyss-water, type: proposal_tabled, date: 2030-06-14}\n"
        "      - {thread: lyss-water, type: progress_reported, date: 2030-06-14}\n"
        "checkpoints:\n"
        "  - {thread: lyss-water, date: 2030-06-14, phase: stalled}\n",
        encoding="utf-8",
    )
    result = cli("eval", str(corpus), "--json", "-w", str(lyss))
    assert result.code == 0, result.err
    figures = json.loads(result.out)["figures"]
    assert (figures["tp"], figures["fp"], figures["fn"], figures["set_aside"]) == (2, 0, 1, 2)
    assert figures["precision"] == 1.0 and round(figures["recall"], 3) == 0.667 and figures["f1"] == 0.8
    assert figures["phase_accuracy"] == 1.0
    assert "talks_cancelled" in result.out  # the miss is listed
    human = cli("eval", str(corpus), "-w", str(lyss))
    assert human.code == 0 and "F1" in human.out


def test_eval_scores_a_second_analyst_the_same_way(cli, lyss: Path, tmp_path: Path) -> None:
    """`eval --analyst` scores another annotation of the same articles instead of extraction: one
    event agreed, one that is the first gold's optional (set aside), one of its own (a false
    positive), one gold event left out (a miss); a folder of annotations pairs them by name."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "01-round.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "gold.yaml").write_text(
        "articles:\n"
        "  - file: 01-round.txt\n"
        "    events:\n"
        "      - {thread: lyss-water, type: talks_held, date: 2030-06-13}\n"
        "      - {thread: lyss-water, type: proposal_rejected, date: 2030-06-14}\n"
        "    optional:\n"
        "      - {thread: lyss-water, type: proposal_tabled, date: 2030-06-14}\n"
        "checkpoints:\n"
        "  - {thread: lyss-water, date: 2030-06-14, phase: stalled}\n",
        encoding="utf-8",
    )
    second = tmp_path / "second" / "corpus"
    second.mkdir(parents=True)
    (second / "gold.yaml").write_text(
        "articles:\n"
        "  - file: 01-round.txt\n"
        "    events:\n"
        "      - {thread: lyss-water, type: talks_held, date: 2030-06-12}\n"
        "      - {thread: lyss-water, type: proposal_tabled, date: 2030-06-14}\n"
        "      - {thread: lyss-water, type: talks_suspended, date: 2030-06-14}\n",
        encoding="utf-8",
    )
    for given in (second / "gold.yaml", second.parent):
        result = cli("eval", str(corpus), "--json", "--analyst", str(given), "-w", str(lyss))
        assert result.code == 0, result.err
        f = json.loads(result.out)["figures"]
        assert (f["tp"], f["fp"], f["fn"], f["set_aside"]) == (1, 1, 1, 1)
        assert f["checkpoints_ok"] == 0 and f["checkpoints_ok_from_gold"] == 1  # suspended, not stalled
    missing = cli("eval", str(corpus), str(corpus), "--analyst", str(second / "gold.yaml"), "-w", str(lyss))
    assert missing.code == 2 and "folder holding CORPUS_NAME/gold.yaml" in missing.err and "Traceback" not in missing.err
