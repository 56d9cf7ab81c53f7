"""The template's functions, run in this process the way Lambda runs them.

Handlers are imported on first use (a door that lands while the stack runs is picked up on
its next request), get a Lambda-shaped context, and can be invoked asynchronously through a
local Lambda Invoke API: Bolt's lazy listeners call `lambda:InvokeFunction` on their own
function, and boto3 sends that here because AWS_ENDPOINT_URL_LAMBDA points at it.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from infra.local.emulator import ACCOUNT_ID, REGION
from infra.local.http import Request, Response, Router

log = logging.getLogger("infra.local")

ASYNC_RETRIES = 2  # what Lambda does for asynchronous invocations before the dead-letter queue


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
        self._async = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lambda-async")
        self._async_lock = threading.Lock()
        self._in_flight = 0
        self.async_invocations = 0
        self.dead_letters: list[dict[str, Any]] = []

    def get(self, logical_id: str) -> Function:
        return self._by_id[logical_id]

    def by_name(self, name_or_arn: str) -> Function | None:
        # FunctionName may be a name, a full ARN or a partial ARN, optionally with a qualifier.
        parts = name_or_arn.split(":")
        name = parts[parts.index("function") + 1] if "function" in parts else parts[0]
        return self._by_name.get(name)

    def invoke(self, function: Function, event: Any) -> Any:
        """Run the handler and return its result; raises FunctionError if it raised."""
        module_name, _, attr = function.handler.rpartition(".")
        started = time.monotonic()
        try:
            handler = getattr(importlib.import_module(module_name), attr)
            return handler(event, LambdaContext(function))
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

    def invoke_async(self, function: Function, event: Any) -> None:
        log.info("asynchronous invocation of %s", function.name)
        with self._async_lock:
            self._in_flight += 1
            self.async_invocations += 1
        self._async.submit(self._run_async, function, event)

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
        with self._async_lock:
            return self._in_flight

    def shutdown(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            time.sleep(0.05)
        self._async.shutdown(wait=False, cancel_futures=True)

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
            result = self.invoke(function, event)
        except FunctionError as err:
            error = {"errorMessage": str(err.cause), "errorType": type(err.cause).__name__}
            response = Response.json(error)
            response.headers.append(("X-Amz-Function-Error", "Unhandled"))
            return response
        return Response.json(result)
