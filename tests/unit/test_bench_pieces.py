"""`make bench`'s pieces at tiny sizes (no timings asserted): the cost model adds up, the SMS walk
covers the catalogue and counts segments as carriers bill them, DynamoDB units are sized as
DynamoDB sizes items, the meter counts calls, and the paged table pages at 1 MB."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from core.catalogue import LANGUAGES
from core.store.dynamodb import DynamoStore
from tests.bench.common import AwsMeter, capacity_units, item_size
from tests.bench.cost import PRICES, Usage, priced
from tests.bench.scaling import PAGE_BYTES, PagedTable
from tests.bench.sms import longest_messages, segments
from tests.unit.test_catalogue import SMS_CODES


def test_the_cost_model_adds_up() -> None:
    # Given a worker-month of usage, made of two halves
    half = Usage(
        lambda_invocations={"SlackFunction": 100.0},
        lambda_gb_seconds={"SlackFunction": 5.0},
        http_api_requests=100,
        ddb_read_units=300,
        ddb_write_units=1000,
        scheduler_invocations=10,
        ses_messages=2,
        s3_puts=4,
        sms_segments=50,
    )
    usage = half.plus(half)
    # When it is priced
    cost = priced(usage)
    # Then each line is its count times its price, and the total is their sum, SMS apart
    assert usage.ddb_write_units == 2000 and usage.lambda_invocations == {"SlackFunction": 200.0}
    assert cost["lines_usd"]["dynamodb_writes"] == pytest.approx(2000 * PRICES["ddb_write_request_unit"])
    assert cost["lines_usd"]["lambda_duration"] == pytest.approx(10 * PRICES["lambda_gb_second_arm64"])
    assert cost["total_usd"] == pytest.approx(sum(cost["lines_usd"].values()), abs=1e-6)
    assert cost["sms_usd_per_worker_month"]["segments"] == 100
    assert priced(half.scaled(2))["total_usd"] == cost["total_usd"]


def test_the_sms_walk_finds_every_catalogue_message_in_every_language() -> None:
    found = {(m["code"], m["language"]) for m in longest_messages(exhaustive=False)}
    assert found == {(code, language) for code in SMS_CODES for language in LANGUAGES}


def test_segments_are_counted_as_carriers_bill_them() -> None:
    assert segments("x" * 160) == 1
    assert segments("x" * 161) == 2  # 153 per part once split
    assert segments("x" * 306) == 2
    assert segments("{" * 80) == 1 and segments("{" * 81) == 2  # extension characters count twice
    assert segments("ok 🚧") == 1 and segments("é" * 10 + "ü" * 10) == 1
    assert segments("“" + "x" * 70) == 2  # one curly quote: UCS-2, 70 per segment


def test_item_sizes_and_units_follow_dynamodbs_rules() -> None:
    item = {"PK": {"S": "abc"}, "n": {"N": "123"}, "ok": {"BOOL": True}}
    assert item_size(item) == (2 + 3) + (1 + 3) + (2 + 1)
    big = {"PK": {"S": "x" * 1500}}
    assert capacity_units("PutItem", {"Item": big}, {}) == (0.0, 2.0)
    assert capacity_units(
        "TransactWriteItems", {"TransactItems": [{"Put": {"Item": big}}, {"Put": {"Item": item}}]}, {}
    ) == (
        0.0,
        2 * 2 + 2 * 1,
    )
    assert capacity_units("GetItem", {"ConsistentRead": True}, {"Item": item}) == (1.0, 0.0)
    assert capacity_units("Query", {}, {"Items": [big] * 3}) == (1.0, 0.0)  # 4.5 KB: two 4 KB units, halved (eventual)


def test_the_meter_counts_calls_and_sizes_what_they_read() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    meter = AwsMeter().watch(client)
    with Stubber(client) as stub:
        stub.add_response("get_item", {"Item": {"PK": {"S": "a"}}})
        stub.add_response("get_item", {})
        client.get_item(TableName="t", Key={"PK": {"S": "a"}}, ConsistentRead=True)
        client.get_item(TableName="t", Key={"PK": {"S": "b"}})
    assert meter.of("dynamodb") == {"GetItem": 2}
    assert meter.read_units == 1.0 + 0.5


def test_the_paged_table_answers_queries_in_pages_of_a_megabyte() -> None:
    # Given five items of 400 KB under one key, read through the DynamoDB store's table
    items = [{"PK": {"S": "P"}, "SK": {"S": f"{n}"}, "blob": {"S": "x" * 400_000}} for n in range(5)]
    client = PagedTable(items)
    store = DynamoStore(client, "t")
    # When all are queried
    found = list(store.table.query("PK", "P"))
    # Then all come back, in pages that stop after a megabyte was read
    assert [i["SK"] for i in found] == ["0", "1", "2", "3", "4"]
    assert client.calls["Query"] == 2 and PAGE_BYTES <= 3 * 400_000
