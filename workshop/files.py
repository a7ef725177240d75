"""Files done safely: read only when regular and without blocking; written whole (temp
file, fsync, rename or link) or not at all."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from workshop import limits
from workshop.errors import SaveFailed

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
MAX_DATA_BYTES = 64 * 1024 * 1024
"""Largest session file read, as the largest transcript imported."""


class UnreadableFile(Exception):
    """A data file that exists but does not hold a JSON object."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "{place} is on a read-only disk",
    errno.EACCES: "permission to write in {place} was denied",
    errno.EPERM: "permission to write in {place} was denied",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "that is a folder",
}


def plain_reason(error: OSError, place: str = "the data folder") -> str:
    """Why a write in `place` failed, in words a facilitator understands."""
    reason = _REASONS.get(error.errno) if error.errno is not None else None
    return reason.format(place=place) if reason else error.strerror or str(error)


def save_failure(error: OSError, what: str) -> SaveFailed:
    """A SaveFailed with a plain sentence for `error` while saving `what`."""
    return SaveFailed(
        f"Could not save {what}: {plain_reason(error)}. Nothing of this change was saved."
    )


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them.

    Opened without blocking and checked before reading: a pipe, a device or a folder in
    its place raises UnreadableFile (as do a larger file and a failed read), never hangs.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror or error})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile("is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UnreadableFile("is not a regular file (a pipe, a device or a socket)")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise UnreadableFile(f"the file is larger than {_size(limit)}")
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def read_json(path: Path, limit: int = MAX_DATA_BYTES) -> dict[str, Any]:
    """The JSON object in `path` (a regular file of at most `limit` bytes, numbers within
    `workshop.limits`); raise UnreadableFile with a short reason otherwise."""
    raw = read_regular(path, limit)
    if not raw.strip():
        raise UnreadableFile("the file is empty")
    try:
        data = limits.loads(raw.decode("utf-8"), duplicates=True)
    except UnicodeDecodeError:
        raise UnreadableFile("the file is not UTF-8 text") from None
    except RecursionError:
        raise UnreadableFile("not a workshop data file (nested too deeply)") from None
    except limits.Invalid as problem:
        raise UnreadableFile(f"not a workshop data file ({problem})") from None
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"not valid JSON (line {error.lineno}): truncated or damaged"
        ) from None
    if not isinstance(data, dict):
        raise UnreadableFile("not a workshop data file (no JSON object at the top)")
    return data


def temp_path(path: Path) -> Path:
    """This process's temp file for `path`, in the same folder (see `remove_stale_temps`)."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


_NO_LINK_FOLLOWED = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
"""A symbolic link planted at a temp file's name is refused, never written through."""


def write_synced(
    path: Path, payload: bytes, exclusive: bool = False, like: os.stat_result | None = None
) -> None:
    """Write `payload` to `path` (never through a symbolic link) and fsync it; `exclusive`:
    only a new file. Mode 0600, or (`like`) the owner and mode of the file it replaces.

    Raises OSError (FileExistsError when `exclusive` and `path` exists).
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC) | _NO_LINK_FOLLOWED
    fd = os.open(path, flags, FILE_MODE)
    try:
        if like is not None:
            try:
                os.fchown(fd, like.st_uid, like.st_gid)
            except OSError:
                pass  # not ours to give away: the new file is the writer's
        if hasattr(os, "fchmod"):  # private whatever the umask or an old file's mode
            os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o777 if like is not None else FILE_MODE)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace `path` by `payload`: temp file in the same folder, fsync, rename, fsync folder.

    Raises OSError; on failure the old file is untouched and no temp file is left.
    """
    temp = temp_path(path)
    try:
        write_synced(temp, payload)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


# Errors of os.link on file systems without hard links.
NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}


def write_new(path: Path, payload: bytes) -> None:
    """Create `path` holding `payload`, whole and durable, only if nothing is there yet.

    The payload is fsynced under a temp name and hard-linked into place: the check and
    the creation are one step, and no reader ever sees the file half-written. Raises
    FileExistsError when `path` exists, OSError otherwise; no temp file is left.
    """
    temp = temp_path(path)
    try:
        write_synced(temp, payload)
        try:
            os.link(temp, path)
        except OSError as error:
            if isinstance(error, FileExistsError) or error.errno not in NO_LINKS:
                raise
            write_synced(path, payload, exclusive=True)
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass
    fsync_dir(path.parent)


# File systems that cannot fsync a folder say so with these; nothing better can be done.
_NO_DIR_FSYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.EISDIR}


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where the file system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        if error.errno not in _NO_DIR_FSYNC:
            raise


def temp_pid(name: str, mark: str = "") -> int | None:
    """The PID in the name of a temp file (`.NAME<mark>.PID.tmp`), None for other names.

    A store temp whose PID part is not a number still counts (as PID 0: nobody's)."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    head, _, pid = name[: -len(TEMP_SUFFIX)].rpartition(".")
    if mark:
        return int(pid) if head.endswith(mark) and pid.isdigit() else None
    return int(pid) if pid.isdigit() else 0


def remove_stale_temps(folder: Path, mark: str = "") -> int:
    """Delete the temp files in `folder` (named as `temp_pid` reads, with `mark`) whose
    process is dead; return how many. Only regular files are touched."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        pid = temp_pid(entry.name, mark)
        if pid is None or pid == os.getpid() or pid_alive(pid):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            pass
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with `pid` runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
