"""The CLI on a store it cannot reach says what is wrong in one line, not a botocore traceback."""

from __future__ import annotations

import pytest

from bot.cli import main

SHOW = ["--table", "punchclock-test", "org", "show", "--id", "acme"]


@pytest.fixture(autouse=True)
def fresh_boto3_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3's default session keeps the credentials it found first: each case finds its own."""
    monkeypatch.setattr("boto3.DEFAULT_SESSION", None)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_no_region(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    assert main(SHOW) == 1
    assert one_line(capsys).startswith("punchclock: no AWS region: set AWS_DEFAULT_REGION")


def test_no_credentials(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    assert main(SHOW) == 1
    assert one_line(capsys).startswith("punchclock: no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID")


def test_no_endpoint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert main(SHOW) == 1
    assert one_line(capsys).startswith("punchclock: cannot reach http://127.0.0.1:9/: is it running?")


def test_no_table(ddb, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["--table", "no-such-table", "org", "show", "--id", "acme"]) == 1
    assert one_line(capsys).startswith("punchclock: no table no-such-table: check --table and AWS_DEFAULT_REGION")
