"""Every named modality check, on a sentence written for it: the check sets the cue aside with its
reason, and without the check in the table the same sentence reads differently (so each test
proves its check is what discards, not the lexicon's lack of a cue)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple, Optional

import pytest

from negotrack.extract import extract_article, modality
from negotrack.model import Article, Extraction, ThreadDef, Vocabulary
from tests.test_extract import LEXICON, MACHINE, THREADS, VOCAB

FRIDAY = dt.date(2024, 3, 22)
# a harbour thread with a cue of its own for a type it does not declare
FEES = ThreadDef(**{**MACHINE, "id": "harbor", "title": "harbor", "parties": ["Norland", "Estria"], "mediators": ["Valdoria"],
                   "aliases": ["Harbor talks", "Port Venn"], "cues": {"harbor_fee": ["pay|paid ...3 harbor fee*"]}})
# a vocabulary without progress_reported: a partial agreement has no type to be read as
NO_PROGRESS = Vocabulary(phases=VOCAB.phases, event_types=tuple(e for e in VOCAB.event_types if e.name != "progress_reported"))


class Example(NamedTuple):
    body: str
    reason: str
    title: str = "Harbor talks"
    threads: Optional[dict[str, ThreadDef]] = None
    vocabulary: Optional[Vocabulary] = None


EXAMPLES: dict[str, Example] = {
    "no_thread": Example("Two chess clubs held talks on Monday in a small town.", "no tracked thread in this sentence or its context", title="Chess"),
    "thread_type": Example("Norland did not pay the harbor fees in Port Venn.", "harbor_fee is not an event type of harbor", threads={"harbor": FEES}),
    "explicit_thread": Example("The Harbor talks resumed on Monday. Norland launched an offensive on Wednesday.", "needs the thread named in the sentence"),
    "process": Example("Norland and Estria met in Port Venn on Monday. Estria delayed the grain shipment on Tuesday.", "no talks, deal or delegation in the sentence"),
    "continues_background": Example("Norland and Estria held talks in Port Venn on January 10. Those talks broke off.", "background: continues a sentence about January 10"),
    "quoted": Example("“Norland and Estria held talks in Port Venn on Thursday,” the envoy joked.", "inside a quotation (rhetoric, not a report)"),
    "other_forum": Example("Norland's envoy met journalists in Port Venn on Thursday to discuss the Harbor talks.", "a meeting of another forum (not a round of these talks)"),
    "negated": Example("Norland and Estria have never met in Port Venn.", "negated"),
    "denied": Example("Estria's envoy denied on Thursday that Norland and Estria had met in Port Venn.", "denied"),
    "disputes_report": Example("Norland and Estria met in Port Venn on Thursday, though Valdoria disputed the reports.", "disputes a report or claim: not a happening of its own"),
    "conditional": Example("Whether Norland and Estria met in Port Venn on Thursday is unclear.", "conditional or open question"),
    "hedged": Example("Norland and Estria probably met in Port Venn on Thursday.", "hedged or hypothetical (could, may, likely ...)"),
    "aspiration": Example("Norland and Estria are hoping to resume the Harbor talks in Port Venn.", "a wish or an effort (hopes, ready to, tries to ...), not a happening"),
    "who_clause": Example("The Valdoria envoy, who met Norland and Estria negotiators in Port Venn on Thursday, flew home.", "describes a person (a 'who' clause), not news"),
    "when_clause": Example("Estria will present its map when the envoys of Norland and Estria meet in Port Venn.", "in a 'when' clause of a plan: not yet happened"),
    "talks_offer": Example("Estria accepted Valdoria's invitation to talks in Port Venn on Thursday.", "accepts an offer of talks, not a proposal under negotiation"),
    "position": Example("Norland wants Estria to accept the Venn accord terms.", "a stated position or demand, not a happening"),
    "background": Example("Norland and Estria met in Port Venn many years ago.", "background: a plan that lapsed or a happening long past"),
    "would": Example("Norland and Estria would meet in Port Venn on Thursday.", "hypothetical (would)"),
    "not_yet": Example("Estria is expected to reject the proposal from Norland.", "planned or expected, not yet happened"),
    "read_type": Example("Norland and Estria reached agreement on several points of the Venn accord on Thursday.", "progress_reported is not an event type of harbor", vocabulary=NO_PROGRESS),
    "placed_in_time": Example("Norland recalled its ambassador after the Harbor talks broke off.", "background: a happening named only to place another in time"),
    "dated_year": Example("Norland and Estria signed the 2019 fisheries accord in Port Venn.", "background: dated 2019"),
    "long_past": Example("Norland and Estria signed the Venn accord in Port Venn on January 5.", "background: happened 2024-01-05, long before publication"),
}


def read(ex: Example) -> Extraction:
    text = f"{ex.title}\n\n{ex.body}"
    article = Article(path="m.txt", text=text, title=ex.title, published=FRIDAY, body_start=len(ex.title) + 2,
                      sha256=hashlib.sha256(text.encode()).hexdigest())
    return extract_article(article, ex.vocabulary or VOCAB, ex.threads or THREADS, LEXICON)


def reasons(x: Extraction) -> list[str]:
    return [d.reason for d in x.discarded]


def test_every_check_has_an_example() -> None:
    assert [name for name, _ in modality.CHECKS] == list(EXAMPLES)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_check_sets_the_cue_aside(name: str) -> None:
    x = read(EXAMPLES[name])
    assert EXAMPLES[name].reason in reasons(x), reasons(x)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_without_the_check_the_sentence_reads_otherwise(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = read(EXAMPLES[name])
    monkeypatch.setattr(modality, "CHECKS", tuple(c for c in modality.CHECKS if c[0] != name))
    after = read(EXAMPLES[name])
    assert EXAMPLES[name].reason not in reasons(after)
    assert (after.events, reasons(after)) != (before.events, reasons(before))
