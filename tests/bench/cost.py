"""`cost`: one worker-month in dollars, from counted usage times list prices.

One dated price table, here and nowhere else. The usage comes from the scripted week
(tests/bench/week.py): Lambda invocations and GB-seconds per function, DynamoDB read and write
units sized from the items read and written (transactions at 2x), Scheduler invocations, SES
messages, S3 requests, HTTP API requests. SMS carrier fees are priced apart, per segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# us-east-1 list prices as published by AWS and Twilio (pay-per-use, no free tier counted).
# Dated: re-check on the vendors' pricing pages before quoting them; the bench had no network.
PRICES_AS_OF = "2025-06 (AWS and Twilio public price pages, us-east-1 / US numbers)"
PRICES: dict[str, float] = {
    "lambda_request": 0.20 / 1e6,  # per invocation
    "lambda_gb_second_arm64": 0.0000133334,  # per GB-second (arm64, as the template deploys)
    "http_api_request": 1.00 / 1e6,  # API Gateway HTTP API, first 300 M a month
    "ddb_write_request_unit": 0.625 / 1e6,  # on-demand
    "ddb_read_request_unit": 0.125 / 1e6,  # on-demand
    "ddb_streams_read_by_lambda": 0.0,  # GetRecords by a Lambda event source mapping is free
    "sqs_request": 0.40 / 1e6,  # the dead-letter queues: only on failures
    "scheduler_invocation": 1.00 / 1e6,  # EventBridge Scheduler (14 M a month free, not counted)
    "ses_message": 0.10 / 1000,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "xray_trace": 5.00 / 1e6,  # every invocation of a traced function (sampling would trace fewer)
    "cloudwatch_logs_gb": 0.50,  # ingested
}

SMS_PRICES: dict[str, float] = {  # per segment, each way; carrier fees vary by carrier and registration
    "twilio_us_segment": 0.0083,
    "twilio_us_carrier_fee_segment": 0.0035,  # A2P 10DLC, typical
    "aws_us_segment": 0.00581,
    "aws_us_carrier_fee_segment": 0.00266,  # toll-free, typical
}
LAMBDA_PLATFORM_LOG_BYTES = 300  # START, END and REPORT lines Lambda logs per invocation (estimated)
TARGET_USD = 0.005  # a worker-month, SMS excluded


@dataclass
class Usage:
    """What one worker-month uses (fractions: a share of the org's sweeps and reports)."""

    lambda_invocations: dict[str, float] = field(default_factory=dict)  # by function
    lambda_gb_seconds: dict[str, float] = field(default_factory=dict)  # by function
    http_api_requests: float = 0.0
    ddb_read_units: float = 0.0
    ddb_write_units: float = 0.0
    sqs_requests: float = 0.0
    scheduler_invocations: float = 0.0
    ses_messages: float = 0.0
    s3_puts: float = 0.0
    s3_gets: float = 0.0
    sms_segments: float = 0.0  # in and out, for a worker who texts
    log_bytes: float = 0.0  # what the functions log at the template's LOG_LEVEL
    traced_invocations: float = 0.0  # of functions with Tracing: Active

    def scaled(self, factor: float) -> Usage:
        return Usage(
            {k: v * factor for k, v in self.lambda_invocations.items()},
            {k: v * factor for k, v in self.lambda_gb_seconds.items()},
            *(getattr(self, name) * factor for name in _SCALARS),
        )

    def plus(self, other: Usage) -> Usage:
        def merged(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
            return {k: a.get(k, 0.0) + b.get(k, 0.0) for k in sorted(set(a) | set(b))}

        return Usage(
            merged(self.lambda_invocations, other.lambda_invocations),
            merged(self.lambda_gb_seconds, other.lambda_gb_seconds),
            *(getattr(self, name) + getattr(other, name) for name in _SCALARS),
        )


_SCALARS = (
    "http_api_requests",
    "ddb_read_units",
    "ddb_write_units",
    "sqs_requests",
    "scheduler_invocations",
    "ses_messages",
    "s3_puts",
    "s3_gets",
    "sms_segments",
    "log_bytes",
    "traced_invocations",
)


def priced(usage: Usage) -> dict[str, Any]:
    """Dollars per line, their total (SMS excluded) and the SMS fees apart."""
    invocations = sum(usage.lambda_invocations.values())
    lines = {
        "lambda_requests": sum(usage.lambda_invocations.values()) * PRICES["lambda_request"],
        "lambda_duration": sum(usage.lambda_gb_seconds.values()) * PRICES["lambda_gb_second_arm64"],
        "http_api": usage.http_api_requests * PRICES["http_api_request"],
        "dynamodb_writes": usage.ddb_write_units * PRICES["ddb_write_request_unit"],
        "dynamodb_reads": usage.ddb_read_units * PRICES["ddb_read_request_unit"],
        "dynamodb_streams": 0.0 * PRICES["ddb_streams_read_by_lambda"],
        "sqs": usage.sqs_requests * PRICES["sqs_request"],
        "scheduler": usage.scheduler_invocations * PRICES["scheduler_invocation"],
        "ses": usage.ses_messages * PRICES["ses_message"],
        "s3": usage.s3_puts * PRICES["s3_put"] + usage.s3_gets * PRICES["s3_get"],
        "xray": usage.traced_invocations * PRICES["xray_trace"],
        "cloudwatch_logs": (usage.log_bytes + invocations * LAMBDA_PLATFORM_LOG_BYTES)
        / 1e9
        * PRICES["cloudwatch_logs_gb"],
    }
    sms = {
        "segments": round(usage.sms_segments, 1),
        "twilio_usd": usage.sms_segments
        * (SMS_PRICES["twilio_us_segment"] + SMS_PRICES["twilio_us_carrier_fee_segment"]),
        "aws_usd": usage.sms_segments * (SMS_PRICES["aws_us_segment"] + SMS_PRICES["aws_us_carrier_fee_segment"]),
    }
    total = sum(lines.values())
    return {
        "lines_usd": {k: round(v, 9) for k, v in lines.items()},
        "total_usd": round(total, 6),
        "target_usd": TARGET_USD,
        "met": total <= TARGET_USD,
        "sms_usd_per_worker_month": {k: round(v, 4) if k != "segments" else v for k, v in sms.items()},
        "prices_as_of": PRICES_AS_OF,
        "prices": PRICES,
        "sms_prices": SMS_PRICES,
        "assumed": {"every_traced_invocation_sampled": True, "platform_log_bytes": LAMBDA_PLATFORM_LOG_BYTES},
    }
