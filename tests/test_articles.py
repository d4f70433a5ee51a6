"""Reading invented article files of every layout, and every kind of bad file."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotrack.articles import iter_article_paths, read_article
from negotrack.errors import InputError

PLAIN = """Lakeland and Portvale agree to resume water talks next month

Delegates shake hands at the river commission office (file photo)
May 14, 2025

RIVERTON — Negotiators from Lakeland and Portvale said on Tuesday they would resume talks
on sharing the Silver River next month.

The last round collapsed in January.
"""

FRONT_MATTER = """---
title: "Portvale walks out of river talks"
published: 2025-06-03
source: Delta Courier
url: https://news.example/portvale-walkout
---

RIVERTON, June 3 (Delta Courier) — Portvale's delegation left the river talks on Monday.

A spokesman said the team would return only with a new mandate.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- plain text ------------------------------------------------------------------------------


def test_plain_text_with_caption(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PLAIN)
    a = read_article(path)
    assert a.path == str(path)
    assert a.title == "Lakeland and Portvale agree to resume water talks next month"
    assert a.published == date(2025, 5, 14)
    assert a.text == PLAIN
    assert a.text[a.body_start :].startswith("RIVERTON — Negotiators")
    assert a.sha256 == hashlib.sha256(PLAIN.encode("utf-8")).hexdigest()
    assert a.outlet == "" and a.url is None


def test_plain_text_without_caption(tmp_path: Path) -> None:
    text = "Mediators fix a date for talks\n\nMay 2, 2025\n\nTUNDRA CITY — Mediators said.\n"
    a = read_article(write(tmp_path, "b.txt", text))
    assert a.title == "Mediators fix a date for talks"
    assert a.published == date(2025, 5, 2)
    assert a.text[a.body_start :] == "TUNDRA CITY — Mediators said.\n"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("22 March 2024", date(2024, 3, 22)),
        ("Mar. 22, 2024", date(2024, 3, 22)),
        ("2024-03-22", date(2024, 3, 22)),
        ("Friday, March 22, 2024", date(2024, 3, 22)),
    ],
)
def test_plain_text_date_line_forms(tmp_path: Path, line: str, expected: date) -> None:
    text = f"Envoys gather for harbour talks\nA pier at dawn\n{line}\nHARBOURTON — Envoys met.\n"
    a = read_article(write(tmp_path, "c.txt", text))
    assert a.published == expected
    assert a.text[a.body_start :] == "HARBOURTON — Envoys met.\n"


def test_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + PLAIN.replace("\n", "\r\n").encode("utf-8")
    a = read_article(write(tmp_path, "win.txt", raw))
    assert a.text == PLAIN
    assert a.sha256 == hashlib.sha256(PLAIN.encode("utf-8")).hexdigest()
    assert a.published == date(2025, 5, 14)


def test_published_argument_overrides_and_display_path(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PLAIN)
    a = read_article(path, published=date(2025, 5, 15), display_path="corpus/a.txt")
    assert a.published == date(2025, 5, 15)
    assert a.path == "corpus/a.txt"
    assert a.source().path == "corpus/a.txt"


def test_no_date_line_needs_published(tmp_path: Path) -> None:
    text = "Talks on the canal stall\n\nCANALTON — The talks stalled on Monday.\n"
    path = write(tmp_path, "nodate.txt", text)
    with pytest.raises(InputError) as e:
        read_article(path)
    assert str(path) in e.value.message
    assert "--published YYYY-MM-DD" in e.value.message
    a = read_article(path, published=date(2025, 2, 4))
    assert a.published == date(2025, 2, 4)
    assert a.title == "Talks on the canal stall"
    assert a.text[a.body_start :].startswith("CANALTON")


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    text = "# Island states sign fisheries pact\n\nApril 30, 2025\n\nCORAL BAY — Signed.\n"
    a = read_article(write(tmp_path, "pact.md", text))
    assert a.title == "Island states sign fisheries pact"
    assert a.published == date(2025, 4, 30)
    assert a.text[a.body_start :] == "CORAL BAY — Signed.\n"


# --- front matter ----------------------------------------------------------------------------


def test_front_matter(tmp_path: Path) -> None:
    a = read_article(write(tmp_path, "walkout.md", FRONT_MATTER))
    assert a.title == "Portvale walks out of river talks"
    assert a.published == date(2025, 6, 3)
    assert a.outlet == "Delta Courier"
    assert a.url == "https://news.example/portvale-walkout"
    assert a.text == FRONT_MATTER
    assert a.text[a.body_start :].startswith("RIVERTON, June 3 (Delta Courier) — ")


def test_front_matter_in_a_txt_file_with_string_date(tmp_path: Path) -> None:
    text = '---\ntitle: Ceasefire holds\npublished: "June 4, 2025"\n---\nRIVERTON — It held.\n'
    a = read_article(write(tmp_path, "holds.txt", text))
    assert a.published == date(2025, 6, 4)
    assert a.text[a.body_start :] == "RIVERTON — It held.\n"


def test_front_matter_title_from_heading(tmp_path: Path) -> None:
    text = "---\npublished: 2025-06-05\nsource: Delta Courier\n---\n\n# Talks end early\n\nBody.\n"
    a = read_article(write(tmp_path, "early.md", text))
    assert a.title == "Talks end early"
    assert a.text[a.body_start :] == "Body.\n"


def test_front_matter_without_date(tmp_path: Path) -> None:
    path = write(tmp_path, "undated.md", "---\ntitle: Undated\n---\nBody.\n")
    with pytest.raises(InputError, match="no publication date found") as e:
        read_article(path)
    assert e.value.path == str(path)
    assert read_article(path, published=date(2025, 1, 2)).published == date(2025, 1, 2)


def test_front_matter_bad_yaml_names_the_line(tmp_path: Path) -> None:
    text = "---\ntitle: Fine\npublished: 2025-06-03\nsource: [unclosed\nurl: x\n---\nBody.\n"
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(InputError) as e:
        read_article(path)
    assert e.value.path == str(path)
    assert e.value.line is not None and 4 <= e.value.line <= 6
    assert "malformed front matter" in e.value.message
    assert e.value.message.startswith(f"{path}:{e.value.line}: ")


@pytest.mark.parametrize("value", ["someday", "2025-13-45", "2025-02-30", "[2025]"])
def test_front_matter_bad_date_names_the_line(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "bad.md", f"---\ntitle: T\npublished: {value}\n---\nBody.\n")
    with pytest.raises(InputError, match="not a date") as e:
        read_article(path)
    assert e.value.path == str(path)
    assert e.value.line == 3


@pytest.mark.parametrize(
    "value", ["2025-06-03T23:10:00Z", "2025-06-03 23:10:00+02:00", "June 3, 2025", "3 June 2025"]
)
def test_front_matter_date_forms(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "ok.md", f"---\npublished: {value}\n---\nBody.\n")
    assert read_article(path).published == date(2025, 6, 3)


def test_front_matter_not_closed(tmp_path: Path) -> None:
    path = write(tmp_path, "open.md", "---\ntitle: T\npublished: 2025-01-01\nBody.\n")
    with pytest.raises(InputError, match="closing") as e:
        read_article(path)
    assert e.value.path == str(path)


def test_front_matter_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.md", "---\n- a\n- b\n---\nBody.\n")
    with pytest.raises(InputError, match="mapping") as e:
        read_article(path)
    assert e.value.path == str(path)


# --- HTML ------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head>
<title>Lakeland and Portvale reopen the sluice talks</title>
<meta property="og:title" content="Lakeland and Portvale reopen the sluice talks">
<meta property="og:site_name" content="Riverside Gazette">
<meta property="article:published_time" content="2025-07-09T08:30:00Z">
<link rel="canonical" href="https://gazette.example/sluice-talks">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Lakeland and Portvale reopen the sluice talks</h1>
<p>RIVERTON — Negotiators from Lakeland and Portvale reopened talks on the upstream sluice gates
on Tuesday, a month after the last round broke down over the summer quotas.</p>
<p>The mediator, a retired judge from a neutral third country, said both teams had brought new
maps and that a technical committee would meet again next week to compare the figures.</p>
<p>Farmers on both banks have complained for years that the gates are opened without warning,
flooding fields downstream during the planting season.</p>
</article>
<footer>Copyright Riverside Gazette</footer>
</body></html>
"""


def test_html_page(tmp_path: Path) -> None:
    a = read_article(write(tmp_path, "sluice.html", HTML))
    assert a.title == "Lakeland and Portvale reopen the sluice talks"
    assert a.published == date(2025, 7, 9)
    assert a.outlet == "Riverside Gazette"
    assert a.url == "https://gazette.example/sluice-talks"
    assert "reopened talks on the upstream sluice gates" in a.text
    assert "Copyright" not in a.text and "<p>" not in a.text
    assert a.text[a.body_start :].startswith("RIVERTON")
    assert a.sha256 == hashlib.sha256(a.text.encode("utf-8")).hexdigest()


def test_html_detected_by_content(tmp_path: Path) -> None:
    a = read_article(write(tmp_path, "saved-page.txt", HTML))
    assert a.published == date(2025, 7, 9)
    assert "<html>" not in a.text


def test_html_without_date(tmp_path: Path) -> None:
    undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", HTML)
    # a copyright year or a date in the text is not the publication date
    undated = undated.replace("Copyright", "© 2023").replace("on Tuesday", "on 12 May 2024")
    path = write(tmp_path, "undated.htm", undated)
    with pytest.raises(InputError, match="no publication date found") as e:
        read_article(path)
    assert e.value.path == str(path)
    assert read_article(path, published=date(2025, 7, 10)).published == date(2025, 7, 10)


def test_html_without_text(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.html", "<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(InputError, match="no article text") as e:
        read_article(path, published=date(2025, 1, 1))
    assert e.value.path == str(path)


# --- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\n\t\n", b"\xef\xbb\xbf\r\n"])
def test_empty_article(tmp_path: Path, content: str | bytes) -> None:
    path = write(tmp_path, "empty.txt", content)
    with pytest.raises(InputError, match="empty article") as e:
        read_article(path)
    assert e.value.path == str(path)


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.txt", b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="binary file, not an article") as e:
        read_article(path)
    assert e.value.path == str(path)


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    raw = "Talks\nMay 2, 2025\nCaf".encode("utf-8") + b"\xe9 talks.\n"
    path = write(tmp_path, "latin1.txt", raw)
    with pytest.raises(InputError, match="byte offset 21") as e:
        read_article(path)
    assert e.value.path == str(path)
    assert e.value.line == 3


def test_errors_use_display_path(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", "")
    with pytest.raises(InputError) as e:
        read_article(path, display_path="corpus/empty.txt")
    assert e.value.message == "corpus/empty.txt: empty article"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read") as e:
        read_article(tmp_path / "gone.txt")
    assert e.value.path == str(tmp_path / "gone.txt")


_PIECES = st.sampled_from(
    ["---\n", "title: T\n", "published: 2025-01-02\n", "March 3, 2025\n", "# Head\n", "\n",
     "Body text.\n", ": [\n", "<html>", "</p>", "\r\n", "\ufeff", "\x00", "é"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(_PIECES, max_size=8),
    junk=st.binary(max_size=12),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_any_file_gives_an_article_or_an_input_error(
    tmp_path: Path, pieces: list[str], junk: bytes, suffix: str
) -> None:
    path = write(tmp_path, "fuzz" + suffix, "".join(pieces).encode("utf-8") + junk)
    try:
        a = read_article(path)
    except InputError as e:
        assert e.path == str(path)
    else:
        assert 0 <= a.body_start <= len(a.text)


# --- finding article files -------------------------------------------------------------------


def test_iter_article_paths(tmp_path: Path) -> None:
    for name in [
        "b.txt", "a.md", "c.markdown", "d.html", "e.htm", "sub/f.txt", "sub/deeper/g.md",
        "README.md", "README", "readme.txt", "THREADS.md", "FACTS.md", "gold.yaml", "notes.yaml",
        ".hidden.txt", ".git/h.txt", "image.png",
    ]:
        write(tmp_path, name, "x")
    single = write(tmp_path / "elsewhere", "z.txt", "x")
    found = iter_article_paths([tmp_path / "sub", tmp_path, single])
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == [
        "a.md", "b.txt", "c.markdown", "d.html", "e.htm", "elsewhere/z.txt",
        "sub/deeper/g.md", "sub/f.txt",
    ]
    assert found == sorted(found)


def test_iter_article_paths_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as e:
        iter_article_paths([tmp_path / "nowhere"])
    assert e.value.path == str(tmp_path / "nowhere")
