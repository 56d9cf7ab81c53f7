"""What every store guarantees the state machine: version checks, new events only, delivery replay,
ranges that find what they should, and one winner when many write at once."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core import commands as c
from core.domain.model import (
    Channel,
    Correction,
    CorrectionDecision,
    Decision,
    Expense,
    PendingCorrection,
    Punch,
    PunchKind,
    Status,
    WorkerState,
)
from core.domain.transitions import Origin
from core.ports import (
    Change,
    Conflict,
    DuplicateDelivery,
    Invite,
    Outcome,
    RepeatedChange,
    RepeatGuard,
    SendSlot,
    StaleWorker,
)
from core.services.dispatch import handle
from core.services.ports import Ports

T0 = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def punch(worker_id: str, kind: PunchKind, at: datetime, event_id: str, **extra: object) -> Punch:
    return Punch(
        event_id=event_id,
        worker_id=worker_id,
        org_id="acme",
        kind=kind,
        at=at,
        recorded_at=at,
        channel=Channel.SMS,
        actor_id=worker_id,
        shift_id="s1",
        **extra,  # type: ignore[arg-type]
    )


def clocked_in(store, ana, at=T0, event_id="e1"):  # type: ignore[no-untyped-def]
    worker = replace(ana, state=WorkerState(status=Status.ON_SHIFT, since=at))
    return store.commit(
        Change(
            "acme",
            worker=worker,
            expected_version=ana.version,
            punches=(punch(ana.worker_id, PunchKind.CLOCK_IN, at, event_id),),
        )
    )


def test_a_change_commits_only_on_the_version_it_was_planned_on(store, ana):  # type: ignore[no-untyped-def]
    saved = clocked_in(store, ana)
    assert saved.version == ana.version + 1 and isinstance(saved.version, int)
    # A second change planned on the old version is refused, and says how the worker is now
    with pytest.raises(StaleWorker) as stale:
        clocked_in(store, ana, T0 + timedelta(minutes=1), "e2")
    assert stale.value.current.version == saved.version
    assert stale.value.current.state.status is Status.ON_SHIFT
    # And nothing of it was written
    events = store.worker_events(ana.worker_id, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [p.event_id for p in events.punches] == ["e1"]


def test_an_event_is_written_once(store, ana):  # type: ignore[no-untyped-def]
    one = punch(ana.worker_id, PunchKind.CLOCK_IN, T0, "e1")
    store.commit(Change("acme", punches=(one,)))
    with pytest.raises(Conflict):
        store.commit(Change("acme", punches=(one, punch(ana.worker_id, PunchKind.CLOCK_OUT, T0, "e2"))))
    assert len(store.worker_events(ana.worker_id, T0, T0).punches) == 1  # all or nothing


def test_a_delivery_is_answered_once_and_replayed(store, ana):  # type: ignore[no-untyped-def]
    answer = Outcome("clocked_in", {"at": T0.isoformat()}, worker_version=2)
    clocked = replace(ana, state=WorkerState(status=Status.ON_SHIFT, since=T0))
    store.commit(Change("acme", worker=clocked, expected_version=ana.version), ("sms:SM1", answer))
    assert store.get_delivery("sms:SM1") == answer
    # The same delivery again: nothing written, the first answer handed back
    with pytest.raises(DuplicateDelivery) as dup:
        store.commit(
            Change("acme", punches=(punch(ana.worker_id, PunchKind.CLOCK_OUT, T0, "e9"),)), ("sms:SM1", answer)
        )
    assert dup.value.outcome == answer
    assert store.worker_events(ana.worker_id, T0, T0).punches == []
    assert store.get_delivery("sms:unseen") is None


def test_an_answer_kept_for_the_next_window_too_makes_that_window_a_duplicate(store, ana):  # type: ignore[no-untyped-def]
    # A slash command's answer is stored under its minute's id and the next minute's, in one write
    answer = Outcome("break_started", {"at": T0.isoformat()}, worker_version=2)
    on_shift = replace(ana, state=WorkerState(status=Status.ON_SHIFT, since=T0))
    change = Change("acme", worker=on_shift, expected_version=ana.version, also_answers="slack:cmd-w2")
    store.commit(change, ("slack:cmd-w1", answer))
    assert store.get_delivery("slack:cmd-w1") == answer == store.get_delivery("slack:cmd-w2")
    # The retype in the next minute: its own id is taken, nothing written, the first answer back
    retyped = Change("acme", punches=(punch(ana.worker_id, PunchKind.BREAK_START, T0, "e7"),), also_answers="x:w3")
    with pytest.raises(DuplicateDelivery) as dup:
        store.commit(retyped, ("slack:cmd-w2", answer))
    assert dup.value.outcome == answer
    assert store.get_delivery("x:w3") is None and store.worker_events(ana.worker_id, T0, T0).punches == []
    # A change whose next-minute id is taken is a duplicate too (typed earlier, arrived later)
    late = Change("acme", punches=(punch(ana.worker_id, PunchKind.BREAK_START, T0, "e8"),), also_answers="slack:cmd-w2")
    with pytest.raises(DuplicateDelivery):
        store.commit(late, ("slack:cmd-w0", answer))
    assert store.get_delivery("slack:cmd-w0") is None


def test_deciding_a_correction_closes_it_once(store, ana, manager):  # type: ignore[no-untyped-def]
    claimed = punch(ana.worker_id, PunchKind.CLOCK_OUT, T0, "e-out", correction=Correction(reason="forgot"))
    pending = PendingCorrection("acme", ana.worker_id, "e-out", PunchKind.CLOCK_OUT, T0, T0, "forgot")
    store.commit(Change("acme", punches=(claimed,), opened=(pending,)))
    assert [p.event_id for p in store.pending_corrections("acme")] == ["e-out"]
    worker, waiting = store.worker_and_waiting(ana.worker_id)  # what STATUS reads: one query
    assert (worker.worker_id if worker else None, waiting) == (ana.worker_id, 1)
    decision = CorrectionDecision(
        "d1", ana.worker_id, "acme", "e-out", Decision.APPROVED, manager.worker_id, T0, Channel.SLACK
    )
    store.commit(Change("acme", decision=decision, closed=pending))
    assert store.pending_corrections("acme") == []
    assert store.worker_and_waiting(ana.worker_id)[1] == 0
    assert store.worker_and_waiting("nobody") == (None, 0)
    with pytest.raises(Conflict):  # a second manager's decision finds it closed
        store.commit(Change("acme", decision=replace(decision, event_id="d2"), closed=pending))
    events = store.worker_events(ana.worker_id, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [d.event_id for d in events.decisions] == ["d1"]


def test_ranges_find_events_and_expenses_of_the_worker_and_the_org(store, ana, manager):  # type: ignore[no-untyped-def]
    store.commit(Change("acme", punches=(punch(ana.worker_id, PunchKind.CLOCK_IN, T0, "a1"),)))
    store.commit(Change("acme", punches=(punch(manager.worker_id, PunchKind.CLOCK_IN, T0 + timedelta(days=1), "m1"),)))
    fuel = Expense("x1", ana.worker_id, "acme", Decimal("12.50"), "USD", "fuel", date(2026, 11, 16), T0, Channel.SMS)
    store.commit(Change("acme", expense=fuel))
    assert [p.event_id for p in store.worker_events(ana.worker_id, T0, T0 + timedelta(days=2)).punches] == ["a1"]
    org_day = store.org_events("acme", T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [p.event_id for p in org_day.punches] == ["a1"]
    assert [p.event_id for p in store.org_events("acme", T0, T0 + timedelta(days=2)).punches] == ["a1", "m1"]
    assert store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16)) == [fuel]
    assert store.org_expenses("acme", date(2026, 11, 17), date(2026, 11, 30)) == []
    assert store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16))[0].amount == Decimal("12.50")
    with pytest.raises(Conflict):  # only an expense that exists gets a receipt
        store.attach_receipt(replace(fuel, expense_id="x-none"), "r/1.jpg")
    assert store.attach_receipt(fuel, "r/1.jpg").receipt_key == "r/1.jpg"
    assert store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16))[0].receipt_key == "r/1.jpg"


def test_only_workers_on_shift_or_break_are_open(store, ana, manager):  # type: ignore[no-untyped-def]
    assert store.open_workers("acme") == []
    clocked_in(store, ana)
    assert [w.worker_id for w in store.open_workers("acme")] == [ana.worker_id]
    assert sorted(w.worker_id for w in store.list_workers("acme")) == sorted([ana.worker_id, manager.worker_id])


def test_twenty_simultaneous_clock_ins_open_one_shift(store, org, ana, clock):  # type: ignore[no-untyped-def]
    # Given twenty requests for one worker at once, each planned on the same cached worker
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def clock_in(i: int) -> None:
        barrier.wait()
        outcome = handle(c.ClockIn(), ana, org, Origin(Channel.SMS, f"d{i}"), Ports(store, clock))
        outcomes.append(outcome.code)

    threads = [threading.Thread(target=clock_in, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then exactly one shift is open and everyone else was told so
    assert outcomes.count("clocked_in") == 1, outcomes
    assert outcomes.count("already_in") == 19
    events = store.worker_events(ana.worker_id, clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=1))
    assert [p.kind for p in events.punches] == [PunchKind.CLOCK_IN]


def test_a_change_by_a_worker_commits_only_while_they_are_active(store, ana):  # type: ignore[no-untyped-def]
    fuel = Expense("x1", ana.worker_id, "acme", Decimal("5"), "USD", "fuel", date(2026, 11, 16), T0, Channel.SMS)
    store.commit(Change("acme", expense=fuel, by_active_worker=ana.worker_id))
    store.update_worker(replace(ana, active=False), ana.version)
    with pytest.raises(StaleWorker) as stale:
        store.commit(Change("acme", expense=replace(fuel, expense_id="x2"), by_active_worker=ana.worker_id))
    assert stale.value.current is not None and not stale.value.current.active
    assert [e.expense_id for e in store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16))] == [
        "x1"
    ]


def test_an_equal_change_moments_later_is_a_repeat(store, ana):  # type: ignore[no-untyped-def]
    answer = Outcome("expense_logged", {"amount": "5"})
    guard = RepeatGuard("expense-abc", T0, T0 + timedelta(minutes=10), answer)
    fuel = Expense("x1", ana.worker_id, "acme", Decimal("5"), "USD", "fuel", date(2026, 11, 16), T0, Channel.SMS)
    store.commit(Change("acme", expense=fuel, unless_repeat=guard))
    with pytest.raises(RepeatedChange) as repeat:
        store.commit(Change("acme", expense=replace(fuel, expense_id="x2"), unless_repeat=guard))
    assert repeat.value.outcome == answer
    later = replace(guard, now=T0 + timedelta(minutes=11), until=T0 + timedelta(minutes=21))
    store.commit(Change("acme", expense=replace(fuel, expense_id="x3"), unless_repeat=later))  # the guard expired
    assert len(store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16))) == 2


def test_wrong_codes_count_per_invite_until_it_is_voided(store, ana):  # type: ignore[no-untyped-def]
    invite = Invite("123456", "acme", "+15550009999", "Cy", "w-mia", T0 + timedelta(days=2))
    store.commit(Change("acme", invite=invite))
    assert [i.code for i in store.invites_for_phone("+15550009999")] == ["123456"]
    assert [store.count_wrong_code(invite) for _ in range(3)] == [1, 2, 3]
    store.void_invite(invite)
    assert store.count_wrong_code(invite) is None
    assert store.invites_for_phone("+15550009999") == [] and store.get_invite("123456") is None


def test_a_message_is_sent_once_and_a_dead_senders_lease_runs_out(store):  # type: ignore[no-untyped-def]
    lease = timedelta(seconds=30)
    assert store.begin_send("n1:w-mia:slack_dm", T0, lease) is SendSlot.CLAIMED
    assert store.begin_send("n1:w-mia:slack_dm", T0 + timedelta(seconds=5), lease) is SendSlot.BUSY
    # the first sender died: once its lease ran out, the message may go again
    assert store.begin_send("n1:w-mia:slack_dm", T0 + timedelta(seconds=31), lease) is SendSlot.CLAIMED
    store.finish_send("n1:w-mia:slack_dm", T0 + timedelta(seconds=32))
    assert store.begin_send("n1:w-mia:slack_dm", T0 + timedelta(days=1), lease) is SendSlot.SENT
    # a failed send gives its lease back at once
    assert store.begin_send("n1:+1555:sms", T0, lease) is SendSlot.CLAIMED
    store.abandon_send("n1:+1555:sms")
    assert store.begin_send("n1:+1555:sms", T0, lease) is SendSlot.CLAIMED
