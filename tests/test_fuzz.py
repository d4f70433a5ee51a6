"""Fuzzing (hypothesis): the article reader, the YAML definition loader, the date resolver, the
log parser, and the CLI on mutated files. Whatever the input: a record or one InputError, never
another exception, never a hang.

The budget is small by default; NEGOTRACK_FUZZ_EXAMPLES=N runs N examples per in-process test
(and N/20 per CLI test, at least 3). `pytest --hypothesis-show-statistics` reports how many were tried.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, REPO, run_cli
from negotrack.articles import read_article
from negotrack.dates import find_dates, parse_date_line
from negotrack.definitions import load_thread, load_vocabulary
from negotrack.errors import InputError, InputErrors
from negotrack.eventlog import parse_log, read_events

EXAMPLES = int(os.environ.get("NEGOTRACK_FUZZ_EXAMPLES", "60"))
CLI_EXAMPLES = max(3, EXAMPLES // 20)
SECONDS = 5.0  # no single input may take longer: a slower one is a hang in the making

FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
CLI_FUZZ = settings(max_examples=CLI_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

GOOD_THREAD = (REPO / "states" / "doha-ceasefire.yaml").read_text(encoding="utf-8")
VOCABULARY = load_vocabulary(REPO / "states" / "vocabulary.yaml")
GOOD_LINE = (REPO / "seeds" / "000_a8276678a70ef058.events.jsonl").read_text(encoding="utf-8").splitlines()[0]
TOKENS = ["\n", " ", "  ", "- ", ": ", "---", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object:os.system", "'", '"', "#",
          "\t", "\x00", "\ufeff", "yes", "null", "~", "2024-02-30", "dest: ", "source: ", "*", "é", "<html>", "</p>", "\r\n"]


@st.composite
def mutated(draw, text: str, tokens: list[str] = TOKENS) -> str:
    """`text` with a few random edits: cut a slice, insert a token or noise, repeat a line."""
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "token", "noise", "repeat"]))
        if action == "cut":
            text = text[:where] + text[where + draw(st.integers(1, 200)):]
        elif action == "token":
            text = text[:where] + draw(st.sampled_from(tokens)) + text[where:]
        elif action == "noise":
            text = text[:where] + draw(st.text(max_size=20)) + text[where:]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                text = "".join(lines[: i + 1] + lines[i:])
    return text


def timed(fn):
    start = time.perf_counter()
    out = fn()
    assert time.perf_counter() - start < SECONDS
    return out


ARTICLE_PARTS = st.lists(
    st.one_of(
        st.sampled_from(["---\n", "title: T\n", "published: 2030-06-14\n", "published: 2030-13-45\n", "June 14, 2030\n", "\n\n",
                         "<html><body><p>", "</p></body></html>", "# Head\n", "- item\n", "Arland and Borovia met on Thursday. "]),
        st.text(max_size=40),
    ),
    max_size=12,
)


@FUZZ
@given(parts=ARTICLE_PARTS, suffix=st.sampled_from([".txt", ".md", ".html"]), raw=st.binary(max_size=60), use_raw=st.booleans())
def test_article_reader(parts: list[str], suffix: str, raw: bytes, use_raw: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"a{suffix}"
        path.write_bytes(raw if use_raw else "".join(parts).encode("utf-8", "surrogatepass"))
        try:
            article = timed(lambda: read_article(path, published=None))
        except InputError:
            return
        assert article.text and article.published


@FUZZ
@given(text=mutated(GOOD_THREAD))
def test_definition_loader(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doha-ceasefire.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            thread = timed(lambda: load_thread(path, VOCABULARY))
        except (InputError, InputErrors) as exc:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            assert errors and all(e.message.startswith(str(path)) for e in errors)
            return
        assert thread.id == "doha-ceasefire"


DATE_WORDS = ["on", "Thursday", "last", "next", "week", "month", "May", "March 3", "7 April 2024", "2024-02-29", "the 31st",
              "yesterday", "due", "deadline of", "Sept.", "mid-June", "over the weekend", "earlier this month", ",", " "]


@FUZZ
@given(words=st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=8)), max_size=30),
       published=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), tense=st.sampled_from(["past", "future"]))
def test_date_resolver(words: list[str], published: dt.date, tense: str) -> None:
    text = " ".join(words)
    for mention in timed(lambda: find_dates(text, published, tense)):  # type: ignore[arg-type]
        assert text[mention.start:mention.end] == mention.text
        assert abs((mention.date - published).days) < 366 * 120
    parse_date_line(text)


LOG_TOKENS = ["{", "}", '"', ":", ",", "null", "[]", "1e999", '"date":"2024-02-30"', '"surprise":1', '"thread":7', "\n", "\r", "\x00"]


@FUZZ
@given(lines=st.lists(st.one_of(st.just(GOOD_LINE), mutated(GOOD_LINE, LOG_TOKENS), st.text(max_size=30)), max_size=6))
def test_log_parser(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    entries, problems = timed(lambda: parse_log(data, "log.jsonl", "log.jsonl"))
    assert all(p.path == "log.jsonl" and p.line for p in problems)
    assert len(entries) + len(problems) == sum(1 for raw in data.split(b"\n") if raw.strip())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.jsonl"
        path.write_bytes(data)
        try:
            assert len(read_events(path)) == len(entries)
        except InputError:
            assert problems


_TEMPLATE: dict[str, Path] = {}


def _template() -> Path:
    """One workspace with a thread, an article and its events, copied for every CLI example."""
    if "ws" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="negotrack-fuzz-")) / "ws"
        assert run_cli("init", str(root)).code == 0
        text = GOOD_THREAD.replace("id: doha-ceasefire", "id: lyss-water").replace("aliases:", "aliases: [Lyss river]\nold_aliases:", 1)
        (root / "states" / "lyss-water.yaml").write_text(text.replace("old_aliases:", "# aliases:"), encoding="utf-8")
        (root / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
        result = run_cli("add-event", "lyss-water", "talks_held", "--article", str(root / "articles" / "a.txt"),
                         "--quote", "Negotiators from Arland and Borovia met in Geneva on Thursday", "--date", "2030-06-13", "-w", str(root))
        assert result.code == 0, result.err
        _TEMPLATE["ws"] = root
    return _TEMPLATE["ws"]


@CLI_FUZZ
@given(which=st.sampled_from(["definition", "article", "log"]), data=st.data())
def test_cli_on_mutated_files(which: str, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(_template(), ws)
        if which == "definition":
            target = ws / "states" / "lyss-water.yaml"
        elif which == "article":
            target = ws / "articles" / "a.txt"
        else:
            (target,) = (ws / "events").glob("*.jsonl")
        target.write_text(data.draw(mutated(target.read_text(encoding="utf-8"), TOKENS + LOG_TOKENS)), encoding="utf-8", errors="surrogatepass")
        commands = [["status", "--json", "-w", str(ws)], ["validate", str(ws)], ["ingest", str(ws / "articles"), "-w", str(ws)]]
        for command in commands[:2] if which != "article" else commands[1:]:
            start = time.perf_counter()
            result = run_cli(*command)
            assert time.perf_counter() - start < 60
            assert "Traceback" not in result.err, (command, result.err)
            assert result.code in (0, 2), (command, result.code, result.err)
            if result.code == 2:
                assert result.err.startswith("error: "), result.err
            if command[0] == "status" and result.code == 0:
                json.loads(result.out)
