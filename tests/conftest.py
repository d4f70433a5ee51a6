"""Shared test helpers: real workspaces in temporary folders, the CLI run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """`negotrack ARGS` in a child process, exactly as a user would type it."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("NEGOTRACK_WORKSPACE", None) if not env or "NEGOTRACK_WORKSPACE" not in env else None
    proc = subprocess.run(
        [sys.executable, "-m", "negotrack", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh workspace made by `negotrack init --example` (the two shipped threads, no events)."""
    ws = tmp_path / "ws"
    result = run_cli("init", "--example", str(ws))
    assert result.code == 0, result.err
    return ws


ARTICLE = """Envoys meet in Geneva as water-sharing talks resume

A file photo of the lakeside conference centre
June 14, 2030

GENEVA — Negotiators from Arland and Borovia met in Geneva on Thursday for a new round of talks on sharing the waters of the Lyss river, the Swiss foreign ministry said.

Borovia presented a draft framework on seasonal quotas, and mediators said the gaps were narrowing.

Arland rejected the draft framework on Friday, calling it unbalanced.
"""


@pytest.fixture
def article(workspace: Path) -> Path:
    path = workspace / "articles" / "lyss-round.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def add_thread(ws: Path, thread_id: str, aliases: list[str], title: str = "Test talks") -> Path:
    """A thread on the standard machine, written the way a user would: copy a shipped one."""
    base = (REPO / "states" / "doha-ceasefire.yaml").read_text(encoding="utf-8")
    lines = []
    for line in base.splitlines():
        if line.startswith("id:"):
            line = f"id: {thread_id}"
        elif line.startswith("title:"):
            line = f"title: {title}"
        elif line.startswith("aliases:"):
            line = "aliases: [" + ", ".join(aliases) + "]"
        elif line.startswith(("parties:", "mediators:")):
            line = line.split(":")[0] + ": []"
        lines.append(line)
    path = ws / "states" / f"{thread_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def status_by_thread(cli, ws: Path, *extra: str) -> dict:
    """`negotrack status --json` of a workspace, keyed by thread id."""
    import json

    result = cli("status", "--json", "-w", str(ws), *extra)
    assert result.code == 0, result.err
    return {s["thread"]: s for s in json.loads(result.out)}
