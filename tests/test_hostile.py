"""Files written by hand, special files, two processes and a disk that changes: the room
gets a sentence and loses nothing (issue 12, one test per class, as a user meets it)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from screens.app import build_app
from screens.dialogs import ChoiceDialog
from screens.home import HomeScreen
from screens.session import SessionScreen
from screens.widgets import CaptureBox
from tests.conftest import Clock
from tests.harness import seed, workshop_command
from tests.pilot import type_text
from workshop.cli import main
from workshop.presence import RoomClock
from workshop.store import Store
from workshop.transcript import dumps, to_transcript

ESCAPES = [
    "\x1b]0;pwned\x07",  # OSC 0: renames the terminal window
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: writes the clipboard
    "\x1b[2J\x1b[H",  # clears the screen
    "\x9b31m",  # CSI as one C1 character
    "\x07\x08\x7f",
]
HOSTILE = "".join(ESCAPES)

_RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def raw_controls(output: bytes) -> list[str]:
    """The control characters in `output` that a terminal would act on: every C0 one but
    newline, DEL and every C1 one (decoded as UTF-8, as the terminal does)."""
    return _RAW.findall(output.decode("utf-8", errors="strict"))


def run(*args: str, timeout: float = 30, **kwargs: object) -> subprocess.CompletedProcess:
    """The installed `workshop` with `args`; bytes out, as the terminal gets them."""
    return subprocess.run(
        [workshop_command(), *args], capture_output=True, timeout=timeout, **kwargs
    )


# -- 1. text from files never reaches the terminal raw ----------------------------------------


def test_no_command_passes_a_raw_control_sequence_to_the_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    sessions = data / "sessions"
    transcript = to_transcript(Store(data).load_session(sid))
    # A session file edited by hand: its title holds escape sequences.
    edited = json.loads((sessions / f"{sid}.json").read_text())
    edited["meta"]["1"]["title"] = f"Acme {HOSTILE}"
    (sessions / f"{sid}.json").write_text(json.dumps(edited))
    # A file whose very name holds them, and a catalogue that does.
    (sessions / f"x{ESCAPES[0]}.json").write_text("{}")
    Store(data).list_sessions()  # writes the catalogue
    catalogue = json.loads((data / "catalogue.json").read_text())
    for entry in catalogue["sessions"].values():
        entry["title"] = HOSTILE
    (data / "catalogue.json").write_text(json.dumps(catalogue))
    # A pack with them in a quoted key, a value and a field name.
    packs = tmp_path / "packs"
    packs.mkdir()
    pack = (Path(__file__).parent / "packs" / "good" / "example.toml").read_text()
    hostile_toml = json.dumps(HOSTILE)  # a TOML basic string is a JSON string here
    (packs / "evil.toml").write_text(
        pack.replace('id = "retro"', f"id = {hostile_toml}") + f"\n{hostile_toml} = 1\n"
    )
    # A transcript with them in a field name, and one in its title.
    named = dict(transcript, **{HOSTILE: 1})
    (tmp_path / "named.json").write_text(json.dumps(named))
    titled = json.loads(dumps(transcript))
    titled["session"]["title"] = HOSTILE
    (tmp_path / "titled.json").write_text(json.dumps(titled))

    d = ["--data-dir", str(data)]
    commands = [
        [*d, "list"],
        [*d, "list", "--json"],
        [*d, "scenarios", "--content-dir", str(packs)],
        [*d, "scenarios", "--check", str(packs / "evil.toml")],
        [*d, "scenarios", "--check", str(packs)],
        [*d, "import", str(tmp_path / "named.json")],
        [*d, "import", str(tmp_path / "titled.json")],
        [*d, "import", str(tmp_path / f"gone{ESCAPES[1]}.json")],
        [*d, "export", ESCAPES[1]],
        [*d, "export", sid],
        [*d, "export", "x", "--format", ESCAPES[0]],
        [*d, ESCAPES[2]],
    ]
    said = b""
    for args in commands:
        done = run(*args)
        assert b"Traceback" not in done.stderr, args
        assert raw_controls(done.stdout) == [], args
        assert raw_controls(done.stderr) == [], args
        said += done.stdout + done.stderr
    shown = said.decode()
    # The controls are shown, not dropped: the facilitator can see what is in the file.
    assert "\\x1b]0;pwned\\x07" in shown
    assert "damaged: x\\x1b]0;pwned\\x07.json" in shown
    assert f"{sid}.json: wrong schema: meta[1].title: contains the control character" in shown
    listed = json.loads(run(*d, "list", "--json").stdout)  # still JSON, escaped inside
    assert any(item["file"] == f"x{ESCAPES[0]}.json" for item in listed["damaged"])


async def test_the_home_screen_shows_hostile_names_as_text(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk")
    (data / "sessions" / f"y{ESCAPES[0]}.json").write_text("{}")
    app = build_app(data, clock=Clock())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        lines = str(app.screen.query_one("#home-problem-lines").render())
        assert "Damaged: y\\x1b]0;pwned\\x07.json" in lines
        assert not raw_controls(lines.encode())


# -- 2. values no screen can hold --------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda d: d["statements"]["1"].update(text="x" * 1_000_000), "is 1,000,000 characters"),
        (lambda d: d["ratings"].update({"1": _rating(10**9)}), "must be a whole number from 0"),
        (lambda d: _each_step(d, seconds_spent=1e308), "must be a number of seconds from 0"),
        (lambda d: d["meta"]["1"].update(steps=[]), "steps: must list at least one step"),
        (lambda d: d["meta"]["1"].update(title=["a", "list"]), "title: must be text, not a list"),
        (lambda d: d["meta"]["1"].update(sides=[7]), "sides[0]: must be an object, not a number"),
        (lambda d: d["statements"].update({"2": 5}), "statements[2]: must be an object"),
    ],
    ids=["huge-statement", "huge-score", "infinite-time", "no-steps", "list-title", "side", "doc"],
)
def test_a_session_file_no_screen_can_hold_is_damaged_with_a_sentence(
    tmp_path: Path, edit, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    path = data / "sessions" / f"{sid}.json"
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))
    assert main(["--data-dir", str(data), "list"]) == 0
    err = capsys.readouterr().err
    assert f"damaged: {sid}.json: wrong schema: " in err and problem in err
    assert main(["--data-dir", str(data), "export", sid]) == 2
    assert problem in capsys.readouterr().err


def _rating(score: int) -> dict[str, object]:
    return {"step": "self-talk", "item": "x", "score": score, "note": ""}


def _each_step(doc: dict, **fields: object) -> None:
    for step in doc["meta"]["1"]["steps"]:
        step.update(fields)


@pytest.mark.parametrize(
    "raw",
    [b'{"meta": {"1": {"schema": NaN}}}', b'{"meta": ' + b"9" * 5000 + b"}", b"[" * 100_000],
    ids=["nan", "5000-digits", "deep"],
)
def test_numbers_json_cannot_hold_are_a_sentence_not_pythons_words(
    tmp_path: Path, raw: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk")
    (data / "sessions" / "odd.json").write_bytes(raw)
    assert main(["--data-dir", str(data), "list"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("damaged: odd.json: ")
    assert "set_int_max_str_digits" not in err and "Exceeds" not in err


# -- 3. special files ------------------------------------------------------------------------


def test_pipes_in_the_data_dir_never_hang_a_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk")
    os.mkfifo(data / "sessions" / "pipe.json")
    os.mkfifo(data / "catalogue.json")
    os.mkfifo(data / "settings.json")
    os.mkfifo(data / "sessions" / f"{sid}.audience")
    listed = run("--data-dir", str(data), "list", timeout=20)
    assert listed.returncode == 0
    assert b"damaged: pipe.json: is not a regular file (a pipe" in listed.stderr
    assert sid.encode() in listed.stdout
    exported = run("--data-dir", str(data), "export", "pipe", timeout=20)
    assert exported.returncode == 2 and b"is not a regular file" in exported.stderr


async def test_a_lock_that_is_a_pipe_or_a_folder_offers_read_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    for odd in ("pipe", "folder"):
        lock = data / "sessions" / f"{sid}.lock"
        os.mkfifo(lock) if odd == "pipe" else lock.mkdir()
        app = build_app(data, clock=Clock())
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ChoiceDialog), odd
            assert f"its lock file {lock} is not a file" in dialog.message
            await pilot.click("#choice-read-only")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen) and app.screen.read_only
            await pilot.press("ctrl+q")
        os.unlink(lock) if odd == "pipe" else lock.rmdir()


# -- 4. two writers at once ---------------------------------------------------------------------


def test_two_imports_of_one_session_at_once_store_it_once(tmp_path: Path) -> None:
    source = tmp_path / "source"
    sid = seed(source, "mars-venus", "self-talk", [("marketing", "They never come")])
    transcript = tmp_path / "t.json"
    assert (
        main(["--data-dir", str(source), "export", sid, "--format", "json", "-o", str(transcript)])
        == 0
    )
    for trial in range(12):
        data = tmp_path / f"data{trial}"
        Store(data)
        command = [workshop_command(), "--data-dir", str(data), "import", str(transcript)]
        both = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"
        ]
        said = [p.communicate(timeout=30) for p in both]
        imported = [out for out, _ in said if b"Imported" in out]
        skipped = [err for _, err in said if b"is already stored, so it was skipped" in err]
        assert (len(imported), len(skipped)) == (1, 1), said
        assert len(list((data / "sessions").glob("*.json"))) == 1


# -- 5. the disk changes under a running app --------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 1 MB tmpfs (root only), unmounted afterwards; skips where it cannot be mounted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def remount(mount: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True)


async def test_a_disk_turning_read_only_mid_session_loses_nothing(small_disk: Path) -> None:
    data = small_disk / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    app = build_app(data, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        remount(small_disk, "ro")
        await type_text(pilot, "said on a read-only disk")
        await pilot.press("enter")
        await pilot.pause()
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "the data folder is on a read-only disk" in messages
        assert app.screen.query_one(CaptureBox).text == "said on a read-only disk"
        await pilot.press("f10")  # closing the session: the lock cannot be removed
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        kept = [str(n.message) for n in app._notifications if "it is kept in" in str(n.message)]
        assert kept, "F10 said nothing of the text in the box"
        recovery_file = Path(kept[-1].rsplit("it is kept in ", 1)[1].rstrip("."))
        assert "said on a read-only disk" in recovery_file.read_text()
        assert recovery_file.stat().st_mode & 0o777 == 0o600
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)
    remount(small_disk, "rw")
    stored = Store(data).load_session(sid)
    assert [s.text for s in stored.statements] == ["They never come"]


async def test_a_full_disk_offers_to_open_the_session_read_only(small_disk: Path) -> None:
    data = small_disk / "data"
    seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    fd = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # the disk is full
    finally:
        os.close(fd)
    app = build_app(data, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "the disk is full" in dialog.message
        await pilot.click("#choice-read-only")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.read_only


async def test_a_lock_from_another_computer_can_be_taken_over(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    lock = data / "sessions" / f"{sid}.lock"
    holder = {
        "pid": 1,
        "host": "meeting-room-pc",
        "user": "dana",
        "since": "2026-11-23T09:00:00+01:00",
    }
    lock.write_text(json.dumps(holder))
    app = build_app(data, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "process 1 on meeting-room-pc" in dialog.message
        assert f"its lock file is {lock}" in dialog.message
        await pilot.click("#choice-take-over")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.read_only
        assert json.loads(lock.read_text())["host"] == socket.gethostname()
        await type_text(pilot, "taken over")
        await pilot.press("enter")
        await pilot.pause()
    assert [s.text for s in Store(data).load_session(sid).statements][-1] == "taken over"


NOBODY = 65534


@pytest.fixture
def as_nobody():
    """Run a block as the user nobody, whom permissions bind (root's they do not)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to act as nobody")

    class Nobody:
        def __enter__(self) -> None:
            os.setegid(NOBODY)
            os.seteuid(NOBODY)

        def __exit__(self, *exc: object) -> None:
            os.seteuid(0)
            os.setegid(0)

    return Nobody()


def test_permissions_taken_and_given_back_are_said_and_seen(
    as_nobody, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not under tmp_path: nobody must reach the data dir, and pytest's temp root is root's
    # alone (0700). A folder of its own in the system's temp dir, whatever the worker.
    base = Path(tempfile.mkdtemp(prefix="workshop-perm-")).resolve()
    data = base / "data"
    try:
        sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
        base.chmod(0o755)
        subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(data)], check=True)
        path = data / "sessions" / f"{sid}.json"
        path.chmod(0o000)
        listing = ["--data-dir", str(data), "list"]
        with as_nobody:
            assert main(listing) == 0
        said = capsys.readouterr()
        assert f"damaged: {sid}.json: cannot be read (Permission denied)" in said.err
        path.chmod(0o600)  # given back: the catalogue sees the change of mode
        with as_nobody:
            assert main(listing) == 0
        said = capsys.readouterr()
        assert sid in said.out and not said.err
        (data / "sessions").chmod(0o000)
        with as_nobody:
            assert main(listing) == 0
            assert main(["--data-dir", str(data), "export", sid]) == 2
        said = capsys.readouterr()
        assert "the sessions folder cannot be read (Permission denied)" in said.err
        assert "No sessions stored" not in said.out
        assert "Traceback" not in said.err
    finally:
        subprocess.run(["rm", "-rf", str(base)])


# -- 7. smaller ones ---------------------------------------------------------------------------


def test_start_times_show_their_zone_where_it_is_not_this_computers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    here = seed(data, "mars-venus", "self-talk")  # recorded at this computer's offset
    evening = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    store = Store(data, clock=lambda: evening)
    from tests.harness import SCENARIOS

    away = store.create_session(SCENARIOS["erm"], "New York").id
    store.close_all()
    assert main(["--data-dir", str(data), "list"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "2026-11-23 23:30 UTC-05:00" in lines[away]  # not the 24th, as Warsaw would say
    assert "UTC" not in lines[here]


def test_the_rooms_step_clock_ignores_a_jump_of_the_wall_clock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk")
    session = Store(data).load_session(sid)
    started = session.step_started_at
    assert started is not None
    ticks = [100.0]
    clock = RoomClock(lambda: ticks[0])
    since = started.isoformat()
    assert clock.elapsed(session, since, started + timedelta(seconds=30)) == pytest.approx(30)
    ticks[0] += 10  # ten seconds pass, and the wall clock jumps an hour ahead
    later = started + timedelta(seconds=40, hours=1)
    assert clock.elapsed(session, since, later) == pytest.approx(40)


async def test_every_problem_on_the_home_screen_can_be_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(data, "mars-venus", "self-talk")
    for n in range(15):
        (data / "sessions" / f"broken-{n:02}.json").write_text("{")
    app = build_app(data, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#home-problems")
        assert box.border_title == "15 problems"
        assert box.virtual_size.height >= 15 * 2 > box.size.height  # more than fits: scrolls
        box.scroll_end(animate=False)
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y > 0


def test_a_lone_surrogate_in_a_table_the_app_does_not_know_is_kept_on_save(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", [("marketing", "They never come")])
    path = data / "sessions" / f"{sid}.json"
    doc = json.loads(path.read_text())
    doc["notes"] = {"1": {"x": "\ud800"}}  # found by the fuzzer: the save raised
    path.write_text(json.dumps(doc))
    store = Store(data)
    store.open_session(sid)
    store.go_to_step(sid, 5)
    store.close_all()
    assert json.loads(path.read_text())["notes"] == {"1": {"x": "\ud800"}}
    assert Store(data).load_session(sid).current_step == 5
