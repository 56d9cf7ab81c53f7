"""`cold_init`: each function of the template as a cold Lambda runs it, in fresh processes.

A moto server on 127.0.0.1 holds what a deployment has (the table with the demo org, the bucket,
the topic, a verified sender, the secrets in Parameter Store); Slack's and Twilio's APIs are loopback
fakes. Each run is a new interpreter with exactly the function's environment from the template
(secrets read from SSM by name, as deployed) that imports the handler, builds its clients and
answers its first request (tests/bench/cold_child.py), timed inside the process from its first
line. The floor, in the same kind of process, run before each of the function's runs: `import boto3`,
a DynamoDB client and one GetItem (plus `import slack_bolt` for the Slack function). Both with the
bytecode compiled (as the packages ship: infra/build.py) and without (no .pyc anywhere: every import
compiled from source).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from tests.bench.common import ROOT, verdict

TARGET_RATIO = 1.15
SECRETS = {
    "SlackSigningSecretParam": "cold-signing-secret",
    "SlackBotTokenParam": "xoxb-cold",
    "TwilioAccountSidParam": "AC" + "0" * 32,
    "TwilioAuthTokenParam": "cold-twilio-auth-token",
}


class Deployed:
    """The moto server and the fakes, with what each function's environment names."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        from tests.integration.slack.fake_slack import FakeSlack
        from tests.integration.sms.fakes import FakeTwilio

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.slack, self.twilio = FakeSlack().start(), FakeTwilio().start()
        self.table, self.bucket, self.topic_arn = "punchclock-cold", "punchclock-cold-receipts", ""
        self._create()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name="us-east-1",  # type: ignore[call-overload]
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def _create(self) -> None:
        from core.store.dynamodb import DynamoStore
        from infra.local import seed
        from infra.template import parameter_defaults, table_definition

        self.client("dynamodb").create_table(**table_definition(self.table))
        self.client("s3").create_bucket(Bucket=self.bucket)
        self.topic_arn = self.client("sns").create_topic(Name="punchclock-inbound-sms")["TopicArn"]
        self.client("sesv2").create_email_identity(EmailIdentity="punchclock@cold.test")
        names = parameter_defaults()
        for param, value in SECRETS.items():
            self.client("ssm").put_parameter(Name=names[param], Value=value, Type="SecureString")
        seed.seed_demo(DynamoStore(self.client("dynamodb"), self.table))

    def environment(self, function: str, cache_dir: str | None) -> dict[str, str]:
        from infra.local.gateway import API_ID
        from infra.template import Resolver, function_environment, parameter_defaults

        refs = {
            **parameter_defaults(),
            "SenderEmail": "punchclock@cold.test",
            "PublicBaseUrl": "",
            "SmsProvider": "aws" if function == "SnsSmsFunction" else "twilio",
            "AWS::Region": "us-east-1",
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "punchclock",
            "Table": self.table,
            "ReceiptsBucket": self.bucket,
            "InboundSmsTopic": self.topic_arn,
            "HttpApi": API_ID,
        }
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_LAMBDA_FUNCTION_NAME": f"punchclock-{function}",
            "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            **(function_environment(function, Resolver(refs)) if function else {}),
            "SLACK_API_URL": f"{self.slack.url}api/",
            "TWILIO_API_URL": self.twilio.url,
        }
        if cache_dir is not None:  # no compiled bytecode: none found, none written
            env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=cache_dir)
        return env

    def stop(self) -> None:
        self.slack.stop()
        self.twilio.stop()
        self.server.stop()


# -- each function's first request ---------------------------------------------------------------


def first_request(function: str) -> dict[str, Any]:
    """What the function is first asked, signed where the vendor signs (made fresh: Slack's window)."""
    from infra.local import seed

    ana = seed.PEOPLE[1]
    if function == "SlackFunction":
        from slack_sdk.signature import SignatureVerifier

        body = urlencode(
            {
                "team_id": seed.SLACK_TEAM_ID,
                "user_id": ana.slack_user_id,
                "command": "/status",
                "text": "",
                "channel_id": "D0ANA",
                "api_app_id": seed.SLACK_APP_ID,
                "response_url": "https://hooks.slack.com/commands/1",
                "trigger_id": uuid.uuid4().hex,
            }
        )
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SECRETS["SlackSigningSecretParam"]).generate_signature(timestamp=stamp, body=body)
        headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Slack-Request-Timestamp", stamp),
            ("X-Slack-Signature", signature),
        ]
        return _http("POST", "/slack/events", headers, body.encode())
    if function == "TwilioSmsFunction":
        from twilio.request_validator import RequestValidator

        from infra.local.gateway import API_ID

        form = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": SECRETS["TwilioAccountSidParam"],
            "From": ana.phone,
            "To": seed.SMS_NUMBER,
            "Body": "STATUS",
            "NumMedia": "0",
        }
        url = f"https://{API_ID}.execute-api.us-east-1.amazonaws.com/sms/twilio"
        signature = RequestValidator(SECRETS["TwilioAuthTokenParam"]).compute_signature(url, form)
        headers = [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)]
        return _http("POST", "/sms/twilio", headers, urlencode(form).encode())
    if function == "SnsSmsFunction":
        from datetime import UTC, datetime

        from tests.integration.sms.helpers import sns_sms_event

        message = {
            "originationNumber": ana.phone,
            "destinationNumber": seed.SMS_NUMBER,
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": "STATUS",
            "inboundMessageId": str(uuid.uuid4()),
            "previousPublishedMessageId": str(uuid.uuid4()),
        }
        return sns_sms_event("arn:aws:sns:us-east-1:123456789012:punchclock-inbound-sms", message, datetime.now(UTC))
    if function == "ReceiptUploadFunction":
        return _http("GET", "/receipts/upload/" + "x" * 32, [], b"")  # an unknown link: its page says so
    if function == "NotifyFunction":
        return _notice_record(ana.worker_id)
    if function == "JobsFunction":
        return {
            "job": "reminders",
            "scheduled_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "schedule_arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock/reminders",
            "execution_id": str(uuid.uuid4()),
            "attempt": "1",
        }
    raise ValueError(f"no first request for {function}")


def _http(method: str, path: str, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
    from infra.local.gateway import http_api_event
    from infra.local.http import Request
    from infra.template import http_routes

    route = next(r for r in http_routes() if r.method == method and r.path.split("{")[0] in path)
    params = {"token": path.rsplit("/", 1)[1]} if "{" in route.path else {}
    return http_api_event(Request(method, path, "", headers, body, "203.0.113.7"), route, params)


def _notice_record(worker_id: str) -> dict[str, Any]:
    """The stream record of a state-changed notice (the worker's Slack Home tab is published)."""
    from datetime import UTC, datetime

    from core.ports import Notice, NoticeKind
    from core.store.dynamodb import to_av
    from core.store.items import notice_to_item
    from infra.local import seed

    notice = Notice(NoticeKind.STATE_CHANGED, seed.ORG_ID, worker_id, {}, notice_id=uuid.uuid4().hex, channel="slack")
    image = to_av(notice_to_item(notice, datetime.now(UTC)))
    record = {
        "eventID": uuid.uuid4().hex,
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": {"PK": image["PK"], "SK": image["SK"]},
            "NewImage": image,
            "SequenceNumber": str(10**20),
            "SizeBytes": 300,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/punchclock-cold/stream/2026",
    }
    return {"Records": [record]}


# -- the runs ------------------------------------------------------------------------------------


def run_child(
    deployed: Deployed, function: str, handler: str, cache_dir: str | None, profile: dict[str, Any] | None = None
) -> dict[str, float]:
    """One fresh process: its in-process seconds (import+clients+first answer) and its wall seconds.
    With `profile`, an untimed run that fills it with the AWS calls made and the biggest imports."""
    event = first_request(function) if handler not in ("floor", "floor_slack") else {}
    env = deployed.environment(function if handler not in ("floor", "floor_slack") else "", cache_dir)
    flags = []
    if profile is not None:
        env["BENCH_COLD_CALLS"] = "1"
        flags = ["-X", "importtime"]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-m", "tests.bench.cold_child", handler],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("COLD ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{function} {handler}: {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    figures = json.loads(lines[-1][5:])
    if figures.get("status") not in (None, 200, 404 if function == "ReceiptUploadFunction" else 200):
        raise RuntimeError(f"{function} answered {figures}")
    if profile is not None:
        profile["aws_calls_first_request"] = figures["calls"]
        profile["biggest_imports_ms"] = biggest_imports(done.stderr)
    return {"in_process_s": figures["seconds"], "wall_s": wall}


def biggest_imports(importtime: str, top: int = 8) -> dict[str, float]:
    """`-X importtime`'s output: cumulative milliseconds of each top-level package first imported
    at the outermost level, the biggest `top`."""
    totals: dict[str, float] = {}
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if name.startswith("  ") or not cumulative.strip().isdigit():
            continue  # imported by another module: counted in its parent
        root = name.strip().split(".")[0]
        totals[root] = totals.get(root, 0.0) + int(cumulative) / 1000
    return {k: round(v, 1) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])[:top]}


def bench_cold(quick: bool = False) -> dict[str, Any]:
    from infra.template import functions

    runs = 3 if quick else 7
    deployed = Deployed()
    results: dict[str, Any] = {"target_ratio": TARGET_RATIO, "runs": runs, "functions": {}}
    try:
        with tempfile.TemporaryDirectory(prefix="no-pyc-") as empty:
            for mode, cache_dir in (("bytecode", None), ("source", empty)):
                if cache_dir is None:
                    for name, fn in functions().items():  # write every .pyc once, as the build ships them
                        run_child(deployed, name, fn["Handler"], None, results["functions"].setdefault(name, {}))
                floors: dict[str, list[dict[str, float]]] = {"floor": [], "floor_slack": []}
                for name, fn in sorted(functions().items()):
                    kind = "floor_slack" if name == "SlackFunction" else "floor"
                    samples, own_floor = [], []
                    for _ in range(runs):  # a floor run before each: both see the machine as it is then
                        own_floor.append(run_child(deployed, "", kind, cache_dir))
                        samples.append(run_child(deployed, name, fn["Handler"], cache_dir))
                    floors[kind] += own_floor
                    medians, floor = _medians(samples), _medians(own_floor)
                    entry = results["functions"].setdefault(name, {})
                    entry["handler"] = fn["Handler"]
                    entry[mode] = {
                        **medians,
                        "floor_in_process_s": floor["in_process_s"],
                        "ratio": round(medians["in_process_s"] / floor["in_process_s"], 2),
                    }
                results[f"floor_{mode}"] = {k: _medians(v) for k, v in floors.items()}
    finally:
        deployed.stop()
    for entry in results["functions"].values():
        entry["bytecode_saves_s"] = round(entry["source"]["in_process_s"] - entry["bytecode"]["in_process_s"], 3)
    return results


def _medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(s[key] for s in samples), 3) for key in samples[0]}


def print_cold(results: dict[str, Any]) -> None:
    print(
        f"\ncold_init: median of {results['runs']} fresh processes, import + clients + first answer, "
        f"ratio to the floor (target <= {results['target_ratio']})"
    )
    for mode in ("bytecode", "source"):
        floor = results[f"floor_{mode}"]
        print(
            f"  {mode}: floor boto3+client+GetItem {floor['floor']['in_process_s']} s, "
            f"+slack_bolt {floor['floor_slack']['in_process_s']} s"
        )
        for name, entry in sorted(results["functions"].items()):
            got = entry[mode]
            print(
                f"    {name:<24} {got['in_process_s']:.3f} s (process {got['wall_s']:.2f} s) ratio {got['ratio']:.2f} "
                f"{verdict(got['ratio'] <= results['target_ratio'])}"
            )
