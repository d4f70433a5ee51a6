"""Threads in eight lines (`machine: standard`, overrides, clean `init`) and threads already under
way (start anywhere, the starting point on record), through the CLI as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, status_by_thread

PHASES = ["dormant", "proposed", "scheduled", "active", "stalled", "suspended", "agreed", "in_force", "collapsed", "cancelled", "overtaken"]

EIGHT_LINES = """id: {id}
title: Lyss river water-sharing talks
parties: [Arland, Borovia]
mediators: [Switzerland]
aliases: [Lyss river, water-sharing talks]
machine: standard
"""

ARTICLE = """Lyss talks stall over summer quotas

June 22, 2030

GENEVA — Negotiators from Arland and Borovia met in Geneva on Thursday for a new round of the Lyss river water-sharing talks.

The round ended without a breakthrough, mediators said on Friday.
"""


def write(ws: Path, name: str, text: str) -> Path:
    path = ws / "states" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def clean_base(tmp_path_factory) -> Path:
    from conftest import run_cli

    ws = tmp_path_factory.mktemp("init") / "desk"
    result = run_cli("init", str(ws))
    assert result.code == 0, result.err
    return ws


@pytest.fixture
def clean(clean_base: Path, tmp_path: Path) -> Path:
    """A workspace just made by `negotrack init` (a copy of one made once)."""
    return Path(shutil.copytree(clean_base, tmp_path / "desk"))


status_of = status_by_thread


# --- init and the empty workspace ----------------------------------------------------------


def test_init_is_clean_and_says_how_to_add_a_thread(cli, clean: Path) -> None:
    assert sorted(p.name for p in (clean / "states").iterdir()) == ["lexicon.yaml", "vocabulary.yaml"]
    readme = (clean / "README.md").read_text()
    assert "machine: standard" in readme and "initial: {state: active, since:" in readme
    status = cli("status", "-w", str(clean))
    assert status.code == 0
    assert "no threads in this workspace yet" in status.out and "machine: standard" in status.out
    assert "no threads in this workspace yet" in cli("validate", str(clean)).out


def test_the_readme_threads_work_as_written(cli, clean: Path) -> None:
    """Both threads of the workspace README, copied out of it, validate and take real articles."""
    readme = (clean / "README.md").read_text()
    blocks = readme.split("```yaml\n")[1:]
    first, under_way = (b.split("```")[0] for b in blocks)
    write(clean, "lyss-water", first)
    assert cli("validate", str(clean)).code == 0
    (clean / "articles" / "round.txt").write_text(ARTICLE)
    ingest = cli("ingest", str(clean / "articles"), "-w", str(clean))
    assert ingest.code == 0, ingest.err
    lyss = status_of(cli, clean)["lyss-water"]
    assert lyss["phase"] == "stalled" and lyss["rejected"] == 0
    write(clean, "lyss-water", under_way.replace("2029-02-25", "2030-01-10"))
    assert cli("validate", str(clean)).code == 0
    assert status_of(cli, clean)["lyss-water"]["phase"] == "stalled"


# --- machine: standard ---------------------------------------------------------------------


def test_eight_lines_take_the_standard_machine(cli, clean: Path) -> None:
    path = write(clean, "lyss-water", EIGHT_LINES.format(id="lyss-water"))
    assert len(path.read_text().splitlines()) <= 8
    result = cli("validate", str(path))
    assert result.code == 0, result.err
    assert "ok: 11 states, 127 edges from machine standard" in result.out
    graph = cli("graph", "lyss-water", "-w", str(clean))
    assert graph.code == 0 and "in_force" in graph.out and "collapsed" in graph.out


def test_a_thread_may_rename_override_and_add(cli, clean: Path) -> None:
    text = EIGHT_LINES.format(id="lyss-water") + (
        "states:\n"
        "  - {name: dam_opened, replaces: overtaken, phase: overtaken, final: true}\n"
        "  - {name: agreed, phase: agreed, description: \"initialled, not yet ratified\"}\n"
        "  - {name: ratifying, phase: agreed}\n"
        "transitions:\n"
        "  - {trigger: proposal_accepted, source: [dormant], dest: active}\n"
        "  - {trigger: agreement_reached, source: [agreed], dest: ratifying}\n"
    )
    path = write(clean, "lyss-water", text)
    result = cli("validate", str(path))
    assert result.code == 0, result.err
    assert ("11 states, 127 edges from machine standard, 1 state(s) renamed (overtaken → dam_opened), "
            "1 state(s) overridden (agreed), 1 state(s) added (ratifying), 1 edge(s) replaced, 1 edge(s) added") in result.out
    graph = cli("graph", "lyss-water", "-w", str(clean)).out
    assert "--> dam_opened" in graph and "--> ratifying" in graph and "--> overtaken" not in graph


def test_overrides_are_honoured_by_replay(cli, clean: Path) -> None:
    text = EIGHT_LINES.format(id="lyss-water") + "transitions:\n  - {trigger: talks_held, source: [dormant], dest: scheduled}\n"
    write(clean, "lyss-water", text)
    (clean / "articles" / "round.txt").write_text(ARTICLE)
    quote = "Negotiators from Arland and Borovia met in Geneva on Thursday"
    added = cli("add-event", "lyss-water", "talks_held", "--article", str(clean / "articles" / "round.txt"), "--quote", quote, "-w", str(clean))
    assert added.code == 0, added.err
    assert status_of(cli, clean)["lyss-water"]["phase"] == "scheduled"


def test_problems_in_overrides_name_the_thread_file_and_line(cli, clean: Path) -> None:
    text = EIGHT_LINES.format(id="lyss-water") + (
        "states:\n"
        "  - {name: dam_opened, replaces: overtakn, phase: overtaken}\n"
        "transitions:\n"
        "  - {trigger: talks_held, source: [dormant], dest: actve}\n"
    )
    path = write(clean, "lyss-water", text)
    result = cli("validate", str(clean))
    assert result.code == 2 and "Traceback" not in result.err
    assert f"states/lyss-water.yaml:{line_of(path, 'overtakn')}: state 'dam_opened' replaces 'overtakn', which machine 'standard' does not have (did you mean 'overtaken'?)" in result.err
    write(clean, "lyss-water", EIGHT_LINES.format(id="lyss-water") + "transitions:\n  - {trigger: talks_held, source: [dormant], dest: actve}\n")
    result = cli("validate", str(clean))
    assert "states/lyss-water.yaml:8: unknown destination state 'actve' (did you mean 'active'?)" in result.err
    write(clean, "lyss-water", EIGHT_LINES.format(id="lyss-water").replace("machine: standard", "machine: standrd"))
    result = cli("validate", str(clean))
    assert result.code == 2
    assert "states/lyss-water.yaml:6: no machine named 'standrd' (did you mean 'standard'?)" in result.err


def test_a_workspace_machine_of_its_own(cli, clean: Path) -> None:
    (clean / "states" / "machines").mkdir()
    (clean / "states" / "machines" / "tiny.yaml").write_text(
        "name: tiny\ninitial: idle\nstates:\n  - {name: idle, phase: dormant}\n  - {name: talking, phase: active}\n"
        "transitions:\n  - {trigger: talks_held, source: [idle], dest: talking}\n"
    )
    write(clean, "lyss-water", EIGHT_LINES.format(id="lyss-water").replace("standard", "tiny"))
    result = cli("validate", str(clean))
    assert result.code == 0, result.err
    assert "lyss-water: 2 states, 1 edges from machine tiny" in result.out


# --- threads already under way ---------------------------------------------------------------


def test_a_thread_may_start_in_any_phase(cli, clean: Path) -> None:
    """One thread per phase of the standard machine, each starting there."""
    for phase in PHASES:
        write(clean, f"from-{phase}", EIGHT_LINES.format(id=f"from-{phase}") + f"initial: {phase}\n")
    result = cli("validate", str(clean))
    assert result.code == 0, result.err
    out = result.out.split("\n  from-")
    for block in out[1:]:
        phase = block.split(":")[0]
        assert ("note: state 'dormant' of the standard machine cannot be reached" in block) == (phase != "dormant"), block
    assert {t: s["phase"] for t, s in status_of(cli, clean).items()} == {f"from-{p}": p for p in PHASES}


def test_an_unreachable_state_the_user_wrote_is_still_an_error(cli, clean: Path) -> None:
    text = EIGHT_LINES.format(id="lyss-water") + "initial: active\nstates:\n  - {name: island, phase: stalled}\n"
    path = write(clean, "lyss-water", text)
    result = cli("validate", str(clean))
    assert result.code == 2
    assert f"states/lyss-water.yaml:{line_of(path, 'island')}: state 'island' cannot be reached from 'active'" in result.err
    assert "'dormant'" not in result.err


UNDER_WAY = EIGHT_LINES.format(id="lyss-water") + (
    'initial: {state: active, since: 2030-02-25, note: "rounds held in Geneva since late 2029", source: "https://example.org/lyss"}\n'
)


def test_the_starting_point_is_on_record(cli, clean: Path) -> None:
    write(clean, "lyss-water", UNDER_WAY)
    lyss = status_of(cli, clean)["lyss-water"]
    assert (lyss["phase"], lyss["since"], lyss["tracked"]) == ("active", "2030-02-25", True)
    assert lyss["starting"]["note"] == "rounds held in Geneva since late 2029"
    text = cli("status", "-w", str(clean)).out
    assert "in active since 2030-02-25, as given by the thread file: rounds held in Geneva since late 2029" in text
    start, *rows = json.loads(cli("replay", "lyss-water", "--json", "-w", str(clean)).out)
    assert rows == []
    assert start == {
        "type": "start", "outcome": "given", "given_by": "states/lyss-water.yaml", "state": "active", "phase": "active",
        "since": "2030-02-25", "note": "rounds held in Geneva since late 2029", "source": "https://example.org/lyss",
        "tracked": True, "date": "2030-02-25", "from_state": None, "to_state": "active", "from_phase": None, "to_phase": "active",
    }
    replay = cli("replay", "lyss-water", "-w", str(clean)).out
    first = replay.splitlines()[4]
    assert first.startswith("2030-02-25  (start)") and "https://example.org/lyss" in first and "given by states/lyss-water.yaml" in first


def test_an_event_moves_a_thread_under_way(cli, clean: Path) -> None:
    write(clean, "lyss-water", UNDER_WAY)
    (clean / "articles" / "round.txt").write_text(ARTICLE)
    assert cli("ingest", str(clean / "articles"), "-w", str(clean)).code == 0
    lyss = status_of(cli, clean)["lyss-water"]
    assert (lyss["phase"], lyss["since"]) == ("stalled", "2030-06-21")
    early = status_of(cli, clean, "--as-of", "2030-03-01")["lyss-water"]
    assert (early["phase"], early["since"]) == ("active", "2030-02-25")


def test_as_of_before_since_is_not_yet_tracked(cli, clean: Path) -> None:
    write(clean, "lyss-water", UNDER_WAY)
    lyss = status_of(cli, clean, "--as-of", "2030-01-01")["lyss-water"]
    assert (lyss["tracked"], lyss["state"], lyss["phase"], lyss["since"]) == (False, None, None, None)
    text = cli("status", "--as-of", "2030-01-01", "-w", str(clean)).out
    assert "not yet tracked" in text and "active" not in text.split("\n")[2]
    replay = cli("replay", "lyss-water", "--as-of", "2030-01-01", "-w", str(clean)).out
    assert "not yet tracked on 2030-01-01: the thread file starts it in active on 2030-02-25" in replay
    assert status_of(cli, clean, "--as-of", "2030-02-25")["lyss-water"]["tracked"] is True


def test_a_bad_starting_point_names_file_and_line(cli, clean: Path) -> None:
    write(clean, "lyss-water", UNDER_WAY.replace("since: 2030-02-25", "since: last spring"))
    result = cli("validate", str(clean))
    assert result.code == 2 and "Traceback" not in result.err
    assert "states/lyss-water.yaml:7: initial.since:" in result.err
    write(clean, "lyss-water", UNDER_WAY.replace("state: active", "state: actve"))
    result = cli("validate", str(clean))
    assert "states/lyss-water.yaml:7: initial state 'actve' is not a state (did you mean 'active'?)" in result.err


def test_shipped_threads_use_the_standard_machine() -> None:
    files = sorted((REPO / "states").glob("*.yaml")) + sorted((REPO / "examples" / "states").glob("*.yaml"))
    threads = [p for p in files if p.name not in ("vocabulary.yaml", "lexicon.yaml")]
    assert len(threads) >= 20
    for path in threads:
        text = path.read_text()
        assert "machine: standard" in text and "transitions:" not in text, path


def test_the_main_readme_thread_is_eight_lines_that_work(cli, clean: Path) -> None:
    block = (REPO / "README.md").read_text().split("## Defining a thread")[1].split("```yaml\n")[1].split("```")[0]
    assert len(block.strip().splitlines()) <= 8
    path = write(clean, "lyss-water", block)
    assert cli("validate", str(path)).code == 0
    (clean / "articles" / "round.txt").write_text(ARTICLE)
    assert cli("ingest", str(clean / "articles"), "-w", str(clean)).code == 0
    assert status_of(cli, clean)["lyss-water"]["phase"] == "stalled"
