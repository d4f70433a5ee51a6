"""`extract --suggest`: what extraction may have missed, shown for an analyst, never recorded."""

from __future__ import annotations

import json
from pathlib import Path

from negotrack.extract import extract_article
from negotrack.extract.suggest import suggestions
from tests.test_extract import LEXICON, THREADS, VOCAB, article

# the learned stage off for recording: every learned reading can only be a suggestion
NOT_RECORDING = LEXICON.model_copy(update={"settings": LEXICON.settings.model_copy(
    update={"model_threshold": 1.0, "model_second_threshold": 1.0})})


def suggested(body: str, lexicon=NOT_RECORDING) -> tuple[list, list]:
    a = article(body)
    x = extract_article(a, VOCAB, THREADS, lexicon)
    found = suggestions(a, x, VOCAB, THREADS, lexicon)
    for s in found:
        assert a.text[s.start:s.end] == s.quote  # the exact words, for add-event
    return list(x.events), found


def test_a_learned_reading_under_the_threshold_is_suggested_not_recorded() -> None:
    events, found = suggested("The Harbor talks hit a wall in Port Venn on Tuesday.")
    assert events == []
    assert [(s.thread, s.type, str(s.date)) for s in found] == [("harbor", "impasse_reported", "2024-03-19")]
    assert found[0].why.startswith("learned reading, p=")


def test_under_the_suggestion_floor_nothing_is_suggested() -> None:
    floor = NOT_RECORDING.model_copy(update={"settings": NOT_RECORDING.settings.model_copy(update={"suggest_threshold": 0.99})})
    assert suggested("The Harbor talks hit a wall in Port Venn on Tuesday.", floor)[1] == []


def test_a_cue_set_aside_is_suggested_with_its_reason() -> None:
    events, found = suggested("Norland and Estria did not meet in Port Venn on Tuesday.")
    assert events == [] and [(s.type, s.date, s.why) for s in found] == [("talks_held", None, "set aside: negated")]


def test_what_was_recorded_is_not_suggested() -> None:
    events, found = suggested("Norland's foreign minister sat down with his Estrian counterpart in Port Venn on Tuesday for the Harbor talks.")
    assert [e.type for e in events] == ["talks_held"] and found == []
    # a learned reading recorded at the usual threshold is not suggested again
    events, found = suggested("The Harbor talks broke up in Port Venn on Tuesday with the two sides still far apart.", LEXICON)
    assert [(e.type, e.stage) for e in events] == [("impasse_reported", "model")] and found == []


def test_a_suggestion_is_recorded_by_add_event_as_given(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert cli("init", "--example", str(ws)).code == 0
    (ws / "articles" / "a.txt").write_text(
        "Doha talks stall\n\nMarch 22, 2024\n\nThe Doha talks on a truce in Gaza hit a wall in Qatar on Tuesday, "
        "and Hamas negotiators said they were studying the text.\n", encoding="utf-8")
    shown = cli("extract", "--suggest", str(ws / "articles" / "a.txt"), "-w", str(ws), "--json")
    assert shown.code == 0, shown.err
    maybe = [r for r in json.loads(shown.out) if r.get("suggested")]
    assert maybe and all(r["add_event"][:2] == [r["thread"], r["type"]] for r in maybe)
    pick = maybe[0]
    done = cli("add-event", *pick["add_event"], "-w", str(ws), cwd=tmp_path)  # from another folder
    assert done.code == 0, done.err
    text = cli("extract", "--suggest", str(ws / "articles" / "a.txt"), "-w", str(ws))
    assert "maybe" in text.out and "add-event" in text.out
    status = json.loads(cli("status", "--json", "-w", str(ws)).out)
    assert pick["type"] in json.dumps(status)
