"""Filling a template. Besides words, a template holds fields in `str.format` braces:

- `{at:time}` a parameter, written by its kind (`KINDS`: time, when, duration, count, text30...).
  The kind also tells the catalogue's tests the longest value the parameter can take.
- `{pending:?pending}` the part `pending` when the parameter is set (truthy), else nothing.
- `{kind:break_started.*}` the part `break_started.<value>`, or `break_started.other`.
- `{:ex.expense}` the part `ex.expense`, with no parameter of its own.
- `{:do word.break word.out}` what to do next, as the channel says it ("Text BREAK, OUT." or
  "/break /clockout"): the parts listed, joined by the part `do.separator`, put into `do`.

A part is a template like any other, filled with the same parameters, per channel if it differs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, tzinfo
from functools import cache
from typing import Any

from core.catalogue.gsm import plain
from core.catalogue.language import Channel, Language

OTHER = "other"  # the part a choice falls back on
ACTIONS = "do"  # the part that frames a list of next actions; its list is the parameter `actions`
_KIND = re.compile(r"([a-z_]+)([0-9]*)")


@cache
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...]:
    return tuple((literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(template))


class Filler:
    """Fills templates of one language, for one channel (None: words every channel shares)."""

    __slots__ = ("channel", "fallback", "language", "params", "zone")

    def __init__(
        self,
        language: Language,
        channel: Channel | None,
        zone: tzinfo,
        params: Mapping[str, Any],
        fallback: Language | None = None,  # where a template the language lacks is taken from
    ) -> None:
        self.language, self.channel, self.zone, self.params, self.fallback = language, channel, zone, params, fallback

    def template(self, key: str) -> str | None:
        for language in (self.language, self.fallback):
            found = language.template(key) if language is not None else None
            if isinstance(found, str):
                return found
            if found is not None and self.channel is not None and self.channel.value in found:
                return found[self.channel.value]
        return None

    def fill(self, key: str) -> str:
        template = self.template(key)
        if template is None:
            raise LookupError(f"no template {key!r} for {self.channel} in {self.language.code}")
        return "".join(literal + self._field(name, spec) for literal, name, spec in _parsed(template))

    def _field(self, name: str | None, spec: str) -> str:
        if name is None:
            return ""
        if not name:
            return self._actions(spec.split()[1:]) if spec.startswith(ACTIONS + " ") else self.fill(spec)
        value = self.params.get(name)
        if spec.startswith("?"):
            return self.fill(spec[1:]) if value else ""
        if spec.endswith(".*"):
            chosen = spec[:-1] + str(value)
            return self.fill(chosen if self.template(chosen) is not None else spec[:-1] + OTHER)
        kind, size = kind_of(spec)
        return KINDS[kind](self, value, size)

    def _actions(self, keys: list[str]) -> str:
        listed = self.fill(ACTIONS + ".separator").join(self.fill(key) for key in keys)
        return Filler(self.language, self.channel, self.zone, {"actions": listed}, self.fallback).fill(ACTIONS)

    # What a template uses, for the catalogue's tests: parameters (name -> specs) and parts.

    def fields(self, key: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for name, spec in self._walk(key, set()):
            found.setdefault(name, set()).add(spec)
        return found

    def parts(self, key: str) -> set[str]:
        seen: set[str] = set()
        for _ in self._walk(key, seen):
            pass
        return seen

    def _walk(self, key: str, seen: set[str]) -> Iterator[tuple[str, str]]:
        if key in seen:
            return
        seen.add(key)
        template = self.template(key)
        if template is None:
            raise LookupError(f"no template {key!r} for {self.channel} in {self.language.code}")
        for _, name, spec in _parsed(template):
            if name is None:
                continue
            if not name and spec.startswith(ACTIONS + " "):
                for part in (*spec.split()[1:], ACTIONS + ".separator"):
                    yield from self._walk(part, seen)
                if self.template(ACTIONS) is None:
                    raise LookupError(f"no template {ACTIONS!r} for {self.channel} in {self.language.code}")
                seen.add(ACTIONS)  # its one parameter, `actions`, is the list above
                continue
            if not name:
                yield from self._walk(spec, seen)
                continue
            yield name, spec
            if spec.startswith("?"):
                yield from self._walk(spec[1:], seen)
            elif spec.endswith(".*"):
                for part in self.choices(spec[:-1]):
                    yield from self._walk(spec[:-1] + part, seen)

    def choices(self, prefix: str) -> list[str]:
        """The values a `{name:prefix.*}` field has words for (`other` included)."""
        keys = {key for section in _sections(self.language, self.fallback) for key in section}
        return sorted(key[len(prefix) :] for key in keys if key.startswith(prefix) and "." not in key[len(prefix) :])

    # Kinds: how a parameter is written.

    def local(self, value: Any) -> datetime | None:
        if not value:
            return None
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment.astimezone(self.zone)

    def time(self, value: Any, size: int | None) -> str:
        local = self.local(value)
        return self.language.formats.no_time if local is None else self.language.formats.time_of(local)

    def when(self, value: Any, size: int | None) -> str:
        """A time, with its day unless that is the day of the parameter `now`."""
        local, now = self.local(value), self.local(self.params.get("now"))
        if local is None:
            return self.language.formats.no_time
        if now is not None and now.date() == local.date():
            return self.language.formats.time_of(local)
        return self.language.formats.day_time_of(local)

    def day_time(self, value: Any, size: int | None) -> str:
        local = self.local(value)
        return self.language.formats.no_time if local is None else self.language.formats.day_time_of(local)

    def day(self, value: Any, size: int | None) -> str:
        day = self.local_day(value)
        return self.language.formats.no_time if day is None else self.language.formats.day_of(day)

    def weekday(self, value: Any, size: int | None) -> str:
        day = self.local_day(value)
        return self.language.formats.no_time if day is None else self.language.formats.weekday_of(day)

    def day_year(self, value: Any, size: int | None) -> str:
        day = self.local_day(value)
        return self.language.formats.no_time if day is None else self.language.formats.day_year_of(day)

    def local_day(self, value: Any) -> date | None:
        """A date as it is; an instant's date where it is read (in the zone)."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and len(value) == len("2026-11-16"):
            return date.fromisoformat(value)
        local = self.local(value)
        return None if local is None else local.date()

    def duration(self, value: Any, size: int | None) -> str:
        return self.language.formats.duration(value)

    def age(self, value: Any, size: int | None) -> str:
        return self.language.formats.age(value)

    def month(self, value: Any, size: int | None) -> str:
        """A month as data writes it (`2026-11`), as the language names it: Nov 2026."""
        text = str(value or "")
        try:
            first = date(int(text[:4]), int(text[5:7]), 1)
        except ValueError:
            return self.language.formats.no_time
        return self.language.formats.month_year_of(first)


def _sections(*languages: Language | None) -> Iterator[Mapping[str, Any]]:
    for language in languages:
        if language is not None:
            yield from language.sections()


def kind_of(spec: str) -> tuple[str, int | None]:
    match = _KIND.fullmatch(spec)
    if match is None or match[1] not in KINDS:
        raise LookupError(f"unknown kind {spec!r}")
    return match[1], int(match[2]) if match[2] else None


def _count(filler: Filler, value: Any, size: int | None) -> str:
    return str(int(value)) if isinstance(value, int | float) else str(value or 0)


def _text(filler: Filler, value: Any, size: int | None) -> str:
    """What a person typed (a job, a category, a name): GSM-7 plain, cut to `size`."""
    return plain(str(value), size) if value else ""


def _as_given(filler: Filler, value: Any, size: int | None) -> str:
    return "?" if value is None else str(value)


def _items(filler: Filler, value: Any, size: int | None) -> str:
    """A list of short data (categories, a budget's figures) joined by commas, as many whole
    items as fit in `size`, then `...`."""
    shown, items = "", [plain(str(item)) for item in value or ()]
    for i, item in enumerate(items):
        longer = f"{shown}, {item}" if shown else item
        rest = ", ..." if i + 1 < len(items) else ""
        if size is not None and len(longer + rest) > size:
            return f"{shown}, ..." if shown else "..."
        shown = longer
    return shown


def _category(filler: Filler, value: Any, size: int | None) -> str:
    """An expense category in the reader's words when the language names it (`fuel` -> `gasolina`:
    the catalogue's `category.<name>`), else as the org wrote it; cut to `size`."""
    name = str(value or "")
    return _text(filler, filler.template("category." + name.lower()) or name, size)


def _categories(filler: Filler, value: Any, size: int | None) -> str:
    """A list of categories, each in the reader's words, as many whole as fit in `size` (see `_items`)."""
    return _items(filler, [_category(filler, name, None) for name in value or ()], size)


def _cents(filler: Filler, value: Any, size: int | None) -> str:
    return f"{value:.2f}"


def _raw(filler: Filler, value: Any, size: int | None) -> str:
    return "" if value is None else str(value)


KINDS: dict[str, Callable[[Filler, Any, int | None], str]] = {
    "time": Filler.time,  # an ISO instant, as the local time of day: 07:58
    "when": Filler.when,  # an ISO instant, with its day unless it is today (parameter `now`)
    "day_time": Filler.day_time,  # an ISO instant, always with its day: Mon 16 Nov 07:58
    "day": Filler.day,  # a date, or an instant's local date: Mon 16 Nov
    "weekday": Filler.weekday,  # the same, its weekday alone: Mon
    "day_year": Filler.day_year,  # the same with its year: Mon 16 Nov 2026
    "duration": Filler.duration,  # whole minutes: 4h 34m
    "age": Filler.age,  # whole minutes something has waited, short: 5m, 3h, 2d
    "count": _count,  # a number of things
    "text": _text,  # typed by a person; `text30` cuts it to 30 characters
    "category": _category,  # an expense category, named in the language if it names it: `category20`
    "categories": _categories,  # a list of them, cut to whole names: `categories90`
    "names": _raw,  # names already cut and joined (see core/catalogue/outcomes.py)
    "month": Filler.month,  # a month as `2026-11`: Nov 2026
    "items": _items,  # a list of data cut to whole items: `items120` fits 120 characters
    "amount": _as_given,  # an amount of money as the service wrote it: 12.50
    "cents": _cents,  # an amount of money with exactly two decimals
    "currency": _as_given,  # an ISO 4217 code
    "date": _as_given,  # an ISO date: 2026-11-16
    "phone": _as_given,  # E.164: +15551234567
    "join_code": _as_given,  # six digits
    "id": _as_given,  # an id a person may quote to an admin (a Slack team or user id)
    "raw": _raw,  # words made elsewhere in the catalogue, or report data (not for SMS)
}
