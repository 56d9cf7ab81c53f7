"""Words for a day's report, shared by Slack's /report and the emailed summary (from the catalogue)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from core.catalogue import DEFAULT_LANGUAGE, phrase
from core.domain.model import Org, Worker
from core.services.periods import PeriodStatus
from core.services.reports import OrgDay
from core.timesheet import Flag, Minutes


def flag_words(language: str | None = None) -> dict[str, str]:
    """Each timesheet flag as a report names it: `meal_missed` -> `meal missed`."""
    return {flag.value: phrase(f"flag.{flag.value}", language) for flag in Flag}


def report_summary(day: OrgDay, language: str | None = None) -> str:
    """`1 worked, 8h 00m hours worked, OT 0m, 0 still in, 0 correction(s) waiting`: Slack's report and the email's."""
    rows = day.workers
    shown = Minutes.total(w.row for w in rows)  # the sum of the rows as the report shows them
    return phrase(
        "report.summary",
        language,
        worked=sum(1 for w in rows if w.row.hours_worked_seconds > 0),
        hours_worked=shown.hours_worked,
        overtime=shown.extra,
        still_in=len(day.open_shifts),
        waiting=len(day.pending),
    )


def totals_by_currency(amounts: Iterable[tuple[Decimal, str]], language: str | None = None) -> str:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in amounts:
        totals[currency] += amount
    return ", ".join(
        phrase("report.total", language, total=total, currency=currency) for currency, total in sorted(totals.items())
    )


def rules_line(org: Org, language: str | None = None) -> str:
    """Which rules a report applied: `Overtime: california. Meal rules: California (Labor Code 512, IWC orders).`"""
    rules = org.meal_rule_set
    return phrase(
        "report.rules",
        language,
        policy=org.overtime_policy.value,
        meals="owed" if rules.flags_meals else "none",
        title=rules.title,
        source=rules.source,
    )


def period_line(period: PeriodStatus, language: str | None = None) -> str:
    """`Pay period Mon 16 Nov - Sun 22 Nov: locked Mon 23 Nov.`: every report says whether it is locked."""
    return phrase("report.period", language, **period.words())


def reimbursements(
    to_reimburse: dict[str, dict[str, Decimal]], name_of: Callable[[str], str], language: str | None = None
) -> list[tuple[str, str]]:
    """(worker's name, approved totals) for each worker with approved expenses, by name."""
    rows = [
        (name_of(worker_id), totals_by_currency(((a, c) for c, a in totals.items()), language))
        for worker_id, totals in to_reimburse.items()
    ]
    return sorted(rows, key=lambda row: row[0].casefold())


def rounding_line(org: Org, language: str | None = None) -> str:
    """How clock times were counted: as punched, or to the nearest step (Org.rounding_minutes)."""
    if not org.rounding_minutes:
        return phrase("report.rounding.none", language)
    return phrase("report.rounding.nearest", language, minutes=org.rounding_minutes)


def readers_by_language(addresses: Sequence[str], people: Iterable[Worker]) -> dict[str, list[str]]:
    """Who reads a report in which language: a person's address, their language; any other
    address (the org's), the default. One email per language, its addresses in the order given."""
    speaks = {person.email.lower(): person.speaks for person in people if person.email}
    grouped: dict[str, list[str]] = {}
    for address in addresses:
        grouped.setdefault(speaks.get(address.lower(), DEFAULT_LANGUAGE), []).append(address)
    return grouped
