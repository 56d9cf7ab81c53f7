"""Budget alerts end to end: texts through the Twilio webhook, the notify function on the table's
stream (moto), managers reached in a loopback Slack and by a loopback Twilio.

Managers hear each threshold (80%, 100%) of a category's month once: not again when a notice is
redelivered or the notify function re-run, and once when two expenses cross it at the same time.
The request path does not pay for it: an expense is still one TransactWriteItems.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from decimal import Decimal

import pytest

from bot.cli import main
from core.domain.model import Role, Worker
from core.services import budgets
from tests.conftest import AFTER_REQUEST, _stream, invoke_notify
from tests.integration.sms.helpers import TwilioPhone

ALERT_80 = "Budget alert: fuel spend for Nov 2026 is {spent} USD, {percent}% of its 100.00 budget."
ALERT_100 = "Budget used up: fuel spend for Nov 2026 is {spent} USD, {percent}% of its 100.00 budget."


@pytest.fixture(autouse=True)
def notices_after_each_request(notices):  # type: ignore[no-untyped-def]
    """The notify function on the stream after each request, until it is quiet: the alert it commits
    itself (after an expense's notice) goes out in the same drain."""
    return notices


@pytest.fixture
def bo(store, org) -> Worker:  # type: ignore[no-untyped-def]
    return store.add_worker(Worker(worker_id="w-bo", org_id=org.org_id, name="Bo Diaz", phone="+15550000002"))


@pytest.fixture
def cy(store, org) -> Worker:  # type: ignore[no-untyped-def]
    return store.add_worker(Worker(worker_id="w-cy", org_id=org.org_id, name="Cy Park", phone="+15550000003"))


@pytest.fixture
def sam(store, org) -> Worker:  # type: ignore[no-untyped-def]
    """A second manager, by text only."""
    return store.add_worker(
        Worker(worker_id="w-sam", org_id=org.org_id, name="Sam Lee", role=Role.MANAGER, phone="+15550000008")
    )


@pytest.fixture
def fuel_budget(ports, capsys):  # type: ignore[no-untyped-def]
    """Fuel: 100 USD a month, set by the operator's CLI; expenses up to 1000 need no approval (so
    managers hear budget alerts alone here: approvals are tests/integration/sms/test_corrections_by_text.py)."""
    assert main(["budget", "set", "--org", "acme", "--category", "fuel", "--amount", "100"], ports=ports) == 0
    assert main(["org", "update", "--id", "acme", "--expense-approval-above", "1000"], ports=ports) == 0
    capsys.readouterr()


def alerts_to_mia(slack_api) -> list[str]:  # type: ignore[no-untyped-def]
    return [dm["text"] for dm in slack_api.dms_to("U0MIA")]


def test_80_then_100_percent_reach_each_manager_once_where_they_are(  # type: ignore[no-untyped-def]
    deployment, fuel_budget, manager, sam, bo, ana, slack_api, twilio_api
):
    phone = TwilioPhone(bo.phone)
    assert phone.text("exp 50 fuel").startswith("Expense 50 USD fuel on 2026-11-16 logged.")
    assert alerts_to_mia(slack_api) == [] and twilio_api.texts_to(sam.phone) == []

    # 85%: Mia hears in Slack, Sam (no Slack) by text; the reply to Bo did not wait for either
    assert phone.text("exp 35 fuel").startswith("Expense 35 USD fuel")
    assert alerts_to_mia(slack_api) == [ALERT_80.format(spent="85.00", percent=85) + " /punch budgets"]
    assert twilio_api.texts_to(sam.phone) == [ALERT_80.format(spent="85.00", percent=85) + " Text BUDGETS."]

    phone.text("exp 10 fuel")  # 95%: 80% was said already
    assert len(alerts_to_mia(slack_api)) == 1 and len(twilio_api.texts_to(sam.phone)) == 1

    phone.text("exp 6 fuel")  # 101%
    assert alerts_to_mia(slack_api)[1:] == [ALERT_100.format(spent="101.00", percent=101) + " /punch budgets"]
    assert twilio_api.texts_to(sam.phone)[1:] == [ALERT_100.format(spent="101.00", percent=101) + " Text BUDGETS."]

    phone.text("exp 20 fuel")
    assert len(alerts_to_mia(slack_api)) == 2 and len(twilio_api.texts_to(sam.phone)) == 2
    # Workers hear nothing of budgets
    assert twilio_api.texts_to(bo.phone) == [] and slack_api.dms_to("U0ANA") == []


def test_redelivered_notices_and_a_rerun_of_the_notify_function_send_nothing_twice(  # type: ignore[no-untyped-def]
    deployment, fuel_budget, manager, sam, bo, slack_api, twilio_api, ddb, notices
):
    phone = TwilioPhone(bo.phone)
    phone.text("exp 85 fuel")
    phone.text("exp 20 fuel")
    assert len(alerts_to_mia(slack_api)) == 2 and len(twilio_api.texts_to(sam.phone)) == 2

    # The stream delivers every record again (a new reader from the start), twice over
    every = [record for record in _stream(ddb).read() if record["dynamodb"]["NewImage"].get("type") == {"S": "notice"}]
    kinds = Counter(record["dynamodb"]["NewImage"]["kind"]["S"] for record in every)
    assert kinds == {"expense_logged": 2, "budget_alert": 2}
    for _ in range(2):
        assert invoke_notify({"Records": every}) == {"batchItemFailures": []}

    assert len(alerts_to_mia(slack_api)) == 2 and len(twilio_api.texts_to(sam.phone)) == 2
    assert notices.drain() == 0


def test_two_expenses_crossing_at_the_same_moment_alert_once(  # type: ignore[no-untyped-def]
    deployment, fuel_budget, manager, sam, bo, cy, slack_api, twilio_api, ddb, ports, notices, monkeypatch
):
    TwilioPhone(bo.phone).text("exp 60 fuel")  # 60%: no alert
    AFTER_REQUEST.clear()  # the notify function runs when we say
    # Bo and Cy each log one: alone neither would reach 80%... together they pass 100%
    TwilioPhone(bo.phone).text("exp 25 fuel")
    TwilioPhone(cy.phone).text("exp 30 fuel")
    logged = [
        record
        for record in _stream(ddb).read()
        if record["dynamodb"]["NewImage"].get("kind") == {"S": "expense_logged"}
    ][-2:]
    assert {r["dynamodb"]["NewImage"]["worker_id"]["S"] for r in logged} == {"w-bo", "w-cy"}

    # Two notify functions check them at once: both have counted before either writes its alert
    both_counted = threading.Barrier(2, timeout=10)
    commit = ports.store.commit

    def at_the_same_moment(change, delivery=None):  # type: ignore[no-untyped-def]
        if change.unless_repeat is not None and change.unless_repeat.key.startswith("budget:"):
            both_counted.wait()
        return commit(change, delivery)

    monkeypatch.setattr(ports.store, "commit", at_the_same_moment)
    answers: list[object] = []
    runs = [threading.Thread(target=lambda r=r: answers.append(invoke_notify({"Records": [r]}))) for r in logged]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert answers == [{"batchItemFailures": []}] * 2
    monkeypatch.setattr(ports.store, "commit", commit)

    notices.drain()  # the alert notice, and the two expense notices again (the event source's copy)
    assert alerts_to_mia(slack_api) == [ALERT_100.format(spent="115.00", percent=115) + " /punch budgets"]
    assert twilio_api.texts_to(sam.phone) == [ALERT_100.format(spent="115.00", percent=115) + " Text BUDGETS."]


def test_the_request_path_pays_nothing_for_budgets_and_the_notify_side_little(  # type: ignore[no-untyped-def]
    deployment, fuel_budget, manager, sam, bo, calls, notices, monkeypatch, slack_api
):
    monkeypatch.setattr("tests.conftest.AFTER_REQUEST", [])  # the door's calls only: notices go out later
    phone = TwilioPhone(bo.phone)
    phone.text("status")  # a warm container
    calls.reset()
    phone.text("exp 85 fuel")
    # An expense by text: is a receipt waiting? + one TransactWriteItems (expense, notice, guards)
    assert calls.calls == {"GetItem": 1, "TransactWriteItems": 1}

    calls.reset()
    assert notices.pump() == 1  # the expense's notice: the budget check commits the alert
    assert calls.calls == {"GetItem": 1, "Query": 1, "TransactWriteItems": 1}  # fresh worker, month, alert
    calls.reset()
    assert notices.pump() == 1  # the alert: the managers, then each manager's message sent once
    assert calls.calls == {"Query": 1, "PutItem": 4}
    assert len(alerts_to_mia(slack_api)) == 1

    calls.reset()
    phone.text("exp 1 fuel")
    assert calls.calls == {"GetItem": 1, "TransactWriteItems": 1}
    calls.reset()
    notices.pump()  # 86%: 80% alerted already, the guard refuses the write; nothing else happens
    assert calls.calls == {"GetItem": 1, "Query": 1, "TransactWriteItems": 1}
    assert notices.drain() == 0 and len(alerts_to_mia(slack_api)) == 1


def test_a_worker_cannot_set_budgets_by_text_and_a_manager_can(deployment, manager, sam, bo, store):  # type: ignore[no-untyped-def]
    assert TwilioPhone(bo.phone).text("budget fuel 500") == "Only managers can do that."
    assert TwilioPhone(bo.phone).text("budgets") == "Only managers can do that."
    assert store.get_org("acme", fresh=True).budgets == ()
    sam_phone = TwilioPhone(sam.phone)
    assert sam_phone.text("budget fuel 500") == "Budget for fuel set to 500.00 USD a month. Nov 2026 so far: 0.00 (0%)."
    assert sam_phone.text("BUDGET PARTS $1,200").startswith("Budget for parts set to 1200.00 USD")
    assert sam_phone.text("budgets") == "Budgets Nov 2026 (USD): fuel 0.00/500.00 0%, parts 0.00/1200.00 0%"
    assert sam_phone.text("budget fuel 500 EUR") == "Budgets are in USD, e.g. BUDGET fuel 500. Nothing changed."
    assert store.get_org("acme", fresh=True).budgets == (("fuel", Decimal("500")), ("parts", Decimal("1200")))


def test_the_cli_sets_lists_and_clears_budgets(ports, org, ana, clock, capsys):  # type: ignore[no-untyped-def]
    from core import commands as c
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services.expenses import log_expense

    def cli(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv), ports=ports)
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = cli("budget", "set", "--org", "acme", "--category", "Fuel", "--amount", "500")
    assert code == 0 and json.loads(out) == {
        "category": "fuel",
        "budget": "500.00",
        "spent": "0.00",
        "percent": 0,
        "currency": "USD",
        "month": "2026-11",
    }
    cli("budget", "set", "--org", "acme", "--category", "parts", "--amount", "200")
    log_expense(c.LogExpense(Decimal("412.50"), "fuel"), ana, org, Origin(Channel.CLI, "e1"), ports)
    code, out, _ = cli("budget", "list", "--org", "acme")
    assert code == 0 and json.loads(out) == {
        "org_id": "acme",
        "month": "2026-11",
        "currency": "USD",
        "budgets": [
            {"category": "fuel", "budget": "500.00", "spent": "412.50", "percent": 82},
            {"category": "parts", "budget": "200.00", "spent": "0.00", "percent": 0},
        ],
    }
    code, out, _ = cli("budget", "clear", "--org", "acme", "--category", "parts")
    assert code == 0 and json.loads(out) == {"category": "parts"}

    # Bad input: one clear line, nothing written
    before = ports.store.get_org("acme", fresh=True)
    code, _, err = cli("budget", "set", "--org", "acme", "--category", "caviar", "--amount", "5")
    assert code == 2 and "not set: budget_unknown_category" in err
    code, _, err = cli("budget", "clear", "--org", "acme", "--category", "parts")
    assert code == 2 and "not cleared: budget_not_set" in err
    code, _, err = cli("budget", "set", "--org", "acme", "--category", "fuel", "--amount", "5", "--currency", "EUR")
    assert code == 2 and "budget_currency" in err
    code, _, err = cli("budget", "list", "--org", "nope")
    assert code == 2 and "no organisation 'nope'" in err
    with pytest.raises(SystemExit):
        cli("budget", "set", "--org", "acme", "--category", "fuel", "--amount", "12.505")
    with pytest.raises(SystemExit):
        cli("budget", "set", "--org", "acme", "--category", "fuel", "--amount", "0")
    assert ports.store.get_org("acme", fresh=True) == before
    assert budgets.budget_lines(before, budgets.this_month(before, ports), ports)[0].spent == Decimal("412.50")
