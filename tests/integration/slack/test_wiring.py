"""The manifest, the template and the handler agree; the cold path stays short."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import yaml

from bot.slack import commands
from infra.template import functions

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = yaml.safe_load((ROOT / "infra" / "slack-manifest.yaml").read_text())
URL = "https://YOUR-API-ID.execute-api.YOUR-REGION.amazonaws.com/slack/events"


def test_the_manifest_declares_exactly_the_commands_the_app_answers():
    declared = [command["command"] for command in MANIFEST["features"]["slash_commands"]]

    assert sorted(declared) == sorted(commands.ALL)
    assert {command["url"] for command in MANIFEST["features"]["slash_commands"]} == {URL}


def test_the_manifest_asks_for_the_least_it_needs():
    assert MANIFEST["oauth_config"]["scopes"] == {"bot": ["commands", "chat:write", "files:read", "users:read"]}
    assert MANIFEST["settings"]["event_subscriptions"] == {"request_url": URL, "bot_events": ["app_home_opened"]}
    assert MANIFEST["settings"]["interactivity"] == {"is_enabled": True, "request_url": URL}
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert MANIFEST["settings"]["socket_mode_enabled"] is False


def test_the_template_points_at_this_handler_with_its_environment():
    slack = functions()["SlackFunction"]
    module, _, name = slack["Handler"].rpartition(".")

    assert callable(getattr(importlib.import_module(module), name))
    assert {
        "TABLE_NAME",
        "SLACK_SIGNING_SECRET_PARAM",
        "SLACK_BOT_TOKEN_PARAM",
        "SLACK_API_URL",
        "RECEIPTS_BUCKET",
    } <= set(slack["EnvironmentVariables"])
    assert slack["EnvironmentVariables"]["SLACK_API_URL"] == "https://slack.com/api/"
    [route] = [e["Properties"] for e in slack["Events"].values() if e["Type"] == "HttpApi"]
    assert (route["Method"], route["Path"]) == ("POST", URL.rsplit(".com", 1)[1])


def test_the_cold_path_imports_no_twilio_and_builds_no_client():
    probe = (
        "import sys, time; t = time.perf_counter(); import bot.slack.handler; "
        "print(round(time.perf_counter() - t, 3)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('twilio', 'moto', 'flask')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, heavy = out.stdout.strip().splitlines()

    assert heavy == "[]"
    assert float(seconds) < 5  # about 0.6 s here with bytecode; a budget, not a benchmark
