"""The timeline page in a real browser: Debian's `chromium`, headless. The page draws itself with
its inline script, so the test reads the DOM after scripts ran (lanes, marks and quotes there)
and checks that a screenshot is not blank. Skips, saying why, when chromium is not installed
(`.ci/run` installs it)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from test_desk import big_workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does it)")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG: enough to tell blank from drawn."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    from conftest import run_cli

    root = tmp_path_factory.mktemp("browser")
    ws = big_workspace(root / "ws", threads=50, events=5000)
    out = root / "timeline.html"
    result = run_cli("timeline", "--output", str(out), "-w", str(ws))
    assert result.code == 0, result.err
    return out


def test_lanes_marks_and_quotes_are_in_the_rendered_dom(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert 'data-rendered="50"' in dom  # the script ran to its end
    assert dom.count('class="lane"') == 50 and 'data-thread="t07"' in dom
    assert dom.count('<button class="mark o-') == 5000
    assert "Words of report number 4321 about the round of talks." in dom  # each mark carries its quote
    assert dom.count('class="band"') >= 50


def test_a_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1280, 900)
    row = len(raw) // height
    lanes = raw[row * 300:row * 800]  # the band of the page where lanes are drawn
    assert len(set(lanes)) > 20, "the lanes area is blank"
    assert len(set(raw[row * 10:row * 60])) > 10, "the header is blank"
