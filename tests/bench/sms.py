"""`sms`: the longest reply over every SMS message of the catalogue, in every language, filled with
the worst-case values each parameter's kind can take (tests/unit/test_catalogue.py's walk), in
characters and billed segments. Target: one segment (help: two)."""

from __future__ import annotations

from itertools import islice
from typing import Any

from core.catalogue import LANGUAGES, sms_limit
from core.catalogue.gsm import GSM_ASCII, SMS_CONCATENATED_SEGMENT, SMS_SEGMENT
from tests.bench.common import verdict

UCS2_SEGMENT, UCS2_CONCATENATED_SEGMENT = 70, 67
# GSM 03.38: the basic set beyond ASCII, and the extension table (each costs two characters).
GSM_BASIC_EXTRA = set("£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà")
GSM_EXTENDED = set("^{}\\[~]|€\f")


def segments(text: str) -> int:
    """Billed segments: GSM-7 (160, or 153 per part) unless one character needs UCS-2 (70, or 67)."""
    if all(ch in GSM_ASCII or ch in GSM_BASIC_EXTRA or ch in GSM_EXTENDED for ch in text):
        length = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part = SMS_SEGMENT, SMS_CONCATENATED_SEGMENT
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = UCS2_SEGMENT, UCS2_CONCATENATED_SEGMENT
    return 1 if length <= single else -(-length // part)


def longest_messages(exhaustive: bool = True) -> list[dict[str, Any]]:
    """Each SMS code in each language at its longest: code, language, chars, segments, allowed, text.
    `exhaustive=False` fills each with its first case only (make test checks the walk finds every
    message; tests/unit/test_catalogue.py already fills every case)."""

    from core.catalogue import Channel, compose
    from tests.unit.test_catalogue import SMS_CODES, ZONES, cases, one_line

    found = []
    for language in sorted(LANGUAGES):
        for code in SMS_CODES:
            longest = ""
            for params in islice(cases(code, Channel.SMS, language), None if exhaustive else 1):
                for zone in ZONES:
                    longest = max(longest, one_line(compose(code, Channel.SMS, language, zone, params)), key=len)
            allowed = 2 if sms_limit(code) > SMS_SEGMENT else 1
            found.append(
                {
                    "code": code,
                    "language": language,
                    "chars": len(longest),
                    "segments": segments(longest),
                    "allowed_segments": allowed,
                    "text": longest,
                }
            )
    return found


def bench_sms() -> dict[str, Any]:
    messages = longest_messages()
    others = [m for m in messages if m["allowed_segments"] == 1]
    help_ = [m for m in messages if m["allowed_segments"] == 2]
    worst = max(others, key=lambda m: (m["segments"], m["chars"]))
    worst_help = max(help_, key=lambda m: (m["segments"], m["chars"])) if help_ else None
    over = [f"{m['code']}/{m['language']}" for m in messages if m["segments"] > m["allowed_segments"]]
    return {
        "messages": len(messages),
        "languages": sorted(LANGUAGES),
        "target": "1 segment (help <= 2)",
        "longest": {k: worst[k] for k in ("code", "language", "chars", "segments", "text")},
        "longest_help": {k: worst_help[k] for k in ("code", "language", "chars", "segments")} if worst_help else None,
        "over_target": over,
        "by_code": {f"{m['code']}/{m['language']}": [m["chars"], m["segments"]] for m in messages},
    }


def print_sms(figures: dict[str, Any]) -> None:
    worst, help_ = figures["longest"], figures["longest_help"]
    print(f"\nsms: {figures['messages']} SMS messages x worst-case values, languages {figures['languages']}")
    print(
        f"  longest: {worst['code']} {worst['chars']} chars, {worst['segments']} segment(s), target 1: "
        f"{verdict(worst['segments'] <= 1)}"
    )
    if help_:
        print(
            f"  help:    {help_['chars']} chars, {help_['segments']} segment(s), target <= 2: "
            f"{verdict(help_['segments'] <= 2)}"
        )
    print(f"  over target: {figures['over_target'] or 'none'}")
