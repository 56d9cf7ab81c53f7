"""Reminders: what a worker should hear unasked, and when, as a function of their state.

A worker's state (core/domain/model.py) says everything needed: the shift and when it began,
whether "still clocked in?" was asked and not answered, whether a meal was taken or reminded of,
the break and whether it was reminded of. `due_reminders` turns that into the reminders that
must fire and when; every transition stores the difference with the state it commits, so the
store keeps one item per worker on shift with the time the first is due (`next_due`), in a
sparse index the reminder sweep reads by time: its cost grows with open shifts, not with
workers or history. Firing a reminder is a transition like any other (asked_at, meal_reminded,
reminded are set in the same write as its notice), so a reminder is sent once per condition
per shift, however often the sweep runs.

- FORGOT_CLOCK_OUT: "Still clocked in since 08:02 (9h 05m)? Reply OUT 17:30 or STILL", the
  org's threshold after the clock-in (or after STILL). Once asked, the shift remembers when.
- AUTO_CLOCK_OUT: asked and not answered until the org's maximum shift: the shift is closed at
  the time it was asked, as a correction waiting for a manager. Never a silent clock-out.
- LONG_BREAK: one reminder when a meal (rest) break runs longer than the policy.
- MEAL_DUE: under meal rules that owe a meal by a deadline, one reminder a little before it,
  unless a meal was taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.domain.model import BreakKind, Org, WorkerState

REMINDER_REASON = "reminder"  # an `OUT 17:30` that answers a reminder, as the manager reads it
AUTO_CLOCK_OUT_REASON = "automatic clock-out"  # a shift closed after an unanswered reminder


class ReminderKind(StrEnum):
    FORGOT_CLOCK_OUT = "forgot_clock_out"
    AUTO_CLOCK_OUT = "auto_clock_out"
    LONG_BREAK = "long_break"
    MEAL_DUE = "meal_due"


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    worker_id: str
    org_id: str
    shift_id: str
    due_at: datetime


def due_reminders(org: Org, worker_id: str, state: WorkerState) -> dict[ReminderKind, Reminder]:
    """The reminders this state owes, by kind (at most one of each)."""
    shift = state.shift
    if shift is None:
        return {}
    policy = org.reminders
    due: dict[ReminderKind, datetime] = {}
    if shift.asked_at is None:
        ask_from = shift.ask_at or shift.started_at + timedelta(minutes=policy.forgot_clock_out_minutes)
        due[ReminderKind.FORGOT_CLOCK_OUT] = ask_from
    else:
        waited = policy.max_shift_minutes - policy.forgot_clock_out_minutes
        due[ReminderKind.AUTO_CLOCK_OUT] = shift.asked_at + timedelta(minutes=max(waited, 0))
    first_meal = org.meal_rule_set.meals[0] if org.meal_rule_set.meals else None
    if first_meal is not None and first_meal.start_by is not None and not (shift.meal_taken or shift.meal_reminded):
        minutes = first_meal.start_by - policy.meal_due_warning_minutes
        due[ReminderKind.MEAL_DUE] = shift.started_at + timedelta(minutes=max(minutes, 0))
    brk = state.on_break
    if brk is not None and not brk.reminded:
        minutes = policy.long_break_minutes if brk.kind is BreakKind.MEAL else policy.long_rest_minutes
        due[ReminderKind.LONG_BREAK] = brk.started_at + timedelta(minutes=minutes)
    return {kind: Reminder(kind, worker_id, org.org_id, shift.shift_id, at) for kind, at in due.items()}


def next_due(org: Org, state: WorkerState) -> datetime | None:
    """When this state's first reminder is due; None when it owes none (the worker is off)."""
    due = due_reminders(org, "", state)
    return min((reminder.due_at for reminder in due.values()), default=None)


def fire_now(org: Org, worker_id: str, state: WorkerState, now: datetime) -> list[Reminder]:
    """The reminders to send now. An automatic clock-out goes alone: the others are moot then."""
    due = [reminder for reminder in due_reminders(org, worker_id, state).values() if reminder.due_at <= now]
    auto = [reminder for reminder in due if reminder.kind is ReminderKind.AUTO_CLOCK_OUT]
    return auto or due
