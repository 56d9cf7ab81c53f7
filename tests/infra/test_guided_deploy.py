"""`sam deploy --guided`, answered as README's Deploy section says, goes through to AWS's door.

The README's table of prompts is the script: the first `code` in an answer is typed, an answer
starting with "Enter" is an empty line. Without the SAM CLI only the table itself is checked
against the template; `make deploy-check` gives SAM (the CLI) and DEPLOY_CHECK_DIR (what
`sam build` made) and runs the deploy itself, with every AWS call pointed at a closed port on
this machine and made-up credentials: it stops at its first call, having sent nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from infra.template import load_template
from tests.infra.import_graph import ROOT

SAM = os.environ.get("SAM")
DEPLOY_CHECK_DIR = os.environ.get("DEPLOY_CHECK_DIR")
REACHED = "Looking for resources needed for deployment"
CLOSED_PORT = "http://127.0.0.1:9"  # discard: nothing listens there


def readme_answers() -> list[tuple[str, str]]:
    """(prompt, what to type) for each row of the Deploy section's prompt table, in order."""
    section = (ROOT / "README.md").read_text().split("## Deploy to AWS", 1)[1].split("\n## ", 1)[0]
    answers = []
    for prompt, answer in re.findall(r"^\s*\| `([^`]+)` \| ([^|]*) \|", section, re.M):
        typed = re.search(r"`([^`]*)`", answer)
        assert answer.startswith("Enter") or typed, f"README: answer {prompt!r} with Enter or a `value` to type"
        answers.append((prompt, "" if answer.startswith("Enter") else typed[1] if typed else ""))
    return answers


def test_readme_answers_every_parameter_in_the_order_the_deploy_asks() -> None:
    # The guided deploy asks for the template's parameters in the template's order.
    asked = [prompt.removeprefix("Parameter ") for prompt, _ in readme_answers() if prompt.startswith("Parameter ")]
    assert asked == list(load_template()["Parameters"])


def test_readme_answers_are_values_cloudformation_accepts() -> None:
    # The guided deploy checks nothing; CloudFormation would refuse a bad value only after the upload.
    parameters = load_template()["Parameters"]
    for prompt, typed in readme_answers():
        if prompt.startswith("Parameter "):
            spec = parameters[prompt.removeprefix("Parameter ")]
            value = typed or str(spec.get("Default", ""))
            if "AllowedPattern" in spec:
                assert re.fullmatch(spec["AllowedPattern"], value), f"{prompt}: {value!r}"
            if "AllowedValues" in spec:
                assert value in [str(v) for v in spec["AllowedValues"]], f"{prompt}: {value!r}"


def test_readme_answers_yes_to_each_route_without_an_authorizer() -> None:
    # The default (N) ends the deploy with "Security Constraints Not Satisfied!".
    routes = sum(
        1
        for resource in load_template()["Resources"].values()
        for event in resource.get("Properties", {}).get("Events", {}).values()
        if event["Type"] == "HttpApi"
    )
    answers = [typed for prompt, typed in readme_answers() if prompt.endswith("has no authentication. Is this okay?")]
    assert answers == ["y"] * routes


@pytest.mark.skipif(not (SAM and DEPLOY_CHECK_DIR), reason="needs the SAM CLI and a build: make deploy-check")
def test_the_guided_deploy_answered_from_the_readme_reaches_aws_and_nothing_more(tmp_path: Path) -> None:
    assert SAM and DEPLOY_CHECK_DIR
    # Given infra/ as the operator has it after `sam build`: samconfig.toml and .aws-sam/build
    (tmp_path / "samconfig.toml").write_text((ROOT / "infra" / "samconfig.toml").read_text())
    (tmp_path / ".aws-sam").mkdir()
    (tmp_path / ".aws-sam" / "build").symlink_to((ROOT / DEPLOY_CHECK_DIR / "build").resolve())
    answers = readme_answers()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),  # no ~/.aws of this machine
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00",
        "AWS_SECRET_ACCESS_KEY": "made-up",
        "AWS_ENDPOINT_URL": CLOSED_PORT,
        "AWS_MAX_ATTEMPTS": "1",
        "SAM_CLI_TELEMETRY": "0",
    }
    # When `sam deploy --guided` is answered line by line from the README
    done = subprocess.run(
        [str((ROOT / SAM).resolve()), "deploy", "--guided"],
        input="".join(typed + "\n" for _, typed in answers),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    # Then it asks exactly the README's prompts, in the README's order
    asked = re.findall(r"\t([^\t\n]+?) \[[^\]\n]*\]: ", output)
    assert asked == [prompt for prompt, _ in answers], output
    # And gets past them to its first AWS call, which finds nothing there
    assert REACHED in output, output
    assert "Security Constraints Not Satisfied" not in output
    assert done.returncode != 0 and "127.0.0.1:9" in output, output
    # And saved nothing: the configuration is written only after that call
    assert (tmp_path / "samconfig.toml").read_text() == (ROOT / "infra" / "samconfig.toml").read_text()
    print(output[output.index("Setting default arguments") :])  # the transcript, for the record (pytest -s)
