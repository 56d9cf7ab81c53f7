"""The local stack's scheduler and clock: the template's schedules, fired as Scheduler fires them."""

from __future__ import annotations

import json
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.domain.clock import FixedClock
from infra.local.clock import StackClock, load_clock, save_clock
from infra.local.scheduler import LocalScheduler, template_schedules
from infra.template import Resolver, resources

REFS = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "JobsScheduleGroup": "punchclock-local-jobs"}


def test_the_template_schedules_with_their_rates_targets_and_inputs() -> None:
    schedules = {s.job: s for s in template_schedules(Resolver(REFS))}
    assert sorted(schedules) == ["reminders", "reports"]
    assert schedules["reminders"].every == timedelta(minutes=1)
    assert schedules["reports"].every == timedelta(minutes=5)
    for job, schedule in schedules.items():
        declared = resources("AWS::Scheduler::Schedule")[schedule.logical_id]["Properties"]
        assert schedule.target == "JobsFunction" and schedule.input == declared["Target"]["Input"]
        assert schedule.arn == f"arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock-local-jobs/{job}"


def test_an_event_is_the_input_with_schedulers_placeholders_filled() -> None:
    [reminders, _] = template_schedules(Resolver(REFS))
    at = datetime(2026, 11, 16, 13, 5, tzinfo=UTC)
    event = reminders.event(at, execution_id="e-1")
    filled = (
        reminders.input.replace("<aws.scheduler.scheduled-time>", "2026-11-16T13:05:00Z")
        .replace("<aws.scheduler.schedule-arn>", reminders.arn)
        .replace("<aws.scheduler.execution-id>", "e-1")
        .replace("<aws.scheduler.attempt-number>", "1")
    )
    assert event == json.loads(filled)
    assert event["job"] == "reminders" and "<aws.scheduler" not in json.dumps(event)


def test_ticks_fall_on_the_rates_boundaries_of_the_service_clock() -> None:
    clock = FixedClock(datetime(2026, 11, 16, 13, 4, 30, tzinfo=UTC))
    fired: list[tuple[str, dict[str, Any]]] = []

    def invoke(target: str, event: dict[str, Any]) -> Future[Any]:
        fired.append((target, event))
        done: Future[Any] = Future()
        done.set_result(None)
        return done

    scheduler = LocalScheduler(template_schedules(Resolver(REFS)), clock, invoke)
    assert scheduler.tick() == []  # nothing before the first boundary after the start
    clock.set(datetime(2026, 11, 16, 13, 5, 0, tzinfo=UTC))
    assert [(e["job"], e["scheduled_time"]) for e in scheduler.tick()] == [
        ("reminders", "2026-11-16T13:05:00Z"),
        ("reports", "2026-11-16T13:05:00Z"),
    ]
    assert scheduler.tick() == []  # once per boundary
    # Minutes missed (a busy machine, a fast clock): one run, for the latest boundary
    clock.set(datetime(2026, 11, 16, 13, 8, 59, tzinfo=UTC))
    assert [(e["job"], e["scheduled_time"]) for e in scheduler.tick()] == [("reminders", "2026-11-16T13:08:00Z")]
    assert {target for target, _ in fired} == {"JobsFunction"}


def test_a_tick_while_the_previous_run_still_goes_is_skipped() -> None:
    clock = FixedClock(datetime(2026, 11, 16, 13, 4, 59, tzinfo=UTC))
    running: Future[Any] = Future()
    scheduler = LocalScheduler(template_schedules(Resolver(REFS))[:1], clock, lambda target, event: running)
    clock.advance(seconds=1)
    assert len(scheduler.tick()) == 1
    clock.advance(minutes=1)
    assert scheduler.tick() == []
    assert scheduler.stats()["reminders"]["skipped"] == 1
    running.set_result(None)
    clock.advance(minutes=1)
    assert len(scheduler.tick()) == 1


def test_the_fast_clock_runs_faster_and_a_data_dirs_clock_never_goes_back(tmp_path: Path) -> None:
    real = StackClock()
    assert abs(real.now() - datetime.now(UTC)) < timedelta(seconds=1) and real.ahead() < timedelta(seconds=1)
    fast = StackClock(144, start=datetime.now(UTC) + timedelta(days=2))
    assert fast.real_seconds(timedelta(days=1)) == 600
    assert fast.ahead() > timedelta(days=2) - timedelta(seconds=1)
    save_clock(tmp_path, fast)
    # A later start at real speed resumes from the fast run's time, then keeps real time
    resumed = load_clock(tmp_path)
    assert resumed.speed == 1 and resumed.now() >= fast.now() - timedelta(seconds=5)
    assert resumed.ahead() > timedelta(days=2) - timedelta(seconds=5)
    # A saved time in the past is real time now
    save_clock(tmp_path, StackClock(1, start=datetime(2020, 1, 1, tzinfo=UTC)))
    assert abs(load_clock(tmp_path).now() - datetime.now(UTC)) < timedelta(seconds=1)
    (tmp_path / "clock.json").write_text("not json")
    assert abs(load_clock(tmp_path).now() - datetime.now(UTC)) < timedelta(seconds=1)
