"""The state machine as pure functions: no AWS, no clock but the one we pass."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from core.domain import amendments as a
from core.domain import transitions as t
from core.domain.model import BreakKind, Channel, Org, PunchKind, Status, Worker

NOW = datetime(2026, 11, 16, 12, 58, tzinfo=UTC)  # 07:58 New York
ORG = Org(org_id="o", name="Org", timezone="America/New_York")


def ctx(worker: Worker, now: datetime = NOW, **origin: object) -> t.Context:
    return t.context(worker, ORG, now, t.Origin(Channel.SMS, **origin))  # type: ignore[arg-type]


def apply(plan: t.Plan | t.Refusal) -> Worker:
    assert isinstance(plan, t.Plan), plan
    assert plan.change.worker is not None
    return plan.change.worker


@pytest.fixture
def off() -> Worker:
    return Worker(worker_id="w", org_id="o", name="Ana", version=3)


def test_clock_in_plans_one_punch_and_the_new_state(off: Worker) -> None:
    plan = t.plan_clock_in(ctx(off), "north", None)
    assert isinstance(plan, t.Plan)
    assert plan.change.expected_version == 3
    (punch,) = plan.change.punches
    assert (punch.kind, punch.at, punch.job, punch.correction) == (PunchKind.CLOCK_IN, NOW, "north", None)
    worker = apply(plan)
    assert worker.state.status is Status.ON_SHIFT
    assert worker.state.shift is not None and worker.state.shift.in_event_id == punch.event_id
    assert plan.outcome.code == "clocked_in"


def test_every_transition_in_order(off: Worker) -> None:
    w = apply(t.plan_clock_in(ctx(off), None, None))
    w = apply(t.plan_start_break(ctx(w, NOW + timedelta(hours=4)), BreakKind.MEAL))
    assert w.state.status is Status.ON_BREAK
    plan = t.plan_end_break(ctx(w, NOW + timedelta(hours=4, minutes=30)))
    assert isinstance(plan, t.Plan) and plan.outcome.data["break_minutes"] == 30
    w = apply(plan)
    plan = t.plan_clock_out(ctx(w, NOW + timedelta(hours=8, minutes=30)), None)
    assert isinstance(plan, t.Plan)
    assert plan.outcome.data["shift_minutes"] == 8 * 60 + 30
    assert apply(plan).state.status is Status.OFF


def test_clock_out_on_break_ends_the_break_too(off: Worker) -> None:
    w = apply(t.plan_clock_in(ctx(off), None, None))
    w = apply(t.plan_start_break(ctx(w, NOW + timedelta(hours=1)), None))
    plan = t.plan_clock_out(ctx(w, NOW + timedelta(hours=2)), None)
    assert isinstance(plan, t.Plan)
    assert [p.kind for p in plan.change.punches] == [PunchKind.BREAK_END, PunchKind.CLOCK_OUT]
    assert plan.outcome.data["break_minutes"] == 60


@pytest.mark.parametrize(
    ("planner", "code"),
    [
        (lambda c: t.plan_clock_out(c, None), "not_in"),
        (lambda c: t.plan_start_break(c, None), "not_in"),
        (t.plan_end_break, "not_in"),
    ],
)
def test_refusals_when_off(off: Worker, planner, code: str) -> None:  # type: ignore[no-untyped-def]
    result = planner(ctx(off))
    assert isinstance(result, t.Refusal) and result.outcome.code == code and not result.outcome.ok


def test_explicit_time_corrections_open_pending_markers(off: Worker) -> None:
    plan = a.plan_in(ctx(off, NOW + timedelta(minutes=22)), time(8, 0), "bus late", None, [])
    assert isinstance(plan, t.Plan)
    (punch,) = plan.change.punches
    assert punch.at == datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
    assert punch.recorded_at == NOW + timedelta(minutes=22)
    assert punch.correction is not None and punch.correction.reason == "bus late"
    assert [p.event_id for p in plan.change.opened] == [punch.event_id]
    # The notices go in the same write as the change (the outbox); the Home tab only for Slack users
    assert [n.kind for n in plan.change.notices] == ["correction_requested"]
    linked = a.plan_in(ctx(replace(off, slack_user_id="U1"), NOW), time(8, 0), "bus late", None, [])
    assert isinstance(linked, t.Plan)
    assert [n.kind for n in linked.change.notices] == ["state_changed", "correction_requested"]
    assert all(n.notice_id and n.channel == "sms" for n in linked.change.notices)


def test_amending_the_clock_in_of_the_open_shift(off: Worker) -> None:
    w = apply(t.plan_clock_in(ctx(off), None, None))
    plan = a.plan_in(ctx(w, NOW + timedelta(hours=1)), time(7, 30), "forgot", None, None)  # the state suffices
    assert isinstance(plan, t.Plan) and plan.outcome.code == "clock_in_amended"
    (punch,) = plan.change.punches
    assert punch.correction is not None
    assert punch.correction.amends == w.state.shift.in_event_id  # type: ignore[union-attr]


def test_send_time_kept_only_when_it_drifts(off: Worker) -> None:
    close = t.plan_clock_in(ctx(off, sent_at=NOW - timedelta(seconds=90)), None, None)
    far = t.plan_clock_in(ctx(off, sent_at=NOW - timedelta(minutes=3)), None, None)
    assert isinstance(close, t.Plan) and isinstance(far, t.Plan)
    assert close.change.punches[0].sent_at is None
    assert far.change.punches[0].sent_at == NOW - timedelta(minutes=3)


def test_manager_acting_for_a_worker_is_recorded_as_actor(off: Worker) -> None:
    plan = t.plan_clock_in(ctx(off, actor_id="mgr"), None, None)
    assert isinstance(plan, t.Plan) and plan.change.punches[0].actor_id == "mgr"
