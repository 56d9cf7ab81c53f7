"""How long something took, as people read it: the one rounding rule of every reply, timesheet,
CSV and email. Raw punches and raw seconds are kept; only what is shown is rounded, here.

1. Instants count in whole seconds: the sub-second part of each instant is dropped before two
   are subtracted (`elapsed_seconds`), so the parts of a day always add up to the day.
2. A duration is shown in whole minutes, half a minute rounding up (`minutes`: 4m 29s is 4m,
   4m 30s is 5m). `/clockout`'s "Shift 4m", `/timesheet`'s 4m, the CSV's 4 and the email's 4m
   are one number for one shift.
3. Parts of one whole (on task + paid breaks = hours worked; regular + overtime + double time
   = hours worked) are shown so that they add up to the whole as shown (`minutes_of_parts`).
4. A total over rows (a week of days, a team of workers) is the sum of its rows as shown, never
   the rounding of their summed seconds: a table adds up as printed (core/timesheet.py `Minutes`).
5. Decimal hours (payroll files) are the shown minutes divided by 60, to two places, parts of a
   whole adding up as in 3 (`hours_of_parts`); a file's total is again the sum of its rows.
6. An org may round clock-in and clock-out times in its timesheets and reports to the nearest 1,
   5, 6 or 15 minutes of the local clock (`Org.rounding_minutes`, `round_to_nearest`): nearest,
   so as often up as down, which is what 29 CFR 785.48(b) asks of rounding. Break punches are
   never rounded (California forbids rounding meal punches). Replies to a punch show the time
   punched; with no rounding (the default) they and every report agree to the minute.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

ROUNDING_CHOICES = (0, 1, 5, 6, 15)  # minutes; 0: no rounding
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_HUNDREDTH = Decimal("0.01")


def epoch_seconds(instant: datetime) -> int:
    """Whole seconds since the epoch (the sub-second part dropped)."""
    return (instant - _EPOCH) // _SECOND


def from_epoch(seconds: int) -> datetime:
    return _EPOCH + seconds * _SECOND


def elapsed_seconds(start: datetime, end: datetime) -> int:
    """Whole seconds from `start` to `end` (never negative), as every timesheet counts them."""
    return max(0, epoch_seconds(end) - epoch_seconds(start))


def minutes(seconds: int) -> int:
    """Whole minutes, half a minute rounding up: what a person reads for `seconds`."""
    return (seconds + 30) // 60


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Minutes from `start` to `end` as shown: a reply's duration, the same as a timesheet's."""
    return minutes(elapsed_seconds(start, end))


def minutes_of_parts(*parts: int) -> tuple[int, ...]:
    """Whole minutes of parts (seconds) of one whole, shown so that they add up to the whole's
    minutes: each part is the rounded running total less the rounded total before it."""
    shown: list[int] = []
    running = before = 0
    for part in parts:
        running += part
        shown.append(minutes(running) - before)
        before = minutes(running)
    return tuple(shown)


def hours(minutes_shown: int) -> Decimal:
    """Shown minutes as decimal hours to two places (half up): 485 -> 8.08."""
    return (Decimal(minutes_shown) / 60).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def hours_of_parts(*parts: int) -> tuple[Decimal, ...]:
    """Decimal hours of parts (shown minutes) of one whole, adding up to `hours(sum(parts))`."""
    shown: list[Decimal] = []
    running = 0
    before = Decimal("0.00")
    for part in parts:
        running += part
        shown.append(hours(running) - before)
        before = hours(running)
    return tuple(shown)


def round_to_nearest(instant: datetime, increment_minutes: int, zone: tzinfo) -> datetime:
    """`instant` moved to the nearest multiple of `increment_minutes` on the local clock of `zone`
    (exactly half way: up); unchanged when the increment is 0. Whole seconds, like every instant
    a timesheet counts."""
    if increment_minutes <= 0:
        return instant
    step = increment_minutes * 60
    offset = instant.astimezone(zone).utcoffset() or timedelta(0)
    shift = offset // _SECOND
    local = epoch_seconds(instant) + shift
    return from_epoch((local + step // 2) // step * step - shift)
