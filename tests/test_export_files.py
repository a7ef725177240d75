"""Export files as a user meets them: the `workshop export` command in a subprocess, on
special files, killed mid-write, into a full disk or a closed pipe; and the app's export
dialog proposing a file name that gives no name away."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static, Switch

from screens.app import build_app
from screens.export_dialog import ExportDialog
from screens.home import HomeScreen
from screens.widgets import LineInput
from tests.conftest import Clock
from tests.transcript_fixtures import mars_venus_session
from workshop.export import EXPORT_FOLDER
from workshop.scenario import discover
from workshop.store import Store

WORKSHOP = str(Path(sys.executable).with_name("workshop"))
"""The installed console script."""

REFUSED = "it was left as it was; give the name of a file to write."


@pytest.fixture
def stored(data_dir: Path) -> str:
    """The id of a finished Mars & Venus session stored in `data_dir` (and closed)."""
    store = Store(data_dir, clock=Clock())
    try:
        return mars_venus_session(store, next(s for s in discover()[0] if s.id == "mars-venus"))
    finally:
        store.close_all()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data dir holding a session of 400 statements of 4,000 characters (1.6 MB of
    Markdown, more than a pipe holds), and its id."""
    data_dir = tmp_path_factory.mktemp("big") / "data"
    store = Store(data_dir, clock=Clock())
    try:
        sid = mars_venus_session(store, next(s for s in discover()[0] if s.id == "mars-venus"))
        small = store.load_session(sid)
        said = small.statements[0]
        statements = [
            dataclasses.replace(said, id=f"{i:08x}", text=f"{i} " + "word " * 799, tags=())
            for i in range(400)
        ]
        store.add_session(dataclasses.replace(small, id="b16b16b1", statements=statements))
    finally:
        store.close_all()
    return data_dir, "b16b16b1"


def workshop(data_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run the console script to its end (a hang fails the test, it never blocks it)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [WORKSHOP, "--data-dir", str(data_dir), *args],
        text=True,
        timeout=30,
        check=False,
        **kwargs,
    )


def start(data_dir: Path, *args: str, **kwargs) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [WORKSHOP, "--data-dir", str(data_dir), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def temp_of(child: subprocess.Popen[bytes], folder: Path) -> Path | None:
    """The temp file `child` writes its export to in `folder`, once it is there; None if
    the child ended before it was seen."""
    while child.poll() is None:
        for name in os.listdir(folder):
            if name.endswith(f".{child.pid}.tmp"):
                return folder / name
    return None


# -- special files ---------------------------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("making a device node needs root")


def _socket(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server  # kept open while the test runs


def _link(path: Path) -> None:
    (path.parent / "real.md").write_text("the real file")
    path.symlink_to("real.md")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_fifo, "a named pipe (FIFO)"),
        (_device, "a device"),
        (_socket, "a socket"),
        (_link, "a symbolic link"),
    ],
    ids=["fifo", "device", "socket", "symlink"],
)
def test_only_a_regular_file_is_ever_replaced(
    data_dir: Path, stored: str, tmp_path: Path, make: Callable[[Path], object], kind: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "t.md"
    kept = make(target)
    before = os.lstat(target)
    names = sorted(os.listdir(folder))
    for force in ([], ["--force"]):
        done = workshop(data_dir, "export", stored, "-o", str(target), *force)
        assert done.returncode == 2
        assert done.stderr == f"workshop: {target} is {kind}, not a regular file: {REFUSED}\n"
        assert done.stdout == ""
        after = os.lstat(target)  # the very same node, untouched
        assert (after.st_mode, after.st_ino, after.st_rdev) == (
            before.st_mode,
            before.st_ino,
            before.st_rdev,
        )
        assert sorted(os.listdir(folder)) == names
    if kind == "a symbolic link":
        assert (folder / "real.md").read_text() == "the real file"
    if isinstance(kept, socket.socket):
        kept.close()


def test_a_folder_is_left_alone_with_a_sentence(
    data_dir: Path, stored: str, tmp_path: Path
) -> None:
    folder = tmp_path / "t.md"
    folder.mkdir()
    done = workshop(data_dir, "export", stored, "-o", str(folder), "--force")
    assert done.returncode == 2
    assert done.stderr == f"workshop: {folder} is a folder: give the name of a file to write.\n"
    assert folder.is_dir() and os.listdir(folder) == []


def test_a_new_export_is_private_and_a_replaced_one_keeps_its_mode(
    data_dir: Path, stored: str, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "t.md"
    done = workshop(data_dir, "export", stored, "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Acme CRM kick-off")

    target.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(target, 4321, 4321)  # a file root replaces stays its owner's
    done = workshop(data_dir, "export", stored, "--format", "json", "-o", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    if os.geteuid() == 0:
        assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4321)
    assert os.listdir(folder) == ["t.md"]


# -- a killed export -------------------------------------------------------------------------


def test_the_temp_file_of_a_killed_export_is_removed_by_the_next_one(
    big: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, sid = big
    target = tmp_path / "t.md"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    others = [
        f".t.md.{gone.pid}.tmp",  # a name like the store's: not an export's
        f".t.md.workshop-export.{os.getpid()}.tmp",  # a live process's export
        "notes.workshop-export.1.tmp",  # not hidden: the user's
    ]
    for name in others:
        (tmp_path / name).write_text("not the export's to remove")
    (tmp_path / f".d.workshop-export.{gone.pid}.tmp").mkdir()  # a folder is never removed
    others.append(f".d.workshop-export.{gone.pid}.tmp")

    left = []
    for _ in range(8):  # kill until two exports were caught mid-write
        child = start(data_dir, "export", sid, "-o", str(target), "--force")
        temp = temp_of(child, tmp_path)
        child.kill()
        child.communicate(timeout=30)
        if temp is not None and temp.exists():
            left.append(temp)
            assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == sorted(
                [temp.name, *others]
            ), "the export before it left its temp file"
        if len(left) == 2:
            break
    assert len(left) == 2, "no export was caught while writing"

    done = workshop(data_dir, "export", sid, "-o", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(tmp_path)) == sorted(["t.md", *others])
    assert target.read_text(encoding="utf-8").count("word word") > 400


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_an_export_ended_by_a_signal_removes_its_temp_file(
    big: tuple[Path, str], tmp_path: Path, signum: int
) -> None:
    data_dir, sid = big
    target = tmp_path / "t.md"
    for _ in range(8):
        child = start(data_dir, "export", sid, "-o", str(target))
        temp = temp_of(child, tmp_path)
        child.send_signal(signum)
        _, said = child.communicate(timeout=30)
        if temp is not None and child.returncode == 128 + signum:
            break
        target.unlink(missing_ok=True)  # it ended before the signal caught it: try again
    assert temp is not None, "no export was caught while writing"
    assert child.returncode == 128 + signum
    assert said == b""
    assert os.listdir(tmp_path) == []


# -- standard output -------------------------------------------------------------------------


@pytest.fixture(params=["buffered", "unbuffered"])
def env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment, with Python's output buffered (a failure shows at flush) or not
    (at write)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if request.param == "unbuffered":
        env["PYTHONUNBUFFERED"] = "1"
    return env


def test_a_full_disk_on_standard_output_is_one_sentence(
    data_dir: Path, stored: str, tmp_path: Path, env: dict[str, str]
) -> None:
    with open("/dev/full", "w") as full:
        done = workshop(data_dir, "export", stored, stdout=full, stderr=subprocess.PIPE, env=env)
        assert done.returncode == 1
        assert done.stderr == (
            "workshop: Could not write the transcript to standard output: the disk is full.\n"
        )
        # with -o, only the confirmation is lost: the file is written
        target = tmp_path / "t.md"
        done = workshop(
            data_dir, "export", stored, "-o", str(target), stdout=full, stderr=subprocess.PIPE
        )
        assert done.returncode == 0 and done.stderr == ""
        assert target.read_text(encoding="utf-8").startswith("# Acme CRM kick-off")


def test_a_closed_pipe_ends_the_export_quietly(
    data_dir: Path, stored: str, env: dict[str, str]
) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = workshop(data_dir, "export", stored, stdout=write, stderr=subprocess.PIPE, env=env)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


def test_head_that_stops_reading_ends_the_export_quietly(
    big: tuple[Path, str], env: dict[str, str]
) -> None:
    data_dir, sid = big
    line = f"set -o pipefail; '{WORKSHOP}' --data-dir '{data_dir}' export {sid} | head -c1"
    done = subprocess.run(
        ["bash", "-c", line], capture_output=True, text=True, timeout=30, check=False, env=env
    )
    assert (done.returncode, done.stdout, done.stderr) == (141, "#", "")


# -- the app's export dialog -------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's home folder for the app (where ~/workshop-exports goes)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


async def test_the_dialog_proposes_an_anonymized_name_when_anonymizing(
    data_dir: Path, home: Path, stored: str
) -> None:
    folder = home / EXPORT_FOLDER
    real = folder / "acme-crm-kick-off-with-ana-lopez-2026-11-23.html"
    anonymous = folder / "acme-crm-kick-off-with-participant-2-2026-11-23.html"
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#path", LineInput)
        assert box.value == str(real)

        heading = dialog.query_one("#export-session", Static)
        assert "Ana Lopez" in str(heading.render())
        await pilot.click("#anonymize")
        await pilot.pause()
        assert box.value == str(anonymous)
        shown = str(heading.render())  # the dialog is on the projector too: no real name
        assert "Ana Lopez" not in shown and "Participant 2" in shown
        await pilot.click("#format-md")
        await pilot.pause()
        assert box.value == str(anonymous.with_suffix(".md"))
        await pilot.click("#anonymize")
        await pilot.pause()
        assert box.value == str(real.with_suffix(".md"))

        box.value = "minutes.md"  # the facilitator's own name stays
        await pilot.click("#anonymize")
        await pilot.pause()
        assert dialog.query_one("#anonymize", Switch).value
        assert box.value == "minutes.md"

        box.value = str(anonymous.with_suffix(".md"))
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    written = anonymous.with_suffix(".md")
    assert sorted(os.listdir(folder)) == [written.name]
    text = written.read_text(encoding="utf-8")
    assert "Ana" not in text and "Lopez" not in text and "Participant 2" in text
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    told = " ".join(str(n.message) for n in app._notifications)
    assert "Ana" not in told and "Participant 2" in told
