"""Text that survives an SMS: GSM-7's basic set, cut to fit a segment.

A character outside the GSM 03.38 basic set turns a whole text into UCS-2 (70 characters a
segment instead of 160), so every SMS goes through `plain()`. The basic set holds some letters
beyond ASCII, one septet each like ASCII: Spanish keeps its é, ñ, ü, ¿ and ¡ (`español`, `José`),
while á, í, ó and ú, which it lacks, are folded (`María` -> `Maria`).
"""

from __future__ import annotations

import unicodedata

SMS_SEGMENT = 160
SMS_CONCATENATED_SEGMENT = 153  # a segment of a longer text loses 7 characters to its header
SLACK_TEXT_LIMIT = 3000  # a section block's text limit
# The GSM 03.38 basic character set, ASCII part.
GSM_ASCII = frozenset("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Its Latin letters and marks beyond ASCII (not its Greek capitals or the currency sign).
GSM_LATIN = frozenset("£¥§¿¡ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü")
_NOTHING = frozenset[str]()


def _folded(text: str, kept: frozenset[str]) -> str:
    """Printable text with smart quotes straightened and every letter outside ASCII and `kept`
    folded to ASCII (`á` -> `a`); what has no ASCII form is dropped."""
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    folded = "".join(
        ch if ch.isascii() or ch in kept else unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        for ch in unicodedata.normalize("NFC", text)
    )
    return "".join(ch for ch in folded if ch.isprintable() or ch == "\n")


def ascii_text(text: str) -> str:
    """Plain printable ASCII: accents folded (José -> Jose), smart quotes straightened, the rest dropped."""
    return _folded(text, _NOTHING)


def latin_text(text: str) -> str:
    """Printable ASCII and GSM-7's Latin letters (José, Ñandú -> Ñandu): what Slack shows of the
    words an SMS would carry, so both channels write a name and a Spanish word alike."""
    return _folded(text, GSM_LATIN)


def plain(text: str, limit: int | None = None) -> str:
    """GSM-7's basic set (one SMS segment holds 160 of these), cut to `limit` with '...'."""
    cleaned = "".join(ch for ch in latin_text(text) if ch in GSM_ASCII or ch in GSM_LATIN)
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 3)].rstrip() + "..."
    return cleaned
