"""Editing locks: one writer per session, and a clear sentence naming who holds it."""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workshop.errors import SessionLocked
from workshop.storage import FILE_MODE, pid_alive


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock file."""

    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        when = self.since
        try:
            when = datetime.fromisoformat(self.since).strftime("%H:%M on %d %b")
        except ValueError:
            pass
        return f"{self.user or 'someone'} (process {self.pid} on {self.host}, since {when})"


def _me(now: datetime) -> LockHolder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing for
        user = ""
    return LockHolder(os.getpid(), socket.gethostname(), user, now.isoformat(timespec="seconds"))


def read_holder(path: Path) -> LockHolder | None:
    """The holder named in lock file `path`, or None if it has none or cannot be read."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return LockHolder(
            int(data["pid"]),
            str(data["host"]),
            str(data.get("user", "")),
            str(data.get("since", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(holder: LockHolder | None) -> bool:
    """Whether a lock's holder is gone: unreadable, or a dead process on this host."""
    if holder is None:
        return True
    return holder.host == socket.gethostname() and not pid_alive(holder.pid)


def acquire(path: Path, now: datetime, held_here: bool = False) -> LockHolder | None:
    """Take the lock at `path`; return the stale holder taken over, if any.

    `held_here` says this very store already holds it. Raises SessionLocked when
    another live process, or another store in this process, holds it.
    """
    me = _me(now)
    payload = json.dumps(me.__dict__).encode("utf-8")
    taken_over: LockHolder | None = None
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            holder = read_holder(path)
            if held_here:
                return None
            if not is_stale(holder):
                assert holder is not None
                raise SessionLocked(
                    f"This session is open for editing by {holder.describe()}. "
                    "Close it there first, or open it read-only here."
                ) from None
            taken_over = holder
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            continue
        try:
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        return taken_over
    raise SessionLocked("This session's lock is being taken by another window; try again.")


def release(path: Path) -> None:
    """Drop the lock at `path` if this process holds it."""
    holder = read_holder(path)
    if holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname():
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def holder_of(path: Path) -> LockHolder | None:
    """The live holder of `path`, or None when nobody holds it (or the lock is stale)."""
    if not path.exists():
        return None
    holder = read_holder(path)
    return None if is_stale(holder) else holder
