"""README's latest numbers, from bench/results.json: `python -m tests.bench --readme` rewrites the
part of README.md between `<!-- bench -->` and `<!-- /bench -->`."""

from __future__ import annotations

import json
from typing import Any

from tests.bench.common import RESULTS, ROOT

START, END = "<!-- bench -->", "<!-- /bench -->"


def _ok(met: bool) -> str:
    return "met" if met else "**missed**"


def markdown(r: dict[str, Any]) -> str:
    sections = sorted(
        (v for v in r.values() if isinstance(v, dict) and "measured_at" in v), key=lambda v: v["measured_at"]
    )
    dates = [v["measured_at"][:16] for v in sections]
    m = sections[-1]["machine"]
    lines = [
        f"Latest numbers, measured {dates[0]} to {dates[-1]} UTC on {m.get('cpu', '?')}, {m['cpus']} cores, "
        f"{m.get('memory_gb', '?')} GB, Python {m['python']} (`python -m tests.bench --readme` rewrites this table):",
        "",
        "| Figure | Target | Measured | |",
        "|---|---|---|---|",
    ]
    if "ddb_calls" in r:
        calls, cold = r["ddb_calls"], r["ddb_calls_cold"]["by_door"]
        for command, target in calls["targets"].items():
            got = {door: calls["by_door"][door][command]["calls"] for door in ("sms", "slack")}
            first = {door: cold[door][command]["calls"] for door in ("sms", "slack")}
            lines.append(
                f"| `ddb_calls` {command} | <= {target} warm | SMS {got['sms']}, Slack {got['slack']} "
                f"(cold: {first['sms']}, {first['slack']}) | {_ok(max(got.values()) <= target)} |"
            )
    if "scans" in r:
        s = r["scans"]
        lines.append(
            f"| `scans` | 0 | {s['scan_calls']} in {s['requests']} requests, {s['reminder_sweeps']} reminder and "
            f"{s['report_sweeps']} report sweeps | {_ok(s['scan_calls'] == 0)} |"
        )
    if "cold_init" in r:
        c = r["cold_init"]
        for name, f in sorted(c["functions"].items()):
            b, src = f["bytecode"], f["source"]
            lines.append(
                f"| `cold_init` {name} | ratio <= {c['target_ratio']} | {b['ratio']} ({b['in_process_s']} s; floor "
                f"{b['floor_in_process_s']} s); without bytecode {src['ratio']} ({src['in_process_s']} s) | "
                f"{_ok(b['ratio'] <= c['target_ratio'])} |"
            )
    if "warm_latency" in r:
        w = r["warm_latency"]
        for command, floor in w["floor"].items():
            row = [f"{door} p50 {w[door][command]['p50_ms']} ms p99 {w[door][command]['p99_ms']} ms "
                   f"x{w[door][command]['overhead_ratio']}" for door in ("sms", "slack")]  # fmt: skip
            worst = max(w[door][command]["overhead_ratio"] for door in ("sms", "slack"))
            lines.append(
                f"| `warm_latency` {command} | overhead <= {w['target_overhead_ratio']} | {'; '.join(row)} "
                f"(floor {floor['p50_ms']} ms) | {_ok(worst <= w['target_overhead_ratio'])} |"
            )
    if "summary_scaling" in r:
        sc = r["summary_scaling"]
        for report in ("daily_summary", "weekly_timesheet"):
            sizes = "; ".join(
                f"{n}: {f[report]['seconds']} s, {sum(f[report]['dynamodb_calls'].values())} calls, "
                f"{f[report]['peak_memory_mb']} MB"
                for n, f in sc["by_workers"].items()
            )
            ratio = sc[f"{report}_per_worker_ratio"]
            lines.append(
                f"| `summary_scaling` {report} | per_worker_ratio <= {sc['target_per_worker_ratio']} | {sizes}; "
                f"ratio {ratio} | {_ok(ratio <= sc['target_per_worker_ratio'])} |"
            )
    if "sms" in r:
        m = r["sms"]
        lines.append(
            f"| `sms` | 1 segment (help 2) | longest {m['longest']['code']}: {m['longest']['chars']} chars, "
            f"{m['longest']['segments']} segment; help {m['longest_help']['chars']} chars | "
            f"{_ok(not m['over_target'])} |"
        )
    if "cost" in r:
        c = r["cost"]
        biggest = sorted(c["lines_usd"].items(), key=lambda kv: -kv[1])[:4]
        parts = ", ".join(f"{k} ${v:.5f}" for k, v in biggest)
        sms = c["sms_usd_per_worker_month"]
        lines.append(
            f"| `cost` per worker-month | <= ${c['target_usd']} | ${c['total_usd']:.5f} ({parts}); SMS apart: "
            f"{sms['segments']} segments = ${sms['twilio_usd']} Twilio | {_ok(c['met'])} |"
        )
    if "load" in r:
        ld = r["load"]
        a = ld["audit"]
        met = a["lost"] == 0 and a["duplicated"] == 0 and ld["non_2xx"] == 0
        lines.append(
            f"| `load` {ld['workers']} workers | lost 0, duplicated 0, non-2xx 0 | {ld['requests']} requests, "
            f"{ld['requests_per_s']} req/s, p50 {ld['p50_s']} s, p99 {ld['p99_s']} s; lost {a['lost']}, duplicated "
            f"{a['duplicated']}, non-2xx {ld['non_2xx']} | {_ok(met)} |"
        )
    return "\n".join(lines)


def rewrite_readme() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    table = markdown(json.loads(RESULTS.read_text()))
    readme.write_text(f"{before}{START}\n{table}\n{END}{after}")
