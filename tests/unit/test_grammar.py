"""The shared text grammar, by example: what a worker or manager types -> the command core receives."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.commands import (
    AddBreak,
    AddShift,
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
    StartBreak,
    Status,
    Still,
    Team,
    Unknown,
)
from core.domain.model import BreakKind
from core.domain.money import currency_code, parse_amount
from core.domain.phone import normalize_phone
from core.grammar import parse
from core.ports import Outcome
from core.replies import Style, render

MEAL = StartBreak(kind=BreakKind.MEAL)
REST = StartBreak(kind=BreakKind.REST)


def expense(amount: str, category: str, currency: str | None = None, note: str | None = None) -> LogExpense:
    return LogExpense(amount=Decimal(amount), category=category, currency=currency, note=note)


CLOCK_IN = [
    ("in", ClockIn()),
    ("clock in", ClockIn()),
    ("clockin", ClockIn()),
    ("clock-in", ClockIn()),
    ("Clock In", ClockIn()),
    ("start work", ClockIn()),
    ("arrived", ClockIn()),
    ("here", ClockIn()),
    ("punch in", ClockIn()),
    ("/punch in", ClockIn()),
    ("/clockin", ClockIn()),
    ("IN!", ClockIn()),
    ("  in  ", ClockIn()),
    ("in north-site", ClockIn(job="north-site")),
    ("IN North-Site", ClockIn(job="north-site")),
    ("in north-site gate code 42", ClockIn(job="north-site", note="gate code 42")),
    ("in at north-site", ClockIn(job="north-site")),
    ("in 8", ClockIn(job="8")),
    ("start north-site", ClockIn(job="north-site")),
    ("in north-site “side door” 🚪", ClockIn(job="north-site", note="“side door” 🚪")),
    ("in 8:00 bus late", ClockIn(at=time(8, 0), reason="bus late")),
    ("in 08:00 bus late", ClockIn(at=time(8, 0), reason="bus late")),
    ("in 8am bus late", ClockIn(at=time(8, 0), reason="bus late")),
    ("in 8 am bus late", ClockIn(at=time(8, 0), reason="bus late")),
    ("in 8 a.m. bus late", ClockIn(at=time(8, 0), reason="bus late")),
    ("in 8:15pm forgot", ClockIn(at=time(20, 15), reason="forgot")),
    ("in 5.30pm forgot", ClockIn(at=time(17, 30), reason="forgot")),
    ("in 12am forgot", ClockIn(at=time(0, 0), reason="forgot")),
    ("in 12pm forgot", ClockIn(at=time(12, 0), reason="forgot")),
    ("in noon forgot", ClockIn(at=time(12, 0), reason="forgot")),
    ("in midnight forgot", ClockIn(at=time(0, 0), reason="forgot")),
    ("in at 7:45 - phone died", ClockIn(at=time(7, 45), reason="phone died")),
    ("in north-site 7:45 forgot", ClockIn(job="north-site", at=time(7, 45), reason="forgot")),
]

CLOCK_OUT = [
    ("out", ClockOut()),
    ("OUT.", ClockOut()),
    ("clock out", ClockOut()),
    ("clockout", ClockOut()),
    ("done", ClockOut()),
    ("finished", ClockOut()),
    ("leaving", ClockOut()),
    ("off", ClockOut()),
    ("bye", ClockOut()),
    ("punch out", ClockOut()),
    ("stop work", ClockOut()),
    ("out going home", ClockOut(note="going home")),
    ("done for today", ClockOut(note="for today")),
    ("out 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot")),
    ("OUT 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot")),
    ("out at 5pm forgot", ClockOut(at=time(17, 0), reason="forgot")),
    ("out 17.30 forgot", ClockOut(at=time(17, 30), reason="forgot")),
    ("out at home", ClockOut(note="at home")),
]

BREAKS = [
    ("break", StartBreak()),
    ("/break", StartBreak()),
    ("break meal", MEAL),
    ("break lunch", MEAL),
    ("break rest", REST),
    ("break coffee", REST),
    ("break 15 min", StartBreak()),
    ("lunch", MEAL),
    ("LUNCH", MEAL),
    ("meal", MEAL),
    ("dinner", MEAL),
    ("lunch break", MEAL),
    ("rest", REST),
    ("coffee", REST),
    ("pause", REST),
    ("smoke", REST),
    ("start break", StartBreak()),
    ("back", EndBreak()),
    ("Back!!", EndBreak()),
    ("resume", EndBreak()),
    ("return", EndBreak()),
    ("end break", EndBreak()),
    ("break over", EndBreak()),
    ("back to work", EndBreak()),
]

QUESTIONS = [
    ("status", Status()),
    ("?", Status()),
    ("status?", Status()),
    ("state", Status()),
    ("where am i", Status()),
    ("Where am I?", Status()),
    ("punch status", Status()),
    ("team", Team()),
    ("who", Team()),
    ("board", Team()),
    ("help", Help()),
    ("info", Help()),
    ("commands", Help()),
    ("h", Help()),
    ("menu", Help()),
    ("/punch", Help()),
    ("help expenses", Help(topic="expenses")),
    ("hours", Hours()),
    ("hrs", Hours()),
    ("timesheet", Hours()),
    ("week", Hours(period=Period.WEEK)),
    ("hours today", Hours(period=Period.TODAY)),
    ("today", Hours(period=Period.TODAY)),
    ("hours yesterday", Hours(period=Period.YESTERDAY)),
    ("hours last week", Hours(period=Period.LAST_WEEK)),
    ("last week", Hours(period=Period.LAST_WEEK)),
    ("hours 2026-11-01..2026-11-07", Hours(start=date(2026, 11, 1), end=date(2026, 11, 7))),
    ("2026-11-01 2026-11-07", Hours(start=date(2026, 11, 1), end=date(2026, 11, 7))),
    ("2026-11-01 to 2026-11-07", Hours(start=date(2026, 11, 1), end=date(2026, 11, 7))),
    ("hours 2026-11-01", Hours(start=date(2026, 11, 1), end=date(2026, 11, 1))),
]

EXPENSES = [
    ("exp 12.50 fuel", expense("12.50", "fuel")),
    ("EXP 12.50 FUEL", expense("12.50", "fuel")),
    ("exp 12.50 fuel diesel for van", expense("12.50", "fuel", note="diesel for van")),
    ("expense 12.50 EUR meals", expense("12.50", "meals", "EUR")),
    ("$12.50 fuel", expense("12.50", "fuel")),
    ("exp $48.20 parts hinge for unit 4", expense("48.20", "parts", note="hinge for unit 4")),
    ("/expense 48.20 parts hinge for unit 4", expense("48.20", "parts", note="hinge for unit 4")),
    ("exp fuel 12.50", expense("12.50", "fuel")),
    ("exp fuel 12.50 diesel", expense("12.50", "fuel", note="diesel")),
    ("spent 20 parking", expense("20", "parking")),
    ("exp 12,50 meals", expense("12.50", "meals")),
    ("exp 1,234.50 lodging", expense("1234.50", "lodging")),
    ("exp 1.234,50 lodging", expense("1234.50", "lodging")),
    ("€12 meals", expense("12", "meals", "EUR")),
    ("£5 parking", expense("5", "parking", "GBP")),
    ("exp 12€ meals", expense("12", "meals", "EUR")),
    ("exp 12.50 usd fuel", expense("12.50", "fuel", "USD")),
    ("exp usd 12.50 fuel", expense("12.50", "fuel", "USD")),
    ("exp 12.50usd fuel", expense("12.50", "fuel", "USD")),
    ("exp 12.50", expense("12.50", "other")),
    ("exp 3 pen", expense("3", "pen")),  # a lower-case code that is also a word is a category
    ("exp 3 PEN supplies", expense("3", "supplies", "PEN")),
    ("exp 12.50 xyz fuel", expense("12.50", "xyz", note="fuel")),
]

ACCOUNT = [
    ("join 123456", Join(code="123456")),
    ("JOIN 123 456", Join(code="123456")),
    ("STOP", OptOut(keyword="STOP")),
    ("stop", OptOut(keyword="STOP")),
    ("Stop.", OptOut(keyword="STOP")),
    ("STOPALL", OptOut(keyword="STOPALL")),
    ("stop all", OptOut(keyword="STOPALL")),
    ("UNSUBSCRIBE", OptOut(keyword="UNSUBSCRIBE")),
    ("cancel", OptOut(keyword="CANCEL")),
    ("END", OptOut(keyword="END")),
    ("quit", OptOut(keyword="QUIT")),
    ("OPTOUT", OptOut(keyword="OPTOUT")),
    ("opt out", OptOut(keyword="OPTOUT")),
    ("START", OptIn(keyword="START")),  # a carrier keyword first; `start work` clocks in
    ("unstop", OptIn(keyword="UNSTOP")),
    ("still", Still()),
    ("still here", Still()),
    ("still working", Still()),
    ("yes still", Still()),
    ("approve", Decide(approve=True)),
    ("approved", Decide(approve=True)),
    ("approve 2", Decide(approve=True, number=2)),
    ("approve #2", Decide(approve=True, number=2)),
    ("reject", Decide(approve=False)),
    ("reject 3", Decide(approve=False, number=3)),
    ("REJECT 2 too late", Decide(approve=False, number=2, note="too late")),
    ("approve 4 ok thanks", Decide(approve=True, number=4, note="ok thanks")),
    ("APPROVE ALL", Decide(approve=True, every=True)),
    ("approve all 3", Decide(approve=True, every=True, count=3)),
    ("deny", Decide(approve=False)),
    ("PENDING", Pending()),
    ("pending 4", Pending(number=4)),
    ("pendng", Pending()),
    ("LOCK", LockPeriod()),
    ("lock 11/15", LockPeriod(on=OnDay(month=11, day=15))),
    ("lock period 2026-11-15", LockPeriod(on=OnDay(month=11, day=15, year=2026))),
    ("EXP ?", ExpenseCategories()),
    ("exp", ExpenseCategories()),
    ("exp categories", ExpenseCategories()),
    ("categories", ExpenseCategories()),
    # Corrections of any recent day, with the day as people write it
    ("OUT yesterday 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(days_ago=1))),
    ("out mon 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(weekday=0))),
    ("out 11/29 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(month=11, day=29))),
    ("out 29/11 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(month=11, day=29))),
    ("out 29 nov 5:30pm forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(month=11, day=29))),
    ("out nov 29th 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(month=11, day=29))),
    ("out 17:30 yesterday forgot", ClockOut(at=time(17, 30), reason="yesterday forgot")),  # after the time: why
    ("out on tuesday at 17:30 forgot", ClockOut(at=time(17, 30), reason="forgot", on=OnDay(weekday=1))),
    ("IN 13:20 forgot", ClockIn(at=time(13, 20), reason="forgot")),
    ("in yesterday 8:00 bus late", ClockIn(at=time(8), reason="bus late", on=OnDay(days_ago=1))),
    ("in north-site mon 8:00 late", ClockIn(job="north-site", at=time(8), reason="late", on=OnDay(weekday=0))),
    ("in mon", ClockIn(job="mon")),  # no time: a job that happens to look like a day
    (
        "SHIFT mon 8:00-16:30 forgot",
        AddShift(start=time(8), end=time(16, 30), reason="forgot", on=OnDay(weekday=0)),
    ),
    ("shift 22:00 - 6:00 night, forgot", AddShift(start=time(22), end=time(6), reason="night, forgot")),
    (
        "shift yesterday 8am to 4:30pm forgot",
        AddShift(start=time(8), end=time(16, 30), reason="forgot", on=OnDay(days_ago=1)),
    ),
    ("break mon 12:00-12:30 forgot", AddBreak(start=time(12), end=time(12, 30), reason="forgot", on=OnDay(weekday=0))),
    (
        "break lunch 12:00-12:45 forgot",
        AddBreak(start=time(12), end=time(12, 45), reason="forgot", kind=BreakKind.MEAL),
    ),
    (
        "lunch yesterday 12:00-12:30 forgot",
        AddBreak(start=time(12), end=time(12, 30), reason="forgot", kind=BreakKind.MEAL, on=OnDay(days_ago=1)),
    ),
    ("break rest 15 min", StartBreak(kind=BreakKind.REST)),
    ("invite +1 555 123 4567 Ana Lopez", Invite(phone="+15551234567", name="Ana Lopez")),
    ("invite (555) 123-4567 Ana", Invite(phone="+15551234567", name="Ana")),
    ("invite +44 20 7946 0958 Ben O'Neil", Invite(phone="+442079460958", name="Ben O'Neil")),
]

TYPOS = [
    ("clokc in", ClockIn()),
    ("clcok in north-site", ClockIn(job="north-site")),
    ("otu", ClockOut()),
    ("brake", StartBreak()),
    ("brake lunhc", MEAL),
    ("stauts", Status()),
    ("finsihed", ClockOut()),
    ("timesheat", Hours()),
    ("expnese 12.50 fuel", expense("12.50", "fuel")),
    ("hlep", Help()),
]


@pytest.mark.parametrize(("text", "expected"), CLOCK_IN + CLOCK_OUT + BREAKS + QUESTIONS + EXPENSES + ACCOUNT + TYPOS)
def test_reads_what_people_type(text: str, expected: Command) -> None:
    # Given a message from any door, When it is parsed, Then core gets this command
    assert parse(text) == expected


HINT = "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."

# What a text gets wrong: the problem code the grammar returns, and the words an SMS user reads.
REJECTIONS = [
    ("", "no_command", HINT),
    ("   ", "no_command", HINT),
    ("hello there", "no_command", HINT),
    ("😀", "no_command", HINT),
    ("in 8:00", "reason_missing_in", "Add a reason, e.g. IN 8:00 bus late"),
    ("in north-site 8:00", "reason_missing_in", "Add a reason, e.g. IN 8:00 bus late"),
    ("out 25:00 forgot", "time_invalid_out", "That time looks wrong, e.g. OUT 17:30 forgot"),
    ("in 13pm late", "time_invalid_in", "That time looks wrong, e.g. IN 8:00 bus late"),
    ("in 8:75 late", "time_invalid_in", "That time looks wrong, e.g. IN 8:00 bus late"),
    ("12.50 fuel", "expense_keyword_missing", "Start with EXP to log an expense, e.g. EXP 12.50 fuel"),
    ("exp fuel", "amount_missing", "Which amount? e.g. EXP 12.50 fuel"),
    ("exp 0 fuel", "amount_not_positive", "Amount must be more than 0, e.g. EXP 12.50 fuel"),
    ("exp -5 fuel", "amount_not_positive", "Amount must be more than 0, e.g. EXP 12.50 fuel"),
    ("exp $-5 fuel", "amount_not_positive", "Amount must be more than 0, e.g. EXP 12.50 fuel"),
    ("exp 12.505 fuel", "amount_too_precise", "Use at most 2 decimals, e.g. EXP 12.50 fuel"),
    ("exp 1,2,3 fuel", "amount_unreadable", "That amount does not look right, e.g. EXP 12.50 fuel"),
    ("exp 12.50abc fuel", "amount_unreadable", "That amount does not look right, e.g. EXP 12.50 fuel"),
    ("exp 5¢ gum", "amount_unreadable", "That amount does not look right, e.g. EXP 12.50 fuel"),
    ("exp for fuel 12.50", "amount_not_first", "Put the amount first, e.g. EXP 12.50 fuel"),
    ("hours 2026-02-30", "date_invalid", "That date does not exist, e.g. HOURS 2026-11-01..2026-11-07"),
    (
        "hours 2026-11-07..2026-11-01",
        "date_range_reversed",
        "The end date is before the start date, e.g. HOURS 2026-11-01..2026-11-07",
    ),
    ("hours please", "hours_unreadable", "Try HOURS, HOURS TODAY, HOURS LAST WEEK or HOURS 2026-11-01..2026-11-07."),
    ("join", "join_code_missing", "Send JOIN and your 6-digit code, e.g. JOIN 123456"),
    ("join 12345", "join_code_missing", "Send JOIN and your 6-digit code, e.g. JOIN 123456"),
    ("join abcdef", "join_code_missing", "Send JOIN and your 6-digit code, e.g. JOIN 123456"),
    ("123456", "join_code_missing", "Send JOIN and your 6-digit code, e.g. JOIN 123456"),
    (
        "reject soon please",
        "decision_unreadable",
        "Reply APPROVE or REJECT with its number, e.g. REJECT 2 too late, or APPROVE ALL",
    ),
    ("reject all", "reject_all", "Reject each by its number, with why, e.g. REJECT 2 too late"),
    ("shift mon 8:00-16:30", "reason_missing_shift", "Add a reason, e.g. SHIFT mon 8:00-16:30 forgot"),
    ("shift", "shift_unreadable", "Give the day and times, e.g. SHIFT mon 8:00-16:30 forgot"),
    ("break 12:00-12:30", "reason_missing_break", "Add a reason, e.g. BREAK mon 12:00-12:30 forgot"),
    ("out 13/45 17:30 forgot", "day_invalid", "That date looks wrong, e.g. OUT 11/29 17:30 forgot"),
    ("shift 8:00-25:00 forgot", "time_invalid_span", "Those times look wrong, e.g. SHIFT mon 8:00-16:30 forgot"),
    ("invite", "invite_phone_missing", "Send INVITE, a phone number and a name, e.g. INVITE +15551234567 Ana Lopez"),
    (
        "invite Ana",
        "invite_phone_missing",
        "Send INVITE, a phone number and a name, e.g. INVITE +15551234567 Ana Lopez",
    ),
    ("invite +1 555 123 4567", "invite_name_missing", "Add a name, e.g. INVITE +15551234567 Ana Lopez"),
    (
        "invite 555 1234 Ana",
        "invite_phone_invalid",
        "That phone number looks wrong, e.g. INVITE +15551234567 Ana Lopez",
    ),
    ("in " + "x" * 41, "job_too_long", "That job is too long, e.g. IN north-site"),
]


@pytest.mark.parametrize(("text", "problem", "words"), REJECTIONS)
def test_says_what_is_wrong(text: str, problem: str, words: str) -> None:
    assert parse(text) == Unknown(text=text, problem=problem)
    assert render(Outcome("unknown", {"problem": problem}), Style.SMS, ZoneInfo("UTC")) == words


NOT_COMMANDS = [
    # Ordinary sentences that start with a keyword-like word must not act.
    "here is my receipt",
    "back in 5",
    "lunch was great",
    "rest of the day",
    "off sick tomorrow",
    "stop it",
    "start",  # not a clock-in: carriers reserve START
    "bread",
    "smart",
    "leading the crew",
    "launch",
    "ok 2",
    "yes",
]


@pytest.mark.parametrize("text", NOT_COMMANDS)
def test_does_not_turn_ordinary_words_into_actions(text: str) -> None:
    assert isinstance(parse(text), Unknown | OptIn)


def test_notes_are_trimmed_and_capped() -> None:
    command = parse("in north-site   " + "long " * 100)
    assert isinstance(command, ClockIn)
    assert command.note is not None
    assert len(command.note) <= 200
    assert command.note == command.note.strip()


def test_unknown_keeps_the_original_text() -> None:
    text = "  what?? 🤔 "
    assert parse(text) == Unknown(text=text, problem="no_command")


def test_amounts_are_decimals() -> None:
    command = parse("exp 0.10 fuel")
    assert isinstance(command, LogExpense)
    assert command.amount == Decimal("0.10")
    assert isinstance(command.amount, Decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1 555 123 4567", "+15551234567"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("555.123.4567", "+15551234567"),
        ("5551234567", "+15551234567"),
        ("1-555-123-4567", "+15551234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+1 555 123 456", None),  # North American numbers have ten digits after the 1
        ("555 1234", None),
        ("+1234567890123456", None),  # E.164 allows at most 15 digits
        ("+0 555 123 4567", None),
        ("555-CALL-NOW", None),
        ("+1 555 123 4567 ext 2", None),
        ("", None),
        ("+", None),
    ],
)
def test_normalize_phone(text: str, expected: str | None) -> None:
    assert normalize_phone(text) == expected


def test_normalize_phone_national_numbers_elsewhere() -> None:
    assert normalize_phone("020 7946 0958", default_country_code="44") == "+442079460958"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal("12")),
        ("12.50", Decimal("12.50")),
        (".5", Decimal("0.5")),
        ("12,50", Decimal("12.50")),
        ("1,234", Decimal("1234")),
        ("1,234.50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,2,3", None),
        ("12a", None),
        ("", None),
    ],
)
def test_parse_amount(text: str, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("EUR", "EUR"), ("usd", "USD"), ("pen", None), ("PEN", "PEN"), ("xyz", None), ("HRK", None)],
)
def test_currency_code(word: str, expected: str | None) -> None:
    assert currency_code(word) == expected
