"""`scans` and `cost`: a scripted week of an org of 50 workers, through the real handlers.

Monday to Friday each worker clocks in, asks their status, takes a rest break and a meal break,
logs an expense, asks again and clocks out (even workers by SMS through the Twilio webhook, odd
ones by Slack, both signed); the notify function runs on what each request committed; every
quarter hour of the week (SWEEP_TICK), Monday 00:00 to the next Monday 09:00, the jobs function runs
the reminder sweep and the reports sweep with the Scheduler's input (daily summaries, the weekly
timesheet), and the notify function sends what they queued (emails through SES).

`scans`: Scan calls of every AWS client in the whole week (target 0). `cost`: what the week used,
per bucket (commands, reminder sweeps, report sweeps), turned into one worker-month: commands for
22 workdays, and the worker's share (1/50) of a month of sweeps at the template's rates (the
reminder sweep every minute, the reports every five minutes), each priced in tests/bench/cost.py.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.domain.clock import FixedClock
from infra.template import function_setting
from tests.bench.common import verdict
from tests.bench.cost import Usage, priced
from tests.bench.rig import Rig, deployment
from tests.bench.sms import segments

NY = ZoneInfo("America/New_York")
WEEK_START = datetime(2026, 11, 16, tzinfo=NY)  # a Monday
WORKDAYS_A_MONTH = 22
DAYS_A_MONTH = 30
TICK = timedelta(minutes=5)
# The full week sweeps every 15 minutes: moto evaluates every item of the table for each index query,
# so 4,000 sweeps over a growing week took 15 minutes; what a sweep costs is averaged per sweep anyway.
SWEEP_TICK = timedelta(minutes=15)
REMINDER_SWEEPS_A_DAY = 24 * 60  # rate(1 minute) in the template
REPORT_SWEEPS_A_DAY = 24 * 12  # rate(5 minutes)
# A worker's day: (local time, SMS text, Slack command, its text); minutes added per worker.
DAY = [
    ("08:00", "IN", "/clockin", ""),
    ("09:00", "STATUS", "/status", ""),
    ("10:00", "BREAK", "/break", ""),
    ("10:15", "BACK", "/back", ""),
    ("12:00", "LUNCH", "/break", "lunch"),
    ("12:30", "BACK", "/back", ""),
    ("13:00", "EXP 12.50 fuel", "/expense", "12.50 fuel"),
    ("15:00", "STATUS", "/status", ""),
    ("16:30", "OUT", "/clockout", ""),
]
LOG_LEVEL = logging.INFO  # the template's LOG_LEVEL
SERVICES = ("punchclock", "service_undefined")  # POWERTOOLS_SERVICE_NAME, or Powertools' name without it
FUNCTIONS = {"slack": "SlackFunction", "sms": "TwilioSmsFunction", "notify": "NotifyFunction", "jobs": "JobsFunction"}


@dataclass
class Bucket:
    """What one kind of work used in the week, in counts."""

    invocations: Counter[str] = field(default_factory=Counter)
    gb_seconds: Counter[str] = field(default_factory=Counter)
    aws_calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0
    http_requests: int = 0
    sms_segments: int = 0
    log_bytes: int = 0
    runs: int = 0  # requests or sweeps

    def usage(self, factor: float) -> Usage:
        return Usage(
            lambda_invocations={k: float(v) for k, v in self.invocations.items()},
            lambda_gb_seconds={k: float(v) for k, v in self.gb_seconds.items()},
            http_api_requests=self.http_requests,
            ddb_read_units=self.read_units,
            ddb_write_units=self.write_units,
            scheduler_invocations=self.invocations[FUNCTIONS["jobs"]],
            ses_messages=self.aws_calls["sesv2.SendEmail"] + self.aws_calls["ses.SendRawEmail"],
            s3_puts=self.aws_calls["s3.PutObject"],
            s3_gets=self.aws_calls["s3.GetObject"] + self.aws_calls["s3.HeadObject"],
            sms_segments=self.sms_segments,
            log_bytes=self.log_bytes,
            traced_invocations=sum(
                n for f, n in self.invocations.items() if function_setting(f, "Tracing") == "Active"
            ),
        ).scaled(factor)


class LogBytes:
    """The stream every logger's handler writes to during the week: counts bytes, shows nothing.
    The functions' loggers log at the template's LOG_LEVEL (INFO), as deployed."""

    def __init__(self) -> None:
        self.count = 0
        self._taken: list[tuple[logging.StreamHandler[Any], Any, logging.Logger, int]] = []

    def write(self, text: str) -> int:
        self.count += len(text.encode())
        return len(text)

    def flush(self) -> None:
        pass

    def capture(self) -> None:
        """Each handler made since (a handler module is imported on its first request) writes here."""
        named = [logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)]
        for logger in [logging.getLogger(), *named]:
            if logger.name.split(".")[0] in SERVICES and logger.level != LOG_LEVEL:  # Powertools' and children
                self._taken.append((logging.StreamHandler(), None, logger, logger.level))
                logger.setLevel(LOG_LEVEL)
            for handler in logger.handlers:
                # Exactly StreamHandler: what Powertools and the runtime make (not pytest's capture).
                if type(handler) is logging.StreamHandler and handler.stream is not self:
                    self._taken.append((handler, handler.stream, logger, logger.level))
                    handler.setStream(self)  # type: ignore[arg-type]

    def release(self) -> None:
        """Every handler and level as it was."""
        for handler, stream, logger, level in reversed(self._taken):
            if stream is not None:
                handler.setStream(stream)
            logger.setLevel(level)
        self._taken.clear()


class Ledger:
    """Attributes AWS calls, DynamoDB units, logs and Lambda time to the bucket of the work being done."""

    def __init__(self, rig: Rig) -> None:
        self.rig = rig
        self.logs = LogBytes()
        self.buckets: dict[str, Bucket] = {}
        self._memory_gb = {f: int(function_setting(f, "MemorySize") or 128) / 1024 for f in FUNCTIONS.values()}

    def run(self, bucket_name: str, function: str, call: Any) -> Any:
        bucket = self.buckets.setdefault(bucket_name, Bucket())
        meter = self.rig.meter
        before_calls, before_r, before_w = Counter(meter.calls), meter.read_units, meter.write_units
        lazy_before = len(self.rig.lazy.invoked)
        self.logs.capture()
        logged = self.logs.count
        started = time.perf_counter()
        result = call()
        took = time.perf_counter() - started
        # Bolt's lazy listeners are asynchronous invocations of the same function (run in `call`).
        bucket.invocations[function] += 1 + len(self.rig.lazy.invoked) - lazy_before
        bucket.gb_seconds[function] += max(0.001, round(took, 3)) * self._memory_gb[function]
        self._deliver(bucket)
        self.logs.capture()  # the first request of a handler made its logger
        bucket.log_bytes += self.logs.count - logged
        bucket.aws_calls.update(meter.calls - before_calls)
        bucket.read_units += meter.read_units - before_r
        bucket.write_units += meter.write_units - before_w
        return result

    def _deliver(self, bucket: Bucket) -> None:
        """The notify function on what was committed, one invocation per batch, timed."""
        for _ in range(3):
            started = time.perf_counter()
            delivered = self.rig.pump.pump()
            if not delivered:
                return
            bucket.invocations[FUNCTIONS["notify"]] += 1
            bucket.gb_seconds[FUNCTIONS["notify"]] += (time.perf_counter() - started) * self._memory_gb[
                FUNCTIONS["notify"]
            ]


def _jobs_event(job: str, at: datetime) -> dict[str, Any]:
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    arn = f"arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock/{job}"
    return {"job": job, "scheduled_time": stamp, "schedule_arn": arn, "execution_id": str(uuid.uuid4()), "attempt": "1"}


def scripted_week(rig: Rig, workers: int, days: int = 7, tick: timedelta = TICK) -> tuple[Ledger, dict[str, int]]:
    from notifications import jobs_handler
    from tests.integration.sms.helpers import LambdaContext

    ledger = Ledger(rig)
    plan: list[tuple[datetime, int, int]] = []  # (when, worker, step)
    for day in range(min(days, 5)):
        for i in range(1, workers):  # worker 0 is the manager who gets the reports
            for step, (at, *_) in enumerate(DAY):
                hour, minute = map(int, at.split(":"))
                when = WEEK_START + timedelta(days=day, hours=hour, minutes=minute + i % 7)
                plan.append((when, i, step))
    plan.sort()
    end = WEEK_START + timedelta(days=days, hours=9)
    now, next_action = WEEK_START, 0
    replies: Counter[str] = Counter()
    rig.meter.reset()
    try:
        while now <= end:
            while next_action < len(plan) and plan[next_action][0] < now + tick:
                when, i, step = plan[next_action]
                next_action += 1
                rig.clock.set(when.astimezone(UTC))
                _, sms_text, command, text = DAY[step]
                if i % 2 == 0:
                    status, reply = ledger.run("commands", FUNCTIONS["sms"], lambda i=i, t=sms_text: rig.text(i, t))
                    ledger.buckets["commands"].sms_segments += segments(sms_text) + (segments(reply) if reply else 0)
                else:
                    status, reply = ledger.run(
                        "commands", FUNCTIONS["slack"], lambda i=i, c=command, t=text: rig.slack(i, c, t)
                    )
                ledger.buckets["commands"].http_requests += 1
                replies["ok" if status == 200 and "Sorry" not in reply else f"{status} {reply[:60]}"] += 1
            rig.clock.set(now.astimezone(UTC))
            for job, bucket in (("reminders", "reminder_sweeps"), ("reports", "report_sweeps")):
                sent_before = len(rig.twilio_api.sent)
                ledger.run(
                    bucket,
                    FUNCTIONS["jobs"],
                    lambda j=job, at=now: jobs_handler.handler(_jobs_event(j, at), LambdaContext()),
                )
                ledger.buckets[bucket].runs += 1
                ledger.buckets[bucket].sms_segments += sum(
                    segments(m.get("Body", "")) for m in rig.twilio_api.sent[sent_before:]
                )
            now += tick
    finally:
        ledger.logs.release()  # the loggers as they were
    ledger.buckets["commands"].runs = len(plan)
    return ledger, dict(replies)


def worker_month(ledger: Ledger, workers: int, workdays: int) -> Usage:
    """Commands: per worker-workday times 22. Sweeps: the average sweep times a month of the
    template's schedule, shared by the org's workers."""
    buckets = ledger.buckets
    commands = buckets["commands"].usage(WORKDAYS_A_MONTH / (workdays * (workers - 1)))
    commands.sms_segments *= (workers - 1) / len(range(2, workers, 2))  # the texting workers' own, not an average
    usage = commands
    for name, per_day in (("reminder_sweeps", REMINDER_SWEEPS_A_DAY), ("report_sweeps", REPORT_SWEEPS_A_DAY)):
        bucket = buckets[name]
        usage = usage.plus(bucket.usage(per_day * DAYS_A_MONTH / bucket.runs / workers))
    return usage


def bench_week(quick: bool = False) -> dict[str, Any]:
    workers = 12 if quick else 50
    days = 2 if quick else 7
    started = time.perf_counter()
    with deployment(workers=workers, clock=FixedClock(WEEK_START.astimezone(UTC))) as rig:
        ledger, replies = scripted_week(rig, workers, days, SWEEP_TICK)
        all_calls = Counter(rig.meter.calls)
    took = time.perf_counter() - started
    if not all_calls["dynamodb.TransactWriteItems"]:
        raise RuntimeError("the meter saw no DynamoDB write: it counts nothing, and 0 scans would mean nothing")
    scans = {
        "target": 0,
        "scan_calls": all_calls["dynamodb.Scan"],
        "workers": workers,
        "days": days,
        "requests": ledger.buckets["commands"].runs,
        "reminder_sweeps": ledger.buckets["reminder_sweeps"].runs,
        "report_sweeps": ledger.buckets["report_sweeps"].runs,
        "replies": replies,
        "dynamodb_calls": {k.split(".", 1)[1]: v for k, v in sorted(all_calls.items()) if k.startswith("dynamodb.")},
        "other_aws_calls": {k: v for k, v in sorted(all_calls.items()) if not k.startswith("dynamodb.")},
        "seconds": round(took, 1),
    }
    usage = worker_month(ledger, workers, min(days, 5))
    cost = priced(usage)
    cost["usage_per_worker_month"] = json.loads(json.dumps(usage.__dict__, default=float))
    cost["per_bucket_in_the_week"] = {
        name: {
            "runs": b.runs,
            "lambda_invocations": dict(b.invocations),
            "read_units": round(b.read_units, 1),
            "write_units": round(b.write_units, 1),
            "log_kb": round(b.log_bytes / 1024, 1),
            "aws_calls": {k: v for k, v in sorted(b.aws_calls.items()) if not k.startswith("dynamodbstreams")},
        }
        for name, b in ledger.buckets.items()
    }
    cost["method"] = (
        f"a scripted week of {workers} workers (tests/bench/week.py); commands x {WORKDAYS_A_MONTH} workdays, "
        f"sweeps x a month at the template's rates / {workers} workers; Lambda GB-s from in-process durations on moto "
        "(whose index queries read the whole table: an upper bound) on this machine, not arm64 Lambda; "
        "DynamoDB units from item sizes, transactions 2x; Streams read by Lambda free"
    )
    return {"scans": scans, "cost": cost}


def print_week(results: dict[str, Any]) -> None:
    scans, cost = results["scans"], results["cost"]
    print(
        f"\nscans: {scans['scan_calls']} Scan calls in a week of {scans['workers']} workers "
        f"({scans['requests']} requests, {scans['reminder_sweeps']} reminder and "
        f"{scans['report_sweeps']} report sweeps); "
        f"target 0: {verdict(scans['scan_calls'] == 0)}"
    )
    print(f"  replies: {scans['replies']}")
    print(
        f"\ncost: one worker-month ${cost['total_usd']:.5f} excluding SMS; target <= ${cost['target_usd']}: "
        f"{verdict(cost['met'])} (prices {cost['prices_as_of']})"
    )
    for line, usd in cost["lines_usd"].items():
        print(f"  {line:<18} ${usd:.6f}")
    sms = cost["sms_usd_per_worker_month"]
    print(
        f"  SMS apart, a texting worker: {sms['segments']} segments = "
        f"${sms['twilio_usd']} (Twilio) / ${sms['aws_usd']} (AWS)"
    )
