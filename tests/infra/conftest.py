"""Fixtures for the template's tests: its offline SAM translation, computed once per session."""

from __future__ import annotations

from typing import Any

import pytest

from infra.template import translate


@pytest.fixture(scope="session")
def translated() -> dict[str, Any]:
    """The template as plain CloudFormation, as `sam deploy` would submit it (no network)."""
    return translate()
