"""`make bench`'s in-process deployment at a tiny size (no timings asserted): the counters count
what the handlers call, and a scripted day with its sweeps prices into a worker-month."""

from __future__ import annotations

from datetime import timedelta

from tests.bench.commands import COMMANDS, count_calls
from tests.bench.cost import priced
from tests.bench.rig import deployment
from tests.bench.week import scripted_week, worker_month


def test_each_command_through_its_door_is_counted() -> None:
    with deployment(workers=4) as rig:
        warm = count_calls(rig, "sms", 2, cold=False)
        cold = count_calls(rig, "slack", 3, cold=True)
        seen = rig.meter.of("dynamodb")
    assert set(warm) == set(COMMANDS)
    assert warm["clock_in"]["by_operation"]["TransactWriteItems"] == 1
    assert all(cold[c]["calls"] > warm[c]["calls"] for c in COMMANDS)  # a fresh container reads what it caches
    assert seen["TransactWriteItems"] >= 10 and "Scan" not in seen


def test_a_scripted_day_with_its_sweeps_is_counted_and_priced() -> None:
    with deployment(workers=3) as rig:
        ledger, replies = scripted_week(rig, workers=3, days=1, tick=timedelta(hours=1))
    assert replies == {"ok": 2 * 9}  # two workers (the manager does not punch), nine requests each
    assert ledger.buckets["report_sweeps"].aws_calls["sesv2.SendEmail"] >= 1  # the day's summary went
    assert ledger.buckets["commands"].write_units > 0
    cost = priced(worker_month(ledger, workers=3, workdays=1))
    assert cost["total_usd"] > 0
