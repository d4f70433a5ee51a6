"""The analyst's desk through the CLI: overdue meetings, what changed, exports, golden traces,
and the timeline page (its size at 50 threads and 5,000 events)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from conftest import REPO, status_by_thread
from negotrack.eventlog import write_events
from negotrack.model import Event, Evidence, Source

EIGHT = "id: {id}\ntitle: {title}\nparties: [Arland, Borovia]\naliases: [{alias}]\nmachine: standard\n"

ARTICLE = """Lyss negotiators to meet again next week

March 5, 2030

GENEVA — Negotiators from Arland and Borovia are scheduled to meet in Geneva on March 12 for the next round of the Lyss river water-sharing talks, the Swiss foreign ministry said.
"""

LATER = """Lyss talks end without agreement

March 15, 2030

GENEVA — The round of the Lyss river water-sharing talks ended without a breakthrough on Thursday, mediators said.
"""


@pytest.fixture(scope="module")
def desk_base(tmp_path_factory) -> Path:
    """A clean workspace with one thread and two articles a week apart, ingested (made once)."""
    from conftest import run_cli as cli

    ws = tmp_path_factory.mktemp("desk") / "desk"
    assert cli("init", str(ws)).code == 0
    (ws / "states" / "lyss-water.yaml").write_text(EIGHT.format(id="lyss-water", title="Lyss water talks", alias="Lyss river"))
    (ws / "articles" / "01-scheduled.txt").write_text(ARTICLE)
    (ws / "articles" / "02-impasse.txt").write_text(LATER)
    result = cli("ingest", str(ws / "articles"), "-w", str(ws))
    assert result.code == 0, result.err
    return ws


@pytest.fixture
def desk(desk_base: Path, tmp_path: Path) -> Path:
    """A copy of the ingested workspace each test may change."""
    return Path(shutil.copytree(desk_base, tmp_path / "desk"))


status = status_by_thread


# --- overdue -------------------------------------------------------------------------------


def test_a_meeting_whose_date_passed_unreported_is_overdue(cli, desk: Path) -> None:
    waiting = status(cli, desk, "--as-of", "2030-03-10")["lyss-water"]
    assert (waiting["phase"], waiting["overdue"], waiting["expected"]) == ("scheduled", False, "2030-03-12")
    late = status(cli, desk, "--as-of", "2030-03-13")["lyss-water"]
    assert (late["phase"], late["overdue"], late["expected"]) == ("scheduled", True, "2030-03-12")
    table = cli("status", "--as-of", "2030-03-13", "-w", str(desk)).out
    assert "2030-03-12 OVERDUE" in table and "OVERDUE: talks were expected on 2030-03-12" in table
    reported = status(cli, desk, "--as-of", "2030-03-20")["lyss-water"]
    assert (reported["phase"], reported["overdue"], reported["expected"]) == ("stalled", False, None)


def test_overdue_is_judged_on_the_as_of_clock(cli, desk: Path) -> None:
    """Not on the knowledge clock: without --as-of the clock is today, when the 2030 meeting is
    still to come."""
    assert status(cli, desk, "--known-at", "2030-03-06")["lyss-water"]["overdue"] is False
    assert status(cli, desk, "--known-at", "2030-03-06", "--as-of", "2030-03-30")["lyss-water"]["overdue"] is True


def test_shipped_seed_flags_the_rafah_meeting(cli, tmp_path: Path) -> None:
    seed = {s["thread"]: s for s in json.loads(cli("status", "--json", "--as-of", "2024-03-30", cwd=tmp_path).out)}
    assert (seed["us-israel-rafah"]["overdue"], seed["us-israel-rafah"]["expected"]) == (True, "2024-03-25")
    assert seed["doha-ceasefire"]["overdue"] is False


# --- changes -------------------------------------------------------------------------------


def test_changes_lists_threads_whose_phase_moved_with_quotes(cli, desk: Path) -> None:
    (desk / "states" / "quiet.yaml").write_text(EIGHT.format(id="quiet", title="Quiet talks", alias="Quiet lake"))
    result = cli("changes", "--since", "2030-03-06", "--until", "2030-03-20", "--json", "-w", str(desk))
    assert result.code == 0, result.err
    (change,) = json.loads(result.out)
    assert (change["thread"], change["from_phase"], change["to_phase"]) == ("lyss-water", "scheduled", "stalled")
    (moved,) = change["events"]
    assert moved["type"] == "impasse_reported"
    assert "The round of the Lyss river water-sharing talks ended without a breakthrough" in moved["sources"][0]["quote"]
    text = cli("changes", "--since", "2030-03-06", "--until", "2030-03-20", "-w", str(desk)).out
    assert "lyss-water: scheduled → stalled" in text and "The round of the Lyss river" in text and "quiet" not in text
    none = cli("changes", "--since", "2030-03-16", "--until", "2030-03-20", "-w", str(desk))
    assert none.code == 0 and "no thread changed phase between 2030-03-16 and 2030-03-20" in none.out
    backwards = cli("changes", "--since", "2030-03-20", "--until", "2030-03-01", "-w", str(desk))
    assert backwards.code == 2 and "before --since" in backwards.err


def test_changes_compares_knowledge_not_only_dates(cli, desk: Path) -> None:
    """An article published later about an earlier day counts as a change when it is learnt."""
    (desk / "articles" / "02-impasse.txt").write_text(LATER.replace("March 15, 2030", "March 18, 2030"))  # Monday: Thursday is the 14th
    assert cli("ingest", str(desk / "articles"), "-w", str(desk)).code == 0
    found = json.loads(cli("changes", "--since", "2030-03-16", "--until", "2030-03-19", "--json", "-w", str(desk)).out)
    assert [(c["from_phase"], c["to_phase"]) for c in found] == [("scheduled", "stalled")]


# --- exports -------------------------------------------------------------------------------


def test_plover_export_follows_the_conventions(cli, desk: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = cli("export", "--format", "plover", "--output", str(out), "-w", str(desk))
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["type"] for r in rows] == ["talks_scheduled", "impasse_reported"]
    first = rows[0]
    for key in ("id", "date", "event", "mode", "context", "actor", "recipient", "event_text", "text_info", "cite_info", "link",
                "type", "thread", "confidence", "phase_after"):
        assert key in first, key
    assert (first["event"], first["context"], first["link"], first["phase_after"]) == (["AGREE"], ["diplomatic"], "lyss-water", "scheduled")
    assert (rows[1]["event"], rows[1]["mode"]) == (["REJECT"], ["meet"])
    article = (desk / "articles" / "01-scheduled.txt").read_text()
    assert article[first["text_info"]["start"]:first["text_info"]["end"]] == first["event_text"][0]
    assert first["cite_info"]["title"] == "Lyss negotiators to meet again next week"
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


def test_csv_export_is_the_same_fields_flattened(cli, desk: Path) -> None:
    result = cli("export", "--format", "csv", "-w", str(desk))
    rows = list(csv.DictReader(io.StringIO(result.out)))
    plover = [json.loads(l) for l in cli("export", "--format", "plover", "-w", str(desk)).out.splitlines()]
    assert [r["id"] for r in rows] == [p["id"] for p in plover]
    assert rows[1]["event"] == "REJECT" and rows[1]["mode"] == "meet" and rows[1]["phase_after"] == "stalled"
    assert rows[0]["event_text"] == plover[0]["event_text"][0]


def test_every_standard_type_maps_to_a_real_plover_code(tmp_path: Path, cli) -> None:
    vocab = yaml.safe_load((REPO / "states" / "vocabulary.yaml").read_text())
    assert all(t.get("plover", {}).get("event") for t in vocab["event_types"]) and len(vocab["event_types"]) == 17
    ws = tmp_path / "ws"
    assert cli("init", str(ws)).code == 0
    path = ws / "states" / "vocabulary.yaml"
    text = path.read_text().replace("plover: {event: CONSULT, mode: \"\"", "plover: {event: CONSULT, mode: \"visitt\"", 1)
    path.write_text(text.replace("plover: {event: SANCTION", "plover: {event: SANCTIONS", 1))
    result = cli("validate", str(ws))
    assert result.code == 2
    assert "'visitt' is not a mode of PLOVER CONSULT" in result.err
    assert "'SANCTIONS' is not a PLOVER event category (did you mean 'SANCTION'?)" in result.err


# --- golden traces -------------------------------------------------------------------------


def test_a_matching_trace_passes(cli, desk: Path, tmp_path: Path) -> None:
    trace = tmp_path / "lyss.yaml"
    trace.write_text("thread: lyss-water\nexpect:\n  - {date: 2030-03-05, type: talks_scheduled, to: scheduled}\n"
                     "  - {date: 2030-03-14, type: impasse_reported, to: stalled, outcome: moved}\n")
    result = cli("check", str(trace), "-w", str(desk))
    assert result.code == 0, result.out + result.err
    assert "replay matches the 2 expected happening(s)" in result.out


def test_a_differing_trace_shows_a_readable_diff(cli, desk: Path, tmp_path: Path) -> None:
    trace = tmp_path / "lyss.yaml"
    trace.write_text("thread: lyss-water\nexpect:\n  - {date: 2030-03-05, type: talks_scheduled, to: active}\n"
                     "  - {date: 2030-03-13, type: talks_held}\n")
    result = cli("check", str(trace), "-w", str(desk))
    assert result.code == 1
    out = result.out
    assert f"{trace}:3: expected 2030-03-05 talks_scheduled to active" in out
    assert "replay gave 2030-03-05 talks_scheduled: dormant → scheduled" in out
    assert "“GENEVA — Negotiators from Arland and Borovia are scheduled to meet in Geneva on March 12" in out
    assert f"{trace}:4: expected 2030-03-13 talks_held; replay has no such happening" in out
    assert "not in the trace: 2030-03-14 impasse_reported: scheduled → stalled" in out
    as_of = tmp_path / "early.yaml"
    as_of.write_text("thread: lyss-water\nas_of: 2030-03-10\nexpect:\n  - {date: 2030-03-05, type: talks_scheduled}\n")
    assert cli("check", str(as_of), "-w", str(desk)).code == 0


@pytest.mark.parametrize(
    "text,message",
    [
        ("thread: lyss-watr\nexpect: []\n", ":1: unknown thread 'lyss-watr' (did you mean 'lyss-water'?)"),
        ("thread: lyss-water\nexpect:\n  - {date: 2030-03-05, type: talks_schedule}\n", ":3: unknown event type 'talks_schedule'"),
        ("thread: lyss-water\nexpect:\n  - {date: 2030-03-05, type: talks_held, to: actve}\n", ":3: 'actve' is neither a state nor a phase"),
        ("thread: lyss-water\nexpect:\n  - {date: March 5, type: talks_held}\n", ":3: expect.0.date:"),
        ("thread: lyss-water\nexpect:\n  - {date: 2030-03-05, type: talks_held\n", "malformed YAML"),
    ],
)
def test_a_bad_trace_names_file_and_line(cli, desk: Path, tmp_path: Path, text: str, message: str) -> None:
    trace = tmp_path / "bad.yaml"
    trace.write_text(text)
    result = cli("check", str(trace), "-w", str(desk))
    assert result.code == 2 and "Traceback" not in result.err
    assert str(trace) in result.err and message in result.err, result.err


# --- the timeline page ---------------------------------------------------------------------


def test_timeline_is_one_self_contained_file(cli, desk: Path, tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    result = cli("timeline", "--output", str(page), "--as-of", "2030-03-13", "-w", str(desk))
    assert result.code == 0, result.err
    text = page.read_text()
    for needle in ("http://", "https://", "<link", "src=", "@import", "url("):
        assert needle not in text, needle
    data = json.loads(text.split('<script type="application/json" id="data">')[1].split("</script>")[0])
    (lyss,) = data["threads"]
    assert lyss["status"]["overdue"] is True and [b["phase"] for b in lyss["bands"]] == ["dormant", "scheduled"]
    assert "Negotiators from Arland and Borovia are scheduled" in lyss["events"][0]["src"][0]["q"]


def test_timeline_data_cannot_close_its_script(cli, desk: Path, tmp_path: Path) -> None:
    (desk / "articles" / "03-odd.txt").write_text(
        "Lyss note\n\nMarch 20, 2030\n\nGENEVA — The Lyss river water-sharing talks resumed on Thursday </script><script>alert(1)</script>.\n"
    )
    assert cli("ingest", str(desk / "articles"), "-w", str(desk)).code == 0
    page = tmp_path / "t.html"
    assert cli("timeline", "-o", str(page), "-w", str(desk)).code == 0
    assert "alert(1)</script>" not in page.read_text()


def big_workspace(root: Path, threads: int = 50, events: int = 5000) -> Path:
    """50 threads and 5,000 events written straight to the log (no articles needed to draw)."""
    (root / "states").mkdir(parents=True)
    kinds = ["talks_proposed", "talks_scheduled", "talks_held", "proposal_tabled", "proposal_rejected", "progress_reported",
             "impasse_reported", "talks_suspended", "talks_resumed", "agreement_reached", "agreement_in_force"]
    for i in range(threads):
        (root / "states" / f"t{i:02d}.yaml").write_text(EIGHT.format(id=f"t{i:02d}", title=f"Talks number {i}", alias=f"Place{i}"))
    batch = []
    for n in range(events):
        day = dt.date(2010, 1, 1) + dt.timedelta(days=n)  # each thread's events on days of their own
        batch.append(Event(thread=f"t{n % threads:02d}", type=kinds[(n * 5) % len(kinds)], date=day, reported=day,
                           source=Source(path=f"articles/a{n}.txt", title=f"Article {n}"),
                           evidence=Evidence(quote=f"Words of report number {n} about the round of talks.", start=0, end=52)).with_id())
    for k in range(0, events, 100):
        write_events(root / "events" / f"{k:05d}.extracted.jsonl", batch[k:k + 100])
    return root


def test_timeline_stays_small_and_quick_at_50_threads_and_5000_events(cli, tmp_path: Path) -> None:
    ws = big_workspace(tmp_path / "big")
    page = tmp_path / "big.html"
    started = time.perf_counter()
    result = cli("timeline", "-o", str(page), "-w", str(ws))
    took = time.perf_counter() - started
    assert result.code == 0, result.err
    size = page.stat().st_size
    assert size < 4_000_000, size
    assert took < 15, took  # measured about 1 s here; generous for a busy CI machine
    text = page.read_text()
    assert text.count('"d":"') == 5000


def test_the_readme_trace_passes_on_the_seed(cli, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text()
    block = readme.split("### Golden traces")[1].split("```yaml\n")[1].split("```")[0]
    trace = tmp_path / "rafah.yaml"
    trace.write_text(block)
    result = cli("check", str(trace), cwd=tmp_path)
    assert result.code == 0, result.out + result.err
