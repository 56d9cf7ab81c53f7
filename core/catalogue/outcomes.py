"""From a service's outcome to a template's parameters, where words need counting first.

Most outcomes' data are their template's parameters as they are; these few are derived.
Nothing here is language: it is counted here and said in the language's templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.catalogue.gsm import SMS_CONCATENATED_SEGMENT, SMS_SEGMENT, plain

UNKNOWN = "unknown"  # the outcome of text the grammar could not read; its `problem` says why
PROBLEM_LIMIT = 120  # a problem is a short hint, whatever a door put in it
TEAM_NAMES_SHOWN, TEAM_NAME_LIMIT = 4, 16
BUDGET_CATEGORY_LIMIT = 20  # a category as a budget list shows it
# SMS replies are one segment; help may take two.
SMS_LIMITS = {"help": 2 * SMS_CONCATENATED_SEGMENT}


def sms_limit(code: str) -> int:
    return SMS_LIMITS.get(code, SMS_SEGMENT)


def _clocked_out(data: Mapping[str, Any]) -> dict[str, Any]:
    return {**data, "ended_break": data.get("break_minutes") is not None}  # a break of 0m ended too


def _team(data: Mapping[str, Any]) -> dict[str, Any]:
    rows = data.get("workers") or []
    on = [row for row in rows if row["status"] == "on_shift"]
    on_break = sum(1 for row in rows if row["status"] == "on_break")
    return {
        **data,
        "on_shift": len(on),
        "names": ", ".join(plain(row["name"], TEAM_NAME_LIMIT) for row in on[:TEAM_NAMES_SHOWN]),
        "on_break": on_break,
        "off": len(rows) - len(on) - on_break,
        "stopped": sum(1 for row in rows if row.get("sms_opted_out")),
    }


def _budgets(data: Mapping[str, Any]) -> dict[str, Any]:
    """Each budget as figures (`fuel 412.50/500.00 82%`): numbers, no words to translate."""
    lines = [
        f"{plain(str(row['category']), BUDGET_CATEGORY_LIMIT)} {row['spent']}/{row['budget']} {row['percent']}%"
        for row in data.get("lines") or []
    ]
    return {**data, "lines": lines}


_SHAPES: dict[str, Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    "clocked_out": _clocked_out,
    "team": _team,
    "budgets": _budgets,
}


def parameters(code: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
    shape = _SHAPES.get(code)
    return shape(data) if shape else data
