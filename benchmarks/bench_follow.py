"""Follow benchmark: how soon the room's screen shows what the console saved.

- `follow_latency_ms`: a store holding the session open (the console's side) adds a
  statement; the time from that save returning until the audience view (a real app
  under `run_test`, polling the file) shows it and has refreshed. Median of
  `SAMPLES`, each save at a random moment of the poll cycle. Target <= 500 ms.
- `follow_latency_max_ms`: the slowest of those samples.
- `follow_latency_ms_500_statements`: the same in a session already holding 500
  statements (each change re-reads the whole file).
- `follow_poll_interval_ms`: the audience view's poll interval, beside which the
  latency is read (expected: about half of it, plus the read and the redraw).
"""

from __future__ import annotations

import asyncio
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from screens.app import build_app
from screens.audience import POLL_SECONDS, AudienceScreen
from workshop.scenario import discover
from workshop.store import Store

SAMPLES = 25


async def latencies_ms(data_dir: Path, already: int) -> list[float]:
    """Save `SAMPLES` statements one by one; how long each took to reach the room's screen."""
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    console = Store(data_dir)
    session = console.create_session(scenario, "Follow benchmark")
    for index in range(already):
        console.add_statement(session.id, "it", f"Earlier line {index}", step="self-talk")
    console.go_to_step(session.id, [s.key for s in scenario.steps].index("self-talk"))
    audience = build_app(data_dir, present=session.id)
    found: list[float] = []
    rng = random.Random(6)
    try:
        async with audience.run_test(size=(120, 36)) as pilot:
            screen = audience.screen
            assert isinstance(screen, AudienceScreen)
            while screen.state != "show":
                await pilot.pause(0.01)
            for index in range(SAMPLES):
                await asyncio.sleep(rng.uniform(0, POLL_SECONDS))
                text = f"Line number {index} said by the room"
                console.add_statement(session.id, "marketing", text, step="self-talk")
                saved = time.perf_counter()
                while text not in screen.shown_text():
                    if time.perf_counter() - saved > 5:
                        raise RuntimeError(f"the room never showed {text!r}")
                    await asyncio.sleep(0.002)
                await pilot.pause()  # and the screen has been redrawn
                found.append((time.perf_counter() - saved) * 1000)
    finally:
        console.close_all()
    return found


def run() -> Iterator[tuple[str, float]]:
    root = Path(tempfile.mkdtemp(prefix="bench-follow-"))
    try:
        small = asyncio.run(latencies_ms(root / "small", 0))
        large = asyncio.run(latencies_ms(root / "large", 500))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    yield "follow_latency_ms", statistics.median(small)
    yield "follow_latency_max_ms", max(small)
    yield "follow_latency_ms_500_statements", statistics.median(large)
    yield "follow_poll_interval_ms", POLL_SECONDS * 1000
