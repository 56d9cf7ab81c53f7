"""Timesheets from punches: pure functions, no I/O.

Two steps:
- `resolve_shifts` replays a worker's punches and the managers' decisions on corrections
  into shifts with breaks;
- `compute_timesheet` measures those shifts against the local workdays, the break policy and
  the overtime policy, one row per workday.

Instants are aware UTC datetimes. Durations are whole seconds between UTC instants
(sub-second parts are dropped from every instant first, so the parts of a day always add up):
a 23:00-07:00 shift over a DST change is 7 or 9 hours, never 8.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum, StrEnum
from zoneinfo import ZoneInfo

from core.domain.durations import epoch_seconds, from_epoch, minutes, minutes_of_parts, round_to_nearest
from core.domain.meal_rules import MealRuleSet
from core.domain.model import (
    BreakKind,
    BreakPolicy,
    Channel,
    CorrectionDecision,
    Decision,
    Expense,
    Org,
    OvertimePolicy,
    Punch,
    PunchKind,
)
from core.domain.reminders import AUTO_CLOCK_OUT_REASON
from core.periods import ONE_DAY, workday_bounds, workweek_start

HOUR = 3600
LONG_SHIFT_SECONDS = 12 * HOUR
WEEKLY_LIMIT_SECONDS = 40 * HOUR
DAILY_LIMIT_SECONDS = 8 * HOUR
DAILY_DOUBLE_SECONDS = 12 * HOUR


class Flag(StrEnum):
    """Why a payroll person should look twice at a day: stable identifiers, listed only here.

    Meal flags are raised only under meal rules that owe meals (see core/domain/meal_rules.py),
    on the workday the work period started.
    """

    OPEN_SHIFT = "open_shift"  # still clocked in: the day is measured up to now
    PENDING_CORRECTION = "pending_correction"  # counted at the claimed time until a manager decides
    SELF_APPROVED = "self_approved"  # a correction by the org's only manager, approved in their own name
    AUTO_CLOCK_OUT = "auto_clock_out"  # closed after an unanswered reminder, at the time it was asked
    LONG_SHIFT = "long_shift"  # more than 12 h from clock-in to clock-out
    ORPHAN_PUNCH = "orphan_punch"  # a punch that fits no shift (e.g. clock-out without clock-in): skipped
    SHORT_MEAL = "short_meal"  # a meal break shorter than a bona fide meal: no meal, paid unless the org says not
    MEAL_MISSED = "meal_missed"  # a first meal was owed and none was taken
    MEAL_LATE = "meal_late"  # the first meal started after its deadline
    MEAL_EARLY = "meal_early"  # the first meal started before the rules allow (Washington: 2 h)
    SECOND_MEAL_MISSED = "second_meal_missed"
    SECOND_MEAL_LATE = "second_meal_late"
    SECOND_MEAL_EARLY = "second_meal_early"


_MEAL_FLAGS = (  # (missed, late, early) for the first and the second meal
    (Flag.MEAL_MISSED, Flag.MEAL_LATE, Flag.MEAL_EARLY),
    (Flag.SECOND_MEAL_MISSED, Flag.SECOND_MEAL_LATE, Flag.SECOND_MEAL_EARLY),
)


# ---------------------------------------------------------------------------------------------
# Shifts


@dataclass(frozen=True)
class Break:
    start: datetime
    end: datetime | None  # None: still on break
    kind: BreakKind | None  # None: the org's default kind


@dataclass(frozen=True)
class Shift:
    """One shift as the punches and decisions tell it.

    `resolve_shifts` guarantees: end >= start; breaks sorted, not overlapping, inside
    [start, end] (or [start, now] while open); a break is open only in an open shift.
    `compute_timesheet` clips again, so a hand-made Shift cannot produce negative time.
    """

    shift_id: str
    worker_id: str
    start: datetime
    end: datetime | None  # None: still clocked in
    job: str | None = None
    breaks: tuple[Break, ...] = ()
    pending_corrections: int = 0  # punches counted at a claimed time no manager has decided on
    corrected: bool = False  # some time in it is a claimed time (pending or approved), not a live one
    flags: tuple[str, ...] = ()  # odd data found while resolving (Flag.ORPHAN_PUNCH)
    orphan: bool = False  # punches without a clock-in: no time counts, only the flag
    # The clock-in and clock-out that stand: what a correction of this shift amends.
    in_event_id: str | None = field(default=None, compare=False)
    out_event_id: str | None = field(default=None, compare=False)

    @property
    def open(self) -> bool:
        return self.end is None

    @property
    def pending(self) -> bool:
        return self.pending_corrections > 0


@dataclass(frozen=True)
class _Standing:
    """A punch that counts, at the time it counts."""

    punch: Punch
    at: datetime
    pending: bool = False
    corrected: bool = False

    @property
    def sequence(self) -> tuple[datetime, int, datetime, str]:
        """Its place in the shift: the instant it claims, then the natural order of a shift, and
        only for punches that claim the same instant and kind, the order they were recorded in.

        Not the recorded time first: a correction is recorded after the punches it comes before.
        For two breaks starting at one instant (a zero-length break, then another) only the
        recorded order tells which break the later end closes; an import records its rows in
        the order of its file (core/services/imports.py), live punches in the order they came.
        """
        return self.at, _NATURAL_ORDER[self.punch.kind], self.punch.recorded_at, self.punch.event_id


_NATURAL_ORDER = {PunchKind.CLOCK_IN: 0, PunchKind.BREAK_START: 1, PunchKind.BREAK_END: 2, PunchKind.CLOCK_OUT: 3}


def resolve_shifts(punches: Iterable[Punch], decisions: Iterable[CorrectionDecision], now: datetime) -> list[Shift]:
    """Shifts from punches, corrections applied, sorted by start.

    A corrected punch counts at its claimed time while pending or once approved; once rejected
    it counts when it was recorded, or, if it amends an earlier punch, it is ignored and the
    original stands (a break or shift told after the fact is ignored too: it never happened).
    An amending punch that counts replaces the punch it names (or whatever already replaced
    that one). Within a shift, punches are ordered by the instant they claim
    (ties: in, break start, break end, out); `now` bounds the breaks of a shift still open.
    """
    latest = _latest_decisions(decisions)
    standing = _standing_punches(punches, {target: decision.decision for target, decision in latest.items()})
    self_approved = {
        target for target, d in latest.items() if d.decision is Decision.APPROVED and d.decided_by == d.worker_id
    }
    by_shift: dict[str, list[_Standing]] = defaultdict(list)
    for entry in standing:
        by_shift[entry.punch.shift_id].append(entry)
    shifts = [_build_shift(shift_id, entries, now) for shift_id, entries in by_shift.items()]
    shifts = [_flag_self_approved(shift, by_shift[shift.shift_id], self_approved) for shift in shifts]
    return sorted(shifts, key=lambda shift: (shift.start, shift.shift_id))


def _flag_self_approved(shift: Shift, entries: list[_Standing], self_approved: set[str]) -> Shift:
    if not any(entry.punch.event_id in self_approved for entry in entries):
        return shift
    return replace(shift, flags=(*shift.flags, Flag.SELF_APPROVED))


def _latest_decisions(decisions: Iterable[CorrectionDecision]) -> dict[str, CorrectionDecision]:
    latest: dict[str, CorrectionDecision] = {}
    for decision in decisions:
        seen = latest.get(decision.target_event_id)
        if seen is None or decision.decided_at >= seen.decided_at:
            latest[decision.target_event_id] = decision
    return latest


def _standing_punches(punches: Iterable[Punch], decisions: dict[str, Decision]) -> list[_Standing]:
    standing: dict[str, _Standing] = {}
    replaced_by: dict[str, str] = {}
    # A rejected amendment stands for what it amended: a later correction naming it (the
    # worker's state still does) amends the punch that stands instead.
    stands_for: dict[str, str] = {}
    for punch in sorted(punches, key=lambda p: (p.recorded_at, p.event_id)):
        leader = punch.correction.follows if punch.correction and punch.correction.follows else punch.event_id
        entry = _standing_entry(punch, decisions.get(leader))
        amends = punch.correction.amends if punch.correction else None
        if amends is not None:
            amends = stands_for.get(amends, amends)
        if entry is None:
            if amends is not None:
                stands_for[punch.event_id] = amends
            continue
        if amends is not None:
            target = _current(replaced_by, amends)
            replaced_by[target] = punch.event_id
            standing.pop(target, None)
        standing[punch.event_id] = entry
    return list(standing.values())


def _standing_entry(punch: Punch, decision: Decision | None) -> _Standing | None:
    if punch.correction is None:
        return _Standing(punch, punch.at)
    if decision is Decision.REJECTED:
        if punch.correction.amends is not None or punch.correction.adds:
            return None  # the original stands; or what was told after the fact never happened
        return _Standing(punch, punch.recorded_at)
    follower = punch.correction.follows is not None  # its leader is the one counted as pending
    return _Standing(punch, punch.at, pending=decision is None and not follower, corrected=True)


def _current(replaced_by: dict[str, str], event_id: str) -> str:
    """The event that now stands for `event_id` after any chain of amendments."""
    seen = {event_id}
    while (successor := replaced_by.get(event_id)) is not None and successor not in seen:
        seen.add(successor)
        event_id = successor
    return event_id


def _build_shift(shift_id: str, entries: list[_Standing], now: datetime) -> Shift:
    entries = sorted(entries, key=lambda entry: entry.sequence)
    ins = [entry for entry in entries if entry.punch.kind is PunchKind.CLOCK_IN]
    outs = [entry for entry in entries if entry.punch.kind is PunchKind.CLOCK_OUT]
    if not ins:
        return _orphan_shift(shift_id, entries)
    start = ins[0].at
    end = max(outs[0].at, start) if outs else None
    breaks, odd_breaks = _pair_breaks(entries)
    odd = odd_breaks or len(ins) > 1 or len(outs) > 1 or (bool(outs) and outs[0].at < start)
    return Shift(
        shift_id=shift_id,
        worker_id=ins[0].punch.worker_id,
        start=start,
        end=end,
        job=next((entry.punch.job for entry in entries if entry.punch.job), None),
        breaks=_clip_breaks(breaks, start, end if end is not None else max(now, start), still_open=end is None),
        pending_corrections=sum(entry.pending for entry in entries),
        corrected=any(entry.corrected for entry in entries),
        flags=(
            *((Flag.ORPHAN_PUNCH,) if odd else ()),
            *((Flag.AUTO_CLOCK_OUT,) if outs and _automatic(outs[0]) else ()),
        ),
        in_event_id=ins[0].punch.event_id,
        out_event_id=outs[0].punch.event_id if outs else None,
    )


def _automatic(entry: _Standing) -> bool:
    """The clock-out standing is the one the reminder sweep made (the worker did not amend it)."""
    punch = entry.punch
    return (
        punch.channel is Channel.SYSTEM
        and punch.correction is not None
        and punch.correction.reason == AUTO_CLOCK_OUT_REASON
    )


def _orphan_shift(shift_id: str, entries: list[_Standing]) -> Shift:
    """Punches without a clock-in: no time counts, but the day is flagged."""
    at = min(entry.at for entry in entries)
    return Shift(
        shift_id=shift_id,
        worker_id=entries[0].punch.worker_id,
        start=at,
        end=at,
        pending_corrections=sum(entry.pending for entry in entries),
        corrected=any(entry.corrected for entry in entries),
        flags=(Flag.ORPHAN_PUNCH,),
        orphan=True,
    )


def _pair_breaks(entries: list[_Standing]) -> tuple[list[Break], bool]:
    """The nth break start with the nth break end, both in the order of the instants they claim.

    In any history the state machine accepts this is simply each start with the end after it;
    an end that claims an instant before its start makes a break of zero length, not a break
    that swallows the rest of the shift. An end with no start is dropped; of several starts
    with no end only the first stays open (until the clock-out); both are odd.
    """
    starts = [entry for entry in entries if entry.punch.kind is PunchKind.BREAK_START]
    ends = [entry for entry in entries if entry.punch.kind is PunchKind.BREAK_END]
    breaks = [Break(start.at, end.at, start.punch.break_kind) for start, end in zip(starts, ends, strict=False)]
    unmatched_starts = starts[len(ends) :]
    if unmatched_starts:
        breaks.append(Break(unmatched_starts[0].at, None, unmatched_starts[0].punch.break_kind))
    odd = len(ends) > len(starts) or len(unmatched_starts) > 1
    return breaks, odd


def _clip_breaks(breaks: Iterable[Break], start: datetime, until: datetime, still_open: bool) -> tuple[Break, ...]:
    """Breaks inside [start, until], none overlapping the one before; a break still open when
    the shift closed ends with it; one that ends before it starts lasts zero."""
    clipped: list[Break] = []
    cursor = start
    for brk in sorted(breaks, key=lambda brk: brk.start):
        brk_start = _clip(brk.start, cursor, until)
        brk_end = None if brk.end is None and still_open else _clip(brk.end or until, brk_start, until)
        clipped.append(Break(brk_start, brk_end, brk.kind))
        cursor = brk_end or until
    return tuple(clipped)


def _clip(instant: datetime, low: datetime, high: datetime) -> datetime:
    return min(max(instant, low), high)


# ---------------------------------------------------------------------------------------------
# Timesheets


@dataclass(frozen=True, kw_only=True)
class Totals:
    """Seconds of a day or a period, named as payroll reads them:

    - on_task: clocked in and on no break;
    - paid_break: rest breaks (29 CFR 785.18), and meals too short to be bona fide unless the
      org does not pay them;
    - unpaid_break: bona fide meals (785.19), and short meals the org does not pay;
    - hours_worked = on_task + paid_break: the FLSA's hours worked, what overtime is counted on,
      and always regular + overtime + double_time.
    """

    on_task_seconds: int
    paid_break_seconds: int
    unpaid_break_seconds: int
    regular_seconds: int
    overtime_seconds: int  # 1.5x
    double_time_seconds: int  # 2x
    flags: tuple[str, ...] = ()
    open_shift: bool = False
    pending_corrections: int = 0
    expenses: tuple[Expense, ...] = ()

    @property
    def hours_worked_seconds(self) -> int:
        return self.on_task_seconds + self.paid_break_seconds


@dataclass(frozen=True)
class Minutes:
    """A day's or a period's time as every reply, table, CSV and email shows it, in whole minutes
    (core/domain/durations.py): the parts of a day add up to its hours worked as shown, and a
    period or a team is the sum of its rows as shown (`+`), so every table adds up as printed."""

    on_task: int = 0
    paid_break: int = 0
    unpaid_break: int = 0
    regular: int = 0
    overtime: int = 0  # 1.5x
    double_time: int = 0  # 2x

    @classmethod
    def of(cls, day: Totals) -> Minutes:
        """One row's minutes, shown from its seconds."""
        on_task, paid_break = minutes_of_parts(day.on_task_seconds, day.paid_break_seconds)
        regular, overtime, double_time = minutes_of_parts(
            day.regular_seconds, day.overtime_seconds, day.double_time_seconds
        )
        return cls(on_task, paid_break, minutes(day.unpaid_break_seconds), regular, overtime, double_time)

    @classmethod
    def total(cls, rows: Iterable[Totals]) -> Minutes:
        """The sum of the rows as shown."""
        return sum((cls.of(row) for row in rows), cls())

    def __add__(self, other: Minutes) -> Minutes:
        return Minutes(
            self.on_task + other.on_task,
            self.paid_break + other.paid_break,
            self.unpaid_break + other.unpaid_break,
            self.regular + other.regular,
            self.overtime + other.overtime,
            self.double_time + other.double_time,
        )

    @property
    def hours_worked(self) -> int:
        """On task + paid breaks, which is also regular + overtime + double time."""
        return self.on_task + self.paid_break

    @property
    def breaks(self) -> int:
        return self.paid_break + self.unpaid_break

    @property
    def extra(self) -> int:
        """Overtime and double time together (a report's "OT")."""
        return self.overtime + self.double_time


@dataclass(frozen=True)
class BreakRow:
    """A break as payroll sees it, on the workday it started."""

    start: datetime
    end: datetime | None  # None: still on it
    kind: BreakKind
    seconds: int  # inside the shift, so far if still on it
    paid: bool


@dataclass(frozen=True, kw_only=True)
class DayRow(Totals):
    """One local workday. first_in/last_out are UTC clock-in/out instants falling in the day."""

    day: date
    first_in: datetime | None = None
    last_out: datetime | None = None
    breaks: tuple[BreakRow, ...] = ()
    jobs: tuple[str, ...] = ()  # the jobs of the shifts that started that day, in order, each once

    @property
    def shown(self) -> Minutes:
        return Minutes.of(self)


@dataclass(frozen=True)
class Timesheet:
    start: date
    end: date  # inclusive
    days: tuple[DayRow, ...]
    totals: Totals

    def row(self, day: date) -> DayRow:
        for row in self.days:
            if row.day == day:
                return row
        raise KeyError(day)

    @property
    def shown(self) -> Minutes:
        """The period as shown: the sum of its days as shown."""
        return Minutes.total(self.days)


def compute_timesheet(
    org: Org,
    zone: ZoneInfo,
    shifts: Iterable[Shift],
    expenses: Iterable[Expense],
    start: date,
    end: date,
    now: datetime,
) -> Timesheet:
    """One worker's timesheet for the workdays start..end (inclusive) in `zone`.

    Weekly overtime needs the earlier days of the first workweek: pass the shifts from
    `workweek_start(org, start)` on. They count towards the week but get no row. Open shifts
    and breaks are measured up to `now`. Under the org's rounding (`Org.rounding_minutes`), each
    clock-in and clock-out counts at the nearest step of the local clock; breaks never move.
    """
    if end < start:
        raise ValueError(f"timesheet ends ({end}) before it starts ({start})")
    shifts = [_rounded(shift, org.rounding_minutes, zone) for shift in shifts]
    if len({shift.worker_id for shift in shifts}) > 1:
        raise ValueError("a timesheet covers one worker's shifts")
    calendar = _Calendar.of(org, zone, workweek_start(org, start), end)
    tallies = [_Tally() for _ in calendar.days]
    for shift in shifts:
        _tally_shift(shift, org.break_policy, calendar, tallies, now)
    for home, period in _work_periods(shifts, calendar).items():
        tallies[home].flags.update(_meal_flags(period, org, now))
    pays = _split_pay(org.overtime_policy, [tally.hours_worked_seconds for tally in tallies])
    by_day = _expenses_by_day(expenses)
    rows = tuple(
        tally.row(day, pay, by_day.get(day, ()))
        for day, tally, pay in zip(calendar.days, tallies, pays, strict=True)
        if day >= start
    )
    return Timesheet(start=start, end=end, days=rows, totals=_sum(rows))


def _rounded(shift: Shift, increment: int, zone: ZoneInfo) -> Shift:
    """The shift with its clock-in and clock-out at the nearest step (core/domain/durations.py)."""
    if not increment or shift.orphan:
        return shift
    start = round_to_nearest(shift.start, increment, zone)
    end = None if shift.end is None else max(round_to_nearest(shift.end, increment, zone), start)
    return replace(shift, start=start, end=end)


class _Bucket(Enum):
    ON_TASK = "on_task"
    PAID_BREAK = "paid_break"
    UNPAID_BREAK = "unpaid_break"


@dataclass(frozen=True)
class _Calendar:
    """Consecutive workdays as epoch seconds: day i is [edges[i], edges[i + 1])."""

    days: tuple[date, ...]
    edges: tuple[int, ...]

    @classmethod
    def of(cls, org: Org, zone: ZoneInfo, first: date, last: date) -> _Calendar:
        days = tuple(first + offset * ONE_DAY for offset in range((last - first).days + 1))
        edges = tuple(_seconds(workday_bounds(org, zone, day)[0]) for day in days)
        return cls(days, (*edges, _seconds(workday_bounds(org, zone, last)[1])))

    def index_of(self, instant: int) -> int | None:
        index = bisect_right(self.edges, instant) - 1
        return index if 0 <= index < len(self.days) else None

    def split(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """(day index, seconds) of [start, end) in each day it overlaps."""
        index = max(bisect_right(self.edges, start) - 1, 0)
        while index < len(self.days) and self.edges[index] < end:
            overlap = min(end, self.edges[index + 1]) - max(start, self.edges[index])
            if overlap > 0:
                yield index, overlap
            index += 1


@dataclass(frozen=True)
class _Pay:
    regular: int
    overtime: int = 0
    double_time: int = 0


@dataclass
class _Tally:
    """What a workday has collected so far."""

    seconds: dict[_Bucket, int] = field(default_factory=lambda: dict.fromkeys(_Bucket, 0))
    first_in: datetime | None = None
    last_out: datetime | None = None
    flags: set[str] = field(default_factory=set)
    open_shift: bool = False
    pending_corrections: int = 0
    breaks: list[BreakRow] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)

    @property
    def hours_worked_seconds(self) -> int:
        return self.seconds[_Bucket.ON_TASK] + self.seconds[_Bucket.PAID_BREAK]

    def clocked_in(self, at: datetime) -> None:
        self.first_in = at if self.first_in is None else min(self.first_in, at)

    def clocked_out(self, at: datetime) -> None:
        self.last_out = at if self.last_out is None else max(self.last_out, at)

    def still_open(self) -> None:
        self.open_shift = True
        self.flags.add(Flag.OPEN_SHIFT)

    def row(self, day: date, pay: _Pay, expenses: tuple[Expense, ...]) -> DayRow:
        return DayRow(
            day=day,
            first_in=self.first_in,
            last_out=self.last_out,
            on_task_seconds=self.seconds[_Bucket.ON_TASK],
            paid_break_seconds=self.seconds[_Bucket.PAID_BREAK],
            unpaid_break_seconds=self.seconds[_Bucket.UNPAID_BREAK],
            regular_seconds=pay.regular,
            overtime_seconds=pay.overtime,
            double_time_seconds=pay.double_time,
            flags=tuple(sorted(self.flags)),
            breaks=tuple(sorted(self.breaks, key=lambda brk: brk.start)),
            open_shift=self.open_shift,
            pending_corrections=self.pending_corrections,
            expenses=expenses,
            jobs=tuple(dict.fromkeys(self.jobs)),
        )


@dataclass(frozen=True)
class _MeasuredBreak:
    start: int
    end: int
    kind: BreakKind
    ongoing: bool

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def is_bona_fide_meal(self, policy: BreakPolicy) -> bool:
        """A meal long enough to be unpaid; one still going on gets the benefit of the doubt."""
        long_enough = self.ongoing or self.seconds >= policy.min_meal_minutes * 60
        return self.kind is BreakKind.MEAL and long_enough

    def row(self, policy: BreakPolicy) -> BreakRow:
        end = None if self.ongoing else _instant(self.end)
        return BreakRow(_instant(self.start), end, self.kind, self.seconds, self.bucket(policy) is _Bucket.PAID_BREAK)

    def bucket(self, policy: BreakPolicy) -> _Bucket:
        if self.kind is BreakKind.MEAL and self.is_bona_fide_meal(policy):
            unpaid = policy.meal_unpaid
        elif self.kind is BreakKind.MEAL:
            unpaid = not policy.short_meal_paid
        else:
            unpaid = not policy.rest_paid
        return _Bucket.UNPAID_BREAK if unpaid else _Bucket.PAID_BREAK


def _tally_shift(shift: Shift, policy: BreakPolicy, calendar: _Calendar, tallies: list[_Tally], now: datetime) -> None:
    """Add the shift's time to the days it was worked in, and its flags to the day it started."""
    until_at = shift.end if shift.end is not None else max(now, shift.start)
    start, until = _seconds(shift.start), _seconds(until_at)
    breaks = _measure_breaks(shift, policy, until_at)
    touched: set[int] = set()
    for piece_start, piece_end, bucket in _pieces(start, until, breaks, policy):
        for index, seconds in calendar.split(piece_start, piece_end):
            tallies[index].seconds[bucket] += seconds
            touched.add(index)
    for brk in breaks:
        brk_day = calendar.index_of(brk.start)
        if brk_day is not None:
            tallies[brk_day].breaks.append(brk.row(policy))
    home = calendar.index_of(start)
    if home is not None:
        tallies[home].flags.update(_shift_flags(shift, start, until))
        tallies[home].pending_corrections += shift.pending_corrections
        if shift.job:
            tallies[home].jobs.append(shift.job)
        touched.add(home)
    if shift.open:
        for index in touched:
            tallies[index].still_open()
    if not shift.orphan:
        _tally_clock_times(shift, calendar, tallies, home)


def _tally_clock_times(shift: Shift, calendar: _Calendar, tallies: list[_Tally], home: int | None) -> None:
    """Clock-in on the day it happened; clock-out on the day of the last second worked."""
    if home is not None:
        tallies[home].clocked_in(shift.start)
    if shift.end is None:
        return
    out_day = calendar.index_of(max(_seconds(shift.end) - 1, _seconds(shift.start)))
    if out_day is not None:
        tallies[out_day].clocked_out(shift.end)


def _measure_breaks(shift: Shift, policy: BreakPolicy, until: datetime) -> list[_MeasuredBreak]:
    """The shift's breaks in epoch seconds, inside the shift and never overlapping."""
    clipped = _clip_breaks(shift.breaks, shift.start, until, still_open=shift.open)
    return [
        _MeasuredBreak(
            start=_seconds(brk.start),
            end=_seconds(brk.end if brk.end is not None else until),
            kind=brk.kind or policy.default_kind,
            ongoing=brk.end is None,
        )
        for brk in clipped
    ]


def _pieces(
    start: int, until: int, breaks: list[_MeasuredBreak], policy: BreakPolicy
) -> Iterator[tuple[int, int, _Bucket]]:
    """The shift cut into on-duty and break stretches that add up to its elapsed time."""
    cursor = start
    for brk in breaks:
        yield cursor, brk.start, _Bucket.ON_TASK
        yield brk.start, brk.end, brk.bucket(policy)
        cursor = brk.end
    yield cursor, until, _Bucket.ON_TASK


def _shift_flags(shift: Shift, start: int, until: int) -> set[str]:
    flags = set(shift.flags)
    if shift.pending:
        flags.add(Flag.PENDING_CORRECTION)
    if until - start > LONG_SHIFT_SECONDS:
        flags.add(Flag.LONG_SHIFT)
    return flags


# ---------------------------------------------------------------------------------------------
# Meal rules, judged per work period


def _work_periods(shifts: list[Shift], calendar: _Calendar) -> dict[int, list[Shift]]:
    """Shifts that start in the same workday make one work period for meal purposes: a split
    shift is judged as a whole, on the day it started. Shifts before the calendar are not judged."""
    periods: dict[int, list[Shift]] = defaultdict(list)
    for shift in sorted(shifts, key=lambda shift: shift.start):
        home = calendar.index_of(_seconds(shift.start))
        if home is not None and not shift.orphan:
            periods[home].append(shift)
    return periods


@dataclass
class _WorkPeriod:
    """What meal rules look at: seconds of work (hours worked), and how much work came before
    each bona fide meal began."""

    worked: int = 0
    meals: list[int] = field(default_factory=list)
    short_meal: bool = False
    _work_since_meal: bool = True

    def work(self, seconds: int) -> None:
        if seconds > 0:
            self.worked += seconds
            self._work_since_meal = True

    def meal(self) -> None:
        if self._work_since_meal:  # a meal that runs into an off-the-clock gap is one meal
            self.meals.append(self.worked)
            self._work_since_meal = False


def _measure_work_period(period: list[Shift], policy: BreakPolicy, now: datetime) -> _WorkPeriod:
    """Walk the period in time order. Paid breaks are work; a bona fide meal, or an off-the-clock
    gap of a meal's length between two shifts, is a meal starting where it starts; a shorter gap
    or an unpaid short meal is neither."""
    measured = _WorkPeriod()
    previous_end: int | None = None
    for shift in period:
        until_at = shift.end if shift.end is not None else max(now, shift.start)
        start, until = _seconds(shift.start), _seconds(until_at)
        if previous_end is not None and start - previous_end >= policy.min_meal_minutes * 60:
            measured.meal()
        cursor = start
        for brk in _measure_breaks(shift, policy, until_at):
            measured.work(brk.start - cursor)
            if brk.kind is BreakKind.MEAL and not brk.is_bona_fide_meal(policy):
                measured.short_meal = True
            if brk.kind is BreakKind.MEAL and brk.is_bona_fide_meal(policy):
                measured.meal()
            elif brk.bucket(policy) is _Bucket.PAID_BREAK:
                measured.work(brk.seconds)
            cursor = brk.end
        measured.work(until - cursor)
        previous_end = max(until, previous_end or until)
    return measured


def _meal_flags(period: list[Shift], org: Org, now: datetime) -> set[str]:
    rules = org.meal_rule_set
    if not rules.flags_meals:
        return set()
    measured = _measure_work_period(period, org.break_policy, now)
    flags: set[str] = {Flag.SHORT_MEAL} if measured.short_meal else set()
    return flags | _judge_meals(rules, org.break_policy, measured)


def _judge_meals(rules: MealRuleSet, policy: BreakPolicy, period: _WorkPeriod) -> set[str]:
    """Each meal the rules owe must have been taken, inside its window, unless the org waives it.

    A meal is owed once the work counted from its origin is *more than* its threshold (exactly
    600 minutes owes one meal, not two); a waiver covers a period of at most its limit.
    """
    flags: set[str] = set()
    origin = previous_deadline = 0
    first_waived = False
    for nth, rule in enumerate(rules.meals[: len(_MEAL_FLAGS)]):
        missed, late, early = _MEAL_FLAGS[nth]
        if rule.from_previous_meal and nth > 0:
            origin = period.meals[nth - 1] if len(period.meals) >= nth else previous_deadline
        if period.worked - origin <= rule.owed_over * 60:
            break
        waiver_on = policy.first_meal_waiver if nth == 0 else policy.second_meal_waiver and not first_waived
        if waiver_on and rule.waivable_up_to is not None and period.worked <= rule.waivable_up_to * 60:
            first_waived = nth == 0 and not period.meals
            continue
        previous_deadline = origin + (rule.start_by if rule.start_by is not None else rule.owed_over) * 60
        if len(period.meals) <= nth:
            flags.add(missed)
            continue
        offset = period.meals[nth] - origin
        if rule.start_by is not None and offset > rule.start_by * 60:
            flags.add(late)
        elif offset < rule.start_after * 60:
            flags.add(early)
    return flags


def _split_pay(policy: OvertimePolicy, paid_by_day: list[int]) -> list[_Pay]:
    """Regular/overtime/double time per day; the list starts on a workweek's first day."""
    week_rule = _california_week if policy is OvertimePolicy.CALIFORNIA else _flsa_week
    return [pay for first in range(0, len(paid_by_day), 7) for pay in week_rule(paid_by_day[first : first + 7])]


def _flsa_week(paid_by_day: list[int]) -> list[_Pay]:
    """Paid time beyond 40 h in the workweek, in the order it was worked, is overtime."""
    pays: list[_Pay] = []
    before = 0
    for paid in paid_by_day:
        regular = min(paid, max(WEEKLY_LIMIT_SECONDS - before, 0))
        pays.append(_Pay(regular, overtime=paid - regular))
        before += paid
    return pays


def _california_week(paid_by_day: list[int]) -> list[_Pay]:
    """Daily 8/12 h (7th consecutive day: all overtime, double beyond 8 h), then regular time
    beyond 40 h in the week becomes overtime in the order it was worked."""
    seventh_day = len(paid_by_day) == 7 and all(paid > 0 for paid in paid_by_day)
    daily = [_california_day(paid, is_seventh=seventh_day and index == 6) for index, paid in enumerate(paid_by_day)]
    pays: list[_Pay] = []
    regular_before = 0
    for day in daily:
        regular = min(day.regular, max(WEEKLY_LIMIT_SECONDS - regular_before, 0))
        pays.append(replace(day, regular=regular, overtime=day.overtime + day.regular - regular))
        regular_before += day.regular
    return pays


def _california_day(paid: int, is_seventh: bool) -> _Pay:
    if is_seventh:
        return _Pay(0, overtime=min(paid, DAILY_LIMIT_SECONDS), double_time=max(paid - DAILY_LIMIT_SECONDS, 0))
    regular = min(paid, DAILY_LIMIT_SECONDS)
    double_time = max(paid - DAILY_DOUBLE_SECONDS, 0)
    return _Pay(regular, overtime=paid - regular - double_time, double_time=double_time)


def _expenses_by_day(expenses: Iterable[Expense]) -> dict[date, tuple[Expense, ...]]:
    by_day: dict[date, list[Expense]] = defaultdict(list)
    for expense in sorted(expenses, key=lambda expense: (expense.recorded_at, expense.expense_id)):
        by_day[expense.spent_on].append(expense)
    return {day: tuple(day_expenses) for day, day_expenses in by_day.items()}


def _sum(rows: tuple[DayRow, ...]) -> Totals:
    return Totals(
        on_task_seconds=sum(row.on_task_seconds for row in rows),
        paid_break_seconds=sum(row.paid_break_seconds for row in rows),
        unpaid_break_seconds=sum(row.unpaid_break_seconds for row in rows),
        regular_seconds=sum(row.regular_seconds for row in rows),
        overtime_seconds=sum(row.overtime_seconds for row in rows),
        double_time_seconds=sum(row.double_time_seconds for row in rows),
        flags=tuple(sorted({flag for row in rows for flag in row.flags})),
        open_shift=any(row.open_shift for row in rows),
        pending_corrections=sum(row.pending_corrections for row in rows),
        expenses=tuple(expense for row in rows for expense in row.expenses),
    )


_seconds = epoch_seconds  # whole seconds since the epoch (sub-second parts dropped)
_instant = from_epoch
