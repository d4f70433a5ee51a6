"""Scoring as the spec says, on an invented corpus; the shared dev corpus when it is there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from negotrack.definitions import load_definitions
from negotrack.evaluate import GoldArticle, combine, evaluate_corpus, evaluate_many, render_report, score_file
from negotrack.lexicon import load_lexicon
from negotrack.model import Event, Evidence, Source, ThreadDef, Vocabulary

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
LEXICON = load_lexicon(REPO / "states" / "lexicon.yaml")
VOCAB = Vocabulary(**yaml.safe_load((REPO / "states" / "vocabulary.yaml").read_text()))
MACHINE = load_definitions(REPO / "states")[1]["doha-ceasefire"].model_dump()  # the standard machine, merged
HARBOR = ThreadDef(**{**MACHINE, "id": "harbor", "title": "Harbor talks", "parties": ["Norland", "Estria"],
                      "mediators": ["Valdoria"], "aliases": ["Harbor talks", "Port Venn"]})


def ev(type_: str, date: dt.date, thread: str = "harbor") -> Event:
    return Event(thread=thread, type=type_, date=date, reported=date, source=Source(path="a"),
                 evidence=Evidence(quote="q", start=0, end=1)).with_id()


D = dt.date(2024, 3, 20)


def test_matching_rules() -> None:
    gold = GoldArticle(file="a", events=[{"thread": "harbor", "type": "talks_held", "date": D}],
                       optional=[{"thread": "harbor", "type": "progress_reported", "date": D}])
    rep = score_file([ev("talks_held", D + dt.timedelta(days=1)), ev("talks_held", D), ev("progress_reported", D - dt.timedelta(days=1)),
                      ev("impasse_reported", D)], gold)
    # the exact date wins the gold; the other talks_held is an extra; progress is set aside
    assert (rep.tp, rep.fp, rep.fn, rep.set_aside) == (1, 2, 0, 1)
    assert rep.matched[0].date == D
    far = score_file([ev("talks_held", D + dt.timedelta(days=2))], gold)
    assert (far.tp, far.fp, far.fn) == (0, 1, 1)


def write_corpus(root: Path) -> Path:
    root.mkdir()
    (root / "001.txt").write_text(
        "Harbor talks open\n\nMarch 20, 2024\n\n"
        "Negotiators from Norland and Estria held talks in Port Venn on Tuesday, Valdoria officials said.\n"
    )
    (root / "002.txt").write_text(
        "Harbor talks stall\n\nMarch 23, 2024\n\n"
        "Norland rejected the latest Estrian proposal in the Harbor talks on Friday.\n\n"
        "Estria denied that the Harbor talks had broken off.\n"
    )
    (root / "gold.yaml").write_text(yaml.safe_dump({
        "initial": {"harbor": "proposed"},
        "articles": [
            {"file": "001.txt", "events": [{"thread": "harbor", "type": "talks_held", "date": dt.date(2024, 3, 19)}]},
            {"file": "002.txt", "events": [{"thread": "harbor", "type": "proposal_rejected", "date": dt.date(2024, 3, 22)},
                                           {"thread": "harbor", "type": "talks_suspended", "date": dt.date(2024, 3, 22)}]},
        ],
        "checkpoints": [
            {"thread": "harbor", "date": dt.date(2024, 3, 18), "phase": "proposed"},
            {"thread": "harbor", "date": dt.date(2024, 3, 20), "phase": "active"},
            {"thread": "harbor", "date": dt.date(2024, 3, 23), "phase": ["stalled", "suspended"]},
        ],
    }))
    return root


def test_corpus_report(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c")
    # rules alone: this is about scoring, not about what the learned typer reads
    rep = evaluate_corpus(corpus, VOCAB, {"harbor": HARBOR}, LEXICON, proposers=())
    f = rep.figures
    assert (f.tp, f.fp, f.fn) == (2, 0, 1)
    assert f.precision == 1.0 and abs(f.recall - 2 / 3) < 1e-3
    assert (f.checkpoints, f.checkpoints_ok) == (3, 3)
    text = render_report(rep)
    assert "miss" in text and "talks_suspended" in text
    both = evaluate_many([corpus, corpus], VOCAB, {"harbor": HARBOR}, LEXICON, proposers=())
    assert both.figures.tp == 4 and both.figures.checkpoints == 6
    assert combine([rep]).figures.f1 == rep.figures.f1


def test_gold_events_give_the_ceiling(tmp_path: Path) -> None:
    """The gold's own events, replayed, say what a perfect extraction would score: they reach
    the suspension extraction missed, and a checkpoint they contradict is shown as such."""
    corpus = write_corpus(tmp_path / "c")
    gold = yaml.safe_load((corpus / "gold.yaml").read_text())
    gold["checkpoints"].append({"thread": "harbor", "date": "2024-03-24", "phase": "suspended"})
    gold["checkpoints"].append({"thread": "harbor", "date": "2024-03-25", "phase": "agreed"})  # no gold event says so
    (corpus / "gold.yaml").write_text(yaml.safe_dump(gold))
    rep = evaluate_corpus(corpus, VOCAB, {"harbor": HARBOR}, LEXICON, proposers=())
    cps = {str(c.date): c for c in rep.checkpoints}
    assert cps["2024-03-24"].from_gold == "suspended" and cps["2024-03-24"].ok_from_gold
    assert cps["2024-03-24"].predicted == "stalled" and not cps["2024-03-24"].ok  # extraction missed the suspension
    assert not cps["2024-03-25"].ok_from_gold
    assert (rep.figures.checkpoints_ok_from_gold, rep.figures.checkpoints) == (4, 5)
    assert "the gold's own events 4/5" in render_report(rep)
    assert "the gold's own events give suspended" in render_report(rep)


@pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="shared dev corpus not present")
def test_dev_corpus_quality() -> None:
    from negotrack.definitions import load_definitions

    ex = load_definitions(REPO / "examples" / "states", fallback_vocabulary=REPO / "states" / "vocabulary.yaml")

    def figures(proposers):
        reps = [evaluate_corpus(d, *ex, LEXICON, proposers) for d in sorted((SHARED / "corpus").iterdir()) if (d / "gold.yaml").exists()]
        reps.append(evaluate_corpus(REPO / "seeds", *load_definitions(REPO / "states"), LEXICON, proposers))
        return combine(reps).figures

    rules = figures(())  # the rules were tuned on this corpus: they must keep what they had
    assert rules.f1 >= 0.85 and rules.phase_accuracy >= 0.95
    # the learned typer fires where the rules are silent, which here is mostly where no event is
    full = figures(None)
    assert full.f1 >= 0.80 and full.phase_accuracy >= 0.90


def test_seed_comes_out_as_its_gold() -> None:
    from negotrack.definitions import load_definitions

    rep = evaluate_corpus(REPO / "seeds", *load_definitions(REPO / "states"), LEXICON)
    assert (rep.figures.fp, rep.figures.fn) == (0, 0)
    assert rep.figures.phase_accuracy == 1.0
