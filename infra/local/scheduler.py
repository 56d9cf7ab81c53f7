"""EventBridge Scheduler without AWS: the template's schedules fire the jobs function under `make run`.

Each `AWS::Scheduler::Schedule` in infra/template.yaml (RemindersSchedule every minute,
ReportsSchedule every five) is read with its rate and its Input, and fired on the service clock
(infra/local/clock.py: real time, or `--fast`), the way Scheduler fires it: the Input's
placeholders (<aws.scheduler.scheduled-time>, -schedule-arn, -execution-id, -attempt-number)
filled in, the result parsed as the plain JSON event, and the target function invoked
asynchronously (Lambda's own retries and dead letters, infra/local/lambdas.py). The orgs' daily
summaries and weekly timesheets are not schedules of their own: the reports sweep runs those
due (core/services/jobs.py), so firing the template's schedules fires them too.

Ticks fall on the rate's boundaries of the service clock (every whole minute, every fifth), the
first one after the stack starts. Two liberties, both harmless because a sweep does everything
due by its own clock: ticks missed while the stack was stopped are not made up, and a tick that
comes while the same schedule's previous run is still going is skipped (at `--fast` speeds a
minute can be shorter than a sweep) rather than queued behind it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.domain.clock import Clock
from infra.template import Resolver, resources

log = logging.getLogger("infra.local")

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    logical_id: str
    name: str  # the schedule's Name, in its group
    arn: str
    every: timedelta
    target: str  # the target function's logical id
    input: str  # the Input, placeholders and all

    def event(self, scheduled_time: datetime, execution_id: str | None = None, attempt: int = 1) -> dict[str, Any]:
        """The JSON event Scheduler delivers for one firing."""
        filled = {
            "<aws.scheduler.scheduled-time>": scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "<aws.scheduler.schedule-arn>": self.arn,
            "<aws.scheduler.execution-id>": execution_id or str(uuid.uuid4()),
            "<aws.scheduler.attempt-number>": str(attempt),
        }
        text = self.input
        for placeholder, value in filled.items():
            text = text.replace(placeholder, value)
        event: dict[str, Any] = json.loads(text)
        return event

    def last_tick(self, now: datetime) -> datetime:
        """The latest of this schedule's boundaries at or before `now`."""
        step = self.every.total_seconds()
        return EPOCH + timedelta(seconds=(now - EPOCH).total_seconds() // step * step)

    @property
    def job(self) -> str:
        return str(json.loads(self.input).get("job", self.logical_id))


def template_schedules(resolver: Resolver) -> list[Schedule]:
    """The template's schedules with a rate expression and a Lambda target, resolved against `resolver`
    (AWS::Region, AWS::AccountId, the schedule group's name)."""
    found = []
    for logical_id, resource in resources("AWS::Scheduler::Schedule").items():
        props = resource["Properties"]
        rate = _RATE.match(str(props["ScheduleExpression"]).strip())
        target = props["Target"]
        arn = target["Arn"]
        if rate is None or not (isinstance(arn, dict) and "Fn::GetAtt" in arn):
            raise ValueError(f"{logical_id}: the local scheduler knows rate(...) schedules of a function only")
        group = resolver.value(props.get("GroupName", "default"))
        name = str(props.get("Name") or logical_id)
        found.append(
            Schedule(
                logical_id=logical_id,
                name=name,
                arn=f"arn:aws:scheduler:{resolver.refs['AWS::Region']}:{resolver.refs['AWS::AccountId']}"
                f":schedule/{group}/{name}",
                every=timedelta(seconds=int(rate[1]) * _UNITS[rate[2].rstrip("s")]),
                target=arn["Fn::GetAtt"][0],
                input=str(target.get("Input") or "{}"),
            )
        )
    return sorted(found, key=lambda s: s.every)


@dataclass
class _State:
    next_tick: datetime
    running: Future[Any] | None = None
    fired: int = 0
    skipped: int = 0
    last_event: dict[str, Any] | None = None


class LocalScheduler:
    """Fires `schedules` on `clock` through `invoke_async(target logical id, event)`, in a thread."""

    def __init__(
        self,
        schedules: list[Schedule],
        clock: Clock,
        invoke_async: Callable[[str, dict[str, Any]], Future[Any]],
        poll_seconds: float = 0.1,
    ) -> None:
        self.schedules = schedules
        self._clock = clock
        self._invoke_async = invoke_async
        self._poll = poll_seconds
        now = clock.now()
        self._state = {s.logical_id: _State(next_tick=s.last_tick(now) + s.every) for s in schedules}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def by_job(self, job: str) -> Schedule | None:
        return next((s for s in self.schedules if s.job == job), None)

    def tick(self) -> list[dict[str, Any]]:
        """Fire each schedule whose boundary the clock has passed; the events fired."""
        now = self._clock.now()
        fired = []
        with self._lock:
            for schedule in self.schedules:
                state = self._state[schedule.logical_id]
                if now < state.next_tick:
                    continue
                scheduled = schedule.last_tick(now)  # ticks missed in between: one run does what is due
                state.next_tick = scheduled + schedule.every
                if state.running is not None and not state.running.done():
                    state.skipped += 1
                    continue
                event = schedule.event(scheduled)
                state.running = self._invoke_async(schedule.target, event)
                state.fired += 1
                state.last_event = event
                fired.append(event)
        return fired

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                s.name: {
                    "every_seconds": s.every.total_seconds(),
                    "fired": self._state[s.logical_id].fired,
                    "skipped": self._state[s.logical_id].skipped,
                    "last_event": self._state[s.logical_id].last_event,
                    "next_tick": self._state[s.logical_id].next_tick.isoformat(),
                }
                for s in self.schedules
            }

    def start(self) -> None:
        def run() -> None:
            while not self._stop.wait(self._poll):
                try:
                    self.tick()
                except Exception:
                    log.exception("local scheduler tick failed; trying again")

        self._thread = threading.Thread(target=run, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
