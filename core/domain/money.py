"""Money as people type it: amounts become exact Decimals, currencies ISO 4217 codes.

Pure and stdlib-only, so the grammar can use it on a cold start for free.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_AMOUNT = Decimal("1000000")  # a sanity ceiling; the org's own (lower) limit is the service's job

# Active ISO 4217 currency codes (fund and precious-metal codes left out: nobody pays for fuel in XAU).
_ACTIVE_CODES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW "
    "KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD "
    "NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD "
    "SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS "
    "VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"
)
ISO_4217_CODES: frozenset[str] = frozenset(_ACTIVE_CODES.split())

# Codes that are also everyday words: typed in lower case they are more likely a category (`exp 3 pen`).
WORDLIKE_CODES: frozenset[str] = frozenset(
    {"all", "bam", "bob", "cop", "cup", "gel", "mad", "mop", "pen", "ron", "sos", "top", "try"}
)

# `$` is shared by dozens of currencies, so it means "the org's default" (None).
CURRENCY_SYMBOLS: dict[str, str | None] = {
    "$": None,
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₱": "PHP",
    "₪": "ILS",
    "₺": "TRY",
    "₴": "UAH",
    "₦": "NGN",
    "₫": "VND",
}

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")  # 12, 12.50, 12., .50
_THOUSANDS_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")  # 1,234.50
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")  # 12,50
_THOUSANDS_DOT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")  # 1.234,50


def parse_amount(text: str) -> Decimal | None:
    """`12.50`, `12,50`, `1,234.50`, `1.234,50` -> an exact Decimal; anything else -> None.

    `1,234` reads as one thousand two hundred and thirty-four (a decimal comma never has three digits).
    """
    if _PLAIN.fullmatch(text) or _THOUSANDS_COMMA.fullmatch(text):
        digits = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        digits = text.replace(",", ".")
    elif _THOUSANDS_DOT.fullmatch(text):
        digits = text.replace(".", "").replace(",", ".")
    else:
        return None
    return Decimal(digits)  # safe: the patterns above let only digits and one point through


def currency_code(word: str) -> str | None:
    """`EUR`, `usd` -> the ISO code; `pen` (lower case, an everyday word) or `xyz` -> None."""
    code = word.upper()
    if code not in ISO_4217_CODES:
        return None
    if word.lower() in WORDLIKE_CODES and not word.isupper():
        return None
    return code


def has_cents_at_most(amount: Decimal) -> bool:
    """True when the amount needs no more than two decimal places (12.500 is fine, 12.505 is not)."""
    _, _, fraction = format(amount, "f").partition(".")  # exact, unlike quantize() on huge values
    return len(fraction.rstrip("0")) <= 2
