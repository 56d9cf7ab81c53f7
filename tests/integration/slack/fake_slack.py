"""A fake Slack Web API on loopback: records every call and answers like Slack would (ok JSON).

`WebClient(base_url=f"{fake.url}api/")` and Bolt's `respond()` (response_url) both land here,
and so does the private file download of files.info, so tests see exactly what users would.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

RECEIPT_BYTES = b"\xff\xd8\xff\xe0 fake jpeg receipt"


@dataclass
class Call:
    method: str  # `chat.postMessage`, `views.publish`, ... or the path for non-API requests
    args: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeSlack:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    locales: dict[str, str] = field(default_factory=dict)  # user id -> Slack locale (users.info); default en-US
    refusals: dict[str, str] = field(default_factory=dict)  # method -> the error Slack answers it with
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path.startswith("/files-pri/"):
                    fake.calls.append(Call(parts.path, {}, dict(self.headers)))
                    self._send(200, RECEIPT_BYTES, "image/jpeg")
                    return
                self._api(parts.path, dict(parse_qsl(parts.query)))

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    args = json.loads(raw or "{}")
                else:
                    args = dict(parse_qsl(raw))
                self._api(urlsplit(self.path).path, args)

            def _api(self, path: str, args: dict[str, Any]) -> None:
                method = path.removeprefix("/api/")
                fake.calls.append(Call(method, args, dict(self.headers)))
                body = json.dumps(fake.answer(method, args)).encode()
                self._send(200, body, "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self.refusals:
            return {"ok": False, "error": self.refusals[method]}
        if method == "chat.postMessage":
            return {"ok": True, "channel": f"D{args.get('channel', '')}", "ts": f"1790000000.{len(self.calls):06d}"}
        if method == "files.info":
            file_id = args.get("file", "F0")
            return {
                "ok": True,
                "file": {
                    "id": file_id,
                    "name": "receipt.jpg",
                    "filetype": "jpg",
                    "mimetype": "image/jpeg",
                    "url_private_download": f"{self.url}files-pri/T0ACME-{file_id}/download/receipt.jpg",
                },
            }
        if method == "users.info":
            user = str(args.get("user") or "")
            if not user:
                return {"ok": False, "error": "user_not_found"}
            found: dict[str, Any] = {"id": user, "team_id": "T0ACME", "name": user.lower(), "is_bot": False}
            if str(args.get("include_locale")).lower() in ("true", "1"):  # Slack gives it only when asked
                found["locale"] = self.locales.get(user, "en-US")
            return {"ok": True, "user": found}
        if method in ("views.publish", "views.open"):
            return {"ok": True, "view": {"id": "V0PUBLISHED", **args.get("view", {})}}
        return {"ok": True}

    # -- what tests ask -------------------------------------------------------------------------

    def made(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        return [call.args for call in self.made("chat.postMessage") if call.args.get("channel") == user_id]

    def responses(self) -> list[dict[str, Any]]:
        """What was posted to response_urls (`{url}respond/<id>`): ephemeral follow-ups to a click."""
        return [call.args for call in self.calls if call.method.startswith("/respond/")]

    def homes_of(self, user_id: str) -> list[dict[str, Any]]:
        views = [call.args for call in self.made("views.publish") if call.args.get("user_id") == user_id]
        return [view["view"] if isinstance(view["view"], dict) else json.loads(view["view"]) for view in views]

    def reset(self) -> None:
        """Forget the calls made so far (what users see from here on)."""
        self.calls.clear()

    def reset_all(self) -> None:
        """A fresh Slack for the next test: no calls, every user in en-US, no method refused."""
        self.reset()
        self.locales.clear()
        self.refusals.clear()


def view_text(view: dict[str, Any]) -> str:
    """Everything a person reads in a view or a message's blocks, as one string."""
    return "\n".join(_texts(view.get("blocks", [])))


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [
            t for key, value in node.items() if key != "text" or not isinstance(value, str) for t in _texts(value)
        ]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def button_ids(view: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in view.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]
