"""Errors a user can cause, each carrying a sentence fit to show the room."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any


class WorkshopError(Exception):
    """Base class: `str(error)` is a plain sentence for the user."""


class PackError(WorkshopError):
    """A scenario pack that cannot be used; `problems` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "The scenario pack is not valid.")
        self.problems = problems


class SessionNotFound(WorkshopError):
    """No stored session has that id (or prefix)."""


class AmbiguousSessionId(WorkshopError):
    """A prefix matches more than one session."""


class SessionDamaged(WorkshopError):
    """A session file that cannot be read; it is left untouched."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem


class SessionLocked(WorkshopError):
    """The session is open for editing in another window or process (`holder`, a
    LockHolder; None while another window is taking the lock at `lock_path`)."""

    def __init__(self, holder: Any, lock_path: Path) -> None:
        self.holder = holder
        self.lock_path = lock_path
        if holder is None:
            message = "This session's lock is being taken by another window; try again."
        elif self.elsewhere:
            message = (
                f"This session is open for editing by {holder.describe()}. If that computer "
                f"is done with it, you can take it over here (its lock file is {lock_path}); "
                "or open it read-only."
            )
        else:
            message = (
                f"This session is open for editing by {holder.describe()}. "
                "Close it there first, or open it read-only here."
            )
        super().__init__(message)

    @property
    def elsewhere(self) -> bool:
        """Whether the holder runs on another computer, so this one cannot tell if it is alive."""
        return self.holder is not None and self.holder.host != socket.gethostname()


class SessionReadOnly(WorkshopError):
    """A change was asked of a session that is not open for editing here."""


class OutOfLimits(WorkshopError):
    """A value over one of the limits of `workshop.limits`; nothing of it was saved."""


class SaveFailed(WorkshopError):
    """A change could not be written; nothing of it is on disk."""


class SessionExists(SaveFailed):
    """A new session's id is already stored (checked and created in one step)."""


class InvalidTranscript(WorkshopError):
    """A file that is not a valid workshop transcript."""


class ExportExists(WorkshopError):
    """An export would overwrite an existing file, and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists.")
        self.path = path
