"""Logging expenses: validated amount, the org's category, the worker's local date."""

from __future__ import annotations

import difflib
import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from core import commands as c
from core.domain import transitions as t
from core.domain.ids import new_id
from core.domain.model import Expense, Org, Worker
from core.domain.money import check_amount
from core.periods import local_today
from core.ports import Change, DuplicateDelivery, NoticeKind, Outcome, RepeatedChange, RepeatGuard, StaleWorker
from core.services.access import unusable
from core.services.ports import Ports

FALLBACK_CATEGORY = "other"
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


def match_category(word: str, categories: tuple[str, ...]) -> tuple[str, bool]:
    """The org's category closest to what the user typed; (category, matched)."""
    wanted = word.strip().lower()
    names = {cat.lower(): cat for cat in categories}
    if wanted in names:
        return names[wanted], True
    plural = wanted.rstrip("s")
    for name, cat in names.items():
        if name.rstrip("s") == plural:
            return cat, True
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]], True
    return (names.get(FALLBACK_CATEGORY, FALLBACK_CATEGORY)), False


def validate_amount(amount: Decimal, org: Org) -> Outcome | None:
    """The money rule the grammar applies too (core/domain/money.py), then the org's own limit."""
    problem = check_amount(amount)
    if problem is not None:
        return Outcome("bad_amount", {"problem": problem}, ok=False)
    if amount > org.expense_limit:
        return Outcome("amount_over_limit", {"limit": str(org.expense_limit), "currency": org.currency}, ok=False)
    return None


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
    problem = validate_amount(cmd.amount, org)
    if problem is not None:
        return problem
    now: datetime = ports.clock.now()
    today = local_today(worker.zone(org), now)
    first, last = expense_days(today)
    spent_on = cmd.spent_on or today
    if not first <= spent_on <= last:
        return Outcome("bad_expense_date", {"first": first.isoformat(), "last": last.isoformat()}, ok=False)
    category, matched = match_category(cmd.category, org.expense_categories)
    note = cmd.note
    if not matched and cmd.category.lower() != FALLBACK_CATEGORY:
        note = f"{cmd.category} {note}".strip() if note else cmd.category  # keep the word the user chose
    expense = Expense(
        expense_id=new_id(now),
        worker_id=worker.worker_id,
        org_id=worker.org_id,
        amount=cmd.amount,
        currency=(cmd.currency or org.currency).upper(),
        category=category,
        spent_on=spent_on,
        recorded_at=now,
        channel=origin.channel,
        note=note,
        receipt_key=receipt_key,
    )
    data = {
        "expense_id": expense.expense_id,
        "amount": str(expense.amount),
        "currency": expense.currency,
        "category": category,
        "spent_on": expense.spent_on.isoformat(),
        "receipt": bool(receipt_key),
    }
    outcome = Outcome("expense_logged", data)
    # A Slack Home tab lists the week's expenses; a budgeted category's month may have reached a
    # threshold, which the notify function checks off the request path (core/services/budgets.py).
    # Otherwise there is nobody to tell. The notice rides in the expense's own write: no extra call.
    budgeted = expense.currency == org.currency and org.budget_for(category) is not None
    tell = worker.slack_user_id or budgeted
    notices = (t.new_notice(NoticeKind.EXPENSE_LOGGED, worker, origin, now, data),) if tell else ()
    key = origin.delivery_key
    guard = RepeatGuard(_fingerprint(expense), now, now + repeat_window, outcome) if repeat_window else None
    try:
        change = Change(
            org_id=worker.org_id,
            expense=expense,
            by_active_worker=worker.worker_id,
            unless_repeat=guard,
            notices=notices,
        )
        ports.store.commit(change, (key, outcome) if key else None)
    except DuplicateDelivery as dup:
        return dup.outcome
    except RepeatedChange as repeat:
        return Outcome("expense_repeated", repeat.outcome.data, ok=False)
    except StaleWorker as switched_off:  # the container's cached worker was still active
        return unusable(switched_off.current) or Outcome("deactivated", ok=False)
    return outcome


def _fingerprint(expense: Expense) -> str:
    """What makes two expenses the same one typed twice: who, how much, what for, which day."""
    amount = format(expense.amount.normalize(), "f")  # 12.5 and 12.50 are one amount
    parts = (expense.worker_id, amount, expense.currency, expense.category, (expense.note or "").casefold())
    raw = "\x1f".join((*parts, expense.spent_on.isoformat()))
    return "expense-" + hashlib.sha256(raw.encode()).hexdigest()[:32]
