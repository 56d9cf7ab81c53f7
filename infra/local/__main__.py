"""`python -m infra.local` (what `make run` runs): start the local stack, print its URLs, stop on Ctrl-C."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from infra.local.clock import FAST_DEFAULT
from infra.local.lambdas import name_log_records
from infra.local.stack import DEFAULT_CONSOLE_PORT, DEFAULT_GATEWAY_PORT, STORES, LocalStack


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__)
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where the data lives: the SQLite database punchclock.db, receipts, the outbox, secrets "
        "(.local; .local-fast with --fast)",
    )
    parser.add_argument(
        "--fast",
        type=float,
        nargs="?",
        const=FAST_DEFAULT,
        metavar="N",
        help=f"run the service clock N times faster than real time (default {FAST_DEFAULT:g}: a day in "
        f"{24 * 60 / FAST_DEFAULT:g} minutes) so reminders and reports come due in a demo; the data dir's "
        "clock never goes back afterwards, so this uses .local-fast unless --data-dir says otherwise",
    )
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not fire the template's schedules (the console can still)"
    )
    parser.add_argument(
        "--store",
        choices=STORES,
        default="sqlite",
        help="sqlite: one database file in the data dir (default); dynamodb: the DynamoDB emulator (moto), "
        "to check the production path",
    )
    parser.add_argument("--console-port", type=int, default=DEFAULT_CONSOLE_PORT, help="0 picks a free port")
    parser.add_argument("--gateway-port", type=int, default=DEFAULT_GATEWAY_PORT, help="0 picks a free port")
    parser.add_argument(
        "--public-url",
        help="the gateway's public URL when a tunnel exposes it (Twilio signs that URL); default: the gateway's own",
    )
    parser.add_argument("--ready-file", type=Path, help="write the URLs here as JSON once serving (for tests)")
    parser.add_argument("--quiet", action="store_true", help="only warnings from the handlers")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    if args.fast is not None and args.fast < 1:
        print("--fast N: N is how many times faster than real time, at least 1", file=sys.stderr)
        return 2
    if args.data_dir is None:
        args.data_dir = Path(".local-fast" if args.fast else ".local")
    name_log_records()  # each line names the function it came from, or "-"
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(function)s %(name)s %(message)s"
    )
    logging.getLogger("botocore").setLevel(logging.WARNING)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    stack = LocalStack(
        args.data_dir,
        args.console_port,
        args.gateway_port,
        args.public_url,
        handler_log_level="WARNING" if args.quiet else None,
        store=args.store,
        speed=args.fast or 1.0,
        scheduler=not args.no_scheduler,
    )
    try:
        urls = stack.start()
    except OSError as err:
        stack.stop()
        print(f"could not start: {err} (another `make run`? try --console-port 0 --gateway-port 0)", file=sys.stderr)
        return 1
    state = "demo seeded" if stack.seeded else "data kept from last time"
    schedules = ", ".join(f"{s.name} every {_every(s.every.total_seconds())}" for s in stack.scheduler.schedules)
    scheduler = "off (--no-scheduler)" if args.no_scheduler else f"{schedules}, on the service clock"
    cli = shutil.which("punchclock") or str(Path(sys.executable).with_name("punchclock"))
    cli_note = "" if stack.clock.is_real_time else " (it keeps real time)"
    print(
        f"""
Punchclock is running locally ({stack.startup_seconds:.1f}s; data in {args.data_dir}/, {state})

  Store             {stack.describe_store()}
  Service clock     {stack.clock.describe()}
  Scheduler         {scheduler}

  Console           {urls.console}/
  Outbox (JSON)     {urls.outbox}
  Gateway           {urls.gateway}   routes: {", ".join(stack.gateway.route_keys)}
  Slack request URL {urls.public_base}/slack/events
  Twilio webhook    {urls.public_base}/sms/twilio
  Emulated AWS      {urls.emulator}

The admin CLI on this stack{cli_note}:
  {stack.cli_line(cli)}

Ctrl-C stops everything; the data stays in {args.data_dir}/ for next time.
""",
        flush=True,
    )
    if args.ready_file:
        tmp = args.ready_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(urls.to_json()))
        tmp.replace(args.ready_file)
    while not stop.wait(0.1):
        pass
    print("stopping...", flush=True)
    stopping = time.monotonic()
    if not stack.stop():  # an invocation that outlived the stop is left behind (its open transaction rolls back)
        print("an invocation was still running: left behind", file=sys.stderr, flush=True)
    print(f"stopped in {time.monotonic() - stopping:.1f}s; data saved.", flush=True)
    return 0


def _every(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds < 3600 else f"{seconds / 3600:g} h"


if __name__ == "__main__":
    code = main()
    # Everything is saved and closed: exit now. A normal exit would join a left-behind invocation
    # and garbage-collect the emulator's tables (moto copies a table per transaction: seconds).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
