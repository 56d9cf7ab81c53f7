"""AWS End User Messaging two-way SMS: inbound texts arrive on an SNS topic that invokes this function.

The SNS record is parsed with Powertools' SNS models, extended so that `Message` is the two-way
SMS JSON (`SnsEnvelope` alone would drop the record's `Timestamp`, the only provider time we get).
Replies go out through the SmsSender from the number the worker texted. SNS invokes Lambda
asynchronously, and such invocations may run twice: the core makes the second one harmless, and a
marker per inbound message makes sure the reply is sent once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser import BaseModel, ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import SnsModel, SnsNotificationModel, SnsRecordModel
from pydantic import ConfigDict, Json

from bot.metrics import metrics, reply_sent
from bot.sms import inbound, wiring
from core.services import deliveries

REPLY_GUARD = timedelta(days=3)  # as long as the store keeps delivery records

logger = Logger()


class TwoWaySms(BaseModel):
    """The JSON AWS publishes for an inbound text. Two-way SMS carries no media."""

    model_config = ConfigDict(extra="ignore")

    originationNumber: str  # the sender
    destinationNumber: str  # our number
    messageBody: str = ""
    inboundMessageId: str
    messageKeyword: str | None = None
    previousPublishedMessageId: str | None = None


class TwoWaySmsNotification(SnsNotificationModel):
    Message: Json[TwoWaySms]  # type: ignore[assignment]


class TwoWaySmsRecord(SnsRecordModel):
    Sns: TwoWaySmsNotification


class TwoWaySmsEvent(SnsModel):
    Records: list[TwoWaySmsRecord]  # type: ignore[assignment]


def _send_once(msg: inbound.Inbound, reply: str, door: wiring.Door) -> None:
    work = f"sms-reply:{msg.delivery_id}"
    if not deliveries.once(work, door.ports, REPLY_GUARD):
        logger.info("reply already sent for this message")
        return
    sender = door.replies(msg.to)
    if sender is None:
        logger.error("no SMS sender configured; reply dropped")
        return
    try:
        sender.send(msg.phone, reply)
    except Exception:
        deliveries.undo_once(work, door.ports)  # let Lambda's retry send it; the handling itself is idempotent
        raise
    reply_sent()


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    try:
        parsed = parse(event=event, model=TwoWaySmsEvent)
    except ValidationError as err:
        # The error's text would quote the message (a phone number, what was typed): log only where it failed.
        problems = [{"loc": e["loc"], "type": e["type"]} for e in err.errors(include_input=False)]
        logger.error("not a two-way SMS event; dropped", extra={"problems": problems})  # a retry fails the same way
        return {"handled": 0}
    door = wiring.door(wiring.Provider.AWS)
    for record in parsed.Records:
        sms = record.Sns.Message
        logger.append_keys(delivery_id=sms.inboundMessageId)
        msg = inbound.Inbound(
            phone=sms.originationNumber,
            text=sms.messageBody,
            delivery_id=sms.inboundMessageId,
            sent_at=record.Sns.Timestamp,
            to=sms.destinationNumber,
        )
        reply = inbound.reply_to(msg, door)
        if reply:
            _send_once(msg, reply, door)
    return {"handled": len(parsed.Records)}
