"""Phone numbers as people type them, normalised to E.164 (`+15551234567`)."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()\u2010-\u2015]+")  # spaces, dashes (ASCII and typographic), dots, parens
_E164_MIN_DIGITS = 7  # the shortest numbering plans (e.g. +290 XXXX)
_E164_MAX_DIGITS = 15
_NANP_DIGITS = 11  # 1 + area code + number


def normalize_phone(text: str, default_country_code: str = "1") -> str | None:
    """`+1 (555) 123-4567`, `555.123.4567`, `1 555 123 4567`, `0044 20 7946 0958` -> E.164; else None.

    A number without `+` (or `00`) is national to `default_country_code`: ten digits, or 1 and ten
    digits, in the North American plan; elsewhere the national number with its trunk `0` dropped.
    """
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not (digits.isascii() and digits.isdigit()):
        return None
    full = digits if international else _with_country_code(digits, default_country_code)
    if full is None or not _plausible(full):
        return None
    return "+" + full


def _with_country_code(national: str, country_code: str) -> str | None:
    if country_code == "1":
        if len(national) == _NANP_DIGITS - 1:
            return "1" + national
        if len(national) == _NANP_DIGITS and national.startswith("1"):
            return national
        return None
    return country_code + national.removeprefix("0")


def _plausible(digits: str) -> bool:
    if digits.startswith("0") or not _E164_MIN_DIGITS <= len(digits) <= _E164_MAX_DIGITS:
        return False
    return not digits.startswith("1") or len(digits) == _NANP_DIGITS
