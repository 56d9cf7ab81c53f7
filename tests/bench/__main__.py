"""`python -m tests.bench [--quick] [section ...]`: run the sections (all but `local_store` by default)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from tests.bench.common import ROOT, machine, save_section

# The handlers' loggers are made on import: quiet before any is imported (warnings and errors still show).
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "punchclock")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")


def _commands(quick: bool) -> None:
    from tests.bench.commands import bench_commands, print_commands

    results = bench_commands(quick)
    for key, figures in results.items():
        save_section(key, figures)
    print_commands(results)


def _week(quick: bool) -> None:
    from tests.bench.week import bench_week, print_week

    results = bench_week(quick)
    for key, figures in results.items():
        save_section(key, figures)
    print_week(results)


def _sms(quick: bool) -> None:
    from tests.bench.sms import bench_sms, print_sms

    figures = bench_sms()
    save_section("sms", figures)
    print_sms(figures)


def _cold(quick: bool) -> None:
    from tests.bench.cold import bench_cold, print_cold

    figures = bench_cold(quick)
    save_section("cold_init", figures)
    print_cold(figures)


def _scaling(quick: bool) -> None:
    from tests.bench.scaling import bench_scaling, print_scaling

    figures = bench_scaling(quick)
    save_section("summary_scaling", figures)
    print_scaling(figures)


def _load(quick: bool) -> None:
    from tests.bench.load import bench_load, print_load

    figures = bench_load(quick)
    save_section("load", figures)
    print_load(figures)


def _local_store(quick: bool) -> None:
    from tests.bench_local_store import bench_local_store

    bench_local_store(quick)


SECTIONS: dict[str, Callable[[bool], None]] = {
    "commands": _commands,  # ddb_calls, ddb_calls_cold, warm_latency
    "week": _week,  # scans, cost
    "sms": _sms,
    "cold_init": _cold,
    "summary_scaling": _scaling,
    "load": _load,
    "local_store": _local_store,
}
DEFAULT = [name for name in SECTIONS if name != "local_store"]  # local_store: ~15 min on its own


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes and fewer runs: minutes, not a quarter hour"
    )
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="section",
        help=f"any of {', '.join(SECTIONS)}, or all (default: all but local_store)",
    )
    parser.add_argument("--readme", action="store_true", help="only rewrite README's numbers from bench/results.json")
    args = parser.parse_args(argv)
    if args.readme:
        from tests.bench.readme import rewrite_readme

        rewrite_readme()
        return
    unknown = set(args.sections) - {*SECTIONS, "all"}
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)} or all")
    chosen = list(SECTIONS) if "all" in args.sections else (args.sections or DEFAULT)
    os.chdir(ROOT)
    print(f"machine: {machine()}", flush=True)
    took: dict[str, float] = {}
    for name in chosen:
        started = time.perf_counter()
        print(f"\n== {name}{' (quick)' if args.quick else ''}", flush=True)
        SECTIONS[name](args.quick)
        took[name] = time.perf_counter() - started
        print(f"({name}: {took[name]:.0f} s)", flush=True)
    print("\nsections took: " + ", ".join(f"{k} {v:.0f} s" for k, v in took.items()))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
