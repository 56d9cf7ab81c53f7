"""Budgets in Slack: `/punch budget fuel 500`, `/punch budgets`, for managers as stored now; the
alert a manager gets by DM; an expense's ack costs no more DynamoDB calls with a budget."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal

from core.domain.model import Role
from core.store.dynamodb import DynamoStore
from tests.conftest import TABLE


def test_a_manager_sets_and_lists_budgets_with_punch(slack, ana, manager, store):  # type: ignore[no-untyped-def]
    answer = slack.command("/punch", "budget fuel 500", user="U0MIA")
    assert answer.text == "Budget for fuel set to 500.00 USD a month. Nov 2026 so far: 0.00 (0%)."
    slack.command("/expense", "120 fuel", timestamp=slack.later(1))
    listed = slack.command("/punch", "budgets", user="U0MIA")
    assert listed.text == "Budgets Nov 2026 (USD), spent of budget: fuel 120.00/500.00 24%"
    assert store.get_org("acme", fresh=True).budgets == (("fuel", Decimal("500")),)

    unknown = slack.command("/punch", "budget caviar 5", user="U0MIA")
    assert unknown.text.startswith("caviar is not an expense category. Pick one of: fuel, mileage, parts")
    unreadable = slack.command("/punch", "budget fuel", user="U0MIA")
    assert unreadable.text == "Try /punch budget fuel 500, /punch budget fuel off or /punch budgets."
    assert slack.command("/punch", "budget fuel off", user="U0MIA").text == (
        "Budget for fuel removed: no more alerts for it."
    )
    assert store.get_org("acme", fresh=True).budgets == ()


def test_a_worker_and_a_manager_demoted_elsewhere_are_refused(slack, ana, manager, store, ddb):  # type: ignore[no-untyped-def]
    assert slack.command("/punch", "budget fuel 500").text == "Only managers can do that."
    assert slack.command("/punch", "budgets").text == "Only managers can do that."
    slack.command("/punch", "budget fuel 500", user="U0MIA")
    # Given Mia demoted by another container (an admin's CLI), while this one caches her as a manager
    elsewhere = DynamoStore(ddb, TABLE)
    elsewhere.update_worker(replace(manager, role=Role.WORKER), manager.version)
    assert store.find_worker_by_slack("T0ACME", "U0MIA").is_manager  # the cache is minutes old

    refused = slack.command("/punch", "budget fuel 900", user="U0MIA", timestamp=slack.later(1))
    assert refused.text == "Only managers can do that."
    assert store.get_org("acme", fresh=True).budget_for("fuel") == Decimal("500")


def test_the_alert_reaches_a_manager_by_dm(slack, ana, manager, fake_slack, notices):  # type: ignore[no-untyped-def]
    slack.command("/punch", "budget fuel 100", user="U0MIA")
    slack.command("/expense", "82.50 fuel", timestamp=slack.later(1))
    # (the expense also waits for Mia's approval: that DM is the approvals' tests')
    [alert] = [dm for dm in fake_slack.dms_to("U0MIA") if dm["text"].startswith("Budget")]
    assert alert["text"] == (
        "Budget alert: fuel spend for Nov 2026 is 82.50 USD, 82% of its 100.00 budget. /punch budgets"
    )
    assert fake_slack.dms_to("U0ANA") == []


def test_an_expense_ack_costs_the_same_with_a_budget(slack, ana, manager, calls):  # type: ignore[no-untyped-def]
    slack.command("/punch", "budget fuel 500", user="U0MIA")
    slack.command("/status")  # warm the container
    calls.reset()
    slack.command("/expense", "12.50 fuel", lazy=False)
    assert Counter(calls.calls) == {"TransactWriteItems": 1}  # as tests/integration/slack/test_budgets.py
