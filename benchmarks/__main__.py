"""Run every `benchmarks/bench_*.py` module's `run()` and print its figures.

Each `run()` yields `(name, value)` pairs; baselines are measured in the same run.
`python -m benchmarks store export` runs only the named modules.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import benchmarks


def main(names: list[str]) -> int:
    modules = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    if names:
        modules = [m for m in modules if m.removeprefix("bench_") in names]
    started = time.perf_counter()
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        for figure, value in module.run():
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            print(f"{figure} = {shown}", flush=True)
    print(f"benchmarks_total_s = {time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
