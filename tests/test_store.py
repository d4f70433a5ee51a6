"""The store under misuse and faults: one test per defect of issue 8, each run as a user runs it."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, REPO, add_thread, run_cli

QUOTE_HELD = "Negotiators from Arland and Borovia met in Geneva on Thursday"
QUOTE_REJECTED = "Arland rejected the draft framework on Friday"
NO_EVENTS = "A quiet week on the lake\n\nJune 20, 2030\n\nThe weather in Geneva was mild and the ferries ran on time.\n"


@pytest.fixture
def lyss(workspace: Path) -> Path:
    path = add_thread(workspace, "lyss-water", ["Lyss river", "water-sharing talks"], title="Lyss river water-sharing talks")
    path.write_text(path.read_text().replace("parties: []", "parties: [Arland, Borovia]"))
    (workspace / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return workspace


def events_dir(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "events").glob("*.jsonl"))}


def no_traceback(result) -> None:
    assert "Traceback" not in result.err, result.err
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.err.startswith("error: "), result.err


# --- 2. the same article however its path is spelt ------------------------------------------


def test_article_identity_does_not_depend_on_spelling(cli, lyss: Path) -> None:
    first = cli("ingest", "a.txt", "--json", "-w", str(lyss), cwd=lyss / "articles")
    assert json.loads(first.out)["new"] == 1, first.err
    again = cli("ingest", str(lyss / "articles" / "a.txt"), "--json", "-w", str(lyss), cwd=REPO)
    assert json.loads(again.out)["unchanged"] == 1 and json.loads(again.out)["new"] == 0
    assert len(events_dir(lyss)) == 1
    # an edit, re-ingested under a third spelling, replaces the stale events
    article = lyss / "articles" / "a.txt"
    article.write_text(ARTICLE.replace("Arland rejected the draft framework on Friday", "Arland welcomed the draft framework on Friday"))
    third = cli("ingest", "articles/../articles/a.txt", "--json", "-w", str(lyss), cwd=lyss)
    assert json.loads(third.out)["replaced"] == 1
    assert len(events_dir(lyss)) == 1
    steps = [r for r in json.loads(cli("replay", "lyss-water", "--json", "-w", str(lyss)).out) if r["type"] != "start"]
    assert all("rejected the draft" not in s["sources"][0]["quote"] for s in steps)
    assert cli("validate", str(lyss)).code == 0


def test_article_outside_the_workspace_is_recorded_by_its_full_path(cli, lyss: Path, tmp_path: Path) -> None:
    clip = tmp_path / "clip"
    clip.mkdir()
    (clip / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = cli("ingest", "clip/b.txt", "--json", "-w", str(lyss), cwd=tmp_path)
    assert result.code == 0, result.err
    again = cli("ingest", str(clip / "b.txt"), "--json", "-w", str(lyss), cwd=REPO)
    assert json.loads(again.out)["unchanged"] == 1
    (log,) = [p for p in (lyss / "events").glob("*.jsonl")]
    paths = {json.loads(line)["source"]["path"] for line in log.read_text().splitlines()}
    assert paths == {str(clip / "b.txt")}
    assert cli("validate", str(lyss), cwd=REPO).code == 0  # found from anywhere
    # edited, then ingested under another spelling: its old events go, none stale remain
    (clip / "b.txt").write_text(ARTICLE.replace("Arland rejected the draft framework on Friday", "Arland welcomed the draft framework on Friday"))
    edited = json.loads(cli("ingest", "../clip/b.txt", "--json", "-w", str(lyss), cwd=lyss).out)
    assert edited["replaced"] == 1
    assert len(events_dir(lyss)) == 1
    steps = [r for r in json.loads(cli("replay", "lyss-water", "--json", "-w", str(lyss)).out) if r["type"] != "start"]
    assert steps and all("rejected the draft" not in s["sources"][0]["quote"] for s in steps)
    assert cli("validate", str(lyss), cwd=REPO).code == 0


def test_article_without_events_is_not_new_twice(cli, lyss: Path) -> None:
    (lyss / "articles" / "quiet.txt").write_text(NO_EVENTS, encoding="utf-8")
    first = json.loads(cli("ingest", str(lyss / "articles" / "quiet.txt"), "--json", "-w", str(lyss)).out)
    second = json.loads(cli("ingest", str(lyss / "articles" / "quiet.txt"), "--json", "-w", str(lyss)).out)
    assert (first["new"], first["events"]) == (1, 0)
    assert (second["new"], second["unchanged"]) == (0, 1)


# --- 3 (definitions). caps -------------------------------------------------------------------


def test_definition_caps_give_a_clear_error(cli, lyss: Path) -> None:
    path = lyss / "states" / "lyss-water.yaml"
    text = path.read_text()
    many = "[" + ", ".join(f"place{i}" for i in range(1500)) + "]"
    path.write_text(text.replace("aliases: [Lyss river, water-sharing talks]", f"aliases: {many}"))
    result = cli("validate", str(lyss))
    no_traceback(result)
    assert "aliases: 1500 names; at most 1000" in result.err
    path.write_text(text + "# " + "x" * 1_100_000 + "\n")
    result = cli("status", "-w", str(lyss))
    no_traceback(result)
    assert "lyss-water.yaml: file is 1,10" in result.err and "at most 1,000,000" in result.err


def test_yaml_alias_bomb_is_refused_quickly(cli, lyss: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    (lyss / "states" / "bomb.yaml").write_text(bomb)
    result = cli("validate", str(lyss))
    no_traceback(result)
    assert "bomb.yaml" in result.err and "YAML values" in result.err


# --- 5. tracebacks -----------------------------------------------------------------------------


def test_a_folder_named_like_a_definition(cli, lyss: Path) -> None:
    (lyss / "states" / "x.yaml").mkdir()
    result = cli("status", "-w", str(lyss))
    no_traceback(result)
    assert "states/x.yaml" in result.err and "is a folder" in result.err


def test_init_on_an_existing_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine")
    result = cli("init", str(target))
    no_traceback(result)
    assert "is a file" in result.err and target.read_text() == "mine"


def test_log_line_with_an_unexpected_field(cli, lyss: Path) -> None:
    assert cli("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    (log,) = (lyss / "events").glob("*.jsonl")
    rec = json.loads(log.read_text())
    log.write_text(json.dumps({**rec, "surprise": 1}) + "\n")
    for command in (["status"], ["status", "--no-cache"], ["replay", "lyss-water"], ["validate"]):
        result = cli(*command, "-w", str(lyss)) if command[0] != "validate" else cli("validate", str(lyss))
        no_traceback(result)
        assert "surprise: unexpected field" in result.err, (command, result.err)


def run_limited(*args: str, cwd: Path | None = None, umask: int | None = None, fsize: int | None = None) -> subprocess.CompletedProcess:
    """The CLI with a file size limit (writes then fail as on a full disk) or a given umask."""

    def setup() -> None:
        if umask is not None:
            os.umask(umask)
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NEGOTRACK_WORKSPACE", None)
    return subprocess.run([sys.executable, "-m", "negotrack", *args], cwd=cwd or REPO, env=env, capture_output=True, text=True, preexec_fn=setup, timeout=120)


def test_full_disk_on_writes_is_one_line_and_nothing_half_written(lyss: Path, tmp_path: Path) -> None:
    article = str(lyss / "articles" / "a.txt")
    assert run_cli("add-event", "lyss-water", "talks_held", "--article", article, "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    before = events_dir(lyss)
    for args in (
        ["add-event", "lyss-water", "proposal_rejected", "--article", article, "--quote", QUOTE_REJECTED, "--date", "2030-06-14", "-w", str(lyss)],
        ["ingest", article, "-w", str(lyss)],
        ["init", str(tmp_path / "new-ws")],
    ):
        proc = run_limited(*args, fsize=100)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
        assert "free space" in proc.stderr or "no space" in proc.stderr, proc.stderr
    assert events_dir(lyss) == before
    assert not list((lyss / "events").glob(".*.tmp"))
    assert not (tmp_path / "new-ws").exists() and not list(tmp_path.glob(".new-ws*"))


def test_unreadable_log_file_is_named_not_a_traceback(lyss: Path, monkeypatch, capsys) -> None:
    from negotrack import cli

    assert run_cli("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.suffix == ".jsonl":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    monkeypatch.setattr("builtins.open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(a[0]))) if str(a[0]).endswith(".jsonl") else _open(*a, **k))
    code = cli.main(["status", "--no-cache", "-w", str(lyss)])
    err = capsys.readouterr().err
    assert code == 2 and "permission denied" in err and ".jsonl" in err


_open = open


# --- 6. the umask ------------------------------------------------------------------------------


def test_files_respect_the_umask(lyss: Path) -> None:
    proc = run_limited("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss), umask=0o002)
    assert proc.returncode == 0, proc.stderr
    (log,) = (lyss / "events").glob("*.jsonl")
    assert stat.S_IMODE(log.stat().st_mode) == 0o664
    assert run_limited("status", "-w", str(lyss), umask=0o002).returncode == 0
    assert stat.S_IMODE((lyss / ".negotrack" / "index.sqlite").stat().st_mode) == 0o664
    proc = run_limited("init", str(lyss.parent / "other"), umask=0o022)
    assert stat.S_IMODE((lyss.parent / "other" / "states" / "vocabulary.yaml").stat().st_mode) == 0o644


# --- 7. silent wrong answers -------------------------------------------------------------------


def test_graph_dot_without_graphviz_is_an_error(cli) -> None:
    import importlib.util

    result = cli("graph", "us-israel-rafah", "--format", "dot")
    if importlib.util.find_spec("graphviz") is None:
        no_traceback(result)
        assert "graphviz" in result.err and "stateDiagram" not in result.out
    else:
        assert result.code == 0 and "digraph" in result.out


def test_duplicate_yaml_keys_are_refused(cli, lyss: Path) -> None:
    path = lyss / "states" / "lyss-water.yaml"
    path.write_text(path.read_text() + "transitions: []\ntransitions:\n  - {trigger: talks_held, source: [dormant], dest: active}\n")
    result = cli("validate", str(lyss))
    no_traceback(result)
    assert "key 'transitions' appears twice (first at line" in result.err


def test_validate_and_graph_json(cli, lyss: Path) -> None:
    result = cli("validate", str(lyss), "--json")
    assert result.code == 0 and json.loads(result.out)["ok"] is True
    (lyss / "states" / "lyss-water.yaml").write_text("id: lyss-water\n")
    bad = cli("validate", str(lyss), "--json")
    assert bad.code == 2 and json.loads(bad.out)["ok"] is False
    assert all(p["file"].endswith("lyss-water.yaml") for p in json.loads(bad.out)["problems"])
    graph = cli("graph", "us-israel-rafah", "--json")
    assert graph.code == 0 and json.loads(graph.out)["graph"].startswith("---")


def test_mermaid_start_arrow_leaves_the_initial_state(cli) -> None:
    result = cli("graph", "us-israel-rafah")  # the shipped seeds put it in `scheduled`
    assert "[*] --> dormant" in result.out and "[*] --> scheduled" not in result.out
    assert "Class scheduled s_active" in result.out


def test_replay_and_status_agree_on_an_unknown_event_type(cli, lyss: Path) -> None:
    assert cli("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    (log,) = (lyss / "events").glob("*.jsonl")
    rec = json.loads(log.read_text())
    log.write_text(log.read_text() + json.dumps({**rec, "type": "talks_hold", "id": "0" * 16}) + "\n")
    status, replay = cli("status", "-w", str(lyss)), cli("replay", "lyss-water", "-w", str(lyss))
    assert status.code == replay.code == 2
    for result in (status, replay):
        assert ":2: unknown event type 'talks_hold'" in result.err
    assert "talks_held" in replay.out  # the good line still counts


def test_status_sees_a_same_size_edit_with_its_mtime_restored(cli, lyss: Path) -> None:
    assert cli("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    (log,) = (lyss / "events").glob("*.jsonl")
    st = log.stat()
    os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns - 5_000_000_000))  # as if written long ago
    first = json.loads(cli("status", "--json", "-w", str(lyss)).out)
    assert {s["thread"]: s["phase"] for s in first}["lyss-water"] == "active"
    old = log.stat()
    text = log.read_text().replace('"type":"talks_held"', '"type":"talks_cued"')
    assert len(text) == old.st_size
    log.write_text(text)
    os.utime(log, ns=(old.st_atime_ns, old.st_mtime_ns))  # touch -r / cp -p / rsync -a
    assert log.stat().st_size == old.st_size and log.stat().st_mtime_ns == old.st_mtime_ns
    after = cli("status", "--json", "-w", str(lyss))
    assert "unknown event type 'talks_cued'" in after.err, after.err


def test_add_event_dates_must_make_sense(cli, lyss: Path) -> None:
    article = str(lyss / "articles" / "a.txt")
    late = cli("add-event", "lyss-water", "talks_held", "--article", article, "--quote", QUOTE_HELD, "--date", "2034-06-13", "-w", str(lyss))
    no_traceback(late)
    assert "after the article's publication (2030-06-14)" in late.err
    early = cli("add-event", "lyss-water", "talks_scheduled", "--article", article, "--quote", QUOTE_HELD, "--date", "2030-06-13", "--expected", "2030-06-01", "-w", str(lyss))
    no_traceback(early)
    assert "before the event's date" in early.err
    assert events_dir(lyss) == {}


def test_a_due_date_after_publication_is_this_year() -> None:
    import datetime as dt

    from negotrack.dates import find_dates

    (mention,) = find_dates("The first instalment is due on May 1.", dt.date(2031, 4, 2))
    assert mention.date == dt.date(2031, 5, 1)
    (past,) = find_dates("The deadline of May 1 passed quietly.", dt.date(2031, 6, 2))
    assert past.date == dt.date(2031, 5, 1)


# --- 8. writes into the checkout ----------------------------------------------------------------


def test_no_silent_fallback_writes(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    before = sorted(p.name for p in (REPO / "seeds").iterdir())
    had_events = (REPO / "events").exists()
    for args in (["ingest", "a.txt"], ["add-event", "doha-ceasefire", "talks_held", "--article", "a.txt", "--quote", QUOTE_HELD]):
        result = cli(*args, cwd=tmp_path)
        no_traceback(result)
        assert "no workspace to write to" in result.err and "read-only" in result.err
    assert sorted(p.name for p in (REPO / "seeds").iterdir()) == before
    assert (REPO / "events").exists() == had_events
    assert cli("status", cwd=tmp_path).code == 0  # reading the shipped workspace still works


def test_writing_commands_name_their_workspace(cli, lyss: Path) -> None:
    ingest = cli("ingest", str(lyss / "articles" / "a.txt"), "-w", str(lyss))
    assert f"workspace {lyss.resolve()}" in ingest.out
    add = cli("add-event", "lyss-water", "talks_held", "--article", str(lyss / "articles" / "a.txt"), "--quote", QUOTE_HELD, "--date", "2030-06-13", cwd=lyss)
    assert f"(workspace {lyss.resolve()})" in add.out
    assert json.loads(cli("ingest", str(lyss / "articles" / "a.txt"), "--json", "-w", str(lyss)).out)["workspace"] == str(lyss.resolve())


# --- 9. validate reports everything; a bad line blocks nothing ----------------------------------


def test_validate_reports_definitions_lexicon_and_log_together(cli, lyss: Path) -> None:
    article = str(lyss / "articles" / "a.txt")
    assert cli("add-event", "lyss-water", "talks_held", "--article", article, "--quote", QUOTE_HELD, "--date", "2030-06-13", "-w", str(lyss)).code == 0
    (log,) = (lyss / "events").glob("*.jsonl")
    log.write_text(log.read_text() + "{not json\n")
    (lyss / "states" / "harbour.yaml").write_text(
        "id: harbour\ntitle: T\ninitial: dormant\nstates:\n  - {name: dormant, phase: dormant}\n"
        "  - {name: active, phase: active, colour: red}\n"  # pydantic refuses
        "transitions:\n  - {trigger: talks_held, source: [dormant], dest: actve}\n"  # and a semantic problem in the same file
    )
    lexicon = lyss / "states" / "lexicon.yaml"
    lexicon.write_text(lexicon.read_text() + "settings: [unclosed\n")
    result = cli("validate", str(lyss))
    no_traceback(result)
    assert "harbour.yaml" in result.err and "colour" in result.err
    assert "unknown destination state 'actve'" in result.err
    assert ":2: malformed JSON" in result.err
    assert "lexicon.yaml" in result.err


def test_unreachable_state_is_reported_beside_other_problems(cli, lyss: Path) -> None:
    path = lyss / "states" / "island.yaml"
    path.write_text(
        "id: island\ntitle: T\ninitial: dormant\nstates:\n"
        "  - {name: dormant, phase: dormant}\n  - {name: active, phase: active}\n  - {name: lost, phase: stalled}\n"
        "transitions:\n  - {trigger: talks_held, source: [dormant], dest: active}\n  - {trigger: talks_hold, source: [active], dest: null}\n"
    )
    result = cli("validate", str(lyss))
    assert "unknown event type 'talks_hold'" in result.err
    assert "state 'lost' cannot be reached from 'dormant'" in result.err


def test_a_bad_line_blocks_nothing_and_reingest_repairs_it(cli, lyss: Path) -> None:
    article = lyss / "articles" / "a.txt"
    assert cli("ingest", str(article), "-w", str(lyss)).code == 0
    (log,) = (lyss / "events").glob("*.extracted.jsonl")
    clean = log.read_bytes()
    log.write_bytes(clean + b"{broken\n")
    status = cli("status", "--json", "-w", str(lyss))
    assert status.code == 2 and "malformed JSON" in status.err
    assert {s["thread"]: s["phase"] for s in json.loads(status.out)}["lyss-water"] != "dormant"
    repaired = cli("ingest", str(article), "--json", "-w", str(lyss))
    assert repaired.code == 0, repaired.err
    assert log.read_bytes() == clean
    assert cli("status", "-w", str(lyss)).code == 0


def test_stale_tmp_files_are_swept(cli, lyss: Path) -> None:
    leftover = lyss / "events" / ".a-12345678.extracted.jsonl.99999.deadbeef.tmp"
    leftover.write_text("half")
    assert cli("ingest", str(lyss / "articles" / "a.txt"), "-w", str(lyss)).code == 0
    assert not leftover.exists()
