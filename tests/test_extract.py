"""Extraction on invented articles: every hard case the spec names (negation, denial, conditions,
plans with relative dates, several events in a sentence, abbreviations, two threads, distractors)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Optional

import yaml

from negotrack.definitions import load_definitions
from negotrack.extract import extract_article
from negotrack.lexicon import load_lexicon
from negotrack.model import Article, Event, ThreadDef, Vocabulary

REPO = Path(__file__).resolve().parents[1]
LEXICON = load_lexicon(REPO / "states" / "lexicon.yaml")
VOCAB = Vocabulary(**yaml.safe_load((REPO / "states" / "vocabulary.yaml").read_text()))
MACHINE = load_definitions(REPO / "states")[1]["doha-ceasefire"].model_dump()  # the standard machine, merged


def thread(tid: str, parties: list[str], mediators: list[str], aliases: list[str], cues: Optional[dict] = None) -> ThreadDef:
    data = {**MACHINE, "id": tid, "title": tid, "parties": parties, "mediators": mediators, "aliases": aliases}
    if cues:
        data["cues"] = cues
    return ThreadDef(**data)


HARBOR = thread("harbor", ["Norland", "Estria"], ["Valdoria"], ["Harbor talks", "Port Venn", "Venn accord"])
RIVER = thread("river", ["Kesh", "Ombar"], [], ["river commission", "Lake Tamu"])
THREADS = {"harbor": HARBOR, "river": RIVER}
FRIDAY = dt.date(2024, 3, 22)
SATURDAY = dt.date(2024, 3, 23)


def article(body: str, published: dt.date = FRIDAY, title: str = "Harbor talks") -> Article:
    text = f"{title}\n\n{body}"
    return Article(path="a.txt", text=text, title=title, published=published, body_start=len(title) + 2,
                   sha256=hashlib.sha256(text.encode()).hexdigest())


def events(body: str, published: dt.date = FRIDAY, threads: Optional[dict] = None, title: str = "Harbor talks") -> list[Event]:
    a = article(body, published, title)
    x = extract_article(a, VOCAB, threads or THREADS, LEXICON)
    for e in x.events:
        assert a.text[e.evidence.start:e.evidence.end] == e.evidence.quote
        assert e.id and e.origin == "extracted" and e.reported == published and e.cue
        assert 0 <= (e.confidence or 0) <= 1
    return list(x.events)


def kinds(evs: list[Event]) -> set[tuple[str, str, dt.date]]:
    return {(e.thread, e.type, e.date) for e in evs}


def test_past_weekday_resolves_against_publication() -> None:
    evs = events("A Valdoria envoy on Thursday said the gaps between Norland and Estria were narrowing.")
    assert kinds(evs) == {("harbor", "progress_reported", dt.date(2024, 3, 21))}


def test_negation_gives_nothing() -> None:
    assert events("Norland did not expect to hold talks with Estria in Port Venn this month.") == []


def test_denial_gives_nothing_and_is_explained() -> None:
    a = article("Estria denied on Thursday that the Harbor talks had broken off.")
    x = extract_article(a, VOCAB, THREADS, LEXICON)
    assert x.events == ()
    assert any(d.reason == "denied" for d in x.discarded)


def test_conditional_and_hypothetical_give_nothing() -> None:
    assert events("If Norland rejects the proposal, the Harbor talks will collapse.") == []
    assert events("Estria said the Venn accord could be signed within days.") == []


def test_position_is_not_a_proposal() -> None:
    assert events("Estria wants a permanent border settlement from Norland in the Harbor talks.") == []
    evs = events("Norland presented a new proposal to the Valdoria mediators on Monday.", SATURDAY)
    assert kinds(evs) == {("harbor", "proposal_tabled", dt.date(2024, 3, 18))}


def test_planned_meeting_next_week_is_scheduled_with_expected_date() -> None:
    evs = events("Negotiators from Norland and Estria are scheduled to meet in Port Venn next week, officials said.")
    assert len(evs) == 1
    e = evs[0]
    assert (e.type, e.date, e.expected, e.expected_precision) == ("talks_scheduled", FRIDAY, dt.date(2024, 3, 25), "week")


def test_resumption_date_announced_on_a_weekday() -> None:
    evs = events("The Harbor talks will resume in Port Venn on April 8, Norland's chief negotiator said on Wednesday.")
    assert [(e.type, e.date, e.expected) for e in evs] == [("talks_scheduled", dt.date(2024, 3, 20), dt.date(2024, 4, 8))]


def test_reported_would_is_a_plan_not_a_hypothesis() -> None:
    evs = events("The Valdoria envoy said delegations would consult their capitals and that the Harbor talks would resume next week.", SATURDAY)
    assert [(e.type, e.expected) for e in evs] == [("talks_scheduled", dt.date(2024, 3, 25))]


def test_several_events_in_one_sentence_each_with_its_date() -> None:
    evs = events("The Harbor talks, which resumed on Monday after a long break, broke off on Friday after Estria tabled new demands.", SATURDAY)
    got = kinds(evs)
    assert ("harbor", "talks_resumed", dt.date(2024, 3, 18)) in got
    assert ("harbor", "impasse_reported", dt.date(2024, 3, 22)) in got


def test_abbreviations_do_not_break_sentences() -> None:
    body = ("Sen. Ada Brook, D-N.Y., told reporters at 9 a.m. on Jan. 5 that the U.S. supported the Harbor talks. "
            "Norland and Estria signed the Venn accord in Port Venn on Jan. 6, officials said.")
    evs = events(body, dt.date(2024, 1, 7))
    assert kinds(evs) == {("harbor", "agreement_reached", dt.date(2024, 1, 6))}
    assert evs[0].evidence.quote.startswith("Norland and Estria signed")


def test_two_threads_in_one_article() -> None:
    body = ("Norland and Estria held talks in Port Venn on Tuesday.\n\n"
            "Separately, Kesh and Ombar signed a water-sharing agreement at the river commission on Wednesday.")
    assert kinds(events(body)) == {
        ("harbor", "talks_held", dt.date(2024, 3, 19)),
        ("river", "agreement_reached", dt.date(2024, 3, 20)),
    }


def test_meeting_with_lawmakers_is_not_a_round() -> None:
    assert events("Norland's foreign minister met lawmakers on Tuesday to brief them on the Harbor talks.") == []


def test_sentence_about_no_tracked_thread_gives_nothing() -> None:
    assert events("Two football clubs held talks on Monday and reached an agreement on a transfer.", title="Sport") == []


def test_context_carries_to_the_two_sides() -> None:
    body = ("Norland and Estria opened the Harbor talks in Port Venn on Monday.\n\n"
            "The two sides made significant progress on Tuesday, a mediator said.")
    assert ("harbor", "progress_reported", dt.date(2024, 3, 19)) in kinds(events(body))


def test_quoted_rhetoric_is_not_an_event() -> None:
    assert events('"We will walk out of the Harbor talks if pushed," the Norland envoy said.') == []


def test_one_event_per_happening_per_article() -> None:
    body = ("Norland and Estria signed the Venn accord on Thursday.\n\n"
            "The accord was signed in Port Venn, officials from Norland and Estria said.")
    evs = events(body)
    assert [e.type for e in evs] == ["agreement_reached"]


def test_background_long_past_is_not_news() -> None:
    assert events("Norland and Estria signed an earlier accord in Port Venn in 2019.") == []


def test_attribution_is_kept() -> None:
    evs = events("Norland and Estria held talks in Port Venn on Thursday, according to Valdoria diplomats.")
    assert evs and evs[0].attribution == "Valdoria diplomats"


def test_thread_cues_extend_the_lexicon() -> None:
    lighthouse = thread("harbor", ["Norland", "Estria"], ["Valdoria"], ["Harbor talks"], cues={"talks_held": ["gathered at ... lighthouse"]})
    evs = events("Norland and Estria envoys gathered at the old lighthouse on Thursday.", threads={"harbor": lighthouse})
    assert kinds(evs) == {("harbor", "talks_held", dt.date(2024, 3, 21))}


def test_retraction_in_next_sentence() -> None:
    body = "A Norland news agency reported that the Harbor talks had collapsed on Thursday. Estria's envoy dismissed that report."
    assert events(body) == []


# --- generalisation: mechanisms measured on a held-out corpus, tested here on invented text ------

# Two processes that share a mediator (Valdoria) and its envoy: a shared name must not pull a
# sentence away from the process the article is about.
GULF = thread("gulf", ["Sarn", "Tolvia"], ["Valdoria"], ["Gulf talks", "Sarn Bay", "Ilse Marr"])
HARBOR_SHARED = thread("harbor", ["Norland", "Estria"], ["Valdoria"], ["Harbor talks", "Port Venn", "Ilse Marr"])


def test_shared_mediator_keeps_the_article_thread() -> None:
    body = (
        "PORT VENN, March 22 — Norland and Estria resumed the Harbor talks in Port Venn on Thursday.\n\n"
        "Valdoria's envoy Ilse Marr said on Friday that the meeting had been constructive."
    )
    evs = events(body, threads={"harbor": HARBOR_SHARED, "gulf": GULF})
    assert {e.thread for e in evs} == {"harbor"}
    assert ("harbor", "progress_reported", FRIDAY) in kinds(evs)


def test_a_name_of_its_own_still_switches_thread() -> None:
    body = (
        "PORT VENN, March 22 — Norland and Estria resumed the Harbor talks in Port Venn on Thursday.\n\n"
        "Separately, Sarn and Tolvia met in Sarn Bay on Friday for a first round of talks, Valdoria said."
    )
    evs = kinds(events(body, threads={"harbor": HARBOR_SHARED, "gulf": GULF}))
    assert ("gulf", "talks_held", FRIDAY) in evs
    assert ("harbor", "talks_resumed", dt.date(2024, 3, 21)) in evs


def test_an_effort_to_bring_sides_together_is_a_proposal_of_talks() -> None:
    evs = events("Valdoria said on Friday it would try to bring Norland and Estria to the negotiating table in Port Venn.")
    assert kinds(evs) == {("harbor", "talks_proposed", FRIDAY)}


def test_a_wish_is_not_a_happening() -> None:
    assert events("Estria hopes to sign the Venn accord with Norland before the summer.") == []


def test_a_when_clause_of_a_plan_is_not_a_meeting() -> None:
    assert events("Norland said it would table a new offer when the two sides meet again in Port Venn.") == []


def test_common_ways_of_saying_talks_took_place() -> None:
    assert ("harbor", "talks_held", dt.date(2024, 3, 21)) in kinds(
        events("Negotiators from Norland and Estria sat down in Port Venn on Thursday for the Harbor talks.")
    )
    assert ("harbor", "talks_held", dt.date(2024, 3, 21)) in kinds(
        events("The Valdoria envoy conferred with Norland's foreign minister in Port Venn on Thursday about the Harbor talks.")
    )


def test_a_round_that_will_open_on_a_date_is_scheduled() -> None:
    evs = events("Estria's chief negotiator said on Thursday that the next round of the Harbor talks would open in Port Venn on April 2.")
    (e,) = evs
    assert (e.type, e.date, e.expected) == ("talks_scheduled", dt.date(2024, 3, 21), dt.date(2024, 4, 2))


def test_truce_taking_hold_and_changes_turned_down() -> None:
    assert ("harbor", "agreement_in_force", SATURDAY) in kinds(
        events("The Venn accord truce between Norland and Estria took hold on Saturday morning.", published=SATURDAY)
    )
    assert ("harbor", "proposal_rejected", dt.date(2024, 3, 21)) in kinds(
        events("Norland on Thursday turned down the changes Estria had asked for in the Harbor talks.")
    )


def test_a_meeting_of_the_companies_is_not_scheduled_talks() -> None:
    assert events("The Port Venn terminal operator is expected to start dredging the harbor next year.") == []


def test_a_disputed_claim_keeps_both_sides() -> None:
    a = article(
        "A Norland newspaper reported on Thursday that the Harbor talks had collapsed. "
        "Estria's foreign ministry dismissed that report as false.\n\n"
        "Norland's navy chief on Friday denied that the Venn accord had broken down."
    )
    x = extract_article(a, VOCAB, THREADS, LEXICON)
    assert x.events == ()
    sides = {(d.reason.split(":")[0], d.attribution, d.disputed_by) for d in x.discarded}
    assert ("disputed", "A Norland newspaper", "Estria's foreign ministry") in sides
    assert ("denied", None, "Norland's navy chief") in sides


def test_agreement_on_part_of_the_text_is_progress() -> None:
    evs = kinds(events("Norland and Estria said on Thursday they had reached agreement on some articles of the Venn accord."))
    assert evs == {("harbor", "progress_reported", dt.date(2024, 3, 21))}


def test_a_date_inside_the_cue_dates_its_object_not_the_event() -> None:
    evs = kinds(events(
        "The prisoner exchange agreed last month in Port Venn between Norland and Estria began on Thursday.",
        threads={"harbor": HARBOR},
    ))
    assert ("harbor", "agreement_in_force", dt.date(2024, 3, 21)) in evs


def test_a_dateline_place_does_not_name_a_thread() -> None:
    """The dateline says where the reporter is: a city another thread lists as an alias must not
    pull the story to that thread."""
    lake = thread("lake", ["Kesh", "Ombar"], [], ["Lake Tamu", "Port Venn"])
    harbor = thread("harbor", ["Norland", "Estria"], [], ["Harbor talks", "Norland-Estria talks"])
    body = "Port Venn, March 22 (Wire) — The talks resumed on Thursday after a week's pause."
    evs = kinds(events(body, threads={"lake": lake, "harbor": harbor}, title="Norland and Estria talks resume"))
    assert evs == {("harbor", "talks_resumed", dt.date(2024, 3, 21))}


def test_progress_and_deadlock_are_told_in_quotes() -> None:
    """The quoted-rhetoric check does not apply where the lexicon exempts a type from it:
    progress and deadlock are reported in the participants' own words."""
    body = "“We made real progress,” the Valdoria envoy said of the Harbor talks on Thursday."
    said = extract_article(article(body), VOCAB, THREADS, LEXICON, proposers=()).events  # the rules' reading
    assert [(e.type, e.date) for e in said] == [("progress_reported", dt.date(2024, 3, 21))]
    types = dict(LEXICON.types)
    types["progress_reported"] = types["progress_reported"].model_copy(update={"exempt": ()})
    strict = LEXICON.model_copy(update={"types": types})
    a = article("“We made real progress,” the Valdoria envoy said of the Harbor talks on Thursday.")
    x = extract_article(a, VOCAB, THREADS, strict, proposers=())
    assert x.events == () and "inside a quotation (rhetoric, not a report)" in [d.reason for d in x.discarded]


def test_negotiating_panels_are_the_process() -> None:
    evs = events("The Harbor talks resumed in Port Venn on Monday. The panels will meet again on Friday next week.")
    assert ("harbor", "talks_scheduled") in {(e.thread, e.type) for e in evs}


def test_a_reference_back_may_carry_an_adjective() -> None:
    """"The new round" refers back to the thread in context as "the round" does."""
    evs = events("Norland and Estria resumed the Harbor talks in Port Venn on Monday.\n\nThe new round opened on Tuesday morning.")
    assert ("harbor", "talks_held", dt.date(2024, 3, 19)) in kinds(evs)


def test_a_sentence_naming_nothing_stays_with_the_thread_in_context() -> None:
    """No name and no "the talks": the sentence goes on with the paragraph's thread (a sentence
    naming another process's parties does not)."""
    body = ("Norland and Estria opened the Harbor talks in Port Venn on Monday. "
            "In a joint statement afterwards they said they had made substantial progress.")
    assert ("harbor", "progress_reported") in {(e.thread, e.type) for e in events(body)}
    other = ("Norland and Estria opened the Harbor talks in Port Venn on Monday. "
             "Kesh and Ombar said afterwards they had made substantial progress.")
    assert ("harbor", "progress_reported") not in {(e.thread, e.type) for e in events(other)}


def test_a_summit_or_a_treaty_is_the_process() -> None:
    """Types that need the process named accept a summit or a treaty as the process."""
    thursday = dt.date(2024, 3, 21)
    assert ("harbor", "talks_postponed", thursday) in kinds(events("Estria postponed the summit on Thursday."))
    assert ("harbor", "impasse_reported", thursday) in kinds(events("Estria broke off work on the treaty on Thursday."))
