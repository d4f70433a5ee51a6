"""Replay throughput: a synthetic log of a million events over a thousand threads.

Prints, beside a baseline measured in the same run (reading the same log and doing nothing
else): events/s end to end from disk to status, events/s of the replay alone, and the time of
a warm `negotrack status` on the unchanged log. Usage:

    python benchmarks/bench_replay.py [--events 1000000] [--threads 1000] [--per-file 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from negotrack.eventlog import TYPE, log_files  # noqa: E402
from negotrack.machines import machine_for  # noqa: E402
from negotrack.replay import replay  # noqa: E402
from negotrack.report import bulk, compute_statuses  # noqa: E402
from negotrack.workspace import Workspace  # noqa: E402

KINDS = [
    "talks_proposed", "talks_scheduled", "talks_postponed", "talks_held", "proposal_tabled",
    "proposal_accepted", "proposal_rejected", "progress_reported", "impasse_reported",
    "talks_suspended", "talks_resumed", "agreement_reached", "agreement_in_force",
    "agreement_violated", "agreement_collapsed",
]


def make_workspace(root: Path, n_events: int, n_threads: int, per_file: int) -> None:
    """Thread definitions as a user would copy them, and one JSON-lines file per 'article'."""
    (root / "states").mkdir(parents=True)
    shutil.copy(REPO / "states" / "vocabulary.yaml", root / "states")
    base = (REPO / "states" / "doha-ceasefire.yaml").read_text()
    for t in range(n_threads):
        (root / "states" / f"talks-{t:04d}.yaml").write_text(base.replace("id: doha-ceasefire", f"id: talks-{t:04d}"))
    rng = random.Random(7)
    start = dt.date(2020, 1, 1)
    events_dir = root / "events"
    events_dir.mkdir()
    n_files = max(1, n_events // per_file)
    made = 0
    for f in range(n_files):
        reported = start + dt.timedelta(days=f * 1500 // n_files)
        lines = []
        count = per_file if f < n_files - 1 else n_events - made
        for i in range(count):
            date = reported - dt.timedelta(days=rng.randint(0, 3))
            rec = {
                "id": f"{f:06d}{i:04d}{rng.getrandbits(24):06x}",
                "thread": f"talks-{rng.randrange(n_threads):04d}",
                "type": rng.choice(KINDS),
                "date": date.isoformat(),
                "date_precision": "day",
                "expected": None,
                "expected_precision": None,
                "reported": reported.isoformat(),
                "source": {"path": f"articles/a{f:06d}.txt", "title": f"Article {f}", "outlet": "Bench Wire", "url": None, "sha256": "0" * 64},
                "evidence": {"quote": "the talks went on", "start": 0, "end": 17},
                "actor": None, "attribution": None, "disputed_by": None, "origin": "extracted",
                "cue": "talks", "confidence": 0.9, "note": None,
            }
            lines.append(orjson.dumps(rec, option=orjson.OPT_SORT_KEYS))
        made += count
        (events_dir / f"a{f:06d}.extracted.jsonl").write_bytes(b"\n".join(lines) + b"\n")


def baseline_read(files: list[Path]) -> int:
    """Reading the same log and doing nothing else."""
    n = 0
    loads = orjson.loads
    for path in files:
        with path.open("rb") as handle:
            for raw in handle:
                loads(raw)
                n += 1
    return n


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=1000)
    ap.add_argument("--per-file", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        _, t_make = timed(lambda: make_workspace(root, args.events, args.threads, args.per_file))
        files = log_files(root)
        print(f"log: {args.events:,} events over {args.threads:,} threads in {len(files):,} files (made in {t_make:.1f}s)")

        n, t_base = timed(lambda: baseline_read(files))
        print(f"baseline  read + parse JSON lines only      {n / t_base:>12,.0f} events/s  ({t_base:.2f}s)")

        ws = Workspace(root)
        statuses, t_e2e = timed(lambda: compute_statuses(ws))
        assert len(statuses) == args.threads
        print(f"end to end disk → status, cold (no caches)  {args.events / t_e2e:>12,.0f} events/s  ({t_e2e:.2f}s)")

        # one more article arrives: definitions and the log index are reused, one file is parsed
        shutil.copy(files[0], root / "events" / "zz-new-article.extracted.jsonl")
        ws = Workspace(root)
        _, t_inc = timed(lambda: compute_statuses(ws))
        n_now = args.events + args.per_file
        print(f"end to end disk → status, log grew by one   {n_now / t_inc:>12,.0f} events/s  ({t_inc:.2f}s)")
        ws_defs = Workspace(root)
        _, t_defs = timed(lambda: ws_defs.definitions)
        print(f"  of which loading {args.threads} definitions (cached)  {t_defs:>10.2f}s")
        per_thread, t_entries = timed(lambda: ws.entries(use_index=False))
        print(f"  reading the log without its index           {n_now / t_entries:>10,.0f} events/s  ({t_entries:.2f}s)")

        threads = ws.threads
        with bulk():
            _, t_replay = timed(lambda: [replay(threads[t], per_thread[t]) for t in threads])
        print(f"replay alone (transitions, verdict memo)    {n_now / t_replay:>12,.0f} events/s  ({t_replay:.2f}s)")

        # what `transitions` does on its own, one trigger per event, for scale
        machine = machine_for(threads["talks-0000"])
        files = log_files(root)
        sample = [e for t in list(threads)[:50] for e in per_thread[t]]
        probe_kinds = [e[TYPE] for e in sample]

        def raw_triggers() -> int:
            m = machine.machine
            model = machine._probe
            state = "dormant"
            for kind in probe_kinds:
                m.set_state(state, model=model)
                try:
                    model.trigger(kind)
                    state = model.state
                except Exception:
                    pass
            return len(probe_kinds)

        n_raw, t_raw = timed(raw_triggers)
        print(f"  for scale: transitions, one trigger each  {n_raw / t_raw:>12,.0f} triggers/s")

        env = {**os.environ, "PYTHONPATH": str(REPO)}
        cmd = [sys.executable, "-m", "negotrack", "status", "--json", "--workspace", str(root)]
        shutil.copy(files[1], root / "events" / "zz-second-new-article.extracted.jsonl")
        _, t_cli_grew = timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))
        rss_cli = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        warm = []
        for _ in range(5):
            _, t = timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))
            warm.append(t)
        noop = [sys.executable, "-c", "pass"]
        t_python = min(timed(lambda: subprocess.run(noop, check=True))[1] for _ in range(3))
        n_cli = n_now + args.per_file
        print(f"`negotrack status`, log grew by one article {t_cli_grew:>9.2f}s  ({n_cli / t_cli_grew:,.0f} events/s, whole process)")
        print(f"  its peak memory                           {rss_cli:>12,.0f} MiB  ({rss_cli * 2**20 / n_cli:,.0f} bytes/event)")
        print(f"`negotrack status` warm, unchanged log      {min(warm):>12.3f}s  (python start alone {t_python:.3f}s)")


if __name__ == "__main__":
    main()
