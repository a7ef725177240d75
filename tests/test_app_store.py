"""The store's hard cases seen through the real app: damaged files, locks held and stale."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from screens.app import build_app
from screens.dialogs import ChoiceDialog
from screens.session import SessionScreen
from screens.widgets import CaptureBox, SessionTable
from tests.conftest import Clock
from tests.pilot import type_text
from workshop.scenario import discover
from workshop.store import Store

DAMAGED = {
    "empty.json": b"",
    "truncated.json": b'{"meta": {"1": {"schema": "workshop.session/1", "id": "trunc',
    "not-json.json": b"this is a shopping list, not a session\n",
    "wrong-schema.json": json.dumps({"meta": {"1": {"hello": "world"}}}).encode(),
    "newer.json": json.dumps({"meta": {"1": {"schema": "workshop.session/9"}}}).encode(),
}


def stored_session(data_dir: Path, capture: bool = True) -> str:
    """A stored, closed Mars & Venus session (on its capture step); its id."""
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    store = Store(data_dir, clock=Clock())
    session = store.create_session(scenario, "Acme CRM team")
    store.add_statement(session.id, "marketing", "They never come", step="self-talk")
    if capture:
        store.go_to_step(session.id, [s.key for s in scenario.steps].index("self-talk"))
    store.close_all()
    return session.id


def home_problems(app) -> str:
    return str(app.screen.query_one("#home-problem-lines").render())


async def test_damaged_files_are_listed_by_name_and_left_untouched(data_dir: Path) -> None:
    session_id = stored_session(data_dir)
    for name, raw in DAMAGED.items():
        (data_dir / "sessions" / name).write_bytes(raw)
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause()
        problems = home_problems(app)
        for name in DAMAGED:
            assert f"Damaged: {name}:" in problems
        assert "the file is empty" in problems
        assert "another version of workshop" in problems
        assert len(app.screen.query_one(SessionTable).items) == 1  # the good one still works
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await type_text(pilot, "still works")
        await pilot.press("enter")
        await pilot.pause()
        assert [s.text for s in app.store.session(session_id).statements][-1] == "still works"
    for name, raw in DAMAGED.items():
        assert (data_dir / "sessions" / name).read_bytes() == raw


HOLDER = """
import sys, time
from pathlib import Path
from workshop.store import Store
store = Store(Path(sys.argv[1]))
store.open_session(sys.argv[2])
print("holding", flush=True)
time.sleep(60)
"""


def hold(data_dir: Path, session_id: str) -> subprocess.Popen:
    """Another workshop process that opens the session for editing and keeps it open."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir), session_id], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "holding"
    return child


async def test_a_session_held_by_another_window_opens_read_only(data_dir: Path) -> None:
    session_id = stored_session(data_dir)
    path = data_dir / "sessions" / f"{session_id}.json"
    before = path.read_bytes()
    child = hold(data_dir, session_id)
    try:
        app = build_app(data_dir, clock=Clock())
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ChoiceDialog)
            assert f"process {child.pid} on {socket.gethostname()}" in dialog.message
            assert not dialog.query("#choice-take-over")  # a live window on this computer
            await pilot.click("#choice-read-only")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen) and screen.read_only
            assert screen.query_one(CaptureBox).disabled
            title = str(screen.query_one("#header-title").render())
            assert title.endswith("· read-only: open in another window")
            assert "another window" in str(screen.query_one(CaptureBox).placeholder)
            await pilot.press("pagedown", "f3", "f4", "f4")
            await pilot.pause()
        assert path.read_bytes() == before  # read-only wrote nothing
        lock = json.loads((data_dir / "sessions" / f"{session_id}.lock").read_text())
        assert lock["pid"] == child.pid  # the holder keeps its lock
    finally:
        child.kill()
        child.wait()


async def test_a_lock_left_by_a_dead_process_is_taken_over(data_dir: Path) -> None:
    session_id = stored_session(data_dir)
    child = hold(data_dir, session_id)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert (data_dir / "sessions" / f"{session_id}.lock").exists()
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.read_only
        await type_text(pilot, "after the crash")
        await pilot.press("enter")
        await pilot.pause()
        lock = json.loads((data_dir / "sessions" / f"{session_id}.lock").read_text())
        assert lock["pid"] == os.getpid()
    stored = Store(data_dir).load_session(session_id)
    assert [s.text for s in stored.statements] == ["They never come", "after the crash"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
async def test_a_read_only_data_dir_is_said_in_plain_words(data_dir: Path) -> None:
    session_id = stored_session(data_dir)
    sessions = data_dir / "sessions"
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        sessions.chmod(0o500)
        try:
            await type_text(pilot, "not saved")
            await pilot.press("enter")
            await pilot.pause()
            messages = " ".join(str(n.message) for n in app._notifications)
            assert "permission" in messages and "Nothing of this change was saved" in messages
            assert app.screen.query_one(CaptureBox).text == "not saved"
        finally:
            sessions.chmod(0o700)
    assert [s.text for s in Store(data_dir).load_session(session_id).statements] == [
        "They never come"
    ]
