"""Snapshot tests: the look of each step view, reviewed as SVG before acceptance."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from screens.app import build_app
from tests.conftest import Clock
from tests.pilot import markdown_rendered, settle
from workshop.model import Scenario, Session
from workshop.scenario import discover
from workshop.store import Store

HOME_DATA = Path("/tmp/workshop-snapshots/mv-home")
"""The data dir of the home list's snapshot. The home list says where the sessions are
kept, so this path is drawn in the SVG: the one fixed path of the suite (`drawn_data_dir`
makes runs at once take turns). Every other snapshot uses a temp dir of its own."""

VENUS = [
    "They never show up when it matters",
    "I have staff problems too, yet I came",
    "IT has not given this project priority",
]
MARS = [
    "So many requests, and now this",
    "One person, not two, and they rotate",
    "She will have to be more flexible",
]
TAGS = [
    ("roles", "goals"),
    ("goals",),
    ("procedures",),
    ("procedures",),
    ("roles",),
    ("personality",),
]


GUESS = {"roles": 2, "goals": 1, "procedures": 0, "personality": 9}
"""The room's first guess, hands per clarity gap."""
CALL = [
    ("it", "Hi, I saw you called", "Four voicemails. Here we go.", False),
    (
        "marketing",
        "Your two people missed the meeting again",
        "IT never takes this seriously",
        False,
    ),
    ("it", "I signed their leave, sorry", "I should have checked the calendar", True),
]
"""The phone call: (side, said, thought, private); the last thought private."""
REFRAMED = "I need IT's view in the room. What can you commit to?"

AGREEMENTS = [
    ("IT sends one person, rotating monthly", "procedures", "IT director", date(2026, 12, 1)),
    ("A ten-minute call before each team meeting", "roles", "VP of Marketing", None),
]


def seed(data_dir: Path, scenario_id: str, agreements: int) -> tuple[Store, Session, Scenario]:
    """A store on an emptied `data_dir` with one session: the six statements (tagged in
    Mars & Venus, with the first `agreements` agreements), or two ratings in other packs.
    """
    shutil.rmtree(data_dir, ignore_errors=True)
    scenario = next(s for s in discover()[0] if s.id == scenario_id)
    store = Store(data_dir, clock=Clock())
    store.monotonic = lambda: 0.0
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
        agreed = [
            store.add_agreement(session.id, text, tag, owner, due)
            for text, tag, owner, due in AGREEMENTS[:agreements]
        ]
        for tag, count in GUESS.items():
            store.set_mark(session.id, "first-guess", tag, True, count=count)
        turns = [
            store.add_turn(session.id, "the-call", side, said, thought, private)
            for side, said, thought, private in CALL
        ]
        store.set_turn_tags(session.id, turns[1].id, ("goals",))
        store.reveal_thoughts(session.id, [turns[0].id, turns[1].id])
        store.set_mark(session.id, "better-call", turns[1].id, True, value=REFRAMED)
        for agreement, dots in zip(agreed, (2, 4), strict=False):
            store.set_mark(session.id, "what-first", agreement.id, True, count=dots)
    else:
        store.set_rating(session.id, "resistance-map", "burned", 3, "The 2019 ERP roll-out")
        store.set_rating(session.id, "resistance-map", "rumours", 2)
    return store, session, scenario


@contextmanager
def drawn_data_dir(data_dir: Path) -> Iterator[Path]:
    """`data_dir`, a path drawn on screen, for this test alone: another test (another
    worker, another run) wanting it waits for a lock beside it; emptied afterwards."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(data_dir.parent / f"{data_dir.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield data_dir
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


def seeded_app(data_dir: Path, scenario_id: str = "mars-venus"):
    """An app on `data_dir` holding one session with statements, tags and agreements."""
    store, _, _ = seed(data_dir, scenario_id, agreements=2)
    store.close_all()
    app = build_app(data_dir, clock=Clock())
    app.store.monotonic = lambda: 1000.0
    return app


def at_step(key: str, *keys: str):
    """A run_before that resumes the session and goes to step `key`, then presses `keys`."""

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        index = [s.key for s in screen.scenario.steps].index(key)
        await screen.go_to(index)
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        for widget in pilot.app.screen.query("TextArea, Input"):
            if isinstance(widget, TextArea | Input):
                widget.cursor_blink = False
        await settle(pilot, lambda: markdown_rendered(pilot.app.screen), "Markdown rendered")

    return run_before


class TestMarsVenusSteps:
    """Each step view of the flagship at 100×30."""

    @pytest.mark.parametrize(
        "step, keys",
        [
            ("opening", ()),
            ("venus-brief", ()),
            ("venus-brief", ("f3",)),
            ("self-talk", ()),
            ("clarity-gaps", ()),
            ("rarely-personality", ()),
            ("next-interaction", ()),
            ("close", ()),
            ("ground-rules", ("1", "2")),
            ("first-guess", ()),
            ("the-call", ()),
            ("better-call", ("n",)),
            ("what-first", ()),
        ],
        ids=[
            "brief",
            "brief-hidden",
            "brief-revealed",
            "capture",
            "tag",
            "counts",
            "agree",
            "close",
            "checklist",
            "poll",
            "dialogue",
            "reframe",
            "dot-vote",
        ],
    )
    def test_step(self, snap_compare, tmp_path: Path, step: str, keys: tuple[str, ...]) -> None:
        app = seeded_app(tmp_path / "data")
        assert snap_compare(app, terminal_size=(100, 30), run_before=at_step(step, *keys))

    def test_session_screen_80x24(self, snap_compare, tmp_path: Path) -> None:
        app = seeded_app(tmp_path / "data")
        assert snap_compare(app, terminal_size=(80, 24), run_before=at_step("self-talk"))

    def test_notes_shown(self, snap_compare, tmp_path: Path) -> None:
        app = seeded_app(tmp_path / "data")
        assert snap_compare(app, terminal_size=(100, 30), run_before=at_step("venus-brief", "f2"))

    def test_home(self, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await pilot.pause()

        with drawn_data_dir(HOME_DATA) as data_dir:
            app = seeded_app(data_dir)
            assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


class TestErmRating:
    """The rating step (issue 5) at 100×30 and 80×24."""

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_rating(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = seeded_app(tmp_path / "data", "erm")
        assert snap_compare(app, terminal_size=size, run_before=at_step("resistance-map"))
