"""Hostile input: whatever reaches a door, no exception escapes its handler, the answer is valid
TwiML or JSON (or a plain refusal), and input that asks for no change writes nothing.

Every door is fuzzed with hypothesis: Slack command text, SMS bodies and the webhook's other
fields, raw Lambda events of every door (malformed headers, bodies, encodings, missing fields,
huge values), the expense modal's fields, report inputs and the upload page's URL. A few examples
each by default, derandomised so every run sees the same; `pytest --long` runs 10,000 per door.
Then the cases that must be refused: forged, replayed, stale and future signatures, and bodies
larger than any the providers send.
"""

from __future__ import annotations

import base64
import json
import string
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.slack import commands as slack_commands
from bot.slack import handler as slack_lambda
from bot.sms import sns_handler, twilio_handler, upload_page
from core import commands as c
from core.grammar import parse
from tests.conftest import after_request
from tests.integration.slack.driver import LambdaContext as SlackContext
from tests.integration.slack.driver import api_event, sign
from tests.integration.sms.fakes import AUTH_TOKEN
from tests.integration.sms.helpers import WEBHOOK_URL, LambdaContext, twilio_event, twilio_form
from tests.reliability.conftest import GLOBEX_TEAM, Rig, twiml_text

DEFAULT_EXAMPLES = 25
LONG_EXAMPLES = 10_000

# Text people (and probes) send: any character, mrkdwn and TwiML look-alikes, controls, the odd huge one.
TRICKS = [
    "<!channel> <!here> <https://evil.example|Approve here>",
    "</Message></Response><Response><Message>pwned",
    "\x00\x01\x1b[31m\u202e\ufeff",
    "in " + "\u0301" * 500,
    "exp 1e308 fuel",
    "exp NaN fuel",
    "hours 0001-01-01..9999-12-31",
    "out 25:61 forgot",
    "APPROVE ' OR 1=1 --",
    "x" * 20_000,
]
hostile_text = st.one_of(st.text(max_size=200), st.sampled_from(TRICKS), st.text(string.printable, max_size=60))


def fuzz(long: bool, **strategies: st.SearchStrategy[Any]) -> Callable[[Callable[..., None]], None]:
    """Run the decorated check for many drawn examples, now (a few, or 10,000 with --long)."""

    def run(check: Callable[..., None]) -> None:
        configured = settings(
            max_examples=LONG_EXAMPLES if long else DEFAULT_EXAMPLES,
            deadline=None,
            derandomize=not long,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        configured(given(**strategies)(check))()

    return run


def unchanged(rig: Rig, kept: Any) -> bool:
    """Nothing written since `kept` (moto replaces an item object on every write)."""
    return bool(rig.keep() == kept)


def slack_json(response: dict[str, Any], *, signed: bool = False) -> Any:
    """A Slack answer is JSON (or empty) when it is a 200; a refusal is a 4xx; never a 5xx for
    anything anyone can send. Only Slack can sign, and it never sends a signed payload of the
    wrong shape (`"view": null`, no actions): Bolt answers those 500 itself, caught and logged."""
    status = int(response["statusCode"])
    assert status in (200, 400, 401, 404, 413) or (signed and status == 500), response
    if status == 200 and response.get("body"):
        return json.loads(response["body"])
    return {}


# -- the doors, fuzzed ----------------------------------------------------------------------------


def test_slack_commands_with_any_text(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    @fuzz(
        long, command=st.sampled_from(slack_commands.ALL), text=hostile_text, user=st.sampled_from(["U0ANA", "U0MIA"])
    )
    def check(command: str, text: str, user: str) -> None:
        kept = rig.keep()
        answer = rig.slack.command(command, text, user=user, lazy=False)
        assert answer.status == 200 and isinstance(answer.body, dict), answer
        asks_change = command not in slack_commands.READING and slack_commands.changes_something(
            slack_commands.read(command, text)
        )
        assert asks_change or unchanged(rig, kept), (command, text)


def test_texts_with_any_body_and_any_other_field(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    phones = [str(ana.phone), str(manager.phone), "+15550000999", "12345", "Acme", ""]

    @fuzz(
        long,
        body=hostile_text,
        phone=st.sampled_from(phones),
        num_media=st.sampled_from(["0", "", "abc", "-1", "6", "99999999999", "1"]),
        extra=st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=3),
    )
    def check(body: str, phone: str, num_media: str, extra: dict[str, str]) -> None:
        kept = rig.keep()
        form = extra | twilio_form(phone, body, f"SM{uuid.uuid4().hex}") | {"NumMedia": num_media}
        reply = twiml_text(rig.twilio(form, pump=False))
        assert len(reply) <= 2 * 153, reply
        ours = phone in (ana.phone, manager.phone) and num_media in ("0", "", "abc", "-1")
        if ours and isinstance(parse(body), c.Unknown):
            assert unchanged(rig, kept), (phone, body)


def test_raw_twilio_events_of_any_shape(rig, ana, long):  # type: ignore[no-untyped-def]
    bodies = st.one_of(
        st.none(),
        st.text(max_size=300),
        st.binary(max_size=200).map(lambda raw: base64.b64encode(raw).decode()),
        st.just("%%%not-a-form&&=="),
        st.just(base64.b64encode(b"Body=caf\xe9&From=%2B15550000001").decode()),
    )
    headers = st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from(["x-twilio-signature", "X-Twilio-Signature", "content-type", "host"]), st.text(max_size=50)
        ),
    )

    @fuzz(long, body=bodies, b64=st.booleans(), headers=headers, query=st.text(max_size=30), context=st.booleans())
    def check(body: str | None, b64: bool, headers: dict[str, str] | None, query: str, context: bool) -> None:
        kept = rig.keep()
        event: dict[str, Any] = {"body": body, "isBase64Encoded": b64, "headers": headers, "rawQueryString": query}
        if context:
            event["requestContext"] = {"apiId": "abcdefghij", "stage": "$default"}
        response = twilio_handler.handler(event, LambdaContext())
        assert response["statusCode"] in (200, 403, 413), response
        if response["statusCode"] == 200:
            twiml_text(response)
        assert unchanged(rig, kept)  # nothing here is signed by Twilio


def test_raw_slack_events_of_any_shape_signed_or_not(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    payloads = st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["block_actions", "view_submission", "shortcut", "event_callback", "", "x"]),
            "user": st.one_of(
                st.none(), st.text(max_size=5), st.fixed_dictionaries({"id": st.sampled_from(["U0ANA", "U0X"])})
            ),
            "team": st.one_of(st.none(), st.fixed_dictionaries({"id": st.sampled_from(["T0ACME", "T0NONE"])})),
            "actions": st.lists(
                st.dictionaries(st.sampled_from(["action_id", "value", "action_ts", "block_id"]), st.text(max_size=20)),
                max_size=2,
            ),
            "view": st.one_of(
                st.none(), st.dictionaries(st.sampled_from(["id", "callback_id", "state"]), st.text(max_size=10))
            ),
            "container": st.dictionaries(
                st.sampled_from(["view_id", "message_ts", "channel_id"]), st.text(max_size=10)
            ),
        },
    )
    bodies = st.one_of(
        st.text(max_size=300),
        payloads.map(lambda p: urlencode({"payload": json.dumps(p)})),
        st.just(urlencode({"payload": "{not json"})),
        st.dictionaries(
            st.sampled_from(["command", "text", "user_id", "team_id", "trigger_id"]), st.text(max_size=30)
        ).map(urlencode),
        payloads.map(json.dumps),
    )
    kinds = st.sampled_from(["application/x-www-form-urlencoded", "application/json", "text/plain", ""])
    stamps = st.one_of(st.none(), st.text(max_size=12), st.integers(-(10**12), 10**12).map(str))

    @fuzz(long, body=bodies, kind=kinds, signed=st.booleans(), stamp=stamps, b64=st.booleans())
    def check(body: str, kind: str, signed: bool, stamp: str | None, b64: bool) -> None:
        kept = rig.keep()
        headers = {"content-type": kind}
        if signed:
            headers |= sign(body, rig.slack.now)
        if stamp is not None:
            headers["x-slack-request-timestamp"] = stamp
        response = slack_lambda.handler(api_event(body, headers, b64=b64), SlackContext())
        slack_json(response, signed=signed and stamp is None)
        rig.slack.lambda_client.drain()
        assert unchanged(rig, kept), body  # no command, click or submission of anyone's


def test_sns_events_of_any_shape(rig, ana, long):  # type: ignore[no-untyped-def]
    messages = st.one_of(
        st.text(max_size=200),
        st.dictionaries(
            st.sampled_from(["originationNumber", "destinationNumber", "messageBody", "inboundMessageId", "x"]),
            st.one_of(st.text(max_size=40), st.integers(), st.none()),
        ).map(json.dumps),
    )
    records = st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "EventSource": st.just("aws:sns"),
                "Sns": st.fixed_dictionaries(
                    {},
                    optional={
                        "Message": messages,
                        "MessageId": st.text(max_size=10),
                        "Timestamp": st.text(max_size=30),
                    },
                ),
            },
        ),
        max_size=2,
    )
    events = st.one_of(
        st.fixed_dictionaries({"Records": records}), st.dictionaries(st.text(max_size=8), st.text(max_size=8))
    )

    @fuzz(long, event=events)
    def check(event: dict[str, Any]) -> None:
        kept = rig.keep()
        result = sns_handler.handler(event, LambdaContext())
        assert result == {"handled": 0}, result  # nothing here is a whole two-way SMS
        assert unchanged(rig, kept)


def test_the_expense_modal_with_any_fields(rig, ana, long):  # type: ignore[no-untyped-def]
    values = st.one_of(st.none(), hostile_text)

    @fuzz(long, amount=values, currency=values, category=values, day=values, note=values)
    def check(
        amount: str | None, currency: str | None, category: str | None, day: str | None, note: str | None
    ) -> None:
        kept = rig.keep()
        form = {
            "amount": {"type": "plain_text_input", "value": amount},
            "currency": {"type": "plain_text_input", "value": currency},
            "category": {"type": "static_select", "selected_option": {"value": category} if category else None},
            "date": {"type": "datepicker", "selected_date": day},
            "note": {"type": "plain_text_input", "value": note},
        }
        answer = rig.slack.submit(form, view_id=f"V{uuid.uuid4().hex[:10]}", lazy=False)
        assert answer.status == 200 and isinstance(answer.body, dict), answer
        if answer.body.get("response_action") == "errors":
            assert set(answer.body["errors"]) <= {"amount", "currency", "category", "date", "note"}
            assert unchanged(rig, kept), form


def test_report_inputs_of_any_kind(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    blocks = st.one_of(
        st.text(max_size=30), st.sampled_from(["report_actions:acme", "report_actions:globex", "report_actions:"])
    )

    @fuzz(long, text=hostile_text, value=hostile_text, block=blocks, by_sms=st.booleans())
    def check(text: str, value: str, block: str, by_sms: bool) -> None:
        kept, sent = rig.keep(), rig.outbound()
        if by_sms:
            twiml_text(
                rig.twilio(twilio_form(str(manager.phone), f"hours {text}", f"SM{uuid.uuid4().hex}"), pump=False)
            )
        else:
            answer = rig.slack.command("/report", text, user="U0MIA", lazy=False)
            assert answer.status == 200 and isinstance(answer.body, dict)
        assert unchanged(rig, kept)
        where = {"ts": "1790000000.000300", "channel": "D0MIA"}
        click = rig.slack.click(
            "report.email", value, user="U0MIA", block_id=block, message=where, ephemeral=True, lazy=True
        )
        assert click.status == 200
        after_request()
        assert rig.outbound().email == sent.email  # no value above is a day of Acme's report button


def test_the_upload_page_with_any_token_and_query(rig, long):  # type: ignore[no-untyped-def]
    @fuzz(
        long,
        token=st.text(max_size=40),
        query=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
        method=st.sampled_from(["GET", "HEAD", "POST", "DELETE", ""]),
    )
    def check(token: str, query: dict[str, str], method: str) -> None:
        kept = rig.keep()
        event = {
            "rawPath": f"/receipts/upload/{token}",
            "pathParameters": {"token": token},
            "queryStringParameters": query or None,
            "requestContext": {"http": {"method": method}},
        }
        page = upload_page.handler(event, LambdaContext())
        assert page["statusCode"] in (200, 404, 405, 410) and page["body"].startswith("<!doctype html>")
        assert unchanged(rig, kept)


ACME_WORDS = ("approve 1", "reject 1 no", "pending", "team", "hours", "status", "invite +15550000001")
ACME_TARGETS = ("+15550000001", "+15550000002", "w-ana", "w-ben", "U0ANA", "acme", "T0ACME")


def test_globex_never_hears_or_touches_acme_whatever_it_sends(two_orgs, long):  # type: ignore[no-untyped-def]
    """Given both orgs, when Globex's worker and manager send anything (Acme's phones, ids and
    manager words among it) by Slack and by text, then nothing of Acme's changes and no word of
    Acme's they did not type themselves (a name, a phone, the org's name) reaches them."""
    rig = two_orgs
    # (not "Ana Lopez": the catalogue's own example of a name to invite)
    acme_said = ("Mia Boss", "Ben Carter", "5550000001", "5550000002", "5550000009", "acme")
    aimed = st.builds(
        lambda word, target: f"{word} {target}".strip(),
        st.sampled_from((*ACME_WORDS, "")),
        st.sampled_from((*ACME_TARGETS, "")),
    )
    commands = st.sampled_from(["/punch", "/team", "/report", "/status", "/timesheet", "/clockin", "/expense"])

    def acme_items() -> dict[Any, Any]:
        return {key: item for key, item in rig.items().items() if any(t in json.dumps(item) for t in ACME_TARGETS)}

    acme_before = acme_items()
    typed: list[str] = []  # what Globex typed so far, in any example: it may hear that back (its own invites)

    @fuzz(
        long,
        text=st.one_of(aimed, hostile_text),
        who=st.sampled_from(["zed", "yara"]),
        command=commands,
        by_sms=st.booleans(),
    )
    def check(text: str, who: str, command: str, by_sms: bool) -> None:
        typed.append(text.lower())
        calls = len(rig.slack_api.calls)
        if by_sms:
            heard = rig.text("+15550000077" if who == "zed" else "+15550000078", text)
        else:
            user = "U0ZED" if who == "zed" else "U0YARA"
            heard = rig.slack.command(command, text, user=user, team=GLOBEX_TEAM).text
        heard += json.dumps([call.args for call in rig.slack_api.calls[calls:]])
        leaked = [w for w in acme_said if w.lower() in heard.lower() and not any(w.lower() in t for t in typed)]
        assert not leaked, (text, heard)

    after = rig.items()
    assert {key: after.get(key) for key in acme_before} == acme_before  # Globex's invites are its own


# -- refused: forged, replayed, stale, oversized ------------------------------------------------


@pytest.mark.parametrize(
    ("case", "secret", "age"),
    [("forged", "not-the-secret", 0), ("stale", None, 301), ("future", None, -301), ("replayed late", None, 600)],
)
def test_slack_refuses_what_slack_did_not_sign_just_now(rig, ana, case, secret, age):  # type: ignore[no-untyped-def]
    kept, sent = rig.keep(), rig.outbound()
    answer = rig.slack.command("/clockin", "site", timestamp=rig.slack.now - age, secret=secret)
    assert answer.status == 401, case
    assert unchanged(rig, kept) and rig.outbound() == sent


def test_a_replayed_slack_request_within_its_window_changes_nothing_more(rig, ana):  # type: ignore[no-untyped-def]
    body = rig.slack.command_body("/expense", "12.50 fuel")
    first = rig.slack.post(body, "application/x-www-form-urlencoded")
    kept = rig.keep()
    replayed = rig.slack.post(body, "application/x-www-form-urlencoded")
    assert replayed.text == first.text and unchanged(rig, kept)


@pytest.mark.parametrize("case", ["forged", "other url", "tampered", "no signature", "replayed"])
def test_twilio_refuses_what_twilio_did_not_sign(rig, ana, case):  # type: ignore[no-untyped-def]
    form = twilio_form(str(ana.phone), "exp 12.50 fuel", "SMreplayed")
    if case == "replayed":  # a genuine request captured and sent again: the same message, one effect
        twiml_text(twilio_handler.handler(twilio_event(form), LambdaContext()))
    kept = rig.keep()
    event = twilio_event(form)
    if case == "forged":
        event = twilio_event(form, signature=RequestValidator("guessed").compute_signature(WEBHOOK_URL, form))
    elif case == "other url":
        event = twilio_event(form, signed_url="https://evil.example/sms/twilio")
    elif case == "tampered":
        event["body"] = base64.b64encode(urlencode(form | {"Body": "exp 999 fuel"}).encode()).decode()
    elif case == "no signature":
        del event["headers"]["x-twilio-signature"]
    response = twilio_handler.handler(event, LambdaContext())
    assert response["statusCode"] == (200 if case == "replayed" else 403), case
    assert unchanged(rig, kept)
    assert AUTH_TOKEN not in json.dumps(response)


def test_bodies_larger_than_any_provider_sends_are_refused_unread(rig, ana):  # type: ignore[no-untyped-def]
    kept = rig.keep()
    huge = "x" * (2 * 1024 * 1024)
    slack_body = rig.slack.command_body("/clockin", huge)
    slack = slack_lambda.handler(
        api_event(slack_body, {"content-type": "application/x-www-form-urlencoded", **sign(slack_body, rig.slack.now)}),
        SlackContext(),
    )
    form = twilio_form(str(ana.phone), "in " + "x" * (200 * 1024), "SMhuge")
    twilio = twilio_handler.handler(twilio_event(form), LambdaContext())

    assert (slack["statusCode"], twilio["statusCode"]) == (413, 413)
    assert unchanged(rig, kept)
