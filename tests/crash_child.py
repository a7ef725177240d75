"""A fork server for tests/test_crash.py: workers that change a session until they die.

Run as `python tests/crash_child.py DATA_DIR SESSION_ID`. It imports the store once, says
`ready`, then reads commands from stdin, one a line, and forks a worker for each:

- `run SEED`: open the session (taking over the dead last worker's lock) and add, edit
  and delete statements forever, printing `will …` before each call and `ack …` after
  it returns.
- `crash POINT OP [STATEMENT_ID]`: open the session, make the process `os._exit(86)` at
  POINT of the next save, and do OP (add, edit or delete).

Every line it prints is a JSON list written with one `os.write`, so the lines of the
server and its worker never mix. After each worker ends the server prints
`["reaped", pid, exit_code]`, so the test knows the pid is dead and reaped.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from pathlib import Path
from typing import Any

import workshop.files
from workshop.store import Store

CRASH_EXIT = 86
SIDE = "marketing"


def say(*parts: Any) -> None:
    """Print one line, whole, and unbuffered."""
    os.write(1, (json.dumps(parts, ensure_ascii=False) + "\n").encode("utf-8"))


def run(data_dir: Path, session_id: str, seed: int) -> None:
    """Change the session in a loop, acknowledging each change once the store returns."""
    rng = random.Random(seed)
    store = Store(data_dir)
    session = store.open_session(session_id)
    if rng.random() < 0.5:
        store.list_sessions()  # rewrites the catalogue, so kills land there too
    say("open")
    n = 0
    while True:
        n += 1
        ids = [s.id for s in session.statements]
        roll = rng.random()
        if not ids or roll < 0.5 or (roll < 0.6 and len(ids) < 40):
            text = f'seed {seed} line {n}: «{"ü" * rng.randint(0, 40)}» [/] \\ "quoted"'
            say("will", "add", None, text)
            statement = store.add_statement(session_id, SIDE, text)
            say("ack", "add", statement.id, statement.text)
        elif roll < 0.8 or len(ids) < 40:
            target = rng.choice(ids)
            text = f"seed {seed} edit {n}"
            say("will", "edit", target, text)
            statement = store.edit_statement(session_id, target, text)
            say("ack", "edit", statement.id, statement.text)
        else:
            target = rng.choice(ids)
            say("will", "del", target, None)
            store.delete_statement(session_id, target)
            say("ack", "del", target, None)


class _CrashingOs:
    """The `os` module as workshop.files sees it, dying at one point of a save."""

    def __init__(self, point: str) -> None:
        self.point = point
        self.fsyncs = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, fd: int, data: Any) -> int:
        written = os.write(fd, data)
        if self.point == "after-temp-write":
            os._exit(CRASH_EXIT)
        return written

    def fsync(self, fd: int) -> None:
        os.fsync(fd)
        self.fsyncs += 1
        if (self.point, self.fsyncs) in (("after-fsync", 1), ("after-folder-fsync", 2)):
            os._exit(CRASH_EXIT)

    def replace(self, src: Any, dst: Any) -> None:
        if self.point == "before-replace":
            os._exit(CRASH_EXIT)
        os.replace(src, dst)
        if self.point == "after-replace":
            os._exit(CRASH_EXIT)


def crash(data_dir: Path, session_id: str, point: str, op: str, target: str | None) -> None:
    """Do one change that kills the process at `point` of its save."""
    store = Store(data_dir)
    store.open_session(session_id)
    workshop.files.os = _CrashingOs(point)  # type: ignore[assignment]
    if op == "add":
        store.add_statement(session_id, SIDE, "the new line")
    elif op == "edit":
        assert target is not None
        store.edit_statement(session_id, target, "the edited line")
    else:
        assert target is not None
        store.delete_statement(session_id, target)
    say("survived")


def worker(data_dir: Path, session_id: str, command: list[str]) -> None:
    """The body of one forked worker; never returns."""
    code = 0
    try:
        if command[0] == "run":
            run(data_dir, session_id, int(command[1]))
        else:
            crash(data_dir, session_id, command[1], command[2], (command[3:] or [None])[0])
    except BaseException:  # reported to the test, which fails on it
        say("error", traceback.format_exc())
        code = 1
    os._exit(code)


def main() -> None:
    data_dir, session_id = Path(sys.argv[1]), sys.argv[2]
    say("ready")
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        pid = os.fork()
        if pid == 0:
            worker(data_dir, session_id, command)
        say("started", pid)
        _, status = os.waitpid(pid, 0)
        say("reaped", pid, os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
