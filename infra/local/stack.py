"""The whole system on one machine: the store, emulated AWS, the template's functions behind a
local gateway, fake Slack and Twilio, the demo organisation, and the console. Emails sent through
the emulated SES land in the outbox too.

The store is one SQLite file under the data dir (`--store sqlite`, the default: a real database,
core/store/sqlite.py), or the template's table in the DynamoDB emulator (`--store dynamodb`, to
check the production path; journalled by infra/local/persistence.py). The handlers build it
through the composition root from STORE and SQLITE_PATH, as they build DynamoDB in the cloud.

Two ports, both on 127.0.0.1:
- the gateway serves only the template's HttpApi routes: the one port a tunnel may expose;
- the console port serves the console page, its API, the fake Slack and Twilio APIs and the
  local Lambda Invoke API. It must never be exposed: it can act as anyone.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shlex
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Metrics

from core import bootstrap
from core.ports import Store
from core.services.ports import Ports
from core.store.item_store import ItemStore
from core.store.sqlite import SqliteStore
from infra.local import seed
from infra.local.clock import StackClock, load_clock, save_clock
from infra.local.console import Console, Secrets
from infra.local.emulator import (
    ACCOUNT_ID,
    REGION,
    STACK_NAME,
    Emulator,
    serialise_dynamodb,
    transactions_checked_before_written,
)
from infra.local.fakes import FakeSlack, FakeTwilio
from infra.local.gateway import API_ID, Gateway
from infra.local.http import LoopbackServer, Request, Response, Router
from infra.local.lambdas import Function, Functions
from infra.local.mail import SentMail
from infra.local.outbox import Outbox
from infra.local.persistence import BucketSnapshots, TableJournal, Upkeep, import_old_snapshot
from infra.local.scheduler import LocalScheduler, template_schedules
from infra.local.streams import DynamoStream, NoticePump, SqliteStream, Stream, is_notice_change
from infra.template import (
    Resolver,
    function_environment,
    function_setting,
    functions,
    http_routes,
    parameter_defaults,
)

log = logging.getLogger("infra.local")

DEFAULT_CONSOLE_PORT = 8700
DEFAULT_GATEWAY_PORT = 8701
# A deployment sends no email until the operator names a verified sender (SenderEmail is empty by
# default); the emulated SES verifies any address, so the local stack always has one.
LOCAL_SENDER_EMAIL = "punchclock@example.com"
STORES = ("sqlite", "dynamodb")
SQLITE_FILE = "punchclock.db"
STOP_SECONDS = 2.0  # Ctrl-C returns within 3 s (the interpreter's exit included): what runs longer is left behind
EXPIRY_SWEEP_SECONDS = 3600.0  # how often expired deliveries, notices and markers leave the SQLite file


@dataclass(frozen=True)
class Urls:
    console: str
    gateway: str
    public_base: str
    emulator: str
    outbox: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def load_secrets(data_dir: Path, environ: dict[str, str]) -> Secrets:
    """Secrets made once per data dir (a tunnelled gateway must not accept a well-known key).

    SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the
    environment win, for pointing a real Slack app or Twilio number at the gateway.
    """
    path = data_dir / "secrets.json"
    if path.exists():
        made = json.loads(path.read_text())
    else:
        made = {
            "slack_signing_secret": secrets.token_hex(16),
            "slack_bot_token": f"xoxb-local-{secrets.token_hex(12)}",
            "twilio_account_sid": f"AC{secrets.token_hex(16)}",
            "twilio_auth_token": secrets.token_hex(16),
        }
        path.touch(mode=0o600)
        path.write_text(json.dumps(made, indent=2))
    given = {**made, **{k.lower(): v for k, v in environ.items() if k.lower() in made and v}}
    return Secrets(**given)


class LocalStack:
    def __init__(
        self,
        data_dir: Path,
        console_port: int = DEFAULT_CONSOLE_PORT,
        gateway_port: int = DEFAULT_GATEWAY_PORT,
        public_base_url: str | None = None,
        handler_log_level: str | None = None,
        store: str = "sqlite",
        speed: float = 1.0,
        scheduler: bool = True,
    ) -> None:
        if store not in STORES:
            raise ValueError(f"store is one of {STORES}, not {store!r}")
        self.data_dir = data_dir
        self._speed = speed
        self._with_scheduler = scheduler
        self.store_kind = store
        self._handler_log_level = handler_log_level
        self._console_port = console_port
        self._gateway_port = gateway_port
        self._public_base_url = public_base_url
        self._given = dict(os.environ)  # the caller's environment, before this stack adds to it
        self._started: list[Any] = []  # what stop() undoes, in reverse
        self._stop_by = 0.0  # the monotonic deadline of the stop under way
        self._last_sweep = 0.0
        self.urls: Urls | None = None
        self.seeded = False
        self.restored: dict[str, int] = {}

    @property
    def sqlite_path(self) -> Path:
        return (self.data_dir / SQLITE_FILE).resolve()

    def describe_store(self) -> str:
        """The start line's words for where the data is."""
        if self.store_kind == "sqlite":
            files = (self.sqlite_path, self.sqlite_path.with_name(SQLITE_FILE + "-wal"))
            size = sum(path.stat().st_size for path in files if path.exists())
            return f"SQLite {self.sqlite_path} ({size / 1e6:.1f} MB)"
        items = self.restored.get("items", 0)
        return f"DynamoDB emulator (moto), journal {self.data_dir / 'table.jsonl'}, {items} items restored"

    def cli_line(self, executable: str = "punchclock") -> str:
        """A `punchclock` command line that works on this running stack, ready to paste: the
        SQLite file, or the emulator's endpoint with its region, dummy credentials and table."""
        show = f"org show --id {seed.ORG_ID}"
        if self.store_kind == "sqlite":
            return f"{executable} --sqlite {shlex.quote(str(self.sqlite_path))} {show}"
        return (
            f"AWS_ENDPOINT_URL={self.emulator.url} AWS_DEFAULT_REGION={REGION} AWS_ACCESS_KEY_ID=local "
            f"AWS_SECRET_ACCESS_KEY=local {executable} --table {self.emulator.resources.table} {show}"
        )

    # -- start -----------------------------------------------------------------------------

    def start(self) -> Urls:
        started_at = time.monotonic()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.secrets = load_secrets(self.data_dir, self._given)
        self.clock: StackClock = load_clock(self.data_dir, self._speed)
        on_dynamodb = self.store_kind == "dynamodb"

        self.emulator = Emulator()
        self.emulator.start()
        self._started.append(self.emulator.stop)
        self.emulator.create_resources(table=on_dynamodb)
        res = self.emulator.resources
        self.bucket = BucketSnapshots(self.data_dir, self.emulator.client("s3"), res.bucket)
        self.restored["objects"] = self.bucket.restore()
        chores: list[Any] = [self.bucket.save]
        if on_dynamodb:
            transactions_checked_before_written()
            self.journal = TableJournal(
                self.data_dir,
                self.emulator.client("dynamodb"),
                res.table,
                load=lambda items: self.emulator.load_items(res.table, items),
            )
            serialise_dynamodb(lambda table, written: self.journal.written(written) if table == res.table else None)
            self.restored["items"] = self.journal.restore()
            chores.append(self.journal.save)
        else:
            chores.append(self._sweep_expired)

        # Bind both ports first: the handlers' environment needs to know them.
        self.outbox = Outbox(self.data_dir / "outbox.jsonl")
        internal = Router()
        public = Router()
        self.console_server = LoopbackServer("console", internal, self._console_port, local_names_only=True)
        self.gateway_server = LoopbackServer("gateway", public, self._gateway_port)
        public_base = (self._public_base_url or self.gateway_server.url).rstrip("/")
        self.urls = Urls(
            console=self.console_server.url,
            gateway=self.gateway_server.url,
            public_base=public_base,
            emulator=self.emulator.url,
            outbox=self.console_server.url + "/api/outbox",
        )

        resolver = self._resolver(public_base)
        handler_env = self._handler_environment(resolver)
        os.environ.update(handler_env)
        if handler_env.get("SENDER_EMAIL"):
            self.emulator.verify_sender(handler_env["SENDER_EMAIL"])
        # The same store the handlers get: the composition root builds it once for the process.
        # Its clock is the stack's (real time, or --fast): every handler reads that one.
        self.store: Store = bootstrap.ports().store
        self.ports = Ports(store=self.store, clock=self.clock)
        bootstrap.override(ports=self.ports)
        self._started.append(self._close_store)
        if isinstance(self.store, ItemStore):
            old = import_old_snapshot(self.data_dir, self.store.table, self.emulator.client("s3"), res.bucket)
            self.restored |= {f"{name} from state.json": count for name, count in (old or {}).items()}
        self.seeded = seed.seed_demo(self.store, self.clock.now())
        chores.append(lambda: save_clock(self.data_dir, self.clock))
        self.upkeep = Upkeep(chores)
        self.sent_mail = SentMail(self.outbox, self.data_dir / "mail")
        self.functions = Functions(self._functions(resolver), after_invoke=self._after_invoke)
        self.gateway = Gateway(http_routes(), self.functions.get, self.functions.call)
        self.notices = self._notice_pump()
        self.scheduler = LocalScheduler(
            template_schedules(resolver),
            self.clock,
            lambda target, event: self.functions.invoke_async(self.functions.get(target), event),
        )
        public.add("ANY", r"/.*", self.gateway)

        self.fake_slack = FakeSlack(self.outbox)
        self.fake_twilio = FakeTwilio(self.outbox, self.secrets.twilio_account_sid, self.secrets.twilio_auth_token)
        self.console = Console(
            outbox=self.outbox,
            slack=self.fake_slack,
            twilio=self.fake_twilio,
            secrets=self.secrets,
            ports=self.ports,
            gateway_url=self.gateway_server.url,
            public_base_url=public_base,
            console_url=self.console_server.url,
            sent_mail=self.sent_mail,
            run_job=self.run_job_now,
            schedules=lambda: self.scheduler.stats() if self._with_scheduler else {},
        )
        for part in (self.console, self.fake_slack, self.fake_twilio, self.functions):
            part.routes(internal)
        internal.add("GET", r"/api/stats", self._stats)

        # stop() runs these backwards: no new requests; what is running finishes (it may still
        # call the fakes and the Invoke API on the console port); the last notices go out; the
        # last save; the store is closed; then the console and the emulator.
        self.console_server.start()
        self._started.append(self.console_server.stop)
        self.upkeep.start()
        self._started.append(lambda: self.upkeep.stop(timeout=self._time_left(0.5)))
        self._started.append(lambda: self.functions.shutdown(timeout=0))
        self.notices.start()
        self._started.append(lambda: self.notices.stop(until=self._stop_by - 0.8))
        self._started.append(lambda: self._finished(self.functions.drain(self._stop_by - 1.2)))
        self.gateway_server.start()
        self._started.append(self.gateway_server.stop)
        if self._with_scheduler:
            self.scheduler.start()
            self._started.append(self.scheduler.stop)  # first to stop: no new run starts
        self.upkeep.mark_dirty()
        self.startup_seconds = time.monotonic() - started_at
        return self.urls

    def _notice_pump(self) -> NoticePump:
        """The table's stream into the notify function, as Lambda's event source mapping would."""
        stream: Stream
        if isinstance(self.store, SqliteStore):
            stream = SqliteStream(self.store.sqlite, keep=is_notice_change)
        else:
            ddb = self.emulator.client("dynamodb")
            arn = ddb.describe_table(TableName=self.emulator.resources.table)["Table"]["LatestStreamArn"]
            dynamo = DynamoStream(self.emulator.client("dynamodbstreams"), arn, ddb)
            dynamo.start_from_now()  # the restore's writes are not news (and moto's stream starts empty)
            stream = dynamo
        notify = self.functions.get("NotifyFunction")
        return NoticePump(stream, lambda event: self.functions.invoke(notify, event), backoff_seconds=1.0)

    def run_job_now(self, job: str) -> Any:
        """Run a scheduled job at once, with its schedule's input (scheduled for now), and wait for
        its answer; KeyError when no schedule runs `job`."""
        schedule = self.scheduler.by_job(job)
        if schedule is None:
            raise KeyError(job)
        return self.functions.call(self.functions.get(schedule.target), schedule.event(self.clock.now()))

    def _sweep_expired(self) -> None:
        """DynamoDB's TTL, for the SQLite file: expired deliveries, notices and markers go, now and
        then, and the pages they and the read change log held go back to the file system."""
        if isinstance(self.store, SqliteStore) and time.monotonic() - self._last_sweep > EXPIRY_SWEEP_SECONDS:
            self._last_sweep = time.monotonic()
            while self.store.sqlite.delete_expired() and not self._stop_by:
                pass
            if not self._stop_by:
                self.store.sqlite.reclaim()

    def _close_store(self) -> None:
        if isinstance(self.store, SqliteStore):
            self.store.sqlite.close()  # the WAL folded into the file: a copy of it is a backup

    def _resolver(self, public_base: str) -> Resolver:
        res = self.emulator.resources
        refs: dict[str, str] = {
            **parameter_defaults(),
            "SenderEmail": LOCAL_SENDER_EMAIL,
            "PublicBaseUrl": public_base,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": STACK_NAME,
            "Table": res.table,
            "ReceiptsBucket": res.bucket,
            "InboundSmsTopic": res.topic_arn,
            "HttpApi": API_ID,
            "JobsScheduleGroup": f"{STACK_NAME}-jobs",
        }
        return Resolver(refs)

    def _functions(self, resolver: Resolver) -> list[Function]:
        return [
            Function(
                logical_id=name,
                name=str(resolver.value(props.get("FunctionName") or f"{STACK_NAME}-{name}")),
                handler=props["Handler"],
                timeout_s=int(function_setting(name, "Timeout") or 3),
                memory_mb=int(function_setting(name, "MemorySize") or 128),
            )
            for name, props in functions().items()
        ]

    def _handler_environment(self, resolver: Resolver) -> dict[str, str]:
        """The template's variables for every function, resolved, plus what only the local stack sets.

        All functions share this process, so one function's value for a name must be every
        function's: a conflict is an error rather than a coin toss.
        """
        env: dict[str, str] = {}
        for name in functions():
            for key, value in function_environment(name, resolver).items():
                if env.get(key, value) != value:
                    raise RuntimeError(f"{key} differs between functions ({env[key]!r} vs {value!r}); run them apart")
                env[key] = value
        internal = self.console_server.url
        given = self._given
        # A real bot token or auth token in the environment means: talk to the real service.
        slack_api = given.get("SLACK_API_URL") or (
            env.get("SLACK_API_URL", "https://slack.com/api/")
            if given.get("SLACK_BOT_TOKEN")
            else f"{internal}/slack/api/"
        )
        twilio_api = given.get("TWILIO_API_URL") or (
            env.get("TWILIO_API_URL", "https://api.twilio.com")
            if given.get("TWILIO_AUTH_TOKEN")
            else f"{internal}/twilio"
        )
        env.update(
            # The store the composition root builds (core/settings.py); the template keeps DynamoDB.
            STORE=self.store_kind,
            SQLITE_PATH=str(self.sqlite_path) if self.store_kind == "sqlite" else "",
            # Secrets by their own names: core.settings prefers these to the SSM parameter names.
            SLACK_SIGNING_SECRET=self.secrets.slack_signing_secret,
            SLACK_BOT_TOKEN=self.secrets.slack_bot_token,
            TWILIO_ACCOUNT_SID=self.secrets.twilio_account_sid,
            TWILIO_AUTH_TOKEN=self.secrets.twilio_auth_token,
            # The number texts come from (the template leaves it to the operator).
            TWILIO_FROM=given.get("TWILIO_FROM") or seed.SMS_NUMBER,
            SMS_ORIGINATION_NUMBER=given.get("SMS_ORIGINATION_NUMBER") or seed.SMS_NUMBER,
            SLACK_API_URL=slack_api,
            TWILIO_API_URL=twilio_api,
            # Bolt's lazy listeners invoke their own function: that comes back to this process.
            AWS_ENDPOINT_URL_LAMBDA=internal,
            # No X-Ray daemon here; metrics stay out of the terminal.
            POWERTOOLS_TRACE_DISABLED="true",
            POWERTOOLS_METRICS_DISABLED="true",
        )
        if self._handler_log_level:
            env.update(LOG_LEVEL=self._handler_log_level, POWERTOOLS_LOG_LEVEL=self._handler_log_level)
        return env

    def _after_invoke(self) -> None:
        """After every function run: emails it sent go to the outbox; the emulated parts are saved soon."""
        try:
            self.sent_mail.collect()
        except Exception:  # runs in the invocation's `finally`: never mask what the handler did
            log.exception("could not collect sent emails")
        # Metrics are off here (POWERTOOLS_METRICS_DISABLED), yet Powertools keeps every value the
        # handlers add and prints them all at the hundredth (each scheduled sweep adds some): drop them.
        Metrics().clear_metrics()
        self.upkeep.mark_dirty()

    def _stats(self, request: Request) -> Response:
        """What ran: request timings per route, asynchronous invocations, dead letters, Slack API calls."""
        slack_calls: dict[str, int] = {}
        for method, _ in self.fake_slack.calls:
            slack_calls[method] = slack_calls.get(method, 0) + 1
        return Response.json(
            {
                "store": self.store_kind,
                "startup_seconds": round(self.startup_seconds, 3),
                "requests": [{"route": r, "seconds": round(t, 4)} for r, t in self.gateway.timings],
                "async_invocations": self.functions.async_invocations,
                "async_in_flight": self.functions.in_flight,
                "dead_letters": len(self.functions.dead_letters),
                "notices_delivered": self.notices.delivered,
                "notices_waiting": self.notices.waiting,
                "notice_pumps": self.notices.pumps,
                "notice_last_quiet_pump": self.notices.last_quiet_pump,
                "notice_dead_letters": len(self.notices.dead_letters),
                "slack_api_calls": slack_calls,
                "clock": {"now": self.clock.now().isoformat(), "speed": self.clock.speed},
                "schedules": self.scheduler.stats(),
            }
        )

    # -- stop ------------------------------------------------------------------------------

    def _time_left(self, at_least: float = 0.0) -> float:
        return max(at_least, self._stop_by - time.monotonic())

    def _finished(self, drained: bool) -> None:
        self._all_finished = drained

    def stop(self) -> bool:
        """Everything started, undone in reverse, within STOP_SECONDS unless an invocation hangs;
        False when one was still running (the caller may then exit without waiting for it)."""
        self._stop_by = time.monotonic() + STOP_SECONDS
        self._all_finished = True
        while self._started:
            undo = self._started.pop()
            try:
                undo()
            except Exception:
                log.exception("while stopping")
        return self._all_finished
