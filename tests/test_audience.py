"""The audience view: two real apps on one data dir, the room following the console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Markdown, Static

from screens.app import build_app
from screens.audience import POLL_SECONDS, AudienceScreen
from screens.console import ConsoleBar, PresentDialog, present_command
from screens.session import SessionScreen
from screens.widgets import Bars, StatementList
from tests.conftest import Clock
from tests.fit import fill, screen_text
from tests.pilot import go_to, room_settles, run_command, shown_text, until, widget_text
from workshop import presence
from workshop.model import Scenario
from workshop.scenario import discover
from workshop.store import Store

HOSTILE = "[bold]not markup[/] $(rm -rf) [@click=app.quit]x[/]"


def seed(data_dir: Path, scenario: Scenario, title: str = "Acme CRM team") -> str:
    """A stored session nobody has open; its id."""
    store = Store(data_dir, clock=Clock())
    session = store.create_session(scenario, title, "Dana", "Acme", ["Ann", "Bob"])
    store.close_all()
    return session.id


def room(app) -> AudienceScreen:
    screen = app.screen
    assert isinstance(screen, AudienceScreen)
    return screen


def everything_in_page(screen: AudienceScreen) -> str:
    """All text held by the audience view's widgets, shown or not."""
    return "\n".join(widget_text(widget) for widget in screen.query("*"))


def private_lines(scenario: Scenario, revealed: set[str]) -> list[str]:
    """Lines of the facilitator notes, and of every reveal not revealed yet."""
    lines = [
        line.strip()
        for step in scenario.steps
        for line in step.notes.splitlines()
        if len(line.strip()) > 12
    ]
    lines += [
        line.strip()
        for step in scenario.steps
        if step.key not in revealed
        for line in step.reveal.splitlines()
        if len(line.strip()) > 12
    ]
    return lines


def assert_private(screen: AudienceScreen, scenario: Scenario, revealed: set[str]) -> None:
    page = everything_in_page(screen)
    leaked = [line for line in private_lines(scenario, revealed) if line in page]
    assert not leaked, leaked


async def say(pilot: Pilot, text: str) -> None:
    """Paste `text` into the capture box, as a terminal delivers it, and press Enter."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")


async def test_the_room_follows_the_console_and_never_sees_notes(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    mars_venus = scenarios["mars-venus"]
    sid = seed(data_dir, mars_venus)
    audience = build_app(data_dir, present=sid)

    async def shows(text: str) -> None:
        await until(ap, lambda: text in shown_text(room(audience)), f"room shows {text!r}")

    async with audience.run_test(size=(100, 30)) as ap:
        await until(ap, lambda: room(audience).state == "waiting", "waiting")
        assert "Waiting for the facilitator" in shown_text(room(audience))

        console = build_app(data_dir, clock=Clock())
        async with console.run_test(size=(120, 36), notifications=True) as cp:
            await cp.press("enter")  # resume the one session of the home list
            await cp.pause()
            screen = console.screen
            assert isinstance(screen, SessionScreen)
            await shows("Friction is part of any job")
            assert room(audience).state == "show"

            # The console sees the audience view: notes shown by default, next step, time.
            bar = screen.query_one(ConsoleBar)
            await until(cp, lambda: screen.notes_visible, "console notices the audience view")
            assert bar.presenting and screen.query_one("#notes").display
            assert bar.display
            assert "Next: Ground rules · 3 min" in str(bar.query_one("#console-next").content)
            assert "Workshop" in str(bar.query_one("#console-time").content)

            await go_to(cp, "venus-brief")
            await shows("two key IT people")
            assert_private(room(audience), mars_venus, revealed=set())
            await cp.press("f3")  # reveal
            await shows("This makes me so angry.")
            await cp.press("f3")  # hide again: gone from the page, not only from view
            await until(
                ap,
                lambda: "This makes me so angry." not in everything_in_page(room(audience)),
                "reveal hidden again",
            )
            assert_private(room(audience), mars_venus, revealed=set())

            await cp.press("f4")  # blank the room's screen
            await until(ap, lambda: room(audience).state == "blank", "room blank")
            assert not screen.query_one("#blank").display  # the console stays usable
            assert "blank" in str(bar.query_one("#console-next").content)
            assert room(audience).query_one("#aud-blank").display
            await cp.press("f4")
            await until(ap, lambda: room(audience).state == "show", "unblank")

            await go_to(cp, "self-talk")
            await shows("Venus · 0")
            await cp.press(*"They never show up", "enter")  # typed
            await shows("They never show up")
            await cp.press("tab")  # Mars
            await say(cp, "So many requests, and now this")
            await shows("So many requests, and now this")
            await say(cp, HOSTILE)
            await shows(HOSTILE)
            assert "Mars · 2" in shown_text(room(audience))

            await go_to(cp, "clarity-gaps")
            await shows("0 of 3 statements tagged")
            await cp.press("1")  # Roles on the first statement
            await shows("#Roles")
            await shows("1 of 3 statements tagged")
            counts = room(audience).query_one(Bars).counts()
            assert counts[:2] == [1, 0]  # Roles: Venus 1, Mars 0

            await go_to(cp, "next-interaction")
            screen = console.screen
            screen.editor.add_agreement("IT sends one person, rotating monthly", "procedures")
            await shows("IT sends one person, rotating monthly")
            assert "#Procedures" in shown_text(room(audience))
            assert_private(room(audience), mars_venus, revealed=set())

        # The console quit: the room waits, calmly.
        await until(ap, lambda: room(audience).state == "waiting", "waiting after quit")
        assert "Waiting for the facilitator" in shown_text(room(audience))
        assert "Acme CRM team" in shown_text(room(audience))

        # ...and follows again when the facilitator comes back.
        console = build_app(data_dir, clock=Clock())
        async with console.run_test(size=(120, 36)) as cp:
            await cp.press("enter")
            await cp.pause()
            await shows("IT sends one person, rotating monthly")
            assert room(audience).state == "show"

    assert not audience._exception
    assert not presence.heartbeat_path(data_dir / "sessions", sid).exists()  # said goodbye


async def test_the_audience_view_never_writes_the_session(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    sessions = data_dir / "sessions"
    before = (sessions / f"{sid}.json").read_bytes()
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "waiting", "waiting")
        await ap.pause(0.6)
        assert not (sessions / f"{sid}.lock").exists()
        assert audience.store.holder(sid) is None
    assert (sessions / f"{sid}.json").read_bytes() == before
    assert sorted(p.name for p in sessions.iterdir()) == [f"{sid}.json"]


async def test_the_room_sees_the_statement_being_tagged(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    scenario = scenarios["mars-venus"]
    store = Store(data_dir, clock=Clock())
    sid = fill(store, scenario)  # 30 statements, more than a screen holds
    store.go_to_step(sid, [s.key for s in scenario.steps].index("clarity-gaps"))
    store.close_all()
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(100, 30)) as ap:
        console = build_app(data_dir, clock=Clock())
        async with console.run_test(size=(120, 36)) as cp:
            await cp.press("enter")
            await room_settles(ap, step="clarity-gaps")
            await cp.press(*["down"] * 26)  # to the 27th statement, as fast as Pilot goes
            await cp.pause()
            listed = room(audience).query_one("#aud-tagged", StatementList)
            wanted = console.screen.view.query_one(StatementList).current
            assert wanted is not None and wanted.text.startswith("27: ")
            await until(ap, lambda: listed.marked == wanted.id, "the room marks it")
            await ap.pause(0.1)
            assert listed.highlighted == 26
            lines = screen_text(audience).splitlines()
            assert any("27: we never agreed" in line for line in lines), lines
            await cp.press("2")  # tag it: the room sees the tag on the marked line
            await until(ap, lambda: "#Goals" in listed.texts()[26], "tag shown")
            assert listed.marked == wanted.id
        # The facilitator closed the session: the room's view waits, nothing is lost.
        await until(ap, lambda: room(audience).state == "waiting", "waiting")


async def test_the_room_takes_the_theme_the_console_chooses(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "waiting", "waiting")
        assert audience.theme == "projector"
        console = build_app(data_dir, clock=Clock())
        async with console.run_test(size=(100, 30)) as cp:
            await run_command(cp, "Theme: paper")
            await until(ap, lambda: audience.theme == "paper", "room on paper")
            white = Color.parse("#FFFFFF")  # drawn once the styles are refreshed
            await until(ap, lambda: room(audience).styles.background == white, "drawn on paper")
            await run_command(cp, "Theme: projector")
            await until(ap, lambda: audience.theme == "projector", "room on projector")
    # The room's view never writes the settings either: the last choice stands.
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "projector"


async def test_a_session_nobody_has_open_waits_for_the_facilitator(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["erm"], title="ERM kick-off")
    audience = build_app(data_dir, present=sid[:5])  # a unique prefix is enough
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "waiting", "waiting")
        text = shown_text(room(audience))
        assert "Waiting for the facilitator" in text
        assert "ERM kick-off is not open in the console right now." in text
    assert not audience._exception


async def test_a_damaged_file_is_a_sentence_and_the_view_keeps_checking(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    path = data_dir / "sessions" / f"{sid}.json"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "problem", "problem")
        text = shown_text(room(audience))
        assert "The session cannot be shown" in text
        assert f"Its file {sid}.json cannot be read: not valid JSON" in text
        assert "keeps checking" in text
        path.write_bytes(good)  # put back from a backup: the view picks it up
        await until(ap, lambda: room(audience).state == "waiting", "repaired")
    assert path.read_bytes() == good
    assert not audience._exception


async def test_a_session_deleted_while_shown_is_a_sentence(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "waiting", "waiting")
        Store(data_dir).delete_session(sid)
        await until(ap, lambda: room(audience).state == "problem", "deleted")
        text = shown_text(room(audience))
        assert f"Session {sid} was deleted while it was shown." in text
        assert "keeps checking" in text
        await ap.pause(0.6)  # still polling, still no traceback
    assert not audience._exception


async def test_an_unknown_id_is_a_sentence(data_dir: Path) -> None:
    audience = build_app(data_dir, present="nope")
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "problem", "problem")
        text = shown_text(room(audience))
        assert "No stored session has an id starting with 'nope'." in text
        assert not (data_dir / "sessions" / "nope.audience").exists()
    assert not audience._exception


async def test_a_session_of_a_pack_not_installed_is_a_sentence(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    path = data_dir / "sessions" / f"{sid}.json"
    data = json.loads(path.read_text("utf-8"))
    data["meta"]["1"]["scenario"]["id"] = "somewhere-else"
    path.write_text(json.dumps(data), "utf-8")
    audience = build_app(data_dir, present=sid)
    async with audience.run_test(size=(80, 24)) as ap:
        await until(ap, lambda: room(audience).state == "problem", "problem")
        assert "'somewhere-else' is not installed here" in shown_text(room(audience))
        await ap.pause(3 * POLL_SECONDS)  # later polls of the same file keep the sentence
        assert room(audience).state == "problem"
        assert "'somewhere-else' is not installed here" in shown_text(room(audience))
    assert not audience._exception


@pytest.mark.parametrize("size", [(80, 24), (240, 67)], ids=["80x24", "240x67"])
@pytest.mark.parametrize("step", ["venus-brief", "self-talk", "clarity-gaps", "close"])
async def test_the_view_reflows_without_horizontal_scrolling(
    data_dir: Path, scenarios: dict[str, Scenario], size: tuple[int, int], step: str
) -> None:
    scenario = scenarios["mars-venus"]
    store = Store(data_dir, clock=Clock())
    session = store.create_session(scenario, "Acme CRM team " * 6)  # a long title
    for index in range(12):
        store.add_statement(
            session.id,
            "marketing" if index % 2 else "it",
            "A rather long statement that must wrap on a narrow screen " * 2,
            step="self-talk",
        )
    store.go_to_step(session.id, [s.key for s in scenario.steps].index(step))
    audience = build_app(data_dir, present=session.id)
    try:
        async with audience.run_test(size=size) as ap:
            await room_settles(ap, "show", step)
            width = size[0]
            for widget in room(audience).query("*").results(Widget):
                if not widget.display or widget.region.width == 0:
                    continue
                assert widget.region.right <= width, widget
                assert not widget.show_horizontal_scrollbar, widget
                if widget.is_scrollable:
                    assert widget.max_scroll_x == 0, widget
    finally:
        store.close_all()


def test_the_present_command_is_exact(tmp_path: Path, scenarios: dict[str, Scenario]) -> None:
    command = present_command(tmp_path / "my data", "abcd1234", scenarios["mars-venus"])
    assert command == f"workshop --data-dir '{tmp_path / 'my data'}' present abcd1234"


async def test_present_from_the_home_list_and_the_palette(
    data_dir: Path, scenarios: dict[str, Scenario]
) -> None:
    sid = seed(data_dir, scenarios["mars-venus"])
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PresentDialog)
        assert dialog.command.endswith(f"present {sid}")
        assert "cannot open a terminal window by itself" in str(
            dialog.query(".dialog-message").first(Static).content
        )
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        titles = [c.title for c in app.screen.palette_commands()]
        assert "Present on a second window…" in titles
        app.screen.action_present()
        await pilot.pause()
        assert isinstance(app.screen, PresentDialog)


async def test_pack_markdown_reflows_at_80x24(tmp_path: Path) -> None:
    from tests.test_contrast import SINK

    pack_dir = tmp_path / "packs-extra"
    pack_dir.mkdir()
    long_line = "a fenced line much longer than eighty columns " * 3
    (pack_dir / "sink.toml").write_text(SINK.replace("a fenced block", long_line), "utf-8")
    data_dir = tmp_path / "data"
    scenario = next(s for s in discover(data_dir / "packs", (pack_dir,))[0] if s.id == "sink")
    store = Store(data_dir, clock=Clock())
    session = store.create_session(scenario, "Sink")
    audience = build_app(data_dir, content_dirs=(pack_dir,), present=session.id)
    try:
        async with audience.run_test(size=(80, 24)) as ap:
            await room_settles(ap)
            for widget in room(audience).query("*").results(Widget):
                if widget.display and widget.region.width:
                    assert widget.region.right <= 80, widget
                    assert not widget.show_horizontal_scrollbar, widget
                    if widget.is_scrollable and not isinstance(widget, Markdown):
                        assert widget.max_scroll_x == 0, widget
    finally:
        store.close_all()
