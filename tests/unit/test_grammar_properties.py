"""Properties of the grammar that must hold for any message, not just the examples."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core import grammar
from core.catalogue import PROBLEM_CODES
from core.commands import (
    ClockIn,
    ClockOut,
    Decide,
    Hours,
    Invite,
    Join,
    LogExpense,
    OnDay,
    OptOut,
    Unknown,
)
from core.domain.money import ISO_4217_CODES, MAX_AMOUNT, currency_code
from core.grammar import _fold, parse  # _fold: the grammar's own folding of a word
from core.ports import Outcome
from core.replies import Style, render

fast = settings(max_examples=200, deadline=None)

NAMED_TIMES = {"noon", "midday", "midnight"}

# Words as people type them in notes, smart quotes and emoji included. Not a time, nor a word that
# belongs to one (`at 8:00`, `8 am`, `A'M`: as the grammar folds it), which would make the note a
# correction.
note_word = st.from_regex(r"[A-Za-zé“😀][A-Za-z0-9é“”😀'&#]{0,9}", fullmatch=True).filter(
    lambda word: _fold(word) not in NAMED_TIMES | {"at", "am", "pm"}
)
note = st.lists(note_word, min_size=1, max_size=6).map(" ".join)
job = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True).filter(lambda word: word not in NAMED_TIMES | {"at"})
clock_time = st.times().map(lambda t: time(t.hour, t.minute))


def render_time(at: time, style: int) -> str:
    """The ways people write a time: 8:05, 08:05, 8:05pm, 8:05 PM, 8pm."""
    hour12 = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    styles = [
        f"{at.hour}:{at.minute:02d}",
        f"{at.hour:02d}:{at.minute:02d}",
        f"{hour12}:{at.minute:02d}{suffix}",
        f"{hour12}:{at.minute:02d} {suffix.upper()}",
        f"{hour12}{suffix}" if at.minute == 0 else f"{hour12}.{at.minute:02d}{suffix}",
    ]
    return styles[style % len(styles)]


# Messages built from the grammar's own words and data-like pieces reach deep into every handler.
pieces = st.one_of(
    st.sampled_from(sorted(grammar._VOCABULARY)),
    st.sampled_from(["8:00", "8am", "25:00", "12.50", "$5", "€1,234.50", "-3", "2026-11-01", "..", "+1", "@"]),
    st.text(max_size=8),
)
wordy_messages = st.lists(pieces, max_size=8).map(" ".join)
any_message = st.one_of(st.text(), st.text(min_size=2000, max_size=10_000), wordy_messages)


@fast
@given(any_message)
def test_never_raises_and_every_problem_is_short_ascii(text: str) -> None:
    # the grammar itself (under parse's safety net) only ever raises its own "here is what is wrong"
    with contextlib.suppress(grammar._Problem):
        grammar._read(text)
    command = parse(text)
    if isinstance(command, Unknown):
        assert command.text == text
        assert command.problem in PROBLEM_CODES
        for style in Style:
            words = render(Outcome("unknown", {"problem": command.problem}), style, UTC)
            assert words.isascii()
            assert 0 < len(words) <= 120


@fast
@given(any_message)
def test_free_text_is_capped(text: str) -> None:
    command = parse(text)
    for field in ("note", "reason"):
        value = getattr(command, field, None)
        assert value is None or 0 < len(value) <= 200


@fast
@given(job=st.none() | job, note=st.none() | note, keyword=st.sampled_from(["in", "IN", "clock in", "/punch in"]))
def test_clock_in_round_trips(job: str | None, note: str | None, keyword: str) -> None:
    expected = ClockIn(job=job, note=note if job else None)
    text = " ".join(part for part in (keyword, expected.job, expected.note) if part)
    assert parse(text) == expected


@fast
@given(job=st.none() | job, at=clock_time, reason=note, style=st.integers(0, 4))
def test_clock_in_correction_round_trips(job: str | None, at: time, reason: str, style: int) -> None:
    expected = ClockIn(job=job, at=at, reason=reason)
    text = " ".join(part for part in ("in", job, render_time(at, style), reason) if part)
    assert parse(text) == expected


@fast
@given(note=st.none() | note, keyword=st.sampled_from(["out", "OUT", "clock out", "done", "leaving"]))
def test_clock_out_round_trips(note: str | None, keyword: str) -> None:
    assert parse(f"{keyword} {note or ''}") == ClockOut(note=note)


@fast
@given(at=clock_time, reason=note, style=st.integers(0, 4))
def test_clock_out_correction_round_trips(at: time, reason: str, style: int) -> None:
    assert parse(f"out {render_time(at, style)} {reason}") == ClockOut(at=at, reason=reason)


@fast
@given(time_=clock_time, style=st.integers(0, 4))
def test_a_clock_out_time_may_come_alone(time_: time, style: int) -> None:
    """`OUT 17:30` answers "still clocked in?"; whether a reason is needed is the planner's call."""
    assert parse(f"OUT {render_time(time_, style)}") == ClockOut(at=time_, reason=None)
    assert render(Outcome("reason_missing_out"), Style.SMS, UTC).startswith("Add a reason")


@fast
@given(time_=clock_time, style=st.integers(0, 4))
def test_a_clock_in_correction_without_reason_is_refused(time_: time, style: int) -> None:
    command = parse(f"IN {render_time(time_, style)}")
    assert isinstance(command, Unknown)
    assert command.problem == "reason_missing_in"


amounts = st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2)
category = st.from_regex(r"[a-z][a-z-]{1,15}", fullmatch=True).filter(lambda word: currency_code(word) is None)
code = st.sampled_from(sorted(ISO_4217_CODES))


def render_amount(amount: Decimal, style: int) -> str:
    """12.50, 1,234.50 or 12,50: each a way people write the same amount."""
    if style == 1:
        return f"{amount:,.2f}"
    if style == 2 and amount < 1000:
        return f"{amount:.2f}".replace(".", ",")
    return str(amount)


@fast
@given(amount=amounts, currency=st.none() | code, category=category, note=st.none() | note, style=st.integers(0, 2))
def test_expense_round_trips(
    amount: Decimal, currency: str | None, category: str, note: str | None, style: int
) -> None:
    expected = LogExpense(amount=amount, category=category, currency=currency, note=note)
    text = " ".join(part for part in ("exp", render_amount(amount, style), currency, category, note) if part)
    assert parse(text) == expected


@fast
@given(amount=amounts, symbol=st.sampled_from(["$", "€", "£"]), category=category)
def test_expense_with_a_symbol_round_trips(amount: Decimal, symbol: str, category: str) -> None:
    currency = {"$": None, "€": "EUR", "£": "GBP"}[symbol]
    expected = LogExpense(amount=amount, category=category, currency=currency)
    assert parse(f"{symbol}{amount} {category}") == expected
    assert parse(f"exp {category} {symbol}{amount}") == expected


@fast
@given(amount=st.decimals(allow_nan=False, allow_infinity=False, places=3, max_value=Decimal("2000000")))
def test_expense_amounts_are_validated(amount: Decimal) -> None:
    command = parse(f"exp {amount} fuel")
    # How large is the org's limit to say (the service's, quoted in its reply), never the grammar's
    valid = Decimal("0") < amount and amount == amount.quantize(Decimal("0.01"))
    assert isinstance(command, LogExpense) == valid


@fast
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    days=st.integers(0, 400),
    separator=st.sampled_from(["..", " to ", " ", "-", " - ", "..."]),
    prefix=st.sampled_from(["hours ", "HOURS ", "timesheet ", ""]),
)
def test_hours_range_round_trips(start: date, days: int, separator: str, prefix: str) -> None:
    end = start + timedelta(days=days)
    assert parse(f"{prefix}{start.isoformat()}{separator}{end.isoformat()}") == Hours(start=start, end=end)
    if days:
        assert isinstance(parse(f"{prefix}{end.isoformat()}{separator}{start.isoformat()}"), Unknown)


@fast
@given(st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_join_round_trips(code_: str) -> None:
    assert parse(f"JOIN {code_}") == Join(code=code_)


@fast
@given(approve=st.booleans(), number=st.none() | st.integers(0, 9999), note=st.none() | note)
def test_decide_round_trips(approve: bool, number: int | None, note: str | None) -> None:
    text = " ".join(part for part in ("approve" if approve else "reject", number and str(number)) if part)
    expected = Decide(approve=approve, number=number or None)
    if number and note:
        text, expected = f"{text} {note}", Decide(approve=approve, number=number, note=note)
    assert parse(text) == expected


@fast
@given(
    number=st.from_regex(r"[2-9][0-9]{9}", fullmatch=True),
    style=st.integers(0, 3),
    name=st.lists(st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True), min_size=1, max_size=3).map(" ".join),
)
def test_invite_round_trips(number: str, style: int, name: str) -> None:
    area, exchange, line = number[:3], number[3:6], number[6:]
    written = [
        f"+1{number}",
        f"+1 {area} {exchange} {line}",
        f"({area}) {exchange}-{line}",
        f"1.{area}.{exchange}.{line}",
    ]
    assert parse(f"invite {written[style]} {name}") == Invite(phone=f"+1{number}", name=name)


KEYWORD_FORMS = [
    "in",
    "clock in",
    "in north-site",
    "in 8:00 bus late",
    "out",
    "out 5pm forgot",
    "break",
    "break lunch",
    "lunch",
    "back",
    "status",
    "exp 12.50 fuel",
    "hours last week",
    "help",
    "join 123456",
    "stop",
    "still here",
    "approve 2",
    "invite +15551234567 Ana",
    "team",
    "where am i",
]


@fast
@given(st.sampled_from(KEYWORD_FORMS), st.lists(st.booleans(), min_size=40, max_size=40))
def test_case_does_not_change_the_command(text: str, upper: list[bool]) -> None:
    mixed = "".join(char.upper() if up else char.lower() for char, up in zip(text, upper, strict=False))
    kind = type(parse(text))
    assert kind is not Unknown
    assert type(parse(text.upper())) is kind
    assert type(parse(text.lower())) is kind
    assert type(parse(mixed)) is kind


@fast
@given(
    st.sampled_from(KEYWORD_FORMS),
    st.sampled_from(["", " ", "  ", "\t", "\u00a0"]),
    st.sampled_from(["", "!", ".", "!!", "?", " .", "\u3000"]),
)
def test_spacing_and_punctuation_around_do_not_matter(text: str, before: str, after: str) -> None:
    assert parse(before + text.replace(" ", "  ") + after) == parse(text)


# Spanish: the same commands, with the same forgiveness of case, accents and punctuation.

SPANISH_SAME_AS = {
    "entrada": "in",
    "salida": "out",
    "descanso": "break",
    "comida": "lunch",
    "almuerzo": "lunch",
    "regreso": "back",
    "volvi": "back",
    "estado": "status",
    "horas": "hours",
    "horas semana": "hours week",
    "horas semana pasada": "hours last week",
    "ayuda": "help",
    "gasto": "exp",
    "aprobar 2": "approve 2",
    "rechazar 3": "reject 3",
    "pendientes": "pending",
}
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "n": "ñ"}


@st.composite
def as_typed(draw: st.DrawFn, words: str) -> str:
    """Words as a phone types them: any case, an accent here and there, punctuation around."""
    typed = "".join(
        draw(st.sampled_from([char, char.upper(), ACCENTED.get(char, char), ACCENTED.get(char, char).upper()]))
        for char in words
    )
    return draw(st.sampled_from(["", "¡", "¿", "/"])) + typed + draw(st.sampled_from(["", "!", ".", "?", "!!"]))


@fast
@given(data=st.data(), spanish=st.sampled_from(sorted(SPANISH_SAME_AS)))
def test_spanish_keywords_in_any_case_and_accent_mean_the_english_command(data: st.DataObject, spanish: str) -> None:
    typed = data.draw(as_typed(spanish))
    assert parse(typed) == parse(SPANISH_SAME_AS[spanish]), typed
    assert grammar.language_of(typed) == "es"


@fast
@given(at=clock_time, reason=note, style=st.integers(0, 4))
def test_spanish_corrections_round_trip(at: time, reason: str, style: int) -> None:
    assert parse(f"SALIDA {render_time(at, style)} {reason}") == ClockOut(at=at, reason=reason)
    assert parse(f"entrada ayer {render_time(at, style)} {reason}") == ClockIn(
        at=at, reason=reason, on=OnDay(days_ago=1)
    )


@fast
@given(amount=amounts, category=category, note=st.none() | note)
def test_spanish_expense_round_trips(amount: Decimal, category: str, note: str | None) -> None:
    text = " ".join(part for part in ("GASTO", str(amount), category, note) if part)
    assert parse(text) == LogExpense(amount=amount, category=category, note=note)


@fast
@given(data=st.data(), word=st.sampled_from(["alto", "parar", "cancelar", "baja"]))
def test_spanish_opt_out_words_are_stop(data: st.DataObject, word: str) -> None:
    assert parse(data.draw(as_typed(word))) == OptOut(keyword=word.upper())
