"""Pay periods, days as people write them, and the numbers managers decide by: pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.commands import OnDay
from core.domain.categories import match_category
from core.domain.model import DEFAULT_EXPENSE_CATEGORIES, Org, PayPeriod
from core.domain.pending import NUMBER_KEPT, ManagerView, renumber
from core.periods import pay_period, previous_pay_period

WEEKLY = Org(org_id="o1", name="Acme")
BIWEEKLY = replace(WEEKLY, pay_period=PayPeriod.BIWEEKLY, pay_period_anchor=date(2026, 11, 2))
SEMIMONTHLY = replace(WEEKLY, pay_period=PayPeriod.SEMIMONTHLY)


@pytest.mark.parametrize(
    ("org", "day", "period"),
    [
        (WEEKLY, date(2026, 11, 18), (date(2026, 11, 16), date(2026, 11, 22))),
        (replace(WEEKLY, workweek_start=6), date(2026, 11, 18), (date(2026, 11, 15), date(2026, 11, 21))),
        (BIWEEKLY, date(2026, 11, 15), (date(2026, 11, 2), date(2026, 11, 15))),
        (BIWEEKLY, date(2026, 11, 18), (date(2026, 11, 16), date(2026, 11, 29))),
        (BIWEEKLY, date(2026, 10, 30), (date(2026, 10, 19), date(2026, 11, 1))),
        (SEMIMONTHLY, date(2026, 11, 15), (date(2026, 11, 1), date(2026, 11, 15))),
        (SEMIMONTHLY, date(2026, 11, 16), (date(2026, 11, 16), date(2026, 11, 30))),
        (SEMIMONTHLY, date(2028, 2, 20), (date(2028, 2, 16), date(2028, 2, 29))),
        (SEMIMONTHLY, date(2026, 12, 31), (date(2026, 12, 16), date(2026, 12, 31))),
    ],
)
def test_a_pay_period_holds_its_days(org: Org, day: date, period: tuple[date, date]) -> None:
    assert pay_period(org, day) == period


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
    kind=st.sampled_from(list(PayPeriod)),
    anchor=st.none() | st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
)
def test_pay_periods_tile_the_calendar(day: date, kind: PayPeriod, anchor: date | None) -> None:
    org = replace(WEEKLY, pay_period=kind, pay_period_anchor=anchor)
    start, end = pay_period(org, day)
    assert start <= day <= end
    assert pay_period(org, start) == pay_period(org, end) == (start, end)
    assert previous_pay_period(org, day)[1] == start - timedelta(days=1)


TODAY = date(2026, 11, 16)  # a Monday


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (OnDay(days_ago=0), TODAY),
        (OnDay(days_ago=1), date(2026, 11, 15)),
        (OnDay(weekday=0), TODAY),  # `mon` on a Monday: today
        (OnDay(weekday=4), date(2026, 11, 13)),  # `fri`: the latest Friday
        (OnDay(month=11, day=15), date(2026, 11, 15)),
        (OnDay(month=11, day=29), date(2025, 11, 29)),  # never after today
        (OnDay(month=2, day=29), date(2024, 2, 29)),  # the latest that exists
        (OnDay(month=2, day=30), None),
        (OnDay(month=11, day=29, year=2026), date(2026, 11, 29)),
    ],
)
def test_a_day_as_people_write_it_is_the_latest_such_day(written: OnDay, meant: date | None) -> None:
    assert written.resolve(TODAY) == meant


def test_a_day_may_be_the_nearest_one_instead() -> None:
    assert OnDay(month=11, day=22).resolve(TODAY, nearest=True) == date(2026, 11, 22)  # `lock 11/22`
    assert OnDay(month=1, day=2).resolve(TODAY, nearest=True) == date(2027, 1, 2)


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("fuel", "fuel"),
        ("Gas", "fuel"),
        ("diesel", "fuel"),
        ("deisel", "fuel"),  # a typo
        ("coffee", "meals"),
        ("lunch", "meals"),
        ("meal", "meals"),
        ("uber", "travel"),
        ("taxis", "travel"),
        ("hotel", "lodging"),
        ("parkng", "parking"),
        ("toll", "tolls"),
        ("gizmo", "other"),
    ],
)
def test_categories_match_synonyms_and_typos(typed: str, category: str) -> None:
    assert match_category(typed, DEFAULT_EXPENSE_CATEGORIES)[0] == category


def test_an_orgs_own_list_and_synonyms() -> None:
    # An org still on `transit` gets the travel words there; its own synonyms come first
    listed = ("fuel", "transit", "meals", "misc")
    assert match_category("uber", listed) == ("transit", True)
    assert match_category("cab", listed, [("cab", "misc")]) == ("misc", True)
    assert match_category("bolts", listed) == ("other", False)  # no `other` in the list: still `other`
    assert match_category("coffee", ("fuel", "other")) == ("other", False)  # no `meals`: not matched


NOW = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def test_numbers_stay_with_their_items_and_new_items_take_the_lowest_free() -> None:
    view = renumber(ManagerView("w-mia"), [("a", "Ana"), ("b", "Ben"), ("c", "Cy")], NOW)
    assert [(e.number, e.item_id) for e in view.numbers] == [(1, "a"), (2, "b"), (3, "c")]
    # b is decided, d arrives: b's number stays taken (an old message may still say 2)
    view = renumber(view, [("a", "Ana"), ("c", "Cy"), ("d", "Di")], NOW)
    assert [(e.number, e.item_id, e.gone_at) for e in view.numbers] == [
        (1, "a", None),
        (2, "b", NOW),
        (3, "c", None),
        (4, "d", None),
    ]
    # a day later 2 is free again, and the next new item takes it
    later = NOW + NUMBER_KEPT + timedelta(minutes=1)
    view = renumber(view, [("a", "Ana"), ("c", "Cy"), ("d", "Di"), ("e", "Ed")], later)
    assert [(e.number, e.item_id) for e in view.numbers] == [(1, "a"), (2, "e"), (3, "c"), (4, "d")]
    assert view.find(2) is not None and view.find(2).name == "Ed"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8), max_size=6))
def test_a_number_never_means_two_waiting_items(rounds: list[list[str]]) -> None:
    view, at = ManagerView("w-mia"), NOW
    for waiting in rounds:
        at += timedelta(hours=5)
        before = {e.item_id: e.number for e in view.numbers}
        view = renumber(view, [(item, item.upper()) for item in waiting], at)
        numbers = [e.number for e in view.numbers]
        assert len(numbers) == len(set(numbers))  # one item per number
        for item in waiting:  # a waiting item keeps the number it had
            assert before.get(item, view.number_of(item)) == view.number_of(item)
