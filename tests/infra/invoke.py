"""Run one Lambda handler in a fresh process, as a new container would.

`python -m tests.infra.invoke <module.attr> <function-name> < event.json`: the environment is the
deployed function's; the result is printed on the last line, after `RESULT `.
"""

from __future__ import annotations

import importlib
import json
import sys

from infra.local.lambdas import Function, LambdaContext


def main() -> None:
    handler_path, function_name = sys.argv[1], sys.argv[2]
    event = json.load(sys.stdin)
    module, _, attr = handler_path.rpartition(".")
    function = Function(logical_id=function_name, name=function_name, handler=handler_path, timeout_s=10, memory_mb=512)
    result = getattr(importlib.import_module(module), attr)(event, LambdaContext(function))
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
