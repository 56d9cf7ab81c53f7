"""The orgs' scheduled jobs: the daily summary and the weekly timesheet, each run once per period.

Run every few minutes by the jobs function (notifications/jobs_handler.py): it reads the runs
due from a sparse index (one entry per org and job, core/domain/schedule.py), so a sweep costs
one query page plus one write per due run, whatever the number of orgs. A run commits one
email notice per recipient, with an id made of the run (org, job, period) and the recipient,
in the same conditional write that moves the org's entry to its next run: a retried, doubled
or late sweep finds the entry moved and writes nothing. The notify function then sends each
recipient's email once (a sent record per notice and recipient), and retries only the ones that
failed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from core.domain.model import Org, Role
from core.domain.schedule import JobRun, next_run
from core.ports import Notice, NoticeKind
from core.services.ports import Ports
from core.services.reports import report_notice_data

log = logging.getLogger(__name__)

SWEEP_LIMIT = 500  # runs per sweep; the rest are still due at the next one


@dataclass
class JobsResult:
    due: int = 0
    ran: list[str] = field(default_factory=list)  # run ids
    emails: int = 0  # notices committed (one per recipient)
    skipped: int = 0  # already run by another sweep
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "ran": len(self.ran),
            "emails": self.emails,
            "skipped": self.skipped,
            "failed": len(self.failed),
        }


def run_due_jobs(ports: Ports, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> JobsResult:
    now = now or ports.clock.now()
    result = JobsResult()
    for run in ports.store.due_jobs(now):
        if result.due >= limit:
            break
        result.due += 1
        try:
            _run(run, ports, result)
        except Exception:  # one org's failure must not keep the others' reports
            log.exception("scheduled job failed", extra={"org_id": run.org_id, "job": run.job.value})
            result.failed.append(run.run_id)
    log.info("scheduled jobs", extra=result.to_json())
    return result


def _run(run: JobRun, ports: Ports, result: JobsResult) -> None:
    org = ports.store.get_org(run.org_id)
    if org is None:
        return
    notices = report_notices(org, run, recipients(org, ports))
    if ports.store.run_job(run, next_run(org, run.job, run.due_at), notices):
        result.ran.append(run.run_id)
        result.emails += len(notices)
        if not notices:
            log.warning("a scheduled report has nobody to go to", extra={"org_id": org.org_id, "job": run.job.value})
    else:
        result.skipped += 1


def recipients(org: Org, ports: Ports) -> list[str]:
    """The org's report addresses and its managers' own, each once (case-insensitively)."""
    found: dict[str, str] = {}
    managers = [w.email for w in ports.store.list_workers(org.org_id) if w.role is Role.MANAGER and w.active]
    for address in [*org.manager_emails, *managers]:
        if address and address.strip():
            found.setdefault(address.strip().lower(), address.strip())
    return list(found.values())


def report_notices(org: Org, run: JobRun, to: list[str]) -> list[Notice]:
    """One email notice per recipient: one failing address is retried alone."""
    return [
        Notice(
            NoticeKind.REPORT_EMAIL,
            org.org_id,
            "",  # an org's notice: no worker asked for it
            {
                **report_notice_data(run.job, run.period),
                "recipients": [address],
                "run": run.run_id,
                "scheduled_at": run.due_at.isoformat(),
            },
            notice_id=run_notice_id(run, address),
            channel="system",
        )
        for address in to
    ]


def run_notice_id(run: JobRun, address: str) -> str:
    """The same run and recipient always make the same notice (no address in a key)."""
    digest = hashlib.sha256(f"{run.run_id}|{address.lower()}".encode()).hexdigest()[:24]
    return f"{run.job.value}-{run.period.isoformat()}-{digest}"
