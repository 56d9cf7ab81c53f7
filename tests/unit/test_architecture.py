"""Arrows point inward: core imports no door (bot, notifications, infra), and only its store touches an SDK."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SDKS = {"boto3", "botocore", "slack_bolt", "slack_sdk", "twilio", "aws_lambda_powertools"}


def imported(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_core_imports_no_door() -> None:
    bad = {
        f: n & {"bot", "notifications", "infra"}
        for f, n in imported("core").items()
        if n & {"bot", "notifications", "infra"}
    }
    assert bad == {}


def test_only_the_store_adapter_of_core_touches_an_sdk() -> None:
    bad = {f: n & SDKS for f, n in imported("core").items() if n & SDKS and not f.startswith("core/store/")}
    assert bad == {}
