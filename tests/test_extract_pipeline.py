"""The extraction package's seams: a learned stage's hits, the lexicon's per-type keys, the caps
on absurd input, and time linear in a sentence's length."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from negotrack.articles import MAX_ARTICLE_BYTES, read_article
from negotrack.errors import InputError
from negotrack.extract import Hit, extract_article
from negotrack.lexicon import parse_lexicon
from negotrack.model import Event
from tests.test_extract import LEXICON, REPO, THREADS, VOCAB, article, events


def zorble(text: str, rule_hits: list[Hit]) -> list[Hit]:
    """A toy learned stage: it reads "zorbled" (a word no rule knows) as talks being held."""
    at = text.find("zorbled")
    return [Hit("talks_held", at, at + len("zorbled"), "model:zorble", 0.6, origin="model")] if at >= 0 else []


def test_a_model_hit_becomes_an_event_that_says_so() -> None:
    a = article("Norland and Estria zorbled in Port Venn on Thursday.")
    x = extract_article(a, VOCAB, THREADS, LEXICON, proposers=[zorble])
    assert [(e.type, e.stage, e.cue, e.date.isoformat()) for e in x.events] == [("talks_held", "model", "model:zorble", "2024-03-21")]
    assert all(e.stage == "rule" for e in events("Norland and Estria held talks in Port Venn on Thursday."))


def test_a_model_hit_goes_through_modality() -> None:
    a = article("Norland and Estria have not zorbled in Port Venn.")
    x = extract_article(a, VOCAB, THREADS, LEXICON, proposers=[zorble])
    assert x.events == ()
    assert [(d.cue, d.reason) for d in x.discarded] == [("model:zorble", "negated")]


def test_rule_hits_keep_their_span() -> None:
    def same_span(text: str, rule_hits: list[Hit]) -> list[Hit]:
        return [Hit("talks_cancelled", h.start, h.end, "model:other", origin="model") for h in rule_hits]

    a = article("Norland and Estria held talks in Port Venn on Thursday.")
    x = extract_article(a, VOCAB, THREADS, LEXICON, proposers=[same_span])
    assert [(e.type, e.stage) for e in x.events] == [("talks_held", "rule")]


def test_old_log_lines_without_a_stage_still_load() -> None:
    e = events("Norland and Estria held talks in Port Venn on Thursday.")[0]
    line = e.model_dump(mode="json")
    del line["stage"]
    assert Event.model_validate(line).stage is None


def test_per_type_rules_come_from_the_lexicon() -> None:
    """talks_proposed is exempt from the wish check because the lexicon says so, not the code."""
    sentence = "Valdoria said on Friday it would try to bring Norland and Estria to the negotiating table in Port Venn."
    assert [e.type for e in events(sentence)] == ["talks_proposed"]
    types = dict(LEXICON.types)
    types["talks_proposed"] = types["talks_proposed"].model_copy(update={"exempt": ("position",)})
    strict = LEXICON.model_copy(update={"types": types})
    x = extract_article(article(sentence), VOCAB, THREADS, strict)
    assert x.events == () and "a wish or an effort" in x.discarded[0].reason


def test_lexicon_keys_are_checked_with_line_and_suggestion() -> None:
    text = (REPO / "states" / "lexicon.yaml").read_text()
    bad = text.replace("exempt: [aspiration, position]", "exempt: [aspiraton, position]")
    with pytest.raises(InputError) as info:
        parse_lexicon(bad, "lexicon.yaml")
    assert info.value.line == bad[: bad.index("aspiraton")].count("\n") + 1
    assert "did you mean 'aspiration'" in info.value.problem
    bad = text.replace("partial_becomes: progress_reported", "partial_becomes: progress_report")
    with pytest.raises(InputError, match="did you mean 'progress_reported'"):
        parse_lexicon(bad, "lexicon.yaml")
    bad = text.replace("checks: [talks_offer]", "checks: [negated]")
    with pytest.raises(InputError, match="unknown extra check 'negated'"):
        parse_lexicon(bad, "lexicon.yaml")


def test_validate_reports_every_lexicon_problem(cli, workspace: Path) -> None:
    lexicon = workspace / "states" / "lexicon.yaml"
    text = lexicon.read_text()
    lexicon.write_text(text.replace("checks: [talks_offer]", "checks: [talk_offer]").replace("scheduled_type: talks_scheduled", "scheduled_type: talk_scheduled"))
    result = cli("validate", str(workspace))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 2 and all("states/lexicon.yaml:" in line for line in lines), result.err
    assert "did you mean 'talks_offer'" in lines[0] and "did you mean 'talks_scheduled'" in lines[1]


def _long_sentence(chars: int) -> str:
    chunk = "Norland and Estria held talks in Port Venn on Tuesday and the envoys met again and "
    return (chunk * (chars // len(chunk) + 1))[:chars].rstrip(" and") + "."


def test_a_sentence_longer_than_the_cap_is_skipped_with_a_reason() -> None:
    t0 = time.perf_counter()
    x = extract_article(article(_long_sentence(200_000)), VOCAB, THREADS, LEXICON)
    assert time.perf_counter() - t0 < 10
    assert x.events == ()
    assert len(x.discarded) == 1 and x.discarded[0].reason.startswith("not read: a sentence of 2")


def test_a_200_kb_sentence_is_read_in_linear_time() -> None:
    """With the cap lifted, a 200 KB sentence is read in well under a second (minutes before)."""
    settings = LEXICON.settings.model_copy(update={"max_sentence_chars": 1_000_000})
    lexicon = LEXICON.model_copy(update={"settings": settings})
    t0 = time.perf_counter()
    x = extract_article(article(_long_sentence(200_000)), VOCAB, THREADS, lexicon)
    assert time.perf_counter() - t0 < 10
    ruled = [(e.thread, e.type, e.date.isoformat()) for e in x.events if e.stage == "rule"]
    assert ruled == [("harbor", "talks_held", "2024-03-19")]  # the learned stage may read more into it
    assert {d.reason for d in x.discarded if not d.cue.startswith("model")} == {"the same happening told again in this article"}


def test_an_article_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b"Talks\n\n" + b"a" * MAX_ARTICLE_BYTES)
    with pytest.raises(InputError, match="larger than an article can be") as info:
        read_article(path)
    assert info.value.path == str(path)
