"""Two handlers that log as the real ones do (one Powertools logger shared by every function, and
plain `logging`), for tests/infra/test_local_functions.py."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from aws_lambda_powertools import Logger


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.records.append(record)


POWERTOOLS = Lines()
PLAIN = Lines()
logger = Logger(service="log-probe", logger_handler=POWERTOOLS)
plain = logging.getLogger("plain-probe")
plain.addHandler(PLAIN)
plain.setLevel(logging.INFO)
together = threading.Barrier(8)


def _work(name: str) -> dict[str, Any]:
    logger.append_keys(**{f"{name}_only": True})  # as the SMS door appends its delivery id
    together.wait(timeout=10)  # every invocation is inside its handler before anyone logs
    for step in range(5):
        logger.info(f"from {name}", step=step)
        plain.info("from %s", name)
        time.sleep(0.002)
    return {"statusCode": 200}


@logger.inject_lambda_context(clear_state=True)
def alpha(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _work("alpha")


@logger.inject_lambda_context(clear_state=True)
def beta(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _work("beta")
