"""The message catalogue: every code has words for every channel and language (a door's or a
notice's own message: for the channels it is said on), every SMS is one GSM-7 segment whatever
fills it, and each channel names its own commands, in messages and in every word of Slack's
blocks, the upload page and the email.

Nothing here lists the catalogue's texts: each test walks the catalogue itself (its codes, the
parts each template reaches, the kind of every parameter) and fills it with the longest values
that kind can take.
"""

from __future__ import annotations

import ast
import itertools
import re
import string
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core import catalogue
from core import commands as c
from core.catalogue import (
    LANGUAGES,
    MESSAGE_CODES,
    PROBLEM_CODES,
    REPLY_CODES,
    Channel,
    compose,
    filler,
    phrase,
    say,
    sms_limit,
    written,
)
from core.catalogue import en as english
from core.catalogue.gsm import SLACK_TEXT_LIMIT, latin_text, plain
from core.catalogue.language import Language, Template
from core.catalogue.outcomes import PROBLEM_LIMIT, TEAM_NAME_LIMIT, TEAM_NAMES_SHOWN
from core.catalogue.template import Filler
from core.commands import Unknown
from core.domain.model import DEFAULT_EXPENSE_CATEGORIES
from core.domain.money import MAX_AMOUNT
from core.grammar import NAME_MAX, NOTE_MAX, WORD_MAX, parse
from core.ports import Outcome
from core.replies import Style, render
from core.timesheet import Flag

ROOT = Path(__file__).resolve().parents[2]
CODES = sorted(REPLY_CODES | PROBLEM_CODES)


def channels_of(template: Template) -> list[Channel]:
    """The channels a template speaks on: its keys, or every channel."""
    return list(Channel) if isinstance(template, str) else [Channel(key) for key in sorted(template)]


# Every code on the channels it reaches: replies and problems on both, a door's message on its own.
SAID = sorted(
    [(code, channel) for code in CODES for channel in Channel]
    + [(code, channel) for code in MESSAGE_CODES for channel in channels_of(english.MESSAGES[code])]
)
SMS_CODES = [code for code, channel in SAID if channel is Channel.SMS]
SLACK_CODES = [code for code, channel in SAID if channel is Channel.SLACK]
ZONES = [ZoneInfo("UTC"), ZoneInfo("Pacific/Chatham"), ZoneInfo("America/St_Johns"), ZoneInfo("Asia/Kolkata")]
NOW = "2026-11-16T12:00:00+00:00"
EARLIER = "2026-11-10T23:59:00+00:00"  # another day than NOW in every zone: times carry their day

# The longest value each kind of parameter can take (core/catalogue/template.py, KINDS).
LONGEST_TEXT = max(NOTE_MAX, NAME_MAX, WORD_MAX) * 2  # more than anyone can type: a template must cut it
WORST: dict[str, list[Any]] = {
    "time": [EARLIER, NOW],
    "when": [EARLIER, NOW],
    "duration": [9999 * 60 + 59],  # 416 days: longer than any shift or report range
    # Workers of an org (up to 300, PRODUCT.md), days of a range (at most 62), corrections waiting.
    # Four digits in all five counts of `team` would take it one character over a segment.
    "count": [999],
    "text": ["W" * LONGEST_TEXT, "José “Pepe” Ñandú 🚧 " * 20],
    "names": [", ".join(["W" * TEAM_NAME_LIMIT] * TEAM_NAMES_SHOWN)],
    "amount": [f"{MAX_AMOUNT:.2f}"],  # the money rule's ceiling, with cents
    "cents": [MAX_AMOUNT],
    "currency": ["USD"],
    "date": ["2026-11-16"],
    "phone": ["+" + "9" * 15],  # E.164: at most 15 digits
    "join_code": ["123456"],
    "age": [999 * 24 * 60, 47 * 60, 59],  # how long an item has waited: 999d, 47h, 59m
    "id": ["U" + "0" * 20],  # Slack ids are 9 to 11 characters today
    "day": [EARLIER, NOW],
    "day_year": [EARLIER, NOW],
    "day_time": [EARLIER, NOW],
    "month": ["2026-09", "2026-11"],
    # Lists of data (categories, a budget's figures): more and longer items than any org has.
    "items": [["W" * WORD_MAX + f" {MAX_AMOUNT:.2f}/{MAX_AMOUNT:.2f} 999%"] * 40, ["fuel"] * 40],
    # A category as the org wrote it (the names a language gives the default ones are checked apart).
    "category": ["W" * LONGEST_TEXT, "José “Pepe” Ñandú 🚧 " * 20],
    "categories": [["W" * WORD_MAX] * 40, [*DEFAULT_EXPENSE_CATEGORIES] * 4],
    "weekday": [EARLIER, NOW],
}
SMS_WORDING = re.compile(
    r"\b(?:IN|OUT|BREAK|LUNCH|BACK|STATUS|EXP|HOURS|HELP|JOIN|APPROVE|REJECT|INVITE|STILL|PENDING|SHIFT|LOCK)\b"
    r"|\b(?:Text|Reply|Send) [A-Z]{2,}"  # "Text HELP", "Reply START"
)
SLASH_COMMAND = re.compile(r"(?<![\w.])/[a-z]")


def worst_values(spec: str) -> list[Any]:
    kind = spec.rstrip("0123456789")
    assert kind in WORST, f"kind {spec!r} has no longest value here: add one"
    return WORST[kind]


def cases(code: str, channel: Channel, language: str, *, every_value: bool = True) -> Iterator[dict[str, Any]]:
    """Every combination of the parameters a message reaches: each optional part on and off,
    each choice, each worst value of each kind (or, not `every_value`, the first of each kind:
    every shape the message can take, for what depends on its words rather than its values)."""
    words = filler(channel, language)
    options: dict[str, list[Any]] = {}
    for name, specs in sorted(words.fields(code).items()):
        values: list[Any] = []
        for spec in sorted(specs):
            if spec.startswith("?"):
                values.append(None)
            elif spec.endswith(".*"):
                values += words.choices(spec[:-1])
            else:
                values += worst_values(spec) if every_value else worst_values(spec)[:1]
        if all(spec.startswith("?") for spec in specs):
            values.append(True)
        options[name] = values
    for combination in itertools.product(*options.values()):
        yield {"now": NOW, **dict(zip(options, combination, strict=True))}


def one_line(text: str) -> str:
    return " ".join(text.split())


# (a) Every code has words for every channel in every language, without borrowing English.


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("channel", list(Channel))
def test_every_code_has_words_for_every_channel_and_language(language: str, channel: Channel) -> None:
    own = Filler(LANGUAGES[language], channel, ZoneInfo("UTC"), {}, fallback=None)
    missing = []
    for code in (code for code, said_on in SAID if said_on is channel):
        try:
            own.parts(code)  # the code and every part it reaches, for this channel
        except LookupError as error:
            missing.append(f"{code}: {error}")
    assert missing == []


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_language_has_the_same_codes_and_parts_as_english(language: str) -> None:
    # Given a language registered beside English, Then it says everything English says, per channel
    translated = LANGUAGES[language]
    for section in ("replies", "problems", "messages", "words"):
        ours, theirs = getattr(english.LANGUAGE, section), getattr(translated, section)
        assert set(theirs) == set(ours), section
        for key, template in ours.items():
            channels = sorted(template) if not isinstance(template, str) else None
            translated_template = theirs[key]
            assert (sorted(translated_template) if not isinstance(translated_template, str) else None) in (
                channels,
                None,
            ), key


def test_every_outcome_a_service_or_door_returns_has_words() -> None:
    made = set()
    for package in ("core", "bot", "notifications"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Outcome" and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        made.add(first.value)
    assert made - REPLY_CODES == set()


def test_every_timesheet_flag_has_words() -> None:
    for language in LANGUAGES:
        for flag in Flag:
            assert catalogue.phrase(f"flag.{flag.value}", language)


# (b) Every SMS, filled with the longest values its parameters can take, is one GSM-7 segment.


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("code", SMS_CODES)
def test_every_sms_is_one_gsm7_segment_at_its_longest(code: str, language: str) -> None:
    limit = min(sms_limit(code), PROBLEM_LIMIT) if code in PROBLEM_CODES else sms_limit(code)
    longest = ""
    for params in cases(code, Channel.SMS, language):
        for zone in ZONES:
            text = one_line(compose(code, Channel.SMS, language, zone, params))
            assert plain(text) == text, f"not GSM-7: {text!r}"
            longest = max(longest, text, key=len)
    assert 0 < len(longest) <= limit, (len(longest), longest)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_names_of_the_default_categories_fit_wherever_a_category_is_said(language: str) -> None:
    # The shortest place a category is said cuts it to 16 characters: a name must fit whole there.
    for category in DEFAULT_EXPENSE_CATEGORIES:
        name = written("category", category, language=language)
        assert name == plain(name) and 0 < len(name) <= 16, (category, name)
    assert written("category", "fuel", language="es") == "gasolina"
    assert written("category", "Snow chains", language="es") == "Snow chains"  # an org's own: as written


def test_help_may_take_two_segments_and_nothing_else_does() -> None:
    assert sms_limit("help") == 2 * 153
    assert {code for code in SMS_CODES if sms_limit(code) != 160} == {"help"}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("code", SLACK_CODES)
def test_every_slack_message_is_plain_latin_within_a_block(code: str, language: str) -> None:
    for params in cases(code, Channel.SLACK, language):
        text = one_line(compose(code, Channel.SLACK, language, ZONES[1], params))
        assert latin_text(text) == text, text  # the letters an SMS would carry: Slack and texts alike
        assert 0 < len(text) <= SLACK_TEXT_LIMIT


# (c) A Slack user never sees SMS wording; an SMS user never sees a slash command.


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(("code", "channel"), SAID)
def test_each_channel_names_its_own_commands(code: str, channel: Channel, language: str) -> None:
    for params in cases(code, channel, language, every_value=False):  # commands are in the words
        said = compose(code, channel, language, ZONES[0], params)
        if channel is Channel.SLACK:
            assert not SMS_WORDING.search(said), f"SMS wording in Slack: {said!r}"
        else:
            assert not SLASH_COMMAND.search(said), f"slash command in an SMS: {said!r}"


def _literal(template: str) -> str:
    """A template's own words, its fields left out (a field's value is not our wording)."""
    return " ".join(text for text, _, _, _ in string.Formatter().parse(template))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_word_of_blocks_pages_and_emails_names_only_its_channels_commands(language: str) -> None:
    # Given every template and part, Slack's (and every channel's) words name no SMS keyword,
    # and SMS's (and every channel's: the upload page an SMS links to, the email) no slash command
    wrong = []
    for section in LANGUAGES[language].sections():
        for key, template in section.items():
            # The upload page is reached only from a text: it is read as SMS words ("Send PDF" is no keyword)
            shared = [Channel.SMS] if key.startswith("page.") else list(Channel)
            variants = {channel: template for channel in shared} if isinstance(template, str) else template
            for channel, words in variants.items():
                if channel == Channel.SLACK and SMS_WORDING.search(_literal(words)):
                    wrong.append(f"{key} (slack): {words!r}")
                if channel == Channel.SMS and SLASH_COMMAND.search(_literal(words)):
                    wrong.append(f"{key} (sms): {words!r}")
    assert wrong == []


def test_the_three_reported_slack_answers_name_slash_commands() -> None:
    # An unknown Slack command, `/expense -5 fuel`, and `/punch approve` with several waiting
    unknown = parse("make me a sandwich")
    negative = parse("exp -5 fuel")
    assert isinstance(unknown, Unknown) and isinstance(negative, Unknown)
    zone = ZoneInfo("UTC")
    assert render(Outcome("unknown", {"problem": unknown.problem}), Style.SLACK, zone) == (
        "Try /clockin, /clockout, /break, /back, /status, /expense 12.50 fuel, /timesheet or /punch help."
    )
    assert render(Outcome("unknown", {"problem": negative.problem}), Style.SLACK, zone) == (
        "Amount must be more than 0, e.g. /expense 12.50 fuel"
    )
    several = {"total": 2, "number": 1, "next": 2, "name": "Ana Lopez", "what": "clock_in", "age": 5}
    several |= {"was": "2026-11-16T12:58:00+00:00", "at": "2026-11-16T12:30:00+00:00", "day": "2026-11-16"}
    assert render(Outcome("which_item", several), Style.SLACK, zone) == (
        "2 wait. #1 Ana Lopez: in 12:58->12:30 Mon 16 Nov (5m ago). /punch approve 1 or "
        "/punch reject 1 why. Next: /punch pending 2"
    )
    # and SMS keeps its keywords
    assert render(Outcome("unknown", {"problem": unknown.problem}), Style.SMS, zone) == (
        "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."
    )
    assert render(Outcome("which_item", several), Style.SMS, zone) == (
        "2 wait. #1 Ana Lopez: in 12:58->12:30 Mon 16 Nov (5m ago). APPROVE 1 or REJECT 1 why. Next: PENDING 2"
    )


# (d) The grammar returns codes of the catalogue, never words.

BAD_TEXTS = {
    "no_command": ["", "hello there", "😀", "x" * 1600, "lunch was great"],
    "reason_missing_in": ["in 8:00", "in north-site 8am"],
    "time_invalid_in": ["in 13pm late", "in 8:75 late"],
    "time_invalid_out": ["out 25:00 forgot"],
    "job_too_long": ["in " + "x" * (WORD_MAX + 1)],
    "category_too_long": ["exp 12.50 " + "x" * (WORD_MAX + 1), "exp " + "x" * (WORD_MAX + 1) + " 12.50"],
    "expense_keyword_missing": ["12.50 fuel"],
    "amount_missing": ["exp fuel", "exp for fuel"],
    "amount_unreadable": ["exp 1,2,3 fuel", "exp 5¢ gum", "exp 12XYZ fuel"],
    "amount_not_first": ["exp for fuel 12.50"],
    "amount_not_positive": ["exp 0 fuel", "exp -5 fuel", "/expense $-5 fuel"],
    "amount_too_precise": ["exp 12.505 fuel"],
    "date_invalid": ["hours 2026-02-30"],
    "date_range_reversed": ["hours 2026-11-07..2026-11-01"],
    "hours_unreadable": ["hours please"],
    "join_code_missing": ["join", "join 12345", "123456"],
    "decision_unreadable": ["reject soon please", "approve all of them", "approve cef4"],
    "reject_all": ["reject all", "reject all 3"],
    "pending_unreadable": ["pending please", "pending 2 3"],
    "lock_unreadable": ["lock next week"],
    "day_invalid": ["out 13/45 17:30 forgot", "in 2026-02-40 8:00 late"],
    "time_invalid_span": ["shift mon 8:00-25:00 forgot", "break 12:75-13:00 forgot"],
    "reason_missing_break": ["break 12:00-12:30", "lunch mon 12:00 - 12:30"],
    "reason_missing_shift": ["shift mon 8:00-16:30", "shift yesterday 8am to 4:30pm", "shift 8:00 - 16:30"],
    "shift_unreadable": ["shift", "shift monday", "shift 8:00 forgot"],
    "invite_phone_missing": ["invite", "invite Ana"],
    "invite_phone_invalid": ["invite 555 1234 Ana"],
    "invite_name_missing": ["invite +1 555 123 4567"],
    "language_unreadable": ["language klingon", "idioma", "/punch idioma fr"],
    "budget_unreadable": ["budget fuel", "budget 500", "budget fuel 0", "budget fuel parts 500", "budget 1,2,3 fuel"],
}


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in BAD_TEXTS.items() for text in texts])
def test_the_grammar_answers_a_bad_text_with_a_catalogue_code(code: str, text: str) -> None:
    assert parse(text) == Unknown(text=text, problem=code)
    assert code in PROBLEM_CODES
    for style in Style:
        assert render(Outcome("unknown", {"problem": code}), style, ZONES[0]) == say(code, style)


DOOR_PROBLEMS = {"command_words"}  # bot/slack/commands.py: a slash command given another command's words


def test_every_problem_code_is_one_the_grammar_or_a_door_gives() -> None:
    assert set(BAD_TEXTS) | DOOR_PROBLEMS == PROBLEM_CODES


def test_a_slash_command_given_another_commands_words_gets_a_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.slack import commands

    # Given the grammar reads /clockin's words as another command
    monkeypatch.setattr(commands, "parse", lambda text: c.Status())
    # Then the door answers with a problem code, which Slack words with its own commands
    assert commands.read("/clockin", "status") == Unknown("status", "command_words")
    assert render(Outcome("unknown", {"problem": "command_words"}), Style.SLACK, ZONES[0]) == (
        "Try /punch help for what that command takes."
    )


def test_words_in_place_of_a_problem_code_are_never_shown() -> None:
    # Given a door that puts English where a problem code belongs, Then the catalogue's own words answer
    words = "Try /punch help for what /clockin takes."
    assert render(Outcome("unknown", {"problem": words}), Style.SLACK, ZONES[0]) == say("unknown", Style.SLACK)


# A second language is data: its templates and formats, registered by name.


def test_a_new_language_is_data(monkeypatch: pytest.MonkeyPatch) -> None:
    formats = english.FORMATS._replace(weekdays=("lun", "mar", "mie", "jue", "vie", "sab", "dom"))
    replies = {**english.REPLIES, "not_in": "No has fichado. {:do word.in}"}
    words = {**english.WORDS, "word.in": {"sms": "ENTRADA", "slack": "/clockin"}, "do": {"sms": "Envia {actions:raw}."}}
    del replies["busy"]  # a template the language lacks is English's
    messages = {**english.MESSAGES, "media_too_many": {"sms": "Envia como maximo 5 fotos. No se guardo nada."}}
    spanish = Language("es", replies, english.PROBLEMS, messages, words, formats)
    monkeypatch.setitem(LANGUAGES, "es", spanish)

    assert say("not_in", Channel.SMS, "es") == "No has fichado. Envia ENTRADA."
    assert say("busy", Channel.SMS, "es") == say("busy", Channel.SMS)
    assert render(Outcome("not_in"), Style.SLACK, ZONES[0], language="es") == "No has fichado. /clockin"
    assert render(Outcome("status", {"status": "off", "last_end": EARLIER, "now": NOW}), Style.SMS, ZONES[0], "es") == (
        "Clocked out. Last out mar 10 Nov 23:59. Envia ENTRADA, HOURS."
    )
    assert say("not_in", Channel.SMS, "xx") == "You are not clocked in. Text IN."  # unknown language: English
    assert say("media_too_many", Channel.SMS, "es") == "Envia como maximo 5 fotos. No se guardo nada."
    assert written("day", date(2026, 11, 17), language="es") == "mar 17 Nov"


def test_say_fills_and_finishes_any_message() -> None:
    assert say("range_too_long", Channel.SMS, days=62) == "Pick a range of at most 62 days."
    assert say("clock_in_amended", Channel.SMS, zone=ZoneInfo("America/New_York"), at=NOW) == (
        "Clock-in changed to 07:00."
    )
    assert say("invited", Channel.SMS, name="José " * 40, phone="+15551234567", code="123456") == (
        "Invited José José José José José Jo... (+15551234567). Code 123456 sent, valid 48h."
    )
    assert catalogue.duration(94) == "1h 34m" and catalogue.duration(None) == "0m"


def test_report_words_come_from_the_catalogue() -> None:
    assert catalogue.phrase("report.total", total=Decimal("12.5"), currency="USD") == "12.50 USD"


# Doors and notices: their messages and words come from the catalogue, as the tests above check.


def test_a_door_message_is_said_on_its_channel_only() -> None:
    assert say("account_off", Channel.SLACK) == (
        "Your Punchclock account is switched off. Ask a manager if that is a mistake."
    )
    with pytest.raises(LookupError):
        say("account_off", Channel.SMS)  # a Slack-only message has no SMS words
    assert say("join_by_command", Channel.SLACK) == "Welcome to Punchclock! Run /clockin or /punch help to get started."
    assert say("receipt_kept", Channel.SMS) == "Receipt kept for your next EXP."


def test_notices_by_text_fill_their_values_as_each_kind_is_written() -> None:
    zone = ZoneInfo("America/New_York")
    assert say(
        "approval_request",
        Channel.SMS,
        zone=zone,
        number=3,
        name="José " * 10,
        what="clock_in",
        was="2026-11-16T13:05:00+00:00",
        at="2026-11-16T12:30:00+00:00",
        day="2026-11-16T12:30:00+00:00",
        reason="bus late",
    ) == ("#3 José José Jos...: in 08:05->07:30 Mon 16 Nov, bus late. Reply APPROVE 3 or REJECT 3 why.")
    assert say("invite", Channel.SMS, org="Acme Field Services", code="123456") == (
        "Acme Field Services invites you to Punchclock. Reply JOIN 123456 to start."
    )


def test_dates_with_names_are_written_by_the_language() -> None:
    zone = ZoneInfo("America/New_York")
    assert written("day_year", date(2026, 11, 16)) == "Mon 16 Nov 2026"
    assert written("day", "2026-11-16T03:00:00+00:00", zone) == "Sun 15 Nov"  # the date where it is read
    assert written("day_time", "2026-11-16T12:30:00+00:00", zone) == "Mon 16 Nov 07:30"
    assert written("when", "2026-11-16T12:30:00+00:00", zone, now=NOW) == "07:30"
    assert written("when", None, zone) == "?"


def test_the_words_of_blocks_are_read_unfinished_on_their_channel() -> None:
    # Slack's words keep their line breaks and markup; words every channel shares need no channel
    assert phrase("slack.home.today", channel=Channel.SLACK, worked=90) == "*Today*\n1h 30m worked"
    assert phrase("report.nobody_in") == "Nobody clocked in."
    with pytest.raises(LookupError):
        phrase("slack.home.today")  # Slack's words are not every channel's


def test_a_third_language_is_data_end_to_end(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a language registered from data alone (Spanish's templates, one reply and the day names changed)
    from core.catalogue import es

    portuguese = es.LANGUAGE._replace(
        code="pt",
        replies={**es.REPLIES, "not_in": "Voce nao marcou entrada. {:do word.in}"},
        formats=es.FORMATS._replace(weekdays=("seg", "ter", "qua", "qui", "sex", "sab", "dom")),
    )
    monkeypatch.setitem(LANGUAGES, "pt", portuguese)
    # Then a reply and a date in it need no code
    assert render(Outcome("not_in"), Style.SMS, ZONES[0], "pt") == "Voce nao marcou entrada. Envia ENTRADA."
    assert written("day", date(2026, 11, 17), language="pt") == "ter 17 nov"
    # And Spanish, registered the same way, is checked by every test above
    assert set(LANGUAGES) >= {"en", "es"}
