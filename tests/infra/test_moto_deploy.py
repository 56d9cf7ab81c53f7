"""The translated template deploys into moto's CloudFormation, and the handlers work on what it made.

moto's CloudFormation has no API Gateway v2 and no EventBridge Scheduler, so those resources are
stripped before deploying (with the Lambda permissions that name the API, and `${HttpApi}` in
strings replaced by a placeholder id); the local gateway stands in for the API. moto also accepts
but skips CloudWatch alarms, bucket and topic policies, EventInvokeConfig and SNS subscriptions:
cfn-lint checks those (test_template.py).

The handlers then run in a fresh process each (tests/infra/invoke.py) with exactly the
environment CloudFormation gave the deployed function, secrets read from SSM by name.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from core.store.dynamodb import DynamoStore
from infra.local import seed
from infra.local.gateway import API_ID, http_api_event
from infra.local.http import Request
from infra.local.signing import twilio_signature
from infra.template import http_routes, load_template

# moto warns for each resource type it skips (see above).
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")

ROOT = Path(__file__).resolve().parents[2]
STACK = "pc-moto"
REGION = "us-east-1"
ARTIFACTS = "punchclock-artifacts"
UNSUPPORTED = ("AWS::ApiGatewayV2::", "AWS::Scheduler::")
PLACEHOLDER_API_ID = "stripped-api"
TWILIO_TOKEN = "moto-twilio-auth-token"
SECRETS = {
    "TwilioAccountSidParam": "AC" + "0" * 32,
    "TwilioAuthTokenParam": TWILIO_TOKEN,
    "SlackSigningSecretParam": "moto-signing-secret",
    "SlackBotTokenParam": "xoxb-moto",
}


def deployable(translated: dict[str, Any]) -> dict[str, Any]:
    """The translated template without what moto cannot create, and with references to it replaced."""
    template = json.loads(json.dumps(translated))
    found = template["Resources"]
    gone = {name for name, res in found.items() if res["Type"].startswith(UNSUPPORTED)}
    gone |= {
        name
        for name, res in found.items()
        if res["Type"] == "AWS::Lambda::Permission" and "execute-api" in json.dumps(res["Properties"]["SourceArn"])
    }
    for name in gone:
        del found[name]

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("Ref") in gone:
                return PLACEHOLDER_API_ID
            if isinstance(node.get("Fn::Sub"), str):
                text = node["Fn::Sub"]
                for name in gone:
                    text = text.replace("${" + name + "}", PLACEHOLDER_API_ID)
                return {"Fn::Sub": text}
            return {key: replace(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replace(value) for value in node]
        return node

    return dict(replace(template))


@dataclass
class Deployed:
    endpoint: str
    physical: dict[str, str]  # logical id -> physical id
    functions: dict[str, dict[str, Any]]  # logical id -> Lambda configuration

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)  # type: ignore[call-overload]

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        config = self.functions[logical_id]
        env = {
            "PATH": os.environ.get("PATH", ""),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
            **config["Environment"]["Variables"],
        }
        done = subprocess.run(
            [sys.executable, "-m", "tests.infra.invoke", config["Handler"], config["FunctionName"]],
            input=json.dumps(event),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
            check=False,
        )
        results = [line[7:] for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        assert done.returncode == 0 and results, f"{logical_id} failed:\n{done.stdout}\n{done.stderr}"
        return json.loads(results[-1])


@pytest.fixture(scope="module")
def deployed(translated: dict[str, Any]) -> Iterator[Deployed]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        stack = Deployed(f"http://{host}:{port}", {}, {})
        s3 = stack.client("s3")
        s3.create_bucket(Bucket=ARTIFACTS)
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("placeholder.py", "")  # moto stores code; the handlers run from this checkout
        s3.put_object(Bucket=ARTIFACTS, Key="code.zip", Body=code.getvalue())
        parameters = load_template()["Parameters"]
        ssm = stack.client("ssm")
        for name, value in SECRETS.items():  # what the operator puts in Parameter Store before deploying
            ssm.put_parameter(Name=parameters[name]["Default"], Value=value, Type="SecureString")
        yield create_stack(stack.endpoint, STACK, translated, {"SmsProvider": "aws"})
    finally:
        server.stop()


def create_stack(endpoint: str, name: str, translated: dict[str, Any], parameters: dict[str, str]) -> Deployed:
    """The translated template deployed as stack `name`, with the answers an operator gives."""
    stack = Deployed(endpoint, {}, {})
    cfn = stack.client("cloudformation")
    cfn.create_stack(
        StackName=name,
        TemplateBody=json.dumps(deployable(translated)),
        Parameters=[
            {"ParameterKey": key, "ParameterValue": value}
            for key, value in {"AlarmEmail": "ops@example.com", **parameters}.items()
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],  # what samconfig.toml grants
    )
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    assert status == "CREATE_COMPLETE", status
    for res in cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]:
        stack.physical[res["LogicalResourceId"]] = res.get("PhysicalResourceId", "")
    lam = stack.client("lambda")
    for logical_id, res in translated["Resources"].items():
        if res["Type"] == "AWS::Lambda::Function":
            stack.functions[logical_id] = lam.get_function_configuration(FunctionName=stack.physical[logical_id])
    return stack


def test_stack_creates_the_table_bucket_topic_and_queue_as_declared(deployed: Deployed) -> None:
    table = deployed.client("dynamodb").describe_table(TableName=deployed.physical["Table"])["Table"]
    declared = load_template()["Resources"]["Table"]["Properties"]
    assert table["KeySchema"] == declared["KeySchema"]
    assert sorted(i["IndexName"] for i in table["GlobalSecondaryIndexes"]) == ["GSI1", "GSI2"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    s3 = deployed.client("s3")
    s3.put_object(Bucket=deployed.physical["ReceiptsBucket"], Key="receipts/probe.txt", Body=b"probe")
    assert (
        s3.get_object(Bucket=deployed.physical["ReceiptsBucket"], Key="receipts/probe.txt")["Body"].read() == b"probe"
    )

    topics = [t["TopicArn"] for t in deployed.client("sns").list_topics()["Topics"]]
    assert deployed.physical["InboundSmsTopic"] in topics
    assert deployed.client("sqs").get_queue_url(QueueName=deployed.physical["AsyncDeadLetterQueue"].rsplit("/", 1)[1])


def test_functions_get_the_templates_handlers_and_resolved_environment(deployed: Deployed) -> None:
    assert {f["Handler"] for f in deployed.functions.values()} == {
        props["Properties"]["Handler"]
        for props in load_template()["Resources"].values()
        if props["Type"] == "AWS::Serverless::Function"
    }
    for config in deployed.functions.values():
        env = config["Environment"]["Variables"]
        assert env["TABLE_NAME"] == deployed.physical["Table"]
        assert config["Runtime"] == "python3.12"  # (moto reports every function as x86_64, whatever it was given)
        assert not any(value.startswith(("{", "[")) for value in env.values()), env  # every intrinsic resolved


def _seed(deployed: Deployed) -> None:
    store = DynamoStore(deployed.client("dynamodb"), deployed.physical["Table"])
    seed.seed_demo(store)


def _twilio_text(stack: Deployed, person: seed.DemoPerson, text: str) -> Any:
    """A text from `person` as Twilio's webhook delivers it to the stack's Twilio function, signed."""
    env = stack.functions["TwilioSmsFunction"]["Environment"]["Variables"]
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": SECRETS["TwilioAccountSidParam"],
        "From": person.phone,
        "To": seed.SMS_NUMBER,
        "Body": text,
        "NumMedia": "0",
    }
    body = urlencode(form).encode()
    route = next(r for r in http_routes() if r.path == "/sms/twilio")
    # PublicBaseUrl left empty: Twilio is configured with the API's own execute-api URL.
    assert env["PUBLIC_BASE_URL"] == ""
    signature = twilio_signature(TWILIO_TOKEN, f"https://{API_ID}.execute-api.us-east-1.amazonaws.com/sms/twilio", form)
    request = Request(
        "POST",
        "/sms/twilio",
        "",
        [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)],
        body,
        "127.0.0.1",
    )
    return stack.invoke("TwilioSmsFunction", http_api_event(request, route, {}))


def test_twilio_handler_answers_a_signed_text_on_the_deployed_table(deployed: Deployed) -> None:
    # Given the demo organisation in the deployed table
    _seed(deployed)
    ana = seed.PEOPLE[1]
    # When Twilio's webhook reaches the deployed function
    result = _twilio_text(deployed, ana, "in north-site")
    # Then it answers in TwiML and the punch is in the deployed table
    assert result["statusCode"] == 200, result
    assert "Clocked in" in result["body"]
    worker = DynamoStore(deployed.client("dynamodb"), deployed.physical["Table"]).get_worker(ana.worker_id)
    assert worker is not None and worker.state.status.value == "on_shift"


def test_a_new_stack_adopts_the_kept_table_and_bucket_and_works_on_their_data(
    deployed: Deployed, translated: dict[str, Any]
) -> None:
    # Given the first stack's table, with the demo organisation in it, and its receipts bucket
    _seed(deployed)
    table, bucket = deployed.physical["Table"], deployed.physical["ReceiptsBucket"]
    stream = deployed.client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    # When another stack is deployed naming them (as after deleting and re-creating the stack)
    adopt = {"ExistingTableName": table, "ExistingTableStreamArn": stream, "ExistingReceiptsBucketName": bucket}
    again = create_stack(deployed.endpoint, "pc-moto-again", translated, {"SmsProvider": "aws", **adopt})
    # Then it creates neither, and every function is given them (moto skips bucket policies: see above)
    assert "Table" not in again.physical and "ReceiptsBucket" not in again.physical
    for config in again.functions.values():
        env = config["Environment"]["Variables"]
        assert (env["TABLE_NAME"], env["RECEIPTS_BUCKET"]) == (table, bucket)
    # And a worker of the old data clocks in through the new stack
    chen = seed.PEOPLE[3]
    result = _twilio_text(again, chen, "in")
    assert result["statusCode"] == 200 and "Clocked in" in result["body"], result
    worker = DynamoStore(deployed.client("dynamodb"), table).get_worker(chen.worker_id)
    assert worker is not None and worker.state.status.value == "on_shift"


def test_sns_handler_replies_through_sns_from_the_deployed_topic(deployed: Deployed) -> None:
    from moto.sns.models import sns_backends

    _seed(deployed)
    ben = seed.PEOPLE[2]
    message = {
        "originationNumber": ben.phone,
        "destinationNumber": seed.SMS_NUMBER,
        "messageKeyword": "KEYWORD_123456789012",
        "messageBody": "STATUS",
        "inboundMessageId": str(uuid.uuid4()),
        "previousPublishedMessageId": str(uuid.uuid4()),
    }
    topic = deployed.physical["InboundSmsTopic"]
    event = {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic}:{uuid.uuid4()}",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": str(uuid.uuid4()),
                    "TopicArn": topic,
                    "Subject": None,
                    "Message": json.dumps(message),
                    "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/cert.pem",
                    "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
                    "MessageAttributes": {},
                },
            }
        ]
    }
    # When the inbound text arrives through the deployed topic's subscription
    result = deployed.invoke("SnsSmsFunction", event)
    # Then the reply goes out through SNS to the sender
    assert result == {"handled": 1}
    sent = list(sns_backends["123456789012"][REGION].sms_messages.values())
    assert any(phone == ben.phone and "Clocked out" in text for phone, text in sent), sent
