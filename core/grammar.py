"""One text grammar for every door: `in north-site`, `OUT 17:30 forgot`, `exp 12.50 fuel`, `STOP`.

`parse` reads a Slack or SMS message into a command from `core.commands`. It forgives case,
punctuation, spacing, synonyms and small typos in the keyword, and never raises: text it cannot
read becomes `Unknown` with a problem code (`amount_unreadable`, `reason_missing_out`...), which
the message catalogue (core/catalogue/) turns into a hint in the person's channel and language.

Only the keyword is ever guessed at. Words the user means as data (job, category, note, name)
are kept as typed, apart from jobs and categories, which are lower-cased identifiers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from core.commands import (
    AddBreak,
    AddShift,
    Budgets,
    ClockIn,
    ClockOut,
    Command,
    Decide,
    EndBreak,
    ExpenseCategories,
    Help,
    Hours,
    Invite,
    Join,
    LockPeriod,
    LogExpense,
    OnDay,
    OptIn,
    OptOut,
    Pending,
    Period,
    SetBudget,
    SetLanguage,
    StartBreak,
    Status,
    Still,
    Team,
    Unknown,
)
from core.domain.model import BreakKind
from core.domain.money import CURRENCY_SYMBOLS, check_amount, currency_code, parse_amount
from core.domain.phone import normalize_phone

NOTE_MAX = 200
NAME_MAX = 100
WORD_MAX = 40  # a job, a category, a decision's reference, a help topic

NO_COMMAND = "no_command"  # the problem of text with no command in it


class _Problem(Exception):
    """Raised inside the grammar when the text is readable enough to say what is wrong with it.
    Its argument is a problem code of the message catalogue (core/catalogue/en.py, PROBLEMS)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class _Clocking(NamedTuple):
    """What is wrong with a clock-in or clock-out at an explicit time: each has its own example."""

    reason_missing: str | None  # None: the time may come alone
    time_invalid: str


_IN = _Clocking(reason_missing="reason_missing_in", time_invalid="time_invalid_in")
# `OUT 17:30` alone answers "still clocked in?"; otherwise the planner asks for a reason
# (the `reason_missing_out` reply), since only the worker's state tells which it is.
_OUT = _Clocking(reason_missing=None, time_invalid="time_invalid_out")


class Token(NamedTuple):
    raw: str  # as typed: notes, names and reasons are built from these
    key: str  # folded for matching: `Clock-In!` -> `clockin`


# ---------------------------------------------------------------------------------------------
# Entry point


def parse(text: str) -> Command:
    """Read one message. Never raises: unreadable text becomes `Unknown(text, problem code)`."""
    try:
        return _read(text)
    except _Problem as problem:
        return Unknown(text=text, problem=problem.code)
    except Exception:  # a grammar bug must cost the user a hint, never a stack trace in their chat
        return Unknown(text=text, problem=NO_COMMAND)


def _read(text: str) -> Command:
    body = _trim(text)
    if not body:
        if "?" in text:
            return Status()
        raise _Problem(NO_COMMAND)
    tokens = [Token(raw, _fold(raw)) for raw in body.split()]
    carrier = _carrier_keyword(tokens)
    if carrier is not None:
        return carrier
    if len(tokens) > 1 and tokens[0].key == "punch":  # `/punch in`, `punch status`
        tokens = tokens[1:]
    matched = _match_phrase(tokens)
    if matched is not None:
        handler, rest = matched
        return handler(rest)
    return _read_without_keyword(tokens)


def _read_without_keyword(tokens: list[Token]) -> Command:
    """Messages that start with data: `$12.50 fuel`, `2026-11-01 2026-11-07`."""
    first = _nfkc(tokens[0].raw)
    if first.lstrip("+-\u2212")[:1] in CURRENCY_SYMBOLS:
        return _expense(tokens)
    if _DATE_START.match(first):
        return _date_range(tokens)
    if len(tokens) == 1 and _JOIN_CODE.fullmatch(first):
        raise _Problem("join_code_missing")
    if parse_amount(first) is not None:
        raise _Problem("expense_keyword_missing")
    raise _Problem(NO_COMMAND)


# ---------------------------------------------------------------------------------------------
# Words


# Every character str.split() splits on (str.strip() with an argument knows only what it is given).
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_LEADING_JUNK = _SPACES + "/!.,;:*>\u00a1\u00bf"
_TRAILING_JUNK = _SPACES + ".!?,;:\u2026\u3002\uff01\uff1f\uff0c"
_NON_WORD = re.compile(r"[\W_]+")


def _trim(text: str) -> str:
    """`/punch in`, ` IN! `, `Back!!` -> the words without the punctuation around them."""
    return text.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK)


def _nfkc(word: str) -> str:
    return unicodedata.normalize("NFKC", word)


def _fold(word: str) -> str:
    """`Clock-In!` -> `clockin`, `ESPAÑOL` -> `espanol`, `volví` -> `volvi`: accents do not count."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return _NON_WORD.sub("", "".join(char for char in decomposed if not unicodedata.combining(char)))


def _identifier(token: Token, too_long: str) -> str:
    """A job or category: lower case, without the punctuation around it."""
    word = token.raw.strip("@#,;:()[]\"'").lower()
    if len(word) > WORD_MAX:
        raise _Problem(too_long)
    return word


def _text(tokens: list[Token], limit: int = NOTE_MAX) -> str | None:
    """A note, reason or name: the words as typed, trimmed and capped."""
    joined = " ".join(token.raw for token in tokens).strip(" -:;,\u2013\u2014")
    return joined[:limit].rstrip() or None


# ---------------------------------------------------------------------------------------------
# Keywords: carrier opt-out words first, then a table of phrases, longest first.


_OPT_OUT = {word: word.upper() for word in ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout")}
# Spanish speakers' opt-out words: honoured like STOP (the carriers' lists are English only).
SPANISH_OPT_OUT = frozenset(("alto", "parar", "para", "cancelar", "baja", "darmedebaja", "detener"))
_OPT_OUT.update({word: word.upper() for word in SPANISH_OPT_OUT})
# START is the carriers' opt-in word: alone it re-subscribes (`start work` or `start north-site` clock in).
_OPT_IN = {word: word.upper() for word in ("start", "unstop")}


def _carrier_keyword(tokens: list[Token]) -> OptOut | OptIn | None:
    """STOP, START and friends count only as the whole message (`stop all` and `opt out` too)."""
    if len(tokens) > 2:
        return None
    word = "".join(token.key for token in tokens)
    if word in _OPT_OUT:
        return OptOut(keyword=_OPT_OUT[word])
    if word in _OPT_IN:
        return OptIn(keyword=_OPT_IN[word])
    return None


Handler = Callable[[list[Token]], Command]


def _only(command: Command) -> Handler:
    """For words that also occur in ordinary sentences (`here`, `back`, `lunch`): the whole message only."""

    def handler(rest: list[Token]) -> Command:
        if rest:
            raise _Problem(NO_COMMAND)
        return command

    return handler


def _ignoring_rest(command: Command) -> Handler:
    """For harmless, read-only requests: `status please`, `who is in`."""
    return lambda rest: command


def _spellings(handler: Handler, *phrases: str) -> dict[tuple[str, ...], Handler]:
    return {tuple(phrase.split()): handler for phrase in phrases}


def _clock_in(rest: list[Token]) -> Command:
    words = _skip_at(rest)
    if not words:
        return ClockIn()
    dated = _dated(words, _IN)
    if dated is not None:
        return ClockIn(at=dated.at, reason=dated.reason, on=dated.on)
    job = _identifier(words[0], "job_too_long") or None
    dated = _dated(words[1:], _IN)
    if dated is not None:
        return ClockIn(job=job, at=dated.at, reason=dated.reason, on=dated.on)
    return ClockIn(job=job, note=_text(words[1:]))


def _clock_out(rest: list[Token]) -> Command:
    dated = _dated(rest, _OUT)
    if dated is not None:
        return ClockOut(at=dated.at, reason=dated.reason, on=dated.on)
    return ClockOut(note=_text(rest))


_BREAK_KINDS = {
    "comida": BreakKind.MEAL,
    "almuerzo": BreakKind.MEAL,
    "cena": BreakKind.MEAL,
    "cafe": BreakKind.REST,
    "descanso": BreakKind.REST,
    "meal": BreakKind.MEAL,
    "lunch": BreakKind.MEAL,
    "dinner": BreakKind.MEAL,
    "rest": BreakKind.REST,
    "coffee": BreakKind.REST,
    "pause": BreakKind.REST,
    "smoke": BreakKind.REST,
}


def _break(rest: list[Token]) -> Command:
    """`break`, `break lunch`, `break rest 15 min`: only the kind is read; the rest is talk.
    With times it is a break told after the fact: `break lunch mon 12:00-12:30 forgot`."""
    kind = _BREAK_KINDS.get(_spell(rest[0].key)) if rest else None
    added = _added_break(rest[1:] if kind is not None else rest, kind)
    return added if added is not None else StartBreak(kind=kind)


def _named_break(kind: BreakKind) -> Handler:
    """`lunch`, `coffee` alone start a break; with times they tell one after the fact."""

    def handler(rest: list[Token]) -> Command:
        if not rest:
            return StartBreak(kind=kind)
        added = _added_break(rest, kind)
        if added is None:
            raise _Problem(NO_COMMAND)
        return added

    return handler


def _added_break(words: list[Token], kind: BreakKind | None) -> AddBreak | None:
    spanned = _spanned(words, "reason_missing_break")
    if spanned is None:
        return None
    return AddBreak(start=spanned.start, end=spanned.end, reason=spanned.reason, kind=kind, on=spanned.on)


def _shift(rest: list[Token]) -> Command:
    """`shift mon 8:00-16:30 forgot`: a whole shift the worker forgot to punch."""
    spanned = _spanned(rest, "reason_missing_shift")
    if spanned is None:
        raise _Problem("shift_unreadable")
    return AddShift(start=spanned.start, end=spanned.end, reason=spanned.reason, on=spanned.on)


_PERIODS = {
    ("today",): Period.TODAY,
    ("yesterday",): Period.YESTERDAY,
    ("week",): Period.WEEK,
    ("this", "week"): Period.WEEK,
    ("last", "week"): Period.LAST_WEEK,
    ("lastweek",): Period.LAST_WEEK,
    ("previous", "week"): Period.LAST_WEEK,
    ("hoy",): Period.TODAY,
    ("ayer",): Period.YESTERDAY,
    ("semana",): Period.WEEK,
    ("esta", "semana"): Period.WEEK,
    ("semana", "pasada"): Period.LAST_WEEK,
    ("la", "semana", "pasada"): Period.LAST_WEEK,
}


def _hours(rest: list[Token]) -> Command:
    if not rest:
        return Hours()
    period = _PERIODS.get(tuple(token.key for token in rest))
    if period is not None:
        return Hours(period=period)
    return _date_range(rest)


def _help(rest: list[Token]) -> Command:
    topic = " ".join(token.key for token in rest if token.key)[:WORD_MAX].strip()
    return Help(topic=topic or None)


_JOIN_CODE = re.compile(r"[0-9]{6}")


def _join(rest: list[Token]) -> Command:
    code = re.sub(r"[\s\-.]", "", _nfkc("".join(token.raw for token in rest)))
    if not _JOIN_CODE.fullmatch(code):
        raise _Problem("join_code_missing")
    return Join(code=code)


_NUMBER = re.compile(r"#?([0-9]{1,4})")


def _number(token: Token) -> int | None:
    match = _NUMBER.fullmatch(_nfkc(token.raw).strip(".,:;"))
    return int(match[1]) if match else None


def _decide(approve: bool, rest: list[Token]) -> Command:
    """`approve`, `approve 2`, `reject 2 too late`, `approve all`, `approve all 3` (the count confirms)."""
    if not rest:
        return Decide(approve=approve)
    if rest[0].key in ("all", "every", "everything", "todo", "todos", "todas"):
        if not approve:
            raise _Problem("reject_all")
        count = _number(rest[1]) if len(rest) > 1 else None
        if len(rest) > 2 or (len(rest) == 2 and count is None):
            raise _Problem("decision_unreadable")
        return Decide(approve=True, every=True, count=count)
    number = _number(rest[0])
    if number is None:
        raise _Problem("decision_unreadable")
    return Decide(approve=approve, number=number, note=_text(rest[1:]))


def _pending(rest: list[Token]) -> Command:
    """`pending`, `pending 4`: what waits for this manager, from item 4 on."""
    if not rest:
        return Pending()
    number = _number(rest[0])
    if number is None or len(rest) > 1:
        raise _Problem("pending_unreadable")
    return Pending(number=number)


def _lock(rest: list[Token]) -> Command:
    """`lock`: the last pay period that ended; `lock 11/15`: the one holding that day."""
    words = [token for token in rest if token.key not in ("period", "pay", "the", "periodo", "el")]
    if not words:
        return LockPeriod()
    read = _day_at(words)
    if read is None or read[1] != len(words):
        raise _Problem("lock_unreadable")
    return LockPeriod(on=read[0])


_PHONE_PART = re.compile(r"[+(]?[0-9][0-9().\-]*")


def _invite(rest: list[Token]) -> Command:
    """`invite +1 (555) 123-4567 Ana Lopez`: the number may be spread over several words."""
    digits = 0
    while digits < len(rest) and _PHONE_PART.fullmatch(_nfkc(rest[digits].raw)):
        digits += 1
    if digits == 0:
        raise _Problem("invite_phone_missing")
    phone = normalize_phone(" ".join(_nfkc(token.raw) for token in rest[:digits]))
    if phone is None:
        raise _Problem("invite_phone_invalid")
    name = _text(rest[digits:], limit=NAME_MAX)
    if name is None or not any(char.isalpha() for char in name):
        raise _Problem("invite_name_missing")
    return Invite(phone=phone, name=name)


# ---------------------------------------------------------------------------------------------
# Times: `8:00`, `17:30`, `17.30`, `8am`, `8:15pm`, `8 am`, `5.30pm`, `noon`, `midnight`.
# A bare number (`in 8`) is a job code, never a time.


_CLOCK_24H = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_CLOCK_12H = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?([ap])\.?m\.?")
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def _skip_at(tokens: list[Token]) -> list[Token]:
    """`out at 17:30 forgot`, `in @ north-site`: the little word before a time or a place."""
    if tokens and (tokens[0].key == "at" or tokens[0].raw == "@"):
        return tokens[1:]
    return tokens


def _timed(tokens: list[Token], clocking: _Clocking) -> tuple[time, str | None] | None:
    """A time at the start of `tokens` and the reason after it; None when they do not start with a time."""
    words = _skip_at(tokens)
    read = _time_at(words, clocking)
    if read is None:
        return None
    at, used = read
    reason = _text(words[used:])
    if reason is None and clocking.reason_missing is not None:
        raise _Problem(clocking.reason_missing)
    return at, reason


def _time_at(tokens: list[Token], clocking: _Clocking) -> tuple[time, int] | None:
    """The time written at the start of `tokens`, and how many words it took (`8 am` takes two)."""
    if not tokens:
        return None
    first = _nfkc(tokens[0].raw).lower().strip(",;")
    if len(tokens) > 1 and tokens[1].key in ("am", "pm"):
        two_words = _clock_time(first + tokens[1].key, clocking)
        if two_words is not None:
            return two_words, 2
    one_word = _clock_time(first, clocking)
    return None if one_word is None else (one_word, 1)


def _clock_time(word: str, clocking: _Clocking) -> time | None:
    if word in _NAMED_TIMES:
        return _NAMED_TIMES[word]
    if match := _CLOCK_24H.fullmatch(word):
        return _valid_time(int(match[1]), int(match[2]), clocking)
    if match := _CLOCK_12H.fullmatch(word):
        hour = int(match[1])
        if not 1 <= hour <= 12:
            raise _Problem(clocking.time_invalid)
        return _valid_time(hour % 12 + (12 if match[3] == "p" else 0), int(match[2] or 0), clocking)
    return None


def _valid_time(hour: int, minute: int, clocking: _Clocking) -> time:
    if hour > 23 or minute > 59:
        raise _Problem(clocking.time_invalid)
    return time(hour, minute)


# ---------------------------------------------------------------------------------------------
# Days, as people write them before a time: `yesterday`, `mon`, `11/29`, `29 nov`,
# `nov 29`, `2026-11-29`. Only the day is read here: which date it is depends on the worker's
# today, which the service knows (OnDay.resolve).


_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
    # Spanish (`mar`, Tuesday, is March here: write `martes`).
    **dict.fromkeys(("lun", "lunes"), 0),
    **dict.fromkeys(("martes",), 1),
    **dict.fromkeys(("mie", "miercoles"), 2),
    **dict.fromkeys(("jue", "jueves"), 3),
    **dict.fromkeys(("vie", "viernes"), 4),
    **dict.fromkeys(("sab", "sabado"), 5),
    **dict.fromkeys(("dom", "domingo"), 6),
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "ene", "enero"),
            ("feb", "february", "febrero"),
            ("mar", "march", "marzo"),
            ("apr", "april", "abr", "abril"),
            ("may", "mayo"),
            ("jun", "june", "junio"),
            ("jul", "july", "julio"),
            ("aug", "august", "ago", "agosto"),
            ("sep", "sept", "september", "septiembre", "setiembre"),
            ("oct", "october", "octubre"),
            ("nov", "november", "noviembre"),
            ("dec", "december", "dic", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
_RELATIVE_DAYS = {"today": 0, "yesterday": 1, "yday": 1, "ystday": 1, "hoy": 0, "ayer": 1, "anoche": 1}
_SLASHED = re.compile(r"([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{2}|[0-9]{4}))?")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_OF_MONTH = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")


def _day_at(tokens: list[Token]) -> tuple[OnDay, int] | None:
    """The day written at the start of `tokens` and how many words it took (`29 nov` takes two)."""
    if not tokens:
        return None
    words = tokens[1:] if tokens[0].key == "on" and len(tokens) > 1 else tokens
    skipped = len(tokens) - len(words)
    key, raw = words[0].key, _nfkc(words[0].raw).lower().strip(",.;")
    if key in _RELATIVE_DAYS:
        return OnDay(days_ago=_RELATIVE_DAYS[key]), skipped + 1
    if key in _WEEKDAYS:
        return OnDay(weekday=_WEEKDAYS[key]), skipped + 1
    if match := _ISO_DAY.fullmatch(raw):
        return _on(int(match[2]), int(match[3]), int(match[1])), skipped + 1
    if match := _SLASHED.fullmatch(raw):
        first, second = int(match[1]), int(match[2])
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0) if match[3] else None
        month, day = (second, first) if first > 12 >= second else (first, second)  # 11/29; 29/11 can only be d/m
        return _on(month, day, year), skipped + 1
    if len(words) > 1:
        if key in _MONTHS and (match := _DAY_OF_MONTH.fullmatch(words[1].key)):  # nov 29
            return _on(_MONTHS[key], int(match[1])), skipped + 2
        if (match := _DAY_OF_MONTH.fullmatch(key)) and words[1].key in _MONTHS:  # 29 nov
            return _on(_MONTHS[words[1].key], int(match[1])), skipped + 2
    return None


def _on(month: int, day: int, year: int | None = None) -> OnDay:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise _Problem("day_invalid")
    return OnDay(month=month, day=day, year=year)


class _Dated(NamedTuple):
    at: time
    reason: str | None
    on: OnDay | None


def _dated(tokens: list[Token], clocking: _Clocking) -> _Dated | None:
    """`yesterday 17:30 forgot`, `17:30 forgot`: a day (maybe), a time, the reason. The day comes
    first: after the time every word is the reason (`17:30 sunday traffic`)."""
    words = _skip_at(tokens)
    day = _day_at(words)
    timed = _timed(words[day[1] :] if day else words, clocking)
    if timed is None:
        return None
    return _Dated(timed[0], timed[1], day[0] if day else None)


class _Spanned(NamedTuple):
    start: time
    end: time
    reason: str
    on: OnDay | None


_SPAN_WORDS = ("to", "till", "until", "til", "-", "\u2013", "\u2014")


def _spanned(tokens: list[Token], reason_missing: str) -> _Spanned | None:
    """`mon 8:00-16:30 forgot`, `yesterday 8am to 4:30pm forgot`: a day (maybe), two times, the reason."""
    words = _skip_at(tokens)
    day = _day_at(words)
    if day is not None:
        words = words[day[1] :]
    span = _span_at(words)
    if span is None:
        return None
    start, end, used = span
    reason = _text(words[used:])
    if reason is None:
        raise _Problem(reason_missing)
    return _Spanned(start, end, reason, day[0] if day else None)


def _span_at(tokens: list[Token]) -> tuple[time, time, int] | None:
    """Two times at the start of `tokens` (`8:00-16:30`, `8:00 - 16:30`, `8am to 4:30pm`), and the words taken."""
    if not tokens:
        return None
    joined = _nfkc(tokens[0].raw).lower().replace("\u2013", "-").replace("\u2014", "-")
    if joined.count("-") == 1 and not joined.startswith("-") and not joined.endswith("-"):
        first, second = joined.split("-")
        start, end = _clock_time(first, _SPAN), _clock_time(second, _SPAN)
        if start is not None and end is not None:
            return start, end, 1
        return None
    first_time = _time_at(tokens, _SPAN)
    if first_time is None:
        return None
    start, used = first_time
    if used < len(tokens) and _nfkc(tokens[used].raw).lower() in _SPAN_WORDS:
        second_time = _time_at(tokens[used + 1 :], _SPAN)
        if second_time is not None:
            return start, second_time[0], used + 1 + second_time[1]
    return None


_SPAN = _Clocking(reason_missing=None, time_invalid="time_invalid_span")


# ---------------------------------------------------------------------------------------------
# Expenses: `exp 12.50 fuel diesel for van`, `exp fuel 12.50`, `$48.20 parts`, `exp 12,50 EUR meals`.


_MONEY = re.compile(
    r"(?P<code>[a-z]{3})?(?P<sign>[-+\u2212])?(?P<symbol>[^\w\s.,+\-\u2212])?(?P<sign2>[-+\u2212])?"
    r"(?P<number>[0-9.,]+)(?P<symbol2>[^\w\s.,])?(?P<code2>[a-z]{3})?",
    re.IGNORECASE,
)
_AMOUNT_WITHIN = 3  # `exp usd fuel 12.50` is as far as the amount may wander


_CATEGORY_QUESTIONS = frozenset(("help", "categories", "category", "list", "cats", "what", "ayuda", "categorias"))


def _expense(rest: list[Token]) -> Command:
    if not rest or (len(rest) == 1 and rest[0].key in _CATEGORY_QUESTIONS):
        return ExpenseCategories()  # `EXP`, `EXP ?`, `EXP categories`: which categories there are
    at = next((i for i, token in enumerate(rest[:_AMOUNT_WITHIN]) if _has_digit(token.raw)), None)
    if at is None:
        raise _Problem("amount_missing")
    amount, currency = _money(_nfkc(rest[at].raw))
    currency, category = _currency_and_category(rest[:at], currency)
    after = rest[at + 1 :]
    if currency is None and after and (code := currency_code(after[0].raw)):
        currency, after = code, after[1:]
    if category is None and after and after[0].key:
        category, after = _identifier(after[0], "category_too_long"), after[1:]
    typed = _MONEY.fullmatch(_nfkc(rest[at].raw))
    number = typed["number"] if typed else None
    return LogExpense(
        amount=amount,
        category=category or "other",
        currency=currency,
        note=_text(after),
        typed=number if number and ("," in number or "." in number) else None,
    )


def _has_digit(word: str) -> bool:
    return any("0" <= char <= "9" for char in _nfkc(word))


def _currency_and_category(before: list[Token], currency: str | None) -> tuple[str | None, str | None]:
    """The words before the amount: a currency code and/or a category, nothing else."""
    category = None
    for token in before:
        code = currency_code(token.raw)
        if code is not None and currency is None:
            currency = code
        elif category is None and token.key:
            category = _identifier(token, "category_too_long")
        else:
            raise _Problem("amount_not_first")
    return currency, category


def _money(word: str) -> tuple[Decimal, str | None]:
    """`$12.50`, `12,50€`, `EUR12`, `12.50usd` -> (amount, currency or None for the org's default)."""
    match = _MONEY.fullmatch(word)
    amount = parse_amount(match["number"]) if match else None
    if match is None or amount is None:
        raise _Problem("amount_unreadable")
    if (match["sign"] or match["sign2"]) in ("-", "\u2212"):
        amount = -amount
    problem = check_amount(amount)  # the rule the expense service applies too
    if problem is not None:
        raise _Problem(problem)
    return amount, _currency_of(match)


def _currency_of(match: re.Match[str]) -> str | None:
    for symbol in (match["symbol"], match["symbol2"]):
        if symbol is not None and symbol not in CURRENCY_SYMBOLS:
            raise _Problem("amount_unreadable")
    codes = [currency_code(code.upper()) for code in (match["code"], match["code2"]) if code]
    if None in codes:
        raise _Problem("amount_unreadable")
    if codes:
        return codes[0]
    symbol = match["symbol"] or match["symbol2"]
    return CURRENCY_SYMBOLS[symbol] if symbol else None


# ---------------------------------------------------------------------------------------------
# Budgets (managers): `budget fuel 500`, `budget 500 fuel`, `budget fuel $500 USD`, `budget fuel off`,
# `budget off fuel`, `budgets`, `budget list`.


_BUDGET_OFF = frozenset(("off", "clear", "none", "remove", "delete", "unset", "quitar", "borrar"))
_BUDGET_LIST = frozenset(("list", "all", "show", "lista", "todos", "ver"))


def _budget(rest: list[Token]) -> Command:
    if not rest or (len(rest) == 1 and rest[0].key in _BUDGET_LIST):
        return Budgets()
    if len(rest) == 2 and (rest[0].key in _BUDGET_OFF or rest[1].key in _BUDGET_OFF):
        word = rest[1] if rest[0].key in _BUDGET_OFF else rest[0]
        return SetBudget(category=_budget_category(word), amount=None)
    at = next((i for i, token in enumerate(rest) if _has_digit(token.raw)), None)
    if at is None:
        raise _Problem("budget_unreadable")
    try:
        amount, currency = _money(_nfkc(rest[at].raw))
    except _Problem:
        raise _Problem("budget_unreadable") from None
    words = rest[:at] + rest[at + 1 :]
    if currency is None and len(words) == 2 and (code := currency_code(words[1].raw)):
        currency, words = code, words[:1]
    if len(words) != 1:
        raise _Problem("budget_unreadable")
    return SetBudget(category=_budget_category(words[0]), amount=amount, currency=currency)


def _budget_category(token: Token) -> str:
    word = _identifier(token, "budget_unreadable")
    if not word or _has_digit(word):
        raise _Problem("budget_unreadable")
    return word


# ---------------------------------------------------------------------------------------------
# Date ranges: `2026-11-01..2026-11-07`, `2026-11-01 to 2026-11-07`, `from 2026-11-01 2026-11-07`.


_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_DATE_START = re.compile(_DATE)
_SINGLE_DATE = re.compile(rf"(?:from |on )?{_DATE}")
_DATE_RANGE = re.compile(rf"(?:from )?{_DATE}(?: ?(?:\.\.\.?|-|\u2013|\u2014|to|until|till|thru|through) ?| ){_DATE}")


def _date_range(tokens: list[Token]) -> Command:
    text = _nfkc(" ".join(token.raw for token in tokens)).lower()
    if match := _DATE_RANGE.fullmatch(text):
        start, end = _date(*match.groups()[:3]), _date(*match.groups()[3:])
    elif match := _SINGLE_DATE.fullmatch(text):
        start = end = _date(*match.groups())
    else:
        raise _Problem("hours_unreadable")
    if end < start:
        raise _Problem("date_range_reversed")
    return Hours(start=start, end=end)


def _date(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _Problem("date_invalid") from None


_LANGUAGE_NAMES = {
    **dict.fromkeys(("es", "espanol", "spanish", "castellano"), "es"),
    **dict.fromkeys(("en", "english", "ingles"), "en"),
}


def _language(rest: list[Token]) -> Command:
    """`idioma es`, `language english`: the language the worker reads."""
    chosen = _LANGUAGE_NAMES.get("".join(token.key for token in rest))
    if chosen is None:
        raise _Problem("language_unreadable")
    return SetLanguage(chosen)


# ---------------------------------------------------------------------------------------------
# The keyword table: every synonym of every command, in one place.


_ENGLISH_PHRASES: dict[tuple[str, ...], Handler] = {
    **_spellings(_clock_in, "in", "clock in", "clockin", "start", "start work", "check in", "checkin", "im in"),
    **_spellings(_only(ClockIn()), "here", "im here", "arrived"),
    **_spellings(
        _clock_out,
        *("out", "clock out", "clockout", "done", "finished", "leaving", "bye", "stop work"),
        *("check out", "checkout", "im out"),
    ),
    **_spellings(_only(ClockOut()), "off"),
    **_spellings(_break, "break", "start break", "take break", "take a break", "on break", "break start"),
    **_spellings(
        _named_break(BreakKind.MEAL),
        *("lunch", "meal", "dinner", "lunch break", "meal break", "dinner break", "lunch time", "lunchtime"),
    ),
    **_spellings(
        _named_break(BreakKind.REST),
        *("rest", "coffee", "pause", "smoke", "rest break", "coffee break", "smoke break"),
    ),
    **_spellings(_shift, "shift", "forgot shift", "missed shift", "add shift"),
    **_spellings(
        _only(EndBreak()),
        *("back", "resume", "return", "end break", "break over", "break done", "break end", "off break"),
        *("back to work", "back from break", "back from lunch", "im back"),
    ),
    **_spellings(_ignoring_rest(Status()), "status", "state", "stat", "where am i"),
    **_spellings(_expense, "exp", "expense", "expenses", "spent", "spend"),
    **_spellings(_hours, "hours", "hrs", "timesheet", "time sheet", "my hours", "how many hours"),
    **_spellings(_only(Hours(period=Period.TODAY)), "today"),
    **_spellings(_only(Hours(period=Period.YESTERDAY)), "yesterday"),
    **_spellings(_only(Hours(period=Period.WEEK)), "week", "this week"),
    **_spellings(_only(Hours(period=Period.LAST_WEEK)), "last week"),
    **_spellings(_help, "help", "info", "commands", "h", "menu", "punch"),
    **_spellings(_join, "join"),
    **_spellings(_ignoring_rest(Still()), "still", "yes still", "still here", "still working"),
    **_spellings(partial(_decide, True), "approve", "approved", "yes approve"),
    **_spellings(partial(_decide, False), "reject", "rejected", "deny", "denied", "decline"),
    **_spellings(_pending, "pending", "waiting", "approvals", "to approve", "queue"),
    **_spellings(_lock, "lock", "lock period", "close period"),
    **_spellings(_ignoring_rest(ExpenseCategories()), "categories", "category"),
    **_spellings(_invite, "invite"),
    **_spellings(_ignoring_rest(Team()), "team", "who", "whos", "board"),
    **_spellings(_budget, "budget", "budgets"),
    **_spellings(_language, "language", "lang"),
    **_spellings(_only(SetLanguage("en")), "english", "in english"),
}
# The same commands in Spanish, read in any language setting (accents folded: `volví` is `volvi`).
_SPANISH_PHRASES: dict[tuple[str, ...], Handler] = {
    **_spellings(_clock_in, "entrada", "entrar", "entro", "llegue", "ya llegue", "marcar entrada", "inicio"),
    **_spellings(_only(ClockIn()), "aqui", "estoy aqui", "ya estoy"),
    **_spellings(_clock_out, "salida", "salir", "salgo", "me voy", "termine", "marcar salida", "ya me voy"),
    **_spellings(_break, "descanso", "pausa", "tomar descanso", "en descanso"),
    **_spellings(_named_break(BreakKind.MEAL), "comida", "almuerzo", "almorzar", "cena", "hora de comida"),
    **_spellings(_named_break(BreakKind.REST), "cafe", "receso"),
    **_spellings(_shift, "turno", "turno olvidado", "agregar turno"),
    **_spellings(
        _only(EndBreak()),
        *("regreso", "regrese", "volvi", "ya volvi", "de vuelta", "ya regrese", "fin descanso"),
        *("termino descanso", "fin de descanso", "vuelvo"),
    ),
    **_spellings(_ignoring_rest(Status()), "estado", "como voy", "donde estoy"),
    **_spellings(_expense, "gasto", "gastos", "gaste"),
    **_spellings(_hours, "horas", "mis horas", "cuantas horas", "hoja de horas"),
    **_spellings(_only(Hours(period=Period.TODAY)), "hoy"),
    **_spellings(_only(Hours(period=Period.YESTERDAY)), "ayer"),
    **_spellings(_only(Hours(period=Period.WEEK)), "semana", "esta semana"),
    **_spellings(_only(Hours(period=Period.LAST_WEEK)), "semana pasada", "la semana pasada"),
    **_spellings(_help, "ayuda", "comandos", "auxilio"),
    **_spellings(_ignoring_rest(Still()), "sigo", "sigo aqui", "sigo trabajando", "todavia", "aun trabajo"),
    **_spellings(partial(_decide, True), "aprobar", "aprobado", "apruebo", "aprueba"),
    **_spellings(partial(_decide, False), "rechazar", "rechazado", "rechazo", "rechaza", "negar"),
    **_spellings(_pending, "pendientes", "pendiente", "por aprobar"),
    **_spellings(_lock, "cerrar", "cerrar periodo"),
    **_spellings(_ignoring_rest(ExpenseCategories()), "categorias", "categoria"),
    **_spellings(_invite, "invitar"),
    **_spellings(_ignoring_rest(Team()), "equipo", "quien", "quienes"),
    **_spellings(_budget, "presupuesto", "presupuestos"),
    **_spellings(_language, "idioma", "lenguaje"),
    **_spellings(_only(SetLanguage("es")), "espanol", "en espanol", "castellano", "spanish"),
    **_spellings(_only(SetLanguage("en")), "ingles", "en ingles"),
}
_PHRASES = {**_ENGLISH_PHRASES, **_SPANISH_PHRASES}
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASES)
# Words that say a text is Spanish though it is no command (`hola`): its answer comes in Spanish.
_SPANISH_HINTS = frozenset(("hola", "buenas", "buenos", "gracias", "que", "como", "por", "favor", "ayudame"))


def _match_phrase(tokens: list[Token]) -> tuple[Handler, list[Token]] | None:
    found = _phrase_at(tokens)
    return None if found is None else (_PHRASES[found], tokens[len(found) :])


def _phrase_at(tokens: list[Token]) -> tuple[str, ...] | None:
    keys = [_spell(token.key) for token in tokens[:_LONGEST_PHRASE]]
    for length in range(len(keys), 0, -1):
        if tuple(keys[:length]) in _PHRASES:
            return tuple(keys[:length])
    return None


def language_of(text: str) -> str | None:
    """The language a text is written in, as far as its keyword tells: "es" for `entrada`,
    `volví`, `ALTO` or `hola`, "en" for `in` or `stop`, None for words no language owns (`12.50`)."""
    try:
        tokens = [Token(raw, _fold(raw)) for raw in _trim(text).split()]
        if not tokens:
            return None
        if "".join(token.key for token in tokens[:2]) in SPANISH_OPT_OUT and len(tokens) <= 2:
            return "es"
        if len(tokens) > 1 and tokens[0].key == "punch":
            tokens = tokens[1:]
        found = _phrase_at(tokens)
    except Exception:  # like parse: never raises
        return None
    if found is not None:
        return "es" if found in _SPANISH_PHRASES else "en"
    return "es" if tokens[0].key in _SPANISH_HINTS else None


# ---------------------------------------------------------------------------------------------
# Typos. Only keywords are corrected, and only when the slip is small and not itself a word.


_VOCABULARY = frozenset(word for phrase in _PHRASES for word in phrase) | frozenset(_BREAK_KINDS)
# Guessed at only for these: long enough that one slip still leaves them recognisable.
_FUZZY_TARGETS = (
    *("approve", "break", "clock", "clockin", "clockout", "coffee", "commands", "dinner", "expense"),
    *("finished", "hours", "invite", "leaving", "lunch", "reject", "resume", "status", "timesheet"),
    *("today", "yesterday", "pending", "categories"),
    *("entrada", "salida", "descanso", "almuerzo", "regreso", "estado", "ayuda", "espanol", "english"),
    *("pendientes", "aprobar", "rechazar", "presupuesto"),
)
_KNOWN_TYPOS = {
    "otu": "out",
    "oout": "out",
    "ouy": "out",
    "ni": "in",
    "brk": "break",
    "brake": "break",
    "bak": "back",
    "bck": "back",
    "bakc": "back",
    "clok": "clock",
    "hlep": "help",
    "hepl": "help",
    "xp": "exp",
    "epx": "exp",
    "hr": "hours",
    "hsr": "hrs",
}
# Real words one slip away from a keyword: never read as that keyword.
_NOT_TYPOS = frozenset(
    (
        *("blake", "bleak", "bread", "click", "clicking", "cloak", "coffer", "coffin", "furnished"),
        *("horse", "house", "launch", "leading", "leaking", "leaning", "learning", "lurch", "rect"),
        *("rescue", "statue"),
    )
)


def _spell(key: str) -> str:
    """`brake` -> `break`, `clokc` -> `clock`, `finsihed` -> `finished`; other words unchanged."""
    if key in _VOCABULARY:
        return key
    if key in _KNOWN_TYPOS:
        return _KNOWN_TYPOS[key]
    if not 4 <= len(key) <= 20 or not key.isalpha() or key in _NOT_TYPOS:
        return key
    for candidate in difflib.get_close_matches(key, _FUZZY_TARGETS, n=3, cutoff=0.8):
        if candidate[0] == key[0]:  # people rarely miss the first letter; other words often differ there
            return candidate
    return key
