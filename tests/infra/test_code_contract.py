"""The template and the code agree: every Handler exists, every setting the code reads is declared.

The environment is read in one place, core/settings.py (through core/bootstrap.py, and the CLI's
--table): the scanner checks nobody else reads it, and every name the Settings model reads is
declared by a function in the template (a secret by its own name or by its `_PARAM` SSM name).
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


# Where the environment may be read: the settings, the root that hands them os.environ, the CLI's --table.
READS_THE_ENVIRONMENT = {"core.settings", "core.bootstrap", "bot.cli"}


def _touches_environ(module: str) -> bool:
    path = _module_path(module)
    assert path is not None
    return any(
        _is_environ(node) or (isinstance(node, ast.Attribute) and node.attr == "getenv")
        for node in ast.walk(ast.parse(path.read_text()))
    )


def test_only_the_settings_read_the_environment() -> None:
    readers = {module for module in [*_all_modules(), "bot.cli"] if _touches_environ(module)}
    assert readers <= READS_THE_ENVIRONMENT, sorted(readers - READS_THE_ENVIRONMENT)


def test_every_setting_the_code_reads_is_declared_somewhere() -> None:
    from core.settings import LOCAL_ONLY, SECRETS, Settings

    declared = {name for props in functions().values() for name in props["EnvironmentVariables"]}
    declared |= set(LOCAL_ONLY)  # the template's functions keep their default (DynamoDB)
    names = {field.alias for field in Settings.model_fields.values() if field.alias}
    reads = {("env", name) for name in names} | {("secret", name) for name in SECRETS}
    assert _missing(declared, reads) == []


def test_the_scanner_sees_what_the_code_reads() -> None:
    # Guard against a scanner that silently finds nothing.
    assert _touches_environ("core.bootstrap")
    assert "core.settings" in _closure("bot.slack.handler")
