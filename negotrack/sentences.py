"""Paragraphs and sentences of an article body, with exact character spans.

Evidence must quote the article exactly, so every sentence keeps its offsets into Article.text.
Splitting is sentencex's (fast, abbreviation-aware); a small repair step joins the pieces it
still cuts after abbreviations such as "D-N.Y." or a bare initial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from sentencex import segment

from negotrack.model import Article

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A piece that starts like the middle of a sentence: the cut before it was an abbreviation.
_CONTINUES = re.compile(r"[a-z0-9,;:)\]]|[A-Z]\.[,;:\s]|[A-Z]\.[A-Z]\.")
# A piece that ends with an initial or an abbreviation made of capitals ("D-N." "U.S.").
# A list item starting a line inside a paragraph.
_LIST_ITEM = re.compile(r"\n[ \t]*(?:[-*\u2022]|\d+[.)])\s")
# Markdown decoration that is not text of the sentence: heading marks, list bullets.
_DECORATION = re.compile(r"(?:#{1,6}|[-*\u2022]|\d+[.)])\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: `text == article.text[start:end]`, `paragraph` counts from 0 in the body."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int


def paragraphs(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank, blank-line separated block from `start` on."""
    pos = start
    for m in _PARAGRAPH_BREAK.finditer(text, start):
        if text[pos:m.start()].strip():
            yield pos, m.start()
        pos = m.end()
    if text[pos:].strip():
        yield pos, len(text)


def _pieces(block: str) -> list[tuple[int, int]]:
    """Offsets of sentencex's pieces in `block`, from their cumulative lengths (the pieces
    concatenate to the block; a search keeps offsets right should a piece ever differ)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in segment("en", block):
        if not block.startswith(piece, pos):
            found = block.find(piece.strip(), pos)
            if found < 0:
                break
            pos = found
            piece = piece.strip()
        spans.append((pos, pos + len(piece)))
        pos += len(piece)
    if block[pos:].strip():
        spans.append((pos, len(block)))
    return spans


def _lines(block: str) -> list[tuple[int, int]]:
    """A block cut before each list item ("- ...", "* ...", "1. ..."): items are sentences."""
    cuts = [0] + [m.start() + 1 for m in _LIST_ITEM.finditer(block)] + [len(block)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if block[a:b].strip()]


def _repair(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a piece to the one before when the cut fell after an abbreviation ("D-N.|Y., said")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        head = block[s:e].lstrip()
        if out and head and _CONTINUES.match(head):
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def split_text(text: str, start: int = 0) -> list[Sentence]:
    """Sentences of `text[start:]`, paragraph by paragraph."""
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(paragraphs(text, start)):
        block = text[ps:pe]
        for ls, le in _lines(block):
            for s, e in _repair(block, [(ls + a, ls + b) for a, b in _pieces(block[ls:le])]):
                a, b = _strip(text, ps + s, ps + e)
                m = _DECORATION.match(text, a, b)
                if m:
                    a = m.end()
                if b > a:
                    out.append(Sentence(a, b, text[a:b], p_index, len(out)))
    return out


def split_article(article: Article) -> list[Sentence]:
    """The body's sentences: headline, caption, date line and front matter are not news text."""
    return split_text(article.text, article.body_start)
