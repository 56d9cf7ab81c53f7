"""Store access patterns not covered by the service tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.domain.model import Org, Worker
from core.ports import Change, Conflict, HeldReceipt, Invite, StaleWorker, UploadLink


def test_orgs_listed_and_found_by_slack_team(store, org):  # type: ignore[no-untyped-def]
    other = store.save_org(Org(org_id="beta", name="Beta"))
    assert sorted(o.org_id for o in store.list_orgs()) == ["acme", "beta"]
    assert store.find_org_by_slack_team("T0ACME").org_id == "acme"
    with pytest.raises(Conflict):  # a Slack team belongs to one organisation
        store.save_org(replace(other, slack_team_id="T0ACME"))
    moved = store.save_org(replace(store.get_org("acme"), slack_team_id="T0NEW"))
    assert moved.version == 2
    assert store.find_org_by_slack_team("T0ACME") is None
    assert store.find_org_by_slack_team("T0NEW").org_id == "acme"


def test_stale_org_update_refused(store, org):  # type: ignore[no-untyped-def]
    store.save_org(replace(org, name="First"))
    with pytest.raises(Conflict):
        store.save_org(replace(org, name="Second"))  # planned on version 1, now 2


def test_budgets_are_kept_on_the_org_and_saved_on_its_version_without_moving_its_jobs(store, org):  # type: ignore[no-untyped-def]
    # Given an org as stored before budgets existed: it reads as having none
    assert store.get_org("acme", fresh=True).budgets == ()
    jobs = store.org_jobs("acme")
    # When its budgets are saved
    saved = store.save_budgets(replace(org, budgets=(("fuel", Decimal("500")), ("parts", Decimal("1250.50")))))
    # Then they read back exactly, the org's version moved and its scheduled jobs did not
    again = store.get_org("acme", fresh=True)
    assert again.budgets == (("fuel", Decimal("500")), ("parts", Decimal("1250.50")))
    assert again.budget_for("parts") == Decimal("1250.50") and again.budget_for("meals") is None
    assert again.version == saved.version == org.version + 1
    assert store.org_jobs("acme") == jobs
    # And a save planned on the old version is refused
    with pytest.raises(Conflict):
        store.save_budgets(replace(org, budgets=()))
    assert store.get_org("acme", fresh=True).budgets == again.budgets


def test_phone_and_slack_ids_are_unique_and_move_with_updates(store, ana):  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        store.add_worker(Worker(worker_id="x", org_id="acme", name="X", phone=ana.phone))
    moved = store.update_worker(replace(ana, phone="+15550000002"), ana.version)
    assert store.find_worker_by_phone("+15550000002").worker_id == ana.worker_id
    assert store.find_worker_by_phone("+15550000001") is None
    store.add_worker(Worker(worker_id="y", org_id="acme", name="Y", phone="+15550000001"))  # freed
    with pytest.raises(StaleWorker):
        store.update_worker(replace(ana, name="Old"), ana.version)
    assert moved.version == ana.version + 1


def test_a_workers_language_is_kept_and_none_until_chosen(store, org, ana):  # type: ignore[no-untyped-def]
    # Given a worker nobody chose a language for, Then they read the default and may be switched
    assert store.get_worker("w-ana", fresh=True).language is None
    assert store.get_worker("w-ana", fresh=True).speaks == "en"
    # When one is chosen, Then every store keeps it, and finds the worker by phone with it
    store.update_worker(replace(ana, language="es"), ana.version)
    assert store.get_worker("w-ana", fresh=True).language == "es"
    assert store.find_worker_by_phone(ana.phone).speaks == "es"
    assert {w.worker_id: w.language for w in store.list_workers(org.org_id)}["w-ana"] == "es"


def test_invites_are_single_use(store, org, ana):  # type: ignore[no-untyped-def]
    exp = datetime(2026, 11, 18, tzinfo=UTC)
    store.commit(Change("acme", invite=Invite("123456", "acme", "+15550009999", "Cy", "w-mia", exp)))
    with pytest.raises(Conflict):  # a code is never handed out twice
        store.commit(Change("acme", invite=Invite("123456", "acme", "+15550008888", "Di", "w-mia", exp)))
    inv = store.get_invite("123456")
    worker = Worker(worker_id="cy", org_id="acme", name="Cy", phone=inv.phone)
    store.redeem_invite(inv, worker, None)
    with pytest.raises(Conflict):
        store.redeem_invite(inv, replace(worker, worker_id="cy2"), None)
    assert store.get_invite("123456") is None
    assert store.find_worker_by_phone("+15550009999").worker_id == "cy"


def test_short_lived_records_claim_once_until_they_expire(store):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    day = timedelta(hours=24)
    # a rate limit: one holder until it expires (expired but not yet TTL-deleted: claimable again)
    assert store.claim_rate_limit("stranger-reply:+1555", "SM1", now, now + day)
    assert not store.claim_rate_limit("stranger-reply:+1555", "SM2", now, now + day)
    assert store.rate_limit_holder("stranger-reply:+1555", now) == "SM1"
    later = now + timedelta(hours=25)
    assert store.claim_rate_limit("stranger-reply:+1555", "SM3", later, later + day)
    store.release_rate_limit("stranger-reply:+1555")
    assert store.rate_limit_holder("stranger-reply:+1555", later) is None
    # once flags
    assert store.claim_once("slack:ev1", now, now + day) and not store.claim_once("slack:ev1", now, now + day)
    store.release_once("slack:ev1")
    assert store.claim_once("slack:ev1", now, now + day)
    # a held photo: the newest wins, taken once
    store.hold_receipt("w", HeldReceipt("r/1.jpg", "SM1", None), now, now + timedelta(minutes=30))
    store.hold_receipt("w", HeldReceipt("r/2.jpg", "SM2", "fuel"), now, now + timedelta(minutes=30))
    assert store.held_receipt("w", now) == HeldReceipt("r/2.jpg", "SM2", "fuel")
    assert store.take_receipt("w", now) == HeldReceipt("r/2.jpg", "SM2", "fuel")
    assert store.take_receipt("w", now) is None
    store.hold_receipt("w", HeldReceipt("r/3.jpg", "SM3"), now - timedelta(hours=1), now - timedelta(minutes=1))
    assert store.held_receipt("w", now) is None  # expired
    # A message's photo is held once: delivered again after it was taken, it is not held again
    assert store.hold_receipt("w", HeldReceipt("r/4.jpg", "SM4"), now, now + timedelta(minutes=30))
    assert store.take_receipt("w", now) == HeldReceipt("r/4.jpg", "SM4")
    assert not store.hold_receipt("w", HeldReceipt("r/4.jpg", "SM4"), now, now + timedelta(minutes=30))
    assert store.held_receipt("w", now) is None
    # ... unless it is put back (taken by mistake)
    assert store.hold_receipt("w", HeldReceipt("r/4.jpg", "SM4"), now, now + timedelta(minutes=30), first_time=False)
    assert store.held_receipt("w", now) == HeldReceipt("r/4.jpg", "SM4")
    # a number that texted STOP
    assert not store.sms_stopped("+1777", now)
    store.record_sms_stop("+1777", now, now + day)
    assert store.sms_stopped("+1777", now)
    store.clear_sms_stop("+1777")
    assert not store.sms_stopped("+1777", now)


def test_an_upload_link_is_offered_once_per_message(store):  # type: ignore[no-untyped-def]
    from datetime import date

    now = datetime.now(UTC)
    link = UploadLink("A" * 16, "acme", "w", "x1", date(2026, 11, 16), "12.50", "USD", "fuel")
    assert store.offer_upload("sms:M1", link, now, now + timedelta(hours=24)) == link
    again = replace(link, token="B" * 16)
    assert store.offer_upload("sms:M1", again, now, now + timedelta(hours=24)) == link  # the same message: its link
    assert store.upload_link("B" * 16, now) is None  # nothing was written for the repeat
    assert store.upload_link("A" * 16, now) == link
    store.spend_upload_link("A" * 16)
    assert store.upload_link("A" * 16, now) is None
