"""Editing locks: one writer per session, and a clear sentence naming who holds it."""

from __future__ import annotations

import functools
import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from workshop.errors import SaveFailed, SessionLocked
from workshop.files import UnreadableFile, pid_alive, plain_reason, read_regular, write_new

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock file."""

    pid: int
    host: str
    user: str
    since: str
    started: str = ""
    """When the holding process started (boot id and start tick), to tell a reused pid."""

    def describe(self) -> str:
        when = self.since
        try:
            when = datetime.fromisoformat(self.since).strftime("%H:%M on %d %b")
        except ValueError:
            pass
        return f"{self.user or 'someone'} (process {self.pid} on {self.host}, since {when})"


@functools.cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()
    except OSError:
        return ""


def process_start(pid: int) -> str:
    """When process `pid` started, as "boot id:start tick" (Linux); "" when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8", "replace")
        return f"{_boot_id()}:{stat.rsplit(')', 1)[1].split()[19]}"
    except (OSError, IndexError):
        return ""


def _me(now: datetime) -> LockHolder:
    try:
        user = getpass.getuser()
    except Exception:  # no user name is not worth failing for
        user = ""
    return LockHolder(
        os.getpid(),
        socket.gethostname(),
        user,
        now.isoformat(timespec="seconds"),
        process_start(os.getpid()),
    )


def read_holder(path: Path) -> LockHolder | None:
    """The holder named in lock file `path`, or None if it has none or cannot be read."""
    try:
        data = json.loads(read_regular(path, 4096))
        return LockHolder(
            int(data["pid"]),
            str(data["host"]),
            str(data.get("user", "")),
            str(data.get("since", "")),
            str(data.get("started", "")),
        )
    except (UnreadableFile, ValueError, KeyError, TypeError, AttributeError):
        return None


def is_stale(holder: LockHolder | None) -> bool:
    """Whether a lock's holder is gone: unreadable, or a dead process on this host.

    A live process that reuses the holder's pid (after a crash and a reboot, say) is
    told apart by its start time where the system says it (Linux).
    """
    if holder is None:
        return True
    if holder.host != socket.gethostname():
        return False
    if not pid_alive(holder.pid):
        return True
    started = process_start(holder.pid)
    return bool(holder.started and started and started != holder.started)


@contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    """Let one process at a time judge and take the locks in `folder`.

    An flock on the folder itself: without it, two windows taking over one stale lock
    at once could each remove the other's fresh lock. The kernel drops it when a
    process dies. Where flock is missing (Windows, some network disks), go unguarded.
    """
    fd = -1
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            if fd >= 0:
                os.close(fd)
            fd = -1
    try:
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # and with it the flock


def acquire(
    path: Path, now: datetime, held_here: bool = False, take_over: bool = False
) -> LockHolder | None:
    """Take the lock at `path`; return the holder taken over, if any.

    `held_here` says this very store already holds it; `take_over` takes a lock that a
    process on another host holds (the facilitator says that host is done with it).
    Raises SessionLocked when another live process, or another store in this process,
    holds it, and SaveFailed when the lock file cannot be written.
    """
    payload = json.dumps(asdict(_me(now))).encode("utf-8")
    taken_over: LockHolder | None = None
    with _one_at_a_time(path.parent):
        for _ in range(3):
            try:
                write_new(path, payload)
                return taken_over
            except FileExistsError:
                pass
            except OSError as error:
                raise SaveFailed(
                    f"This session cannot be opened for editing: {plain_reason(error)}. "
                    "It can still be opened read-only and exported."
                ) from None
            if not (path.is_file() or path.is_symlink()):
                raise SaveFailed(
                    f"This session cannot be opened for editing: its lock file {path} is not "
                    "a file (a folder or a pipe is in its place). Move it away to edit the "
                    "session; it can still be opened read-only and exported."
                )
            holder = read_holder(path)
            if held_here:
                return None
            if not is_stale(holder):
                assert holder is not None
                if not (take_over and holder.host != socket.gethostname()):
                    raise SessionLocked(holder, path)
            taken_over = holder
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                raise SaveFailed(
                    f"This session cannot be opened for editing: its lock file {path} cannot "
                    f"be removed ({plain_reason(error)}). It can still be opened read-only."
                ) from None
    raise SessionLocked(None, path)


def release(path: Path) -> None:
    """Drop the lock at `path` if this process holds it."""
    holder = read_holder(path)
    if holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname():
        try:
            os.unlink(path)
        except OSError:
            pass  # gone already, or the disk turned read-only: a stale lock, taken over later


def holder_of(path: Path) -> LockHolder | None:
    """The live holder of `path`, or None when nobody holds it (or the lock is stale)."""
    if not path.exists():
        return None
    holder = read_holder(path)
    return None if is_stale(holder) else holder
