"""Logging expenses: validated amount, the org's category, the worker's local date, approval when due."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from core import commands as c
from core.domain import transitions as t
from core.domain.categories import FALLBACK_CATEGORY
from core.domain.categories import match_category as match_word
from core.domain.ids import new_id
from core.domain.model import Expense, ExpenseStatus, Org, PendingExpense, Worker
from core.domain.money import check_amount, parse_amount, writes_decimal_comma
from core.periods import local_today
from core.ports import Change, DuplicateDelivery, NoticeKind, Outcome, RepeatedChange, RepeatGuard, StaleWorker
from core.services.access import unusable
from core.services.ports import Ports

# How far back an expense may be dated, in the worker's local days: a receipt found in a pocket
# weeks later is fine, a date nobody can report on (year 1) is a typo.
EXPENSE_LOOKBACK_DAYS = 90
# A door whose requests carry no id of their own to the core (a text resent as a new message, a
# Slack command typed again) passes this: the same expense again within it (its answer was lost,
# or late) is the same expense, not a second one. Adding a word logs another.
REPEAT_WINDOW = timedelta(minutes=10)


def expense_days(today: date) -> tuple[date, date]:
    """The first and last day an expense may be dated, given the worker's local `today`."""
    return today - timedelta(days=EXPENSE_LOOKBACK_DAYS), today


def match_category(word: str, org: Org) -> tuple[str, bool]:
    """The org's category for what the user typed, synonyms and small typos included; (category, matched)."""
    return match_word(word, org.expense_categories, org.expense_synonyms)


def categories_outcome(org: Org) -> Outcome:
    """`EXP ?`: the org's categories, as the reply lists them."""
    return Outcome("expense_categories", {"categories": list(org.expense_categories)})


def money(amount: Decimal) -> str:
    """An amount as replies quote it: `10,000`, `12.50` (thousands grouped, no exponent)."""
    whole = amount == amount.to_integral_value()
    return f"{amount:,.0f}" if whole else f"{amount:,.2f}"


def validate_amount(amount: Decimal, org: Org) -> Outcome | None:
    """The money rule the grammar applies too (core/domain/money.py), then the org's own limit:
    the one number every reply about an amount's size quotes."""
    problem = check_amount(amount)
    if problem is not None:
        return Outcome("bad_amount", {"problem": problem}, ok=False)
    if amount > org.expense_limit:
        return Outcome("amount_over_limit", {"limit": money(org.expense_limit), "currency": org.currency}, ok=False)
    return None


def read_amount(cmd: c.LogExpense, currency: str) -> Decimal:
    """The amount as the currency writes it: `1.250` in euros is 1250 (the grammar read it as 1.25)."""
    if cmd.typed and writes_decimal_comma(currency):
        again = parse_amount(cmd.typed, decimal_comma=True)
        if again is not None:
            return -again if cmd.amount < 0 else again
    return cmd.amount


def needs_approval(amount: Decimal, org: Org) -> bool:
    """Above the org's threshold (0 by default: every expense) an expense waits for a manager."""
    return amount > org.expense_approval_above


def log_expense(
    cmd: c.LogExpense,
    worker: Worker,
    org: Org,
    origin: t.Origin,
    ports: Ports,
    receipt_key: str | None = None,
    repeat_window: timedelta | None = None,
) -> Outcome:
    """Log one expense. With `repeat_window`, the same expense (amount, currency, category, note,
    day) logged again within that window is answered as `expense_repeated` and not stored twice:
    for doors whose retries carry new ids (a worker resending a text whose answer was lost)."""
    currency = (cmd.currency or org.currency).upper()
    amount = read_amount(cmd, currency)
    problem = validate_amount(amount, org)
    if problem is not None:
        return problem
    now: datetime = ports.clock.now()
    today = local_today(worker.zone(org), now)
    first, last = expense_days(today)
    spent_on = cmd.spent_on or today
    if not first <= spent_on <= last:
        return Outcome("bad_expense_date", {"first": first.isoformat(), "last": last.isoformat()}, ok=False)
    category, matched = match_category(cmd.category, org)
    note = cmd.note
    if not matched and cmd.category.lower() != FALLBACK_CATEGORY:
        note = f"{cmd.category} {note}".strip() if note else cmd.category  # keep the word the user chose
    waits = needs_approval(amount, org)
    expense = Expense(
        expense_id=new_id(now),
        worker_id=worker.worker_id,
        org_id=worker.org_id,
        amount=amount,
        currency=currency,
        category=category,
        spent_on=spent_on,
        recorded_at=now,
        channel=origin.channel,
        note=note,
        receipt_key=receipt_key,
        status=ExpenseStatus.SUBMITTED if waits else ExpenseStatus.APPROVED,
        needs_approval=waits,
    )
    data = {
        "expense_id": expense.expense_id,
        "amount": str(expense.amount),
        "currency": expense.currency,
        "category": category,
        "spent_on": expense.spent_on.isoformat(),
        "receipt": bool(receipt_key),
        "pending": waits,
    }
    outcome = Outcome("expense_logged", data)
    # A Slack Home tab lists the week's expenses; a budgeted category's month may have reached a
    # threshold, which the notify function checks off the request path (core/services/budgets.py);
    # managers are asked when it waits for them. Otherwise there is nobody to tell. The notices
    # ride in the expense's own write: no extra call.
    budgeted = expense.currency == org.currency and org.budget_for(category) is not None
    tell = worker.slack_user_id or budgeted
    notices = [t.new_notice(NoticeKind.EXPENSE_LOGGED, worker, origin, now, data)] if tell else []
    opened = _pending(expense) if waits else None
    if opened is not None:
        notices.append(t.new_notice(NoticeKind.EXPENSE_SUBMITTED, worker, origin, now, expense_notice_data(opened)))
    key = origin.delivery_key
    guard = RepeatGuard(_fingerprint(expense), now, now + repeat_window, outcome) if repeat_window else None
    try:
        change = Change(
            org_id=worker.org_id,
            expense=expense,
            by_active_worker=worker.worker_id,
            unless_repeat=guard,
            notices=tuple(notices),
            opened_expense=opened,
            also_answers=origin.next_delivery_key,
        )
        ports.store.commit(change, (key, outcome) if key else None)
    except DuplicateDelivery as dup:
        return dup.outcome
    except RepeatedChange as repeat:
        return Outcome("expense_repeated", repeat.outcome.data, ok=False)
    except StaleWorker as switched_off:  # the container's cached worker was still active
        return unusable(switched_off.current) or Outcome("deactivated", ok=False)
    return outcome


def _pending(expense: Expense) -> PendingExpense:
    return PendingExpense(
        org_id=expense.org_id,
        worker_id=expense.worker_id,
        expense_id=expense.expense_id,
        spent_on=expense.spent_on,
        amount=expense.amount,
        currency=expense.currency,
        category=expense.category,
        recorded_at=expense.recorded_at,
        note=expense.note,
        channel=expense.channel,
    )


def expense_notice_data(pending: PendingExpense) -> dict[str, object]:
    """What a notice about a waiting expense carries (JSON), enough to ask about it and to tell of it."""
    return {
        "expense_id": pending.expense_id,
        "spent_on": pending.spent_on.isoformat(),
        "amount": str(pending.amount),
        "currency": pending.currency,
        "category": pending.category,
        "note": pending.note,
        "recorded_at": t.iso(pending.recorded_at),
    }


def _fingerprint(expense: Expense) -> str:
    """What makes two expenses the same one typed twice: who, how much, what for, which day."""
    amount = format(expense.amount.normalize(), "f")  # 12.5 and 12.50 are one amount
    parts = (expense.worker_id, amount, expense.currency, expense.category, (expense.note or "").casefold())
    raw = "\x1f".join((*parts, expense.spent_on.isoformat()))
    return "expense-" + hashlib.sha256(raw.encode()).hexdigest()[:32]
