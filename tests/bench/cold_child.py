"""One cold start, in this fresh process.

`python -m tests.bench.cold_child <module.attr | floor | floor_slack> < event.json`

Prints `COLD {"seconds": ..., "status": ...}`: from this module's first line to the first answer
(the handler's import, its clients, its first request), or the floor's import, client and GetItem.
"""

import time

STARTED = time.perf_counter()

import importlib  # noqa: E402 - after the clock starts
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


class _Context:
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "punchclock")
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
    aws_request_id = "cold-start"


def main() -> None:
    target = sys.argv[1]
    event = json.loads(sys.stdin.read() or "{}")
    status = None
    calls: list[str] = []
    if os.environ.get("BENCH_COLD_CALLS"):  # an untimed run: which AWS calls the cold start makes
        import boto3

        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register(
            "before-call", lambda model, **_: calls.append(f"{model.service_model.service_name}.{model.name}")
        )
    begun = time.perf_counter()
    if target.startswith("floor"):
        if target == "floor_slack":
            import slack_bolt  # noqa: F401
        import boto3

        boto3.client("dynamodb").get_item(TableName="punchclock-cold", Key={"PK": {"S": "ORG#x"}, "SK": {"S": "ORG"}})
    else:
        module, _, attr = target.rpartition(".")
        result = getattr(importlib.import_module(module), attr)(event, _Context())
        status = result.get("statusCode") if isinstance(result, dict) else None
    print(
        "COLD "
        + json.dumps(
            {"seconds": time.perf_counter() - begun, "status": status, "interpreter_s": begun - STARTED, "calls": calls}
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
