"""What a facilitator does at the keyboard, shared by the Pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot

from screens.session import SessionScreen


async def new_session(
    pilot: Pilot, title: str = "Acme CRM team", facilitator: str = "Dana"
) -> SessionScreen:
    """Start a Mars & Venus session from the home list with the new-session form."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(*title, "tab", *facilitator, "tab", *"Acme", "tab", *"Ann, Bob")
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


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
    await pilot.press(*title)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
