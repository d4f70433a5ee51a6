"""Sentence and paragraph splitting with exact spans, on invented text."""

from __future__ import annotations

import datetime as dt

from negotrack.model import Article
from negotrack.sentences import split_article, split_text


def test_spans_are_exact_and_stripped() -> None:
    text = "  The envoys met on Monday.  They talked.\n\nA new paragraph here. "
    sents = split_text(text)
    assert [s.text for s in sents] == ["The envoys met on Monday.", "They talked.", "A new paragraph here."]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 0, 1]
    assert [s.index for s in sents] == [0, 1, 2]


def test_abbreviations_stay_inside_one_sentence() -> None:
    text = ("Sen. Ada Brook, D-N.Y., spoke at 9 a.m. on Jan. 5 about U.S. policy. "
            "Lt. Col. Omar Vey of the U.N. mission agreed. Dr. Lin met them on Nov. 29.")
    sents = split_text(text)
    assert [s.text[:12] for s in sents] == ["Sen. Ada Bro", "Lt. Col. Oma", "Dr. Lin met "]


def test_body_start_skips_headline_and_front_matter() -> None:
    text = "---\ntitle: x\n---\n\nHeadline words\n\nFirst sentence. Second one."
    body = text.index("First")
    a = Article(path="a.md", text=text, published=dt.date(2024, 1, 1), body_start=body, sha256="0")
    assert [s.text for s in split_article(a)] == ["First sentence.", "Second one."]


def test_list_items_and_headings_are_their_own_sentences() -> None:
    text = "Key points:\n\n- first point of the plan;\n- second point.\n\n## A heading\n\nBody text."
    sents = split_text(text)
    assert [s.text for s in sents] == ["Key points:", "first point of the plan;", "second point.", "A heading", "Body text."]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_quotes_and_empty_text() -> None:
    assert split_text("") == []
    sents = split_text('"We are close," the envoy said. Talks go on.')
    assert [s.text for s in sents] == ['"We are close," the envoy said.', "Talks go on."]
