"""A small threaded HTTP server with a route table, loopback only (stdlib; no framework needed)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger("infra.local")

LOOPBACK = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str  # as sent, percent-encoded
    query: str
    headers: list[tuple[str, str]]  # as sent, in order, duplicates kept
    body: bytes
    client_ip: str
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern

    def header(self, name: str, default: str = "") -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), default)

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def query_params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data).encode(), [("Content-Type", "application/json")])

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> Response:
        return cls(status, text.encode(), [("Content-Type", content_type)])


Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """`pattern` is a regex over the path with named groups, anchored at both ends."""
        self._routes.append((method.upper(), re.compile(f"^{pattern}$"), handler))

    def __call__(self, request: Request) -> Response:
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match and method in (request.method, "ANY"):
                request.params = match.groupdict()
                return handler(request)
        return Response.json({"message": "Not Found"}, 404)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the standard library's 5 resets connections in a burst (a shift change)


class LoopbackServer:
    """Serves `app` on 127.0.0.1 in a background thread; port 0 picks a free port.

    `local_names_only` refuses requests whose Host is not 127.0.0.1 or localhost on this port,
    so a web page cannot reach the server through a DNS name rebound to 127.0.0.1.
    """

    def __init__(self, name: str, app: Handler, port: int = 0, *, local_names_only: bool = False) -> None:
        self.name = name
        self._app = app
        self._local_names_only = local_names_only
        self._server = _Server((LOOPBACK, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name=self.name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def _serve(self, request: Request) -> Response:
        if self._local_names_only and request.header("Host") not in (
            f"{LOOPBACK}:{self.port}",
            f"localhost:{self.port}",
        ):
            return Response.text("This server answers only to 127.0.0.1 and localhost.", 403)
        return self._app(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        app = self._serve

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "punchclock-local"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parts.query,
                    headers=list(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                    client_ip=self.client_address[0],
                )
                try:
                    response = app(request)
                except Exception:
                    log.exception("%s %s failed", self.command, parts.path)
                    response = Response.json({"message": "Internal Server Error"}, 500)
                self.send_response(response.status)
                for key, value in response.headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("%s: " + format, self.server.server_address, *args)

        return _Handler
