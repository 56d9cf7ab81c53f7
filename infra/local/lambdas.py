"""The template's functions, run in this process the way Lambda runs them.

Handlers are imported on first use (a door that lands while the stack runs is picked up on
its next request), get a Lambda-shaped context, and can be invoked asynchronously through a
local Lambda Invoke API: Bolt's lazy listeners call `lambda:InvokeFunction` on their own
function, and boto3 sends that here because AWS_ENDPOINT_URL_LAMBDA points at it.

Requests run in a pool sized to the machine, and asynchronous invocations (lazy listeners) in a
pool of their own, so follow-ups never queue behind commands nor commands behind them. Lambda
gives every invocation a process of its own; here they share one, so each runs in a context of
its own: its log lines (Powertools' JSON and plain `logging` alike) name its function and
request, whatever runs beside it.
"""

from __future__ import annotations

import contextvars
import importlib
import json
import logging
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from infra.local.emulator import ACCOUNT_ID, REGION
from infra.local.http import Request, Response, Router

log = logging.getLogger("infra.local")

ASYNC_RETRIES = 2  # what Lambda does for asynchronous invocations before the dead-letter queue
# What names the invocation running in this context (None outside any): `name_log_records` puts it
# on every log record made in it.
CURRENT_INVOCATION: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "local_invocation", default=None
)


def pool_sizes(cpus: int | None = None) -> tuple[int, int]:
    """(requests, asynchronous invocations) run at once. The handlers are Python (one core at a
    time each) waiting now and then on SQLite, the emulator or the fakes: a few per core keep the
    cores busy; more would only queue on the interpreter lock."""
    cores = cpus or os.cpu_count() or 1
    return max(4, 4 * cores), max(2, 2 * cores)


def name_log_records() -> None:
    """Every log record says which invocation made it: `%(function)s` for plain `logging` ("-"
    outside any), and Powertools' own keys (function_name, function_request_id, ...) as the
    record's attributes, which its JSON formatter puts over the keys it keeps for the process.
    And the keys a handler appends (`inject_lambda_context`'s, a delivery id, ...) stay with its
    invocation: inside one, Powertools' `append_keys` and `remove_keys` use its thread-safe
    (per-context) keys. Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "names_invocations", False):
        return
    _keys_per_invocation()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        keys = CURRENT_INVOCATION.get()
        record.function = keys["function_name"] if keys else "-"
        if keys:
            record.__dict__.update(keys)
        return record

    make_record.names_invocations = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


@dataclass(frozen=True)
class Function:
    logical_id: str
    name: str  # the deployed function name
    handler: str  # module.attribute
    timeout_s: int
    memory_mb: int


class LambdaContext:
    """What the Lambda runtime passes as `context` (the attributes Powertools and Bolt read)."""

    def __init__(self, function: Function) -> None:
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function.name}"
        self.memory_limit_in_mb = function.memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = f"local/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + function.timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class FunctionError(Exception):
    """The handler raised (Lambda reports this as an Unhandled function error)."""

    def __init__(self, function: str, cause: BaseException) -> None:
        super().__init__(f"{function}: {type(cause).__name__}: {cause}")
        self.cause = cause


class Functions:
    def __init__(self, functions: list[Function], after_invoke: Callable[[], None] = lambda: None) -> None:
        self._by_id = {f.logical_id: f for f in functions}
        self._by_name = {f.name: f for f in functions}
        self._after_invoke = after_invoke
        name_log_records()
        requests, lazies = pool_sizes()
        self._requests = ThreadPoolExecutor(max_workers=requests, thread_name_prefix="lambda")
        self._async = ThreadPoolExecutor(max_workers=lazies, thread_name_prefix="lambda-async")
        self._async_lock = threading.Lock()
        self._in_flight = 0
        self._requests_in_flight = 0
        self.async_invocations = 0
        self.dead_letters: list[dict[str, Any]] = []

    def get(self, logical_id: str) -> Function:
        return self._by_id[logical_id]

    def by_name(self, name_or_arn: str) -> Function | None:
        # FunctionName may be a name, a full ARN or a partial ARN, optionally with a qualifier.
        parts = name_or_arn.split(":")
        name = parts[parts.index("function") + 1] if "function" in parts else parts[0]
        return self._by_name.get(name)

    def call(self, function: Function, event: Any) -> Any:
        """`invoke` in the request pool (what the gateway and the Invoke API's synchronous calls use)."""
        with self._async_lock:
            self._requests_in_flight += 1
        try:
            return self._requests.submit(self.invoke, function, event).result()
        finally:
            with self._async_lock:
                self._requests_in_flight -= 1

    def invoke(self, function: Function, event: Any) -> Any:
        """Run the handler in this thread, in a context of its own, and return its result; raises
        FunctionError if it raised."""
        context = LambdaContext(function)
        return contextvars.copy_context().run(self._invoke, function, event, context)

    def _invoke(self, function: Function, event: Any, context: LambdaContext) -> Any:
        _name_this_invocation(function, event, context)
        module_name, _, attr = function.handler.rpartition(".")
        started = time.monotonic()
        try:
            handler = getattr(importlib.import_module(module_name), attr)
            return handler(event, context)
        except Exception as err:
            log.error("%s failed:\n%s", function.logical_id, traceback.format_exc())
            raise FunctionError(function.logical_id, err) from err
        finally:
            took = time.monotonic() - started
            if took > function.timeout_s:
                log.warning(
                    "%s took %.1fs: Lambda would have timed out at %ss", function.name, took, function.timeout_s
                )
            self._after_invoke()

    def invoke_async(self, function: Function, event: Any) -> Future[None]:
        """Queue an invocation as Lambda's asynchronous Invoke does (retries, then the dead letters);
        the future is done when it is, retries included."""
        log.info("asynchronous invocation of %s", function.name)
        with self._async_lock:
            self._in_flight += 1
            self.async_invocations += 1
        return self._async.submit(self._run_async, function, event)

    def _run_async(self, function: Function, event: Any) -> None:
        try:
            for attempt in range(1 + ASYNC_RETRIES):
                try:
                    self.invoke(function, event)
                    return
                except FunctionError as err:
                    log.warning("async %s attempt %d failed: %s", function.name, attempt + 1, err)
            log.error("%s failed %d times: dead-lettered", function.name, 1 + ASYNC_RETRIES)
            self.dead_letters.append({"function": function.name, "event": event})
        finally:
            with self._async_lock:
                self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        """Asynchronous invocations queued or running."""
        with self._async_lock:
            return self._in_flight

    def drain(self, deadline: float) -> bool:
        """Wait (until the monotonic `deadline`) for the requests and asynchronous invocations in
        flight; True when none is left."""
        while True:
            with self._async_lock:
                if not (self._in_flight or self._requests_in_flight):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def shutdown(self, timeout: float = 10.0) -> None:
        if not self.drain(time.monotonic() + timeout):
            log.warning("stopping with invocations still running: %d asynchronous", self.in_flight)
        for pool in (self._requests, self._async):
            pool.shutdown(wait=False, cancel_futures=True)

    # -- the Lambda Invoke API (only what boto3's lambda.invoke sends) --------------------------

    def routes(self, router: Router) -> None:
        router.add("POST", r"/2015-03-31/functions/(?P<name>[^/]+)/invocations", self._invoke_api)

    def _invoke_api(self, request: Request) -> Response:
        from urllib.parse import unquote

        function = self.by_name(unquote(request.params["name"]))
        if function is None:
            return Response.json({"Type": "User", "message": "Function not found"}, 404)
        event = json.loads(request.body or b"{}")
        kind = request.header("X-Amz-Invocation-Type", "RequestResponse")
        if kind == "DryRun":
            return Response(204)
        if kind == "Event":
            self.invoke_async(function, event)
            return Response(202)
        try:
            result = self.call(function, event)
        except FunctionError as err:
            error = {"errorMessage": str(err.cause), "errorType": type(err.cause).__name__}
            response = Response.json(error)
            response.headers.append(("X-Amz-Function-Error", "Unhandled"))
            return response
        return Response.json(result)


def _keys_per_invocation() -> None:
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

    shared_append, shared_remove = LambdaPowertoolsFormatter.append_keys, LambdaPowertoolsFormatter.remove_keys

    def append_keys(self: LambdaPowertoolsFormatter, **additional_keys: Any) -> None:
        if CURRENT_INVOCATION.get() is None:
            shared_append(self, **additional_keys)
        else:
            self.thread_safe_append_keys(**additional_keys)

    def remove_keys(self: LambdaPowertoolsFormatter, keys: Any) -> None:
        if CURRENT_INVOCATION.get() is None:
            shared_remove(self, keys)
        else:
            self.thread_safe_remove_keys(keys)

    LambdaPowertoolsFormatter.append_keys = append_keys  # type: ignore[method-assign]
    LambdaPowertoolsFormatter.remove_keys = remove_keys  # type: ignore[method-assign]


def _name_this_invocation(function: Function, event: Any, context: LambdaContext) -> None:
    """What Powertools' `inject_lambda_context` puts on every line, for this invocation only."""
    request_id = (event.get("requestContext") or {}).get("requestId") if isinstance(event, dict) else None
    keys: dict[str, Any] = {
        "function_name": function.name,
        "function_arn": context.invoked_function_arn,
        "function_memory_size": context.memory_limit_in_mb,
        "function_request_id": context.aws_request_id,
    }
    if request_id:
        keys["correlation_id"] = request_id
    CURRENT_INVOCATION.set(keys)
