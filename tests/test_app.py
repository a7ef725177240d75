"""The real app, driven with Pilot, on a real store in a temp data dir."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from textual import events
from textual.color import Color
from textual.geometry import Region

from screens.app import build_app
from screens.home import HomeScreen
from screens.session import SessionScreen
from screens.widgets import CaptureBox, SessionTable, StatementList
from tests.conftest import Clock
from tests.pilot import (
    go_to,
    new_session,
    resume,
    run_command,
    seed_session,
    type_line,
    type_text,
    until,
)
from workshop.store import Store


async def paste_line(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))  # as the terminal delivers a paste
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def texts_on_screen(app) -> list[str]:
    """The lines of the current step's lists (the views of steps left are kept, hidden)."""
    return [text for view in app.screen.view.query(StatementList) for text in view.texts()]


async def test_quit_mid_capture_and_resume_on_the_same_step(data_dir: Path) -> None:
    session_id = seed_session(data_dir, "mars-brief")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await resume(pilot)
        await go_to(pilot, "self-talk")  # the step the app is quit on
        await type_text(pilot, "Venus is cross")
        await pilot.press("enter")
        await pilot.press("tab")
        await type_text(pilot, "Mars is swamped")
        await pilot.press("enter")
        await type_text(pilot, "half a line")
    assert not (data_dir / "sessions" / f"{session_id}.lock").exists()

    again = build_app(data_dir, clock=Clock())
    async with again.run_test(size=(120, 36)) as pilot:
        table = again.screen.query_one(SessionTable)
        assert len(table.items) == 1
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, SessionScreen)
        assert screen.step.key == "self-talk"
        assert sorted(texts_on_screen(again)) == ["Mars is swamped", "Venus is cross"]
        columns = {c.side: c.list.texts() for c in screen.query("SideColumn")}
        assert columns == {"marketing": ["Venus is cross"], "it": ["Mars is swamped"]}


HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[bold]not bold[/bold]",
    "<script>alert(1)</script>",
    "emoji 🎉🚀 and RTL مرحبا",
]


async def test_hostile_text_is_stored_and_shown_literally(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk", title="[@click=app.quit]title[/]")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await resume(pilot)
        assert str(screen.query_one("#header-title").render()) == "[@click=app.quit]title[/]"
        for text in HOSTILE[:-1]:
            await type_text(pilot, text)
            await pilot.press("enter")
        await paste_line(pilot, HOSTILE[-1])
        await pilot.press("shift+tab")
        await type_text(pilot, "[b]Bo[/b]")
        await pilot.press("enter")
        await paste_line(pilot, "ctrl chars\x1b]0;pwned\x07 gone")
        assert app.is_running  # no markup action fired, nothing crashed
        stored = [s.text for s in app.store.session(screen.session_id).statements]
        assert stored == [*HOSTILE, "ctrl chars]0;pwned gone"]
        shown = texts_on_screen(app)
        assert shown == [*HOSTILE, "[b]Bo[/b]: ctrl chars]0;pwned gone"]
        await pilot.press("f10")
        await pilot.pause()
        row = app.screen.query_one(SessionTable).row(0)
        assert str(row[0]) == "[@click=app.quit]title[/]"


async def test_multiline_paste_is_kept_and_oversize_text_refused(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await resume(pilot)
        box = app.screen.query_one(CaptureBox)
        box.insert("first line\nsecond line")  # what a paste inserts
        await pilot.press("enter")
        await pilot.pause()
        statements = app.store.session(screen.session_id).statements
        assert [s.text for s in statements] == ["first line\nsecond line"]

        huge = "x" * 4001
        box.insert(huge)
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.store.session(screen.session_id).statements) == 1
        assert box.text == huge  # nothing cut, nothing lost
        problem = str(app.screen.query_one("#capture-problem").render())
        assert "4,001 characters" in problem and "limit is 4,000" in problem
        assert any("4,001" in str(n.message) for n in app._notifications)


async def test_edit_delete_and_undo_a_statement(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await resume(pilot)
        await type_line(pilot, "first")
        await type_line(pilot, "secnd")
        await pilot.press("escape")  # into the list, on the last line
        await pilot.pause()
        assert isinstance(app.focused, StatementList)
        await pilot.press("enter")  # edit it
        await pilot.pause()
        await pilot.press("backspace", "backspace", "backspace", *"cond", "enter")
        await pilot.pause()
        session = app.store.session(screen.session_id)
        assert [s.text for s in session.statements] == ["first", "second"]
        assert session.statements[1].edited_at is not None
        await pilot.press("escape", "up")
        await pilot.press("d")
        await pilot.pause()
        assert [s.text for s in session.statements] == ["second"]
        assert texts_on_screen(app) == ["second"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [s.text for s in session.statements] == ["first", "second"]
        assert texts_on_screen(app) == ["first", "second"]


async def test_words_typed_while_the_capture_step_opens_are_kept(data_dir: Path) -> None:
    seed_session(data_dir, "first-guess")  # the step before self-talk
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await resume(pilot)
        # PageDown and the first words arrive together, as from a fast typist.
        app.post_message(events.Key("pagedown", None))
        for char in "We were never told":
            app.post_message(events.Key("space" if char == " " else char, char))
        await until(
            pilot,
            lambda: [b.text for b in app.screen.query(CaptureBox)] == ["We were never told"],
            "the words in the capture box",
        )
        await pilot.press("enter")
        await pilot.pause()
        texts = [s.text for s in app.store.session(screen.session_id).statements]
        assert texts == ["We were never told"]


async def test_a_capture_box_drawn_after_its_step_is_left_is_blank(data_dir: Path) -> None:
    """The race behind a traceback seen once while paging through ERM: a frame drawn while
    the box was being removed reached it (Textual's KeyError for 'text-area--gutter').
    Step views are kept now; a box is removed when the session screen closes."""
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await resume(pilot)
        box = app.screen.query_one(CaptureBox)
        await pilot.press("f10")
        await until(pilot, lambda: not box.is_attached, "the capture box removed")
        lines = box.render_lines(Region(0, 0, 30, 3))
        assert [line.text for line in lines] == [" " * 30] * 3


async def test_a_step_shown_again_shows_what_changed_in_the_other_steps(data_dir: Path) -> None:
    """Step views are kept when the step is left; back on a step, its lists catch up."""
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await resume(pilot)
        await type_line(pilot, "first")
        await go_to(pilot, "clarity-gaps")
        assert texts_on_screen(app) == ["Venus  first"]
        await pilot.press("1")  # Roles
        await go_to(pilot, "self-talk")
        assert texts_on_screen(app) == ["first   #Roles"]
        await type_line(pilot, "second")
        await pilot.press("tab", *"third", "enter")
        await pilot.pause()
        await go_to(pilot, "clarity-gaps")
        assert texts_on_screen(app) == ["Venus  first   #Roles", "Venus  second", "Mars  third"]
        assert str(app.screen.query_one("#tag-progress").render()) == "1 of 3 statements tagged"
        await go_to(pilot, "self-talk")
        await pilot.press("escape", "d")  # delete "third", the newest of Mars
        await pilot.pause()
        await go_to(pilot, "clarity-gaps")
        assert texts_on_screen(app) == ["Venus  first   #Roles", "Venus  second"]


async def test_an_edit_left_unfinished_is_dropped_with_the_step(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await resume(pilot)
        await type_line(pilot, "first")
        await pilot.press("escape", "e", *" and more")
        await go_to(pilot, "clarity-gaps")
        await go_to(pilot, "self-talk")
        box = screen.view.query_one(CaptureBox)
        assert box.text == ""
        assert str(screen.view.query_one("#capture-side").render()) == "adding to Venus ▸"
        await pilot.press(*"second", "enter")
        await pilot.pause()
        texts = [s.text for s in app.store.session(screen.session_id).statements]
        assert texts == ["first", "second"]


async def test_widgets_of_closed_sessions_are_freed(data_dir: Path) -> None:
    """Textual keeps removed widgets alive through watchers and caches (its issues #6665,
    #6666): each closed capture step stayed in memory, and garbage collections (pauses
    between keys) grew longer all workshop long."""
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await resume(pilot)
        for _ in range(4):
            await pilot.press("f10")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
            await pilot.pause()
        gc.collect()
        boxes = [o for o in gc.get_objects() if isinstance(o, CaptureBox)]
        assert [box.is_attached for box in boxes] == [True]


async def test_session_details_can_be_corrected_from_the_palette(data_dir: Path) -> None:
    seed_session(data_dir, title="Acme CRM tema")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await resume(pilot)
        screen.action_details()
        await pilot.pause()
        await pilot.press("end", "backspace", "backspace", *"am")
        await pilot.click("#participants")
        await pilot.press("end", *", Cy", "enter")
        await pilot.pause()
        session = app.store.session(screen.session_id)
        assert session.title == "Acme CRM team"
        assert session.participants == ["Ann", "Bob", "Cy"]
        assert str(screen.query_one("#header-title").render()) == "Acme CRM team"
    stored = Store(data_dir).load_session(screen.session_id)
    assert (stored.title, stored.scenario_id) == ("Acme CRM team", "mars-venus")


async def test_the_app_starts_in_the_chosen_theme_and_the_palette_switches_it(
    data_dir: Path,
) -> None:
    white, black = Color.parse("#FFFFFF"), Color.parse("#000000")
    async with build_app(data_dir, theme="paper").run_test() as pilot:
        assert pilot.app.screen.styles.background == white
    app = build_app(data_dir)
    async with app.run_test() as pilot:
        assert app.screen.styles.background == black
        await run_command(pilot, "Theme: paper")
        assert app.screen.styles.background == white
    # The choice is kept: the next start is on paper, until projector is chosen again.
    app = build_app(data_dir)
    async with app.run_test() as pilot:
        assert app.screen.styles.background == white
        await run_command(pilot, "Theme: projector")
    async with build_app(data_dir).run_test() as pilot:
        assert pilot.app.screen.styles.background == black


@pytest.mark.parametrize("content", [b"{not json", b'{"schema": "other", "theme": "paper"}', b""])
async def test_unreadable_settings_start_in_projector_and_are_replaced(
    data_dir: Path, content: bytes
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_bytes(content)
    app = build_app(data_dir)
    async with app.run_test() as pilot:
        assert app.theme == "projector"
        await run_command(pilot, "Theme: paper")
    assert Store(data_dir).settings().theme == "paper"


async def test_a_pipe_named_settings_does_not_hang_the_start(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.mkfifo(data_dir / "settings.json")
    async with build_app(data_dir).run_test() as pilot:
        assert pilot.app.theme == "projector"


async def test_home_offers_only_what_can_be_done(data_dir: Path) -> None:
    def offered(app) -> set[str]:
        return {b.action for _, b, _, _ in app.screen.active_bindings.values() if b.show}

    app = build_app(data_dir, clock=Clock())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert offered(app) == {"new", "app.quit"}
        await pilot.press("enter", "d", "x", "p")  # nothing to act on: nothing happens
        assert isinstance(app.screen, HomeScreen)
        await new_session(pilot)
        await pilot.press("f10")
        await pilot.pause()
        assert offered(app) == {"select", "new", "delete", "export", "present", "app.quit"}
