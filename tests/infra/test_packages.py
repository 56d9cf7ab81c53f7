"""Each function's package (infra/packages.toml) carries what its code imports, and nothing else.

Read from the source and from this environment's package metadata, without building anything;
tests/infra/test_built_packages.py checks real builds (make deploy-check).
"""

from __future__ import annotations

import os
import re
import subprocess
from importlib.metadata import distributions
from pathlib import Path

import pytest

from infra import build
from infra.template import functions
from tests.infra.import_graph import ROOT, imported_distributions

SETTINGS = build.settings()


def _handler_module(function: str) -> str:
    return str(functions()[function]["Handler"]).rpartition(".")[0]


def _requires(function: str) -> set[str]:
    return {build.split_requirement(r)[0] for r in SETTINGS["functions"][function]["requires"]}


def _never_imported(function: str) -> set[str]:
    return {build.normalize(n) for n in SETTINGS["functions"][function].get("never_imported", [])}


def _needed_here(function: str) -> set[str]:
    """What pip would install for the function minus `leave_out`, by this environment's metadata."""
    requires_of = {build.normalize(d.metadata["Name"]): d.requires or [] for d in distributions()}
    return build.needed(SETTINGS["functions"][function]["requires"], requires_of, build.leave_out())


def test_every_template_function_has_a_package_and_a_make_target() -> None:
    assert sorted(SETTINGS["functions"]) == sorted(functions())
    makefile = (ROOT / "Makefile").read_text()
    listed = re.search(r"^LAMBDA_FUNCTIONS := (.*)$", makefile, re.M)
    assert listed and sorted(listed[1].split()) == sorted(functions())
    for name in functions():
        assert build.requirements(name), name  # each name has a version range in pyproject.toml


@pytest.mark.parametrize("function", sorted(functions()))
def test_the_package_carries_every_distribution_its_code_imports(function: str) -> None:
    # Given every import reachable from the function's handler, deferred ones included
    imported = imported_distributions(_handler_module(function))
    # Then each comes with the package, or is declared never imported there (and is not carried)
    carried = _needed_here(function)
    missing = set(imported) - carried - _never_imported(function)
    assert not missing, f"{function} imports {sorted(missing)}: add them to its requires in packages.toml"
    # And each distribution asked for by name is one the code imports
    unused = _requires(function) - set(imported)
    assert not unused, f"{function} requires {sorted(unused)} but no code of its imports them"


@pytest.mark.parametrize("function", sorted(functions()))
def test_never_imported_names_a_real_import_not_in_the_package(function: str) -> None:
    # An entry that no code imports any more, or that the package carries anyway, is stale.
    imported = set(imported_distributions(_handler_module(function)))
    for name in _never_imported(function):
        assert name in imported, f"{function}: {name} is not imported at all; drop it from never_imported"
        assert name not in _needed_here(function), f"{function}: {name} is carried anyway"


def test_left_out_dependencies_are_imported_by_no_code() -> None:
    left_out = set().union(*build.leave_out().values())
    for function in functions():
        assert not left_out & set(imported_distributions(_handler_module(function))), function


def test_slack_packages_stay_out_of_the_sms_functions_and_twilio_out_of_the_aws_ones() -> None:
    carried = {function: _needed_here(function) for function in functions()}
    assert "slack-bolt" in carried["SlackFunction"]
    assert "slack-bolt" not in carried["TwilioSmsFunction"] | carried["SnsSmsFunction"]
    assert "twilio" not in carried["SnsSmsFunction"] | carried["ReceiptUploadFunction"]
    assert "aiohttp" not in set().union(*carried.values())
    settings = {"pydantic", "pydantic-core", "annotated-types", "typing-inspection"}  # core/settings.py
    assert carried["ReceiptUploadFunction"] == {"aws-lambda-powertools", "jmespath", "typing-extensions"} | settings
    assert "twilio" not in carried["SlackFunction"] and "slack-sdk" not in carried["TwilioSmsFunction"]


def _dist(target: Path, name: str, requires: list[str]) -> None:
    """A minimal installed distribution: METADATA, RECORD, and one module."""
    info = target / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("".join([f"Name: {name}\n", *(f"Requires-Dist: {r}\n" for r in requires)]))
    module = name.replace("-", "_")
    (target / module).mkdir()
    (target / module / "__init__.py").write_text("")
    (info / "RECORD").write_text(f"{module}/__init__.py,,\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n")


def test_prune_keeps_what_the_roots_need_without_the_left_out_dependencies(tmp_path: Path) -> None:
    # Given what pip installs for twilio and powertools (without its parser extra)
    _dist(tmp_path, "twilio", ["aiohttp>=3.8", "requests>=2", "PyJWT<3,>=2"])
    _dist(tmp_path, "aiohttp", ["multidict<7,>=4.5"])
    _dist(tmp_path, "multidict", [])
    _dist(tmp_path, "requests", ['PySocks!=1.5.7,>=1.5.6; extra == "socks"'])
    _dist(tmp_path, "PyJWT", [])
    powertools_requires = ['pydantic<3,>=2; extra == "parser"', 'typing-extensions; python_version < "3.13"']
    _dist(tmp_path, "aws-lambda-powertools", powertools_requires)
    _dist(tmp_path, "pydantic", [])
    _dist(tmp_path, "typing-extensions", [])
    # When pruned with twilio's aiohttp left out
    removed = build.prune(tmp_path, ["twilio>=9", "aws-lambda-powertools>=3"], {"twilio": {"aiohttp"}})
    # Then aiohttp goes with what only it needed, and so does the extra nobody asked for
    assert removed == ["aiohttp", "multidict", "pydantic"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "twilio", "twilio-1.0.dist-info", "requests", "requests-1.0.dist-info", "PyJWT", "PyJWT-1.0.dist-info",
            "aws_lambda_powertools", "aws-lambda-powertools-1.0.dist-info",
            "typing_extensions", "typing-extensions-1.0.dist-info",
        ]
    )  # fmt: skip


def test_the_build_refuses_an_old_python_with_a_clear_message() -> None:
    # pyenv keeps older Pythons on the machines this project uses; without one there is nothing to show.
    old = next((p for p in ("python3.10", "python3.9") if _runs({"PYENV_VERSION": p[6:]}, p)), None)
    if old is None:
        pytest.skip("no Python older than 3.11 here")
    done = subprocess.run(
        [old, str(ROOT / "infra" / "build.py"), "SlackFunction", "/nonexistent"],
        env=_env({"PYENV_VERSION": old[6:]}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: building Punchclock's Lambda packages needs Python 3.11 or newer")
    assert "tomllib" not in done.stderr


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


def _runs(extra: dict[str, str], python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], env=_env(extra), capture_output=True, check=False).returncode == 0
    except OSError:
        return False
