"""What operators watch at the doors in, as Powertools Metrics (namespace Punchclock, dimension
service): each handler flushes them once per invocation (`@metrics.log_metrics`), as one line of
CloudWatch embedded metric format in its log. infra/template.yaml alarms where a person must act.

- Commands: every command, click or submission answered, whatever the answer.
- Refusals: of those, the ones answered "no" for the person's reason (a bad word, not a manager,
  not clocked in). Watched, not alarmed: people cause them.
- CommandFailures: of those, the ones that failed on our side (the catalogue's apology). Alarmed.
- RepliesSent: answers that left for a person (a TwiML message, an SMS sent, a Slack reply).
- RequestsRefused: requests refused before anything was read (a signature, a body too large or
  unreadable). Alarmed: a secret rotated on one side only refuses every request.
The notify and jobs functions add theirs (notices delivered and failed, messages sent, job runs).
"""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from core.ports import Outcome

metrics = Metrics(namespace="Punchclock")  # the template sets the same (POWERTOOLS_METRICS_NAMESPACE)

FAILED_ON_OUR_SIDE = "error"  # the outcome code the catalogue answers with an apology


def answered(outcome: Outcome) -> None:
    counted(outcome.code, outcome.ok)


def counted(code: str, ok: bool) -> None:
    """A command answered with `code` (a refusal unless `ok`)."""
    metrics.add_metric(name="Commands", unit=MetricUnit.Count, value=1)
    if code == FAILED_ON_OUR_SIDE:
        metrics.add_metric(name="CommandFailures", unit=MetricUnit.Count, value=1)
    elif not ok:
        metrics.add_metric(name="Refusals", unit=MetricUnit.Count, value=1)


def failed() -> None:
    """A command that raised and was answered with the apology."""
    counted(FAILED_ON_OUR_SIDE, ok=False)


def reply_sent() -> None:
    metrics.add_metric(name="RepliesSent", unit=MetricUnit.Count, value=1)


def request_refused() -> None:
    metrics.add_metric(name="RequestsRefused", unit=MetricUnit.Count, value=1)
