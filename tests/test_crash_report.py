"""A crash of the app, and an exit that leaves text typed but not saved.

After a crash the command line says one calm sentence naming the data folder, the
recovery file (the text typed but not saved) and the crash report (the traceback, no local
variables); no traceback reaches the terminal, so no participant's words do either. After
an ordinary exit (ctrl+q), text left in a capture box goes to the recovery file too; a
dialog holds ctrl+q back, so only a crash closes one. `--debug` keeps Textual's own handler.

The failure driven is a real one, not a patch of our code: the session file is replaced,
while the app has it open, by a hand-edited copy whose TinyDB document ids are words. The
store read the file when the session was opened; TinyDB reads it again at the first save
and fails in its own code (ValueError), which nothing in workshop catches. With the `meta`
table edited, the session screen's own save on closing fails the same way, so Textual's
shutdown meets a second error and `App.run` raises it: both paths are driven.
"""

from __future__ import annotations

import json
import stat
import tempfile
import time
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from screens.app import WorkshopApp, build_app
from screens.dialogs import NewSessionDialog
from screens.session import SessionScreen
from screens.widgets import CaptureBox
from tests.harness import KEYS, LIMIT, TITLE, Terminal, seed
from tests.pilot import run_command, type_text, until

SAID = [
    ("marketing", "Priya thinks IT never listens"),
    ("it", "Tomasz fears the rollout slips again"),
]
"""Statements stored before the crash: in the session's local variables, never printed."""

TYPED = "Omar worries about the budget"
"""Typed into the capture box and not saved when the app stops."""

SENTENCE = "Something went wrong inside workshop and it closed"


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the app keeps recovery files and crash reports in ($XDG_STATE_HOME)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "workshop"


ALL_TABLES = ("meta", "statements", "agreements", "ratings")

TRIGGERS = {
    "blank": (["f4"], ALL_TABLES),  # F4 blanks the room's screen: a save of `meta`
    "enter": (["enter"], ("statements",)),  # the line typed is being saved
}
"""Keys that crash the app after `hand_edit` of these tables (see the module's docstring)."""


def hand_edit(session_file: Path, tables: tuple[str, ...] = ALL_TABLES) -> None:
    """Replace `session_file` by a copy edited by hand: the same JSON, but the document ids
    of `tables` words instead of numbers."""
    data = json.loads(session_file.read_text(encoding="utf-8"))
    for name in tables:
        docs = data.get(name, {}).values()
        data[name] = {f"doc-{index}": doc for index, doc in enumerate(docs)}
    session_file.write_text(json.dumps(data), encoding="utf-8")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def only(folder: Path, prefix: str) -> Path:
    """The one file in `folder` whose name starts with `prefix`."""
    found = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    assert len(found) == 1, found
    return found[0]


async def crash_while_typing(app: WorkshopApp, data: Path, sid: str, trigger: str) -> None:
    """Open the session, type `TYPED`, hand-edit its file and press the `trigger`'s keys:
    the app crashes (Textual's test runner raises the error again once it has closed)."""
    keys, tables = TRIGGERS[trigger]
    with pytest.raises(ValueError, match="invalid literal for int"):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
            await type_text(pilot, TYPED)
            assert app.screen.query_one(CaptureBox).text == TYPED
            hand_edit(data / "sessions" / f"{sid}.json", tables)
            await pilot.press(*keys)
            await until(pilot, lambda: app.return_code == 1, "the crash")


@pytest.mark.parametrize("trigger", TRIGGERS)
async def test_a_crash_says_one_sentence_and_keeps_the_typed_text(
    tmp_path: Path, state: Path, capfd: pytest.CaptureFixture[str], trigger: str
) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data)
    await crash_while_typing(app, data, sid, trigger)

    assert app.crashed and app.return_code == 1
    recovery, report = only(state, "unsaved-"), only(state, "crash-")
    sentence = app.farewell
    assert sentence is not None and sentence.startswith(SENTENCE), sentence
    assert "\n" not in sentence and sentence.endswith(".")
    assert f"everything saved is safe in {data}" in sentence
    assert str(recovery) in sentence and str(report) in sentence
    for private in [TYPED, TITLE, "Dana", *(text for _, text in SAID)]:
        assert private not in sentence

    kept = recovery.read_text(encoding="utf-8")
    assert "--- Capture box, Self-talk: both inner voices, Venus\n" + TYPED in kept
    told = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in told and "ValueError" in told
    assert "tinydb/table.py" in told and "workshop 0.1.0" in told
    for private in [TYPED, TITLE, "Dana", *(text for _, text in SAID)]:
        assert private not in told  # no local variables
    assert mode(recovery) == mode(report) == 0o600 and mode(state) == 0o700
    printed = capfd.readouterr()
    assert "Traceback" not in printed.out + printed.err


async def test_debug_leaves_the_crash_to_textual_and_still_keeps_the_typed_text(
    tmp_path: Path, state: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data, debug=True)
    await crash_while_typing(app, data, sid, "enter")

    printed = capfd.readouterr().err
    assert "Traceback" in printed and "locals" in printed  # what the room would have seen
    assert not app.crashed and app.return_code == 1
    assert not list(state.glob("crash-*"))  # Textual's handler, not ours
    assert TYPED in only(state, "unsaved-").read_text(encoding="utf-8")  # still kept


@pytest.mark.parametrize("where", ["temp-folder", "nowhere"])
async def test_a_crash_with_no_state_dir_still_loses_nothing_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    temp = tmp_path / "tmp"
    if where == "temp-folder":
        temp.mkdir()
    else:
        temp = blocked
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data)
    await crash_while_typing(app, data, sid, "blank")

    sentence = app.farewell
    assert sentence is not None and sentence.startswith(SENTENCE)
    assert f"everything saved is safe in {data}" in sentence
    if where == "temp-folder":
        folder = only(temp, "workshop-")
        recovery, report = only(folder, "unsaved-"), only(folder, "crash-")
        assert str(recovery) in sentence and str(report) in sentence
        assert TYPED in recovery.read_text(encoding="utf-8")
        assert mode(folder) == 0o700 and mode(recovery) == mode(report) == 0o600
    else:
        first, _, rest = sentence.partition("\n")
        assert "the text not yet saved could not be written" in first
        assert "no crash report could be written" in first
        assert TYPED in rest  # the last place left: the terminal, after the app has gone


async def test_quitting_keeps_text_typed_but_not_saved(tmp_path: Path, state: Path) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await type_text(pilot, TYPED)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the app quits")
    assert not app.crashed and app.return_code == 0
    recovery = only(state, "unsaved-")
    assert app.farewell == f"The text typed but not saved is kept in {recovery}."
    assert TYPED in recovery.read_text(encoding="utf-8")
    assert mode(recovery) == 0o600 and mode(state) == 0o700


async def test_quitting_with_nothing_typed_keeps_nothing(tmp_path: Path, state: Path) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the app quits")
    assert app.farewell is None and not state.exists()


async def test_a_crash_on_saving_a_dialog_keeps_what_was_typed_in_it(
    tmp_path: Path, state: Path
) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", SAID)
    app = build_app(data)
    # The dialog is awaited in a worker (WorkerFailed); the error Textual's shutdown meets
    # on closing the session (ValueError) may be the one raised again.
    with pytest.raises((WorkerFailed, ValueError)):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
            await run_command(pilot, "Session details")
            await until(pilot, lambda: isinstance(app.screen, NewSessionDialog), "details")
            await pilot.press("tab", "tab")  # title, facilitator kept
            await type_text(pilot, "Acme Logistics")
            hand_edit(data / "sessions" / f"{sid}.json")
            await pilot.press("enter")  # the dialog closes and its change is saved
            await until(pilot, lambda: app.return_code == 1, "the crash")

    kept = only(state, "unsaved-").read_text(encoding="utf-8")
    assert "--- Session details: Organisation\nAcme Logistics\n" in kept
    assert TITLE not in kept and "Dana" not in kept  # given, not typed: saved already
    told = only(state, "crash-").read_text(encoding="utf-8")
    assert "update_details" in told and "ValueError" in told


# -- the installed console script in a real terminal -------------------------------------

LEFT = b"\x1b[?1049l"
"""What a terminal receives when the app leaves the alternate screen."""


def run_until_gone(terminal: Terminal) -> tuple[int, str]:
    """Wait for the app to exit by itself; its exit status and what it printed after
    leaving the alternate screen."""
    deadline = time.monotonic() + LIMIT
    while terminal.process.isalive():
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not exit within {LIMIT} s:\n{terminal.text()}")
        time.sleep(0.02)
    terminal.close()
    output = bytes(terminal.output)
    left = output.rfind(LEFT)
    assert left >= 0, output[-2000:]
    return terminal.process.exitstatus or 0, output[left:].decode("utf-8", "replace")


def crash_in_terminal(tmp_path: Path, trigger: str, *args: str) -> tuple[int, str, Path]:
    """`workshop --data-dir DATA ARGS` in a pseudo-terminal: open the session, type `TYPED`,
    hand-edit its file and press the `trigger`'s keys; the exit status, what the terminal
    received after the app left it (blank space folded), and DATA."""
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", SAID)
    keys, tables = TRIGGERS[trigger]
    terminal = Terminal("--data-dir", str(data), *args)
    try:
        terminal.wait_for(TITLE[:11])
        terminal.write(KEYS["enter"])
        terminal.wait_for(lambda screen: " of " in screen and "Agenda" in screen)
        terminal.write(TYPED.encode())
        terminal.wait_for(TYPED)
        hand_edit(data / "sessions" / f"{sid}.json", tables)
        terminal.send(keys, 0)
        status, after = run_until_gone(terminal)
    finally:
        terminal.close()
    return status, " ".join(after.split()), data


@pytest.mark.pty
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_crash_in_a_real_terminal_shows_the_sentence_only(
    tmp_path: Path, state: Path, trigger: str
) -> None:
    status, after, data = crash_in_terminal(tmp_path, trigger)
    assert status == 1
    assert SENTENCE in after and f"everything saved is safe in {data}" in after
    recovery, report = only(state, "unsaved-"), only(state, "crash-")
    assert str(recovery) in after and str(report) in after
    assert "Traceback" not in after and "locals" not in after
    for private in [TYPED, TITLE, "Dana", *(text for _, text in SAID)]:
        assert private not in after
    assert TYPED in recovery.read_text(encoding="utf-8") and mode(recovery) == 0o600
    told = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in told and mode(report) == 0o600
    assert TYPED not in told


@pytest.mark.pty
def test_debug_in_a_real_terminal_shows_textuals_traceback(tmp_path: Path, state: Path) -> None:
    status, after, _ = crash_in_terminal(tmp_path, "enter", "--debug")
    assert status == 1
    assert "Traceback" in after and "locals" in after and "ValueError" in after
    assert TYPED in after  # Textual lists the locals: the line being saved, for the room
    assert SENTENCE not in after and not list(state.glob("crash-*"))
    assert TYPED in only(state, "unsaved-").read_text(encoding="utf-8")


@pytest.mark.pty
def test_quitting_in_a_real_terminal_says_where_the_typed_text_is(
    tmp_path: Path, state: Path
) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk", SAID)
    terminal = Terminal.session(data)
    try:
        terminal.write(TYPED.encode())
        terminal.wait_for(TYPED)
        status = terminal.quit()
    finally:
        terminal.close()
    output = bytes(terminal.output)
    after = " ".join(output[output.rfind(LEFT) :].decode("utf-8", "replace").split())
    assert status == 0
    recovery = only(state, "unsaved-")
    assert f"The text typed but not saved is kept in {recovery}." in after
    assert TYPED in recovery.read_text(encoding="utf-8")
