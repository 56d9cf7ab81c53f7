"""Text that survives an SMS: GSM-7's basic set, cut to fit a segment.

A character outside the GSM 03.38 basic set turns a whole text into UCS-2 (70 characters a
segment instead of 160), so every SMS goes through `plain()`. The basic set holds some letters
beyond ASCII, one septet each like ASCII: Spanish keeps its é, ñ, ü, ¿ and ¡ (`español`, `José`),
while á, í, ó and ú, which it lacks, are folded (`María` -> `Maria`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

SMS_SEGMENT = 160
SMS_CONCATENATED_SEGMENT = 153  # a segment of a longer text loses 7 characters to its header
SLACK_TEXT_LIMIT = 3000  # a section block's text limit
# The GSM 03.38 basic character set, ASCII part.
GSM_ASCII = frozenset("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Its Latin letters and marks beyond ASCII (not its Greek capitals or the currency sign).
GSM_LATIN = frozenset("£¥§¿¡ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü")
_NOTHING = frozenset[str]()
_STRAIGHT = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"))
# What `latin_text` leaves that GSM-7's basic set lacks: printable ASCII outside it.
_NOT_GSM = re.compile("[" + re.escape("".join(chr(c) for c in range(32, 127) if chr(c) not in GSM_ASCII)) + "]")
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # all but the newline
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


def _folded(text: str, kept: frozenset[str]) -> str:
    """Printable text with smart quotes straightened and every letter outside ASCII and `kept`
    folded to ASCII (`á` -> `a`); what has no ASCII form is dropped."""
    if text.isascii() and text.isprintable():  # most text: nothing to fold
        return text
    for curly, straight in _STRAIGHT:
        text = text.replace(curly, straight)
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = _BEYOND_ASCII.sub(lambda found: found[0] if found[0] in kept else _ascii_of(found[0]), text)
    return _CONTROLS.sub("", text)


@functools.lru_cache(maxsize=1024)
def _ascii_of(char: str) -> str:
    """`á` -> `a`, `ﬁ` -> `fi`, an emoji -> nothing."""
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()


def ascii_text(text: str) -> str:
    """Plain printable ASCII: accents folded (José -> Jose), smart quotes straightened, the rest dropped."""
    return _folded(text, _NOTHING)


def latin_text(text: str) -> str:
    """Printable ASCII and GSM-7's Latin letters (José, Ñandú -> Ñandu): what Slack shows of the
    words an SMS would carry, so both channels write a name and a Spanish word alike."""
    return _folded(text, GSM_LATIN)


def plain(text: str, limit: int | None = None) -> str:
    """GSM-7's basic set (one SMS segment holds 160 of these), cut to `limit` with '...'."""
    cleaned = _NOT_GSM.sub("", latin_text(text))  # what is left beyond ASCII is GSM_LATIN
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 3)].rstrip() + "..."
    return cleaned
