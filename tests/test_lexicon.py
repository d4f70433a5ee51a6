"""The cue pattern language and the lexicon loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from negotrack.definitions import load_definitions
from negotrack.errors import InputError
from negotrack.lexicon import PatternError, compile_pattern, load_lexicon, parse_lexicon
from negotrack.model import ThreadDef

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "states" / "lexicon.yaml"


def matches(pattern: str, text: str) -> bool:
    return re.search(compile_pattern(pattern), text, re.IGNORECASE) is not None


def test_stems_alternatives_and_word_boundaries() -> None:
    assert matches("negotiat*", "Negotiations resumed")
    assert matches("met|meet", "they met in Oslo")
    assert not matches("talk*", "a stalking horse")
    assert not matches("met", "metropolitan police")


def test_gaps_reach_a_few_words_but_not_across_commas() -> None:
    p = "reject* ... proposal|offer|plan"
    assert matches(p, "Hamas rejected the latest Egyptian proposal")
    assert not matches(p, "rejected it, citing the proposal")
    assert not matches(p, "rejected one two three four five six proposal")
    assert matches("reject* ...6 proposal", "rejected one two three four five six proposal")


def test_multiword_slots_and_optional_words() -> None:
    assert matches("took_place|were_held", "the talks took place")
    assert matches("return to the? table", "return to table")
    assert matches("return to the? table", "return to the table")


@pytest.mark.parametrize("bad", ["", "... talks", "talks ...", "*ing", "ta*lk", "a||b", "x? y ... ... z"])
def test_bad_patterns_are_refused(bad: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(bad)


def test_shipped_lexicon_covers_every_standard_event_type() -> None:
    lex = load_lexicon(SHIPPED)
    vocab = yaml.safe_load((REPO / "states" / "vocabulary.yaml").read_text())
    names = {e["name"] for e in vocab["event_types"]}
    assert set(lex.types) == names
    assert all(lex.types[n].cues for n in names)
    compiled = lex.compiled()
    assert "talks_resumed" in {cue.type for _, _, cue in compiled.hits("the talks resumed on Monday")}
    for name in ("negation", "denial", "conditional", "hedge", "reporting", "future", "position"):
        assert lex.lists[name]


def test_errors_name_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.yaml"
    bad.write_text("types:\n  talks_held:\n    cues:\n      - \"... met\"\n")
    with pytest.raises(InputError) as info:
        load_lexicon(bad)
    assert str(bad) in info.value.message and info.value.line == 4
    bad.write_text("types: [unclosed\n")
    with pytest.raises(InputError) as info:
        load_lexicon(bad)
    assert info.value.line is not None
    with pytest.raises(InputError):
        parse_lexicon("lists: {}\n", "x.yaml")
    with pytest.raises(InputError):
        parse_lexicon("types: {}\nlists:\n  nosuchlist: [a]\n", "x.yaml")


def test_thread_cues_are_added() -> None:
    lex = load_lexicon(SHIPPED)
    machine = load_definitions(REPO / "states")[1]["doha-ceasefire"].model_dump()  # the standard machine, merged
    t = ThreadDef(**{**machine, "cues": {"talks_held": ["gathered at ... lighthouse"]}})
    more = lex.with_thread_cues(t)
    assert len(more.types["talks_held"].cues) == len(lex.types["talks_held"].cues) + 1
    assert lex.with_thread_cues(ThreadDef(**machine)) is lex
