"""Identifiers that sort by creation time and never collide."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_id(at: datetime | None = None) -> str:
    """A 26-character id: millisecond time prefix (sortable) + 80 random bits.

    Sort keys built from these never overwrite each other, even for two punches
    in the same millisecond.
    """
    millis = int(at.timestamp() * 1000) if at else 0
    return f"{millis:013x}{secrets.token_hex(7)[:13]}"
