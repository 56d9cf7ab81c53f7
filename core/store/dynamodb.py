"""The DynamoDB implementation of the Store port: one table, two GSIs, no Scans.

Transitions are single TransactWriteItems calls whose conditions are the state
machine: the worker item must still carry the version we planned against, every
event key must be new, the delivery id must be unseen. When a condition fails,
DynamoDB hands back the current item (ReturnValuesOnConditionCheckFailure), so
a retry needs no extra read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from core.domain.model import Expense, ExpenseStatus, Org, PendingCorrection, Worker
from core.ports import (
    Change,
    Conflict,
    DuplicateDelivery,
    Invite,
    Outcome,
    RepeatedChange,
    RepeatGuard,
    StaleWorker,
    WorkerEvents,
)
from core.store import items as it
from core.store import keys

DELIVERY_TTL = timedelta(days=3)
WORKER_CACHE_SECONDS = 300.0  # profile staleness bound; state is guarded by the version check
CONFLICT_RETRIES = 3
ORG_CACHE_SECONDS = 60.0  # settings change rarely; a minute of staleness is fine

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_av(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items()}


def from_av(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in raw.items()}


class DynamoStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name
        self._workers: dict[str, tuple[Worker, float]] = {}
        self._ids: dict[str, str] = {}
        self._orgs: dict[str, tuple[Org, float]] = {}  # "slack:T:U" / "phone:+1..." -> worker id

    # -- low-level helpers ---------------------------------------------------

    def _get(self, key: dict[str, str], consistent: bool = True) -> dict[str, Any] | None:
        resp = self._db.get_item(TableName=self._table, Key=to_av(key), ConsistentRead=consistent)
        return from_av(resp["Item"]) if "Item" in resp else None

    def _query(
        self,
        pk_name: str,
        pk: str,
        sk_name: str | None = None,
        low: str | None = None,
        high: str | None = None,
        index: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every item of one partition (optionally a sort-key range), following pagination."""
        names = {"#pk": pk_name}
        values = {":pk": pk}
        condition = "#pk = :pk"
        if sk_name and low is not None and high is not None:
            condition += " AND #sk BETWEEN :lo AND :hi"
            names["#sk"] = sk_name
            values |= {":lo": low, ":hi": high}
        args: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_av(values),
        }
        if index:
            args["IndexName"] = index
        while True:
            resp = self._db.query(**args)
            for raw in resp.get("Items", []):
                yield from_av(raw)
            if "LastEvaluatedKey" not in resp:
                return
            args["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def _put(
        self,
        item: dict[str, Any],
        condition: str | None = None,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        action: dict[str, Any] = {"TableName": self._table, "Item": to_av(item)}
        if condition:
            action["ConditionExpression"] = condition
        if values:
            action["ExpressionAttributeValues"] = to_av(values)
        if names:
            action["ExpressionAttributeNames"] = names
        return action

    def _transact(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """Run a transaction; None on success, else the cancellation reasons (one per action).

        A `TransactionConflict` means another transaction was touching the same item at that
        moment (Slack and SMS at once): nothing was written, so we simply try again; the
        conditions then see the other write and fail cleanly if they must.
        """
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._db.transact_write_items(TransactItems=actions)
                return None
            except ClientError as err:
                if err.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons: list[dict[str, Any]] = [dict(r) for r in err.response.get("CancellationReasons") or []]
                conflicted = any(r.get("Code") == "TransactionConflict" for r in reasons)
                failed_condition = any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
                if conflicted and not failed_condition and attempt < CONFLICT_RETRIES:
                    time.sleep(0.01 * (attempt + 1))
                    continue
                return reasons or [{} for _ in actions]
        return None  # unreachable

    def _remember(self, worker: Worker) -> Worker:
        self._workers[worker.worker_id] = (worker, time.monotonic())
        return worker

    def forget_cache(self) -> None:
        self._orgs.clear()
        self._workers.clear()
        self._ids.clear()

    # -- organisations -------------------------------------------------------

    def get_org(self, org_id: str) -> Org | None:
        cached = self._orgs.get(org_id)
        if cached and time.monotonic() - cached[1] < ORG_CACHE_SECONDS:
            return cached[0]
        item = self._get(keys.org_key(org_id))
        if not item:
            return None
        org = it.org_from_item(item)
        self._orgs[org_id] = (org, time.monotonic())
        return org

    def save_org(self, org: Org) -> Org:
        """Create (version 0) or update an organisation; its Slack team link is unique across orgs."""
        saved = Org(**{**org.__dict__, "version": org.version + 1})
        cond = "attribute_not_exists(PK)" if org.version == 0 else "version = :v"
        values = None if org.version == 0 else {":v": org.version}
        actions: list[dict[str, Any]] = [{"Put": self._put(it.org_to_item(saved), cond, values)}]
        stored = self._get(keys.org_key(org.org_id)) if org.version else None
        previous = it.org_from_item(stored) if stored else None
        old_team = previous.slack_team_id if previous else None
        if org.slack_team_id and org.slack_team_id != old_team:
            link = {**keys.slack_team_key(org.slack_team_id), "type": "link", "org_id": org.org_id}
            actions.append({"Put": self._put(link, "attribute_not_exists(PK) OR org_id = :o", {":o": org.org_id})})
        if old_team and old_team != org.slack_team_id:
            actions.append({"Delete": {"TableName": self._table, "Key": to_av(keys.slack_team_key(old_team))}})
        if self._transact(actions):
            raise Conflict("organisation changed meanwhile, or its Slack team is linked to another organisation")
        self._orgs[saved.org_id] = (saved, time.monotonic())
        return saved

    def find_org_by_slack_team(self, team_id: str) -> Org | None:
        link = self._get(keys.slack_team_key(team_id))
        return self.get_org(link["org_id"]) if link else None

    def list_orgs(self) -> list[Org]:
        return [it.org_from_item(i) for i in self._query("GSI1PK", keys.ORGS_INDEX_PK, index="GSI1")]

    # -- workers -------------------------------------------------------------

    def get_worker(self, worker_id: str, *, fresh: bool = False) -> Worker | None:
        cached = self._workers.get(worker_id)
        if cached and not fresh and time.monotonic() - cached[1] < WORKER_CACHE_SECONDS:
            return cached[0]
        item = self._get(keys.worker_key(worker_id))
        if not item:
            self._workers.pop(worker_id, None)
            return None
        return self._remember(it.worker_from_item(item))

    def _find_by_lookup(self, cache_key: str, lookup: dict[str, str]) -> Worker | None:
        worker_id = self._ids.get(cache_key)
        if worker_id is None:
            item = self._get(lookup)
            if not item:
                return None
            worker_id = item["worker_id"]
            self._ids[cache_key] = worker_id
        return self.get_worker(worker_id)

    def find_worker_by_slack(self, team_id: str, user_id: str) -> Worker | None:
        worker = self._find_by_lookup(f"slack:{team_id}:{user_id}", keys.slack_user_key(team_id, user_id))
        if worker and (worker.slack_team_id, worker.slack_user_id) != (team_id, user_id):
            self._ids.pop(f"slack:{team_id}:{user_id}", None)  # unlinked since we cached it
            return None
        return worker

    def find_worker_by_phone(self, phone: str) -> Worker | None:
        worker = self._find_by_lookup(f"phone:{phone}", keys.phone_key(phone))
        if worker and worker.phone != phone:
            self._ids.pop(f"phone:{phone}", None)
            return None
        return worker

    def list_workers(self, org_id: str) -> list[Worker]:
        return [it.worker_from_item(i) for i in self._query("GSI1PK", keys.org_workers_pk(org_id), index="GSI1")]

    def _lookup_actions(self, old: Worker | None, new: Worker) -> list[dict[str, Any]]:
        """Uniqueness of phone and Slack id: one lookup item each, claimed with a condition."""
        actions: list[dict[str, Any]] = []
        pairs = [
            (old.phone if old else None, new.phone, keys.phone_key),
            (
                (old.slack_team_id, old.slack_user_id) if old and old.slack_user_id else None,
                (new.slack_team_id, new.slack_user_id) if new.slack_user_id else None,
                lambda ids: keys.slack_user_key(*ids),
            ),
        ]
        for before, after, make_key in pairs:
            if before == after:
                continue
            if before:
                actions.append({"Delete": {"TableName": self._table, "Key": to_av(make_key(before))}})
            if after:
                lookup = {**make_key(after), "type": "lookup", "worker_id": new.worker_id}
                actions.append({"Put": self._put(lookup, "attribute_not_exists(PK)")})
        return actions

    def add_worker(self, worker: Worker) -> Worker:
        saved = Worker(**{**worker.__dict__, "version": 1})
        actions = [{"Put": self._put(it.worker_to_item(saved), "attribute_not_exists(PK)")}]
        actions += self._lookup_actions(None, saved)
        if self._transact(actions):
            raise Conflict("that phone number or Slack user already belongs to a worker")
        return self._remember(saved)

    def update_worker(self, worker: Worker, expected_version: int) -> Worker:
        old = self.get_worker(worker.worker_id, fresh=True)
        if old is None or old.version != expected_version:
            raise StaleWorker(old)
        saved = Worker(**{**worker.__dict__, "state": old.state, "version": expected_version + 1})
        actions = [{"Put": self._put(it.worker_to_item(saved), "version = :v", {":v": expected_version})}]
        actions += self._lookup_actions(old, saved)
        reasons = self._transact(actions)
        if reasons:
            if reasons[0].get("Code") == "ConditionalCheckFailed":
                raise StaleWorker(self.get_worker(worker.worker_id, fresh=True))
            raise Conflict("that phone number or Slack user already belongs to a worker")
        return self._remember(saved)

    # -- the state machine ---------------------------------------------------

    def commit(self, change: Change, delivery: tuple[str, Outcome] | None = None) -> Worker | None:
        actions: list[dict[str, Any]] = []
        worker_at = delivery_at = None
        if change.worker is not None:
            new_worker = Worker(**{**change.worker.__dict__, "version": (change.expected_version or 0) + 1})
            put = self._put(it.worker_to_item(new_worker), "version = :v", {":v": change.expected_version})
            put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
            worker_at = len(actions)
            actions.append({"Put": put})
        for punch in change.punches:
            actions.append({"Put": self._put(it.punch_to_item(punch), "attribute_not_exists(PK)")})
        for pending in change.opened:
            actions.append({"Put": self._put(it.pending_to_item(pending), "attribute_not_exists(PK)")})
        if change.decision is not None and change.closed is not None:
            decision_item = it.decision_to_item(change.decision, change.closed.claimed_at)
            actions.append({"Put": self._put(decision_item, "attribute_not_exists(PK)")})
            closed_key = keys.pending_key(change.closed.org_id, change.closed.recorded_at, change.closed.event_id)
            actions.append(
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": to_av(closed_key),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                }
            )
        if change.expense is not None:
            actions.append({"Put": self._put(it.expense_to_item(change.expense), "attribute_not_exists(PK)")})
        if change.invite is not None:
            actions.append({"Put": self._put(it.invite_to_item(change.invite), "attribute_not_exists(PK)")})
        if change.by_active_worker is not None and change.worker is None:
            worker_at = len(actions)
            actions.append({"ConditionCheck": self._still_active(change.by_active_worker)})
        if delivery is not None:
            delivery_at = len(actions)
            actions.append({"Put": self._delivery_put(*delivery)})
        repeat_at = len(actions) if change.unless_repeat is not None else None
        if change.unless_repeat is not None:
            actions.append({"Put": self._repeat_put(change.unless_repeat)})
        reasons = self._transact(actions)
        if reasons is None:
            return self._remember(new_worker) if change.worker is not None else None
        self._raise_for(reasons, worker_at, delivery_at, repeat_at)
        return None  # unreachable: _raise_for always raises

    def _still_active(self, worker_id: str) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": to_av(keys.worker_key(worker_id)),
            "ConditionExpression": "#active = :yes",
            "ExpressionAttributeNames": {"#active": "active"},
            "ExpressionAttributeValues": to_av({":yes": True}),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _delivery_put(self, key: str, outcome: Outcome) -> dict[str, Any]:
        now = time.time()  # DynamoDB's TTL runs on real time, whatever the service clock says
        item = {
            **keys.delivery_key(key),
            "type": "delivery",
            "outcome": json.dumps(outcome.to_json(), separators=(",", ":")),
            keys.TTL_ATTRIBUTE: int(now + DELIVERY_TTL.total_seconds()),
        }
        put = self._put(
            item,
            f"attribute_not_exists(PK) OR {keys.TTL_ATTRIBUTE} < :now",
            {":now": int(now)},
        )
        put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return put

    def _repeat_put(self, guard: RepeatGuard) -> dict[str, Any]:
        """The guard is a marker, claimed if absent or expired (on the service clock, like markers)."""
        item = {
            **keys.marker_key(f"repeat:{guard.key}"),
            "type": "marker",
            "payload": json.dumps(guard.outcome.to_json(), separators=(",", ":")),
            keys.TTL_ATTRIBUTE: int(guard.until.timestamp()),
        }
        put = self._put(
            item, f"attribute_not_exists(PK) OR {keys.TTL_ATTRIBUTE} < :now", {":now": int(guard.now.timestamp())}
        )
        put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return put

    def _raise_for(
        self,
        reasons: list[dict[str, Any]],
        worker_at: int | None,
        delivery_at: int | None,
        repeat_at: int | None = None,
    ) -> None:
        def failed(index: int | None) -> dict[str, Any] | None:
            if index is None or index >= len(reasons):
                return None
            reason = reasons[index]
            return reason if reason.get("Code") == "ConditionalCheckFailed" else None

        if (dup := failed(delivery_at)) is not None and "Item" in dup:
            raise DuplicateDelivery(Outcome.from_json(json.loads(from_av(dup["Item"])["outcome"])))
        if (stale := failed(worker_at)) is not None:
            current = it.worker_from_item(from_av(stale["Item"])) if "Item" in stale else None
            if current is not None:
                self._remember(current)
            raise StaleWorker(current)
        if (repeat := failed(repeat_at)) is not None and "Item" in repeat:
            raise RepeatedChange(Outcome.from_json(json.loads(from_av(repeat["Item"])["payload"])))
        raise Conflict("the change conflicts with one already recorded")

    def get_delivery(self, key: str) -> Outcome | None:
        item = self._get(keys.delivery_key(key))
        if not item or int(item.get(keys.TTL_ATTRIBUTE, 0)) < time.time():
            return None  # TTL deletion lags by up to two days: expired items still read
        return Outcome.from_json(json.loads(item["outcome"]))

    def _events(self, found: Iterator[dict[str, Any]]) -> WorkerEvents:
        events = WorkerEvents([], [])
        for item in found:
            if item.get("type") == "punch":
                events.punches.append(it.punch_from_item(item))
            elif item.get("type") == "decision":
                events.decisions.append(it.decision_from_item(item))
        return events

    def worker_events(self, worker_id: str, start: datetime, end: datetime) -> WorkerEvents:
        low, high = keys.event_range(start, end)
        return self._events(self._query("PK", keys.worker_pk(worker_id), "SK", low, high))

    def org_events(self, org_id: str, start: datetime, end: datetime) -> WorkerEvents:
        low, high = keys.stamp(start), keys.stamp(end) + "~"
        return self._events(self._query("GSI1PK", keys.org_events_pk(org_id), "GSI1SK", low, high, "GSI1"))

    def open_workers(self, org_id: str) -> list[Worker]:
        found = self._query("GSI2PK", keys.org_open_pk(org_id), index="GSI2")
        return [it.worker_from_item(i) for i in found]

    def pending_corrections(self, org_id: str) -> list[PendingCorrection]:
        prefix = keys.PENDING_PREFIX
        found = self._query("PK", keys.org_key(org_id)["PK"], "SK", prefix, prefix + "~")
        return [it.pending_from_item(i) for i in found]

    # -- expenses ------------------------------------------------------------

    def worker_expenses(self, worker_id: str, start: date, end: date) -> list[Expense]:
        low, high = keys.expense_range(start, end)
        return [it.expense_from_item(i) for i in self._query("PK", keys.worker_pk(worker_id), "SK", low, high)]

    def org_expenses(self, org_id: str, start: date, end: date) -> list[Expense]:
        found = self._query(
            "GSI1PK", keys.org_expenses_pk(org_id), "GSI1SK", start.isoformat(), end.isoformat() + "~", "GSI1"
        )
        return [it.expense_from_item(i) for i in found]

    def _update_expense(
        self,
        updated: Expense,
        condition: str,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> Expense:
        try:
            self._db.put_item(**self._put(it.expense_to_item(updated), condition, values, names))
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("the expense changed meanwhile") from err
            raise
        return updated

    def set_expense_status(self, expense: Expense, status: ExpenseStatus, decided_by: str, at: datetime) -> Expense:
        updated = Expense(**{**expense.__dict__, "status": status})
        return self._update_expense(updated, "#s = :s", {":s": ExpenseStatus.SUBMITTED.value}, {"#s": "status"})

    def attach_receipt(self, expense: Expense, receipt_key: str) -> Expense:
        updated = Expense(**{**expense.__dict__, "receipt_key": receipt_key})
        return self._update_expense(updated, "attribute_exists(PK)")

    # -- enrollment ----------------------------------------------------------

    def put_invite(self, invite: Invite) -> None:
        try:
            self._db.put_item(**self._put(it.invite_to_item(invite), "attribute_not_exists(PK)"))
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("invite code already in use") from err
            raise

    def get_invite(self, code: str) -> Invite | None:
        item = self._get(keys.invite_key(code))
        return it.invite_from_item(item) if item else None

    def redeem_invite(self, invite: Invite, worker: Worker, existing: Worker | None) -> Worker:
        """Consume the invite and create (or give a phone to) the worker, all or nothing; single-use."""
        consume = {
            "Delete": {
                "TableName": self._table,
                "Key": to_av(keys.invite_key(invite.code)),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }
        if existing is None:
            saved = Worker(**{**worker.__dict__, "version": 1})
            actions = [consume, {"Put": self._put(it.worker_to_item(saved), "attribute_not_exists(PK)")}]
        else:
            saved = Worker(**{**worker.__dict__, "version": existing.version + 1})
            put = self._put(it.worker_to_item(saved), "version = :v", {":v": existing.version})
            actions = [consume, {"Put": put}]
        actions += self._lookup_actions(existing, saved)
        if self._transact(actions):
            raise Conflict("invite already used, or the phone belongs to another worker")
        return self._remember(saved)

    def invites_for_phone(self, phone: str) -> list[Invite]:
        return [it.invite_from_item(i) for i in self._query("GSI1PK", keys.phone_invites_pk(phone), index="GSI1")]

    def count_wrong_code(self, invite: Invite) -> int | None:
        """One more wrong code sent for this invite: the count so far, or None if it is gone."""
        try:
            resp = self._db.update_item(
                TableName=self._table,
                Key=to_av(keys.invite_key(invite.code)),
                UpdateExpression="ADD wrong_codes :one",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=to_av({":one": 1}),
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return int(from_av(resp["Attributes"])["wrong_codes"])

    def void_invite(self, invite: Invite) -> None:
        self._db.delete_item(TableName=self._table, Key=to_av(keys.invite_key(invite.code)))

    # -- markers -------------------------------------------------------------

    def claim_marker(
        self, key: str, expires_at: datetime, now: datetime, payload: dict[str, Any] | None = None
    ) -> bool:
        item = {
            **keys.marker_key(key),
            "type": "marker",
            "payload": json.dumps(payload or {}),
            keys.TTL_ATTRIBUTE: int(expires_at.timestamp()),
        }
        cond = f"attribute_not_exists(PK) OR {keys.TTL_ATTRIBUTE} < :now"
        try:
            self._db.put_item(**self._put(item, cond, {":now": int(now.timestamp())}))
            return True
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    def peek_marker(self, key: str, now: datetime) -> dict[str, Any] | None:
        item = self._get(keys.marker_key(key))
        if not item or int(item[keys.TTL_ATTRIBUTE]) < now.timestamp():
            return None
        return dict(json.loads(item["payload"]))

    def take_marker(self, key: str, now: datetime) -> dict[str, Any] | None:
        resp = self._db.delete_item(TableName=self._table, Key=to_av(keys.marker_key(key)), ReturnValues="ALL_OLD")
        item = from_av(resp["Attributes"]) if "Attributes" in resp else None
        if not item or int(item[keys.TTL_ATTRIBUTE]) < now.timestamp():
            return None
        return dict(json.loads(item["payload"]))
