"""Budgets on the in-memory store: managers set them, an expense's notice is checked, one alert
per threshold, category and month (core/services/budgets.py, rules in core/domain/budgets.py)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core import commands as c
from core.domain.model import Channel, Role, Worker
from core.domain.transitions import Origin
from core.ports import NoticeKind
from core.replies import Style, render
from core.services import budgets
from core.services.dispatch import handle
from core.services.expenses import log_expense
from tests.unit.services.test_services import NY


@pytest.fixture
def bo(store, org) -> Worker:  # type: ignore[no-untyped-def]
    """A worker by text only: before budgets, his expenses told nobody."""
    return store.add_worker(Worker(worker_id="w-bo", org_id=org.org_id, name="Bo Diaz", phone="+15550000002"))


class Manager:
    """A manager's words by text, rendered as SMS."""

    def __init__(self, ports, worker):  # type: ignore[no-untyped-def]
        self.ports, self.worker, self.n = ports, worker, 0

    def says(self, text: str) -> str:
        from core.grammar import parse

        self.n += 1
        org = self.ports.store.get_org(self.worker.org_id)
        outcome = handle(parse(text), self.worker, org, Origin(Channel.SMS, f"SMmgr{self.n}"), self.ports)
        return render(outcome, Style.SMS, NY)


@pytest.fixture
def mia(ports, manager) -> Manager:  # type: ignore[no-untyped-def]
    return Manager(ports, manager)


SENT = itertools.count()


def spend(ports, worker, amount: str, category: str = "fuel", **more):  # type: ignore[no-untyped-def]
    """An expense by text (each its own message)."""
    org = ports.store.get_org(worker.org_id)
    cmd = c.LogExpense(amount=Decimal(amount), category=category, **more)
    return log_expense(cmd, worker, org, Origin(Channel.SMS, f"SMexp{next(SENT)}"), ports)


def check(ports, outbox) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run the notify side's budget check on every expense notice committed since the last call;
    the data of the alerts it committed."""
    org = ports.store.get_org("acme", fresh=True)
    logged = [n for n in outbox() if n.kind is NoticeKind.EXPENSE_LOGGED]
    alerts = [budgets.alert_if_reached(notice, org, ports) for notice in logged]
    return [alert.data for alert in alerts if alert is not None]


# -- managers set, clear and list ----------------------------------------------------------------


def test_a_manager_sets_a_budget_and_sees_this_month_so_far(mia, bo, ports, store):  # type: ignore[no-untyped-def]
    spend(ports, bo, "120")
    assert mia.says("budget fuel 500") == "Budget for fuel set to 500.00 USD a month. Nov 2026 so far: 120.00 (24%)."
    assert store.get_org("acme", fresh=True).budget_for("fuel") == Decimal("500")
    assert mia.says("budget Fule 650") == "Budget for fuel set to 650.00 USD a month. Nov 2026 so far: 120.00 (18%)."
    assert mia.says("budget parts 200").startswith("Budget for parts set to 200.00 USD")
    assert mia.says("budgets") == "Budgets Nov 2026 (USD): fuel 120.00/650.00 18%, parts 0.00/200.00 0%"
    assert mia.says("budget fuel off") == "Budget for fuel removed: no more alerts for it."
    assert mia.says("budget fuel off") == "No budget is set for fuel. Nothing changed."
    assert store.get_org("acme", fresh=True).budgets == (("parts", Decimal("200")),)


def test_bad_input_gets_a_clear_reply_and_writes_nothing(mia, ports, store):  # type: ignore[no-untyped-def]
    before = store.get_org("acme", fresh=True)
    assert mia.says("budgets") == "No budgets are set. Set one with BUDGET fuel 500"
    assert mia.says("budget fuel") == "Try BUDGET fuel 500, BUDGET fuel off or BUDGETS."
    assert mia.says("budget fuel 0") == "Try BUDGET fuel 500, BUDGET fuel off or BUDGETS."
    assert mia.says("budget fuel 500 EUR") == "Budgets are in USD, e.g. BUDGET fuel 500. Nothing changed."
    assert mia.says("budget caviar 500") == (
        "caviar is not an expense category. Pick one of: fuel, mileage, parts, tools, meals, lodging, parking, "
        "tolls, travel, supplies, phone, ..."
    )
    outcome = budgets.change_budget("acme", "fuel", Decimal("12.505"), ports)
    assert (outcome.code, outcome.data) == ("bad_budget", {"problem": "amount_too_precise"})
    assert store.get_org("acme", fresh=True) == before


def test_only_a_manager_as_stored_now_sets_or_reads_budgets(mia, bo, ports, store, manager):  # type: ignore[no-untyped-def]
    worker_says = Manager(ports, bo).says
    assert worker_says("budget fuel 500") == "Only managers can do that."
    assert worker_says("budgets") == "Only managers can do that."
    # Given Mia demoted, while a container still holds her as a manager
    store.update_worker(replace(manager, role=Role.WORKER), manager.version)
    assert mia.worker.is_manager
    assert mia.says("budget fuel 500") == "Only managers can do that."
    assert store.get_org("acme", fresh=True).budgets == ()


def test_an_org_changed_between_read_and_write_is_read_again_and_both_changes_kept(  # type: ignore[no-untyped-def]
    mia, ports, store, monkeypatch
):
    save_budgets = store.save_budgets
    raced = []

    def another_container_saves_first(org):  # type: ignore[no-untyped-def]
        if not raced:  # the org changes after this service read it, before it writes
            raced.append(store.save_org(replace(store.get_org("acme", fresh=True), name="Acme Renamed")))
        return save_budgets(org)

    monkeypatch.setattr(store, "save_budgets", another_container_saves_first)
    assert mia.says("budget fuel 500").startswith("Budget for fuel set")
    stored = store.get_org("acme", fresh=True)
    assert (stored.name, stored.budget_for("fuel")) == ("Acme Renamed", Decimal("500"))


def test_an_org_that_keeps_changing_gets_busy_and_nothing_written(mia, store, monkeypatch):  # type: ignore[no-untyped-def]
    from core.ports import Conflict

    def always_changed(org):  # type: ignore[no-untyped-def]
        raise Conflict("organisation changed meanwhile")

    monkeypatch.setattr(store, "save_budgets", always_changed)
    assert mia.says("budget fuel 500") == "Sorry, that clashed with another change. Please try again."
    assert store.get_org("acme", fresh=True).budgets == ()


# -- what an expense commits (the request path) --------------------------------------------------


def test_an_expense_tells_the_notify_side_only_when_someone_must_hear(mia, bo, ana, ports, outbox):  # type: ignore[no-untyped-def]
    def logged():  # type: ignore[no-untyped-def]
        # (an expense waiting for approval also asks the managers: EXPENSE_SUBMITTED, issue 12)
        return [n for n in outbox() if n.kind is NoticeKind.EXPENSE_LOGGED]

    outbox()
    spend(ports, bo, "10")  # no budget, no Slack: nobody to tell
    assert logged() == []
    mia.says("budget fuel 100")
    outbox()
    spend(ports, bo, "10")  # a budgeted category
    spend(ports, bo, "10", "parts")  # not budgeted
    spend(ports, bo, "10", currency="EUR")  # another currency: it does not count against a budget
    spend(ports, ana, "10", "parts")  # on Slack: her Home tab lists it
    assert [(n.kind, n.worker_id, n.data["category"]) for n in logged()] == [
        (NoticeKind.EXPENSE_LOGGED, "w-bo", "fuel"),
        (NoticeKind.EXPENSE_LOGGED, "w-ana", "parts"),
    ]


# -- alerts (the notify side) --------------------------------------------------------------------


def test_80_then_100_percent_each_alert_once(mia, bo, ports, outbox):  # type: ignore[no-untyped-def]
    mia.says("budget fuel 100")
    outbox()
    spend(ports, bo, "50")
    assert check(ports, outbox) == []
    spend(ports, bo, "30")
    [eighty] = check(ports, outbox)
    assert eighty == {
        "category": "fuel",
        "budget": "100.00",
        "spent": "80.00",
        "percent": 80,
        "level": 80,
        "currency": "USD",
        "month": "2026-11",
    }
    assert render_alert(eighty) == (
        "Budget alert: fuel spend for Nov 2026 is 80.00 USD, 80% of its 100.00 budget. Text BUDGETS."
    )
    spend(ports, bo, "15")  # 95%: 80% was said already
    assert check(ports, outbox) == []
    spend(ports, bo, "5.01")
    [hundred] = check(ports, outbox)
    assert (hundred["level"], hundred["percent"], hundred["spent"]) == (100, 100, "100.01")
    assert render_alert(hundred).startswith("Budget used up: fuel spend for Nov 2026 is 100.01 USD, 100% of")
    spend(ports, bo, "50")
    assert check(ports, outbox) == []


def test_the_same_notice_checked_again_alerts_nothing(mia, bo, ports, outbox):  # type: ignore[no-untyped-def]
    mia.says("budget fuel 100")
    outbox()
    spend(ports, bo, "85")
    [notice] = [n for n in outbox() if n.kind is NoticeKind.EXPENSE_LOGGED]
    org = ports.store.get_org("acme")
    first = budgets.alert_if_reached(notice, org, ports)
    assert first is not None
    assert budgets.alert_if_reached(notice, org, ports) is None  # a redelivery, a retry
    assert [n.notice_id for n in outbox()] == [first.notice_id]


def test_a_jump_past_both_thresholds_alerts_once_for_100(mia, bo, ports, outbox):  # type: ignore[no-untyped-def]
    mia.says("budget fuel 100")
    spend(ports, bo, "70")
    outbox()
    spend(ports, bo, "50")
    assert [(a["level"], a["percent"]) for a in check(ports, outbox)] == [(100, 120)]
    spend(ports, bo, "1")
    assert check(ports, outbox) == []


def test_a_raised_budget_alerts_only_thresholds_not_yet_alerted_that_month(mia, bo, ports, outbox):  # type: ignore[no-untyped-def]
    mia.says("budget fuel 100")
    outbox()
    spend(ports, bo, "85")
    assert [a["level"] for a in check(ports, outbox)] == [80]
    # Raised mid-month: 85 of 200 is 42%
    mia.says("budget fuel 200")
    spend(ports, bo, "90")  # 175 of 200: 87%, but 80% was alerted this month
    assert check(ports, outbox) == []
    spend(ports, bo, "30")  # 205 of 200
    assert [(a["level"], a["budget"]) for a in check(ports, outbox)] == [(100, "200.00")]


def test_a_budget_set_after_the_spending_alerts_with_the_next_expense(mia, bo, ports, outbox):  # type: ignore[no-untyped-def]
    spend(ports, bo, "90")
    mia.says("budget fuel 100")
    outbox()
    spend(ports, bo, "1")
    assert [(a["level"], a["spent"]) for a in check(ports, outbox)] == [(80, "91.00")]


def test_each_category_and_month_has_its_own_alerts(mia, bo, ports, outbox, clock):  # type: ignore[no-untyped-def]
    from datetime import date

    mia.says("budget fuel 100")
    mia.says("budget parts 100")
    outbox()
    spend(ports, bo, "85", spent_on=date(2026, 10, 31))  # a receipt from last month counts there
    spend(ports, bo, "85", "parts")
    spend(ports, bo, "85")
    alerts = check(ports, outbox)
    assert sorted((a["category"], a["month"], a["level"]) for a in alerts) == [
        ("fuel", "2026-10", 80),
        ("fuel", "2026-11", 80),
        ("parts", "2026-11", 80),
    ]
    # A new month starts afresh (December 1st in New York)
    clock.set(datetime(2026, 12, 1, 5, 30, tzinfo=UTC))
    spend(ports, bo, "85")
    assert [(a["month"], a["level"]) for a in check(ports, outbox)] == [("2026-12", 80)]


def test_rejected_and_foreign_currency_expenses_do_not_count(mia, bo, ports, outbox, store):  # type: ignore[no-untyped-def]
    from core.domain.model import ExpenseStatus
    from core.store import items as it
    from core.store.table import Put

    mia.says("budget fuel 100")
    spend(ports, bo, "70")
    spend(ports, bo, "500", currency="EUR")
    [seventy] = [e for e in store.org_expenses("acme", *month()) if e.amount == Decimal("70")]
    store.table.put(Put(it.expense_to_item(replace(seventy, status=ExpenseStatus.REJECTED))))
    outbox()
    spend(ports, bo, "20")
    assert check(ports, outbox) == []  # 20 of 100 counts, not 590


def month():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 11, 1), date(2026, 11, 30)


def render_alert(data: dict) -> str:  # type: ignore[type-arg]
    from core.ports import Outcome

    return render(Outcome("budget_alert", data), Style.SMS, NY)
