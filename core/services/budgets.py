"""Monthly budgets per expense category: managers set them (chat or CLI), the notify side alerts.

Setting: `budget fuel 500` by text or `/punch budget fuel 500` in Slack, for managers as stored
now (one fresh read), or `punchclock budget set` for the operator. The budget is an org setting,
written on the org's version (a concurrent change is read again and retried once).

Alerting (the rules are core/domain/budgets.py): an expense in a budgeted category commits an
EXPENSE_LOGGED notice with it (core/services/expenses.py); the notify function, off the request
path, calls `alert_if_reached` for it: one query for the month's expenses of the org, and when a
threshold is reached one write that commits a BUDGET_ALERT notice together with a RepeatGuard
keyed on (org, category, month, threshold), held until long after the month. A redelivered
notice, a retried notify function and two expenses crossing at once all meet the claimed guard
(RepeatedChange): the alert notice is committed once, and `deliver` sends it once per manager.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core import commands as c
from core.domain import budgets as b
from core.domain.model import Expense, ExpenseStatus, Org, Worker
from core.domain.money import check_amount
from core.periods import local_today
from core.ports import Change, Conflict, Notice, NoticeKind, Outcome, RepeatedChange, RepeatGuard
from core.services.access import manager_now
from core.services.expenses import match_category
from core.services.ports import Ports
from core.store.keys import budget_alert_guard


@dataclass(frozen=True)
class BudgetLine:
    """One category's budget and what is spent of it in a month."""

    category: str
    budget: Decimal
    spent: Decimal

    @property
    def percent(self) -> int:
        return b.percent(self.spent, self.budget)

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "budget": _money(self.budget),
            "spent": _money(self.spent),
            "percent": self.percent,
        }


# -- managers: set, clear, list ------------------------------------------------------------------


def set_budget(cmd: c.SetBudget, manager: Worker, org: Org, ports: Ports) -> Outcome:
    """A manager's `budget fuel 500` / `budget fuel off` (the role read fresh: a manager's power)."""
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    return change_budget(org.org_id, cmd.category, cmd.amount, ports, cmd.currency)


def list_budgets(manager: Worker, org: Org, ports: Ports) -> Outcome:
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    org = ports.store.get_org(org.org_id, fresh=True) or org  # a budget just set in another container shows
    month = this_month(org, ports)
    lines = budget_lines(org, month, ports)
    if not lines:
        return Outcome("no_budgets", {"month": b.month_name(month)})
    data = {"month": b.month_name(month), "currency": org.currency, "lines": [line.to_json() for line in lines]}
    return Outcome("budgets", data)


def change_budget(
    org_id: str, typed: str, amount: Decimal | None, ports: Ports, currency: str | None = None
) -> Outcome:
    """Set (or with None remove) a category's monthly budget; what is spent of it this month.
    Bad input writes nothing. The operator's CLI calls this directly."""
    for _ in range(2):  # once more on the org as it is now, if it changed under us
        done = _try_change(org_id, typed, amount, currency, ports)
        if done is not None:
            break
    else:
        return Outcome("busy", ok=False)
    if isinstance(done, Outcome):
        return done
    saved, category = done
    if amount is None:
        return Outcome("budget_cleared", {"category": category})
    month = this_month(saved, ports)
    line = BudgetLine(category, amount, month_spending(saved, month, ports).get(category, Decimal(0)))
    return Outcome("budget_set", {**line.to_json(), "currency": saved.currency, "month": b.month_name(month)})


def _try_change(
    org_id: str, typed: str, amount: Decimal | None, currency: str | None, ports: Ports
) -> tuple[Org, str] | Outcome | None:
    """The org saved with the change and the category changed, a refusal, or None: the org
    changed between the read and the write (read it again)."""
    org = ports.store.get_org(org_id, fresh=True)
    if org is None:
        return Outcome("not_registered", ok=False)
    category = _category_or_refusal(org, typed, amount, currency)
    if isinstance(category, Outcome):
        return category
    try:
        return ports.store.save_budgets(b.with_budget(org, category, amount)), category
    except Conflict:
        return None


def _category_or_refusal(org: Org, typed: str, amount: Decimal | None, currency: str | None) -> str | Outcome:
    """The org's category the manager meant, or why the change is refused (nothing is written)."""
    category, matched = match_category(typed, org)
    if not matched:
        return Outcome(
            "budget_unknown_category", {"category": typed, "categories": list(org.expense_categories)}, ok=False
        )
    if amount is None:
        return (
            category
            if org.budget_for(category) is not None
            else Outcome("budget_not_set", {"category": category}, ok=False)
        )
    problem = check_amount(amount)
    if problem is not None:
        return Outcome("bad_budget", {"problem": problem}, ok=False)
    if currency is not None and currency.upper() != org.currency:
        return Outcome("budget_currency", {"currency": org.currency}, ok=False)
    return category


# -- what is spent -------------------------------------------------------------------------------


def this_month(org: Org, ports: Ports) -> date:
    """The first day of the current month on the org's clock."""
    return b.month_start(local_today(org.tz, ports.clock.now()))


def counts(expense: Expense, org: Org) -> bool:
    """Whether an expense counts against a budget: in the org's currency, and not rejected."""
    return expense.currency == org.currency and expense.status is not ExpenseStatus.REJECTED


def month_spending(org: Org, month: date, ports: Ports) -> dict[str, Decimal]:
    """What the org spent per category in `month` (one query of the org's expenses, plus pages)."""
    spent: dict[str, Decimal] = {}
    for expense in ports.store.org_expenses(org.org_id, *b.month_bounds(month)):
        if counts(expense, org):
            spent[expense.category] = spent.get(expense.category, Decimal(0)) + expense.amount
    return spent


def budget_lines(org: Org, month: date, ports: Ports) -> list[BudgetLine]:
    """Each budgeted category with what is spent of it in `month`, in the org's category order."""
    if not org.budgets:
        return []
    spent = month_spending(org, month, ports)
    order = {name: i for i, name in enumerate(org.expense_categories)}
    ordered = sorted(org.budgets, key=lambda pair: (order.get(pair[0], len(order)), pair[0]))
    return [BudgetLine(name, amount, spent.get(name, Decimal(0))) for name, amount in ordered]


# -- alerts (the notify side) --------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    """What an EXPENSE_LOGGED notice says of its expense: as much as a budget needs."""

    expense_id: str
    amount: Decimal
    currency: str
    category: str
    spent_on: date

    @classmethod
    def of(cls, notice: Notice) -> Logged | None:
        d = notice.data
        try:
            return cls(
                expense_id=str(d["expense_id"]),
                amount=Decimal(str(d["amount"])),
                currency=str(d["currency"]),
                category=str(d["category"]),
                spent_on=date.fromisoformat(str(d["spent_on"])),
            )
        except (KeyError, ValueError, ArithmeticError):
            return None


def alert_if_reached(notice: Notice, org: Org, ports: Ports) -> Notice | None:
    """For an EXPENSE_LOGGED notice: commit the managers' BUDGET_ALERT notice if the month's
    spending in its category has reached a threshold not alerted yet. The notice committed now,
    or None (nothing reached, or alerted already: by a retry, a redelivery or a concurrent run)."""
    logged = Logged.of(notice)
    budget = org.budget_for(logged.category) if logged is not None else None
    if logged is None or budget is None or logged.currency != org.currency:
        return None
    month = b.month_start(logged.spent_on)
    # The index behind the query is eventually consistent: the expense just logged counts even if
    # it does not show yet. Of two expenses logged at once, each check counts itself and the later
    # one the other too, unless the index lags behind the stream (milliseconds against the stream's
    # fraction of a second); then the next expense of the category and month alerts.
    others = [
        e
        for e in ports.store.org_expenses(org.org_id, *b.month_bounds(month))
        if e.category == logged.category and e.expense_id != logged.expense_id and counts(e, org)
    ]
    spent = sum((e.amount for e in others), logged.amount)
    level = b.reached(spent, budget)
    if level is None:
        return None
    line = BudgetLine(logged.category, budget, spent)
    data = {**line.to_json(), "level": level, "currency": org.currency, "month": b.month_name(month)}
    guard_key = budget_alert_guard(org.org_id, logged.category, b.month_name(month), level)
    alert = Notice(NoticeKind.BUDGET_ALERT, org.org_id, "", data, notice_id=_alert_id(guard_key), channel="system")
    now = ports.clock.now()
    guard = RepeatGuard(guard_key, now, b.alerts_kept_until(org, month), Outcome("budget_alert", data))
    try:
        ports.store.commit(Change(org_id=org.org_id, notices=(alert,), unless_repeat=guard))
    except (RepeatedChange, Conflict):  # alerted already (Conflict: its notice is there, the guard expired)
        return None
    return alert


def _alert_id(guard_key: str) -> str:
    """The same alert always has the same notice id (no category or org name inside a key)."""
    return "budget-" + hashlib.sha256(guard_key.encode()).hexdigest()[:32]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"
