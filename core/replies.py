"""Outcomes as words, for the doors: a thin face on the message catalogue (core/catalogue/).

SMS replies are GSM-7 and fit one 160-character segment (help may use two); Slack replies name
slash commands where SMS names keywords. Every word lives in the catalogue, per language.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core import catalogue
from core.catalogue import REPLY_CODES, Channel
from core.catalogue.gsm import SLACK_TEXT_LIMIT, SMS_SEGMENT, ascii_text, plain
from core.ports import Outcome

__all__ = ["SLACK_TEXT_LIMIT", "SMS_SEGMENT", "Style", "ascii_text", "duration", "known_codes", "plain", "render"]

Style = Channel  # the doors' name for a channel


def render(outcome: Outcome, style: Style, zone: ZoneInfo, language: str | None = None, switched: bool = False) -> str:
    """The outcome in words, in the language its service chose (`ESPANOL`) or else `language` (the
    person's). `switched`: the language was just taken from their words, so say how to switch back."""
    spoken = outcome.language or language
    text = catalogue.reply(outcome.code, outcome.data, style, zone, spoken)
    if switched:
        hint = catalogue.say("language.switch_back", style, spoken)
        limit = catalogue.sms_limit(outcome.code) if style is Style.SMS else SLACK_TEXT_LIMIT
        return f"{text} {hint}" if len(text) + 1 + len(hint) <= limit else text
    return text


def duration(minutes: int | None) -> str:
    return catalogue.duration(minutes)


def known_codes() -> list[str]:
    return sorted(REPLY_CODES)
