"""Read infra/template.yaml: the one place handler paths, env vars, routes and the table shape are declared.

Tests and the local stack use this instead of repeating what the template says.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).with_name("template.yaml")
SERVERLESS_FUNCTION = "AWS::Serverless::Function"


class _CfnLoader(yaml.SafeLoader):
    """A YAML loader that keeps CloudFormation short-form tags (!Ref, !GetAtt, !Sub ...) as dicts."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


def read_template(path: Path) -> dict[str, Any]:
    """A CloudFormation template in YAML, short-form tags and all (`sam build` writes one too)."""
    return yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


@cache
def load_template() -> dict[str, Any]:
    return read_template(TEMPLATE_PATH)


def resources(kind: str | None = None) -> dict[str, dict[str, Any]]:
    found = load_template()["Resources"]
    return {name: res for name, res in found.items() if kind is None or res["Type"] == kind}


def functions() -> dict[str, dict[str, Any]]:
    """Serverless functions by logical id, each with its Handler and merged environment variables."""
    template = load_template()
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    out = {}
    for name, res in resources(SERVERLESS_FUNCTION).items():
        props = res["Properties"]
        env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
        out[name] = {**props, "EnvironmentVariables": env}
    return out


def function_setting(name: str, key: str) -> Any:
    """A function property, falling back to Globals (Timeout, MemorySize, Runtime ...)."""
    props = resources(SERVERLESS_FUNCTION)[name]["Properties"]
    return props.get(key, load_template().get("Globals", {}).get("Function", {}).get(key))


@dataclass(frozen=True)
class Route:
    """One HttpApi route: `POST /sms/twilio` -> TwilioSmsFunction (bot.sms.twilio_handler.handler)."""

    method: str
    path: str  # may hold {name} and {name+} parameters, as API Gateway writes them
    function: str
    handler: str
    payload_format: str

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


def http_routes() -> list[Route]:
    routes = []
    for name, props in functions().items():
        for event in props.get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            ev = event["Properties"]
            routes.append(
                Route(
                    method=str(ev.get("Method", "ANY")).upper(),
                    path=ev["Path"],
                    function=name,
                    handler=props["Handler"],
                    payload_format=str(ev.get("PayloadFormatVersion", "2.0")),
                )
            )
    return routes


def topic_subscribers() -> dict[str, list[str]]:
    """SNS topic logical id -> the functions its SNS events invoke."""
    found: dict[str, list[str]] = {}
    for name, props in functions().items():
        for event in props.get("Events", {}).values():
            if event["Type"] == "SNS":
                found.setdefault(event["Properties"]["Topic"]["Ref"], []).append(name)
    return found


def table_definition(table_name: str) -> dict[str, Any]:
    """create_table arguments for the template's table, for moto in tests and the local stack."""
    props = resources("AWS::DynamoDB::Table")["Table"]["Properties"]
    return {
        "TableName": table_name,
        "BillingMode": props["BillingMode"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "GlobalSecondaryIndexes": props["GlobalSecondaryIndexes"],
        "StreamSpecification": {"StreamEnabled": True, **props["StreamSpecification"]},
    }


def ttl_attribute() -> str:
    props = resources("AWS::DynamoDB::Table")["Table"]["Properties"]
    return str(props["TimeToLiveSpecification"]["AttributeName"])


# -- intrinsic functions, for the local stack -------------------------------------------------

_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


class Resolver:
    """Evaluates the intrinsics the template's environment uses, against known physical values.

    `refs` maps parameter names, pseudo parameters (AWS::Region ...) and logical ids to what
    `!Ref` returns; `GetAtt` is looked up as "Logical.Attribute". Unknown names raise KeyError,
    so a new reference cannot silently become an empty string.
    """

    def __init__(self, refs: dict[str, str]) -> None:
        self.refs = refs
        self._conditions = load_template().get("Conditions", {})

    def condition(self, name: str) -> bool:
        return bool(self.value(self._conditions[name]))

    def value(self, node: Any) -> Any:  # noqa: C901 - one branch per intrinsic
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if not isinstance(node, dict):
            return node
        if len(node) != 1:
            return {k: self.value(v) for k, v in node.items()}
        ((key, arg),) = node.items()
        if key == "Ref":
            return self.refs[arg]
        if key == "Fn::GetAtt":
            return self.refs[".".join(arg)]
        if key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self.value(arg[1]))
            return _SUB_VAR.sub(lambda m: str(extra.get(m[1]) or self.refs[m[1]]), text)
        if key == "Fn::Join":
            return str(arg[0]).join(str(v) for v in self.value(arg[1]))
        if key == "Fn::If":
            name, yes, no = arg
            return self.value(yes if self.condition(name) else no)
        if key == "Fn::Equals":
            left, right = self.value(arg)
            return str(left) == str(right)
        if key == "Fn::Not":
            return not self.value(arg[0])
        if key == "Fn::And":
            return all(self.value(v) for v in arg)
        if key == "Fn::Or":
            return any(self.value(v) for v in arg)
        if key == "Condition":
            return self.condition(arg)
        return {key: self.value(arg)}


def parameter_defaults() -> dict[str, str]:
    return {name: str(p.get("Default", "")) for name, p in load_template().get("Parameters", {}).items()}


def function_environment(name: str, resolver: Resolver) -> dict[str, str]:
    """The environment a deployed function would get, with every intrinsic resolved."""
    env = functions()[name]["EnvironmentVariables"]
    return {key: str(resolver.value(value)) for key, value in env.items()}


# -- the offline SAM translation, for tests --------------------------------------------------


class _StubPolicyLoader:
    """The AWS managed policies SAM attaches, without asking IAM for its list (no network)."""

    def load(self) -> dict[str, str]:
        return {
            "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        }


def translate(
    parameters: dict[str, str] | None = None, code_uri: str = "s3://punchclock-artifacts/code.zip"
) -> dict[str, Any]:
    """The template as plain CloudFormation, the way `sam deploy` would hand it over.

    CodeUri points at S3 (as `sam package` leaves it) because the translator does not upload.
    """
    from samtranslator.translator.transform import transform  # deferred: ~0.5 s, tests only

    template = copy.deepcopy(load_template())
    for res in template["Resources"].values():
        if res["Type"] == SERVERLESS_FUNCTION:
            res["Properties"]["CodeUri"] = code_uri
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator needs a region, not a session
    return transform(template, dict(parameters or {}), _StubPolicyLoader())
