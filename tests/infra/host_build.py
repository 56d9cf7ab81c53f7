"""Lambda packages built for this machine, so that they can be imported and timed here.

The packages `sam build` makes carry arm64 wheels, which an x86-64 machine cannot load (pydantic's
core, for one). These follow the same recipe (infra/build.py) with this machine's wheels, and run
as Lambda runs them: a Python 3.12 with no site-packages (-S), no PYTHON* variables (-E), no
bytecode written (-B: /var/task is read-only), the package first on sys.path and boto3 from a
folder of its own, as the runtime provides it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from infra import build
from infra.template import functions

# What a handler's module needs at import (the template sets these; the values do not matter here).
IMPORT_ENV = {"TABLE_NAME": "bench", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


def python312() -> str:
    found = build.find_target_python()
    assert found, "no Python 3.12 here (python3.12 on PATH, pyenv's 3.12, or LAMBDA_PYTHON)"
    return found


def build_packages(dest: Path) -> dict[str, Path]:
    """Every function's package, built for this machine, by logical id."""
    packages = {}
    for name in sorted(functions()):
        packages[name] = dest / name
        build.build(name, packages[name], build.HOST)
    return packages


def build_runtime(dest: Path) -> Path:
    """boto3 and botocore compiled for 3.12, standing in for the Lambda runtime's own."""
    python = python312()
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    subprocess.run([*pip, "--target", str(dest), "boto3"], check=True)
    build.compile_bytecode(dest, python)
    return dest


def run_in_package(package: Path, runtime: Path, code: str, env: dict[str, str] | None = None) -> str:
    """Run `code` as the function's container would, with the package and runtime; its stdout."""
    prelude = f"import sys; sys.path[:0] = [{str(package)!r}, {str(runtime)!r}]\n"
    done = subprocess.run(
        [python312(), "-B", "-E", "-S", "-c", prelude + code],
        cwd=package.parent,  # '' on sys.path: nothing of the checkout is importable from here
        env={**IMPORT_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{package.name}:\n{done.stderr}"
    return done.stdout
