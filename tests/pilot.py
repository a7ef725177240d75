"""Pilot helpers shared by the tests: what a facilitator does at the keyboard, and
waiting until a screen has settled (on a condition, never on a guessed delay)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Digits, Input, Markdown, Static, TextArea
from textual.worker import WorkerState

from screens.audience import AudienceScreen
from screens.session import SessionScreen
from screens.steps.base import AudienceView
from screens.steps.brief import BriefAudience
from screens.widgets import Hanging, StatementList
from tests.conftest import Clock
from workshop.scenario import discover
from workshop.store import Store

WAIT = 10.0
"""How long a test waits for a screen to settle: a bound against hanging on a loaded
machine, not a speed check (speed is measured in benchmarks/)."""


async def until(pilot: Pilot, check: Callable[[], bool], what: str, limit: float = WAIT) -> float:
    """Seconds until `check()` holds (pausing `pilot`'s app); fails after `limit`."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > limit:
            raise AssertionError(f"not within {limit} s: {what}")
        await pilot.pause(0.01)
    return time.perf_counter() - start


def markdown_rendered(root: Widget) -> bool:
    """Whether every Markdown under `root` shows its source: no update pending, blocks mounted."""
    return all(
        not md.lock.is_locked and (bool(md.children) or not md.source.strip())
        for md in root.query(Markdown)
    )


def room_ready(app: App, state: str = "show", step: str | None = None) -> bool:
    """Whether the room's view is in `state`, at step `step` if given, with its text rendered."""
    screen = app.screen
    if not isinstance(screen, AudienceScreen) or screen.state != state:
        return False
    views = list(screen.query(AudienceView).results(AudienceView))
    if step is not None and [view.step.key for view in views] != [step]:
        return False
    for view in views:
        if isinstance(view, BriefAudience) and view.example_shown:
            reveal = view.query("#aud-reveal").results(Markdown)
            if [md.source for md in reveal] != [view.step.reveal]:
                return False
    return markdown_rendered(screen)


async def settle(pilot: Pilot, check: Callable[[], bool], what: str) -> None:
    """Wait for `check()`, then for scheduled animations and the refresh they cause."""
    await until(pilot, check, what)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def room_settles(pilot: Pilot, state: str = "show", step: str | None = None) -> None:
    """Wait until the room's view is in `state` (at `step`) and has settled on screen."""
    at = f" at {step}" if step else ""
    await settle(pilot, lambda: room_ready(pilot.app, state, step), f"room {state}{at}")


async def new_session(
    pilot: Pilot, title: str = "Acme CRM team", facilitator: str = "Dana"
) -> SessionScreen:
    """Start a Mars & Venus session from the home list with the new-session form."""
    await pilot.press("n")
    await pilot.pause()
    for index, text in enumerate((title, facilitator, "Acme", "Ann, Bob")):
        if index:
            await pilot.press("tab")
        await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


def seed_session(
    data_dir: Path,
    step: str = "opening",
    scenario: str = "mars-venus",
    title: str = "Acme CRM team",
    lines: Iterable[tuple[str, str]] = (),
) -> str:
    """A session stored as `new_session` starts one (Dana, Acme; Ann and Bob), put at step
    `step` through the store, with `lines` (side, text) said in its first capture step;
    nobody holds it open. Its id. Open it with `resume`."""
    pack = next(s for s in discover()[0] if s.id == scenario)
    store = Store(data_dir, clock=Clock())
    try:
        session = store.create_session(pack, title, "Dana", "Acme", ["Ann", "Bob"])
        capture = next((s.key for s in pack.steps if s.type == "capture"), None)
        for side, text in lines:
            store.add_statement(session.id, side, text, step=capture)
        store.go_to_step(session.id, [s.key for s in pack.steps].index(step))
    finally:
        store.close_all()
    return session.id


async def resume(pilot: Pilot) -> SessionScreen:
    """Open the newest session of the home list with Enter, as a facilitator resumes it."""
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen), "the session")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


def _held(widget: Widget | None) -> str:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    raise AssertionError(f"no text box has the focus: {widget!r}")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` into the focused box as a fast typist does: a key per character, all of
    them sent before the app has handled the first (Pilot's `press` waits for the app to
    go idle after each key, some 40 ms a key), then wait until the box holds them."""
    box = pilot.app.focused
    wanted = len(_held(box)) + len(text)
    for char in text:
        pilot.app.post_message(events.Key(_character_to_key(char), char))
    await until(
        pilot,
        lambda: len(_held(box)) >= wanted and text in _held(box),
        f"{text!r} typed",
    )


async def type_line(pilot: Pilot, text: str) -> None:
    """Type `text` (as `type_text` does) and press Enter."""
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def go_to(pilot: Pilot, key: str) -> None:
    """Page through the agenda to the step `key`."""
    screen = pilot.app.screen
    keys = [s.key for s in screen.scenario.steps]
    while screen.step.key != key:
        delta = keys.index(key) - screen.session.current_step
        await pilot.press("pagedown" if delta > 0 else "pageup")
        await pilot.pause()


async def run_command(pilot: Pilot, title: str) -> None:
    """Open the command palette, type `title` and run the first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await type_text(pilot, title)

    def searched() -> bool:
        searching = any(
            worker.node is palette and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in pilot.app.workers
        )
        found = palette.query_one(CommandList)
        return not searching and found.option_count > 0 and found.highlighted is not None

    await until(pilot, searched, f"the palette finds {title!r}")
    await pilot.press("enter")
    await pilot.pause()


def widget_text(widget: Widget) -> str:
    """The text a Markdown, Digits, Label, Static or statement list holds, as plain text
    ("" for others)."""
    if isinstance(widget, StatementList):
        return "\n".join(widget.texts())
    if isinstance(widget, Hanging):
        return widget.text()
    if isinstance(widget, Markdown):
        return widget.source
    if isinstance(widget, Digits):
        return widget.value
    if isinstance(widget, Static):
        return str(widget.content)
    return ""


def shown_text(screen: AudienceScreen) -> str:
    """Everything the room can read on `screen` right now, as plain text."""
    parts: list[str] = []
    for widget in screen.query("Label, Static, Markdown, Digits, StatementList, Hanging"):
        nodes = [widget, *widget.ancestors]
        if not all(n.display for n in nodes if isinstance(n, Widget)):
            continue
        if any(isinstance(n, Markdown) for n in widget.ancestors):
            continue  # a block of a Markdown, counted with its source
        parts.append(widget_text(widget))
    return "\n".join(parts)
