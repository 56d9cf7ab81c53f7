"""Budget rules (core/domain/budgets.py) and how people write budgets (core/grammar.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core import commands as c
from core.domain import budgets as b
from core.domain.model import Org
from core.grammar import parse


@pytest.mark.parametrize(
    ("spent", "budget", "level"),
    [
        ("0", "500", None),
        ("399.99", "500", None),
        ("400", "500", 80),  # exactly 80% reaches it
        ("499.99", "500", 80),
        ("500", "500", 100),
        ("600", "500", 100),  # past both at once: the highest only
        ("0.80", "1", 80),
        ("266.67", "333.33", 80),  # 80.0006%
        ("266.66", "333.33", None),  # 79.9976%: no rounding up
    ],
)
def test_the_highest_threshold_reached_is_exact(spent: str, budget: str, level: int | None) -> None:
    assert b.reached(Decimal(spent), Decimal(budget)) == level


def test_percent_is_rounded_down_so_99_9_is_not_yet_100() -> None:
    assert b.percent(Decimal("499.50"), Decimal("500")) == 99
    assert b.percent(Decimal("500"), Decimal("500")) == 100
    assert b.percent(Decimal("1234.56"), Decimal("100")) == 1234
    assert b.percent(Decimal("0"), Decimal("100")) == 0


def test_months_are_calendar_months() -> None:
    assert b.month_bounds(date(2026, 11, 16)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert b.month_bounds(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert b.month_bounds(date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert b.next_month(date(2026, 12, 5)) == date(2027, 1, 1)
    assert b.month_name(date(2026, 9, 30)) == "2026-09"


def test_an_alert_is_remembered_longer_than_an_expense_can_be_dated_back() -> None:
    from core.services.expenses import EXPENSE_LOOKBACK_DAYS

    org = Org(org_id="acme", name="Acme", timezone="America/New_York")
    kept = b.alerts_kept_until(org, date(2026, 11, 20))
    # The month ends at local midnight on Dec 1 (05:00 UTC); a receipt of Nov 30 may be logged 90 days later
    assert kept == datetime(2026, 12, 1, 5, tzinfo=UTC) + b.ALERTS_KEPT_AFTER_MONTH
    assert (kept - datetime(2026, 12, 1, 5, tzinfo=UTC)).days > EXPENSE_LOOKBACK_DAYS


def test_with_budget_sets_replaces_and_removes_one_category() -> None:
    org = Org(org_id="acme", name="Acme")
    org = b.with_budget(org, "parts", Decimal("200"))
    org = b.with_budget(org, "fuel", Decimal("500"))
    assert org.budgets == (("fuel", Decimal("500")), ("parts", Decimal("200")))
    org = b.with_budget(org, "fuel", Decimal("650"))
    assert org.budget_for("fuel") == Decimal("650")
    org = b.with_budget(org, "parts", None)
    assert org.budgets == (("fuel", Decimal("650")),)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("budget fuel 500", c.SetBudget("fuel", Decimal("500"))),
        ("BUDGET Fuel $500", c.SetBudget("fuel", Decimal("500"))),
        ("budget 500 fuel", c.SetBudget("fuel", Decimal("500"))),
        ("budget fuel 1,250.50", c.SetBudget("fuel", Decimal("1250.50"))),
        ("budget fuel 500 USD", c.SetBudget("fuel", Decimal("500"), "USD")),
        ("budget fuel 500eur", c.SetBudget("fuel", Decimal("500"), "EUR")),
        ("budget fuel off", c.SetBudget("fuel", None)),
        ("budget clear fuel", c.SetBudget("fuel", None)),
        ("/punch budget parts none", c.SetBudget("parts", None)),
        ("budgets", c.Budgets()),
        ("budget", c.Budgets()),
        ("Budgets!", c.Budgets()),
        ("budget list", c.Budgets()),
    ],
)
def test_budget_words(text: str, command: c.Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    "text", ["budget fuel", "budget 500", "budget fuel 0", "budget fuel -5", "budget fuel 12.505", "budget a b 5"]
)
def test_a_budget_the_grammar_cannot_read_gets_one_example(text: str) -> None:
    assert parse(text) == c.Unknown(text, "budget_unreadable")
