"""Snapshot tests of the audience view (what the room sees), reviewed as SVG before acceptance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from screens.app import build_app
from tests.conftest import OFFSET
from tests.pilot import room_settles
from tests.test_snapshots import seed
from workshop.store import Store

NOW = datetime(2026, 11, 23, 9, 4, 30, tzinfo=OFFSET)
"""The audience's wall clock, pinned: the step clocks read from it."""


@pytest.fixture
def console() -> Iterator[list[Store]]:
    """Stores standing for the console: they hold their sessions open until the test ends."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close_all()


def seeded_audience(
    data_dir: Path, console: list[Store], step: str, scenario_id: str = "mars-venus"
):
    """An audience app on `data_dir`; the session is held open at `step` by a store."""
    store, session, scenario = seed(data_dir, scenario_id, agreements=1)
    console.append(store)
    if scenario_id == "mars-venus":
        store.set_revealed(session.id, "venus-brief", True)
    store.go_to_step(session.id, [s.key for s in scenario.steps].index(step))
    app = build_app(data_dir, present=session.id)
    app.store.clock = lambda: NOW
    app.store.monotonic = lambda: 1000.0
    return app


class TestAudienceSizes:
    """The capture step, the one the room watches longest, from small to large."""

    @pytest.mark.parametrize(
        "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
    )
    def test_capture(self, snap_compare, tmp_path: Path, console, size: tuple[int, int]) -> None:
        app = seeded_audience(tmp_path / "data", console, "self-talk")
        assert snap_compare(app, terminal_size=size, run_before=room_settles)

    @pytest.mark.parametrize(
        "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
    )
    def test_brief_revealed(
        self, snap_compare, tmp_path: Path, console, size: tuple[int, int]
    ) -> None:
        app = seeded_audience(tmp_path / "data", console, "venus-brief")
        assert snap_compare(app, terminal_size=size, run_before=room_settles)


class TestAudienceSteps:
    """The other step types at 100×30, and the waiting screen."""

    @pytest.mark.parametrize(
        "step",
        [
            "clarity-gaps",
            "rarely-personality",
            "next-interaction",
            "first-guess",
            "the-call",
            "better-call",
            "what-first",
        ],
    )
    def test_step(self, snap_compare, tmp_path: Path, console, step: str) -> None:
        app = seeded_audience(tmp_path / "data", console, step)
        assert snap_compare(app, terminal_size=(100, 30), run_before=room_settles)

    def test_rating(self, snap_compare, tmp_path: Path, console) -> None:
        app = seeded_audience(tmp_path / "data", console, "resistance-map", "erm")
        assert snap_compare(app, terminal_size=(100, 30), run_before=room_settles)

    def test_waiting_for_the_facilitator(self, snap_compare, tmp_path: Path, console) -> None:
        app = seeded_audience(tmp_path / "data", console, "self-talk")
        console.pop().close_all()

        async def run_before(pilot) -> None:
            await room_settles(pilot, "waiting")

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
