"""The template and the code agree: every Handler exists, every env var the code reads is declared.

Names are read from the source: the constants passed to os.environ / os.getenv / get_secret in
bot/, core/ and notifications/. Each must be declared by a function in the template (a secret by
its own name or by its `_PARAM` SSM name). Which function needs which name is not checked here:
imports are followed only to tell the scanner works; a static reading cannot tell which optional
path (Slack notices from the SMS door, say) a function really takes.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

import pytest

from infra.template import functions

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "core", "notifications")
# Set by the Lambda runtime or by boto3's own configuration, never by the template.
RUNTIME_PROVIDED = ("AWS_", "LAMBDA_", "_HANDLER", "_X_AMZN_")
# Modules that are not part of any Lambda function (operator tools).
NOT_IN_LAMBDA = {"bot.cli"}


def _module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module loads: module level, including under `if`/`try`, not in defs."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If | ast.Try):
            todo.extend(ast.iter_child_nodes(node))
    return found


@cache
def _imports(module: str) -> frozenset[str]:
    path = _module_path(module)
    if path is None:
        return frozenset()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _top_level_imports(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return frozenset(n for n in found if n.split(".")[0] in PACKAGES and _module_path(n))


def _closure(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen or current in NOT_IN_LAMBDA:
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run too
        todo.extend(_imports(current))
    return seen


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


@cache
def _reads(module: str) -> frozenset[tuple[str, str]]:
    """(kind, NAME) for every constant env name the module reads: kind is 'env' or 'secret'."""
    path = _module_path(module)
    assert path is not None
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name, func = node.args[0].value, node.func
            if not isinstance(name, str):
                continue
            if (isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value)) or (
                isinstance(func, ast.Attribute) and func.attr == "getenv"
            ):
                found.add(("env", name))
            elif (
                isinstance(func, ast.Name | ast.Attribute)
                and getattr(func, "id", getattr(func, "attr", "")) == "get_secret"
            ):
                found.add(("secret", name))
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            found.add(("env", str(node.slice.value)))
    return frozenset(found)


def _all_modules() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in NOT_IN_LAMBDA:
                found.append(name)
    return found


def _missing(declared: set[str], reads: set[tuple[str, str]]) -> list[str]:
    """Names read but not declared; a name is declared by its value or, for a secret, its SSM name."""
    missing = set()
    for _, name in reads:
        if name.startswith(RUNTIME_PROVIDED) or name in declared:
            continue
        if f"{name}_PARAM" not in declared:
            missing.add(name)
    return sorted(missing)


@pytest.mark.parametrize("name", sorted(functions()))
def test_handler_imports_and_is_callable(name: str) -> None:
    module_name, _, attr = functions()[name]["Handler"].rpartition(".")
    handler = getattr(importlib.import_module(module_name), attr)
    assert callable(handler)


def test_every_env_var_the_code_reads_is_declared_somewhere() -> None:
    declared = {name for props in functions().values() for name in props["EnvironmentVariables"]}
    reads = {read for module in _all_modules() for read in _reads(module)}
    assert _missing(declared, reads) == []


def test_the_scanner_sees_what_the_code_reads() -> None:
    # Guard against a scanner that silently finds nothing.
    reads = {read for module in _closure("core.store.factory") for read in _reads(module)}
    assert ("env", "TABLE_NAME") in reads
    assert ("secret", "SLACK_SIGNING_SECRET") in _reads("bot.slack.settings")
