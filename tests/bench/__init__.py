"""`make bench`: speed and cost, measured by the project itself (issue 10), and the local store (issue 15).

Each section writes its key of bench/results.json (the others are kept) and prints its rows:

- `ddb_calls`, `ddb_calls_cold`: DynamoDB calls per command through the SMS handler (tests/bench/commands.py);
- `warm_latency`: p50/p99 per command through the Slack and Twilio handlers, signed, against the bare write;
- `scans` and `cost`: a scripted week of 50 workers with the reminder sweep and the reports (tests/bench/week.py);
- `cold_init`: every template function in fresh processes against a moto server (tests/bench/cold.py);
- `summary_scaling`: the daily summary and weekly timesheet at 100, 1,000 and 10,000 workers;
- `sms`: the longest SMS of the catalogue, filled with worst-case values;
- `load`: the `make run` stack under 200 simulated workers for 60 s (tests/bench/load.py);
- `local_store`: SQLite against the DynamoDB emulator under a shift change (tests/bench_local_store.py).

Every timing is given with a floor measured in the same run (these machines are noisy).
"""
