"""The SAM template: valid (cfn-lint, before and after SAM's translation) and hardened as the issue asks."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from infra.template import TEMPLATE_PATH, functions, http_routes, load_template, resources, topic_subscribers

ROOT = TEMPLATE_PATH.parent.parent  # the repository

REGIONS = ["us-east-1"]

# Managed policies SAM attaches for logs and tracing; everything else must be this stack's own.
AWS_MANAGED_ALLOWED = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
}
# Publishing an SMS to a phone number has no resource ARN to scope to (see AwsSmsSendPolicy).
RESOURCE_STAR_ALLOWED = {("AwsSmsSendPolicy", "SmsToPhoneNumbers")}
# The table's name, whether this stack created it or adopted it (ExistingTableName).
TABLE_NAME = {"Fn::If": ["CreatesTable", {"Ref": "Table"}, {"Ref": "ExistingTableName"}]}


def _findings(text: str) -> list[str]:
    return [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in lint(text, config=ManualArgs(regions=REGIONS))]


def test_cfn_lint_passes_on_the_sam_template() -> None:
    assert _findings(TEMPLATE_PATH.read_text()) == []


def test_cfn_lint_passes_on_the_translated_template(translated: dict[str, Any]) -> None:
    # Given the template as CloudFormation sees it after the Serverless transform
    # Then cfn-lint finds nothing: no cycles, no unresolvable references, valid properties
    assert _findings(json.dumps(translated, indent=1)) == []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _unconditional(statements: list[Any]) -> list[dict[str, Any]]:
    """Statements, with those behind `Fn::If [condition, statement, AWS::NoValue]` counted as present."""
    found = []
    for statement in statements:
        if "Fn::If" in statement:
            found += [branch for branch in statement["Fn::If"][1:] if branch != {"Ref": "AWS::NoValue"}]
        else:
            found.append(statement)
    return found


def _statements(translated: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(owner logical id, statement) for every identity policy the stack creates."""
    found = []
    for name, res in translated["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            found += [(name, s) for s in _unconditional(_as_list(props["PolicyDocument"]["Statement"]))]
        if res["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                found += [(name, s) for s in _unconditional(_as_list(policy["PolicyDocument"]["Statement"]))]
    return found


def test_no_allow_statement_grants_a_wildcard_action(translated: dict[str, Any]) -> None:
    for owner, statement in _statements(translated):
        if statement["Effect"] == "Allow":
            for action in _as_list(statement["Action"]):
                assert "*" not in action, f"{owner} allows {action}"


def test_resources_are_this_stacks_own(translated: dict[str, Any]) -> None:
    for owner, statement in _statements(translated):
        if statement["Effect"] != "Allow":
            continue
        resources_ = _as_list(statement["Resource"])
        if "*" in resources_:
            assert (owner, statement.get("Sid")) in RESOURCE_STAR_ALLOWED, f"{owner} grants {statement} on *"
        if any(a.startswith("dynamodb:") for a in _as_list(statement["Action"])):
            assert "dynamodb:Scan" not in statement["Action"], "the app never scans"
            scoped = [arn["Fn::Sub"][0].rsplit(":", 1)[1] for arn in resources_]
            assert scoped in (
                ["table/${Table}", "table/${Table}/index/*"],
                ["table/${Table}/stream/*"],  # the notify function reads the notice outbox
            ), f"{owner}: the table (created or adopted), its indexes and its stream only"
            assert all(arn["Fn::Sub"][1] == {"Table": TABLE_NAME} for arn in resources_), owner


def test_sms_to_phone_numbers_is_the_only_grant_on_star_and_topics_are_denied(translated: dict[str, Any]) -> None:
    # IAM cannot scope a publish to a phone number: "*" is allowed, so every ARN SNS has is denied.
    statements = {s["Sid"]: s for owner, s in _statements(translated) if owner == "AwsSmsSendPolicy"}
    assert statements["SmsToPhoneNumbers"]["Resource"] == "*"
    assert statements["NoTopicsOrEndpoints"] == {
        "Sid": "NoTopicsOrEndpoints",
        "Effect": "Deny",
        "Action": "sns:Publish",
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sns:*"},
    }


def test_roles_attach_only_log_and_trace_managed_policies_beside_their_own(translated: dict[str, Any]) -> None:
    for name, res in translated["Resources"].items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for arn in res["Properties"].get("ManagedPolicyArns", []):
            if isinstance(arn, str):
                assert arn in AWS_MANAGED_ALLOWED, f"{name} attaches {arn}"


def _role_statements(translated: dict[str, Any], function: str) -> list[dict[str, Any]]:
    return [s for owner, s in _statements(translated) if owner == f"{function}Role"]


def test_only_the_slack_function_invokes_a_function_and_only_itself(translated: dict[str, Any]) -> None:
    invokers = {owner: s for owner, s in _statements(translated) if "lambda:InvokeFunction" in _as_list(s["Action"])}
    assert sorted(invokers) == ["SchedulerRole", "SlackInvokesItself"]
    # ... and Scheduler invokes the jobs function only
    assert invokers["SchedulerRole"]["Resource"] == {"Fn::GetAtt": ["JobsFunction", "Arn"]}
    del invokers["SchedulerRole"]
    assert invokers["SlackInvokesItself"]["Resource"] == {"Fn::GetAtt": ["SlackFunction", "Arn"]}
    policy = translated["Resources"]["SlackInvokesItself"]["Properties"]
    assert policy["Roles"] == [{"Ref": "SlackFunctionRole"}]
    assert translated["Resources"]["SlackFunctionRole"]["Type"] == "AWS::IAM::Role"  # the role SAM made


def test_functions_are_named_by_cloudformation_so_any_stack_name_fits() -> None:
    # A name spelled out from the stack name fails past 64 characters (a 50-character stack name
    # and "-receipt-upload"); CloudFormation's own names are shortened to fit.
    assert [name for name, props in functions().items() if "FunctionName" in props] == []


def test_each_function_reads_exactly_the_ssm_parameters_its_environment_names(translated: dict[str, Any]) -> None:
    for name, props in functions().items():
        named = sorted(v["Ref"] for k, v in props["EnvironmentVariables"].items() if k.endswith("_PARAM"))
        granted = sorted(
            arn["Fn::Sub"].rsplit("${", 1)[1].rstrip("}")
            for s in _role_statements(translated, name)
            if "ssm:GetParameter" in _as_list(s["Action"])
            for arn in _as_list(s["Resource"])
        )
        assert granted == named, f"{name}: SSM access {granted} != parameters in its environment {named}"


def _accepts(parameter: str, value: str) -> bool:
    """What CloudFormation does with AllowedPattern: the whole value must match."""
    pattern = load_template()["Parameters"][parameter]["AllowedPattern"]
    return re.fullmatch(pattern, value) is not None


def test_parameters_say_what_to_enter_and_refuse_what_would_break_the_deploy() -> None:
    for name, param in load_template()["Parameters"].items():
        assert param.get("Description"), f"{name} needs a description: the guided deploy shows it"
        if "AllowedPattern" in param and not name.endswith("Param"):
            assert param.get("ConstraintDescription"), f"{name}: say what a refused value should look like"
    assert _accepts("AlarmEmail", "ops@example.com")
    assert not _accepts("AlarmEmail", "")  # required: alarms must reach someone
    assert "Default" not in load_template()["Parameters"]["AlarmEmail"]
    assert _accepts("SenderEmail", "") and _accepts("SenderEmail", "reports@mail.example.com")
    assert not _accepts("SenderEmail", "punchclock") and not _accepts("SenderEmail", "a@b@c.com")
    assert _accepts("SmsFromNumber", "") and _accepts("SmsFromNumber", "+15550100100")
    assert _accepts("SmsFromNumber", "MG" + "0123456789abcdef" * 2)
    assert not _accepts("SmsFromNumber", "555-0100") and not _accepts("SmsFromNumber", "+1 555 0100")
    assert _accepts("PublicBaseUrl", "") and _accepts("PublicBaseUrl", "https://punch.example.com")
    assert not _accepts("PublicBaseUrl", "http://punch.example.com")
    assert _accepts("ExistingTableName", "") and _accepts("ExistingTableName", "punchclock-Table-1A2B3C")
    assert _accepts("ExistingReceiptsBucketName", "")
    assert _accepts("ExistingReceiptsBucketName", "pc-receiptsbucket-1a2b")
    assert not _accepts("ExistingReceiptsBucketName", "Receipts_Bucket")


def test_an_empty_sender_email_means_no_email_and_no_ses_permission() -> None:
    # Empty is the documented "send no email"; nothing may take the address apart (an
    # `!Select [1, !Split ["@", ...]]` fails the whole deploy on an empty value).
    assert load_template()["Parameters"]["SenderEmail"]["Default"] == ""
    assert "Fn::Split" not in json.dumps(load_template())
    statements = functions()["NotifyFunction"]["Policies"][-1]["Statement"]  # report emails are notices
    (guarded,) = [s for s in statements if "Fn::If" in s]
    condition, statement, otherwise = guarded["Fn::If"]
    assert (condition, otherwise) == ("HasSenderEmail", {"Ref": "AWS::NoValue"})
    assert statement["Action"] == "ses:SendEmail"
    assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}


def _references(node: Any, logical_id: str, guard: str, guarded: bool = False) -> list[bool]:
    """For each Ref/GetAtt/Sub of `logical_id` in `node`: whether it sits in the `guard` branch of an Fn::If."""
    found: list[bool] = []
    if isinstance(node, list):
        for item in node:
            found += _references(item, logical_id, guard, guarded)
    elif isinstance(node, dict):
        if node.get("Ref") == logical_id or node.get("Fn::GetAtt", [None])[0] == logical_id:
            return [guarded]
        if isinstance(node.get("Fn::Sub"), str) and "${" + logical_id in node["Fn::Sub"]:
            return [guarded]
        if "Fn::If" in node and node["Fn::If"][0] == guard:
            return _references(node["Fn::If"][1], logical_id, guard, True) + _references(
                node["Fn::If"][2], logical_id, guard, guarded
            )
        for value in node.values():
            found += _references(value, logical_id, guard, guarded)
    return found


@pytest.mark.parametrize(
    ("logical_id", "condition", "parameter"),
    [
        ("Table", "CreatesTable", "ExistingTableName"),
        ("ReceiptsBucket", "CreatesReceiptsBucket", "ExistingReceiptsBucketName"),
    ],
)
def test_the_table_and_bucket_are_created_or_adopted_by_name(logical_id: str, condition: str, parameter: str) -> None:
    template = load_template()
    assert template["Resources"][logical_id]["Condition"] == condition
    assert template["Conditions"][condition] == {"Fn::Equals": [{"Ref": parameter}, ""]}
    assert template["Parameters"][parameter]["Default"] == ""
    # Every use outside its own definition goes through `!If [condition, <it>, <the adopted name>]`.
    elsewhere = {name: res for name, res in template["Resources"].items() if name != logical_id}
    uses = _references([elsewhere, template["Globals"], template["Outputs"]], logical_id, condition)
    assert uses and all(uses), f"{logical_id} is referenced outside `!If [{condition}, ...]`"


def test_alarms_reach_a_confirmed_subscriber() -> None:
    subscription = resources()["AlarmEmailSubscription"]
    assert "Condition" not in subscription
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert "confirm" in load_template()["Outputs"]["AlarmTopicArn"]["Description"]


def test_secret_parameters_are_names_not_values() -> None:
    for name, param in load_template()["Parameters"].items():
        if name.endswith("Param"):
            assert param["Default"].startswith("/punchclock/"), name
            assert param["AllowedPattern"].startswith("^/"), name


def test_http_api_routes_and_throttling() -> None:
    assert {(r.route_key, r.function) for r in http_routes()} == {
        ("POST /slack/events", "SlackFunction"),
        ("POST /sms/twilio", "TwilioSmsFunction"),
        ("GET /receipts/upload/{token}", "ReceiptUploadFunction"),
        ("POST /receipts/upload/{token}", "ReceiptUploadFunction"),
    }
    assert {r.payload_format for r in http_routes()} == {"2.0"}
    api = resources("AWS::Serverless::HttpApi")["HttpApi"]["Properties"]
    assert set(api["DefaultRouteSettings"]) == {"ThrottlingRateLimit", "ThrottlingBurstLimit"}
    assert "AccessLogSettings" in api


def test_inbound_sms_topic_feeds_the_sns_function() -> None:
    assert topic_subscribers() == {"InboundSmsTopic": ["SnsSmsFunction"]}


def test_functions_run_python_312_on_arm64() -> None:
    fn_globals = load_template()["Globals"]["Function"]
    assert fn_globals["Runtime"] == "python3.12"
    assert fn_globals["Architectures"] == ["arm64"]
    for name, props in functions().items():
        assert props.get("Runtime", "python3.12") == "python3.12", name
        assert props.get("Architectures", ["arm64"]) == ["arm64"], name


@pytest.mark.parametrize("name", ["SlackFunction", "SnsSmsFunction"])
def test_asynchronously_invoked_functions_dead_letter_to_sqs(name: str) -> None:
    props = functions()[name]
    assert props["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["AsyncDeadLetterQueue", "Arn"]}}
    assert props["EventInvokeConfig"]["MaximumRetryAttempts"] == 2


def test_every_function_has_a_retained_log_group_and_alarms() -> None:
    alarms = resources("AWS::CloudWatch::Alarm").values()
    watched = {(a["Properties"]["MetricName"], _dimension_ref(a["Properties"])) for a in alarms}
    log_groups = resources("AWS::Logs::LogGroup")
    for name, props in functions().items():
        group = props["LoggingConfig"]["LogGroup"]["Ref"]
        assert log_groups[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert ("Errors", name) in watched and ("Throttles", name) in watched, name
    assert ("ApproximateNumberOfMessagesVisible", None) in watched  # the dead-letter queue
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def _dimension_ref(alarm: dict[str, Any]) -> str | None:
    value = alarm["Dimensions"][0]["Value"]
    return value.get("Ref") if isinstance(value, dict) else None


def test_what_operators_must_act_on_is_alarmed_on_metrics_the_code_emits() -> None:
    custom = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["Namespace"] == "Punchclock"
    }
    assert set(custom) == {"CommandFailures", "RequestsRefused", "NoticesFailed"}
    service = load_template()["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
    for name, alarm in custom.items():
        assert alarm["Dimensions"] == [{"Name": "service", "Value": service}], name  # what Powertools adds
        emitted_by = (ROOT / "bot" / "metrics.py", ROOT / "notifications" / "notify_handler.py")
        assert any(f'name="{name}"' in path.read_text() for path in emitted_by), name


def test_table_keeps_time_records_and_bucket_stays_private() -> None:
    table = resources()["Table"]
    props = table["Properties"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    bucket = resources()["ReceiptsBucket"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())
    policy = resources()["ReceiptsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Effect"] == "Deny" and policy["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_no_routed_function_names_its_own_api_in_its_environment() -> None:
    # The API's definition names each routed function's ARN, so a routed function whose
    # environment names the API (`${HttpApi}`) makes a cycle CloudFormation refuses to deploy.
    # Give it the URL another way: the PublicBaseUrl parameter, an SSM parameter by name, or
    # requestContext.domainName from the event itself.
    routed = {route.function for route in http_routes()}
    for name in sorted(routed):
        env = json.dumps(functions()[name].get("Environment", {}))
        assert "${HttpApi}" not in env and '"HttpApi"' not in env, f"{name}'s environment names HttpApi"


def test_scheduled_jobs_run_from_a_group_of_this_stack_with_plain_json_input() -> None:
    from notifications.jobs_handler import JOBS

    group = resources("AWS::Scheduler::ScheduleGroup")["JobsScheduleGroup"]["Properties"]
    assert group["Name"] == {"Fn::Sub": "${AWS::StackName}-jobs"}  # two stacks never share a schedule name
    schedules = resources("AWS::Scheduler::Schedule")
    jobs = {}
    for name, schedule in schedules.items():
        props = schedule["Properties"]
        assert props["GroupName"] == {"Ref": "JobsScheduleGroup"}, name
        target = props["Target"]
        assert target["Arn"] == {"Fn::GetAtt": ["JobsFunction", "Arn"]}
        assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]}}
        event = json.loads(target["Input"])
        assert event["scheduled_time"] == "<aws.scheduler.scheduled-time>"
        jobs[event["job"]] = (props["ScheduleExpression"], target["RetryPolicy"])
    assert sorted(jobs) == sorted(JOBS)
    # a reminder sweep late by more than a few minutes is superseded by the next one
    assert jobs["reminders"] == ("rate(1 minute)", {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 300})
    assert jobs["reports"][0] == "rate(5 minutes)"
    alarms = [a["Properties"] for a in resources("AWS::CloudWatch::Alarm").values()]
    assert any(a["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["JobsDeadLetterQueue", "QueueName"]} for a in alarms)
