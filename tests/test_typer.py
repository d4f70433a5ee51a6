"""The learned typer: its featuriser, its place in the pipeline, and the shipped model's tie to
the training data it was fitted on."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from negotrack.extract import extract_article, typer
from negotrack.extract.typer import MODEL_PATH, Typer, features, proposer, tokens
from negotrack.lexicon import Settings
from tests.test_extract import LEXICON, REPO, THREADS, VOCAB, article

DATA = REPO / "training" / "sentences"


def train_module():
    """training/train.py as a module (it needs scikit-learn only to fit, not to import)."""
    import sys

    sys.path.insert(0, str(REPO / "training"))
    try:
        import train
    finally:
        sys.path.pop(0)
    return train


def test_the_shipped_model_was_trained_on_the_data_in_the_repository() -> None:
    """Fails when training/sentences changed but `python training/train.py` was not run."""
    model = Typer.load()
    assert model.meta["data_sha256"] == train_module().data_hash(), "training data changed: retrain with `python training/train.py`"


def test_the_shipped_model_is_plain_arrays_and_small() -> None:
    assert MODEL_PATH.stat().st_size < 5_000_000
    with np.load(MODEL_PATH, allow_pickle=False) as z:  # raises if anything in it needs unpickling
        assert z["coef"].shape == (len(z["vocab"]), len(z["classes"]))
        assert set(z["classes"].tolist()) == set(VOCAB.event_type_names)


def test_training_data_lines_are_labelled_with_known_types() -> None:
    known = set(VOCAB.event_type_names)
    rows = [json.loads(line) for p in sorted(DATA.glob("*.jsonl")) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 4000
    assert all(set(r["labels"]) <= known and (r["kind"] == "event") == bool(r["labels"]) for r in rows)
    per_type = {t: sum(t in r["labels"] for r in rows) for t in known}
    assert min(per_type.values()) >= 120, per_type
    assert sum(not r["labels"] for r in rows) >= 2000


def test_names_are_masked_but_days_and_tense_are_not() -> None:
    forms = [t.form for t in tokens("Envoys of Norland met in Port Venn on Tuesday, 3 March.")]
    assert forms == ["envoys", "of", "<cap>", "met", "in", "<cap>", "<cap>", "on", "tuesday", "<num>", "march"]
    counts = features(tokens("They met."))
    assert counts["w:met"] == 1 and counts["b:they met"] == 1 and counts["c: met "] == 1
    # a dateline's place is a name too, though it opens the sentence
    assert [t.form for t in tokens("GENEVA — Envoys met")] == ["<cap>", "envoys", "met"]


def toy(weights: dict[str, dict[str, float]], classes: list[str]) -> Typer:
    """A typer with chosen word weights: enough to test the proposer's rules exactly."""
    vocab = sorted({f"w:{w}" for per in weights.values() for w in per})
    coef = np.zeros((len(vocab), len(classes)))
    for k, cls in enumerate(classes):
        for w, v in weights.get(cls, {}).items():
            coef[vocab.index(f"w:{w}"), k] = v
    return Typer(vocab, np.ones(len(vocab)), coef, np.full(len(classes), -2.0), classes, {})


CLASSES = ["talks_held", "talks_suspended"]
TOY = toy({"talks_held": {"zorbled": 30.0}, "talks_suspended": {"zorbled": 4.0, "walked": 30.0}}, CLASSES)


def test_the_model_speaks_where_the_rules_are_silent_and_anchors_on_its_word() -> None:
    text = "The envoys zorbled in Port Venn."
    props = TOY.propose(text, 0.7)
    assert [p.type for p in props] == ["talks_held", "talks_suspended"]
    assert text[props[0].start:props[0].end] == "zorbled"
    hits = proposer(TOY, 0.7, 0.99)(text, [])
    assert [h.type for h in hits] == ["talks_held", "talks_suspended"] and all(h.origin == "model" for h in hits)


def test_beside_rule_hits_the_model_needs_its_stricter_threshold_and_another_type() -> None:
    from negotrack.extract import Hit

    text = "The envoys zorbled in Port Venn."
    rule = Hit("talks_held", 11, 18, "rule cue")
    assert proposer(TOY, 0.7, 0.99)(text, [rule]) == []  # talks_suspended is under 0.99; talks_held is the rules'
    assert [h.type for h in proposer(TOY, 0.7, 0.8)(text, [rule])] == ["talks_suspended"]


def test_model_readings_go_through_the_checks_and_need_the_process_named() -> None:
    walk = [proposer(toy({"agreement_violated": {"flounced": 30.0}}, ["agreement_violated"]), 0.7, 0.99)]
    kept = extract_article(article("Norland's militia flounced the Harbor truce in Port Venn on Thursday."), VOCAB, THREADS, LEXICON, walk)
    assert [(e.type, e.stage) for e in kept.events] == [("agreement_violated", "model")]
    # agreement_violated needs no process word by the lexicon; a model reading of it does
    gone = extract_article(article("The harbour's cat flounced out of Port Venn on Thursday."), VOCAB, THREADS, LEXICON, walk)
    assert gone.events == () and "no talks, deal or delegation in the sentence" in [d.reason for d in gone.discarded]


def test_settings_turn_the_learned_stage_off() -> None:
    off = Settings(model_threshold=1.0, model_second_threshold=1.0)
    assert proposer(TOY, off.model_threshold, off.model_second_threshold)("The envoys zorbled.", []) == []


def test_confidence_is_calibrated_per_stage() -> None:
    model = Typer.load()
    assert set(model.calibration) == {"rule", "model"}
    assert 0.0 < typer.calibrated("model", 0.9) < 1.0
    # monotone: a higher raw score never means a lower confidence
    assert typer.calibrated("rule", 0.6) <= typer.calibrated("rule", 0.8) <= typer.calibrated("rule", 0.95)


def test_training_is_deterministic(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    train = train_module()
    rows = [
        train.Labelled(text=t, labels=tuple(ls), kind="event" if ls else "neutral", negotiation="fictional-test")
        for t, ls in [
            ("The envoys met in Geneva on Tuesday.", ["talks_held"]), ("Negotiators met again on Friday.", ["talks_held"]),
            ("The rebels walked out of the talks.", ["talks_suspended"]), ("The delegation walked out on Monday.", ["talks_suspended"]),
            ("Shelling continued near the front.", []), ("The harvest was poor this year.", []),
        ]
    ]
    types = ["talks_held", "talks_suspended"]
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    for out in (a, b):
        vocab, idf, coef, intercept = train.fit(rows, types, 4.0)
        train.save(out, vocab, idf, coef, intercept, types, {"data_sha256": "x"})
    assert a.read_bytes() == b.read_bytes()
    model = Typer.load(a)
    assert model.probabilities("The envoys met on Monday.")["talks_held"] > model.probabilities("The envoys met on Monday.")["talks_suspended"]
