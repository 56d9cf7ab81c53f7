"""Build one Lambda function's package: `python infra/build.py SlackFunction <folder>`.

`sam build` runs this through `make build-<Function>` (the template's `BuildMethod: makefile`).
The package holds the code (bot/, core/, notifications/) and only the distributions that
function's code imports (infra/packages.toml), as CPython 3.12 wheels for Lambda's arm64,
compiled to bytecode by a Python 3.12: without .pyc files every cold start compiles each module
it imports, and /var/task is read-only, so every cold start pays again.

Runs on Python 3.11 or newer (it reads TOML). The bytecode needs a Python 3.12 too: LAMBDA_PYTHON,
else `python3.12` (pyenv's included); without one the package ships source only, and says so.
Standard library only: it runs on whatever Python `sam build` finds, not in the project's venv.
"""

from __future__ import annotations

import sys

MINIMUM_BUILD_PYTHON = (3, 11)
if sys.version_info < MINIMUM_BUILD_PYTHON:
    sys.exit(
        f"error: building Punchclock's Lambda packages needs Python 3.11 or newer; this is "
        f"{sys.version.split()[0]} ({sys.executable}). Install one, then run sam build with it on PATH "
        f"as python3, or name it: PYTHON=python3.12 sam build"
    )

import argparse  # noqa: E402 - after the version check, which must speak first
import email.parser  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tomllib  # noqa: E402
from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PACKAGES_TOML = ROOT / "infra" / "packages.toml"
CODE = ("bot", "core", "notifications")
# The template's Globals: Runtime python3.12, Architectures [arm64]. pip picks wheels for them.
TARGET_PYTHON = (3, 12)
LAMBDA_PLATFORM = "manylinux2014_aarch64"
HOST = "host"  # wheels for this machine instead, so that a test or a benchmark can import the package


def normalize(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): `Slack_Bolt` is `slack-bolt`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(text: str) -> tuple[str, set[str], str]:
    """`aws-lambda-powertools[parser]>=3.0; extra == "x"` -> (name, extras, the rest)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?(.*)", text)
    if not match:
        raise ValueError(f"not a requirement: {text!r}")
    extras = {normalize(e) for e in (match[2] or "").split(",") if e.strip()}
    return normalize(match[1]), extras, match[3]


@cache
def settings() -> dict[str, dict[str, Any]]:
    """infra/packages.toml."""
    return tomllib.loads(PACKAGES_TOML.read_text())


def function_settings(function: str) -> dict[str, list[str]]:
    functions: dict[str, dict[str, list[str]]] = settings()["functions"]
    if function not in functions:
        raise SystemExit(f"error: {function} is not in {PACKAGES_TOML.name} (known: {', '.join(functions)})")
    return functions[function]


def leave_out() -> dict[str, set[str]]:
    table: dict[str, list[str]] = settings().get("leave_out", {})
    return {normalize(parent): {normalize(n) for n in names} for parent, names in table.items()}


def dependencies() -> list[str]:
    """pyproject.toml's dependencies: the one place their version ranges are written."""
    project: dict[str, list[str]] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"]


def requirements(function: str) -> list[str]:
    """The function's distributions, each with pyproject.toml's version range: `twilio>=9.0,<10`."""
    pinned = {}
    for text in dependencies():
        name, _, rest = split_requirement(text)
        pinned[name] = rest.split(";")[0].strip()
    found = []
    for text in function_settings(function)["requires"]:
        name, extras, _ = split_requirement(text)
        if name not in pinned:
            raise SystemExit(f"error: {function} requires {name}, which pyproject.toml's dependencies do not list")
        found.append(name + (f"[{','.join(sorted(extras))}]" if extras else "") + pinned[name])
    return found


def find_target_python() -> str | None:
    """The path of a Python 3.12 to compile bytecode with: LAMBDA_PYTHON, else python3.12, else None."""
    explicit = os.environ.get("LAMBDA_PYTHON")
    found = _python312(explicit or "python3.12")
    if explicit and not found:
        raise SystemExit(f"error: LAMBDA_PYTHON={explicit} is not a working Python 3.12")
    return found


def _python312(command: str) -> str | None:
    """The interpreter's own path if `command` runs a Python 3.12."""
    env = {**os.environ, "PYENV_VERSION": "3.12"}  # pyenv's python3.12 shim runs only a selected version
    probe = "import sys; print(sys.version_info[:2] == (3, 12), sys.executable)"
    try:
        done = subprocess.run(  # noqa: S603 - the operator's own interpreter, by name or LAMBDA_PYTHON
            [command, "-c", probe], env=env, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    is_312, _, path = done.stdout.strip().partition(" ")
    return path if done.returncode == 0 and is_312 == "True" else None


def pip_install(requires: list[str], target: Path, platform: str, target_python: str | None) -> None:
    if platform == HOST:
        if not target_python:
            raise SystemExit("error: a package for this machine needs a Python 3.12 to install with")
        command = [target_python, "-m", "pip", "install"]
    else:
        version = ".".join(map(str, TARGET_PYTHON))
        command = [sys.executable, "-m", "pip", "install", "--platform", platform, "--implementation", "cp"]
        command += ["--python-version", version, "--only-binary=:all:"]
    command += ["--quiet", "--disable-pip-version-check", "--no-compile", "--target", str(target), *requires]
    subprocess.run(command, check=True)  # noqa: S603 - pip, with requirements from this repository


def installed(target: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each distribution in `target`: its .dist-info folder and its Requires-Dist lines."""
    found = {}
    for info in target.glob("*.dist-info"):
        metadata = email.parser.Parser().parsestr((info / "METADATA").read_text(encoding="utf-8"))
        found[normalize(metadata["Name"])] = (info, metadata.get_all("Requires-Dist") or [])
    return found


def needed(roots: list[str], requires_of: dict[str, list[str]], skip: dict[str, set[str]]) -> set[str]:
    """What `roots` need, transitively, without the dependencies `skip` names for each distribution.

    `requires_of` gives each available distribution's Requires-Dist lines; one missing is not needed.

    A requirement under an extra counts only when that extra was asked for; other markers are
    taken as true (pip has already left out what they exclude for Python 3.12 on Linux).
    """
    found: set[str] = set()
    todo = [split_requirement(r)[:2] for r in roots]
    while todo:
        name, extras = todo.pop()
        if name in found or name not in requires_of:
            continue
        found.add(name)
        for line in requires_of[name]:
            dependency, dependency_extras, rest = split_requirement(line)
            extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", rest)
            if extra and normalize(extra[1]) not in extras:
                continue
            if dependency not in skip.get(name, set()):
                todo.append((dependency, dependency_extras))
    return found


def remove_distribution(target: Path, info: Path) -> None:
    """Every file the distribution's RECORD lists, then the folders that left empty."""
    folders = set()
    for line in (info / "RECORD").read_text(encoding="utf-8").splitlines():
        path = (target / line.split(",")[0]).resolve()
        if path.is_relative_to(target.resolve()) and path.is_file():
            path.unlink()
            folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != target.resolve() and folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    shutil.rmtree(info, ignore_errors=True)


def prune(target: Path, requires: list[str], skip: dict[str, set[str]]) -> list[str]:
    """Remove what pip installed that `requires` do not need once `skip` (leave_out) is honoured."""
    found = installed(target)
    keep = needed(requires, {name: lines for name, (_, lines) in found.items()}, skip)
    removed = sorted(set(found) - keep)
    for name in removed:
        remove_distribution(target, found[name][0])
    return removed


def trim(target: Path) -> list[str]:
    """Apply `keep_only`: in each folder named there, remove every entry not listed."""
    removed = []
    keep_only: dict[str, list[str]] = settings().get("keep_only", {})
    for folder, kept in keep_only.items():
        for entry in (target / folder).glob("*"):
            if entry.name in kept:
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(f"{folder}/{entry.name}")
    return removed


def copy_code(target: Path) -> None:
    for package in CODE:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True
        )


def compile_bytecode(target: Path, target_python: str) -> None:
    """.pyc next to every module, for CPython 3.12 only (bytecode is per minor version).

    Unchecked hash-based .pyc files (PEP 552) are used without comparing them to the source's
    modification time, which a zip file keeps only to 2 seconds: timestamp-checked ones could be
    judged stale in /var/task and compiled again on every cold start.
    """
    command = [target_python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash"]
    subprocess.run([*command, str(target)], check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our folder


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(function: str, target: Path, platform: str = LAMBDA_PLATFORM) -> None:
    target.mkdir(parents=True, exist_ok=True)
    target_python = find_target_python()
    requires = requirements(function)
    pip_install(requires, target, platform, target_python)
    removed = prune(target, requires, leave_out())
    trimmed = trim(target)
    copy_code(target)
    if target_python:
        compile_bytecode(target, target_python)
        bytecode = f"bytecode by {target_python}"
    else:
        bytecode = "NO bytecode"
        print(
            f"warning: no Python 3.12 found, so {function} ships without bytecode. It works, but each cold "
            "start compiles every module it imports (about twice as slow, by make bench). Install Python 3.12 "
            "(python3.12 on PATH) or set LAMBDA_PYTHON=/path/to/python3.12, then build again.",
            file=sys.stderr,
        )
    left_out = f"; left out, no code here imports them: {', '.join(removed)}" if removed else ""
    left_out += f"; {len(trimmed)} entries trimmed (keep_only)" if trimmed else ""
    size = folder_size(target) / 1e6
    print(f"{function}: {', '.join(requires)}; {size:.1f} MB, {bytecode}{left_out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("function", help="logical id in template.yaml, e.g. SlackFunction")
    parser.add_argument("folder", help="where the package goes (sam build's ARTIFACTS_DIR)")
    parser.add_argument(
        "--platform", default=LAMBDA_PLATFORM, help=f"pip platform tag, or '{HOST}' (default: {LAMBDA_PLATFORM})"
    )
    args = parser.parse_args(argv)
    if not args.folder:
        raise SystemExit("error: no folder given (sam build sets ARTIFACTS_DIR; by hand: ARTIFACTS_DIR=/tmp/x)")
    build(args.function, Path(args.folder), args.platform)


if __name__ == "__main__":
    main()
