"""What a language is made of: its templates, and how it writes a time, a day and a duration.

Everything here is the same for every language; what differs is data (see `en.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple, TypeAlias


class Channel(StrEnum):
    """Where a person reads the words: Slack names slash commands, SMS names keywords."""

    SMS = "sms"
    SLACK = "slack"


# One template for every channel, or one per channel (keyed "sms", "slack").
Template: TypeAlias = str | Mapping[str, str]


class Formats(NamedTuple):  # a NamedTuple, not a dataclass: cheaper to define on a cold start
    """How a language writes times and durations: `str.format` patterns over numbers and names."""

    time: str  # fields: hour, minute
    day_time: str  # fields: weekday, day, month, hour, minute
    day: str  # fields: weekday, day, month
    day_year: str  # fields: weekday, day, month, year
    weekdays: tuple[str, ...]  # Monday first
    months: tuple[str, ...]  # January first
    hours_minutes: str  # fields: hours, minutes
    minutes_only: str  # fields: minutes
    no_time: str  # what stands for a time nobody gave
    hours_only: str = "{hours}h"  # fields: hours (an age: how long something has waited)
    days_only: str = "{days}d"  # fields: days
    month_year: str = "{month} {year}"  # fields: month, year (a budget's month)

    def time_of(self, local: datetime) -> str:
        return self.time.format(hour=local.hour, minute=local.minute)

    def day_time_of(self, local: datetime) -> str:
        return self.day_time.format(
            weekday=self.weekdays[local.weekday()],
            day=local.day,
            month=self.months[local.month - 1],
            hour=local.hour,
            minute=local.minute,
        )

    def day_of(self, day: date) -> str:
        return self.day.format(weekday=self.weekdays[day.weekday()], day=day.day, month=self.months[day.month - 1])

    def weekday_of(self, day: date) -> str:
        return self.weekdays[day.weekday()]

    def day_year_of(self, day: date) -> str:
        return self.day_year.format(
            weekday=self.weekdays[day.weekday()], day=day.day, month=self.months[day.month - 1], year=day.year
        )

    def month_year_of(self, day: date) -> str:
        return self.month_year.format(month=self.months[day.month - 1], year=day.year)

    def duration(self, minutes: int | None) -> str:
        hours, mins = divmod(max(0, int(minutes or 0)), 60)
        return self.hours_minutes.format(hours=hours, minutes=mins) if hours else self.minutes_only.format(minutes=mins)

    def age(self, minutes: int | None) -> str:
        """How long something has waited, short: `5m`, `3h`, `2d` (minutes under an hour, hours under two days)."""
        whole = max(0, int(minutes or 0))
        if whole < 60:
            return self.minutes_only.format(minutes=whole)
        if whole < 48 * 60:
            return self.hours_only.format(hours=whole // 60)
        return self.days_only.format(days=whole // (24 * 60))


class Language(NamedTuple):
    """One language's words. `replies` answer service outcomes (core.ports.Outcome codes),
    `problems` say what the grammar could not read (core.commands.Unknown.problem codes),
    `messages` are what a door or a notice says besides an outcome, on the channels it names, and
    `words` are the parts templates are built from and the words of blocks, pages and emails."""

    code: str
    replies: Mapping[str, Template]
    problems: Mapping[str, Template]
    messages: Mapping[str, Template]
    words: Mapping[str, Template]
    formats: Formats

    def sections(self) -> tuple[Mapping[str, Template], ...]:
        return (self.replies, self.problems, self.messages, self.words)

    def template(self, key: str) -> Template | None:
        for section in self.sections():
            if key in section:
                return section[key]
        return None
