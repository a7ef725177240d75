"""Exporting a transcript: one code path for the command line and the app.

`render` turns a Session into the text of one format, `default_path` proposes where
to put it, and `write_export` writes it whole (temp file, fsync, rename), never
overwriting an existing file unless asked to.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from pathlib import Path

from workshop.errors import ExportExists, WorkshopError
from workshop.model import Scenario, Session

FORMATS = ("md", "html", "json")
"""The export formats, as `--format` names them; each is also the file extension."""

FORMAT_NAMES = {"md": "Markdown", "html": "HTML page", "json": "JSON"}
"""What each format is called in the app."""

EXPORT_FOLDER = "workshop-exports"
"""The folder under the user's home that the app proposes for exports."""

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "that disk is read-only",
    errno.EACCES: "permission to write there was denied",
    errno.EPERM: "permission to write there was denied",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "that is a folder",
}


def render(
    session: Session, fmt: str, anonymize: bool = False, scenario: Scenario | None = None
) -> str:
    """The transcript of `session` as `fmt` ("md", "html" or "json") text.

    `scenario`, when it is the session's pack, adds tag definitions and side roles to
    the readable formats; JSON never needs it.
    """
    if fmt == "json":
        from workshop.transcript import dumps, to_transcript

        return dumps(to_transcript(session, anonymize=anonymize))
    if fmt == "md":
        from workshop.export_md import to_markdown

        return to_markdown(session, scenario, anonymize=anonymize)
    if fmt == "html":
        from workshop.export_html import to_html

        return to_html(session, scenario, anonymize=anonymize)
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


def default_path(session: Session, fmt: str, folder: Path) -> Path:
    """`folder/<title-slug>-<date the session started>.<fmt>`."""
    name = slug(session.title, fallback=f"session-{session.id}")
    return folder / f"{name}-{session.started_at:%Y-%m-%d}.{fmt}"


def write_reason(error: OSError) -> str:
    """Why writing an export failed, in plain words."""
    return _REASONS.get(error.errno, error.strerror or str(error))


def write_export(path: Path, text: str, force: bool = False) -> Path:
    """Write `text` (UTF-8) to `path` whole; return the path written.

    Raises ExportExists if `path` exists and not `force` (also when it appears while
    writing), and WorkshopError with a plain sentence for any other failure; on failure
    nothing is left behind.
    """
    path = path.expanduser()
    try:
        _write_new(path, text.encode("utf-8"), force)
    except OSError as error:
        raise WorkshopError(f"Could not write {path}: {write_reason(error)}.") from None
    return path


def _write_new(path: Path, payload: bytes, force: bool) -> None:
    if path.is_dir():
        raise WorkshopError(f"{path} is a folder: give the name of a file to write.")
    if path.exists() and not force:
        raise ExportExists(path)
    if not path.parent.is_dir():
        raise WorkshopError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temp, path)
            return
        try:
            os.link(temp, path)  # fails, rather than overwrites, if `path` appeared
        except FileExistsError:
            raise ExportExists(path) from None
        except OSError:
            if path.exists():  # a file system without hard links: check once more
                raise ExportExists(path) from None
            os.replace(temp, path)
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass
