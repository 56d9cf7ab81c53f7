"""The core services on moto DynamoDB where DynamoDB itself is the point: calls per command, TTLs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core import commands as c
from core.domain.model import Channel, Status
from core.domain.transitions import Origin
from core.services.dispatch import handle
from tests.unit.services.test_services import Phone

NY = ZoneInfo("America/New_York")
DAY = (datetime(2026, 11, 16, 5, tzinfo=UTC), datetime(2026, 11, 17, 5, tzinfo=UTC))


@pytest.fixture
def phone(ports, org, ana):  # type: ignore[no-untyped-def]
    return Phone(ports, org, ana.worker_id)


def test_clock_in_break_back_out_replies_and_budget(phone, clock, calls):  # type: ignore[no-untyped-def]
    calls.reset()
    _, reply = phone.text("in north-site")
    assert reply == "Clocked in 07:58 at north-site. Text BREAK, OUT, EXP 12.50 fuel, HELP."
    clock.advance(hours=4, minutes=32)
    _, reply = phone.text("lunch")
    assert reply == "Meal break started 12:30. On shift 4h 32m. Text BACK."
    clock.advance(minutes=32)
    _, reply = phone.text("back")
    assert reply == "Break 32m. On shift 5h 04m. Text BREAK, OUT."
    clock.advance(hours=4, minutes=28)
    _, reply = phone.text("out")
    assert reply == "Clocked out 17:30. Shift 9h 32m since 07:58. Text HOURS."
    # lookups are cached after the first text: one write per command
    assert calls.calls["TransactWriteItems"] == 4
    assert calls.total <= 4 + 2  # + the phone lookup and worker read on the first text
    assert "Scan" not in calls.calls


def test_cached_worker_commands_cost_one_call_each(ports, org, ana, clock, calls):  # type: ignore[no-untyped-def]
    phone = Phone(ports, org, ana.worker_id)
    phone.text("status")  # warms the cache
    for body, budget in [("in", 1), ("break", 1), ("back", 1), ("exp 12.50 fuel", 1), ("out", 2)]:
        clock.advance(minutes=10)
        calls.reset()
        out, _ = phone.text(body)
        assert out.ok, out
        assert calls.total <= budget, (body, calls.calls)


def test_stale_cache_costs_one_retry_not_a_wrong_answer(ports, org, ana, clock, calls):  # type: ignore[no-untyped-def]
    # Given a worker cached on shift here, who then took a break and came back elsewhere
    other = Phone(ports, org, ana.worker_id)
    other.text("in")
    stale = ports.store.get_worker(ana.worker_id)
    other.text("break")
    other.text("back")
    ports.store._workers[ana.worker_id] = (stale, 1e18)  # this container still holds the old copy
    # When this container handles BREAK
    calls.reset()
    out = handle(c.StartBreak(), stale, org, Origin(Channel.SLACK, "x1"), ports)
    # Then the condition failure returned the current worker and the retry succeeded
    assert out.code == "break_started"
    assert calls.calls["TransactWriteItems"] == 2


def test_refusals_write_nothing(phone, ports, ana, clock, calls):  # type: ignore[no-untyped-def]
    calls.reset()
    out, reply = phone.text("out")
    assert reply == "You are not clocked in. Text IN."
    out, reply = phone.text("back")
    assert not out.ok
    assert "TransactWriteItems" not in calls.calls
    phone.text("in")
    _, reply = phone.text("in")
    assert reply.startswith("You are already clocked in since 07:58.")


def test_time_records_never_carry_a_ttl(phone, ports, ddb, clock):  # type: ignore[no-untyped-def]
    phone.text("in")
    phone.text("exp 5 parking")
    clock.advance(hours=1)
    phone.text("out 8:30 forgot")
    items = ddb.scan(TableName="punchclock-test")["Items"]  # test inspection only
    for item in items:
        if item["type"]["S"] in {"punch", "decision", "expense", "worker", "org", "pending"}:
            assert "expires_at_epoch" not in item, item["type"]
    assert any(i["type"]["S"] == "delivery" and "expires_at_epoch" in i for i in items)


def test_unknown_text_gets_help_and_writes_nothing(phone, calls):  # type: ignore[no-untyped-def]
    calls.reset()
    out, reply = phone.text("blorp")
    assert not out.ok and reply
    assert "TransactWriteItems" not in calls.calls


def test_deactivated_worker_is_refused_and_nothing_written(phone, ports, ana, calls):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    ports.store.update_worker(replace(ana, active=False), ana.version)
    calls.reset()
    _, reply = phone.text("in")
    assert reply == "Your Punchclock access is switched off. Ask your manager."
    assert "TransactWriteItems" not in calls.calls


def test_deactivation_elsewhere_is_caught_at_commit(ports, org, ana, calls):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    cached = ports.store.get_worker(ana.worker_id)  # this container's copy, still active
    ports.store.update_worker(replace(ana, active=False), ana.version)  # the admin CLI elsewhere
    ports.store._workers[ana.worker_id] = (cached, 1e18)
    out = handle(c.ClockIn(), cached, org, Origin(Channel.SMS, "z1"), ports)
    assert out.code == "deactivated"
    assert ports.store.get_worker(ana.worker_id, fresh=True).state.status is Status.OFF
