"""One entry for every door: a parsed command and who sent it -> an Outcome."""

from __future__ import annotations

from core import commands as c
from core.domain.model import Org, Worker
from core.domain.transitions import Origin
from core.ports import Outcome
from core.services import (
    amendments,
    budgets,
    corrections,
    enrollment,
    expenses,
    language,
    periods,
    shifts,
    timesheets,
)
from core.services.ports import Ports


def handle(cmd: c.Command, worker: Worker, org: Org, origin: Origin, ports: Ports) -> Outcome:  # noqa: C901
    if not worker.active:
        return Outcome("deactivated", ok=False)  # records are kept; access is not
    match cmd:
        case c.ClockIn():
            return shifts.clock_in(cmd, worker, org, origin, ports)
        case c.ClockOut():
            return shifts.clock_out(cmd, worker, org, origin, ports)
        case c.StartBreak():
            return shifts.start_break(cmd, worker, org, origin, ports)
        case c.EndBreak():
            return shifts.end_break(worker, org, origin, ports)
        case c.ToggleBreak():
            return shifts.toggle_break(cmd, worker, org, origin, ports)
        case c.Status():
            return shifts.status(worker, org, ports)
        case c.Still():
            return shifts.still_working(worker, org, origin, ports)
        case c.LogExpense():
            return expenses.log_expense(cmd, worker, org, origin, ports)
        case c.AddBreak():
            return amendments.add_break(cmd, worker, org, origin, ports)
        case c.AddShift():
            return amendments.add_shift(cmd, worker, org, origin, ports)
        case c.ExpenseCategories():
            return expenses.categories_outcome(org)
        case c.Hours():
            return timesheets.hours(cmd, worker, org, ports)
        case c.Decide():
            return corrections.decide(worker, org, cmd, origin, ports)
        case c.Pending():
            return corrections.show_pending(worker, org, cmd.number, ports)
        case c.LockPeriod():
            return periods.lock_period(worker, org, cmd.on, ports)
        case c.Invite():
            return enrollment.invite(cmd, worker, org, origin, ports)
        case c.Team():
            return timesheets.team_board(worker, org, ports)
        case c.SetBudget():
            return budgets.set_budget(cmd, worker, org, ports)
        case c.Budgets():
            return budgets.list_budgets(worker, org, ports)
        case c.OptOut():
            return enrollment.set_sms_opt_out(worker, True, ports)
        case c.OptIn():
            return enrollment.set_sms_opt_out(worker, False, ports)
        case c.SetLanguage():
            return language.set_language(worker, cmd.language, ports)
        case c.Join():
            return Outcome("already_joined", ok=False)
        case c.Help():
            return Outcome(
                "help",
                {"topic": cmd.topic, "manager": worker.is_manager, "categories": list(org.expense_categories)},
            )
        case c.Unknown():
            return Outcome("unknown", {"problem": cmd.problem}, ok=False)
    return Outcome("unknown", {"problem": None}, ok=False)
