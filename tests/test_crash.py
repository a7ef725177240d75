"""Crash safety: kill -9 at random moments, and deaths at fixed points of a save.

Both tests drive tests/crash_child.py, a fork server that imports the store once, so a
hundred workers start in a few milliseconds each instead of a Python start-up each.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from tests.conftest import temp_files
from workshop.files import TEMP_SUFFIX
from workshop.model import Scenario
from workshop.store import Store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 120
CRASH_EXIT = 86


class Server:
    """The fork server of tests/crash_child.py, read line by line from a thread."""

    def __init__(self, data_dir: Path, session_id: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(data_dir), session_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).parent.parent,
        )
        self.lines: queue.Queue[list[Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next() == ["ready"]

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(json.loads(raw))
        self.lines.put(["eof"])

    def next(self) -> list[Any]:
        """The next line from the server or its worker."""
        line = self.lines.get(timeout=20)
        assert line[0] not in ("error", "eof"), line[-1]
        return line

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()

    def until_reaped(self, pid: int | None) -> tuple[list[list[Any]], int]:
        """Every line up to the worker's reaping, and its exit code."""
        lines = []
        while True:
            line = self.next()
            if line[0] == "reaped" and (pid is None or line[1] == pid):
                return lines, line[2]
            lines.append(line)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def server(store: Store, scenarios: dict[str, Scenario], data_dir: Path) -> Iterator[Server]:
    session = store.create_session(scenarios["mars-venus"], "Crash test")
    for n in range(3):
        store.add_statement(session.id, "marketing", f"first line {n}")
    store.close_session(session.id)
    server = Server(data_dir, session.id)
    server.session_id = session.id  # type: ignore[attr-defined]
    yield server
    server.close()


def on_disk(data_dir: Path, session_id: str) -> dict[str, str]:
    """Statement id -> text as a fresh store and a plain TinyDB both read the file."""
    path = data_dir / "sessions" / f"{session_id}.json"
    plain = TinyDB(path, access_mode="r")
    try:
        raw = {doc["id"]: doc["text"] for doc in plain.table("statements").all()}
    finally:
        plain.close()
    catalogue = data_dir / "catalogue.json"
    if catalogue.exists():
        json.loads(catalogue.read_bytes())
    session = Store(data_dir).load_session(session_id)
    loaded = {s.id: s.text for s in session.statements}
    assert loaded == raw
    return loaded


def test_kill_9_at_random_moments_loses_no_acknowledged_change(
    server: Server, data_dir: Path
) -> None:
    """At least 100 SIGKILLs; after each, every acknowledged change is on disk."""
    session_id = server.session_id  # type: ignore[attr-defined]
    state = on_disk(data_dir, session_id)
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    acked_total = in_flight_landed = 0
    started = time.monotonic()
    for kill in range(KILLS):
        server.send(f"run {seed * 1000 + kill}")
        acks_wanted = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        pid = None
        seen: list[list[Any]] = []
        while pid is None or sum(line[0] == "ack" for line in seen) < acks_wanted:
            line = server.next()
            if line[0] == "started":
                pid = line[1]
            else:
                seen.append(line)
        time.sleep(rng.uniform(0, 0.03 if acks_wanted == 0 else 0.004))
        os.kill(pid, signal.SIGKILL)
        late, code = server.until_reaped(pid)
        seen += late
        assert code == -signal.SIGKILL, f"the worker ended by itself (seed {seed})"

        expected = dict(state)
        in_flight = None
        for line in seen:
            if line[0] == "will":
                in_flight = line[1:]
            elif line[0] == "ack":
                acked_total += 1
                in_flight = None
                op, sid, text = line[1:]
                if op == "del":
                    del expected[sid]
                else:
                    expected[sid] = text
        state = on_disk(data_dir, session_id)
        context = f"kill {kill}, seed {seed}, in flight {in_flight}"
        if state != expected:
            assert in_flight is not None, context
            op, sid, text = in_flight
            if op == "add":
                extra = set(state) - set(expected)
                assert len(extra) == 1, context
                assert {k: v for k, v in state.items() if k not in extra} == expected, context
                assert state[extra.pop()] == text, context
            elif op == "edit":
                assert state == {**expected, sid: text}, context
            else:
                assert state == {k: v for k, v in expected.items() if k != sid}, context
            in_flight_landed += 1
        assert not temp_files(data_dir), context  # the fresh Store in on_disk removed them
    elapsed = time.monotonic() - started
    print(
        f"{KILLS} kills in {elapsed:.1f} s, {acked_total} acknowledged changes, "
        f"{in_flight_landed} in-flight changes landed, seed {seed}"
    )
    assert acked_total > KILLS  # the kills did land between changes, not only at start-up


POINTS = ["after-temp-write", "after-fsync", "before-replace", "after-replace"]
POINTS_NEW = {"after-replace", "after-folder-fsync"}


@pytest.mark.parametrize("op", ["add", "edit", "delete"])
@pytest.mark.parametrize("point", [*POINTS, "after-folder-fsync"])
def test_death_at_a_fixed_point_leaves_old_or_new_never_neither(
    server: Server, data_dir: Path, point: str, op: str
) -> None:
    """Old state before the replace, new state after it; the temp file is cleaned up."""
    session_id = server.session_id  # type: ignore[attr-defined]
    old = on_disk(data_dir, session_id)
    target = sorted(old)[1]
    server.send(f"crash {point} {op} {target}")
    lines, code = server.until_reaped(None)
    started = next(line[1] for line in lines if line[0] == "started")
    assert ["survived"] not in lines
    assert code == CRASH_EXIT

    temp = data_dir / "sessions" / f".{session_id}.json.{started}{TEMP_SUFFIX}"
    assert temp.exists() == (point not in POINTS_NEW)
    new = on_disk(data_dir, session_id)  # a fresh Store: it removes the dead worker's temp
    assert not temp.exists()
    assert not temp_files(data_dir)
    if point not in POINTS_NEW:
        assert new == old
    elif op == "add":
        assert len(new) == len(old) + 1 and old.items() <= new.items()
        assert "the new line" in new.values()
    elif op == "edit":
        assert new == {**old, target: "the edited line"}
    else:
        assert new == {k: v for k, v in old.items() if k != target}
    # The session still opens (taking over the dead worker's lock) and takes changes.
    store = Store(data_dir)
    store.open_session(session_id)
    store.add_statement(session_id, "it", "after the crash")
    store.close_session(session_id)
    assert "after the crash" in on_disk(data_dir, session_id).values()
