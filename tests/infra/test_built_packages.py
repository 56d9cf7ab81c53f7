"""The packages `sam build` made: each holds what its handler imports, compiled for Python 3.12.

Run by `make deploy-check`, which builds into DEPLOY_CHECK_DIR first; skipped otherwise. The
imports run from packages built the same way for this machine (tests/infra/host_build.py): the
arm64 ones cannot load here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from infra import build
from infra.template import functions, read_template
from tests.infra import host_build
from tests.infra.import_graph import ROOT, RUNTIME_PROVIDED, outside_imports

DEPLOY_CHECK_DIR = os.environ.get("DEPLOY_CHECK_DIR")
pytestmark = pytest.mark.skipif(not DEPLOY_CHECK_DIR, reason="needs `sam build` output: make deploy-check")
SETTINGS = build.settings()["functions"]
FUNCTIONS = sorted(functions())
HASH_BASED_UNCHECKED = 0b01  # PEP 552 flags: hash-based, source never checked


def _built(function: str) -> Path:
    return ROOT / str(DEPLOY_CHECK_DIR) / "build" / function


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Path]:
    folder = tmp_path_factory.mktemp("host-packages")
    return host_build.build_packages(folder), host_build.build_runtime(folder / "runtime")


def test_the_built_template_gives_each_function_its_own_package() -> None:
    built = read_template(ROOT / str(DEPLOY_CHECK_DIR) / "build" / "template.yaml")
    for name in FUNCTIONS:
        assert built["Resources"][name]["Properties"]["CodeUri"] == name


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_package_holds_its_distributions_and_nothing_left_out(function: str) -> None:
    found = build.installed(_built(function))
    roots = {build.split_requirement(r)[0] for r in SETTINGS[function]["requires"]}
    assert roots <= set(found), f"{function} lacks {sorted(roots - set(found))}"
    requires_of = {name: lines for name, (_, lines) in found.items()}
    assert set(found) == build.needed(SETTINGS[function]["requires"], requires_of, build.leave_out())
    absent = set().union(*build.leave_out().values()) | set(SETTINGS[function].get("never_imported", []))
    assert not absent & set(found), f"{function} carries {sorted(absent & set(found))}"
    if "twilio" in found:
        kept = {p.name for p in (_built(function) / "twilio" / "rest").iterdir()} - {"__pycache__"}
        assert kept == {"__init__.py", "api"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_module_has_python_312_bytecode_used_without_checking_its_source(function: str) -> None:
    sources = list(_built(function).rglob("*.py"))
    assert len(sources) > 100
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.cpython-312.pyc"
        assert compiled.exists(), f"no bytecode for {source}"
        assert int.from_bytes(compiled.read_bytes()[4:8], "little") == HASH_BASED_UNCHECKED, compiled


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_handler_and_every_module_its_code_imports_load_from_its_own_package(
    function: str, host: tuple[dict[str, Path], Path]
) -> None:
    # Given what the handler's code can import, deferred imports included, but for what never runs here
    packages, runtime = host
    handler = str(functions()[function]["Handler"]).rpartition(".")[0]
    skipped = RUNTIME_PROVIDED | {name.replace("-", "_") for name in SETTINGS[function].get("never_imported", [])}
    imported = outside_imports(handler)
    modules = [handler, *sorted(n for top, names in imported.items() if top not in skipped for n in names)]
    # When a fresh interpreter imports them with only the package and the runtime's boto3
    code = f"""
import importlib
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as missing:  # `from package import name` names an attribute, not a module
        parent, _, attribute = name.rpartition(".")
        if missing.name != name or not hasattr(importlib.import_module(parent), attribute):
            raise
print(sys.modules["bot"].__file__)
"""
    loaded_from = host_build.run_in_package(packages[function], runtime, code)
    # Then all of it loads, the code from the package itself
    assert loaded_from.startswith(str(packages[function]))


@pytest.mark.parametrize("function", [f for f in FUNCTIONS if "twilio" in str(SETTINGS[f]["requires"])])
def test_a_text_goes_out_through_the_packaged_twilio_client(function: str, host: tuple[dict[str, Path], Path]) -> None:
    # twilio.rest keeps only its api product: the call notifications.sms makes must still work.
    packages, runtime = host
    code = """
import json
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

class Canned(TwilioHttpClient):  # the client notifications.sms uses, answering without a network
    def request(self, method, uri, params=None, data=None, **kwargs):
        self.sent = (method, uri, data)
        return Response(201, json.dumps({"sid": "SM" + "0" * 32, "status": "queued", "to": data["To"]}))

http = Canned()
client = Client("AC" + "0" * 32, "token", http_client=http)
message = client.messages.create(to="+15555550111", from_="+15555550100", body="hi")
print(json.dumps([message.sid, http.sent[0], http.sent[1], "aiohttp" in sys.modules]))
"""
    sid, method, uri, async_loaded = json.loads(host_build.run_in_package(packages[function], runtime, code))
    assert (sid, method, async_loaded) == ("SM" + "0" * 32, "POST", False)
    assert uri.endswith("/2010-04-01/Accounts/AC" + "0" * 32 + "/Messages.json")
