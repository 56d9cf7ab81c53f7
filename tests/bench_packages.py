"""`make bench`, packages: each function's package size and cold-start import, before and after.

Before: what every function shipped until packages were per function (all of pyproject.toml's
dependencies but boto3, no bytecode). After: infra/build.py, as `sam build` runs it. Sizes are of
the Lambda packages (arm64 wheels), unpacked and zipped as SAM uploads them. Import times come from
the same two recipes built for this machine (arm64 wheels cannot load here): a fresh Python 3.12
with only the package and a runtime boto3 on sys.path, writing no bytecode, as in /var/task
(tests/infra/host_build.py); the handler module's import alone, median of RUNS processes.

Builds into .aws-sam/bench/ each time: needs PyPI (or pip's cache) and a Python 3.12.
"""

from __future__ import annotations

import io
import shutil
import statistics
import time
import zipfile
from pathlib import Path

from infra import build
from infra.template import functions
from tests.infra import host_build

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def _build_before(target: Path, platform: str) -> Path:
    """The previous recipe: every dependency for every function, source only."""
    deps = [d for d in build.dependencies() if build.split_requirement(d)[0] != "boto3"]
    build.pip_install(deps, target, platform, host_build.python312())
    build.copy_code(target)
    return target


def _zipped_size(folder: Path) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.tell()


def _import_seconds(package: Path, runtime: Path, module: str) -> float:
    code = f"import time\nstart = time.perf_counter()\nimport {module}\nprint(time.perf_counter() - start)"
    return statistics.median(float(host_build.run_in_package(package, runtime, code)) for _ in range(RUNS))


def _mb(size: int) -> str:
    return f"{size / 1e6:5.1f} MB"


def bench_packages() -> None:
    started = time.perf_counter()
    dest = ROOT / ".aws-sam" / "bench"
    shutil.rmtree(dest, ignore_errors=True)
    names = sorted(functions())
    before = _build_before(dest / "before-arm64", build.LAMBDA_PLATFORM)
    before_host = _build_before(dest / "before-host", build.HOST)
    after = {}
    for name in names:
        after[name] = dest / "after-arm64" / name
        build.build(name, after[name])
    after_host = host_build.build_packages(dest / "after-host")
    runtime = host_build.build_runtime(dest / "runtime")
    built = time.perf_counter() - started

    before_size, before_zip = build.folder_size(before), _zipped_size(before)
    print(f"\npackages: arm64 as uploaded; import from the package in Python 3.12 here, median of {RUNS}")
    print(f"  {'function':<22} {'unpacked':>20} {'zipped':>20} {'handler import':>24}")
    for name in names:
        module = str(functions()[name]["Handler"]).rpartition(".")[0]
        was, now = _import_seconds(before_host, runtime, module), _import_seconds(after_host[name], runtime, module)
        print(
            f"  {name:<22} {_mb(before_size)} -> {_mb(build.folder_size(after[name]))}"
            f" {_mb(before_zip)} -> {_mb(_zipped_size(after[name]))}"
            f" {was * 1000:6.0f} ms -> {now * 1000:4.0f} ms ({was / now:.1f}x)"
        )
    print(f"  (built in {built:.0f} s; before = every dependency, no bytecode, the same for each function)")


if __name__ == "__main__":
    bench_packages()
