"""Date phrases in news text, resolved against invented publication dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotrack.dates import DateMention, find_dates, parse_date_line

FRI = date(2024, 3, 22)  # a Friday
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def one(text: str, published: date = FRI, tense: str = "past") -> DateMention:
    found = find_dates(text, published, tense)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def resolved(text: str, published: date = FRI, tense: str = "past") -> tuple[date, str]:
    m = one(text, published, tense)
    return m.date, m.precision


# --- weekdays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The envoy said on Thursday that the gap had narrowed.", date(2024, 3, 21)),
        ("Talks ran late on Thursday in the lakeside villa.", date(2024, 3, 21)),
        ("Thursday night brought a draft text.", date(2024, 3, 21)),
        ("The mediators met on Friday.", FRI),  # same weekday as publication: that very day
        ("The mediators met on Saturday.", date(2024, 3, 16)),
        ("The delegations arrived last Saturday.", date(2024, 3, 16)),
        ("Both sides spoke last Friday.", date(2024, 3, 15)),  # "last": strictly before
        ("They will convene next Tuesday.", date(2024, 3, 26)),
        ("They will convene next Friday.", date(2024, 3, 29)),  # "next": strictly after
    ],
)
def test_weekdays_past(text: str, expected: date) -> None:
    assert resolved(text) == (expected, "day")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The round will open on Monday.", date(2024, 3, 25)),
        ("The round will open on Friday.", FRI),
        ("The round will open on Thursday.", date(2024, 3, 28)),
        ("The round will open next Friday.", date(2024, 3, 29)),
        ("It slipped from last Monday.", date(2024, 3, 18)),
    ],
)
def test_weekdays_future(text: str, expected: date) -> None:
    assert resolved(text, tense="future") == (expected, "day")


def test_weekday_mention_offsets_point_into_the_text() -> None:
    text = "Ministers of two island states met late on Wednesday evening."
    m = one(text)
    assert text[m.start : m.end] == m.text == "Wednesday evening"
    assert m.date == date(2024, 3, 20)


# --- relative days, weeks, weekends, months --------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Yesterday the talks broke up.", date(2024, 3, 21)),
        ("Negotiators met yesterday.", date(2024, 3, 21)),
        ("A draft is due today.", FRI),
        ("They meet again tonight.", FRI),
        ("A spokesman said this morning that it was over.", FRI),
        ("The text was tabled earlier today.", FRI),
        ("Shots were heard last night near the border post.", date(2024, 3, 21)),
        ("A vote is expected tomorrow.", date(2024, 3, 23)),
    ],
)
def test_relative_days(text: str, expected: date) -> None:
    assert resolved(text) == (expected, "day")


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("Talks resumed this week.", FRI, date(2024, 3, 18)),
        ("Talks resumed earlier this week.", FRI, date(2024, 3, 18)),
        ("Talks stalled last week.", FRI, date(2024, 3, 11)),
        ("Talks resume next week.", FRI, date(2024, 3, 25)),
        ("Talks resume next week.", date(2021, 12, 4), date(2021, 12, 6)),  # a Saturday
        ("Talks resume next week.", date(2021, 12, 5), date(2021, 12, 6)),  # a Sunday
    ],
)
def test_weeks(text: str, published: date, expected: date) -> None:
    assert resolved(text, published) == (expected, "week")


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("Envoys met last weekend.", FRI, date(2024, 3, 16)),
        ("Envoys meet this weekend.", FRI, date(2024, 3, 23)),
        ("Envoys meet this weekend.", date(2024, 3, 23), date(2024, 3, 23)),
        ("Envoys met last weekend.", date(2024, 3, 25), date(2024, 3, 23)),  # a Monday
        ("Envoys met over the weekend.", date(2024, 3, 25), date(2024, 3, 23)),
        ("Envoys met over the weekend.", date(2024, 3, 24), date(2024, 3, 23)),  # a Sunday
    ],
)
def test_weekends(text: str, published: date, expected: date) -> None:
    assert resolved(text, published) == (expected, "day")


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("The accord was initialled earlier this month.", FRI, date(2024, 3, 1)),
        ("The accord will be signed later this month.", FRI, date(2024, 3, 1)),
        ("The accord is due this month.", FRI, date(2024, 3, 1)),
        ("The accord lapsed last month.", FRI, date(2024, 2, 1)),
        ("The accord lapsed last month.", date(2024, 1, 9), date(2023, 12, 1)),
        ("Talks resume next month.", FRI, date(2024, 4, 1)),
        ("Talks resume next month.", date(2023, 12, 30), date(2024, 1, 1)),
    ],
)
def test_months_relative(text: str, published: date, expected: date) -> None:
    assert resolved(text, published) == (expected, "month")


# --- explicit dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The ceasefire began on March 3.", date(2024, 3, 3)),
        ("The ceasefire began on Mar. 3.", date(2024, 3, 3)),
        ("The ceasefire began on 3 March.", date(2024, 3, 3)),
        ("The ceasefire began on March 23.", date(2024, 3, 23)),  # a day ahead: time zones
        ("The ceasefire began on March 24.", date(2023, 3, 24)),  # further ahead: last year
        ("The ceasefire began on April 7.", date(2023, 4, 7)),
        ("The truce began on Sept. 1 at midnight.", date(2023, 9, 1)),
        ("since the Oct. 7 attack on the outpost", date(2023, 10, 7)),
        ("The truce began on April 7, 2024.", date(2024, 4, 7)),
        ("The truce began on 7 April 2024.", date(2024, 4, 7)),
        ("The truce began on 2024-04-07.", date(2024, 4, 7)),
        ("The truce began on the 7th of April.", date(2023, 4, 7)),
        ("They first met on the 7th.", date(2024, 3, 7)),
        ("They first met on the 25th.", date(2024, 2, 25)),  # not yet come: previous month
        ("The talks opened on Thursday, March 21, 2024.", date(2024, 3, 21)),
    ],
)
def test_explicit_days_past(text: str, expected: date) -> None:
    assert resolved(text) == (expected, "day")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Signing is set for March 3.", date(2025, 3, 3)),
        ("Signing is set for April 7.", date(2024, 4, 7)),
        ("Signing is set for March 22.", FRI),
        ("Signing is due on the 25th.", date(2024, 3, 25)),
        ("Signing is due on the 7th.", date(2024, 4, 7)),  # already passed: next month
    ],
)
def test_explicit_days_future(text: str, expected: date) -> None:
    assert resolved(text, tense="future") == (expected, "day")


@pytest.mark.parametrize(
    "text, tense, expected",
    [
        ("The plan was floated in April.", "past", date(2023, 4, 1)),
        ("The plan was floated in March.", "past", date(2024, 3, 1)),
        ("The plan was floated in April 2024.", "past", date(2024, 4, 1)),
        ("The plan will be put to a vote in April.", "future", date(2024, 4, 1)),
        ("The plan will be put to a vote in February.", "future", date(2025, 2, 1)),
    ],
)
def test_months_explicit(text: str, tense: str, expected: date) -> None:
    assert resolved(text, tense=tense) == (expected, "month")


def test_a_by_deadline_is_the_nearest_reading_even_in_a_past_sentence() -> None:
    """"report on their progress by July" (published in March) looks ahead; "by January" in a
    past narrative published in March looks back: whichever reading is nearer publication."""
    assert resolved("The delegations were told to report on their progress by July.") == (date(2024, 7, 1), "month")
    assert resolved("By January the talks had collapsed.") == (date(2024, 1, 1), "month")
    assert resolved("The plan was floated in July.") == (date(2023, 7, 1), "month")  # no deadline: the past one


def test_leap_day_without_year_goes_back_to_a_leap_year() -> None:
    assert resolved("It was signed on Feb. 29.", date(2025, 1, 10)) == (date(2024, 2, 29), "day")


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("They met on 31 February and 2024-13-01.", FRI) == []


@pytest.mark.parametrize(
    "text",
    [
        "Inflation rose 7 percent in the capital.",
        "The two sides may meet again soon.",
        "Protesters plan to march on the ministry.",
        "A crowd of 3,000 gathered near the harbour.",
        "The 2015 accord was reached after 20 months of talks.",
        "Officials met on the 7th floor of the ministry.",
        "The Mayor of Portvale welcomed the delegates.",
        "The border had been shut for days and weeks.",
        "",
    ],
)
def test_non_dates(text: str) -> None:
    assert find_dates(text, FRI) == []


def test_may_and_march_are_months_only_as_dates() -> None:
    text = "Envoys may march on May 2 or in May; May 2019 too."
    found = find_dates(text, FRI)
    assert [m.text for m in found] == ["May 2", "May", "May 2019"]
    assert [m.date for m in found] == [date(2023, 5, 2), date(2023, 5, 1), date(2019, 5, 1)]


def test_several_mentions_in_order_and_not_overlapping() -> None:
    text = "Talks began on Monday, broke off last week and resume on April 7, 2024, officials said."
    found = find_dates(text, FRI)
    assert [m.text for m in found] == ["Monday", "last week", "April 7, 2024"]
    assert [m.date for m in found] == [date(2024, 3, 18), date(2024, 3, 11), date(2024, 4, 7)]
    for m in found:
        assert text[m.start : m.end] == m.text
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


def test_longest_match_wins() -> None:
    assert one("It was tabled earlier this month.").text == "earlier this month"
    assert one("It was tabled last weekend.").text == "last weekend"
    assert one("It was tabled on the 7th of April.").text == "7th of April"


# --- date lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("March 22, 2024", FRI),
        ("22 March 2024", FRI),
        ("Mar. 22, 2024", FRI),
        ("Sept. 3, 2023", date(2023, 9, 3)),
        ("2024-03-22", FRI),
        ("  Friday, March 22, 2024  ", FRI),
        ("March 22, 2024 officials said", None),
        ("The envoys met on March 22, 2024.", None),
        ("February 30, 2024", None),
        ("", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


# --- properties and speed --------------------------------------------------------------------


@given(
    published=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    weekday=st.sampled_from(WEEKDAYS),
)
def test_weekday_resolution_property(published: date, weekday: str) -> None:
    index = WEEKDAYS.index(weekday)
    past = resolved(f"They met on {weekday}.", published)[0]
    future = resolved(f"They will meet on {weekday}.", published, "future")[0]
    assert past.weekday() == index and 0 <= (published - past).days <= 6
    assert future.weekday() == index and 0 <= (future - published).days <= 6
    last = resolved(f"They met last {weekday}.", published)[0]
    assert last.weekday() == index and 1 <= (published - last).days <= 7


@given(
    published=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)
def test_day_month_year_inference_property(published: date, day: date) -> None:
    text = f"It happened on {day.strftime('%B')} {day.day}."
    found = find_dates(text, published)
    if day.month == 2 and day.day == 29:
        return
    (m,) = found
    assert (m.date.month, m.date.day) == (day.month, day.day)
    assert m.date <= published + timedelta(days=1) < m.date.replace(year=m.date.year + 1)
