"""A loopback Twilio: the REST API's Messages endpoint, MMS media behind Basic auth, and the CDN it redirects to."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


@dataclass
class StoredMedia:
    body: bytes
    content_type: str
    send_length: bool = True


@dataclass
class FakeTwilio:
    sent: list[dict[str, str]] = field(default_factory=list)
    media: dict[str, StoredMedia] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)  # numbers that replied STOP: sending fails with 21610
    cdn_headers: list[dict[str, str]] = field(default_factory=list)
    media_requests: int = 0
    _ids: Any = field(default_factory=lambda: count(1))

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _authorised(self) -> bool:
                expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {expected}"

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                if not self._authorised():
                    return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
                if form.get("To") in fake.blocked:
                    return self._json(
                        400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
                    )
                sid = f"SM{next(fake._ids):032d}"
                fake.sent.append({**form, "sid": sid})
                self._json(201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")})

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path.startswith("/cdn/"):
                    fake.cdn_headers.append(dict(self.headers.items()))
                    return self._file(fake.media.get(path.rsplit("/", 1)[-1]))
                media_prefix = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/"
                if path.startswith(media_prefix) and "/Media/" in path:
                    fake.media_requests += 1
                    if not self._authorised():
                        return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    # Like Twilio: a redirect to a CDN on another host, which must not get our credentials.
                    self.send_response(307)
                    self.send_header(
                        "Location", f"http://localhost:{self.server.server_port}/cdn/{path.rsplit('/', 1)[-1]}"
                    )
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self._json(404, {"code": 20404, "message": "not found", "status": 404})

            def _file(self, stored: StoredMedia | None) -> None:
                if stored is None:
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                self.send_response(200)
                self.send_header("Content-Type", stored.content_type)
                if stored.send_length:
                    self.send_header("Content-Length", str(len(stored.body)))
                else:
                    self.send_header("Connection", "close")  # length unknown: read to the end
                self.end_headers()
                self.wfile.write(stored.body)
                if not stored.send_length:
                    self.close_connection = True
                return None

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that stops reading (a file over 5 MB) is expected here, not a failure

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def reset(self) -> None:
        self.sent.clear()
        self.media.clear()
        self.blocked.clear()
        self.cdn_headers.clear()
        self.media_requests = 0

    def add_media(self, media_id: str, body: bytes, content_type: str, *, send_length: bool = True) -> str:
        """Make a media file available; returns its URL as Twilio announces it (on api.twilio.com)."""
        self.media[media_id] = StoredMedia(body, content_type, send_length)
        return f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM{media_id}/Media/{media_id}"

    def texts_to(self, phone: str) -> list[str]:
        return [m["Body"] for m in self.sent if m.get("To") == phone]
