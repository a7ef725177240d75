"""Snapshot tests of the audience view (what the room sees), reviewed as SVG before acceptance."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from screens.app import build_app
from screens.audience import AudienceScreen
from tests.conftest import OFFSET, Clock
from tests.test_snapshots import MARS, TAGS, VENUS
from workshop.scenario import discover
from workshop.store import Store

SNAPSHOT_DATA = Path("/tmp/workshop-snapshots-audience")

NOW = datetime(2026, 11, 23, 9, 4, 30, tzinfo=OFFSET)
"""The audience's wall clock, pinned: the step clocks read from it."""


@pytest.fixture
def console() -> Iterator[list[Store]]:
    """Stores standing for the console: they hold their sessions open until the test ends."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close_all()


def seeded_audience(name: str, console: list[Store], step: str, scenario_id: str = "mars-venus"):  # noqa: ANN201
    """An audience app on a fixed data dir; the session is held open at `step` by a store."""
    data_dir = SNAPSHOT_DATA / name
    shutil.rmtree(data_dir, ignore_errors=True)
    scenarios = {s.id: s for s in discover()[0]}
    scenario = scenarios[scenario_id]
    store = Store(data_dir, clock=Clock())
    store.monotonic = lambda: 0.0
    console.append(store)
    session = store.create_session(scenario, "Acme CRM team", "Dana", "Acme", ["Ann", "Bob"])
    sides = [s.key for s in session.sides]
    capture = next(s.key for s in scenario.steps if s.type == "capture")
    for index, text in enumerate(VENUS + MARS):
        side = sides[0] if index < 3 else sides[1]
        st = store.add_statement(
            session.id, side, text, "Sam" if index == 4 else None, step=capture
        )
        if scenario_id == "mars-venus":
            store.set_tags(session.id, st.id, TAGS[index])
    if scenario_id == "mars-venus":
        store.add_agreement(
            session.id,
            "IT sends one person, rotating monthly",
            "procedures",
            "IT director",
            date(2026, 12, 1),
        )
        store.set_revealed(session.id, "venus-brief", True)
    else:
        store.set_rating(session.id, "resistance-map", "burned", 3, "The 2019 ERP roll-out")
        store.set_rating(session.id, "resistance-map", "rumours", 2)
    store.go_to_step(session.id, [s.key for s in scenario.steps].index(step))
    app = build_app(data_dir, present=session.id)
    app.store.clock = lambda: NOW
    app.store.monotonic = lambda: 1000.0
    return app


async def shown(pilot, state: str = "show") -> None:  # noqa: ANN001
    """Wait until the audience view is in `state`, and its Markdown has rendered."""
    start = time.perf_counter()
    while not (isinstance(pilot.app.screen, AudienceScreen) and pilot.app.screen.state == state):
        assert time.perf_counter() - start < 5, f"audience view not in state {state}"
        await pilot.pause(0.05)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.4)


class TestAudienceSizes:
    """The capture step, the one the room watches longest, from small to large."""

    @pytest.mark.parametrize(
        "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
    )
    def test_capture(self, snap_compare, console, size: tuple[int, int]) -> None:
        app = seeded_audience(f"capture-{size[0]}", console, "self-talk")
        assert snap_compare(app, terminal_size=size, run_before=shown)

    @pytest.mark.parametrize(
        "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
    )
    def test_brief_revealed(self, snap_compare, console, size: tuple[int, int]) -> None:
        app = seeded_audience(f"brief-{size[0]}", console, "venus-brief")
        assert snap_compare(app, terminal_size=size, run_before=shown)


class TestAudienceSteps:
    """The other step types at 100×30, and the waiting screen."""

    @pytest.mark.parametrize("step", ["clarity-gaps", "rarely-personality", "next-interaction"])
    def test_step(self, snap_compare, console, step: str) -> None:
        app = seeded_audience(f"step-{step}", console, step)
        assert snap_compare(app, terminal_size=(100, 30), run_before=shown)

    def test_rating(self, snap_compare, console) -> None:
        app = seeded_audience("rating", console, "resistance-map", "erm")
        assert snap_compare(app, terminal_size=(100, 30), run_before=shown)

    def test_waiting_for_the_facilitator(self, snap_compare, console) -> None:
        app = seeded_audience("waiting", console, "self-talk")
        console.pop().close_all()

        async def run_before(pilot) -> None:  # noqa: ANN001
            await shown(pilot, "waiting")

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
