"""Text that survives an SMS: plain ASCII within GSM-7's basic set, cut to fit a segment.

A character outside the GSM 03.38 basic set turns a whole text into UCS-2 (70 characters a
segment instead of 160), so every SMS goes through `plain()`.
"""

from __future__ import annotations

import unicodedata

SMS_SEGMENT = 160
SMS_CONCATENATED_SEGMENT = 153  # a segment of a longer text loses 7 characters to its header
SLACK_TEXT_LIMIT = 3000  # a section block's text limit
# The GSM 03.38 basic character set, ASCII part.
GSM_ASCII = frozenset("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def ascii_text(text: str) -> str:
    """Plain printable ASCII: accents folded (José -> Jose), smart quotes straightened, the rest dropped."""
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded if ch.isprintable() or ch == "\n")


def plain(text: str, limit: int | None = None) -> str:
    """ASCII within GSM-7's basic set (one SMS segment holds 160 of these), cut to `limit` with '...'."""
    cleaned = "".join(ch for ch in ascii_text(text) if ch in GSM_ASCII)
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 3)].rstrip() + "..."
    return cleaned
