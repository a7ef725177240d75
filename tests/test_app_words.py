"""What the app says and where the focus lands, as a facilitator at a small screen meets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from screens.app import build_app
from screens.dialogs import ConfirmDialog, NewSessionDialog, parse_due
from screens.home import HomeScreen
from tests.conftest import Clock
from tests.pilot import resume, seed_session, until


async def test_the_new_session_form_reaches_start_at_80x24(data_dir: Path) -> None:
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NewSessionDialog), "the form")
        await pilot.press(*"Acme", "tab", "tab", "tab", "tab")
        await pilot.pause()
        start = app.screen.query_one("#start", Button)
        assert app.focused is start
        region = app.screen.find_widget(start).region
        assert region.height > 0 and region.bottom <= 24
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, NewSessionDialog), "started")


async def test_deleting_a_session_needs_more_than_enter(data_dir: Path) -> None:
    seed_session(data_dir)
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("enter")  # the focus is on "Keep it"
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
        assert len(app.store.list_sessions()[0]) == 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2026-13-01", "'2026-13-01': there is no month 13 (months go from 01 to 12)."),
        ("2026-02-30", "'2026-02-30': month 02 of 2026 has no day 30."),
        ("next week", "'next week' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01."),
    ],
)
def test_a_wrong_due_date_is_named_for_what_is_wrong(text: str, said: str) -> None:
    assert parse_due(text) == (None, said)


async def test_the_finish_message_names_the_key_that_exports(data_dir: Path) -> None:
    seed_session(data_dir, "close")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await resume(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "Workshop finished and saved. To export the transcript: press x." in said
