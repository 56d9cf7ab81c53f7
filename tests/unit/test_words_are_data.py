"""No English outside the catalogue: a second language stays a data change (core/catalogue/en.py).

The doors (bot/), the notify side (notifications/) and the core outside its catalogue are read as
code, not run: a string constant with three words in a row is prose, and prose a person reads must
come from the catalogue. Not prose for a person: docstrings, log lines, exception messages (errors
we cause are logged; users hear a catalogue apology), dict keys and subscripts (ids), format specs.
Day and month names are words too: no strftime pattern may name them (%a, %A, %b, %B, %p).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "notifications", "core")
CATALOGUE = ROOT / "core" / "catalogue"

# Three words in a row, each of letters, one space apart (a comma or colon may end a word), not all
# capitals (a list of codes): "Nobody clocked in", "texts off: replied STOP". CSS, HTML attributes,
# ids and expressions have none.
PROSE = re.compile(r"(?<![\w#%&./:=@-])[A-Za-z][A-Za-z']*(?:[,:;]? [A-Za-z][A-Za-z']*){2}(?![\w/=(-])")
NAMED_DATES = re.compile(r"%[aAbBp]")
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
LOG_HELPERS = frozenset({"_note"})  # bot/slack/listeners.py: one structured log line per request

# Files (or one text in a file) whose English is not said to a worker or a manager, and why.
ALLOWED: dict[str, str] = {
    "bot/cli.py": "the operator's terminal tool: argparse help and errors, in English like the logs and docs",
    "core/services/imports.py": "the CLI's punch import: its per-line errors are printed by bot/cli.py",
    "core/timesheet_export.py": "FIELDS documents the export's columns, for the CLI's --help",
    "core/grammar.py": "what people type (the spellings the grammar reads), not what Punchclock says",
    "core/domain/meal_rules.py": "legal names and citations, quoted as they are in any language",
    "core/store/sqlite.py": "SQL statements, read by SQLite",
    "core/store/transfer.py": "the CLI's export / import: its errors are printed by bot/cli.py",
    "core/services/corrections.py:self-approved: no other manager": "an audit note stored with the decision",
}


def _python_files() -> Iterator[Path]:
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if CATALOGUE not in path.parents:
                yield path


def _not_for_people(tree: ast.AST) -> set[int]:
    """The ids of string constants nobody reads as a message."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip(first)
            if isinstance(node, ast.ClassDef) and any(_is_exception(base) for base in node.bases):
                skip(node)  # an exception's own message (super().__init__("..."))
        elif isinstance(node, ast.Call) and _logs(node.func):
            skip(node)
        elif isinstance(node, ast.Raise):
            skip(node.exc)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                skip(key)
        elif isinstance(node, ast.Subscript):
            skip(node.slice)
        elif isinstance(node, ast.FormattedValue):
            skip(node.format_spec)
    return skipped


def _logs(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr in LOG_METHODS
    return isinstance(func, ast.Name) and func.id in LOG_HELPERS


def _is_exception(base: ast.expr) -> bool:
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
    return name.endswith(("Exception", "Error"))


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = _not_for_people(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value


def _prose(text: str) -> bool:
    return any(not run.group().isupper() for run in PROSE.finditer(text))


def _allowed(relative: str, text: str) -> bool:
    return relative in ALLOWED or f"{relative}:{text}" in ALLOWED


def test_no_prose_outside_the_catalogue() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _python_files()
        for line, text in _strings(path)
        if _prose(text) and not _allowed(str(path.relative_to(ROOT)), text)
    ]
    assert found == [], "words for people belong in core/catalogue/en.py:\n" + "\n".join(found)


def test_no_day_or_month_names_from_strftime() -> None:
    # Given strftime's names are always English, Then dates with names come from the catalogue (`written`)
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _python_files()
        for line, text in _strings(path)
        if NAMED_DATES.search(text)
    ]
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = "".join(str(getattr(part, "value", "")) for part in ast.walk(node.format_spec))
                if NAMED_DATES.search(spec):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: format spec {spec!r}")
    assert found == []


def test_the_scan_sees_prose_and_passes_what_is_not() -> None:
    # Given the kinds of string the doors hold, Then only words for people are flagged
    caught = [
        "Nobody clocked in.",
        "That button is out of date: run /report again.",
        "<p>This link has expired or was already used.</p>",
        " _(texts off: replied STOP)_",
        "*Expenses this week*\n",
    ]
    passed = [
        "padding:4px 8px;border-bottom:1px solid #e4e7ec;text-align:left;vertical-align:top",
        '<form method="post" action="',
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-",
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:1.5rem auto;padding:0 1rem}",
        "x-slack-request-timestamp",
        "slack.report.line",
        " AND #sk BETWEEN :lo AND :hi",
        "AED AFN ALL AMD ANG",
        "Clock in",
    ]
    assert [text for text in caught if not _prose(text)] == []
    assert [text for text in passed if _prose(text)] == []


def test_the_allow_list_names_what_exists() -> None:
    for entry in ALLOWED:
        relative, _, text = entry.partition(":")
        path = ROOT / relative
        assert path.is_file(), entry
        assert not text or text in path.read_text(), entry
