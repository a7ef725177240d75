"""Every step of both packs reads at every size, on the console and on the room's view:
title and text on screen (the text's one line when space is short), nothing it owns cut
off without a way to scroll to it, a revealed example and each summary part brought
into view. Driven with Pilot; tests/test_pty_keys.py walks the same in a real terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label

from screens.app import build_app
from screens.session import SessionScreen
from screens.steps.base import AudienceView, StepView
from screens.steps.summary import SummaryParts
from tests.conftest import Clock
from tests.fit import SIZES, fill, in_view, on_screen, screen_text, text_shown, unreachable
from tests.pilot import room_settles, until
from workshop.model import Scenario
from workshop.store import Store

PACKS = ["mars-venus", "erm"]


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def check(app, view, step, title) -> list[str]:
    screen = app.screen
    problems = unreachable(screen, view) + text_shown(screen, app, view, step)
    if not on_screen(screen, title):
        problems.append(f"the title of {step.key} is not on screen")
    return [f"{step.key}: {p}" for p in problems]


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("pack", PACKS)
async def test_every_console_step_reads_at_every_size(
    data_dir: Path, scenarios: dict[str, Scenario], pack: str, size: tuple[int, int]
) -> None:
    scenario = scenarios[pack]
    store = Store(data_dir, clock=Clock())
    fill(store, scenario)
    store.close_all()
    app = build_app(data_dir, clock=Clock())
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        for index, step in enumerate(scenario.steps):
            if index:
                await pilot.press("pagedown")
            await pilot.pause()
            view = screen.view
            assert isinstance(view, StepView) and view.step.key == step.key
            problems += check(app, view, step, view.query_one(".step-title", Label))
            if step.reveal:
                await pilot.press("f3")
                await pilot.pause(0.1)
                if not in_view(screen, view.query_one("#reveal")):
                    problems.append(f"{step.key}: F3 left the example below the fold")
                await pilot.press("f3")
            for part in step.show:
                await pilot.press("tab")
                await pilot.pause()
                title = view.query_one(SummaryParts).query_one(f".part-{part}", Label)
                if not on_screen(screen, title):
                    problems.append(f"{step.key}: Tab did not bring '{part}' into view")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("pack", PACKS)
async def test_every_step_reads_on_the_room_view_at_every_size(
    data_dir: Path, scenarios: dict[str, Scenario], pack: str, size: tuple[int, int]
) -> None:
    scenario = scenarios[pack]
    store = Store(data_dir, clock=Clock())
    sid = fill(store, scenario)  # held open here, as the console would
    audience = build_app(data_dir, present=sid)
    problems: list[str] = []
    try:
        async with audience.run_test(size=size) as ap:
            for index, step in enumerate(scenario.steps):
                store.go_to_step(sid, index)
                await room_settles(ap, step=step.key)
                view = audience.screen.query_one(AudienceView)
                problems += check(audience, view, step, audience.screen.query_one("#aud-title"))
                if step.reveal:
                    store.set_revealed(sid, step.key, True)
                    await until(ap, lambda v=view: bool(v.query("#aud-reveal")), "example shown")
                    await room_settles(ap, step=step.key)
                    await ap.pause(0.1)
                    if not in_view(audience.screen, view.query_one("#aud-reveal")):
                        problems.append(f"{step.key}: the revealed example is not in view")
                for part in step.show:
                    store.set_spotlight(sid, part)
                    title = view.query_one(f".part-{part}", Label)
                    await until(ap, lambda t=title: t.has_class("-spotlight"), f"{part} marked")
                    await ap.pause(0.1)
                    if not on_screen(audience.screen, title):
                        problems.append(f"{step.key}: the room does not see '{part}'")
            assert "Traceback" not in screen_text(audience)
    finally:
        store.close_all()
    assert not problems, "\n".join(problems)


async def test_the_room_keeps_the_newest_lines_in_view_after_a_resize(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    scenario = scenarios["mars-venus"]
    store = Store(data_dir, clock=Clock())
    sid = fill(store, scenario)
    store.go_to_step(sid, [s.key for s in scenario.steps].index("self-talk"))
    audience = build_app(data_dir, present=sid)
    try:
        async with audience.run_test(size=(160, 45)) as ap:
            await room_settles(ap, step="self-talk")
            await ap.resize_terminal(80, 24)
            await ap.pause(0.2)
            shown = screen_text(audience)
            # The newest line of each side (29 and 30), not the first ones.
            assert "29: we never" in shown and "30: we never" in shown, shown
    finally:
        store.close_all()


async def test_counts_keep_their_numbers_with_notes_open(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    scenario = scenarios["mars-venus"]
    store = Store(data_dir, clock=Clock())
    sid = fill(store, scenario)
    store.go_to_step(sid, [s.key for s in scenario.steps].index("rarely-personality"))
    store.close_all()
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f2", "tab")  # notes open, the counts brought to the top
        await pilot.pause(0.2)
        # The step's side of each bar row (the notes begin at their thick border), without
        # the scrollbar beside it (its thumb drawn in eighth blocks).
        rows = [line.split("█")[0].rstrip(" ▁▂▃▄▅▆▇") for line in screen_text(app).splitlines()]
        bars = [row for row in rows if row.lstrip("▕ ").startswith(("Venus", "Mars"))]
        assert bars and all(row[-1].isdigit() for row in bars), bars
