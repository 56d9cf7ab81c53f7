"""Run `python -m infra.local` as `make run` does, on free loopback ports, and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0  # seconds; it takes 1-2 on a 2-core machine
STOP_TIMEOUT = 15.0
# Real credentials in the developer's shell would switch the stack to real Slack/Twilio: not in tests.
SCRUBBED = ("SLACK_", "TWILIO_", "AWS_", "SMS_", "PUBLIC_BASE_URL", "TABLE_NAME", "RECEIPTS_BUCKET")


def _decoded(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode("utf-8", "replace")


def http(method: str, url: str, body: Any = None, timeout: float = 30.0) -> tuple[int, Any]:
    """(status, JSON body or text) of one request to the stack."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _decoded(response.read())
    except urllib.error.HTTPError as err:
        return err.code, _decoded(err.read())


def wait_for(what: str, check: Callable[[], Any], timeout: float = 10.0, every: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; bounded, fails with `what`."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class StackProcess:
    """One `python -m infra.local` process; start() and stop() may repeat on the same data dir."""

    def __init__(self, data_dir: Path, store: str = "sqlite") -> None:
        self.data_dir = data_dir
        self.store = store
        self.log = data_dir.parent / f"{data_dir.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.urls: dict[str, str] = {}
        self.start_seconds = 0.0
        self.stop_seconds = 0.0
        # More of `python -m infra.local`'s options. The scheduler is off unless a test turns it on:
        # a report falling due mid-test (18:00 on the machine's clock) would change what it counts.
        self.options: list[str] = ["--no-scheduler"]

    def start(self) -> dict[str, str]:
        ready = self.data_dir.parent / f"{self.data_dir.name}.ready.json"
        ready.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED)}
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "infra.local",
                    "--data-dir",
                    str(self.data_dir),
                    "--console-port",
                    "0",
                    "--gateway-port",
                    "0",
                    "--ready-file",
                    str(ready),
                    "--quiet",
                    "--store",
                    self.store,
                    *self.options,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process = self.process

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the stack exited with {process.returncode}:\n{self.log.read_text()}")
            return ready.exists()

        wait_for("the local stack to start", up, START_TIMEOUT)
        self.start_seconds = time.monotonic() - started
        self.urls = json.loads(ready.read_text())
        return self.urls

    def stop(self) -> int:
        """Ctrl-C, as a person would; returns the exit code (`stop_seconds`: how long it took)."""
        assert self.process is not None
        stopping = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            raise AssertionError(f"the stack ignored Ctrl-C for {STOP_TIMEOUT}s:\n{self.log.read_text()}") from None
        self.stop_seconds = time.monotonic() - stopping
        self.process = None
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    # -- the console's API ------------------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None) -> Any:
        status, data = http(method, self.urls["console"] + path, body)
        assert status == 200, (path, status, data)
        return data

    def outbox(self) -> list[dict[str, Any]]:
        return list(self.api("GET", "/api/outbox")["messages"])

    def settled(self) -> None:
        """Wait until no asynchronous invocation (Slack lazy listener) is still running and the
        notice pump has delivered what was committed, and what that committed in turn.

        `notices_waiting == 0` alone is not that: it counts only what the pump has read, and while
        it delivers one batch (the notify function calling Slack, seconds on a busy machine) the
        next commits sit unread in the stream. A pump that began after this call and found the
        stream quiet is (infra/local/streams.py, `NoticePump.quiet_since`)."""
        wait_for("lazy listeners to finish", lambda: self.api("GET", "/api/stats")["async_in_flight"] == 0)
        pumps = self.api("GET", "/api/stats")["notice_pumps"]
        wait_for(
            "notices to go out",
            lambda: self.api("GET", "/api/stats")["notice_last_quiet_pump"] >= pumps + 2,
            timeout=30.0,
        )


def punchclock(stack: StackProcess, *args: str) -> Any:
    """The admin CLI on the stack's SQLite file, as an operator runs it; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--sqlite", str(stack.data_dir / "punchclock.db"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stored(stack: StackProcess) -> Any:
    """The stack's store, opened beside it (to look at what the handlers stored)."""
    if stack.store == "sqlite":
        from core.store.sqlite import SqliteStore

        return SqliteStore(stack.data_dir / "punchclock.db")
    from core.store.dynamodb import DynamoStore
    from infra.local.emulator import Resources

    return DynamoStore(emulated(stack, "dynamodb"), Resources().table)


def emulated(stack: StackProcess, service: str) -> Any:
    """A client for the stack's emulated AWS (to look at what the handlers stored)."""
    import boto3

    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=stack.urls["emulator"],
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


@pytest.fixture
def stack_process(tmp_path: Path) -> Iterator[StackProcess]:
    stack = StackProcess(tmp_path / "local")
    try:
        yield stack
    finally:
        stack.kill()
