"""Thread definitions: the shipped ones load, and every kind of broken one is caught at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, add_thread
from negotrack.definitions import load_definitions
from negotrack.errors import InputErrors

STANDARD = REPO / "states" / "machines" / "standard.yaml"
# A thread written out in full, without `machine:` (the standard machine's block, as a thread).
GOOD = re.sub(r"name: standard\ndescription: .*\n", "id: doha-ceasefire\ntitle: Written out\n", STANDARD.read_text(encoding="utf-8"))


def test_shipped_definitions_load() -> None:
    vocabulary, threads = load_definitions(REPO / "states")
    assert set(threads) == {"doha-ceasefire", "us-israel-rafah"}
    assert len(vocabulary.event_types) == 17
    assert len(vocabulary.phases) == 11
    assert threads["us-israel-rafah"].phase_of("assault_launched") == "overtaken"


def write_variant(ws: Path, name: str, text: str) -> Path:
    path = ws / "states" / f"{name}.yaml"
    path.write_text(text.replace("id: doha-ceasefire", f"id: {name}"), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_every_problem_is_listed_with_file_and_line(workspace: Path, cli) -> None:
    bad = GOOD.replace("trigger: talks_held, source: [dormant", "trigger: talks_hold, source: [dormant")
    bad = bad.replace("dest: stalled}", "dest: staled}", 1)
    bad = bad.replace("{name: cancelled, phase: cancelled", "{name: cancelled, phase: canceled")
    path = write_variant(workspace, "broken", bad)
    result = cli("validate", str(workspace))
    assert result.code == 2
    assert "Traceback" not in result.err
    err = result.err
    assert f"states/broken.yaml:{line_of(path, 'talks_hold,')}: unknown event type 'talks_hold' (did you mean 'talks_held'?)" in err
    assert f"states/broken.yaml:{line_of(path, 'dest: staled')}: unknown destination state 'staled' (did you mean 'stalled'?)" in err
    assert f"states/broken.yaml:{line_of(path, 'phase: canceled')}: state 'cancelled' has unknown phase 'canceled' (did you mean 'cancelled'?)" in err


def test_unreachable_duplicate_and_missing_initial(tmp_path: Path) -> None:
    states = tmp_path / "states"
    states.mkdir()
    (states / "vocabulary.yaml").write_text((REPO / "states" / "vocabulary.yaml").read_text())
    (states / "t1.yaml").write_text(
        "id: t1\ntitle: T\ninitial: start\nstates:\n"
        "  - {name: dormant, phase: dormant}\n"
        "  - {name: active, phase: active}\n"
        "  - {name: island, phase: stalled}\n"
        "transitions:\n"
        "  - {trigger: talks_held, source: [dormant], dest: active}\n"
        "  - {trigger: talks_held, source: dormant, dest: active}\n"
    )
    with pytest.raises(InputErrors) as caught:
        load_definitions(states)
    messages = [e.message for e in caught.value.errors]
    assert any("t1.yaml:3: initial state 'start' is not a state" in m for m in messages)
    assert any("t1.yaml:10: duplicate transition: 'talks_held' from 'dormant' is already defined at line 9" in m for m in messages)
    (states / "t1.yaml").write_text(
        "id: t1\ntitle: T\ninitial: dormant\nstates:\n"
        "  - {name: dormant, phase: dormant}\n"
        "  - {name: active, phase: active}\n"
        "  - {name: island, phase: stalled}\n"
        "transitions:\n"
        "  - {trigger: talks_held, source: [dormant], dest: active}\n"
    )
    with pytest.raises(InputErrors) as caught:
        load_definitions(states)
    assert [e.message for e in caught.value.errors] == [f"{states / 't1.yaml'}:7: state 'island' cannot be reached from 'dormant'"]


def test_yaml_boolean_words_are_refused(workspace: Path, cli) -> None:
    text = GOOD.replace("id: doha-ceasefire", "id: boolish") + "on: talks_held\n"
    (workspace / "states" / "boolish.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", str(workspace))
    assert result.code == 2
    last_line = len(text.splitlines())
    assert f"states/boolish.yaml:{last_line}: 'on' is read by YAML as a boolean" in result.err


def test_malformed_yaml_names_the_line(workspace: Path, cli) -> None:
    (workspace / "states" / "mangled.yaml").write_text("id: mangled\ntitle: [unclosed\ninitial: dormant\n", encoding="utf-8")
    result = cli("status", "--workspace", str(workspace))
    assert result.code == 2
    assert "mangled.yaml:" in result.err and "malformed YAML" in result.err
    assert "Traceback" not in result.err
    assert not (workspace / ".negotrack").exists()  # nothing written


def test_yaml_is_loaded_safely(workspace: Path, cli) -> None:
    marker = workspace / "pwned"
    (workspace / "states" / "evil.yaml").write_text(
        f"id: !!python/object/apply:os.system ['touch {marker}']\ntitle: x\n", encoding="utf-8"
    )
    result = cli("validate", str(workspace))
    assert result.code == 2
    assert not marker.exists()
    assert "evil.yaml:1" in result.err


def test_user_thread_is_picked_up(workspace: Path, cli) -> None:
    add_thread(workspace, "lyss-water", ["Lyss river"])
    result = cli("validate", str(workspace))
    assert result.code == 0, result.err
    assert "3 thread(s)" in result.out
