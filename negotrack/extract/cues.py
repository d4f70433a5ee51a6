"""The cues of a sentence: spans that may carry an event, from the lexicon's rules and from any
learned proposers, as one kind of record that the later steps read without asking where it came
from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Optional, Sequence

from negotrack.lexicon import CompiledLexicon, DateRule, FoldedPattern, Future
from negotrack.extract.view import SentenceView

Stage = Literal["rule", "model"]


@dataclass(frozen=True)
class Hit:
    """A span of one sentence that may carry an event of `type`.

    `start`/`end` anchor the modality windows (negation reaches back from `start`); `label` is
    what `extract` shows as the cue (a lexicon pattern, or a model's own name for its reading).
    """

    type: str
    start: int
    end: int
    label: str
    weight: float = 0.7  # base confidence
    future: Optional[Future] = None  # what a planned form means; None: the type's `future`
    date: DateRule = "clause"  # clause: its clause's date phrase dates it; report: when it was said
    origin: Stage = "rule"
    only_thread: Optional[str] = None  # a thread's own `cues:` fire for that thread only
    self_negating: bool = False  # the cue carries its negation ("ended without a breakthrough")


# A learned stage: sentence text and the rule hits in it -> further hits (origin "model").
Proposer = Callable[[str, list[Hit]], list[Hit]]


def _rule_hits(text: str, lex: CompiledLexicon, only: Optional[str], negation: FoldedPattern, negating: dict[str, bool]) -> list[Hit]:
    out = []
    for start, end, cue in lex.hits(text):
        neg = negating.get(cue.pattern)
        if neg is None:
            neg = negating[cue.pattern] = bool(negation.search(cue.pattern.replace("_", " ").replace("|", " ")))
        out.append(Hit(cue.type, start, end, cue.pattern, cue.weight, cue.future, cue.date, "rule", only, neg))
    return out


def _order(hits: list[Hit]) -> list[Hit]:
    # overlapping cues: the longer reading is tried first ("ended without progress" before
    # "progress"); a shorter one gets its turn only if the longer yields no event
    return sorted(hits, key=lambda h: (-(h.end - h.start), h.start))


def find_hits(
    view: SentenceView,
    lex: CompiledLexicon,
    thread_cues: dict[str, CompiledLexicon],
    negating: dict[str, bool],
    proposers: Sequence[Proposer] = (),
) -> list[Hit]:
    """Every hit of a sentence in the order they are read: rule hits, then model hits that
    overlap none of them (the rules keep a span they matched)."""
    text = view.text
    negation = lex.lists["negation"]
    hits = _rule_hits(text, lex, None, negation, negating)
    for tid, own in thread_cues.items():
        hits.extend(_rule_hits(text, own, tid, negation, negating))
    if hits or proposers:
        view.set_clauses(lex.separators)
    # a cue never reaches across a clause boundary ("negotiations offered | since the war began")
    hits = _order([h for h in hits if not view.crosses_clause(h.start, h.end)])
    for propose in proposers:
        for h in _order(list(propose(text, list(hits)))):
            _check_span(h, text)
            if not any(h.start < r.end and r.start < h.end for r in hits if r.origin == "rule"):
                hits.append(h)
    view.hits = hits
    return hits


def _check_span(h: Hit, text: str) -> None:
    if not (0 <= h.start < h.end <= len(text)):
        raise ValueError(f"a proposer's hit {h.label!r} spans {h.start}..{h.end}, outside its sentence of {len(text)} characters")
