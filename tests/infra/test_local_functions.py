"""The local stack runs the template's functions in one process: each invocation's log lines still
name its own function, and the pools are sized to the machine."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from infra.local.lambdas import Function, Functions, pool_sizes
from tests.infra import log_probe

ALPHA = Function("Alpha", "punchclock-local-Alpha", "tests.infra.log_probe.alpha", 10, 128)
BETA = Function("Beta", "punchclock-local-Beta", "tests.infra.log_probe.beta", 10, 128)


def test_log_lines_name_their_own_function_when_invocations_overlap() -> None:
    # Given two functions whose handlers share one Powertools logger, as every Punchclock handler does
    functions = Functions([ALPHA, BETA])
    log_probe.POWERTOOLS.lines.clear()
    log_probe.PLAIN.records.clear()
    # When eight invocations run at once, alternating between them, and log in turn
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: functions.call(ALPHA if i % 2 else BETA, {}), range(8)))
    functions.shutdown(timeout=1)
    assert answers == [{"statusCode": 200}] * 8
    # Then every Powertools line names the function that wrote it, with its own request id
    lines = [json.loads(line) for line in log_probe.POWERTOOLS.lines]
    assert len(lines) == 8 * 5
    wrong = [line for line in lines if line["function_name"] != f"punchclock-local-{line['message'][5:].title()}"]
    assert wrong == []
    request_ids = {line["function_request_id"] for line in lines}
    assert len(request_ids) == 8
    # And a key one handler appends shows on its own lines only
    assert all(set(line) & {"alpha_only", "beta_only"} == {f"{line['message'][5:]}_only"} for line in lines)
    # And so does every plain logging line (`%(function)s` in the stack's log format)
    plain = [(record.getMessage(), record.function) for record in log_probe.PLAIN.records]  # type: ignore[attr-defined]
    assert len(plain) == 8 * 5
    assert all(function == f"punchclock-local-{message[5:].title()}" for message, function in plain)


def test_pools_follow_the_machine() -> None:
    assert pool_sizes(1) == (4, 2)
    assert pool_sizes(2) == (8, 4)
    assert pool_sizes(16) == (64, 32)


def test_the_emulator_reports_what_each_write_changed() -> None:
    from infra.local.emulator import Written, written_items

    item = {"PK": {"S": "W#1"}, "SK": {"S": "EVT#1"}, "kind": {"S": "clock_in"}}
    key = {"PK": {"S": "W#1"}, "SK": {"S": "WORKER"}}
    transaction = {
        "TransactItems": [
            {"Put": {"TableName": "t", "Item": item}},
            {"Delete": {"TableName": "t", "Key": key}},
            {"ConditionCheck": {"TableName": "t", "Key": key}},
            {"Update": {"TableName": "t", "Key": key, "UpdateExpression": "ADD n :one"}},
        ]
    }
    assert written_items("TransactWriteItems", transaction) == {
        "t": [Written({"PK": item["PK"], "SK": item["SK"]}, item), Written(key, None), Written(key, None, False)]
    }
    batch = {"RequestItems": {"t": [{"PutRequest": {"Item": item}}, {"DeleteRequest": {"Key": key}}]}}
    assert written_items("BatchWriteItem", batch) == {
        "t": [Written({"PK": item["PK"], "SK": item["SK"]}, item), Written(key, None)]
    }
