"""The embedded AWS: moto's server on loopback, holding the template's table, bucket and topic,
and SES with the template's sender identity verified."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from infra.local.http import LOOPBACK
from infra.template import table_definition, ttl_attribute

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
STACK_NAME = "punchclock-local"

# Credentials moto accepts; set for this process so nothing here can reach a real AWS account.
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
AWS_ENV_DROPPED = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE")


@dataclass(frozen=True)
class Resources:
    """Physical names of what the template declares, as a deployed stack would have them."""

    table: str = f"{STACK_NAME}-table"
    bucket: str = f"{STACK_NAME}-receipts"
    topic_name: str = f"{STACK_NAME}-inbound-sms"

    @property
    def topic_arn(self) -> str:
        return f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:{self.topic_name}"


class Emulator:
    def __init__(self, port: int = 0) -> None:
        from moto.server import ThreadedMotoServer  # deferred: importing moto costs about a second

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per emulated AWS call
        self._server = ThreadedMotoServer(ip_address=LOOPBACK, port=port, verbose=False)
        self.resources = Resources()
        self.url = ""

    def start(self) -> None:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        for name in AWS_ENV_DROPPED:
            os.environ.pop(name, None)
        os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=self.url)

    def stop(self) -> None:
        self._server.stop()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.url, region_name=REGION)  # type: ignore[call-overload]

    def create_resources(self) -> None:
        """Create the table (with its GSIs and TTL), the receipts bucket and the inbound SMS topic."""
        ddb = self.client("dynamodb")
        ddb.create_table(**table_definition(self.resources.table))
        ddb.update_time_to_live(
            TableName=self.resources.table,
            TimeToLiveSpecification={"AttributeName": ttl_attribute(), "Enabled": True},
        )
        s3 = self.client("s3")
        s3.create_bucket(Bucket=self.resources.bucket)
        s3.put_public_access_block(
            Bucket=self.resources.bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        self.client("sns").create_topic(Name=self.resources.topic_name)

    def verify_sender(self, address: str) -> None:
        """SES sends only from verified identities, in moto as in the cloud."""
        self.client("sesv2").create_email_identity(EmailIdentity=address)


def keep_stream_records_across_rollbacks() -> None:
    """Make moto's cancelled transactions leave its table streams as DynamoDB's would: going forward.

    moto applies a transaction's writes one by one, streaming each, and when a condition cancels
    it restores a copy of the whole table, stream included: the stream's sequence numbers go back
    and the next writes reuse them, so a reader already past them never sees those writes (a
    notice lost). Here the stream kept through the rollback is the live one: numbers only grow,
    and the cancelled writes stay in it as records of items that are not in the table, which the
    notice pump drops (infra/local/streams.py). Idempotent; only the emulator is changed.
    """
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, "keeps_streams", False):
        return

    def transact_write_items(self: Any, *args: Any, **kwargs: Any) -> Any:
        live = {name: table.stream_shard for name, table in self.tables.items()}
        try:
            return original(self, *args, **kwargs)
        except Exception:
            for name, shard in live.items():
                table = self.tables.get(name)
                if table is not None and shard is not None and table.stream_shard is not shard:
                    shard.table = table
                    table.stream_shard = shard
            raise

    transact_write_items.keeps_streams = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
