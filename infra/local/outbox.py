"""Everything the system sent to a person, as the person would see it: SMS, Slack, email.

Append-only, kept in `outbox.jsonl` beside the emulator's state, so it survives a restart
without anything being sent again.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Message:
    id: int
    at: str  # ISO 8601, UTC
    channel: str  # sms | slack | email
    to: str  # phone number, Slack user or channel id, email address
    to_name: str | None  # the demo person behind `to`, when known
    text: str  # what the recipient reads
    via: str  # which API carried it: twilio.twiml, twilio.rest, slack.response_url, chat.postMessage, ...
    detail: dict[str, Any] = field(default_factory=dict)  # channel-specific extras (blocks, subject, html ...)


class Outbox:
    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        if path is not None and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self._messages.append(Message(**json.loads(line)))

    def record(
        self,
        channel: str,
        to: str,
        text: str,
        via: str,
        to_name: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> Message:
        with self._lock:
            message = Message(
                id=(self._messages[-1].id + 1) if self._messages else 1,
                at=datetime.now(UTC).isoformat(timespec="milliseconds"),
                channel=channel,
                to=to,
                to_name=to_name,
                text=text,
                via=via,
                detail=detail or {},
            )
            self._messages.append(message)
            if self._path is not None:
                with self._path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(message)) + "\n")
            return message

    def get(self, message_id: int) -> Message | None:
        with self._lock:
            return next((m for m in self._messages if m.id == message_id), None)

    def messages(self, after: int = 0) -> list[Message]:
        with self._lock:
            return [m for m in self._messages if m.id > after]

    def to_json(self, after: int = 0) -> dict[str, Any]:
        return {"messages": [asdict(m) for m in self.messages(after)]}
