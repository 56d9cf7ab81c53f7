"""Money as people type it: amounts become exact Decimals, currencies ISO 4217 codes.

Pure and stdlib-only, so the grammar can use it on a cold start for free.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_AMOUNT = Decimal("1000000")  # the most an org's own single-expense limit may be (the CLI refuses more)

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

# Currencies whose people write a decimal comma and a thousands dot (12,50 and 1.250,00): in
# them `1.250` is one thousand two hundred and fifty, and `1,250` one and a quarter.
_COMMA_CURRENCIES = "EUR BRL ARS CLP COP PYG UYU DKK NOK SEK ISK TRY RUB UAH PLN CZK HUF RON BGN RSD IDR VND ZAR"
DECIMAL_COMMA_CURRENCIES: frozenset[str] = frozenset(_COMMA_CURRENCIES.split())

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")  # 12, 12.50, 12., .50
_THOUSANDS_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")  # 1,234.50
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")  # 12,50
_THOUSANDS_DOT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")  # 1.234,50


_ONE_GROUP = re.compile(r"[0-9]{1,3}[.,][0-9]{3}")  # 1,250 or 1.250: which is the decimal point depends


def parse_amount(text: str, decimal_comma: bool = False) -> Decimal | None:
    """`12.50`, `12,50`, `1,234.50`, `1.234,50` -> an exact Decimal; anything else -> None.

    `1,234` reads as one thousand two hundred and thirty-four, and `1.234` as one and a bit,
    unless the currency writes a decimal comma (`decimal_comma`: see DECIMAL_COMMA_CURRENCIES),
    where it is the other way round. `12,50` is twelve and a half either way.
    Zeros past the cents are dropped (`12.500` -> 12.50); the amount is otherwise kept as typed.
    """
    if decimal_comma and _ONE_GROUP.fullmatch(text):
        return to_the_cent(Decimal(text.replace(".", "").replace(",", ".")))
    if _PLAIN.fullmatch(text) or _THOUSANDS_COMMA.fullmatch(text):
        digits = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        digits = text.replace(",", ".")
    elif _THOUSANDS_DOT.fullmatch(text):
        digits = text.replace(".", "").replace(",", ".")
    else:
        return None
    return to_the_cent(Decimal(digits))  # safe: the patterns above let only digits and one point through


def currency_code(word: str) -> str | None:
    """`EUR`, `usd` -> the ISO code; `pen` (lower case, an everyday word) or `xyz` -> None."""
    code = word.upper()
    if code not in ISO_4217_CODES:
        return None
    if word.lower() in WORDLIKE_CODES and not word.isupper():
        return None
    return code


def writes_decimal_comma(currency: str) -> bool:
    return currency.upper() in DECIMAL_COMMA_CURRENCIES


# The one rule for an amount of money, for the grammar and the expense service alike. Each problem
# is a message code of the catalogue (core/catalogue/en.py). How large an amount may be is the
# org's own limit, which only the service knows: the one number every reply quotes.
AMOUNT_NOT_POSITIVE = "amount_not_positive"
AMOUNT_TOO_PRECISE = "amount_too_precise"


def check_amount(amount: Decimal) -> str | None:
    """What is wrong with an amount of money, or None: more than 0, and no more than two
    decimals that are not zero (12.500 is 12.50; 12.505 is refused)."""
    if not amount.is_finite() or amount <= 0:
        return AMOUNT_NOT_POSITIVE
    if len(_fraction(amount).rstrip("0")) > 2:
        return AMOUNT_TOO_PRECISE
    return None


def to_the_cent(amount: Decimal) -> Decimal:
    """`12.500` -> `12.50`: zeros past the cents dropped. `12.5`, `12` and `12.505` stay as they are."""
    if not amount.is_finite():
        return amount
    fraction = _fraction(amount)
    if len(fraction) <= 2 or fraction[2:].strip("0"):
        return amount
    whole = format(amount, "f").partition(".")[0]
    return Decimal(f"{whole}.{fraction[:2]}")


def _fraction(amount: Decimal) -> str:
    return format(amount, "f").partition(".")[2]  # exact, unlike quantize() on huge values
