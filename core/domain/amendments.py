"""Corrections of any recent day, as pure planners: a clock-in or clock-out moved, a forgotten
break, a whole forgotten shift, on the day the worker names (`yesterday`, `mon`, `11/29`).

The worker's state knows only the open shift and the last one; anything older needs the shifts
around the claimed time. A planner that needs them says so (`NeedHistory`) and is called again
with them (core/services/amendments.py reads them: one query of the worker's events). Every
correction is a punch with a reason, waiting for a manager; it is refused, and nothing written,
when it would make punches overlap or cross another shift, lies in the future, or falls in a pay
period older than the previous one (a locked period is the transaction's own condition).

Which shift a correction is about:
- a clock-in: the shift that day whose start is nearest, or a new shift still going (when the
  worker is off and the time is after all their shifts, today only);
- a clock-out: the closed shift whose end is nearest, among those that began in the 24 h before
  (the open shift, when the time is after its start: that closes it);
- a break: the shift it fits in; a shift: none may overlap it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from core import commands as c
from core.domain.durations import elapsed_minutes
from core.domain.ids import new_id
from core.domain.model import BreakKind, PunchKind, Status
from core.domain.reminders import REMINDER_REASON
from core.domain.transitions import Context, Plan, Refusal, iso, plan_close, plan_in_at, refuse
from core.periods import ONE_DAY, local_instant, local_today, workday_of
from core.ports import Outcome
from core.timesheet import Shift

MAX_SHIFT = timedelta(hours=24)  # a clock-out is never claimed further than this from its clock-in
AROUND = timedelta(hours=24)  # the shifts read around a claimed time: whole, and their neighbours


@dataclass(frozen=True)
class NeedHistory:
    """The planner needs the worker's shifts between `start` and `end` (AROUND is added)."""

    start: datetime
    end: datetime


History = Sequence[Shift]
Planned = Plan | Refusal | NeedHistory


def _needs(*instants: datetime) -> NeedHistory:
    return NeedHistory(min(instants) - AROUND, max(instants) + AROUND)


def _today(ctx: Context) -> date:
    return local_today(ctx.worker.zone(ctx.org), ctx.now)


def _claimed(ctx: Context, on: c.OnDay | None, wall: time) -> datetime | Refusal:
    """The instant meant by `wall` on the day named (none: the latest such time before now)."""
    if on is None:
        return ctx.claimed(wall)
    day = on.resolve(_today(ctx))
    if day is None:
        return refuse("day_not_found")
    instant = local_instant(ctx.worker.zone(ctx.org), day, wall)
    if instant > ctx.now:
        return refuse("time_in_future", at=iso(instant))
    return instant


def _span(ctx: Context, on: c.OnDay | None, start: time, end: time) -> tuple[datetime, datetime] | Refusal:
    """A break's or shift's instants; it ends the next day when `end` is not after `start`. With
    no day named: today's (a time later than now is a mistake, said so), or, for a night shift,
    the one that ended last."""
    zone, today = ctx.worker.zone(ctx.org), _today(ctx)
    if on is not None:
        named = on.resolve(today)
        if named is None:
            return refuse("day_not_found")
        days = [named]
    else:
        days = [today - ONE_DAY, today] if end <= start else [today]
        days.reverse()
    latest: datetime | None = None
    for day in days:
        begins = local_instant(zone, day, start)
        ends = local_instant(zone, day + (ONE_DAY if end <= start else timedelta(0)), end)
        if ends <= ctx.now:
            return begins, ends
        latest = latest or ends
    return refuse("time_in_future", at=iso(latest))


def _day_data(ctx: Context, at: datetime) -> str | None:
    """The local day of a correction when it is not today (replies then name it)."""
    day = local_today(ctx.worker.zone(ctx.org), at)
    return None if day == _today(ctx) else day.isoformat()


def _whole(history: History) -> list[Shift]:
    return [shift for shift in history if not shift.orphan]


def _until(shift: Shift, now: datetime) -> datetime:
    return shift.end if shift.end is not None else now


def _crossing(shift: Shift, now: datetime) -> Refusal:
    return refuse("overlaps_shift", start=iso(shift.start), end=iso(_until(shift, now)))


# ---------------------------------------------------------------------------------------------
# A clock-in at another time


def plan_in(ctx: Context, wall: time, reason: str, on: c.OnDay | None, history: History | None) -> Planned:
    claimed = _claimed(ctx, on, wall)
    if isinstance(claimed, Refusal):
        return claimed
    st = ctx.state
    last_end = st.last_shift.ended_at if st.last_shift else None
    on_shift = st.status is not Status.OFF
    if on_shift and (on is None or last_end is None or claimed >= last_end):
        return plan_in_at(ctx, claimed, reason, wall if on is None else None)  # the open shift began then
    if history is None:
        return _needs(claimed)
    return _amend_in(ctx, claimed, reason, on, _whole(history), wall if on is None else None)


def _amend_in(
    ctx: Context, claimed: datetime, reason: str, on: c.OnDay | None, shifts: list[Shift], wall: time | None
) -> Plan | Refusal:
    st, zone = ctx.state, ctx.worker.zone(ctx.org)
    day = workday_of(ctx.org, zone, claimed)
    if all(shift.end is not None and shift.end <= claimed for shift in shifts):
        if st.status is Status.OFF and (on is None or day == workday_of(ctx.org, zone, ctx.now)):
            return plan_in_at(ctx, claimed, reason, wall)  # after every shift: one began then, still going
        return ctx.refuse_time(wall, "no_shift_that_day", day=day.isoformat())
    candidates = [
        s
        for s in shifts
        if _until(s, ctx.now) > claimed and (workday_of(ctx.org, zone, s.start) == day or s.start <= claimed)
    ]
    if not candidates:
        return ctx.refuse_time(wall, "no_shift_that_day", day=day.isoformat())
    target = min(candidates, key=lambda s: abs(s.start - claimed))
    before = [s for s in shifts if s.shift_id != target.shift_id and s.start <= target.start]
    previous = max(before, key=lambda s: s.start, default=None)
    if previous is not None and _until(previous, ctx.now) > claimed:
        return _crossing(previous, ctx.now)
    first_mark = min([brk.start for brk in target.breaks] + [_until(target, ctx.now)])
    if claimed >= first_mark:
        return refuse("time_after_now", at=iso(claimed))
    if claimed == target.start:
        return refuse("clock_in_unchanged", at=iso(claimed))
    periods = ctx.open_periods(claimed, target.start)
    if isinstance(periods, Refusal):
        return periods
    punch = ctx.punch(PunchKind.CLOCK_IN, target.shift_id, at=claimed, reason=reason, amends=target.in_event_id)
    state = st
    if st.shift is not None and st.shift.shift_id == target.shift_id:
        moved = replace(st.shift, started_at=claimed, in_event_id=punch.event_id)
        state = replace(st, shift=moved, since=claimed if st.status is Status.ON_SHIFT else st.since)
    elif st.last_shift is not None and st.last_shift.shift_id == target.shift_id:
        state = replace(st, last_shift=replace(st.last_shift, started_at=claimed, in_event_id=punch.event_id))
    data = {"at": iso(claimed), "pending": True, "reason": reason, "day": _day_data(ctx, claimed)}
    return ctx.plan(state, [punch], Outcome("clock_in_amended", data), [ctx.asking(punch, was=target.start)], periods)


# ---------------------------------------------------------------------------------------------
# A clock-out at another time


def plan_out(ctx: Context, wall: time, reason: str | None, on: c.OnDay | None, history: History | None) -> Planned:
    st = ctx.state
    if not reason:
        # `OUT 17:30` with no reason is an answer to "still clocked in?", and only then
        asked = st.shift if st.status is not Status.OFF else st.last_shift
        if on is not None or asked is None or asked.asked_at is None:
            return refuse("reason_missing_out")
        reason = REMINDER_REASON
    claimed = _claimed(ctx, on, wall) if on is not None or st.last_shift is None else _after_last(ctx, wall)
    if isinstance(claimed, Refusal):
        return claimed
    if st.status is not Status.OFF and st.shift is not None and (on is None or claimed >= st.shift.started_at):
        return plan_close(ctx, claimed, None, reason, wall=wall if on is None else None)  # the open shift ends
    if history is None:
        return _needs(claimed)
    return _amend_out(ctx, claimed, reason, _whole(history), wall if on is None else None)


def _after_last(ctx: Context, wall: time) -> datetime:
    """`OUT 17:10` with no day, said when off: the first 17:10 after the last shift began (the
    shift it most likely ends), if that is past; else the latest 17:10 before now."""
    last = ctx.state.last_shift
    if ctx.state.status is not Status.OFF or last is None:
        return ctx.claimed(wall)
    zone = ctx.worker.zone(ctx.org)
    day = local_today(zone, last.started_at)
    instant = local_instant(zone, day, wall)
    if instant <= last.started_at:
        instant = local_instant(zone, day + ONE_DAY, wall)
    return instant if instant <= ctx.now else ctx.claimed(wall)


def _amend_out(ctx: Context, claimed: datetime, reason: str, shifts: list[Shift], wall: time | None) -> Plan | Refusal:
    st = ctx.state
    closed = [s for s in shifts if s.end is not None and s.start < claimed <= s.start + MAX_SHIFT]
    if not closed:
        day = workday_of(ctx.org, ctx.worker.zone(ctx.org), claimed)
        return ctx.refuse_time(wall, "no_shift_that_day", day=day.isoformat())
    target = min(closed, key=lambda s: abs(_until(s, ctx.now) - claimed))
    assert target.end is not None
    if claimed == target.end:  # said twice (a second click, a resent text): nothing to correct
        return refuse("clock_out_unchanged", at=iso(claimed))
    after = [s for s in shifts if s.shift_id != target.shift_id and s.start >= target.start]
    following = min(after, key=lambda s: s.start, default=None)
    if following is not None and claimed > following.start:
        return _crossing(following, ctx.now)
    last_break = max(target.breaks, key=lambda brk: brk.start, default=None)
    if last_break is not None and claimed < _until_break(last_break.end, ctx.now):
        return refuse("overlaps_break", start=iso(last_break.start), end=iso(_until_break(last_break.end, ctx.now)))
    periods = ctx.open_periods(claimed, target.end)
    if isinstance(periods, Refusal):
        return periods
    punch = ctx.punch(PunchKind.CLOCK_OUT, target.shift_id, at=claimed, reason=reason, amends=target.out_event_id)
    state = st
    if st.last_shift is not None and st.last_shift.shift_id == target.shift_id:
        state = replace(st, last_shift=replace(st.last_shift, ended_at=claimed, out_event_id=punch.event_id))
    data = {
        "at": iso(claimed),
        "shift_start": iso(target.start),
        "shift_minutes": elapsed_minutes(target.start, claimed),
        "pending": True,
        "reason": reason,
        "day": _day_data(ctx, target.start),
    }
    return ctx.plan(state, [punch], Outcome("clock_out_amended", data), [ctx.asking(punch, was=target.end)], periods)


def _until_break(end: datetime | None, now: datetime) -> datetime:
    return end if end is not None else now


# ---------------------------------------------------------------------------------------------
# A forgotten break, a forgotten shift


def plan_added_break(ctx: Context, cmd: c.AddBreak, history: History | None) -> Planned:
    span = _span(ctx, cmd.on, cmd.start, cmd.end)
    if isinstance(span, Refusal):
        return span
    start, end = span
    if history is None:
        return _needs(start, end)
    fits = [s for s in _whole(history) if s.start <= start and end <= _until(s, ctx.now)]
    if not fits:
        return refuse("break_outside_shift", start=iso(start), end=iso(end))
    target = fits[0]
    for brk in target.breaks:
        if brk.start < end and _until_break(brk.end, ctx.now) > start:
            return refuse("overlaps_break", start=iso(brk.start), end=iso(_until_break(brk.end, ctx.now)))
    periods = ctx.open_periods(start, end)
    if isinstance(periods, Refusal):
        return periods
    kind = cmd.kind or ctx.org.break_policy.default_kind
    began = ctx.punch(PunchKind.BREAK_START, target.shift_id, at=start, reason=cmd.reason, adds=True, break_kind=kind)
    ended = ctx.punch(
        PunchKind.BREAK_END,
        target.shift_id,
        at=end,
        reason=cmd.reason,
        follows=began.event_id,
        adds=True,
        break_kind=kind,
    )
    st = ctx.state
    state = st
    if kind is BreakKind.MEAL and st.shift is not None and st.shift.shift_id == target.shift_id:
        state = replace(st, shift=replace(st.shift, meal_taken=True))  # no reminder for a meal taken
    data = {
        "start": iso(start),
        "end": iso(end),
        "kind": kind.value,
        "minutes": elapsed_minutes(start, end),
        "pending": True,
        "reason": cmd.reason,
        "day": _day_data(ctx, start),
    }
    asked = [ctx.asking(began, until=end)]
    return ctx.plan(state, [began, ended], Outcome("break_added", data), asked, periods)


def plan_added_shift(ctx: Context, cmd: c.AddShift, history: History | None) -> Planned:
    span = _span(ctx, cmd.on, cmd.start, cmd.end)
    if isinstance(span, Refusal):
        return span
    start, end = span
    if history is None:
        return _needs(start, end)
    for shift in _whole(history):
        if shift.start < end and _until(shift, ctx.now) > start:
            return _crossing(shift, ctx.now)
    periods = ctx.open_periods(start, end)
    if isinstance(periods, Refusal):
        return periods
    shift_id = new_id(ctx.now)
    began = ctx.punch(PunchKind.CLOCK_IN, shift_id, at=start, reason=cmd.reason, adds=True)
    ended = ctx.punch(PunchKind.CLOCK_OUT, shift_id, at=end, reason=cmd.reason, follows=began.event_id, adds=True)
    data = {
        "start": iso(start),
        "end": iso(end),
        "shift_minutes": elapsed_minutes(start, end),
        "pending": True,
        "reason": cmd.reason,
        "day": _day_data(ctx, start),
    }
    asked = [ctx.asking(began, until=end)]
    return ctx.plan(ctx.state, [began, ended], Outcome("shift_added", data), asked, periods)
