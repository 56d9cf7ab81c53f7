"""Lambda entry for the scheduled jobs (infra/template.yaml: JobsFunction and its schedules).

EventBridge Scheduler invokes it with the schedule's `Input`, plain JSON:

    {"job": "reminders" | "reports", "scheduled_time": "<aws.scheduler.scheduled-time>",
     "schedule_arn": "<aws.scheduler.schedule-arn>", "attempt": "<aws.scheduler.attempt-number>"}

- `reminders` (every minute): every reminder due, each once (core/services/reminders.py);
- `reports` (every five minutes): every org's daily summary or weekly timesheet due, each run
  once per org and period (core/services/jobs.py); the emails go through the notice outbox.

Both are sweeps over what is due now, so a late or repeated invocation does what is due and
nothing twice: idempotency rests on the stored state, not on the execution id (which changes
on every attempt). A run that could not do everything raises, so Scheduler's retry policy (and
then its dead-letter queue, where an alarm waits) sees it; what was done is not done again.
`make run` fires the same input from a local scheduler (infra/local/scheduler.py); tests call
`handler` with it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from core import bootstrap
from core.services.jobs import run_due_jobs
from core.services.reminders import send_due_reminders

logger = Logger()
metrics = Metrics(namespace="Punchclock")

JOBS = ("reminders", "reports")


class JobIncomplete(Exception):
    """Some of a sweep's work failed: raised so Scheduler retries (what went is not sent again)."""


def run(event: dict[str, Any]) -> dict[str, Any]:
    job = event.get("job")
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}; expected one of {JOBS}")
    ports = bootstrap.ports()
    # A sweep handles what is due by now, whatever time it was scheduled for: a late retry
    # must not miss what fell due while it waited.
    now = ports.clock.now()
    logger.append_keys(job=job, scheduled_time=event.get("scheduled_time"))
    metrics.add_metric(name="JobRuns", unit=MetricUnit.Count, value=1)
    if job == "reminders":
        reminders = send_due_reminders(ports, now)
        metrics.add_metric(name="RemindersSent", unit=MetricUnit.Count, value=reminders.reminded)
        metrics.add_metric(name="AutoClockOuts", unit=MetricUnit.Count, value=reminders.closed)
        failed, summary = reminders.failed, reminders.to_json()
    else:
        reports = run_due_jobs(ports, now)
        metrics.add_metric(name="ReportRuns", unit=MetricUnit.Count, value=len(reports.ran))
        failed, summary = reports.failed, reports.to_json()
    if failed:
        metrics.add_metric(name="JobFailures", unit=MetricUnit.Count, value=len(failed))
        raise JobIncomplete(f"{job}: {len(failed)} failed of {summary}")
    return {"job": job, **summary}


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return run(event)
