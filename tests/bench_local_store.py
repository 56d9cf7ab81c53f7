"""`make bench`, the local store: the `make run` stack serving a crew, on SQLite and on the DynamoDB emulator.

For each store: the stack (`python -m infra.local`, as `make run` starts it) with 50 workers and
12 months of generated history (over 100,000 time records), then a shift change through the
local gateway, signed as Slack and Twilio sign: every worker clocks in within 60 s (half by
Slack, half by SMS; some texts redelivered with the same MessageSid, some workers typing in both
at once), beside a steady mix of break, back, expense and status. Measured: latency as the sender
sees it (p50/p95/p99/max), non-2xx answers, error replies ("Sorry..."), and an audit afterwards
(every punch the replies promised is stored once: none lost, none doubled); the same burst
against an empty store (history/empty p99 ratio); a closed loop of 16 senders for throughput;
restart time with the history (and the same board after it); the stack's memory; the database size.

With `--store dynamodb` the emulator reads the whole table for every index query (moto), so a
12-month burst would take far too long: there the burst runs on an empty store and on a week of
history, and the 12-month history is loaded (from the journal the stack would have saved) for
the restart and the memory.

Results go to bench/results.json under "local_store" (other keys in the file are kept).
Run alone: `python -m tests.bench_local_store [--quick]`.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
BENCH_DIR = ROOT / ".local" / "bench"  # each case's data dir, removed after
WORKERS = 50
HISTORY_DAYS = 365
BURST_SECONDS = 60.0
ZONE = "America/Chicago"
PHONE = "+1555556{:04d}"
SLACK_USER = "U0CREW{:02d}"
EMULATOR_BURST_DAYS = 7  # moto reads the whole table per index query: a year takes too long
LOOP_CLIENTS = 16
LOOP_SECONDS = 20.0


# -- the crew and its history ----------------------------------------------------------------


def crew_items(days: int, today: date, workers: int = WORKERS) -> Iterator[dict[str, Any]]:
    """The demo org (so the console's board shows the crew), `workers` workers, and `days` workdays of
    history each before `today`: a shift of 8 punches (two rests, a meal) a day, an expense every
    other day. Items exactly as the store writes them (core/store/items.py)."""
    from core.domain.ids import new_id
    from core.domain.model import (
        BreakKind,
        Channel,
        Expense,
        Org,
        Punch,
        PunchKind,
        ShiftInfo,
        Status,
        Worker,
        WorkerState,
    )
    from core.store import items as it
    from core.store import keys
    from infra.local import seed

    rng = random.Random(15)
    zone = ZoneInfo(ZONE)
    org = Org(org_id=seed.ORG_ID, name="Bench Crew", timezone=ZONE, slack_team_id=seed.SLACK_TEAM_ID, version=1)
    yield it.org_to_item(org)
    yield {**keys.slack_team_key(seed.SLACK_TEAM_ID), "type": "link", "org_id": org.org_id}
    workdays = [today - timedelta(days=n) for n in range(days, 0, -1)]
    workdays = [d for d in workdays if d.weekday() < 5]
    for i in range(workers):
        worker_id = f"w-crew{i:02d}"
        last: ShiftInfo | None = None
        for day in workdays:
            start = datetime.combine(day, clock_time(7, 0), zone) + timedelta(minutes=rng.randint(-20, 20))
            shift_id = new_id(start)
            times = [0, 150, 160, 270, 300, 420, 430, 510]  # minutes after clock-in
            kinds = [PunchKind.CLOCK_IN] + [PunchKind.BREAK_START, PunchKind.BREAK_END] * 3 + [PunchKind.CLOCK_OUT]
            breaks = [None, BreakKind.REST, None, BreakKind.MEAL, None, BreakKind.REST, None, None]
            ids = []
            for minutes, kind, brk in zip(times, kinds, breaks, strict=True):
                at = (start + timedelta(minutes=minutes + rng.randint(0, 4))).astimezone(UTC)
                ids.append(new_id(at))
                channel = Channel.SMS if i % 2 == 0 else Channel.SLACK
                yield it.punch_to_item(
                    Punch(ids[-1], worker_id, org.org_id, kind, at, at, channel, worker_id, shift_id, break_kind=brk)
                )
            end = start + timedelta(minutes=510)
            last = ShiftInfo(shift_id, start.astimezone(UTC), ids[0], None, end.astimezone(UTC), ids[-1])
            if day.toordinal() % 2 == i % 2:
                amount = Decimal(rng.randint(500, 9000)) / 100
                yield it.expense_to_item(
                    Expense(new_id(end), worker_id, org.org_id, amount, "USD", "fuel", day, end.astimezone(UTC),
                            Channel.SMS, note="diesel")
                )  # fmt: skip
        state = WorkerState(Status.OFF, last_shift=last, since=last.ended_at if last else None)
        worker = Worker(
            worker_id=worker_id,
            org_id=org.org_id,
            name=f"Crew {i:02d}",
            phone=PHONE.format(i),
            slack_team_id=seed.SLACK_TEAM_ID,
            slack_user_id=SLACK_USER.format(i),
            state=state,
            version=1 + 8 * len(workdays),
        )
        yield it.worker_to_item(worker)
        yield {**keys.phone_key(worker.phone or ""), "type": "lookup", "worker_id": worker_id}
        yield {
            **keys.slack_user_key(seed.SLACK_TEAM_ID, worker.slack_user_id or ""),
            "type": "lookup",
            "worker_id": worker_id,
        }


def time_records(items: list[dict[str, Any]]) -> int:
    return sum(1 for item in items if item.get("type") in ("punch", "expense"))


def load_sqlite(path: Path, items: list[dict[str, Any]]) -> float:
    from core.store import transfer
    from core.store.sqlite import SqliteTable

    started = time.perf_counter()
    table = SqliteTable(path)
    result = transfer.import_items(table, items)
    table.close()
    assert result.written == len(items), result
    return time.perf_counter() - started


def seed_journal(data_dir: Path, items: list[dict[str, Any]]) -> float:
    """The emulated table's journal as a stack with these items would have saved it
    (infra/local/persistence.py): the restart restores it, and the board shows whether it did."""
    from core.store.dynamodb import to_av

    started = time.perf_counter()
    with (data_dir / "table.jsonl").open("w", encoding="utf-8") as journal:
        for item in items:
            stored = to_av(item)
            journal.write(json.dumps({"key": {"PK": stored["PK"], "SK": stored["SK"]}, "item": stored}) + "\n")
    return time.perf_counter() - started


def load_emulator(endpoint: str, items: list[dict[str, Any]]) -> float:
    """Straight into the emulated table with BatchWriteItem (no transactions: moto would copy the
    table for each item); the stack journals what it wrote."""
    import boto3

    from core.store.dynamodb import to_av
    from infra.local.emulator import Resources

    client = boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    table = Resources().table
    started = time.perf_counter()
    for first in range(0, len(items), 25):
        pending: dict[str, Any] = {table: [{"PutRequest": {"Item": to_av(item)}} for item in items[first : first + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return time.perf_counter() - started


# -- Slack and Twilio, as they sign and send ---------------------------------------------------


@dataclass
class Answer:
    worker: int
    action: str
    channel: str
    seconds: float
    status: int
    reply: str


class Senders:
    WORDS = {
        "in": ("/clockin", "", "IN"),
        "break": ("/break", "", "BREAK"),
        "back": ("/back", "", "BACK"),
        "expense": ("/expense", "12.50 fuel", "EXP 12.50 fuel"),
        "status": ("/status", "", "STATUS"),
        "out": ("/clockout", "", "OUT"),
    }

    def __init__(self, gateway: str, data_dir: Path) -> None:
        made = json.loads((data_dir / "secrets.json").read_text())
        self._gateway = gateway
        self._signing_secret = made["slack_signing_secret"]
        self._account = made["twilio_account_sid"]
        self._auth_token = made["twilio_auth_token"]

    def send(self, worker: int, action: str, channel: str, sid: str | None = None) -> Answer:
        command, text, sms = self.WORDS[action]
        started = time.perf_counter()
        if channel == "slack":
            status, reply = self._slack(worker, command, text)
        else:
            status, reply = self._sms(worker, sms, sid or f"SM{uuid.uuid4().hex}")
        return Answer(worker, action, channel, time.perf_counter() - started, status, reply)

    def _slack(self, worker: int, command: str, text: str) -> tuple[int, str]:
        from slack_sdk.signature import SignatureVerifier

        from infra.local import seed

        user = SLACK_USER.format(worker)
        body = urlencode(
            {
                "token": "x",
                "team_id": seed.SLACK_TEAM_ID,
                "team_domain": seed.SLACK_TEAM_DOMAIN,
                "channel_id": f"D{user}",
                "channel_name": "directmessage",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": seed.SLACK_APP_ID,
                "response_url": f"{self._gateway}/nowhere",  # never called for commands answered in the ack
                "trigger_id": uuid.uuid4().hex,
            }
        ).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(self._signing_secret).generate_signature(
                timestamp=stamp, body=body.decode()
            ),
        }
        status, raw = _post(self._gateway + "/slack/events", body, headers)
        try:
            return status, str(json.loads(raw).get("text", ""))
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def _sms(self, worker: int, text: str, sid: str) -> tuple[int, str]:
        from twilio.request_validator import RequestValidator

        from infra.local import seed
        from infra.local.console import twiml_messages

        form = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self._account,
            "From": PHONE.format(worker),
            "To": seed.SMS_NUMBER,
            "Body": text,
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
        }
        url = self._gateway + "/sms/twilio"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": RequestValidator(self._auth_token).compute_signature(url, form),
        }
        status, raw = _post(url, urlencode(form).encode(), headers)
        replies = twiml_messages(raw.decode("utf-8", "replace")) if status == 200 else []
        return status, " ".join(replies)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as err:
        return int(err.code), err.read()
    except OSError as err:  # refused, reset, timed out: the sender saw no answer
        return 0, str(err).encode()


# -- the shift change --------------------------------------------------------------------------


@dataclass
class Step:
    at: float  # seconds after the burst starts
    action: str
    channel: str
    also: str | None = None  # "redeliver": the same text again (same MessageSid); "both": Slack and SMS at once


def burst_plan(seed_: int = 15) -> dict[int, list[Step]]:
    rng = random.Random(seed_)
    plan: dict[int, list[Step]] = {}
    for i in range(WORKERS):
        channel = "slack" if i % 2 else "sms"
        start = rng.uniform(0, BURST_SECONDS)
        steps = [Step(start, "in", channel, "redeliver" if i % 10 == 4 else "both" if i % 10 == 7 else None)]
        now = start
        if i % 3 == 0:
            now += rng.uniform(5, 20)
            steps.append(Step(now, "break", "sms" if i % 2 else "slack"))
            now += rng.uniform(5, 15)
            steps.append(Step(now, "back", channel))
        if i % 4 == 1:
            now += rng.uniform(3, 20)
            steps.append(Step(now, "expense", channel))
        for _ in range(rng.randint(1, 2)):
            now += rng.uniform(2, 15)
            steps.append(Step(now, "status", rng.choice(["slack", "sms"])))
        plan[i] = steps
    return plan


EXPECTED_PUNCHES = {"in": "clock_in", "break": "break_start", "back": "break_end"}


def run_burst(senders: Senders, plan: dict[int, list[Step]]) -> tuple[list[Answer], float, float]:
    """Each worker's steps in order, in a thread of its own, at their times: (answers, started, ended)."""
    answers: list[Answer] = []
    lock = threading.Lock()
    started = time.time()
    origin = time.perf_counter()

    def worker_thread(i: int) -> None:
        for step in plan[i]:
            time.sleep(max(0.0, step.at - (time.perf_counter() - origin)))
            got = _send_step(senders, i, step)
            with lock:
                answers.extend(got)

    threads = [threading.Thread(target=worker_thread, args=(i,)) for i in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, started, time.time()


def _send_step(senders: Senders, i: int, step: Step) -> list[Answer]:
    if step.also == "both":
        with_other: list[Answer] = []
        other = threading.Thread(target=lambda: with_other.append(senders.send(i, step.action, "slack")))
        other.start()
        mine = senders.send(i, step.action, "sms")
        other.join()
        return [mine, *with_other]
    if step.also == "redeliver":
        sid = f"SM{uuid.uuid4().hex}"
        first = senders.send(i, step.action, "sms", sid)
        return [first, senders.send(i, step.action, "sms", sid)]
    return [senders.send(i, step.action, step.channel)]


def is_error(answer: Answer) -> bool:
    return answer.status != 200 or "Sorry" in answer.reply or "went wrong" in answer.reply


def audit(
    store: Any,
    plan: dict[int, list[Step]],
    started: float,
    ended: float,
    expected_punches: dict[str, str] | None = None,
) -> dict[str, int]:
    """Punches stored in the burst's window against those its plan makes (both channels at once
    or a redelivery still make one): lost and duplicated, by worker and kind."""
    start = datetime.fromtimestamp(started - 5, UTC)
    end = datetime.fromtimestamp(ended + 5, UTC)
    punches = expected_punches or EXPECTED_PUNCHES
    lost = duplicated = stored_total = 0
    for i, steps in plan.items():
        expected = Counter(punches[s.action] for s in steps if s.action in punches)
        stored = Counter(p.kind.value for p in store.worker_events(f"w-crew{i:02d}", start, end).punches)
        stored_total += sum(stored.values())
        lost += sum((expected - stored).values())
        duplicated += sum((stored - expected).values())
    expected_total = sum(1 for steps in plan.values() for s in steps if s.action in punches)
    return {"punches_expected": expected_total, "punches_stored": stored_total, "lost": lost, "duplicated": duplicated}


def latency(answers: list[Answer]) -> dict[str, float]:
    seconds = sorted(a.seconds for a in answers)
    if not seconds:
        return {}

    def at(q: float) -> float:
        return round(seconds[min(len(seconds) - 1, int(q * len(seconds)))], 3)

    return {"p50_s": at(0.50), "p95_s": at(0.95), "p99_s": at(0.99), "max_s": round(seconds[-1], 3)}


def burst_figures(answers: list[Answer], started: float, ended: float) -> dict[str, Any]:
    return {
        "requests": len(answers),
        "seconds": round(ended - started, 1),
        **latency(answers),
        "non_2xx": sum(1 for a in answers if not 200 <= a.status < 300),
        "error_replies": sum(1 for a in answers if a.status == 200 and is_error(a)),
        "slack_over_3s": sum(1 for a in answers if a.channel == "slack" and a.seconds > 3),
        "sms_over_15s": sum(1 for a in answers if a.channel == "sms" and a.seconds > 15),
        "by_action": {k: latency([a for a in answers if a.action == k]) for k in sorted({a.action for a in answers})},
        "sample_errors": [f"{a.action}/{a.channel} {a.status}: {a.reply[:80]}" for a in answers if is_error(a)][:5],
    }


def closed_loop(senders: Senders, clients: int = LOOP_CLIENTS, seconds: float = LOOP_SECONDS) -> dict[str, Any]:
    """`clients` senders, each as fast as answers come: one worker out and in by SMS, asking its
    status in Slack between (Slack gives no delivery id: the same command typed over and over
    within a minute is taken for retyping, so the writes go by SMS): throughput."""
    answers: list[Answer] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    steps = [("out", "sms"), ("status", "slack"), ("in", "sms"), ("status", "slack")]

    def client(i: int) -> None:
        n = 0
        while time.perf_counter() < stop_at:
            action, channel = steps[n % len(steps)]
            got = senders.send(i, action, channel)
            n += 1
            with lock:
                answers.append(got)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(answers),
        "requests_per_s": round(len(answers) / took, 1),
        **latency(answers),
        "non_2xx": sum(1 for a in answers if a.status != 200),
        "error_replies": sum(1 for a in answers if a.status == 200 and is_error(a)),
    }


# -- the stack -------------------------------------------------------------------------------


def memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def store_of(stack: Any) -> Any:
    from tests.e2e.conftest import stored

    return stored(stack)


def caught_up(data_dir: Path) -> bool:
    """The notice pump has read the whole change log (a bulk load's rows are gone from it)."""
    with sqlite3.connect(data_dir / "punchclock.db") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM changes").fetchone()[0]) < 50


def run_case(
    store: str, days: int, *, restart: bool, loop: bool, burst: bool = True, journal: bool = False
) -> dict[str, Any]:
    from tests.e2e import conftest
    from tests.e2e.conftest import StackProcess, wait_for

    conftest.START_TIMEOUT = 600.0  # the emulator may take minutes to restore a year; measured, not failed

    # On the disk `make run` uses (.local/ is in the checkout), not a tmpfs: commits pay their fsync.
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{store}-{days}d-", dir=BENCH_DIR))
    data_dir = work / "local"
    data_dir.mkdir()
    today = datetime.now(ZoneInfo(ZONE)).date()
    items = list(crew_items(days, today))
    figures: dict[str, Any] = {"store": store, "history_days": days, "time_records": time_records(items)}
    stack = StackProcess(data_dir, store=store)
    try:
        if store == "sqlite":
            figures["load_s"] = round(load_sqlite(data_dir / "punchclock.db", items), 1)
            urls = stack.start()
            figures["first_start_s"] = round(stack.start_seconds, 2)
            wait_for("the notice pump to read the bulk load", lambda: caught_up(data_dir), timeout=300, every=0.5)
        elif journal:  # a year through the emulator's HTTP API takes minutes: start from its journal instead
            figures["load_s"] = round(seed_journal(data_dir, items), 1)
            urls = stack.start()
            figures["first_start_s"] = round(stack.start_seconds, 2)
        else:
            urls = stack.start()
            figures["load_s"] = round(load_emulator(urls["emulator"], items), 1)
        assert stack.process is not None
        pid = stack.process.pid
        senders = Senders(urls["gateway"], data_dir)
        # Warm: each door's first request imports its handler (a Lambda cold start), measured apart.
        figures["first_requests_s"] = [
            round(senders.send(0, "status", channel).seconds, 2) for channel in ("sms", "slack")
        ]
        if burst:
            plan = burst_plan()
            answers, started, ended = run_burst(senders, plan)
            time.sleep(1)
            figures["burst"] = burst_figures(answers, started, ended)
            figures["audit"] = audit(store_of(stack), plan, started, ended)
        if loop:
            figures["closed_loop"] = closed_loop(senders)
        figures["memory"] = memory_mb(pid)
        board = stack.api("GET", "/api/board")
        assert stack.stop() == 0
        figures["stop_s"] = round(stack.stop_seconds, 2)
        if store == "sqlite":
            figures["db_file_mb"] = round((data_dir / "punchclock.db").stat().st_size / 1e6, 1)
        else:
            figures["journal_file_mb"] = round((data_dir / "table.jsonl").stat().st_size / 1e6, 1)
        if restart:
            stack.start()
            figures["restart_s"] = round(stack.start_seconds, 2)
            figures["same_board_after_restart"] = stack.api("GET", "/api/board") == board
            figures["memory_after_restart"] = memory_mb(stack.process.pid)
            assert stack.stop() == 0
    finally:
        stack.kill()  # whatever failed, no stack is left running
    shutil.rmtree(work, ignore_errors=True)
    return figures


def summary(case: dict[str, Any]) -> str:
    burst = case.get("burst") or {}
    audit_ = case.get("audit") or {}
    parts = [f"{case['store']:<8} {case['history_days']:>3} days ({case['time_records']:>6} records)"]
    if burst:
        parts.append(
            f"burst {burst['requests']} req p50 {burst['p50_s']}s p99 {burst['p99_s']}s max {burst['max_s']}s, "
            f"non-2xx {burst['non_2xx']}, errors {burst['error_replies']}, "
            f"lost {audit_['lost']}, doubled {audit_['duplicated']}"
        )
    if "restart_s" in case:
        parts.append(f"restart {case['restart_s']}s (same board: {case['same_board_after_restart']})")
    parts.append(f"peak RSS {case['memory']['peak_rss_mb']} MB")
    return "; ".join(parts)


def save(results: dict[str, Any]) -> None:
    """Merged into bench/results.json: other keys stay as they are."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current["local_store"] = results
    RESULTS.write_text(json.dumps(current, indent=2) + "\n")


def bench_local_store(quick: bool = False) -> dict[str, Any]:
    """The figures, printed and saved. `quick`: a month of history instead of a year (a smoke run)."""
    days = 30 if quick else HISTORY_DAYS
    cases = {
        "sqlite_history": run_case("sqlite", days, restart=True, loop=True),
        "sqlite_empty": run_case("sqlite", 0, restart=False, loop=True),
        "dynamodb_empty": run_case("dynamodb", 0, restart=False, loop=True),
        "dynamodb_week": run_case("dynamodb", EMULATOR_BURST_DAYS, restart=False, loop=False),
        "dynamodb_history_restart": run_case("dynamodb", days, restart=True, loop=False, burst=False, journal=True),
    }
    for case in cases.values():
        print("local store: " + summary(case), flush=True)
    ratios = {}
    for store, with_history, empty in (
        ("sqlite", "sqlite_history", "sqlite_empty"),
        ("dynamodb", "dynamodb_week", "dynamodb_empty"),
    ):
        p99s = cases[with_history]["burst"]["p99_s"], cases[empty]["burst"]["p99_s"]
        ratios[store] = {
            "history_p99_over_empty_p99": round(p99s[0] / p99s[1], 2),
            "history_p50_over_empty_p50": round(
                cases[with_history]["burst"]["p50_s"] / cases[empty]["burst"]["p50_s"], 2
            ),
        }
        print(f"local store: {store} history/empty p99 {ratios[store]['history_p99_over_empty_p99']}", flush=True)
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": _cpus(), "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version},
        "burst_plan": f"{WORKERS} workers clock in within {BURST_SECONDS:.0f} s (half Slack, half SMS; 5 texts "
        "redelivered, 5 sent by Slack and SMS at once) plus break/back (1 in 3), expense (1 in 4), status (1-2 each)",
        "cases": cases,
        "history_vs_empty": ratios,
    }
    save(results)
    return results


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    bench_local_store(quick="--quick" in sys.argv)
