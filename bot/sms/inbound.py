"""The SMS conversation, whatever the provider: one inbound text, maybe with photos -> one reply text.

Both doors (Twilio webhook, SNS two-way SMS) translate their event into an `Inbound` and call
`reply_to`. Everything SMS-specific that is not the provider's envelope lives here:

- Known number: the text goes through the shared grammar and `dispatch.handle`, with the
  provider's message id as the delivery id, so a redelivery has one effect and the same reply.
- Unknown number: one "not registered" reply per 24 h per number and nothing else written,
  except `JOIN <code>` from the invited phone, which links it (five wrong codes void the invite).
- Expenses: the same expense texted again within 10 minutes (a resend after a lost answer) is
  answered "Already logged", not stored twice.
- Photos: kept in the receipts bucket and linked to the expense in the caption, or held for
  30 minutes for the worker's next expense. Every file is checked before any is stored.
- STOP/START: recorded on the worker. Twilio confirms them itself, so its replies are empty;
  the Spanish opt-out words (ALTO, PARAR, CANCELAR, BAJA) Twilio does not know, so we confirm those.
- Language: replies are in the worker's; a worker who never chose one reads the language of
  their first Spanish keyword, and that reply says how to switch back.
- AWS (no MMS): an expense reply offers a one-time upload link instead.

Replies are rendered by `core.replies` in the worker's zone: plain GSM-7, one segment (help two).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aws_lambda_powertools import Logger

from bot import metrics as door_metrics
from bot.sms.media import MediaRef, MediaRefused, Refusal, receipt_key
from bot.sms.uploads import offer_upload
from bot.sms.wiring import Door, Provider
from core import commands as c
from core.catalogue import phrase, say
from core.domain.model import Channel, Org, Worker
from core.domain.phone import normalize_phone
from core.domain.transitions import Origin
from core.grammar import NOTE_MAX, SPANISH_OPT_OUT, language_of, parse
from core.ports import HeldReceipt, Outcome
from core.replies import SMS_SEGMENT, Style, plain, render
from core.services import deliveries, enrollment, expenses
from core.services.dispatch import handle
from core.services.language import adopt_spoken

logger = Logger(child=True)

NO_REPLY = ""
UNKNOWN_REPLY_EVERY = timedelta(hours=24)
RECEIPT_HOLD = timedelta(minutes=30)
STRANGER_STOP_HOLD = timedelta(days=400)  # a stranger's STOP silences even the "not registered" text
# A text carries a new id each time it is sent: the same expense texted again within this window
# is the same expense (core/services/expenses.py).
EXPENSE_REPEAT_WINDOW = expenses.REPEAT_WINDOW

# Replies the core has no outcome for: they concern the door's own work (media, links). Their
# words are the catalogue's (core/catalogue/en.py, MESSAGES and the `sms.*` words).
MEDIA_REFUSED = {
    Refusal.TOO_BIG: "media_too_big",
    Refusal.WRONG_TYPE: "media_wrong_type",
    Refusal.TOO_MANY: "media_too_many",
    Refusal.UNAVAILABLE: "media_unavailable",
}
HELP_LIMIT = 2 * 153
_NO_ZONE = ZoneInfo("UTC")  # replies to strangers and apologies carry no times


@dataclass(frozen=True)
class Inbound:
    """One text as the provider delivered it."""

    phone: str  # the sender, E.164
    text: str
    delivery_id: str  # Twilio MessageSid / AWS inboundMessageId: the idempotency key
    media: tuple[MediaRef, ...] = ()
    sent_at: datetime | None = None  # the provider's own timestamp, when it gives one
    to: str | None = None  # our number the worker texted: replies and notices go out from it
    keyword: str | None = None  # the provider's reading of an opt-out keyword (Twilio `OptOutType`)


def reply_to(msg: Inbound, door: Door) -> str:
    """Handle one inbound text; the reply to send back ("" for none). Never raises."""
    try:
        return _reply(msg, door)
    except Exception:  # ours, not the user's: a short apology, the details in the log
        logger.exception("sms not handled", extra={"delivery_id": msg.delivery_id})
        door_metrics.failed()
        return render(Outcome("error", ok=False), Style.SMS, _NO_ZONE)


def _reply(msg: Inbound, door: Door) -> str:
    phone = normalize_phone(msg.phone)
    if phone is None:  # short codes and alphanumeric senders: nobody to answer
        logger.info("sms from a non-phone sender ignored", extra={"delivery_id": msg.delivery_id})
        return NO_REPLY
    command = _command(msg)
    store = door.ports.store
    worker = store.find_worker_by_phone(phone)
    if worker is None:
        return _Stranger(msg, phone, door).reply(command)
    if not worker.active:  # records kept, access not: treated like a stranger, but STOP still counts
        return _Stranger(msg, phone, door).deactivated(worker, command)
    org = store.get_org(worker.org_id)
    if org is None:
        raise LookupError(f"worker {worker.worker_id} belongs to no org")
    return _Conversation(msg, worker, org, door).reply(command)


def _command(msg: Inbound) -> c.Command | None:
    """What the text asks for; None for a photo without words."""
    keyword = (msg.keyword or "").strip().upper()
    if keyword == "STOP":  # the provider recognised an opt-out word, possibly one the grammar does not know
        return c.OptOut(keyword=keyword)
    if keyword == "START":
        return c.OptIn(keyword=keyword)
    if msg.media and not msg.text.strip():
        return None
    return parse(msg.text)


def _fits(text: str, limit: int = SMS_SEGMENT) -> bool:
    return len(text) <= limit and plain(text) == text


class _Conversation:
    """A text from a registered worker."""

    def __init__(self, msg: Inbound, worker: Worker, org: Org, door: Door) -> None:
        self.msg, self.worker, self.org, self.door = msg, worker, org, door
        self.ports = door.ports
        self.store = door.ports.store
        self.now = door.ports.clock.now()
        self.origin = Origin(Channel.SMS, delivery_id=msg.delivery_id, sent_at=msg.sent_at)
        self.receipt_kept = False
        self.switched = False  # the worker's language was just taken from this text

    def reply(self, command: c.Command | None) -> str:
        if not isinstance(command, c.SetLanguage):
            self.worker, self.switched = adopt_spoken(self.worker, language_of(self.msg.text), self.ports)
        try:
            outcome = self._outcome(command)
        except MediaRefused as refused:
            logger.info("media refused", extra={"delivery_id": self.msg.delivery_id, "why": refused.why.value})
            door_metrics.counted(MEDIA_REFUSED[refused.why], ok=False)
            return NO_REPLY if self.worker.sms_opted_out else say(MEDIA_REFUSED[refused.why], Style.SMS, self.language)
        logger.info(
            "sms handled",
            extra={"delivery_id": self.msg.delivery_id, "worker_id": self.worker.worker_id, "outcome": outcome.code},
        )
        door_metrics.answered(outcome)
        return self._words(command, outcome)

    # -- what happens ---------------------------------------------------------

    def _outcome(self, command: c.Command | None) -> Outcome:
        if self.msg.media:
            return self._with_photos(command)
        if isinstance(command, c.LogExpense):
            return self._expense(command)
        if isinstance(command, c.Join):
            replay = deliveries.stored_answer(self.origin, self.ports)
            if replay is not None:  # the JOIN that linked this phone, delivered again
                return replay
        assert command is not None  # only a photo comes without words
        return handle(command, self.worker, self.org, self.origin, self.ports)

    def _with_photos(self, command: c.Command | None) -> Outcome:
        if self.door.media is None or self.door.receipts is None:
            raise MediaRefused(Refusal.UNAVAILABLE)
        photos = self.door.media.fetch_all(self.msg.media)  # all checked before any is kept
        keys = [
            receipt_key(self.worker.org_id, self.worker.worker_id, f"{self.msg.delivery_id}-{i}", photo.extension)
            for i, photo in enumerate(photos)
        ]
        for key, photo in zip(keys, photos, strict=True):
            self.door.receipts.put(key, photo)  # named by the message id: a redelivery overwrites, never adds
        # Several photos of one receipt share the message id in their keys; the expense links the first.
        receipt = keys[0]
        if isinstance(command, c.LogExpense):
            outcome = self._log(command, receipt)
            if not outcome.ok:
                self._hold(receipt, caption=None)  # a corrected EXP within 30 minutes still gets it
            return outcome
        if command is None or isinstance(command, c.Unknown):
            self._hold(receipt, caption=self.msg.text.strip() or None)  # the words become the expense's note
            return Outcome("receipt_waiting")
        outcome = handle(command, self.worker, self.org, self.origin, self.ports)
        self._hold(receipt, caption=None)
        self.receipt_kept = True
        return outcome

    def _hold(self, key: str, caption: str | None) -> None:
        """Keep a photo for this worker's next expense; the newest photo wins. Once per message:
        delivered again after an expense took the photo, it is not held for another one."""
        held = HeldReceipt(key, self.msg.delivery_id, caption)
        self.store.hold_receipt(self.worker.worker_id, held, self.now, self.now + RECEIPT_HOLD)

    def _expense(self, command: c.LogExpense) -> Outcome:
        held = self.store.held_receipt(self.worker.worker_id, self.now)
        if held is None:
            return self._log(command)
        replay = deliveries.stored_answer(self.origin, self.ports)
        if replay is not None:  # this EXP was handled already; the photo now waiting is a newer one
            return replay
        note = " ".join(part for part in (command.note, held.caption) if part)[:NOTE_MAX] or None
        outcome = self._log(replace(command, note=note), held.key)
        # A repeat of an expense logged with this photo (its answer was lost): the photo is spent too.
        if outcome.ok or (outcome.code == "expense_repeated" and outcome.data.get("receipt")):
            taken = self.store.take_receipt(self.worker.worker_id, self.now)
            if taken is not None and taken.key != held.key:  # a newer photo came meanwhile: keep it
                until = self.now + RECEIPT_HOLD
                self.store.hold_receipt(self.worker.worker_id, taken, self.now, until, first_time=False)
        return outcome

    def _log(self, command: c.LogExpense, receipt_key: str | None = None) -> Outcome:
        return expenses.log_expense(
            command,
            self.worker,
            self.org,
            self.origin,
            self.ports,
            receipt_key=receipt_key,
            repeat_window=EXPENSE_REPEAT_WINDOW,
        )

    # -- what we say ----------------------------------------------------------

    def _words(self, command: c.Command | None, outcome: Outcome) -> str:
        if isinstance(command, c.OptOut | c.OptIn):
            # Twilio answers STOP and START itself on long codes (and a reply after STOP would bounce).
            # Said in the language the word was in, without the way back: it would invite another text.
            return NO_REPLY if _carrier_confirms(command, self.door) else self._say(outcome, hint=False)
        if self.worker.sms_opted_out:  # recorded, but no texts until START
            return NO_REPLY
        text = self._say(outcome)
        if outcome.code == "help" and self.org.manager_emails:
            contact = " " + phrase(
                "sms.help_contact", self.language, channel=Style.SMS, contact=self.org.manager_emails[0]
            )
            return text + contact if _fits(text + contact, HELP_LIMIT) else text
        if outcome.code == "expense_logged" and not outcome.data.get("receipt") and self._offers_links:
            return self._with_upload_link(text, outcome)
        if self.receipt_kept and _fits(kept := f"{text} {say('receipt_kept', Style.SMS, self.language)}"):
            return kept
        return text

    def _say(self, outcome: Outcome, hint: bool = True) -> str:
        return render(outcome, Style.SMS, self.worker.zone(self.org), self.language, hint and self.switched)

    @property
    def language(self) -> str:
        return self.worker.speaks

    @property
    def _offers_links(self) -> bool:
        return self.door.provider is Provider.AWS and bool(self.door.public_base_url)

    def _with_upload_link(self, text: str, logged: Outcome) -> str:
        key = self.origin.delivery_key
        link = offer_upload(self.store, self.now, self.door.public_base_url, self.worker, logged, key) if key else None
        if link is None:
            return text
        offers = ("sms.upload_offer", "sms.upload_offer_short")
        for candidate in (phrase(offer, self.language, channel=Style.SMS, reply=text, link=link) for offer in offers):
            if _fits(candidate):
                return candidate
        logger.warning("upload link does not fit one segment; PUBLIC_BASE_URL is too long")
        return text


class _Stranger:
    """A text from a number no active worker has: JOIN, STOP, or one short reply a day."""

    def __init__(self, msg: Inbound, phone: str, door: Door) -> None:
        self.msg, self.phone, self.door = msg, phone, door
        self.ports = door.ports
        self.store = door.ports.store
        self.now = door.ports.clock.now()
        self.daily_text = f"stranger-reply:{phone}"  # we texted this number in the last 24 h
        self.language = language_of(msg.text) or "en"  # nobody chose one: the text's own

    def reply(self, command: c.Command | None) -> str:
        if isinstance(command, c.Join):
            return self._join(command.code)
        if isinstance(command, c.OptOut):
            self.store.record_sms_stop(self.phone, self.now, self.now + STRANGER_STOP_HOLD)
            # Twilio confirms STOP itself; on AWS (self-managed opt-outs) we do, within the daily text.
            return NO_REPLY if _carrier_confirms(command, self.door) else self._once(Outcome("opted_out"), True)
        if isinstance(command, c.OptIn):
            self.store.clear_sms_stop(self.phone)
        return self._once(Outcome("not_registered", ok=False))

    def deactivated(self, worker: Worker, command: c.Command | None) -> str:
        if isinstance(command, c.OptOut | c.OptIn):
            outcome = enrollment.set_sms_opt_out(worker, isinstance(command, c.OptOut), self.ports)
            return NO_REPLY if _carrier_confirms(command, self.door) else _plain_say(outcome, worker.speaks)
        return self._once(Outcome("deactivated", ok=False))

    def _join(self, code: str) -> str:
        origin = Origin(Channel.SMS, delivery_id=self.msg.delivery_id)
        outcome, worker = enrollment.join(code, self.phone, origin, self.ports)
        if worker is None:
            logger.info("join refused", extra={"delivery_id": self.msg.delivery_id, "outcome": outcome.code})
            return self._once(outcome)  # failed codes share the daily text: no free texts by guessing
        logger.info("phone joined", extra={"delivery_id": self.msg.delivery_id, "worker_id": worker.worker_id})
        door_metrics.answered(outcome)
        return _plain_say(outcome, worker.speaks)

    def _once(self, outcome: Outcome, confirms_stop: bool = False) -> str:
        """At most one text per number per 24 h, none after its STOP but the confirmation.

        Replying to every text from anyone costs money and invites SMS pumping; STOP and START in
        turns must not become a way round that either.
        """
        door_metrics.answered(outcome)
        sid, until = self.msg.delivery_id, self.now + UNKNOWN_REPLY_EVERY
        if self.store.claim_rate_limit(self.daily_text, sid, self.now, until):
            if not confirms_stop and self._has_stopped():
                self.store.release_rate_limit(self.daily_text)  # nothing sent: today's text is still unused
                return NO_REPLY
            return _plain_say(outcome, self.language)
        if self.store.rate_limit_holder(self.daily_text, self.now) == sid:  # the text we answered, again
            return _plain_say(outcome, self.language)
        logger.info("stranger not answered", extra={"delivery_id": self.msg.delivery_id})
        return NO_REPLY

    def _has_stopped(self) -> bool:
        return self.store.sms_stopped(self.phone, self.now)


def _plain_say(outcome: Outcome, language: str) -> str:
    return render(outcome, Style.SMS, _NO_ZONE, language)


def _carrier_confirms(command: c.OptOut | c.OptIn, door: Door) -> bool:
    """Twilio answers its own opt-out and opt-in words on long codes (a reply after STOP would
    bounce); the Spanish ones it does not know, so we confirm those ourselves, as on AWS."""
    return door.provider is Provider.TWILIO and command.keyword.lower() not in SPANISH_OPT_OUT
