"""The store as a user notices it: what is saved stays saved, bad files and locks are named."""

from __future__ import annotations

import dataclasses
import errno
import json
import multiprocessing
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

import workshop.files
from tests.conftest import temp_files
from workshop import locks
from workshop.errors import SaveFailed, SessionDamaged, SessionLocked, SessionReadOnly
from workshop.files import TEMP_SUFFIX, UnreadableFile
from workshop.model import Scenario, Session
from workshop.storage import AtomicJSONStorage
from workshop.store import Store

# -- helpers ------------------------------------------------------------------------------


def fresh(data_dir: Path, clock: Callable[[], datetime]) -> Store:
    """A new Store on the same data dir, as after a restart of the app."""
    return Store(data_dir, clock=clock)


def as_saved(session: Session) -> Session:
    """`session` as a fresh load compares it: no file time, step seconds as stored."""
    steps = [dataclasses.replace(s, seconds_spent=round(s.seconds_spent, 1)) for s in session.steps]
    return dataclasses.replace(session, updated_at=None, steps=steps)


def snapshot(session: Session) -> Session:
    """A deep copy of `session`, to tell whether a failed change touched it."""
    return dataclasses.replace(
        session,
        participants=list(session.participants),
        steps=list(session.steps),
        statements=list(session.statements),
        agreements=list(session.agreements),
        ratings=list(session.ratings),
        revealed=list(session.revealed),
    )


@pytest.fixture
def mars(store: Store, scenarios: dict[str, Scenario]) -> Session:
    """A Mars & Venus session, open for editing."""
    return store.create_session(scenarios["mars-venus"], "Acme CRM, day 1", "Ana")


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not this one."""
    proc = subprocess.Popen(["sleep", "30"])
    yield proc
    proc.kill()
    proc.wait()


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(store: Store, session_id: str, pid: int, host: str, **extra: str) -> None:
    data = {"pid": pid, "host": host, "user": "bea", "since": "2026-11-23T08:30:00+01:00"}
    store.lock_path(session_id).write_text(json.dumps({**data, **extra}))


# -- what is saved stays saved -----------------------------------------------------------


def test_every_kind_of_change_survives_a_restart(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    sid = mars.id
    a = store.add_statement(sid, "marketing", "We never know who decides", speaker="Lou")
    b = store.add_statement(sid, "it", "They change the brief every week")
    c = store.add_statement(sid, "it", "Tickets arrive without a goal")
    store.edit_statement(sid, b.id, "They change the brief every single week", speaker="Sam")
    store.toggle_tag(sid, a.id, "roles")
    store.toggle_tag(sid, a.id, "goals")
    store.toggle_tag(sid, a.id, "roles")
    store.toggle_tag(sid, c.id, "procedures")
    store.delete_statement(sid, c.id)
    store.add_agreement(
        sid, "One owner per campaign", tag="roles", owner="Ana", due=date(2026, 12, 1)
    )
    store.set_rating(sid, "next-interaction", "clarity", 2, note="better")
    store.go_to_step(sid, 4)
    store.set_revealed(sid, "situation", True)
    store.update_details(sid, "Acme CRM, day one", "Ana", "Acme", ["Lou", "Sam"])
    store.go_to_step(sid, 5)

    # No close: a restart after a crash sees the same as one after a clean exit.
    loaded = fresh(data_dir, clock).load_session(sid)
    assert as_saved(loaded) == as_saved(store.session(sid))
    assert [s.text for s in loaded.statements] == [
        "We never know who decides",
        "They change the brief every single week",
    ]
    assert loaded.statements[0].tags == ("goals",)
    assert loaded.statements[0].speaker == "Lou"
    assert loaded.statements[1].speaker == "Sam" and loaded.statements[1].edited_at is not None
    assert loaded.agreements[0].due == date(2026, 12, 1)
    assert loaded.ratings[0].score == 2 and loaded.ratings[0].note == "better"
    assert loaded.current_step == 5 and loaded.title == "Acme CRM, day one"
    assert loaded.steps[4].entered_at is not None and loaded.steps[5].entered_at is not None
    assert loaded.revealed == ["situation"]


def test_a_restored_statement_comes_back_in_its_place(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    sid = mars.id
    texts = ["first", "second", "third"]
    said = [store.add_statement(sid, "marketing", t) for t in texts]
    gone = store.delete_statement(sid, said[1].id)
    assert [s.text for s in fresh(data_dir, clock).load_session(sid).statements] == [
        "first",
        "third",
    ]
    store.restore_statement(sid, gone)
    assert [s.text for s in fresh(data_dir, clock).load_session(sid).statements] == texts


def test_step_time_is_kept_across_close_and_reopen(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    store.go_to_step(mars.id, 1)
    store.close_session(mars.id)
    again = fresh(data_dir, clock)
    session = again.open_session(mars.id)
    assert session.current_step == 1
    assert session.steps[0].seconds_spent >= 0 and session.steps[1].entered_at is not None
    again.close_session(mars.id)


def test_ratings_survive_a_restart(
    store: Store, scenarios: dict[str, Scenario], data_dir: Path, clock: Callable[[], datetime]
) -> None:
    session = store.create_session(scenarios["erm"], "ERM kick-off")
    store.set_rating(session.id, "resistance-map", "rumours", 3, note="loud")
    store.set_rating(session.id, "resistance-map", "rumours", 1)
    store.set_rating(session.id, "resistance-map", "hostility", 0)
    ratings = fresh(data_dir, clock).load_session(session.id).ratings
    assert {(r.item, r.score, r.note) for r in ratings} == {
        ("rumours", 1, "loud"),
        ("hostility", 0, ""),
    }


def test_a_closed_session_cannot_be_changed_by_mistake(store: Store, mars: Session) -> None:
    store.close_session(mars.id)
    with pytest.raises(SessionReadOnly):
        store.add_statement(mars.id, "it", "lost?")


# -- the home list ------------------------------------------------------------------------


def three_sessions(store: Store, scenarios: dict[str, Scenario]) -> list[Session]:
    made = []
    for n, count in enumerate([0, 2, 5]):
        session = store.create_session(scenarios["mars-venus"], f"Workshop {n}")
        for i in range(count):
            store.add_statement(session.id, "it", f"line {i}")
        made.append(session)
    return made


def listed(store: Store) -> list[tuple[str, str, int]]:
    summaries, damaged = store.list_sessions()
    assert damaged == []
    return [(s.id, s.title, s.statement_count) for s in summaries]


def test_list_is_newest_first_with_counts(store: Store, scenarios: dict[str, Scenario]) -> None:
    made = three_sessions(store, scenarios)
    assert listed(store) == [
        (made[2].id, "Workshop 2", 5),
        (made[1].id, "Workshop 1", 2),
        (made[0].id, "Workshop 0", 0),
    ]
    store.add_statement(made[0].id, "marketing", "one more")
    store.edit_statement(made[1].id, made[1].statements[0].id, "changed")
    assert [count for _, _, count in listed(store)] == [5, 2, 1]
    store.delete_session(made[1].id)
    assert [title for _, title, _ in listed(store)] == ["Workshop 2", "Workshop 0"]
    assert not store.path_of(made[1].id).exists()


@pytest.mark.parametrize(
    "damage",
    [
        "deleted",
        "empty",
        "not JSON",
        "truncated",
        "wrong schema",
        "entries of the wrong shape",
        "entries with bad times or counts",
        "entries of stale files",
    ],
)
def test_a_lost_or_damaged_catalogue_is_rebuilt_with_the_same_list(
    store: Store,
    scenarios: dict[str, Scenario],
    data_dir: Path,
    clock: Callable[[], datetime],
    damage: str,
) -> None:
    made = three_sessions(store, scenarios)
    before = listed(store)
    started = [s.started_at for s in store.list_sessions()[0]]
    catalogue = data_dir / "catalogue.json"
    good = catalogue.read_bytes()
    data = json.loads(good)
    if damage == "deleted":
        catalogue.unlink()
    elif damage == "empty":
        catalogue.write_bytes(b"")
    elif damage == "not JSON":
        catalogue.write_bytes(b"\x00\xff garbage")
    elif damage == "truncated":
        catalogue.write_bytes(good[: len(good) // 2])
    elif damage == "wrong schema":
        catalogue.write_text(json.dumps({"schema": "something/9", "sessions": []}))
    elif damage == "entries of the wrong shape":
        entries = data["sessions"]
        entries[made[0].id] = "nonsense"
        entries[made[1].id] = {**entries[made[1].id], "title": 5, "statement_count": "2"}
        del entries[made[2].id]["started_at"]
        catalogue.write_text(json.dumps(data))
    elif damage == "entries with bad times or counts":
        entries = data["sessions"]
        entries[made[0].id]["started_at"] = "2026-01-05T09:00:00"  # no UTC offset
        entries[made[1].id]["started_at"] = "yesterday"
        entries[made[2].id]["statement_count"] = True
        catalogue.write_text(json.dumps(data))
    else:
        for entry in data["sessions"].values():
            entry["title"] = "stale"
            entry["stamp"] = [1, 2, 3]
        catalogue.write_text(json.dumps(data))

    rebuilt = fresh(data_dir, clock)
    assert listed(rebuilt) == before
    assert [s.started_at for s in rebuilt.list_sessions()[0]] == started
    assert json.loads(catalogue.read_bytes())["sessions"].keys() == {s.id for s in made}


# -- damaged session files ----------------------------------------------------------------


def damaged_bytes(kind: str, good: bytes) -> bytes:
    """Session file content of a damaged `kind`, made from a good file's bytes."""
    if kind == "empty":
        return b""
    if kind == "blank":
        return b"  \n"
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "not JSON":
        return b"Workshop notes, typed by hand\n"
    if kind == "not UTF-8":
        return b'{"meta": "\xff\xfe"}'
    if kind == "a JSON list":
        return b"[1, 2, 3]"
    if kind == "wrong schema":
        return json.dumps({"_default": {"1": {"name": "a TinyDB file of something else"}}}).encode()
    if kind == "bad field":
        data = json.loads(good)
        data["statements"]["1"]["created_at"] = "yesterday"
        return json.dumps(data).encode()
    assert kind == "unknown schema version"
    data = json.loads(good)
    data["meta"]["1"]["schema"] = "workshop.session/9"
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("empty", "empty"),
        ("blank", "empty"),
        ("truncated", "truncated"),
        ("not JSON", "not valid JSON"),
        ("not UTF-8", "UTF-8"),
        ("a JSON list", "not a workshop data file"),
        ("wrong schema", "wrong schema"),
        ("bad field", "created_at"),
        ("unknown schema version", "workshop.session/9"),
    ],
)
def test_a_damaged_session_file_is_named_left_untouched_and_the_rest_works(
    store: Store,
    scenarios: dict[str, Scenario],
    data_dir: Path,
    clock: Callable[[], datetime],
    kind: str,
    problem: str,
) -> None:
    bad = store.create_session(scenarios["mars-venus"], "Will be damaged")
    store.add_statement(bad.id, "it", "a line")
    store.close_session(bad.id)
    good = store.create_session(scenarios["mars-venus"], "Still fine")
    path = store.path_of(bad.id)
    content = damaged_bytes(kind, path.read_bytes())
    path.write_bytes(content)

    for attempt in range(2):  # the second time the catalogue knows it already
        again = fresh(data_dir, clock)
        summaries, damaged = again.list_sessions()
        assert [s.id for s in summaries] == [good.id]
        assert [d.name for d in damaged] == [f"{bad.id}.json"], attempt
        assert problem in damaged[0].problem
        assert "untouched" in damaged[0].advice
        with pytest.raises(SessionDamaged) as raised:
            again.open_session(bad.id)
        assert raised.value.file_name == f"{bad.id}.json"
        assert f"{bad.id}.json" in str(raised.value)
        with pytest.raises(SessionDamaged):
            again.load_session(bad.id)
        assert path.read_bytes() == content
        assert not again.lock_path(bad.id).exists()  # the failed open let go of its lock

    if kind == "unknown schema version":
        assert "version of workshop that wrote it" in damaged[0].advice
    store.add_statement(good.id, "marketing", "work goes on")
    assert fresh(data_dir, clock).load_session(good.id).statements[0].text == "work goes on"
    assert path.read_bytes() == content


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]"])
def test_the_storage_never_reads_bad_data_as_an_empty_database(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    db = TinyDB(path, storage=AtomicJSONStorage)
    with pytest.raises(UnreadableFile, match="bad.json"):
        db.table("statements").insert({"text": "would overwrite the file"})
    assert path.read_bytes() == content


# -- locks --------------------------------------------------------------------------------


def test_a_session_held_by_a_live_process_names_its_pid_and_host(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime], sleeper
) -> None:
    store.close_session(mars.id)
    write_lock(store, mars.id, sleeper.pid, socket.gethostname())
    content = store.lock_path(mars.id).read_bytes()
    again = fresh(data_dir, clock)
    with pytest.raises(SessionLocked) as raised:
        again.open_session(mars.id)
    sentence = str(raised.value)
    assert f"process {sleeper.pid} on {socket.gethostname()}" in sentence
    assert "bea" in sentence and "read-only" in sentence
    assert again.holder(mars.id).pid == sleeper.pid
    assert store.lock_path(mars.id).read_bytes() == content  # not taken from a live holder
    assert again.load_session(mars.id).id == mars.id  # read-only still works
    with pytest.raises(SaveFailed, match=str(sleeper.pid)):
        again.delete_session(mars.id)

    sleeper.kill()
    sleeper.wait()
    assert again.holder(mars.id) is None
    assert again.open_session(mars.id).id == mars.id  # its lock is now stale: taken over
    again.close_session(mars.id)


def test_a_stale_lock_of_a_dead_process_is_taken_over(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    store.close_session(mars.id)
    write_lock(store, mars.id, dead_pid(), socket.gethostname())
    again = fresh(data_dir, clock)
    assert again.holder(mars.id) is None
    again.open_session(mars.id)
    again.add_statement(mars.id, "it", "after the takeover")
    assert locks.read_holder(again.lock_path(mars.id)).pid == os.getpid()
    again.close_session(mars.id)
    assert not again.lock_path(mars.id).exists()


@pytest.mark.parametrize("content", ["", "{", '{"pid": "x"}'])
def test_an_unreadable_lock_is_taken_over(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime], content: str
) -> None:
    store.close_session(mars.id)
    store.lock_path(mars.id).write_text(content)
    again = fresh(data_dir, clock)
    again.open_session(mars.id)
    again.close_session(mars.id)


@pytest.mark.skipif(not locks.process_start(os.getpid()), reason="needs /proc")
def test_a_lock_whose_pid_was_reused_by_another_program_is_taken_over(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime], sleeper
) -> None:
    """After a power cut and a reboot, the old pid may belong to some other program."""
    store.close_session(mars.id)
    write_lock(store, mars.id, sleeper.pid, socket.gethostname(), started="old-boot:12345")
    again = fresh(data_dir, clock)
    again.open_session(mars.id)
    again.close_session(mars.id)


def _open_and_hold(data_dir: Path, session_id: str, start: Any, results: Any) -> None:
    """Worker: open the session when told to, report, and die holding the lock."""
    store = Store(data_dir)
    start.wait()
    try:
        store.open_session(session_id)
        results.put("opened")
        time.sleep(0.05)  # hold it while the others try
    except SessionLocked:
        results.put("locked")
    os._exit(0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_windows_taking_over_one_stale_lock_at_once_never_both_win(
    store: Store, mars: Session, data_dir: Path
) -> None:
    """Four windows race for a session whose holder died: exactly one gets it, each time."""
    store.close_session(mars.id)
    write_lock(store, mars.id, dead_pid(), socket.gethostname())
    context = multiprocessing.get_context("fork")
    for attempt in range(15):  # each winner dies holding the lock: stale for the next
        start, results = context.Event(), context.SimpleQueue()
        workers = [
            context.Process(target=_open_and_hold, args=(data_dir, mars.id, start, results))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        time.sleep(0.02)
        start.set()
        outcomes = sorted(results.get() for _ in workers)
        for worker in workers:
            worker.join()
        assert outcomes == ["locked", "locked", "locked", "opened"], attempt


def test_a_lock_of_another_host_is_respected(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    store.close_session(mars.id)
    write_lock(store, mars.id, dead_pid(), "other-laptop")
    with pytest.raises(SessionLocked, match="on other-laptop"):
        fresh(data_dir, clock).open_session(mars.id)


def test_a_second_store_in_the_same_process_is_locked_out(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(SessionLocked, match=f"process {os.getpid()}"):
        fresh(data_dir, clock).open_session(mars.id)


# -- failing writes -----------------------------------------------------------------------


def changes(store: Store, sid: str, first: str) -> dict[str, Callable[[], object]]:
    return {
        "add": lambda: store.add_statement(sid, "marketing", "typed while the disk filled"),
        "edit": lambda: store.edit_statement(sid, first, "an edit"),
        "tag": lambda: store.toggle_tag(sid, first, "roles"),
        "delete": lambda: store.delete_statement(sid, first),
        "agreement": lambda: store.add_agreement(sid, "Weekly sync"),
        "rating": lambda: store.set_rating(sid, "close", "mood", 2),
        "step": lambda: store.go_to_step(sid, 3),
        "details": lambda: store.update_details(sid, "New title", "Ana", "", []),
    }


@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
def test_a_full_disk_says_so_and_changes_nothing(
    store: Store,
    scenarios: dict[str, Scenario],
    mars: Session,
    data_dir: Path,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
    call: str,
) -> None:
    sid = mars.id
    first = store.add_statement(sid, "it", "already saved")
    path = store.path_of(sid)
    before_bytes = path.read_bytes()
    before = snapshot(store.session(sid))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(workshop.files.os, call, full)
        for name, change in changes(store, sid, first.id).items():
            with pytest.raises(SaveFailed) as raised:
                change()
            assert str(raised.value) == (
                "Could not save the session: the disk is full. Nothing of this change was saved."
            ), name
            assert path.read_bytes() == before_bytes, name
            assert store.session(sid) == before, name
            assert not temp_files(data_dir), name
        if call != "replace":  # a new session is linked into place, never renamed
            with pytest.raises(SaveFailed, match="the disk is full"):
                store.create_session(scenarios["mars-venus"], "No room")
        assert len(list((data_dir / "sessions").glob("*.json"))) == 1

    # Once there is room again, the next save holds exactly what was confirmed.
    store.add_statement(sid, "marketing", "after the cleanup")
    loaded = fresh(data_dir, clock).load_session(sid)
    assert [s.text for s in loaded.statements] == ["already saved", "after the cleanup"]
    assert as_saved(loaded) == as_saved(store.session(sid))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_folder_says_permission_was_denied(
    store: Store, mars: Session, data_dir: Path
) -> None:
    before = store.path_of(mars.id).read_bytes()
    sessions = data_dir / "sessions"
    sessions.chmod(0o500)
    try:
        with pytest.raises(SaveFailed, match="permission to write in the data folder was denied"):
            store.add_statement(mars.id, "it", "nowhere to go")
    finally:
        sessions.chmod(0o700)
    assert store.path_of(mars.id).read_bytes() == before


def test_a_lock_that_cannot_be_written_is_a_sentence(
    store: Store, mars: Session, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close_session(mars.id)

    def read_only(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(locks.os, "open", read_only)
    with pytest.raises(SaveFailed, match="read-only disk. It can still be opened read-only"):
        store.open_session(mars.id)


# -- privacy and leftovers ----------------------------------------------------------------


def test_files_are_private(store: Store, mars: Session, data_dir: Path) -> None:
    store.add_statement(mars.id, "it", "private")
    store.list_sessions()
    old = os.umask(0o022)
    try:
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE((data_dir / "sessions").stat().st_mode) == 0o700
        for path in (store.path_of(mars.id), data_dir / "catalogue.json", store.lock_path(mars.id)):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        os.umask(old)


def test_a_new_store_removes_temp_files_of_dead_processes_only(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime], sleeper
) -> None:
    sessions = data_dir / "sessions"
    dead = dead_pid()
    leftovers = [
        sessions / f".{mars.id}.json.{dead}{TEMP_SUFFIX}",
        sessions / f".{mars.id}.lock.{dead}{TEMP_SUFFIX}",
        sessions / f".{mars.id}.lock.taken.{dead}{TEMP_SUFFIX}",
        data_dir / f".catalogue.json.{dead}{TEMP_SUFFIX}",
    ]
    in_use = sessions / f".{mars.id}.json.{sleeper.pid}{TEMP_SUFFIX}"
    for path in [*leftovers, in_use]:
        path.write_bytes(b'{"half": ')
    fresh(data_dir, clock)
    assert [p for p in leftovers if p.exists()] == []
    assert in_use.exists()
    assert store.load_session(mars.id).id == mars.id


def test_deleting_a_session_removes_its_audience_heartbeat(store: Store, scenarios) -> None:
    from workshop.presence import heartbeat_path

    session = store.create_session(scenarios["mars-venus"], "Gone soon")
    store.close_session(session.id)
    beat = heartbeat_path(store.sessions_dir, session.id)
    beat.write_text("{}")
    store.delete_session(session.id)
    assert not beat.exists()
    assert not store.path_of(session.id).exists()
