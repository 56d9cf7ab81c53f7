"""Read infra/template.yaml: the one place handler paths, env vars and the table shape are declared.

Tests and the local stack use this instead of repeating what the template says.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).with_name("template.yaml")


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


@cache
def load_template() -> dict[str, Any]:
    return yaml.load(TEMPLATE_PATH.read_text(), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


def resources(kind: str | None = None) -> dict[str, dict[str, Any]]:
    found = load_template()["Resources"]
    return {name: res for name, res in found.items() if kind is None or res["Type"] == kind}


def functions() -> dict[str, dict[str, Any]]:
    """Serverless functions by logical id, each with its Handler and merged environment variables."""
    template = load_template()
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    out = {}
    for name, res in resources("AWS::Serverless::Function").items():
        props = res["Properties"]
        env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
        out[name] = {**props, "EnvironmentVariables": env}
    return out


def table_definition(table_name: str) -> dict[str, Any]:
    """create_table arguments for the template's table, for moto in tests and the local stack."""
    props = resources("AWS::DynamoDB::Table")["Table"]["Properties"]
    return {
        "TableName": table_name,
        "BillingMode": props["BillingMode"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "GlobalSecondaryIndexes": props["GlobalSecondaryIndexes"],
    }


def ttl_attribute() -> str:
    props = resources("AWS::DynamoDB::Table")["Table"]["Properties"]
    return str(props["TimeToLiveSpecification"]["AttributeName"])
