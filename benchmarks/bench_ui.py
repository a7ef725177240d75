"""UI benchmarks: the home list over 1,000 sessions, and memory.

- `home_ready_ms_1000_sessions`: `build_app` on a data dir of 1,000 sessions (50
  statements each, catalogue warm) under `run_test`, until the home list shows all rows;
  `bare_textual_ready_ms` the same for an App with one Static. Ratio target <= 2. Medians
  of 11, alternating; each sample starts after `gc.collect()`, so garbage left by the
  samples before it (Textual keeps some per app) is not collected inside the next one.
- `peak_rss_mb_1000_sessions`: peak memory of a process showing that home list, beside
  `peak_rss_mb_bare_textual`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from benchmarks.bench_store import fill, template
from screens.app import build_app
from screens.widgets import SessionTable
from workshop.scenario import discover
from workshop.store import Store

RUNS = 11


class Bare(App[None]):
    """The baseline: a Textual app with one Static."""

    def compose(self) -> ComposeResult:
        yield Static("ready")


async def bare_ready_ms() -> float:
    gc.collect()
    started = time.perf_counter()
    async with Bare().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        return (time.perf_counter() - started) * 1000


async def home_ready_ms(data_dir: Path, rows: int) -> float:
    gc.collect()
    started = time.perf_counter()
    app = build_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        while True:
            tables = app.screen.query(SessionTable)
            if tables and tables.first().row_count == rows:
                break
            if not app.is_running:
                raise RuntimeError("the app stopped before showing the home list")
            await pilot.pause(0.001)
        return (time.perf_counter() - started) * 1000


RSS_CHILD = """
import asyncio, json, sys
from pathlib import Path
async def main(kind, data_dir):
    if kind == "bare":
        from textual.app import App
        from textual.widgets import Static
        class Bare(App):
            def compose(self):
                yield Static("ready")
        async with Bare().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
    else:
        from benchmarks.bench_ui import home_ready_ms
        await home_ready_ms(Path(data_dir), 1000)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    status = Path("/proc/self/status").read_text()
    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    print(int(hwm.split()[1]) / 1024)
asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def peak_rss_mb(kind: str, data_dir: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", RSS_CHILD, kind, str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1]))


def run() -> Iterator[tuple[str, float]]:
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-ui-"))
    try:
        scenario = next(s for s in discover()[0] if s.id == "mars-venus")
        many = root / "many"
        fill(many, template(scenario), 1000)
        Store(many).list_sessions()  # warm the catalogue, as any start after the first
        homes, bares = [], []
        for _ in range(RUNS):
            homes.append(asyncio.run(home_ready_ms(many, 1000)))
            bares.append(asyncio.run(bare_ready_ms()))
        home, bare = statistics.median(homes), statistics.median(bares)
        yield "home_ready_ms_1000_sessions", home
        yield "bare_textual_ready_ms", bare
        yield "home_ready_ratio_vs_bare_textual", home / bare
        yield "peak_rss_mb_1000_sessions", peak_rss_mb("home", many)
        yield "peak_rss_mb_bare_textual", peak_rss_mb("bare", many)
    finally:
        shutil.rmtree(root, ignore_errors=True)
