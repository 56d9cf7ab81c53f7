"""Lambda entry for notices (infra/template.yaml: notifications.notify_handler.handler).

The table's stream brings every notice item the doors and jobs committed with their changes (the
event source's filter lets only inserted notices through). Each record is delivered by
`notifications.notices.deliver`; Powertools' batch processor reports the records that failed
(`batchItemFailures`), so Lambda retries those alone and, after its retries, sends them to the
dead-letter queue, where an alarm waits. `make run` and the tests call this handler with the same
event shape from a local stream poller (infra/local/streams.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from core import bootstrap
from core.store.items import notice_from_item
from notifications.notices import NoticeNotDelivered, deliver
from notifications.senders import Senders, senders_for

logger = Logger()
metrics = Metrics(namespace="Punchclock")  # the template sets the same (POWERTOOLS_METRICS_NAMESPACE)
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@cache
def _senders() -> Senders:
    return senders_for(bootstrap.settings(), bootstrap.ports())


def reset() -> None:
    """Forget the container's senders (tests, after changing the environment)."""
    _senders.cache_clear()


def _record(record: DynamoDBRecord) -> None:
    image = record.dynamodb.new_image if record.dynamodb else None
    if not image or image.get("type") != "notice":
        return  # the event source's filter should have kept it away; nothing to do
    notice = notice_from_item(image)
    logger.append_keys(notice_id=notice.notice_id, notice_kind=notice.kind.value)
    try:
        sent = deliver(notice, bootstrap.ports(), _senders())
    except NoticeNotDelivered:
        metrics.add_metric(name="NoticesFailed", unit=MetricUnit.Count, value=1)
        raise
    metrics.add_metric(name="NoticeMessagesSent", unit=MetricUnit.Count, value=sent)
    metrics.add_metric(name="NoticesDelivered", unit=MetricUnit.Count, value=1)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # {"batchItemFailures": [{"itemIdentifier": <sequence number>}, ...]}: what Lambda retries
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
