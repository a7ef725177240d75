"""Exporting from inside the app (home list, close step, command palette), with Pilot,
on a real store in a temp data dir; and exporting elsewhere after a failed save."""

from __future__ import annotations

import errno
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from textual.widgets import Static

import workshop.storage
from screens.app import build_app
from screens.dialogs import ConfirmDialog
from screens.export_dialog import ExportDialog
from screens.home import HomeScreen
from screens.widgets import CaptureBox, LineInput
from tests.conftest import Clock
from tests.pilot import go_to, resume, run_command, seed_session, type_text
from tests.transcript_fixtures import mars_venus_session
from workshop.export import EXPORT_FOLDER
from workshop.scenario import discover
from workshop.store import Store

SIZE = (120, 36)

SAID = [
    "This makes me so angry.",
    "We agreed on this team.\nYou don't just skip it.",
    "Marketing wants everything yesterday.",
]
"""Statements of the stored Mars & Venus session (as `mars_venus_session` adds them)."""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's home folder for the app (where ~/workshop-exports goes)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def stored(data_dir: Path) -> str:
    """The id of a finished Mars & Venus session stored in `data_dir` (and closed)."""
    found, _ = discover()
    store = Store(data_dir, clock=Clock())
    try:
        return mars_venus_session(store, next(s for s in found if s.id == "mars-venus"))
    finally:
        store.close_all()


class _Text(HTMLParser):
    """The text of an HTML page, with its element names."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert "html" in parser.tags and "body" in parser.tags
    return "".join(parser.text)


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def problem(app) -> str:
    return str(app.screen.query_one("#problem", Static).render())


async def open_dialog(pilot, key: str = "x") -> ExportDialog:
    await pilot.press(key)
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def set_path(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#path", LineInput)
    box.value = text
    box.focus()
    await pilot.pause()


async def export(pilot) -> None:
    await pilot.click("#export")
    await pilot.pause()
    await pilot.pause()


# -- from the home list -----------------------------------------------------------------------


async def test_export_json_and_html_from_the_home_list(
    data_dir: Path, home: Path, stored: str
) -> None:
    app = build_app(data_dir, clock=Clock())
    folder = home / EXPORT_FOLDER
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert isinstance(app.screen, HomeScreen)
        dialog = await open_dialog(pilot)
        assert dialog.session.id == stored
        default = folder / "acme-crm-kick-off-with-ana-lopez-2026-11-23.html"
        assert dialog.query_one("#path", LineInput).value == str(default)
        await pilot.click("#format-json")
        await pilot.pause()
        json_path = default.with_suffix(".json")
        assert dialog.query_one("#path", LineInput).value == str(json_path)
        await export(pilot)
        assert isinstance(app.screen, HomeScreen)
        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert data["session"]["id"] == stored
        assert [st["text"] for st in data["statements"]][:3] == SAID
        assert data["statements"][0]["speaker"] == "Bodil Berg"
        assert any(str(json_path) in m for m in messages(app))

        await open_dialog(pilot)
        await pilot.click("#anonymize")
        await pilot.pause()
        anonymous = folder / "acme-crm-kick-off-with-participant-2-2026-11-23.html"
        assert app.screen.query_one("#path", LineInput).value == str(anonymous)
        app.screen.query_one("#path", LineInput).focus()
        await pilot.press("enter")  # Enter in the file box exports
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = html_text(anonymous)
        for said in SAID:
            for line in said.split("\n"):
                assert line in text
        assert "Bodil" not in text and "Participant 1" in text  # anonymized
    assert sorted(p.name for p in folder.iterdir()) == [json_path.name, anonymous.name]
    assert folder.stat().st_mode & 0o777 == 0o700


async def test_home_export_from_the_command_palette(
    data_dir: Path, home: Path, stored: str
) -> None:
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await run_command(pilot, "Export transcript")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert list((home / EXPORT_FOLDER).iterdir()) == []


# -- refusing to overwrite, and paths that cannot be written ------------------------------------


async def test_an_existing_file_is_only_replaced_when_confirmed(
    data_dir: Path, home: Path, stored: str
) -> None:
    app = build_app(data_dir, clock=Clock())
    target = home / "acme.md"
    target.write_text("keep me")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_dialog(pilot)
        await pilot.click("#format-md")
        await set_path(pilot, "~/acme.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert problem(app) == f"Nothing was written: {target} is kept. Choose another name."
        assert target.read_text() == "keep me"

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # replace it
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert target.read_text(encoding="utf-8").startswith("# Acme CRM kick-off")
        assert any(f"to {target}." in m for m in messages(app))
    assert sorted(p.name for p in home.iterdir()) == ["acme.md", EXPORT_FOLDER]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("missing/t.html", "Cannot write {path}: the folder {parent} does not exist."),
        ("x" * 300 + ".html", "Could not write {path}: the file name is too long."),
        ("", "Give the name of the file to write the transcript to."),
        (".", "{path} is a folder: give the name of a file to write."),
    ],
    ids=["missing folder", "name too long", "no name", "a folder"],
)
async def test_an_unwritable_path_gets_a_sentence_and_the_dialog_stays(
    data_dir: Path, home: Path, stored: str, name: str, sentence: str
) -> None:
    app = build_app(data_dir, clock=Clock())
    folder = home / EXPORT_FOLDER
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog = await open_dialog(pilot)
        await set_path(pilot, name)
        await export(pilot)
        assert app.screen is dialog
        path = folder / name
        assert problem(app) == sentence.format(path=path, parent=path.parent)
        assert "Traceback" not in problem(app)
        assert not any("Wrote" in m for m in messages(app))
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in home.iterdir()) == [EXPORT_FOLDER]


async def test_the_home_folder_is_used_when_the_exports_folder_cannot_be_made(
    data_dir: Path, home: Path, stored: str
) -> None:
    (home / EXPORT_FOLDER).write_text("a file in the way")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.folder == home
        await export(pilot)
    assert (home / "acme-crm-kick-off-with-ana-lopez-2026-11-23.html").is_file()


# -- from the close step ----------------------------------------------------------------------


async def test_export_from_the_close_step(data_dir: Path, home: Path) -> None:
    said = [
        ("marketing", "They never show up <b>when</b> it matters"),
        ("it", "So many requests, [/] and now this"),
    ]
    seed_session(data_dir, "rarely-personality", lines=said)  # a summary, not the last step
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await resume(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen
        await go_to(pilot, "close")
        dialog = await open_dialog(pilot)
        assert dialog.session is screen.session
        await pilot.press("enter")  # the file box has focus: export the default
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
    written = home / EXPORT_FOLDER / "acme-crm-team-2026-11-23.html"
    text = html_text(written)
    assert "They never show up <b>when</b> it matters" in text
    assert "So many requests, [/] and now this" in text


# -- a failing save, then exporting elsewhere -----------------------------------------------------


async def test_a_full_disk_keeps_the_text_and_the_session_can_be_exported_elsewhere(
    data_dir: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_session(data_dir, "self-talk", lines=[("marketing", "Saved before the disk filled up")])
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await resume(pilot)
        session_file = app.store.path_of(screen.session_id)
        before = session_file.read_bytes()

        def full(path: Path, payload: bytes) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(workshop.storage, "write_atomic", full)
        await type_text(pilot, "Said while the disk is full")
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen.query_one(CaptureBox)
        assert box.text == "Said while the disk is full"
        failure = [m for m in messages(app) if "the disk is full" in m]
        assert failure and "ctrl+p → Export transcript…" in failure[0]
        assert session_file.read_bytes() == before
        assert [st.text for st in screen.session.statements] == ["Saved before the disk filled up"]

        await run_command(pilot, "Export transcript")
        assert isinstance(app.screen, ExportDialog)
        await pilot.click("#format-json")
        elsewhere = home / "usb-stick"
        elsewhere.mkdir()
        await set_path(pilot, str(elsewhere / "rescue.json"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        data = json.loads((elsewhere / "rescue.json").read_text(encoding="utf-8"))
        assert [st["text"] for st in data["statements"]] == ["Saved before the disk filled up"]
        assert data["statements"][0]["step"] == "self-talk"
        assert any(str(elsewhere / "rescue.json") in m for m in messages(app))
        assert box.text == "Said while the disk is full"  # still there to save later
        assert session_file.read_bytes() == before

        monkeypatch.undo()  # space again: Enter saves what was kept
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert box.text == ""
        assert [st.text for st in app.store.session(screen.session_id).statements] == [
            "Saved before the disk filled up",
            "Said while the disk is full",
        ]
