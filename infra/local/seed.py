"""The demo organisation that `make run` starts with: a manager and three workers, on Slack and SMS.

Phone numbers are in 555-0100..0199, which North American numbering keeps for fiction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.domain.model import Org, Role, Worker
from core.ports import Store

ORG_ID = "demo"
SLACK_TEAM_ID = "T0DEMO"
SLACK_TEAM_DOMAIN = "punchclock-demo"
SLACK_APP_ID = "A0PUNCHCLOCK"
SLACK_BOT_USER_ID = "U0PUNCHBOT"
SMS_NUMBER = "+15555550100"  # the organisation's texting number (Twilio "To")
FALLBACK_TIMEZONE = "America/New_York"


@dataclass(frozen=True)
class DemoPerson:
    worker_id: str
    name: str
    phone: str
    slack_user_id: str
    role: Role = Role.WORKER
    slack_locale: str = "en-US"  # what Slack's users.info says when asked (include_locale)

    @property
    def email(self) -> str:
        return f"{self.name.split()[0].lower()}@demo.punchclock.test"


PEOPLE = (
    DemoPerson("w-mia", "Mia Manager", "+15555550110", "U0MIA", Role.MANAGER),
    DemoPerson("w-ana", "Ana Lopez", "+15555550111", "U0ANA"),
    DemoPerson("w-ben", "Ben Carter", "+15555550112", "U0BEN"),
    DemoPerson("w-chen", "Chen Wu", "+15555550113", "U0CHEN"),
)


def by_phone(phone: str) -> DemoPerson | None:
    return next((p for p in PEOPLE if p.phone == phone), None)


def by_slack_id(user_id: str) -> DemoPerson | None:
    return next((p for p in PEOPLE if p.slack_user_id == user_id), None)


def by_email(address: str) -> DemoPerson | None:
    return next((p for p in PEOPLE if p.email == address.lower()), None)


def local_timezone() -> str:
    """The machine's IANA zone, so the demo's replies read in the visitor's own time."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return FALLBACK_TIMEZONE


def seed_demo(store: Store, now: datetime | None = None) -> bool:
    """Create the demo organisation and its people unless it exists (its reports scheduled from
    `now`, the service clock's). True when created."""
    if store.get_org(ORG_ID) is not None:
        return False
    manager = PEOPLE[0]
    store.save_org(
        Org(
            org_id=ORG_ID,
            name="Demo Field Services",
            timezone=local_timezone(),
            manager_emails=(manager.email,),
            slack_team_id=SLACK_TEAM_ID,
            auto_enroll_slack=True,
        ),
        now,
    )
    for person in PEOPLE:
        store.add_worker(
            Worker(
                worker_id=person.worker_id,
                org_id=ORG_ID,
                name=person.name,
                role=person.role,
                phone=person.phone,
                slack_team_id=SLACK_TEAM_ID,
                slack_user_id=person.slack_user_id,
                email=person.email,
            )
        )
    return True
