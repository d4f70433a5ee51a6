"""Many writers at once, and writers killed mid-write: nothing recorded is lost or doubled."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ARTICLE, REPO, add_thread, run_cli

QUOTE = "Negotiators from Arland and Borovia met in Geneva on Thursday"
N = 10


def spawn(*args: str, cwd: Path = REPO) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NEGOTRACK_WORKSPACE", None)
    return subprocess.Popen([sys.executable, "-m", "negotrack", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def make_workspace(root: Path, articles: int = 1) -> Path:
    assert run_cli("init", str(root)).code == 0
    path = add_thread(root, "lyss-water", ["Lyss river", "water-sharing talks"], title="Lyss river water-sharing talks")
    path.write_text(path.read_text().replace("parties: []", "parties: [Arland, Borovia]"))
    for i in range(articles):
        text = ARTICLE.replace("June 14, 2030", f"June {10 + i}, 2030")
        (root / "articles" / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    return root


def log_bytes(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "events").glob("*.jsonl"))}


def test_parallel_add_event_loses_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    article = str(ws / "articles" / "a00.txt")
    procs = [
        spawn("add-event", "lyss-water", "talks_held", "--article", article, "--quote", QUOTE, "--date", f"2030-06-{i + 1:02d}", "-w", str(ws))
        for i in range(N)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(code == 0 for code, _, _ in results), results
    (log,) = (ws / "events").glob("*.manual.jsonl")
    dates = sorted(json.loads(line)["date"] for line in log.read_text().splitlines())
    assert dates == [f"2030-06-{i + 1:02d}" for i in range(N)]


def test_parallel_ingest_of_one_article_equals_a_clean_run(tmp_path: Path) -> None:
    clean = make_workspace(tmp_path / "clean")
    assert run_cli("ingest", str(clean / "articles"), "-w", str(clean)).code == 0
    ws = make_workspace(tmp_path / "ws")
    procs = [spawn("ingest", str(ws / "articles" / "a00.txt"), "--json", "-w", str(ws)) for _ in range(N // 2)]
    summaries = []
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()  # type: ignore[union-attr]
        summaries.append(json.loads(p.stdout.read()))  # type: ignore[union-attr]
    assert sum(s["new"] for s in summaries) == 1 and sum(s["unchanged"] for s in summaries) == N // 2 - 1
    assert log_bytes(ws) == log_bytes(clean)


def test_kill_at_random_points_then_reingest_equals_a_clean_run(tmp_path: Path) -> None:
    articles = 6
    clean = make_workspace(tmp_path / "clean", articles)
    assert run_cli("ingest", str(clean / "articles"), "-w", str(clean)).code == 0
    assert len(log_bytes(clean)) == articles
    ws = make_workspace(tmp_path / "ws", articles)
    rng = random.Random(int(os.environ.get("NEGOTRACK_KILL_SEED", "8")))
    for _ in range(3):
        proc = spawn("ingest", str(ws / "articles"), "-w", str(ws))
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        for path in (ws / "events").glob("*.jsonl"):  # whatever is there is whole
            for line in path.read_text().splitlines():
                json.loads(line)
    result = run_cli("ingest", str(ws / "articles"), "-w", str(ws))
    assert result.code == 0, result.err
    assert log_bytes(ws) == log_bytes(clean)
    assert not list((ws / "events").glob(".*.tmp"))
    assert run_cli("validate", str(ws)).code == 0
