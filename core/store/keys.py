"""Every key format of the single table, in one place. See core/store/ACCESS_PATTERNS.md.

Instants inside keys are UTC ISO-8601 with microseconds and a trailing Z, so
they sort as text in time order; an id follows them, so two events in the same
microsecond still get different keys.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

TTL_ATTRIBUTE = "expires_at_epoch"  # only deliveries, invites, notices and short-lived records; never time records


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    if len(text) == STAMP_LENGTH and text.endswith("Z"):
        # The common case, 40 times faster than strptime: a report reads every punch of an org's week.
        return datetime.fromisoformat(text)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


STAMP_LENGTH = len("2026-11-16T12:58:00.000000Z")


# organisations
def org_key(org_id: str) -> dict[str, str]:
    return {"PK": f"ORG#{org_id}", "SK": "ORG"}


ORGS_INDEX_PK = "ORGS"


def slack_team_key(team_id: str) -> dict[str, str]:
    return {"PK": f"SLACKTEAM#{team_id}", "SK": "LINK"}


# workers
def worker_key(worker_id: str) -> dict[str, str]:
    return {"PK": f"WORKER#{worker_id}", "SK": "WORKER"}


def org_workers_pk(org_id: str) -> str:
    return f"ORG#{org_id}#WORKERS"


def org_open_pk(org_id: str) -> str:
    return f"ORG#{org_id}#OPEN"


def phone_key(phone: str) -> dict[str, str]:
    return {"PK": f"PHONE#{phone}", "SK": "LOOKUP"}


def slack_user_key(team_id: str, user_id: str) -> dict[str, str]:
    return {"PK": f"SLACK#{team_id}#{user_id}", "SK": "LOOKUP"}


# events (punches and correction decisions) and expenses
def worker_pk(worker_id: str) -> str:
    return f"WORKER#{worker_id}"


def event_sk(at: datetime, event_id: str) -> str:
    return f"EVT#{stamp(at)}#{event_id}"


def event_range(start: datetime, end: datetime) -> tuple[str, str]:
    return f"EVT#{stamp(start)}", f"EVT#{stamp(end)}~"


def org_events_pk(org_id: str) -> str:
    return f"ORG#{org_id}#EVT"


def org_event_sk(at: datetime, event_id: str) -> str:
    return f"{stamp(at)}#{event_id}"


def expense_sk(spent_on: date, expense_id: str) -> str:
    return f"EXP#{spent_on.isoformat()}#{expense_id}"


def expense_range(start: date, end: date) -> tuple[str, str]:
    return f"EXP#{start.isoformat()}", f"EXP#{end.isoformat()}~"


def org_expenses_pk(org_id: str) -> str:
    return f"ORG#{org_id}#EXP"


def pending_key(org_id: str, recorded_at: datetime, event_id: str) -> dict[str, str]:
    return {"PK": f"ORG#{org_id}", "SK": f"PENDING#{stamp(recorded_at)}#{event_id}"}


PENDING_PREFIX = "PENDING#"  # what waits for a manager: corrections and expenses alike


def waiting_key(worker_id: str, item_id: str) -> dict[str, str]:
    """The same item, marked in its worker's partition: STATUS reads it with the worker."""
    return {"PK": f"WORKER#{worker_id}", "SK": f"{WAITING_PREFIX}{item_id}"}


# Sorts right before the worker item (`WORKER`) and after everything else of its partition, so one
# query from WAITING# to WORKER reads the worker and what of theirs waits.
WAITING_PREFIX = "WAITING#"


def expense_decision_sk(spent_on: date, expense_id: str, decision_id: str) -> str:
    """A manager's decision on an expense, sorted right after the expense: one range reads both."""
    return f"{expense_sk(spent_on, expense_id)}#D#{decision_id}"


def org_expense_decision_sk(spent_on: date, expense_id: str, decision_id: str) -> str:
    return f"{spent_on.isoformat()}#{expense_id}#D#{decision_id}"


def period_lock_key(org_id: str, start: date) -> dict[str, str]:
    """A locked pay period, by its first day: it takes no more corrections."""
    return {"PK": f"ORG#{org_id}", "SK": f"LOCK#{start.isoformat()}"}


LOCK_PREFIX = "LOCK#"


def manager_view_key(manager_id: str) -> dict[str, str]:
    """The numbers a manager was shown for what waits (core/domain/pending.py)."""
    return {"PK": f"VIEW#{manager_id}", "SK": "PENDING"}


def approval_message_pk(item_id: str) -> str:
    """Where each manager's Slack DM about one pending item was posted: updated once it is decided."""
    return f"APPROVALDM#{item_id}"


def approval_message_key(item_id: str, manager_id: str) -> dict[str, str]:
    return {"PK": approval_message_pk(item_id), "SK": f"MANAGER#{manager_id}"}


# what the scheduled sweeps read: sparse GSI1 partitions sorted by when something is due
REMINDERS_INDEX_PK = "REMINDERS"
JOBS_INDEX_PK = "JOBS"


def reminder_key(worker_id: str) -> dict[str, str]:
    """When the worker's next reminder is due: one item per worker on shift, none otherwise."""
    return {"PK": f"WORKER#{worker_id}", "SK": "REMINDER"}


def job_key(org_id: str, job: str) -> dict[str, str]:
    """When an org's scheduled job (daily summary, weekly timesheet) runs next."""
    return {"PK": f"ORG#{org_id}", "SK": f"JOB#{job}"}


def due_sk(due: datetime, name: str) -> str:
    return f"{stamp(due)}#{name}"


DUE_FROM = "0"  # below every instant's key: a range's low end (DynamoDB wants both ends)


def due_until(now: datetime) -> str:
    """The highest sort key of what is due at `now`."""
    return f"{stamp(now)}#~"


# idempotency, the notice outbox and short-lived records (the only items with a TTL)
def delivery_key(key: str) -> dict[str, str]:
    return {"PK": f"DELIVERY#{key}", "SK": "DELIVERY"}


def invite_key(code: str) -> dict[str, str]:
    return {"PK": f"INVITE#{code}", "SK": "INVITE"}


def phone_invites_pk(phone: str) -> str:
    """GSI1: the live invites of one phone number (voided together after too many wrong codes)."""
    return f"PHONE#{phone}#INVITES"


def notice_key(notice_id: str) -> dict[str, str]:
    """The outbox: one item per notice, read by the notify function off the table's stream."""
    return {"PK": f"NOTICE#{notice_id}", "SK": "NOTICE"}


def send_key(key: str) -> dict[str, str]:
    """That one notice went (or is going) to one person on one channel: what makes sending it once."""
    return {"PK": f"SENT#{key}", "SK": "SENT"}


# short-lived records, each kind with its own key: what runs once, rate limits, held photos, links
def once_key(flag: str) -> dict[str, str]:
    """A follow-up or a reply that must run once (a Slack lazy listener, an SMS reply sent by us)."""
    return {"PK": f"ONCE#{flag}", "SK": "ONCE"}


def repeat_key(key: str) -> dict[str, str]:
    """An equal change committed moments ago (RepeatGuard: a resent expense, a double click)."""
    return {"PK": f"REPEAT#{key}", "SK": "REPEAT"}


def budget_alert_guard(org_id: str, category: str, month: str, level: int) -> str:
    """What a budget alert's RepeatGuard claims (as `repeat_key`): one alert per org, category,
    month (`2026-11`) and threshold (80, 100), however often or concurrently it is computed."""
    return f"budget:{org_id}:{category}:{month}:{level}"


def rate_limit_key(name: str) -> dict[str, str]:
    return {"PK": f"RATE#{name}", "SK": "RATE"}


def sms_stop_key(phone: str) -> dict[str, str]:
    """A number that is nobody's worker texted STOP: we never text it unasked."""
    return {"PK": f"SMSSTOP#{phone}", "SK": "SMSSTOP"}


def held_receipt_key(worker_id: str) -> dict[str, str]:
    return {"PK": f"WORKER#{worker_id}", "SK": "HELDRECEIPT"}


def upload_offer_key(delivery_key: str) -> dict[str, str]:
    return {"PK": f"UPLOADOFFER#{delivery_key}", "SK": "UPLOADOFFER"}


def upload_link_key(token: str) -> dict[str, str]:
    return {"PK": f"UPLOAD#{token}", "SK": "UPLOAD"}
