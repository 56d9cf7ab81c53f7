"""One money rule: what the grammar accepts as an amount, the expense service accepts too, and
the other way round; an amount typed with zeros past the cents is kept to the cent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.commands import LogExpense, Unknown
from core.domain.clock import FixedClock
from core.domain.model import Channel, Org, Worker
from core.domain.money import MAX_AMOUNT, parse_amount
from core.domain.transitions import Origin
from core.grammar import parse
from core.ports import Outcome
from core.replies import Style, render
from core.services.expenses import log_expense, validate_amount
from core.services.ports import Ports
from core.store.memory import MemoryStore

MONEY_PROBLEMS = {"amount_not_positive", "amount_too_precise"}
# An org whose own limit is the rule's ceiling, so only the money rule can refuse.
OPEN_ORG = Org(org_id="acme", name="Acme", timezone="UTC", expense_limit=MAX_AMOUNT)

amounts = st.decimals(
    min_value=Decimal("-10"), max_value=MAX_AMOUNT + 1, allow_nan=False, allow_infinity=False, places=4
) | st.sampled_from([Decimal("12.500"), Decimal("12.5000"), Decimal("0.010"), Decimal("1000000.000"), Decimal("0.000")])


@settings(max_examples=500, deadline=None)
@given(amount=amounts, written=st.sampled_from(["{}", "${}", "{} usd"]))
def test_the_grammar_and_the_service_agree_on_every_amount(amount: Decimal, written: str) -> None:
    # Given an amount as a person types it
    typed = written.format(format(abs(amount), "f"))
    if amount < 0:
        typed = "-" + typed
    # When the grammar reads it and the service checks what the grammar read
    command = parse(f"exp {typed} fuel")
    # Then an amount the grammar accepts the service accepts (unless it is over the org's limit,
    # which only the service knows, and quotes), and one it refuses the service refuses for the
    # same reason
    if isinstance(command, LogExpense):
        refused = validate_amount(command.amount, OPEN_ORG)
        if command.amount <= OPEN_ORG.expense_limit:
            assert refused is None, command.amount
        else:
            assert refused == Outcome("amount_over_limit", {"limit": "1,000,000", "currency": "USD"}, ok=False)
    else:
        assert isinstance(command, Unknown)
        assert command.problem in MONEY_PROBLEMS, (typed, command.problem)
        refused = validate_amount(amount, OPEN_ORG)
        assert refused is not None and refused.data["problem"] == command.problem


@pytest.mark.parametrize("typed", ["12.500", "12.5000", "1,234.500", "1.234,5000"])
def test_zeros_past_the_cents_are_dropped_to_the_cent(typed: str) -> None:
    amount = parse_amount(typed)
    assert amount is not None
    assert amount.as_tuple().exponent == -2


def test_amounts_keep_the_precision_they_were_typed_with_up_to_the_cent() -> None:
    assert str(parse_amount("12")) == "12"
    assert str(parse_amount("12.5")) == "12.5"
    assert str(parse_amount("12.50")) == "12.50"
    assert str(parse_amount("12.505")) == "12.505"  # refused by the rule, never rounded


def test_12_500_is_logged_as_12_50() -> None:
    # Given Ana, in an org on the in-memory store
    store = MemoryStore()
    org = store.save_org(Org(org_id="acme", name="Acme", timezone="America/New_York"))
    ana = store.add_worker(Worker(worker_id="w-ana", org_id=org.org_id, name="Ana Lopez", phone="+15550000001"))
    clock = FixedClock(datetime(2026, 11, 16, 12, 58, tzinfo=UTC))
    # When she texts an amount with three decimals
    command = parse("exp 12.500 fuel")
    assert isinstance(command, LogExpense)
    outcome = log_expense(command, ana, org, Origin(Channel.SMS), Ports(store=store, clock=clock))
    # Then it is logged, to the cent
    assert render(outcome, Style.SMS, org.tz) == (
        "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."
    )
    [expense] = store.worker_expenses("w-ana", date(2026, 11, 16), date(2026, 11, 16))
    assert str(expense.amount) == "12.50"


def test_the_service_words_its_refusals_like_the_grammar() -> None:
    refused = validate_amount(Decimal("12.505"), OPEN_ORG)
    assert refused == Outcome("bad_amount", {"problem": "amount_too_precise"}, ok=False)
    assert render(refused, Style.SLACK, OPEN_ORG.tz) == (
        "Amount must be at most 2 decimals, e.g. /expense 12.50 fuel. Nothing logged."
    )


def test_the_orgs_limit_is_the_one_number_quoted() -> None:
    # Given an org whose own limit is 10,000 (the default)
    org = Org(org_id="acme", name="Acme", timezone="UTC")
    # When a worker texts an amount far above it, and one just above it
    for typed in ("exp 99999999 fuel", "exp 10000.01 fuel"):
        command = parse(typed)
        assert isinstance(command, LogExpense)
        refused = validate_amount(command.amount, org)
        # Then both are refused with the org's limit, never another number
        assert refused is not None
        assert render(refused, Style.SMS, org.tz) == "Amounts over 10,000 USD need your manager. Nothing logged."


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("12,50", "USD", "12.50"),
        ("12,50", "EUR", "12.50"),
        ("1,250", "USD", "1250"),
        ("1,250", "EUR", "1.25"),
        ("1.250", "EUR", "1250"),
        ("1.250", "USD", "1.25"),
        ("1.234,50", "EUR", "1234.50"),
        ("1,234.50", "USD", "1234.50"),
    ],
)
def test_separators_read_as_the_currency_writes_them(typed: str, currency: str, amount: str) -> None:
    from core.services.expenses import read_amount

    command = parse(f"exp {typed} {currency} fuel")
    assert isinstance(command, LogExpense)
    assert read_amount(command, currency) == Decimal(amount)
