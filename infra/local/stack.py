"""The whole system on one machine: emulated AWS, the template's functions behind a local gateway,
fake Slack and Twilio, the demo organisation, and the console. Emails sent through the emulated
SES land in the outbox too.

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
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from infra.local import seed
from infra.local.console import Console, Secrets
from infra.local.emulator import ACCOUNT_ID, REGION, STACK_NAME, Emulator, keep_stream_records_across_rollbacks
from infra.local.fakes import FakeSlack, FakeTwilio
from infra.local.gateway import API_ID, Gateway
from infra.local.http import LoopbackServer, Request, Response, Router
from infra.local.lambdas import Function, Functions
from infra.local.mail import SentMail
from infra.local.outbox import Outbox
from infra.local.persistence import Snapshots, Snapshotter
from infra.local.streams import DynamoStream, NoticePump
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
    ) -> None:
        self.data_dir = data_dir
        self._handler_log_level = handler_log_level
        self._console_port = console_port
        self._gateway_port = gateway_port
        self._public_base_url = public_base_url
        self._given = dict(os.environ)  # the caller's environment, before this stack adds to it
        self._started: list[Any] = []  # what stop() undoes, in reverse
        self.urls: Urls | None = None
        self.seeded = False
        self.restored: dict[str, int] = {}

    # -- start -----------------------------------------------------------------------------

    def start(self) -> Urls:
        started_at = time.monotonic()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.secrets = load_secrets(self.data_dir, self._given)

        keep_stream_records_across_rollbacks()
        self.emulator = Emulator()
        self.emulator.start()
        self._started.append(self.emulator.stop)
        self.emulator.create_resources()
        res = self.emulator.resources
        self.snapshots = Snapshots(
            self.data_dir, self.emulator.client("dynamodb"), self.emulator.client("s3"), res.table, res.bucket
        )
        if self.snapshots.exists:
            self.restored = self.snapshots.restore()

        from core.store.dynamodb import DynamoStore  # after the emulator set AWS_* for this process

        self.store = DynamoStore(self.emulator.client("dynamodb"), res.table)
        self.seeded = seed.seed_demo(self.store)

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
        self.snapshotter = Snapshotter(self.snapshots)
        self.sent_mail = SentMail(self.outbox)
        self.functions = Functions(self._functions(resolver), after_invoke=self._after_invoke)
        self.gateway = Gateway(http_routes(), self.functions.get, self.functions.invoke)
        self.notices = self._notice_pump()
        public.add("ANY", r"/.*", self.gateway)

        self.fake_slack = FakeSlack(self.outbox)
        self.fake_twilio = FakeTwilio(self.outbox, self.secrets.twilio_account_sid, self.secrets.twilio_auth_token)
        self.console = Console(
            outbox=self.outbox,
            slack=self.fake_slack,
            twilio=self.fake_twilio,
            secrets=self.secrets,
            store=self.store,
            gateway_url=self.gateway_server.url,
            public_base_url=public_base,
            console_url=self.console_server.url,
        )
        for part in (self.console, self.fake_slack, self.fake_twilio, self.functions):
            part.routes(internal)
        internal.add("GET", r"/api/stats", self._stats)

        # stop() runs these backwards: no new requests, then lazy work drains (it may still call
        # the fakes and the Invoke API on the console port), then the last snapshot, then the rest.
        self.console_server.start()
        self._started.append(self.console_server.stop)
        self.snapshotter.start()
        self._started.append(self.snapshotter.stop)
        self._started.append(self.functions.shutdown)
        self.notices.start()
        self._started.append(self.notices.stop)
        self.gateway_server.start()
        self._started.append(self.gateway_server.stop)
        if self.seeded:
            self.snapshotter.mark_dirty()
        self.startup_seconds = time.monotonic() - started_at
        return self.urls

    def _notice_pump(self) -> NoticePump:
        """The table's stream into the notify function, as Lambda's event source mapping would."""
        ddb = self.emulator.client("dynamodb")
        arn = ddb.describe_table(TableName=self.emulator.resources.table)["Table"]["LatestStreamArn"]
        stream = DynamoStream(self.emulator.client("dynamodbstreams"), arn, ddb)
        notify = self.functions.get("NotifyFunction")
        return NoticePump(stream, lambda event: self.functions.invoke(notify, event), backoff_seconds=1.0)

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
        """After every function run: emails it sent go to the outbox; the state is saved soon."""
        try:
            self.sent_mail.collect()
        except Exception:  # runs in the invocation's `finally`: never mask what the handler did
            log.exception("could not collect sent emails")
        self.snapshotter.mark_dirty()

    def _stats(self, request: Request) -> Response:
        """What ran: request timings per route, asynchronous invocations, dead letters, Slack API calls."""
        slack_calls: dict[str, int] = {}
        for method, _ in self.fake_slack.calls:
            slack_calls[method] = slack_calls.get(method, 0) + 1
        return Response.json(
            {
                "startup_seconds": round(self.startup_seconds, 3),
                "requests": [{"route": r, "seconds": round(t, 4)} for r, t in self.gateway.timings],
                "async_invocations": self.functions.async_invocations,
                "async_in_flight": self.functions.in_flight,
                "dead_letters": len(self.functions.dead_letters),
                "notices_delivered": self.notices.delivered,
                "notices_waiting": self.notices.waiting,
                "notice_dead_letters": len(self.notices.dead_letters),
                "slack_api_calls": slack_calls,
            }
        )

    # -- stop ------------------------------------------------------------------------------

    def stop(self) -> None:
        while self._started:
            undo = self._started.pop()
            try:
                undo()
            except Exception:
                log.exception("while stopping")
