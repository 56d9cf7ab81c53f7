"""Items as JSON text and back with exact numbers: what the SQLite table stores, what an export holds.

DynamoDB's numbers are decimals of up to 38 digits, and `json` would round them through float.
Here a number is written as its own digits and read back as a Decimal, which is what DynamoDB
(and so every table, core/store/table.py's `as_stored`) gives back. Booleans stay booleans.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

_quoted = json.JSONEncoder(ensure_ascii=False).encode


def dumps(value: Any) -> str:
    """Compact JSON for an item (str, Decimal, int, float, bool, None, list, dict)."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"{value} is not a number DynamoDB can store")
    return str(value)  # "12.50", "1E+2", "-0": each one valid JSON, and read back exactly


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_quoted(value))
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif value is None:
        out.append("null")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Decimal):
        out.append(_number(value))
    elif isinstance(value, float):
        out.append(_number(Decimal(str(value))))
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, inner) in enumerate(value.items()):
            out.append("," + _quoted(str(key)) + ":" if index else _quoted(str(key)) + ":")
            _write(inner, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, inner in enumerate(value):
            if index:
                out.append(",")
            _write(inner, out)
        out.append("]")
    else:
        raise TypeError(f"cannot store {type(value).__name__} in an item")
