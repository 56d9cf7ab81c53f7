"""Build the store once per container (Lambda reuses it across invocations)."""

from __future__ import annotations

import os
from functools import cache

from core.store.dynamodb import DynamoStore


@cache
def dynamodb_client():  # type: ignore[no-untyped-def]
    import boto3  # deferred: only handlers that touch DynamoDB pay for it

    # AWS_ENDPOINT_URL (honoured by boto3 itself) points this at moto locally and in tests.
    return boto3.client("dynamodb")


@cache
def default_store() -> DynamoStore:
    table = os.environ.get("TABLE_NAME")
    if not table:
        raise RuntimeError("TABLE_NAME is not set: the store does not know which table to use")
    return DynamoStore(dynamodb_client(), table)
