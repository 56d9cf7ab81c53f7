"""The worker state machine as pure functions: off -> on shift -> on break -> on shift -> off.

Each planner takes the worker as last read, the command and now, and returns
either a Plan (the Change to commit and the Outcome to report) or a Refusal (an
Outcome and nothing to write). The store commits a Plan only if the worker has
not changed since (version check), so planning on a cached worker is safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from core.domain.durations import elapsed_minutes
from core.domain.ids import new_id
from core.domain.model import (
    BreakInfo,
    BreakKind,
    Channel,
    Correction,
    Org,
    PendingCorrection,
    Punch,
    PunchKind,
    ShiftInfo,
    Status,
    Worker,
    WorkerState,
)
from core.domain.reminders import (
    AUTO_CLOCK_OUT_REASON,
    Reminder,
    ReminderKind,
    fire_now,
    next_due,
)
from core.periods import local_instant, local_today, pay_period, previous_pay_period, resolve_local_time, workday_of
from core.ports import Change, Notice, NoticeKind, Outcome, ReminderSlot

# A provider's send time this far from our receipt time is kept beside the punch.
SEND_TIME_DRIFT = timedelta(minutes=2)


@dataclass(frozen=True)
class Origin:
    """Where a request came from: channel, the provider's delivery id, its send time."""

    channel: Channel
    delivery_id: str | None = None
    sent_at: datetime | None = None
    actor_id: str | None = None  # who acts, when not the worker (a manager, an import)
    # True when the delivery id is our guess from what was typed (Slack slash commands carry no id),
    # not the provider's: an earlier answer is replayed only while the worker is as it left them.
    guessed_id: bool = False
    # A guessed id is a window of time: the id the same words get in the next window, under which
    # the answer is stored too, so that a retype across the windows' edge finds it in its own write.
    next_delivery_id: str | None = None

    @property
    def delivery_key(self) -> str | None:
        return f"{self.channel.value}:{self.delivery_id}" if self.delivery_id else None

    @property
    def next_delivery_key(self) -> str | None:
        return f"{self.channel.value}:{self.next_delivery_id}" if self.next_delivery_id else None


@dataclass(frozen=True)
class Plan:
    change: Change
    outcome: Outcome


@dataclass(frozen=True)
class Refusal:
    outcome: Outcome


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def new_notice(kind: NoticeKind, worker: Worker, origin: Origin, now: datetime, data: Mapping[str, object]) -> Notice:
    """A notice about `worker`, with its own id (what makes sending it idempotent)."""
    return Notice(kind, worker.org_id, worker.worker_id, dict(data), new_id(now), origin.channel.value)


def refuse(code: str, **data: object) -> Refusal:
    return Refusal(Outcome(code, dict(data), ok=False))


def correction_notice_data(c: PendingCorrection) -> dict[str, object]:
    """What a notice about a waiting correction carries (JSON): enough to ask a manager about it."""
    return {
        "event_id": c.event_id,
        "kind": c.kind.value,
        "claimed_at": iso(c.claimed_at),
        "recorded_at": iso(c.recorded_at),
        "reason": c.reason,
        "was": iso(c.was),
        "until": iso(c.until),
    }


@dataclass(frozen=True)
class Context:
    worker: Worker
    org: Org
    now: datetime
    origin: Origin

    @property
    def state(self) -> WorkerState:
        return self.worker.state

    def punch(
        self,
        kind: PunchKind,
        shift_id: str,
        at: datetime | None = None,
        reason: str | None = None,
        amends: str | None = None,
        follows: str | None = None,
        adds: bool = False,
        **extra: object,
    ) -> Punch:
        sent_at = self.origin.sent_at
        if sent_at is not None and abs(sent_at - self.now) <= SEND_TIME_DRIFT:
            sent_at = None
        return Punch(
            event_id=new_id(self.now),
            worker_id=self.worker.worker_id,
            org_id=self.worker.org_id,
            kind=kind,
            at=at or self.now,
            recorded_at=self.now,
            channel=self.origin.channel,
            actor_id=self.origin.actor_id or self.worker.worker_id,
            shift_id=shift_id,
            correction=Correction(reason, amends, follows, adds) if reason else None,
            sent_at=sent_at,
            **extra,  # type: ignore[arg-type]
        )

    def plan(
        self,
        state: WorkerState,
        punches: list[Punch],
        outcome: Outcome,
        pending: list[PendingCorrection] | None = None,
        periods: tuple[date, ...] = (),
    ) -> Plan:
        """The change: the worker as `state`, the punches, the corrections that wait for a manager
        (each asked about in a notice), committed only while the pay `periods` it corrects are open."""
        opened = tuple(pending or ())
        notices = []
        if self.worker.slack_user_id:  # only a Slack Home tab shows the state
            notices.append(self.notice(NoticeKind.STATE_CHANGED, {"status": state.status.value}))
        notices += [self.notice(NoticeKind.CORRECTION_REQUESTED, correction_notice_data(c)) for c in opened]
        change = Change(
            org_id=self.worker.org_id,
            worker=self.worker.with_state(state),
            expected_version=self.worker.version,
            punches=tuple(punches),
            opened=opened,
            notices=tuple(notices),
            reminder=ReminderSlot(self.worker.worker_id, next_due(self.org, state)),
            unlocked_periods=periods,
        )
        return Plan(change, outcome)

    def asking(self, punch: Punch, was: datetime | None = None, until: datetime | None = None) -> PendingCorrection:
        """The marker that `punch`, a correction, waits for a manager. `was`: the time it replaces
        (or when it was told, which is when it counts if rejected); `until`: the end of a break or
        shift told with it."""
        return PendingCorrection(
            org_id=punch.org_id,
            worker_id=punch.worker_id,
            event_id=punch.event_id,
            kind=punch.kind,
            claimed_at=punch.at,
            recorded_at=punch.recorded_at,
            reason=punch.correction.reason if punch.correction else "",
            channel=punch.channel,
            was=was,
            until=until,
        )

    def open_periods(self, *claimed: datetime) -> tuple[date, ...] | Refusal:
        """The pay periods (by first day) corrections at `claimed` fall in, which must not be locked
        when they commit; a refusal when one is older than the previous period. The current period
        cannot be locked (only one that ended can), so only the previous one is ever checked."""
        if self.origin.channel is Channel.SYSTEM:
            return ()  # the reminder sweep closing a forgotten shift: never refused
        zone = self.worker.zone(self.org)
        today = workday_of(self.org, zone, self.now)
        current, previous = pay_period(self.org, today)[0], previous_pay_period(self.org, today)[0]
        needed: set[date] = set()
        for at in claimed:
            day = workday_of(self.org, zone, at)
            if day < previous:
                return refuse("too_old_to_correct", first=previous.isoformat())
            if day < current:
                needed.add(previous)
        return tuple(sorted(needed))

    def notice(self, kind: NoticeKind, data: Mapping[str, object]) -> Notice:
        """A notice about this worker, for the outbox of the change being planned."""
        return new_notice(kind, self.worker, self.origin, self.now, data)

    def claimed(self, wall: time) -> datetime:
        return resolve_local_time(self.worker.zone(self.org), wall, self.now)

    def refuse_time(self, wall: time | None, code: str, **data: object) -> Refusal:
        """An explicit time that does not fit: say "later than now" when that is the likelier mistake.

        `out 17:30` sent at 12:30 resolves to yesterday's 17:30; the worker most likely meant today.
        """
        if wall is not None:
            zone = self.worker.zone(self.org)
            today = local_instant(zone, local_today(zone, self.now), wall)
            if today > self.now:
                return refuse("time_in_future", at=iso(today))
        return refuse(code, **data)


def _shift_data(shift: ShiftInfo | None) -> dict[str, object]:
    if shift is None:
        return {}
    return {"shift_start": iso(shift.started_at), "job": shift.job}


def plan_clock_in(ctx: Context, job: str | None, note: str | None) -> Plan | Refusal:
    """Clock in now. (At another time it is a correction: core/domain/amendments.py.)"""
    st = ctx.state
    if st.status is not Status.OFF:
        return refuse("already_in", status=st.status.value, **_shift_data(st.shift))
    shift = ShiftInfo(shift_id=new_id(ctx.now), started_at=ctx.now, in_event_id="", job=job)
    punch = ctx.punch(PunchKind.CLOCK_IN, shift.shift_id, job=job, note=note)
    shift = replace(shift, in_event_id=punch.event_id)
    state = WorkerState(Status.ON_SHIFT, shift=shift, last_shift=st.last_shift, since=ctx.now)
    return ctx.plan(state, [punch], Outcome("clocked_in", {"at": iso(ctx.now), "job": job}))


def plan_in_at(ctx: Context, claimed: datetime, reason: str, wall: time | None = None) -> Plan | Refusal:
    """A clock-in at a claimed instant, by the state alone: a shift opened then (when off), or the
    open shift's start moved. Earlier shifts are the history planners' (core/domain/amendments.py)."""
    st = ctx.state
    last_end = st.last_shift.ended_at if st.last_shift else None
    if last_end and claimed < last_end:
        return ctx.refuse_time(wall, "time_before_last_shift", at=iso(claimed), last_end=iso(last_end))
    periods = ctx.open_periods(claimed)
    if isinstance(periods, Refusal):
        return periods
    if st.status is Status.OFF:
        shift = ShiftInfo(shift_id=new_id(ctx.now), started_at=claimed, in_event_id="")
        punch = ctx.punch(PunchKind.CLOCK_IN, shift.shift_id, at=claimed, reason=reason)
        shift = replace(shift, in_event_id=punch.event_id)
        state = WorkerState(Status.ON_SHIFT, shift=shift, last_shift=st.last_shift, since=claimed)
        outcome = Outcome("clocked_in", {"at": iso(claimed), "pending": True, "reason": reason})
        return ctx.plan(state, [punch], outcome, [ctx.asking(punch, was=ctx.now)], periods)
    # On shift already: the worker says the shift really began earlier (or later).
    assert st.shift is not None
    first_break = st.on_break.started_at if st.on_break else ctx.now
    if claimed >= first_break:
        return refuse("time_after_now", at=iso(claimed))
    punch = ctx.punch(PunchKind.CLOCK_IN, st.shift.shift_id, at=claimed, reason=reason, amends=st.shift.in_event_id)
    shift = replace(st.shift, started_at=claimed, in_event_id=punch.event_id)
    state = replace(st, shift=shift, since=claimed if st.status is Status.ON_SHIFT else st.since)
    outcome = Outcome("clock_in_amended", {"at": iso(claimed), "pending": True, "reason": reason})
    return ctx.plan(state, [punch], outcome, [ctx.asking(punch, was=st.shift.started_at)], periods)


def plan_clock_out(ctx: Context, note: str | None) -> Plan | Refusal:
    """Clock out now. (At another time it is a correction: core/domain/amendments.py.)"""
    if ctx.state.status is Status.OFF:
        return refuse("not_in")
    return plan_close(ctx, ctx.now, note, None)


def plan_close(
    ctx: Context, claimed: datetime, note: str | None, corr: str | None, wall: time | None = None
) -> Plan | Refusal:
    """Close the shift at `claimed` (now, or a claimed time waiting for a manager when `corr`)."""
    st = ctx.state
    assert st.shift is not None
    floor = st.on_break.started_at if st.on_break else st.shift.started_at
    if claimed < floor:
        return ctx.refuse_time(wall, "time_before_start", at=iso(claimed), start=iso(floor))
    periods = ctx.open_periods(claimed) if corr is not None else ()
    if isinstance(periods, Refusal):
        return periods
    out = ctx.punch(PunchKind.CLOCK_OUT, st.shift.shift_id, at=claimed, reason=corr, note=note)
    punches: list[Punch] = [out]
    break_minutes = None
    if st.on_break:
        # Ended by the clock-out: a corrected one shares the clock-out's decision, asked about once.
        end = ctx.punch(
            PunchKind.BREAK_END, st.shift.shift_id, at=claimed, reason=corr, follows=out.event_id if corr else None
        )
        punches.insert(0, end)
        break_minutes = elapsed_minutes(st.on_break.started_at, claimed)
    last = replace(st.shift, ended_at=claimed, out_event_id=out.event_id)
    state = WorkerState(Status.OFF, last_shift=last, since=claimed)
    data = {
        "at": iso(claimed),
        "shift_start": iso(st.shift.started_at),
        "shift_minutes": elapsed_minutes(st.shift.started_at, claimed),
        "break_minutes": break_minutes,
        "pending": corr is not None,
        "reason": corr,
    }
    asked = [ctx.asking(out, was=ctx.now)] if corr is not None else None
    return ctx.plan(state, punches, Outcome("clocked_out", data), asked, periods)


def plan_start_break(ctx: Context, kind: BreakKind | None) -> Plan | Refusal:
    st = ctx.state
    if st.status is Status.OFF:
        return refuse("not_in")
    if st.status is Status.ON_BREAK:
        assert st.on_break is not None
        return refuse("already_on_break", since=iso(st.on_break.started_at), kind=st.on_break.kind.value)
    assert st.shift is not None
    kind = kind or ctx.org.break_policy.default_kind
    punch = ctx.punch(PunchKind.BREAK_START, st.shift.shift_id, break_kind=kind)
    shift = replace(st.shift, meal_taken=True) if kind is BreakKind.MEAL else st.shift
    brk = BreakInfo(ctx.now, kind, punch.event_id)
    state = replace(st, status=Status.ON_BREAK, shift=shift, on_break=brk, since=ctx.now)
    data = {
        "at": iso(ctx.now),
        "kind": kind.value,
        "shift_minutes": elapsed_minutes(st.shift.started_at, ctx.now),
    }
    return ctx.plan(state, [punch], Outcome("break_started", data))


def plan_end_break(ctx: Context) -> Plan | Refusal:
    st = ctx.state
    if st.status is Status.OFF:
        return refuse("not_in")
    if st.status is Status.ON_SHIFT or st.on_break is None:
        return refuse("not_on_break", **_shift_data(st.shift))
    assert st.shift is not None
    punch = ctx.punch(PunchKind.BREAK_END, st.shift.shift_id, break_kind=st.on_break.kind)
    state = replace(st, status=Status.ON_SHIFT, on_break=None, since=ctx.now)
    data = {
        "at": iso(ctx.now),
        "kind": st.on_break.kind.value,
        "break_minutes": elapsed_minutes(st.on_break.started_at, ctx.now),
        "shift_minutes": elapsed_minutes(st.shift.started_at, ctx.now),
    }
    return ctx.plan(state, [punch], Outcome("break_ended", data))


def plan_still(ctx: Context) -> Plan | Refusal:
    """STILL: the answer to "still clocked in?". Asks again after the org's threshold."""
    st = ctx.state
    if st.status is Status.OFF or st.shift is None:
        return refuse("not_in")
    again = ctx.now + timedelta(minutes=ctx.org.reminders.forgot_clock_out_minutes)
    shift = replace(st.shift, asked_at=None, ask_at=again)
    data = {"shift_start": iso(st.shift.started_at), "ask_at": iso(again)}
    return ctx.plan(replace(st, shift=shift), [], Outcome("still_ack", data))


def plan_reminders(ctx: Context) -> Plan | Refusal:
    """Send the reminders due now: each marks the state (so it goes once) and leaves a notice.

    Unanswered past the maximum shift, the shift is closed at the time the worker was asked,
    as a correction waiting for a manager (never silently): the managers are asked to decide
    and the worker hears it.
    """
    st = ctx.state
    due = fire_now(ctx.org, ctx.worker.worker_id, st, ctx.now)
    if not due or st.shift is None:
        return refuse("nothing_due")
    if due[0].kind is ReminderKind.AUTO_CLOCK_OUT:
        return _plan_auto_clock_out(ctx)
    shift, brk = st.shift, st.on_break
    notices, sent = [], []
    for reminder in due:
        if reminder.kind is ReminderKind.FORGOT_CLOCK_OUT:
            shift = replace(shift, asked_at=ctx.now)
        elif reminder.kind is ReminderKind.MEAL_DUE:
            shift = replace(shift, meal_reminded=True)
            if ctx.now >= _meal_deadline(ctx, reminder):
                continue  # too late to help (the sweep was down): marked, not sent
        elif reminder.kind is ReminderKind.LONG_BREAK and brk is not None:
            brk = replace(brk, reminded=True)
        notices.append(ctx.notice(NoticeKind.REMINDER, _reminder_data(ctx, reminder)))
        sent.append(reminder.kind.value)
    state = replace(st, shift=shift, on_break=brk)
    plan = ctx.plan(state, [], Outcome("reminded" if sent else "reminders_skipped", {"kinds": sent}))
    return replace(plan, change=replace(plan.change, notices=(*plan.change.notices, *notices)))


def _reminder_data(ctx: Context, reminder: Reminder) -> dict[str, object]:
    st = ctx.state
    assert st.shift is not None
    data: dict[str, object] = {
        "reminder": reminder.kind.value,
        "shift_id": st.shift.shift_id,
        "shift_start": iso(st.shift.started_at),
        "shift_minutes": elapsed_minutes(st.shift.started_at, ctx.now),
    }
    if reminder.kind is ReminderKind.FORGOT_CLOCK_OUT:
        data["suggested_out"] = iso(_suggested_out(ctx.now, st.shift.started_at))
    elif reminder.kind is ReminderKind.LONG_BREAK and st.on_break is not None:
        data |= {"kind": st.on_break.kind.value, "break_minutes": elapsed_minutes(st.on_break.started_at, ctx.now)}
    elif reminder.kind is ReminderKind.MEAL_DUE:
        data["meal_by"] = iso(_meal_deadline(ctx, reminder))
    return data


def _meal_deadline(ctx: Context, reminder: Reminder) -> datetime:
    return reminder.due_at + timedelta(minutes=ctx.org.reminders.meal_due_warning_minutes)


def _suggested_out(now: datetime, start: datetime) -> datetime:
    """The time offered in "Reply OUT 17:00": the quarter hour before now (people stop on the
    hour or the half; a time in the past is always a valid claim), never before the clock-in."""
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return max(quarter, start)


def _plan_auto_clock_out(ctx: Context) -> Plan | Refusal:
    st = ctx.state
    assert st.shift is not None and st.shift.asked_at is not None
    floor = st.on_break.started_at if st.on_break else st.shift.started_at
    closed = plan_close(ctx, max(st.shift.asked_at, floor), None, AUTO_CLOCK_OUT_REASON)
    if isinstance(closed, Refusal):
        return closed
    data = {
        "reminder": ReminderKind.AUTO_CLOCK_OUT.value,
        "shift_id": st.shift.shift_id,
        "shift_start": iso(st.shift.started_at),
        "at": iso(max(st.shift.asked_at, floor)),
    }
    notice = ctx.notice(NoticeKind.REMINDER, data)
    outcome = replace(closed.outcome, code="auto_clocked_out")
    change = replace(closed.change, notices=(*closed.change.notices, notice))
    return Plan(change, outcome)


def context(worker: Worker, org: Org, now: datetime, origin: Origin) -> Context:
    return Context(worker, org, now, origin)
