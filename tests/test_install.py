"""A non-editable install in a fresh virtual environment works as the README says (issue 8,
defect 4: `states/` was not package data). Slow (a venv and a pip install): runs only with
NEGOTRACK_SLOW=1, and needs the package index pip is configured with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("NEGOTRACK_SLOW") != "1", reason="slow: set NEGOTRACK_SLOW=1 to build and install in a fresh venv"),
]


def test_non_editable_install_in_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(REPO)], check=True, timeout=900)
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEGOTRACK_WORKSPACE")}

    def negotrack(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(bin_dir / "negotrack"), *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    shipped = negotrack("status")
    assert shipped.returncode == 0 and "doha-ceasefire" in shipped.stdout, shipped.stderr
    assert negotrack("init", "clean").returncode == 0  # a clean workspace: the vocabulary and lexicon only
    assert sorted(p.name for p in (work / "clean" / "states").iterdir()) == ["lexicon.yaml", "vocabulary.yaml"]
    assert negotrack("init", "--example", "my-talks").returncode == 0
    assert sorted(p.name for p in (work / "my-talks" / "states").iterdir()) == [
        "doha-ceasefire.yaml", "lexicon.yaml", "us-israel-rafah.yaml", "vocabulary.yaml"
    ]
    (work / "article.txt").write_text(ARTICLE, encoding="utf-8")
    ingest = negotrack("-w", "my-talks", "ingest", "article.txt")
    assert ingest.returncode == 0 and "workspace" in ingest.stdout, ingest.stderr
    status = negotrack("-w", "my-talks", "status")
    assert status.returncode == 0 and "doha-ceasefire" in status.stdout, status.stderr
    refused = negotrack("ingest", "article.txt")  # no workspace here: the installed one is read-only
    assert refused.returncode == 2 and "no workspace to write to" in refused.stderr
    assert not list(venv.glob("lib/python*/site-packages/negotrack/events"))
