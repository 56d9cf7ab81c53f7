"""The local API Gateway: the template's HttpApi routes, delivered to the same handlers as Lambda events.

Requests become HTTP API payload format 2.0 events (rawPath, rawQueryString, lowercased headers
with duplicates comma-joined, cookies, body, isBase64Encoded, requestContext.http ...) and
handler results become responses by the same rules API Gateway applies. This port is the one
a tunnel may expose to a real Slack app or Twilio number: nothing else is served here.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from infra.local.emulator import ACCOUNT_ID
from infra.local.http import Request, Response
from infra.local.lambdas import Function, FunctionError
from infra.template import Route

API_ID = "local"
STAGE = "$default"

# API Gateway passes these media types as text; every other body arrives base64-encoded
# (form posts from Slack and Twilio included, which is why Bolt's adapter decodes base64).
_TEXT_TYPES = re.compile(r"^(text/.*|application/(json|javascript|xml|.*\+json|.*\+xml))$")
_PARAM = re.compile(r"\{([A-Za-z0-9_]+)(\+?)\}")


def _route_pattern(path: str) -> re.Pattern[str]:
    out, last = "", 0
    for match in _PARAM.finditer(path):
        out += re.escape(path[last : match.start()])
        out += f"(?P<{match[1]}>.+)" if match[2] else f"(?P<{match[1]}>[^/]+)"
        last = match.end()
    return re.compile("^" + out + re.escape(path[last:]) + "$")


def is_text(content_type: str) -> bool:
    return bool(_TEXT_TYPES.match(content_type.split(";", 1)[0].strip().lower()))


def http_api_event(request: Request, route: Route, path_params: dict[str, str]) -> dict[str, Any]:
    """The payload format 2.0 event API Gateway would send for this request."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for key, value in request.headers:
        name = key.lower()
        if name == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    headers.setdefault("x-forwarded-for", request.client_ip)
    headers.setdefault("x-forwarded-proto", "http")
    now = datetime.now(UTC)
    host = headers.get("host", "").split(":", 1)[0]
    request_id = base64.b32encode(uuid.uuid4().bytes)[:16].decode().lower()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": host.split(".", 1)[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.client_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route.route_key,
            "stage": STAGE,
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    query = _query_params(request.query)
    if query:
        event["queryStringParameters"] = query
    if path_params:
        event["pathParameters"] = path_params
    if request.body:
        if is_text(headers.get("content-type", "")):
            event["body"] = request.body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def _query_params(query: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        found[key] = f"{found[key]},{value}" if key in found else value
    return found


def http_api_response(result: Any) -> Response:
    """How API Gateway turns a payload 2.0 handler result into the HTTP response."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # Anything else is taken as a JSON body with status 200.
        text = result if isinstance(result, str) else json.dumps(result)
        return Response(200, text.encode(), [("Content-Type", "application/json")])
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    headers.extend(("Set-Cookie", c) for c in result.get("cookies") or [])
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return Response(int(result["statusCode"]), body, headers)


class Gateway:
    """Matches a request to a template route and invokes that route's function with a 2.0 event."""

    def __init__(
        self, routes: list[Route], function_for: Callable[[str], Function], invoke: Callable[..., Any]
    ) -> None:
        self._routes = [(route, _route_pattern(route.path)) for route in routes]
        self._function_for = function_for
        self._invoke = invoke
        self.timings: deque[tuple[str, float]] = deque(maxlen=1000)  # (route key, seconds) of recent requests

    @property
    def route_keys(self) -> list[str]:
        return [route.route_key for route, _ in self._routes]

    def __call__(self, request: Request) -> Response:
        for route, pattern in self._routes:
            match = pattern.match(request.path)
            if match and route.method in (request.method, "ANY"):
                return self._dispatch(request, route, match.groupdict())
        return Response.json({"message": "Not Found"}, 404)

    def _dispatch(self, request: Request, route: Route, path_params: dict[str, str]) -> Response:
        event = http_api_event(request, route, path_params)
        started = time.monotonic()
        try:
            result = self._invoke(self._function_for(route.function), event)
        except FunctionError:
            return Response.json({"message": "Internal Server Error"}, 500)
        finally:
            self.timings.append((route.route_key, time.monotonic() - started))
        return http_api_response(result)
