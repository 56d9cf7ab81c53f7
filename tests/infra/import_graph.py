"""What each handler's code can import from outside the project, read from the source (nothing runs).

From a handler's module, every `import` in bot/, core/ and notifications/ is followed, at module
level or inside a function: a deferred import still runs on some path, and a package that lacks
its module fails there, in production, later. Standard-library names are dropped; what is left is
what the function's package has to carry (or the Lambda runtime: boto3, botocore).
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "core", "notifications")
NOT_IN_LAMBDA = {"bot.cli"}  # the operator's command line
RUNTIME_PROVIDED = {"boto3", "botocore"}  # the Lambda runtime's own copies


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


@cache
def imported_names(module: str) -> frozenset[str]:
    """Every module name `module` imports anywhere in its body, relative imports made absolute."""
    path = module_path(module)
    assert path is not None, module
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return frozenset(found)


def outside_imports(handler_module: str) -> dict[str, set[str]]:
    """Top-level name (`twilio`) -> the full names imported (`twilio.rest`), over the handler's reach."""
    seen: set[str] = set()
    outside: dict[str, set[str]] = {}
    todo = [handler_module]
    while todo:
        current = todo.pop()
        if current in seen or current in NOT_IN_LAMBDA:
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run too
        for name in imported_names(current):
            top = name.split(".")[0]
            if top in PACKAGES:
                if module_path(name):
                    todo.append(name)
            elif top not in sys.stdlib_module_names and top != "__future__":
                outside.setdefault(top, set()).add(name)
    return outside


def imported_distributions(handler_module: str) -> dict[str, set[str]]:
    """Distribution (normalised, `slack-bolt`) -> top-level names of it the code imports; runtime ones left out."""
    from infra.build import normalize

    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for top in outside_imports(handler_module):
        if top in RUNTIME_PROVIDED:
            continue
        for owner in owners.get(top, [top]):
            found.setdefault(normalize(owner), set()).add(top)
    return found
