"""No code path reads the table with a Scan: every access pattern is a GetItem or a Query."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCAN = re.compile(r"\.scan\(|[\"']Scan[\"']|get_paginator\([\"']scan")


def test_no_scan_in_shipped_code() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("core", "bot", "notifications")
        for path in (ROOT / package).rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if SCAN.search(line)
    ]
    assert offenders == []


def test_the_check_would_catch_one() -> None:
    assert SCAN.search('client.scan(TableName="t")')
    assert SCAN.search("paginator = client.get_paginator('scan')")
