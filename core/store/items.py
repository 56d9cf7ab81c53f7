"""Entity <-> item mapping. Items here are plain Python dicts (str, Decimal, bool, list, dict);
the DynamoDB store turns them into attribute values.

Each entity owns its key format (core/store/keys.py) and its index attributes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from core.domain.durations import ROUNDING_CHOICES
from core.domain.meal_rules import RULE_SETS
from core.domain.model import (
    BreakInfo,
    BreakKind,
    BreakPolicy,
    Channel,
    Correction,
    CorrectionDecision,
    Decision,
    Expense,
    ExpenseDecision,
    ExpenseStatus,
    Org,
    OvertimePolicy,
    PayPeriod,
    PendingCorrection,
    PendingExpense,
    PendingItem,
    PeriodLock,
    Punch,
    PunchKind,
    ReminderPolicy,
    Role,
    ShiftInfo,
    Status,
    Worker,
    WorkerState,
)
from core.domain.pending import ManagerView, Numbered
from core.domain.schedule import Job, JobRun
from core.ports import ApprovalMessage, Invite, Notice, NoticeKind, ReminderSlot
from core.store import keys

Item = dict[str, Any]


def _opt_stamp(at: datetime | None) -> str | None:
    return keys.stamp(at) if at else None


def _opt_parse(text: str | None) -> datetime | None:
    return keys.parse_stamp(text) if text else None


def _drop_none(item: Item) -> Item:
    return {k: v for k, v in item.items() if v is not None}


# organisations ---------------------------------------------------------------


def org_to_item(org: Org) -> Item:
    bp, rp = org.break_policy, org.reminders
    return _drop_none(
        {
            **keys.org_key(org.org_id),
            "GSI1PK": keys.ORGS_INDEX_PK,
            "GSI1SK": org.org_id,
            "type": "org",
            "org_id": org.org_id,
            "name": org.name,
            "timezone": org.timezone,
            "workday_start": org.workday_start.strftime("%H:%M"),
            "workweek_start": org.workweek_start,
            "overtime_policy": org.overtime_policy.value,
            "break_policy": {
                "meal_unpaid": bp.meal_unpaid,
                "rest_paid": bp.rest_paid,
                "default_kind": bp.default_kind.value,
                "min_meal_minutes": bp.min_meal_minutes,
                "short_meal_paid": bp.short_meal_paid,
                "meal_rules": bp.meal_rules,
                "first_meal_waiver": bp.first_meal_waiver,
                "second_meal_waiver": bp.second_meal_waiver,
            },
            "reminders": {
                "forgot_clock_out_minutes": rp.forgot_clock_out_minutes,
                "max_shift_minutes": rp.max_shift_minutes,
                "long_break_minutes": rp.long_break_minutes,
                "long_rest_minutes": rp.long_rest_minutes,
                # before a meal is due; the old "meal_due_warning_minutes" meant something else
                "meal_warning_minutes": rp.meal_due_warning_minutes,
            },
            "daily_summary_time": org.daily_summary_time.strftime("%H:%M"),
            "weekly_report_time": org.weekly_report_time.strftime("%H:%M"),
            "manager_emails": list(org.manager_emails),
            "currency": org.currency,
            "expense_categories": list(org.expense_categories),
            "expense_limit": org.expense_limit,
            "budgets": dict(org.budgets) or None,  # category -> monthly amount; absent: none
            "slack_team_id": org.slack_team_id,
            "auto_enroll_slack": org.auto_enroll_slack,
            "rounding_minutes": org.rounding_minutes or None,
            "version": org.version,
            "pay_period": org.pay_period.value,
            "pay_period_anchor": org.pay_period_anchor.isoformat() if org.pay_period_anchor else None,
            "expense_approval_above": org.expense_approval_above,
            "expense_synonyms": [list(pair) for pair in org.expense_synonyms],
        }
    )


def org_from_item(item: Item) -> Org:
    bp, rp = item.get("break_policy") or {}, item.get("reminders") or {}
    return Org(
        org_id=item["org_id"],
        name=item["name"],
        timezone=item["timezone"],
        workday_start=time.fromisoformat(item["workday_start"]),
        workweek_start=int(item["workweek_start"]),
        overtime_policy=OvertimePolicy(item["overtime_policy"]),
        break_policy=BreakPolicy(
            meal_unpaid=bool(bp.get("meal_unpaid", True)),
            rest_paid=bool(bp.get("rest_paid", True)),
            default_kind=BreakKind(bp.get("default_kind", "rest")),
            min_meal_minutes=int(bp.get("min_meal_minutes", 30)),
            short_meal_paid=bool(bp.get("short_meal_paid", True)),
            meal_rules=bp.get("meal_rules") if bp.get("meal_rules") in RULE_SETS else None,
            first_meal_waiver=bool(bp.get("first_meal_waiver", True)),
            second_meal_waiver=bool(bp.get("second_meal_waiver", False)),
        ),
        reminders=ReminderPolicy(
            forgot_clock_out_minutes=int(rp.get("forgot_clock_out_minutes", 540)),
            max_shift_minutes=int(rp.get("max_shift_minutes", 840)),
            long_break_minutes=int(rp.get("long_break_minutes", 45)),
            long_rest_minutes=int(rp.get("long_rest_minutes", 15)),
            meal_due_warning_minutes=int(rp.get("meal_warning_minutes", 15)),
        ),
        daily_summary_time=time.fromisoformat(item["daily_summary_time"]),
        weekly_report_time=time.fromisoformat(item.get("weekly_report_time", "08:00")),
        manager_emails=tuple(item.get("manager_emails") or ()),
        currency=item["currency"],
        expense_categories=tuple(item.get("expense_categories") or ()),
        expense_limit=Decimal(item["expense_limit"]),
        budgets=tuple(sorted((str(name), Decimal(amount)) for name, amount in (item.get("budgets") or {}).items())),
        slack_team_id=item.get("slack_team_id"),
        auto_enroll_slack=bool(item.get("auto_enroll_slack", False)),
        rounding_minutes=_rounding(item.get("rounding_minutes")),
        version=int(item.get("version", 0)),
        pay_period=PayPeriod(item.get("pay_period", PayPeriod.WEEKLY.value)),
        pay_period_anchor=date.fromisoformat(item["pay_period_anchor"]) if item.get("pay_period_anchor") else None,
        expense_approval_above=Decimal(item.get("expense_approval_above", 0)),
        expense_synonyms=tuple((str(word), str(category)) for word, category in item.get("expense_synonyms") or ()),
    )


def _rounding(stored: Any) -> int:
    """An org's report rounding as stored; a value no longer offered reads as none (raw punches)."""
    value = int(stored or 0)
    return value if value in ROUNDING_CHOICES else 0


# workers ---------------------------------------------------------------------


def _shift_to_map(shift: ShiftInfo | None) -> Item | None:
    if shift is None:
        return None
    return _drop_none(
        {
            "shift_id": shift.shift_id,
            "started_at": keys.stamp(shift.started_at),
            "in_event_id": shift.in_event_id,
            "job": shift.job,
            "ended_at": _opt_stamp(shift.ended_at),
            "out_event_id": shift.out_event_id,
            "ask_at": _opt_stamp(shift.ask_at),
            "asked_at": _opt_stamp(shift.asked_at),
            "meal_taken": shift.meal_taken or None,
            "meal_reminded": shift.meal_reminded or None,
        }
    )


def _shift_from_map(raw: Item | None) -> ShiftInfo | None:
    if not raw:
        return None
    return ShiftInfo(
        shift_id=raw["shift_id"],
        started_at=keys.parse_stamp(raw["started_at"]),
        in_event_id=raw["in_event_id"],
        job=raw.get("job"),
        ended_at=_opt_parse(raw.get("ended_at")),
        out_event_id=raw.get("out_event_id"),
        ask_at=_opt_parse(raw.get("ask_at")),
        asked_at=_opt_parse(raw.get("asked_at")),
        meal_taken=bool(raw.get("meal_taken")),
        meal_reminded=bool(raw.get("meal_reminded")),
    )


def _break_to_map(brk: BreakInfo) -> Item:
    item: Item = {"started_at": keys.stamp(brk.started_at), "kind": brk.kind.value, "event_id": brk.event_id}
    if brk.reminded:
        item["reminded"] = True
    return item


def _state_to_map(state: WorkerState) -> Item:
    brk = state.on_break
    return _drop_none(
        {
            "status": state.status.value,
            "shift": _shift_to_map(state.shift),
            "on_break": _break_to_map(brk) if brk else None,
            "last_shift": _shift_to_map(state.last_shift),
            "since": _opt_stamp(state.since),
        }
    )


def _state_from_map(raw: Item | None) -> WorkerState:
    if not raw:
        return WorkerState()
    brk = raw.get("on_break")
    return WorkerState(
        status=Status(raw.get("status", "off")),
        shift=_shift_from_map(raw.get("shift")),
        on_break=(
            BreakInfo(
                keys.parse_stamp(brk["started_at"]), BreakKind(brk["kind"]), brk["event_id"], bool(brk.get("reminded"))
            )
            if brk
            else None
        ),
        last_shift=_shift_from_map(raw.get("last_shift")),
        since=_opt_parse(raw.get("since")),
    )


def worker_to_item(worker: Worker) -> Item:
    item: Item = {
        **keys.worker_key(worker.worker_id),
        "GSI1PK": keys.org_workers_pk(worker.org_id),
        "GSI1SK": f"{worker.name.lower()}#{worker.worker_id}",
        "type": "worker",
        "worker_id": worker.worker_id,
        "org_id": worker.org_id,
        "name": worker.name,
        "role": worker.role.value,
        "timezone": worker.timezone,
        "phone": worker.phone,
        "slack_team_id": worker.slack_team_id,
        "slack_user_id": worker.slack_user_id,
        "email": worker.email,
        "sms_opted_out": worker.sms_opted_out,
        "active": worker.active,
        "language": worker.language,
        "state": _state_to_map(worker.state),
        "version": worker.version,
    }
    if worker.state.status is not Status.OFF:
        # Sparse index: only workers on shift or on break appear in it (reminders, team board).
        item["GSI2PK"] = keys.org_open_pk(worker.org_id)
        item["GSI2SK"] = f"{worker.state.status.value}#{_opt_stamp(worker.state.since) or ''}#{worker.worker_id}"
    return _drop_none(item)


def reminder_to_item(worker_id: str, due_at: datetime) -> Item:
    return {
        **keys.reminder_key(worker_id),
        "GSI1PK": keys.REMINDERS_INDEX_PK,
        "GSI1SK": keys.due_sk(due_at, worker_id),
        "type": "reminder",
        "worker_id": worker_id,
        "due_at": keys.stamp(due_at),
    }


def job_to_item(run: JobRun) -> Item:
    return {
        **keys.job_key(run.org_id, run.job.value),
        "GSI1PK": keys.JOBS_INDEX_PK,
        "GSI1SK": keys.due_sk(run.due_at, f"{run.org_id}#{run.job.value}"),
        "type": "job",
        "org_id": run.org_id,
        "job": run.job.value,
        "due_at": keys.stamp(run.due_at),
        "period": run.period.isoformat(),
    }


def job_from_item(item: Item) -> JobRun:
    return JobRun(
        item["org_id"], Job(item["job"]), keys.parse_stamp(item["due_at"]), date.fromisoformat(item["period"])
    )


def reminder_from_item(item: Item) -> ReminderSlot:
    return ReminderSlot(item["worker_id"], keys.parse_stamp(item["due_at"]))


def worker_from_item(item: Item) -> Worker:
    return Worker(
        worker_id=item["worker_id"],
        org_id=item["org_id"],
        name=item["name"],
        role=Role(item.get("role", "worker")),
        timezone=item.get("timezone"),
        phone=item.get("phone"),
        slack_team_id=item.get("slack_team_id"),
        slack_user_id=item.get("slack_user_id"),
        email=item.get("email"),
        sms_opted_out=bool(item.get("sms_opted_out", False)),
        active=bool(item.get("active", True)),
        language=item.get("language"),
        state=_state_from_map(item.get("state")),
        version=int(item.get("version", 0)),
    )


# events ----------------------------------------------------------------------


def punch_to_item(p: Punch) -> Item:
    corr = p.correction
    return _drop_none(
        {
            "PK": keys.worker_pk(p.worker_id),
            "SK": keys.event_sk(p.at, p.event_id),
            "GSI1PK": keys.org_events_pk(p.org_id),
            "GSI1SK": keys.org_event_sk(p.at, p.event_id),
            "type": "punch",
            "event_id": p.event_id,
            "worker_id": p.worker_id,
            "org_id": p.org_id,
            "kind": p.kind.value,
            "at": keys.stamp(p.at),
            "recorded_at": keys.stamp(p.recorded_at),
            "channel": p.channel.value,
            "actor_id": p.actor_id,
            "shift_id": p.shift_id,
            "job": p.job,
            "note": p.note,
            "break_kind": p.break_kind.value if p.break_kind else None,
            "correction": (
                _drop_none(
                    {"reason": corr.reason, "amends": corr.amends, "follows": corr.follows, "adds": corr.adds or None}
                )
                if corr
                else None
            ),
            "sent_at": _opt_stamp(p.sent_at),
        }
    )


def punch_from_item(item: Item) -> Punch:
    corr = item.get("correction")
    return Punch(
        event_id=item["event_id"],
        worker_id=item["worker_id"],
        org_id=item["org_id"],
        kind=PunchKind(item["kind"]),
        at=keys.parse_stamp(item["at"]),
        recorded_at=keys.parse_stamp(item["recorded_at"]),
        channel=Channel(item["channel"]),
        actor_id=item["actor_id"],
        shift_id=item["shift_id"],
        job=item.get("job"),
        note=item.get("note"),
        break_kind=BreakKind(item["break_kind"]) if item.get("break_kind") else None,
        correction=(
            Correction(
                reason=corr["reason"],
                amends=corr.get("amends"),
                follows=corr.get("follows"),
                adds=bool(corr.get("adds")),
            )
            if corr
            else None
        ),
        sent_at=_opt_parse(item.get("sent_at")),
    )


def decision_to_item(d: CorrectionDecision, target_at: datetime) -> Item:
    # Keyed at the corrected punch's time, so a timesheet query that finds the punch finds its decision.
    return _drop_none(
        {
            "PK": keys.worker_pk(d.worker_id),
            "SK": keys.event_sk(target_at, d.event_id),
            "GSI1PK": keys.org_events_pk(d.org_id),
            "GSI1SK": keys.org_event_sk(target_at, d.event_id),
            "type": "decision",
            "event_id": d.event_id,
            "worker_id": d.worker_id,
            "org_id": d.org_id,
            "target_event_id": d.target_event_id,
            "decision": d.decision.value,
            "decided_by": d.decided_by,
            "decided_at": keys.stamp(d.decided_at),
            "channel": d.channel.value,
            "note": d.note,
        }
    )


def decision_from_item(item: Item) -> CorrectionDecision:
    return CorrectionDecision(
        event_id=item["event_id"],
        worker_id=item["worker_id"],
        org_id=item["org_id"],
        target_event_id=item["target_event_id"],
        decision=Decision(item["decision"]),
        decided_by=item["decided_by"],
        decided_at=keys.parse_stamp(item["decided_at"]),
        channel=Channel(item["channel"]),
        note=item.get("note"),
    )


def pending_to_item(p: PendingCorrection) -> Item:
    return _drop_none(
        {
            **keys.pending_key(p.org_id, p.recorded_at, p.event_id),
            "type": "pending",
            "org_id": p.org_id,
            "worker_id": p.worker_id,
            "event_id": p.event_id,
            "kind": p.kind.value,
            "claimed_at": keys.stamp(p.claimed_at),
            "recorded_at": keys.stamp(p.recorded_at),
            "reason": p.reason,
            "channel": p.channel.value if p.channel else None,
            "was": _opt_stamp(p.was),
            "until": _opt_stamp(p.until),
        }
    )


def pending_from_item(item: Item) -> PendingCorrection:
    return PendingCorrection(
        org_id=item["org_id"],
        worker_id=item["worker_id"],
        event_id=item["event_id"],
        kind=PunchKind(item["kind"]),
        claimed_at=keys.parse_stamp(item["claimed_at"]),
        recorded_at=keys.parse_stamp(item["recorded_at"]),
        reason=item["reason"],
        channel=Channel(item["channel"]) if item.get("channel") else None,
        was=_opt_parse(item.get("was")),
        until=_opt_parse(item.get("until")),
    )


def pending_expense_to_item(p: PendingExpense) -> Item:
    return _drop_none(
        {
            **keys.pending_key(p.org_id, p.recorded_at, p.expense_id),
            "type": "pending_expense",
            "org_id": p.org_id,
            "worker_id": p.worker_id,
            "expense_id": p.expense_id,
            "spent_on": p.spent_on.isoformat(),
            "amount": p.amount,
            "currency": p.currency,
            "category": p.category,
            "recorded_at": keys.stamp(p.recorded_at),
            "note": p.note,
            "channel": p.channel.value if p.channel else None,
        }
    )


def pending_expense_from_item(item: Item) -> PendingExpense:
    return PendingExpense(
        org_id=item["org_id"],
        worker_id=item["worker_id"],
        expense_id=item["expense_id"],
        spent_on=date.fromisoformat(item["spent_on"]),
        amount=Decimal(item["amount"]),
        currency=item["currency"],
        category=item["category"],
        recorded_at=keys.parse_stamp(item["recorded_at"]),
        note=item.get("note"),
        channel=Channel(item["channel"]) if item.get("channel") else None,
    )


def pending_item_from_item(item: Item) -> PendingItem | None:
    """A marker of what waits for a manager; None for anything else the partition holds."""
    if item.get("type") == "pending":
        return pending_from_item(item)
    if item.get("type") == "pending_expense":
        return pending_expense_from_item(item)
    return None


# expenses --------------------------------------------------------------------


def expense_to_item(e: Expense) -> Item:
    return _drop_none(
        {
            "PK": keys.worker_pk(e.worker_id),
            "SK": keys.expense_sk(e.spent_on, e.expense_id),
            "GSI1PK": keys.org_expenses_pk(e.org_id),
            "GSI1SK": f"{e.spent_on.isoformat()}#{e.expense_id}",
            "type": "expense",
            "expense_id": e.expense_id,
            "worker_id": e.worker_id,
            "org_id": e.org_id,
            "amount": e.amount,
            "currency": e.currency,
            "category": e.category,
            "spent_on": e.spent_on.isoformat(),
            "recorded_at": keys.stamp(e.recorded_at),
            "channel": e.channel.value,
            "note": e.note,
            "receipt_key": e.receipt_key,
            "status": e.status.value,  # as logged (or imported); decisions are items of their own
            "needs_approval": e.needs_approval,
        }
    )


def expense_from_item(item: Item) -> Expense:
    # Expenses logged before approvals existed were accepted as they came: approved.
    needs_approval = item.get("needs_approval")
    status = ExpenseStatus(item.get("status", "submitted")) if needs_approval is not None else ExpenseStatus.APPROVED
    return Expense(
        expense_id=item["expense_id"],
        worker_id=item["worker_id"],
        org_id=item["org_id"],
        amount=Decimal(item["amount"]),
        currency=item["currency"],
        category=item["category"],
        spent_on=date.fromisoformat(item["spent_on"]),
        recorded_at=keys.parse_stamp(item["recorded_at"]),
        channel=Channel(item["channel"]),
        note=item.get("note"),
        receipt_key=item.get("receipt_key"),
        status=status,
        needs_approval=bool(needs_approval),
    )


def expense_decision_to_item(d: ExpenseDecision) -> Item:
    return _drop_none(
        {
            "PK": keys.worker_pk(d.worker_id),
            "SK": keys.expense_decision_sk(d.spent_on, d.expense_id, d.event_id),
            "GSI1PK": keys.org_expenses_pk(d.org_id),
            "GSI1SK": keys.org_expense_decision_sk(d.spent_on, d.expense_id, d.event_id),
            "type": "expense_decision",
            "event_id": d.event_id,
            "worker_id": d.worker_id,
            "org_id": d.org_id,
            "expense_id": d.expense_id,
            "spent_on": d.spent_on.isoformat(),
            "decision": d.decision.value,
            "decided_by": d.decided_by,
            "decided_at": keys.stamp(d.decided_at),
            "channel": d.channel.value,
            "note": d.note,
        }
    )


def expense_decision_from_item(item: Item) -> ExpenseDecision:
    return ExpenseDecision(
        event_id=item["event_id"],
        worker_id=item["worker_id"],
        org_id=item["org_id"],
        expense_id=item["expense_id"],
        spent_on=date.fromisoformat(item["spent_on"]),
        decision=Decision(item["decision"]),
        decided_by=item["decided_by"],
        decided_at=keys.parse_stamp(item["decided_at"]),
        channel=Channel(item["channel"]),
        note=item.get("note"),
    )


def expenses_from_items(found: Any) -> list[Expense]:
    """Expenses as decided: each with its latest decision applied (decisions sort after it)."""
    expenses: dict[str, Expense] = {}
    decisions: list[ExpenseDecision] = []
    for item in found:
        if item.get("type") == "expense_decision":
            decisions.append(expense_decision_from_item(item))
        elif item.get("type", "expense") == "expense":
            expense = expense_from_item(item)
            expenses[expense.expense_id] = expense
    for d in sorted(decisions, key=lambda d: d.decided_at):
        decided = expenses.get(d.expense_id)
        if decided is not None:
            status = ExpenseStatus.APPROVED if d.decision is Decision.APPROVED else ExpenseStatus.REJECTED
            expenses[d.expense_id] = replace(
                decided, status=status, decided_by=d.decided_by, decided_at=d.decided_at, decision_note=d.note
            )
    return list(expenses.values())


# pay periods, managers' views and their approval DMs ------------------------------------------


def period_lock_to_item(lock: PeriodLock) -> Item:
    return {
        **keys.period_lock_key(lock.org_id, lock.start),
        "type": "period_lock",
        "org_id": lock.org_id,
        "start": lock.start.isoformat(),
        "end": lock.end.isoformat(),
        "locked_by": lock.locked_by,
        "locked_at": keys.stamp(lock.locked_at),
    }


def period_lock_from_item(item: Item) -> PeriodLock:
    return PeriodLock(
        org_id=item["org_id"],
        start=date.fromisoformat(item["start"]),
        end=date.fromisoformat(item["end"]),
        locked_by=item["locked_by"],
        locked_at=keys.parse_stamp(item["locked_at"]),
    )


def manager_view_to_item(view: ManagerView, expires_at: int) -> Item:
    numbers = [
        {"n": e.number, "id": e.item_id, "name": e.name, **({"gone": keys.stamp(e.gone_at)} if e.gone_at else {})}
        for e in view.numbers
    ]
    return {
        **keys.manager_view_key(view.manager_id),
        "type": "view",
        "manager_id": view.manager_id,
        "payload": json.dumps(
            {"numbers": numbers, "offer": list(view.offer), "offered_at": _opt_stamp(view.offered_at)},
            separators=(",", ":"),
        ),
        "version": view.version,
        keys.TTL_ATTRIBUTE: expires_at,
    }


def manager_view_from_item(item: Item) -> ManagerView:
    payload = json.loads(item["payload"])
    numbers = tuple(
        Numbered(int(e["n"]), e["id"], e.get("name", ""), _opt_parse(e.get("gone"))) for e in payload["numbers"]
    )
    return ManagerView(
        manager_id=item["manager_id"],
        numbers=numbers,
        offer=tuple(payload.get("offer") or ()),
        offered_at=_opt_parse(payload.get("offered_at")),
        version=int(item.get("version", 0)),
    )


def approval_message_to_item(message: ApprovalMessage, expires_at: int) -> Item:
    return {
        **keys.approval_message_key(message.item_id, message.manager_id),
        "type": "approval_dm",
        "item_id": message.item_id,
        "manager_id": message.manager_id,
        "channel": message.channel,
        "ts": message.ts,
        **({"number": message.number} if message.number is not None else {}),
        keys.TTL_ATTRIBUTE: expires_at,
    }


def approval_message_from_item(item: Item) -> ApprovalMessage:
    number = int(item["number"]) if item.get("number") is not None else None
    return ApprovalMessage(item["item_id"], item["manager_id"], item["channel"], item["ts"], number)


# notices (the outbox) ----------------------------------------------------------

NOTICE_TTL_SECONDS = 14 * 24 * 3600  # longer than the stream keeps them (24 h); never time records


def notice_to_item(notice: Notice, recorded_at: datetime) -> Item:
    return _drop_none(
        {
            **keys.notice_key(notice.notice_id),
            "type": "notice",
            "notice_id": notice.notice_id,
            "kind": notice.kind.value,
            "org_id": notice.org_id,
            "worker_id": notice.worker_id,
            "channel": notice.channel,
            "data": json.dumps(notice.data, separators=(",", ":")),
            "recorded_at": keys.stamp(recorded_at),
            keys.TTL_ATTRIBUTE: int(recorded_at.timestamp()) + NOTICE_TTL_SECONDS,
        }
    )


def notice_from_item(item: Item) -> Notice:
    return Notice(
        kind=NoticeKind(item["kind"]),
        org_id=item["org_id"],
        worker_id=item["worker_id"],
        data=dict(json.loads(item.get("data") or "{}")),
        notice_id=item["notice_id"],
        channel=item.get("channel"),
    )


# invites ---------------------------------------------------------------------


def invite_to_item(inv: Invite) -> Item:
    return _drop_none(
        {
            **keys.invite_key(inv.code),
            "GSI1PK": keys.phone_invites_pk(inv.phone),
            "GSI1SK": inv.code,
            "type": "invite",
            "code": inv.code,
            "org_id": inv.org_id,
            "phone": inv.phone,
            "name": inv.name,
            "invited_by": inv.invited_by,
            "expires_at": keys.stamp(inv.expires_at),
            keys.TTL_ATTRIBUTE: int(inv.expires_at.timestamp()),
            "worker_id": inv.worker_id,
        }
    )


def invite_from_item(item: Item) -> Invite:
    return Invite(
        code=item["code"],
        org_id=item["org_id"],
        phone=item["phone"],
        name=item["name"],
        invited_by=item["invited_by"],
        expires_at=keys.parse_stamp(item["expires_at"]),
        worker_id=item.get("worker_id"),
    )
