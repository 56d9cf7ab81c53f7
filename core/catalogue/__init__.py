"""One message catalogue: (code, channel, language) and parameters -> the words a person reads.

- `reply(code, data, channel, zone)`: a service's outcome (core.ports.Outcome) in words.
  `core.replies.render` is this for the doors.
- `say(code, channel, **params)`: any other message, e.g. a grammar problem (`say("no_command",
  Channel.SLACK)`), or a door's or a notice's own (`MESSAGES` in en.py: `say("invite", Channel.SMS, ...)`).
- `phrase(key, **params)`: words every channel shares, unfinished (reports, flags, the upload
  page, the email); `phrase(key, channel=Channel.SLACK, ...)` the words of one channel's blocks.
- `written(kind, value, zone)`: one value as the language writes it (`written("day", date)`: Mon 16 Nov).
- `in_language(code)`: a whole document (an email) in one language: inside it, every call that
  names no language speaks `code`. A single message names its reader's language instead.

The words are data: `en.py` holds every English template. To add a language, copy `en.py` to
`es.py`, translate its templates and its `Formats` (names of days and months, how a time and a
duration are written), and register it below: `LANGUAGES = {"en": en.LANGUAGE, "es": es.LANGUAGE}`.
tests/unit/test_catalogue.py then checks it has every code for every channel, and that every
SMS it can say is one GSM-7 segment. A language that lacks a template borrows English's.

Pure and stdlib-only, so a door imports it on a cold start for next to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, tzinfo
from typing import Any

from core.catalogue import en, es
from core.catalogue.gsm import SLACK_TEXT_LIMIT, SMS_SEGMENT, latin_text, plain
from core.catalogue.language import Channel, Language
from core.catalogue.outcomes import PROBLEM_LIMIT, UNKNOWN, parameters, sms_limit
from core.catalogue.template import KINDS, Filler, kind_of

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MESSAGE_CODES",
    "PROBLEM_CODES",
    "REPLY_CODES",
    "Channel",
    "compose",
    "duration",
    "filler",
    "finish",
    "in_language",
    "language_of_locale",
    "phrase",
    "reply",
    "say",
    "sms_limit",
    "written",
]

DEFAULT_LANGUAGE = "en"
LANGUAGES: dict[str, Language] = {"en": en.LANGUAGE, "es": es.LANGUAGE}
# English is the reference: every language has these codes.
REPLY_CODES = frozenset(en.REPLIES)
PROBLEM_CODES = frozenset(en.PROBLEMS)
MESSAGE_CODES = frozenset(en.MESSAGES)
# The language of the document being written, for calls that name none (`in_language`).
_DOCUMENT_LANGUAGE: ContextVar[str] = ContextVar("document_language", default=DEFAULT_LANGUAGE)


def language_of_locale(locale: str | None) -> str | None:
    """The catalogue's language for a locale tag (Slack's `es-LA`, `es-ES`, `en-US`), None for one
    we do not write in."""
    code = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Write a whole document (an email, its tables, its subject) in `code`."""
    token = _DOCUMENT_LANGUAGE.set(code)
    try:
        yield
    finally:
        _DOCUMENT_LANGUAGE.reset(token)


def filler(
    channel: Channel | None,
    language: str | None = None,
    zone: tzinfo = UTC,
    params: Mapping[str, Any] | None = None,
) -> Filler:
    chosen = LANGUAGES.get(language or _DOCUMENT_LANGUAGE.get(), LANGUAGES[DEFAULT_LANGUAGE])
    fallback = None if chosen.code == DEFAULT_LANGUAGE else LANGUAGES[DEFAULT_LANGUAGE]
    return Filler(chosen, channel, zone, params or {}, fallback)


def compose(
    code: str,
    channel: Channel | None,
    language: str | None = None,
    zone: tzinfo = UTC,
    params: Mapping[str, Any] | None = None,
) -> str:
    """The words of `code` with its parameters, before a channel's limits (what the tests measure)."""
    return filler(channel, language, zone, params).fill(code)


def finish(text: str, channel: Channel, limit: int = SMS_SEGMENT) -> str:
    """What a channel can carry: one line of GSM-7 within `limit` for SMS; for Slack, the same
    letters with the characters mrkdwn needs (backticks, brackets)."""
    text = " ".join(text.split())
    if channel is Channel.SLACK:
        return latin_text(text)[:SLACK_TEXT_LIMIT]  # the Slack door escapes it for mrkdwn
    return plain(text, limit)


def say(code: str, channel: Channel, /, language: str | None = None, *, zone: tzinfo = UTC, **params: Any) -> str:
    """Any message of the catalogue, finished for `channel`; times are shown in `zone`. (`code` and
    `channel` are positional only, so a template may have parameters of those names.)"""
    return finish(compose(code, channel, language, zone, params), channel, sms_limit(code))


def reply(code: str, data: Mapping[str, Any], channel: Channel, zone: tzinfo, language: str | None = None) -> str:
    """A service's outcome in words, in the person's zone; an outcome without words is an apology."""
    if code not in REPLY_CODES:
        return finish(compose("error", channel, language, zone), channel)
    if code == UNKNOWN:
        text = _problem(data.get("problem"), channel, language, zone)
    else:
        text = compose(code, channel, language, zone, parameters(code, data))
    return finish(text, channel, sms_limit(code))


def _problem(problem: Any, channel: Channel, language: str | None, zone: tzinfo) -> str:
    """Why the grammar (or a door) could not read a text, or "did not get that" when nobody said
    why. A problem is a code: words a door put there instead are not shown (they would be English)."""
    if problem in PROBLEM_CODES:
        return plain(compose(problem, channel, language, zone), PROBLEM_LIMIT)
    return compose(UNKNOWN, channel, language, zone)


def phrase(
    key: str,
    /,
    language: str | None = None,
    *,
    channel: Channel | None = None,
    zone: tzinfo = UTC,
    **params: Any,
) -> str:
    """Words as they are, for the caller to place and escape: what every channel shares (a report's
    summary, a flag, the upload page, the email), or with `channel` one channel's (Slack's blocks)."""
    return compose(key, channel, language, zone, params)


def written(kind: str, value: Any, zone: tzinfo = UTC, language: str | None = None, **params: Any) -> str:
    """One value as the language writes it, by its kind (core/catalogue/template.py, KINDS):
    `written("day_year", date(2026, 11, 16))` is `Mon 16 Nov 2026`; `written("when", at, zone, now=now)`."""
    name, size = kind_of(kind)
    return KINDS[name](filler(None, language, zone, params), value, size)


def duration(minutes: int | None, language: str | None = None) -> str:
    """Whole minutes as a language writes them: `4h 34m`, `32m`."""
    return LANGUAGES.get(language or _DOCUMENT_LANGUAGE.get(), LANGUAGES[DEFAULT_LANGUAGE]).formats.duration(minutes)
