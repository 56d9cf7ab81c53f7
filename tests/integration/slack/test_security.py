"""Signatures are checked on every request (forged or stale: 401, nothing touched); no secrets: refuse."""

from __future__ import annotations

import logging

import pytest

from bot.slack import handler as slack_lambda
from tests.integration.slack.driver import SlackDriver


def _nothing_touched(calls, fake_slack, slack: SlackDriver) -> None:  # type: ignore[no-untyped-def]
    assert calls.total == 0, calls.calls
    assert fake_slack.calls == []
    assert slack.lambda_client.invoked == []


def test_a_forged_signature_gets_401_and_touches_nothing(slack, ana, calls, fake_slack):
    calls.reset()

    answer = slack.command("/clockin", secret="not-the-signing-secret")

    assert answer.status == 401
    _nothing_touched(calls, fake_slack, slack)


def test_a_stale_request_gets_401_and_touches_nothing(slack, ana, calls, fake_slack):
    calls.reset()

    answer = slack.command("/clockin", timestamp=slack.now - 6 * 60)

    assert answer.status == 401
    _nothing_touched(calls, fake_slack, slack)


def test_a_body_changed_after_signing_gets_401(slack, ana, calls, fake_slack):
    from tests.integration.slack.driver import api_event, sign

    body = slack.command_body("/expense", "5 parking")
    event = api_event(
        slack.command_body("/expense", "5000 parking"),
        {"content-type": "application/x-www-form-urlencoded", **sign(body, slack.now)},
    )
    calls.reset()

    answer = slack.send(event)

    assert answer.status == 401
    _nothing_touched(calls, fake_slack, slack)


def test_forged_interactions_and_events_get_401(slack, ana, calls, fake_slack):
    calls.reset()

    click = slack.click("home.clock_in", secret="forged")
    event = slack.home_opened(secret="forged")

    assert (click.status, event.status) == (401, 401)
    _nothing_touched(calls, fake_slack, slack)


@pytest.mark.parametrize("missing", ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"])
def test_without_secrets_every_request_is_refused(slack, ana, calls, fake_slack, monkeypatch, caplog, missing):
    monkeypatch.delenv(missing)
    calls.reset()

    answer = slack.command("/clockin")

    assert answer.status == 500
    assert answer.body == "Punchclock's Slack door is not configured."
    _nothing_touched(calls, fake_slack, slack)


def test_no_slack_call_at_cold_start_and_never_auth_test(slack, ana, fake_slack):
    slack.command("/status")  # the first request builds the app

    assert fake_slack.calls == []  # /status answers in the ack: no Web API call at all
    slack.command("/clockin")
    assert fake_slack.made("auth.test") == []


def test_logs_carry_ids_never_what_people_typed(slack, ana, caplog):
    caplog.set_level(logging.INFO)  # LOG_LEVEL in infra/template.yaml; DEBUG is for a developer's shell
    slack.command("/clockin", "north-site")
    slack.command("/clockout", "17:30 my secret reason")
    slack.command("/expense", "12.50 fuel for the red van")
    slack.command("/clockin", "forged text", secret="forged")

    logs = "\n".join(str(record.__dict__) for record in caplog.records)
    assert "'worker_id': 'w-ana'" in logs
    assert str(slack_lambda.logger.get_correlation_id()).startswith("req-")  # API Gateway's request id
    assert "secret reason" not in logs
    assert "red van" not in logs
    assert "forged text" not in logs
    assert "Ana Lopez" not in logs


def test_the_events_url_answers_slacks_verification_challenge(slack, calls):
    import json

    calls.reset()
    answer = slack.post(
        json.dumps(
            {
                "token": "x",
                "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                "type": "url_verification",
            }
        ),
        "application/json",
    )

    assert answer.status == 200
    assert answer.body == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert calls.total == 0


@pytest.mark.parametrize("timestamp", ["abc", "", "1.5", "1e9", " 17", "\u0661\u0662"])
def test_a_malformed_timestamp_header_is_refused_without_an_error(slack, ana, calls, fake_slack, caplog, timestamp):
    from tests.integration.slack.driver import api_event, sign

    # Given a request whose timestamp header is no Unix time (a probe, or a broken proxy)
    body = slack.command_body("/clockin")
    headers = {"content-type": "application/x-www-form-urlencoded", **sign(body, slack.now)}
    headers["x-slack-request-timestamp"] = timestamp
    calls.reset()

    # When it reaches the Slack function
    answer = slack.send(api_event(body, headers))

    # Then it is refused as unsigned, nothing is touched, and no ERROR trips the alarms
    assert answer.status == 401
    _nothing_touched(calls, fake_slack, slack)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("raw", [b"\xff\xfe\xfa", b"text=caf\xe9"])
def test_a_base64_body_that_is_not_utf8_is_refused_without_an_error(slack, ana, calls, fake_slack, caplog, raw):
    import base64

    from tests.integration.slack.driver import api_event, sign

    # Given a base64 body that does not decode to UTF-8 text
    event = api_event("", {"content-type": "application/x-www-form-urlencoded", **sign("", slack.now)})
    event["body"], event["isBase64Encoded"] = base64.b64encode(raw).decode(), True
    calls.reset()

    # When it reaches the Slack function
    answer = slack.send(event)

    # Then it is a bad request: no 500, nothing touched, no ERROR
    assert answer.status == 400
    _nothing_touched(calls, fake_slack, slack)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
