"""Pay periods: a manager locks one that ended (`/punch lock`, `LOCK`, `punchclock period lock`);
a locked period takes no more corrections, and every report says whether its period is locked.

A period can be locked only once it is over, and only when no correction in it still waits for a
manager (decide those first: a lock must not leave anything undecidable). Workers may correct
the open period and the previous one until it is locked (core/domain/transitions.py checks the
lock in each correction's own transaction). A lock is a permanent record of who locked it, when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.commands import OnDay
from core.domain.model import Org, PendingCorrection, PeriodLock, Worker
from core.periods import pay_period, previous_pay_period, workday_of
from core.ports import Outcome
from core.services.access import manager_now
from core.services.ports import Ports


def period_days(org: Org, on: OnDay | None, today: date) -> tuple[date, date] | None:
    """The period holding the day named, or the last one that ended; None for a day that does not exist."""
    if on is None:
        return previous_pay_period(org, today)
    day = on.resolve(today, nearest=True)
    return pay_period(org, day) if day is not None else None


def lock_period(manager: Worker, org: Org, on: OnDay | None, ports: Ports) -> Outcome:
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    return lock(current, org, on, ports)


def lock(manager: Worker, org: Org, on: OnDay | None, ports: Ports) -> Outcome:
    """Lock the period for a manager already checked (the CLI names one)."""
    now = ports.clock.now()
    today = workday_of(org, org.tz, now)
    days = period_days(org, on, today)
    if days is None:
        return Outcome("day_not_found", ok=False)
    start, end = days
    data: dict[str, object] = {"start": start.isoformat(), "end": end.isoformat()}
    if end >= today:
        return Outcome("period_not_over", data, ok=False)
    waiting = [
        p
        for p in ports.store.pending_items(org.org_id)
        if isinstance(p, PendingCorrection) and start <= workday_of(org, org.tz, p.claimed_at) <= end
    ]
    if waiting:
        return Outcome("period_has_pending", data | {"count": len(waiting)}, ok=False)
    wanted = PeriodLock(org.org_id, start, end, manager.worker_id, now)
    earlier = ports.store.lock_period(wanted)
    if earlier is not None:
        locker = ports.store.get_worker(earlier.locked_by)
        name = locker.name if locker else earlier.locked_by
        return Outcome("period_already_locked", data | {"by": name, "locked_at": earlier.locked_at.isoformat()})
    return Outcome("period_now_locked", data)


@dataclass(frozen=True)
class PeriodStatus:
    """The pay period a report covers, and its lock if a manager locked it."""

    start: date
    end: date
    lock: PeriodLock | None = None

    @property
    def locked(self) -> bool:
        return self.lock is not None

    def words(self) -> dict[str, Any]:
        """The parameters of the catalogue's `report.period` (every report says it)."""
        return {
            "start": self.start,
            "end": self.end,
            "state": "locked" if self.lock else "open",
            "locked_at": self.lock.locked_at if self.lock else None,
        }


def period_status(org: Org, day: date, ports: Ports) -> PeriodStatus:
    """The pay period holding `day` and whether it is locked, for a report to say (one read)."""
    start, end = pay_period(org, day)
    return PeriodStatus(start, end, ports.store.period_lock(org.org_id, start))
