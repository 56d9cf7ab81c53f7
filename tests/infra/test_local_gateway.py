"""The local gateway speaks API Gateway's HTTP API payload 2.0, both ways (no servers started)."""

from __future__ import annotations

import base64
from typing import Any

from infra.local.gateway import Gateway, http_api_event, http_api_response
from infra.local.http import Request
from infra.local.lambdas import Function
from infra.template import Resolver, Route, function_environment, http_routes, parameter_defaults

TWILIO = Route("POST", "/sms/twilio", "TwilioSmsFunction", "bot.sms.twilio_handler.handler", "2.0")


def _request(path: str = "/sms/twilio", query: str = "", body: bytes = b"", headers: Any = None) -> Request:
    return Request("POST", path, query, headers or [], body, "127.0.0.9")


def test_event_has_the_v2_shape_with_lowercased_joined_headers_and_cookies() -> None:
    request = _request(
        query="a=1&a=2&b=",
        headers=[
            ("Host", "127.0.0.1:8701"),
            ("X-Twilio-Signature", "sig"),
            ("Accept", "text/xml"),
            ("Accept", "*/*"),
            ("Cookie", "one=1; two=2"),
            ("Content-Type", "application/json"),
        ],
        body=b'{"ok": true}',
    )
    event = http_api_event(request, TWILIO, {})
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /sms/twilio"
    assert event["rawPath"] == "/sms/twilio"
    assert event["rawQueryString"] == "a=1&a=2&b="
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["headers"]["x-twilio-signature"] == "sig"
    assert event["headers"]["accept"] == "text/xml,*/*"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["one=1", "two=2"]
    assert event["body"] == '{"ok": true}' and event["isBase64Encoded"] is False
    ctx = event["requestContext"]
    assert ctx["http"]["method"] == "POST" and ctx["http"]["sourceIp"] == "127.0.0.9"
    assert ctx["domainName"] == "127.0.0.1" and ctx["stage"] == "$default"
    assert isinstance(ctx["timeEpoch"], int) and ctx["requestId"]
    assert "pathParameters" not in event


def test_form_posts_arrive_base64_encoded_as_api_gateway_sends_them() -> None:
    body = b"Body=in+north-site&From=%2B15555550111"
    event = http_api_event(
        _request(body=body, headers=[("Content-Type", "application/x-www-form-urlencoded")]), TWILIO, {}
    )
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_a_request_without_body_has_no_body_field() -> None:
    event = http_api_event(Request("GET", "/receipts/upload/abc", "", [], b"", "127.0.0.1"), TWILIO, {"token": "abc"})
    assert "body" not in event and event["pathParameters"] == {"token": "abc"}


def test_results_become_responses_by_api_gateways_rules() -> None:
    full = http_api_response(
        {"statusCode": 201, "headers": {"content-type": "text/xml"}, "body": "<Response/>", "cookies": ["a=1"]}
    )
    assert (full.status, full.body) == (201, b"<Response/>")
    assert ("Set-Cookie", "a=1") in full.headers
    binary = http_api_response(
        {"statusCode": 200, "body": base64.b64encode(b"\x89PNG").decode(), "isBase64Encoded": True}
    )
    assert binary.body == b"\x89PNG"
    bare = http_api_response({"ok": True})
    assert (bare.status, bare.body) == (200, b'{"ok": true}')


def test_gateway_routes_by_template_path_and_method() -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def invoke(function: Function, event: dict[str, Any]) -> dict[str, Any]:
        seen.append((function.logical_id, event))
        return {"statusCode": 200, "body": "ok"}

    gateway = Gateway(http_routes(), lambda name: Function(name, name, "x.y", 10, 512), invoke)
    assert gateway(Request("GET", "/receipts/upload/tok_123", "", [], b"", "127.0.0.1")).status == 200
    assert seen[-1][0] == "ReceiptUploadFunction"
    assert seen[-1][1]["pathParameters"] == {"token": "tok_123"}
    assert seen[-1][1]["routeKey"] == "GET /receipts/upload/{token}"
    assert gateway(Request("GET", "/sms/twilio", "", [], b"", "127.0.0.1")).status == 404
    assert gateway(Request("POST", "/receipts/upload/a/b", "", [], b"", "127.0.0.1")).status == 404


def test_template_environment_resolves_for_the_local_stack() -> None:
    refs = {
        **parameter_defaults(),
        "PublicBaseUrl": "http://127.0.0.1:8701",
        "AWS::Region": "us-east-1",
        "AWS::URLSuffix": "amazonaws.com",
        "Table": "t",
        "ReceiptsBucket": "b",
        "HttpApi": "local",
    }
    env = function_environment("TwilioSmsFunction", Resolver(refs))
    assert env["TABLE_NAME"] == "t"
    assert env["PUBLIC_BASE_URL"] == "http://127.0.0.1:8701"
    env = function_environment("TwilioSmsFunction", Resolver({**refs, "PublicBaseUrl": ""}))
    # Empty: the handler derives the execute-api URL from the request context (no template cycle).
    assert env["PUBLIC_BASE_URL"] == ""
