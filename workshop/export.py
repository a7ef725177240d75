"""Exporting a transcript: one code path for the command line and the app.

`render` turns a Session into the text of one format, `default_path` proposes where
to put it, and `write_export` writes it whole (temp file, fsync, rename), never
overwriting an existing file unless asked to, and never anything but a regular file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path

from workshop.errors import ExportExists, WorkshopError
from workshop.files import (
    NO_LINKS,
    fsync_dir,
    plain_reason,
    remove_stale_temps,
    write_synced,
)
from workshop.model import Scenario, Session

FORMATS = ("md", "html", "json")
"""The export formats, as `--format` names them; each is also the file extension."""

FORMAT_NAMES = {"md": "Markdown", "html": "HTML page", "json": "JSON"}
"""What each format is called in the app."""

EXPORT_FOLDER = "workshop-exports"
"""The folder under the user's home that the app proposes for exports."""


def render(
    session: Session,
    fmt: str,
    anonymize: bool = False,
    scenario: Scenario | None = None,
    include_private: bool = False,
) -> str:
    """The transcript of `session` as `fmt` ("md", "html" or "json") text; private
    thoughts are left out unless `include_private`.

    `scenario`, when it is the session's pack, adds tag definitions and side roles to
    the readable formats; JSON never needs it.
    """
    if fmt == "json":
        from workshop.transcript import dumps, to_transcript

        return dumps(to_transcript(session, anonymize, include_private))
    if fmt == "md":
        from workshop.export_md import to_markdown

        return to_markdown(session, scenario, anonymize, include_private)
    if fmt == "html":
        from workshop.export_html import to_html

        return to_html(session, scenario, anonymize, include_private)
    raise ValueError(f"{fmt!r} is not an export format ({', '.join(FORMATS)})")


def slug(title: str, fallback: str = "session") -> str:
    """`title` as a short ASCII file name part ("Acme CRM, day 1" → "acme-crm-day-1")."""
    plain = unicodedata.normalize("NFKD", title.replace("’", "'"))
    plain = plain.encode("ascii", "ignore").decode("ascii").replace("'", "")
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return words[:60].rstrip("-") or fallback


def export_folder(home: Path | None = None) -> Path:
    """`~/workshop-exports`, created (private) if needed; the home folder when it cannot be."""
    home = home if home is not None else Path.home()
    folder = home / EXPORT_FOLDER
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return home
    return folder if folder.is_dir() else home


def default_path(session: Session, fmt: str, folder: Path, anonymize: bool = False) -> Path:
    """`folder/<title-slug>-<date the session started>.<fmt>`; with `anonymize`, the
    slug is of the anonymized title, so no name removed from the file is in its name."""
    title = session.title
    if anonymize:
        from workshop.anonymize import anonymized

        title = anonymized(session).title
    name = slug(title, fallback=f"session-{session.id}")
    return folder / f"{name}-{session.started_at:%Y-%m-%d}.{fmt}"


def write_reason(error: OSError) -> str:
    """Why writing an export failed, in plain words."""
    return plain_reason(error, "that folder")


def to_stdout(text: str) -> OSError | None:
    """Write `text` (UTF-8) to standard output and flush it; the error if that failed.

    After a failure standard output is pointed at the null device, so that Python's own
    flush at exit does not fail again with a traceback.
    """
    try:
        if sys.stdout is None:
            raise OSError(errno.EBADF, "standard output is closed")
        out = getattr(sys.stdout, "buffer", None)
        sys.stdout.flush()
        if out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            view = memoryview(text.encode("utf-8"))
            while view:  # unbuffered (python -u), one write may take only part of it
                written = out.write(view)
                if written is None:
                    raise BlockingIOError(errno.EAGAIN, "standard output takes nothing now")
                view = view[written:]
            out.flush()
    except OSError as error:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        except (OSError, AttributeError, ValueError):
            pass
        return error
    return None


def write_export(path: Path, text: str, force: bool = False) -> Path:
    """Write `text` (UTF-8) to `path` whole; return the path written.

    A new file is private (0600); a regular file replaced with `force` keeps its mode.
    Raises ExportExists if `path` exists and not `force` (also when it appears while
    writing), and WorkshopError with a plain sentence for anything but a regular file at
    `path` and for any other failure; on failure nothing is left behind. Temp files of
    earlier exports into the same folder whose process died are removed first.
    """
    path = path.expanduser()
    try:
        _write_new(path, text.encode("utf-8"), force)
    except OSError as error:
        raise WorkshopError(f"Could not write {path}: {write_reason(error)}.") from None
    return path


TEMP_MARK = ".workshop-export"
"""What sets an export's temp file apart: `.<name>.workshop-export.<pid>.tmp`.

It ends like the store's temp files (`.<name>.<pid>.tmp`), so the store's own clean-up
also sees the PID and leaves a live export's temp alone.
"""

TEMP_SUFFIX = ".tmp"

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def temp_name(name: str, pid: int) -> str:
    """The name of process `pid`'s temp file while it writes the export `name`."""
    return f".{name[:40]}{TEMP_MARK}.{pid}{TEMP_SUFFIX}"


def _existing(path: Path) -> os.stat_result | None:
    """What is at `path` itself (a link is not followed), or None when nothing is."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _write_new(path: Path, payload: bytes, force: bool) -> None:
    if path.is_dir():
        raise WorkshopError(f"{path} is a folder: give the name of a file to write.")
    old = _existing(path)
    if old is not None and not stat.S_ISREG(old.st_mode):
        kind = _KINDS.get(stat.S_IFMT(old.st_mode), "a special file")
        raise WorkshopError(
            f"{path} is {kind}, not a regular file: it was left as it was; "
            "give the name of a file to write."
        )
    if old is not None and not force:
        raise ExportExists(path)
    if not path.parent.is_dir():
        raise WorkshopError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    remove_stale_temps(path.parent, TEMP_MARK)
    temp = path.with_name(temp_name(path.name, os.getpid()))
    try:
        _write_temp(temp, payload, old)
        if force:
            os.replace(temp, path)  # a rename opens nothing: no FIFO or device can block it
        else:
            try:
                os.link(temp, path)  # fails, rather than overwrites, if `path` appeared
            except FileExistsError:
                raise ExportExists(path) from None
            except OSError as error:
                if error.errno not in NO_LINKS:
                    raise
                if os.path.lexists(path):  # a file system without hard links: check once more
                    raise ExportExists(path) from None
                os.replace(temp, path)
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass
    try:
        fsync_dir(path.parent)
    except OSError:
        pass  # the file is written whole; only the rename's durability is left to the disk


def _write_temp(temp: Path, payload: bytes, old: os.stat_result | None) -> None:
    """Write `payload` to `temp`, new and private, or with the owner and mode of `old`."""
    try:
        os.unlink(temp)  # left by an earlier process that had this PID
    except FileNotFoundError:
        pass
    write_synced(temp, payload, exclusive=True, like=old)
