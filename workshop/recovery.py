"""What is kept when the app stops: text typed but not saved, and the report of a crash.

Both go to private files (0600, in a 0700 folder) in the user's state dir, not the data
dir: that may be the disk that failed. When the state dir cannot be written, a private
folder in the system's temp dir is tried. Nothing here raises: a file that could not be
written is said so in the sentence that names the files.
"""

from __future__ import annotations

import errno
import getpass
import os
import platform
import stat
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

import platformdirs

from workshop import __version__
from workshop.files import DIR_MODE, fsync_dir, write_atomic, write_synced

RECOVERY_STEM = "unsaved"
REPORT_STEM = "crash"
PACKAGES = ("textual", "rich", "tinydb", "platformdirs")
"""The packages whose versions a crash report names."""


@dataclass(frozen=True)
class Unsaved:
    """Text typed but not saved, and where it was typed (e.g. "New session: Title")."""

    where: str
    text: str


@dataclass(frozen=True)
class Written:
    """The file written, or (`path` None) why none could be."""

    path: Path | None
    problem: str = ""


def state_dir() -> Path:
    """`$XDG_STATE_HOME/workshop` when that is set (on every platform), else the platform's
    user state dir (on Linux `~/.local/state/workshop`)."""
    env = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(env):  # the XDG spec ignores a relative one
        return Path(env) / "workshop"
    return Path(platformdirs.user_state_dir("workshop", appauthor=False))


def keep_text(items: Sequence[Unsaved], into: Written | None = None) -> Written:
    """Write `items` to a new recovery file, or over `into` (the one written before)."""
    try:
        return _write(RECOVERY_STEM, recovery_text(items), into)
    except Exception as error:  # never raise on the way out of the app
        return Written(None, _reason(error))


def write_report(errors: Sequence[BaseException], into: Written | None = None) -> Written:
    """Write the crash report of `errors` to a new file, or over `into`."""
    try:
        return _write(REPORT_STEM, report_text(errors), into)
    except Exception as error:  # never raise on the way out of the app
        return Written(None, _reason(error))


def recovery_text(items: Sequence[Unsaved]) -> str:
    """A recovery file: a line saying what it is, then each text under where it was typed."""
    lines = [
        f"Text typed in workshop but not saved, kept when the app closed ({_now()}).",
        "Each text is under the place it was typed; copy back what the session needs.",
    ]
    for item in items:
        lines += ["", f"--- {item.where}", item.text]
    return "\n".join(lines) + "\n"


def report_text(errors: Sequence[BaseException]) -> str:
    """A crash report: versions, then the traceback of each error, without local variables
    (an error's own message may still quote a value)."""
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    lines = [
        "workshop crash report",
        f"time: {_now()}",
        f"workshop {__version__}, Python {platform.python_version()} "
        f"({platform.python_implementation()}) on {platform.platform()}",
        f"packages: {versions}",
        "Local variables are left out; an error's own message may still quote a value.",
    ]
    for index, error in enumerate(errors, start=1):
        lines.append("")
        if len(errors) > 1:
            lines.append(f"Error {index} of {len(errors)}:")
        lines.append("".join(traceback.format_exception(error)).rstrip("\n"))
    return "\n".join(lines) + "\n"


def crash_message(
    data_dir: Path, report: Written, kept: Written | None, items: Sequence[Unsaved]
) -> str:
    """What the command line says after a crash: one sentence naming the data folder, the
    recovery file (when text was kept) and the crash report; the text itself follows when
    no recovery file could be written."""
    parts = [
        f"Something went wrong inside workshop and it closed; everything saved is safe in "
        f"{data_dir}"
    ]
    if kept is not None and kept.path is not None:
        parts.append(f"the text not yet saved is kept in {kept.path}")
    elif kept is not None:
        parts.append(f"the text not yet saved could not be written ({kept.problem}) and follows")
    if report.path is not None:
        parts.append(f"a crash report for the developers is in {report.path}.")
    else:
        parts.append(f"no crash report could be written ({report.problem}).")
    return "; ".join(parts) + _text_if_lost(kept, items)


def exit_message(kept: Written, items: Sequence[Unsaved]) -> str:
    """What the command line says after an exit that left text typed but not saved."""
    if kept.path is not None:
        return f"The text typed but not saved is kept in {kept.path}."
    return (
        f"The text typed but not saved could not be written ({kept.problem}); here it is."
        + _text_if_lost(kept, items)
    )


def _text_if_lost(kept: Written | None, items: Sequence[Unsaved]) -> str:
    if kept is None or kept.path is not None:
        return ""
    return "".join(f"\n\n--- {item.where}\n{item.text}" for item in items)


def _now() -> str:
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"{type(error).__name__}: {error}"


def _folders() -> Iterator[Path]:
    """Where the files may go, in order: the state dir, then a folder of this user's in
    the temp dir."""
    yield state_dir()
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password file
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    yield Path(tempfile.gettempdir()) / f"workshop-{user}"


def _private_folder(folder: Path) -> None:
    """Make `folder` (0700, ours, not a link); raise OSError when it cannot be."""
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise PermissionError(errno.EPERM, "the folder belongs to another user", str(folder))
    if stat.S_IMODE(info.st_mode) != DIR_MODE:
        os.chmod(folder, DIR_MODE)


def _write(stem: str, text: str, into: Written | None) -> Written:
    payload = text.encode("utf-8", "backslashreplace")
    if into is not None and into.path is not None:
        try:
            write_atomic(into.path, payload)
            return into
        except OSError:
            pass  # gone or unwritable since: write a new one
    problems = []
    for folder in _folders():
        try:
            _private_folder(folder)
            return Written(_create(folder, stem, payload))
        except OSError as error:
            problems.append(f"{folder}: {_reason(error)}")
    return Written(None, "; ".join(problems))


def _create(folder: Path, stem: str, payload: bytes) -> Path:
    """A new private file `stem-TIME.txt` (`-2`, `-3` … when taken) in `folder` holding
    `payload`, durable; raise OSError when it cannot be written."""
    moment = datetime.now().strftime("%Y%m%d-%H%M%S")
    for count in range(1, 100):
        path = folder / f"{stem}-{moment}{'' if count == 1 else f'-{count}'}.txt"
        try:
            write_synced(path, payload, exclusive=True)
        except FileExistsError:
            continue
        fsync_dir(folder)
        return path
    raise FileExistsError(errno.EEXIST, "too many files of this second", str(folder))
