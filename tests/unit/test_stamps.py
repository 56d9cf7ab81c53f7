"""Instants in keys: written sortable, read back exactly (the report path reads every punch's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.store.keys import parse_stamp, stamp


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 16, 12, 58, tzinfo=UTC),
        datetime(2026, 11, 16, 12, 58, 7, 123456, tzinfo=UTC),
        datetime(2026, 3, 8, 2, 30, tzinfo=timezone(timedelta(hours=-5))),  # read back in UTC
        datetime(1000, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_a_stamp_reads_back_as_the_same_instant_in_utc(at: datetime) -> None:
    back = parse_stamp(stamp(at))
    assert back == at
    assert back.tzinfo is UTC


def test_a_stamp_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_stamp("2026-11-16T12:58:00+00:00")
