"""Presenting: the audience view's heartbeat, and the clocks it derives from saved data.

The audience view never writes the session. It only touches a small heartbeat file
beside it (`sessions/<id>.audience`), so that the console can tell the room is
watching another window and show the facilitator's notes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from workshop.files import FILE_MODE, UnreadableFile, read_regular
from workshop.model import Scenario, Session

HEARTBEAT_SECONDS = 2.0
"""How often a running audience view touches its heartbeat file."""

GONE_AFTER = 3 * HEARTBEAT_SECONDS
"""A heartbeat older than this means the audience view has closed (or died)."""

SUFFIX = ".audience"


def heartbeat_path(sessions_dir: Path, session_id: str) -> Path:
    """The heartbeat file of the audience view of `session_id`."""
    return Path(sessions_dir) / f"{session_id}{SUFFIX}"


def beat(path: Path) -> bool:
    """Say this process is showing the audience view; False when the folder is read-only."""
    try:
        if _pid_in(path) == os.getpid():
            os.utime(path)
        else:
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK  # a pipe: no wait
            fd = os.open(path, flags, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(json.dumps({"pid": os.getpid()}))
    except OSError:
        return False
    return True


def leave(path: Path) -> None:
    """Remove the heartbeat if this process wrote it last."""
    if _pid_in(path) == os.getpid():
        try:
            path.unlink()
        except OSError:
            pass


def watching(path: Path, within: float = GONE_AFTER) -> bool:
    """Whether an audience view touched its heartbeat in the last `within` seconds."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age <= within


def _pid_in(path: Path) -> int | None:
    try:
        pid = json.loads(read_regular(path, 4096)).get("pid")
    except (UnreadableFile, ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) else None


# -- clocks -------------------------------------------------------------------------------


def _opened_at(holder_since: str | None) -> datetime | None:
    if not holder_since:
        return None
    try:
        moment = datetime.fromisoformat(holder_since)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def step_elapsed(session: Session, holder_since: str | None, now: datetime) -> float:
    """Seconds spent in the current step, as far as the saved session tells.

    `holder_since` is when the console took the editing lock (None: nobody holds it,
    so the clock stands still). The step runs from the later of the saved
    `step_started_at` and that moment: a console that opens a session starts timing
    it then, without saving.
    """
    spent = session.steps[session.current_step].seconds_spent
    if holder_since is None:
        return spent
    starts = [m for m in (session.step_started_at, _opened_at(holder_since)) if m is not None]
    if not starts:
        return spent
    return spent + max(0.0, (now - max(starts)).total_seconds())


class RoomClock:
    """The room's view's clock of the current step.

    It reads the time spent off the saved session and the wall clock (`step_elapsed`)
    once for each state of the step, then runs on the monotonic clock, as the console
    does: a jump of the wall clock moves neither view.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._state: tuple[object, ...] | None = None
        self._base = 0.0
        self._since = 0.0

    def elapsed(self, session: Session, holder_since: str | None, now: datetime) -> float:
        """Seconds spent in the current step (see `step_elapsed`)."""
        step = session.steps[session.current_step]
        state = (
            session.id,
            session.current_step,
            step.seconds_spent,
            session.step_started_at,
            holder_since,
        )
        if state != self._state:
            self._state = state
            self._base = step_elapsed(session, holder_since, now)
            self._since = self.monotonic()
        if holder_since is None:
            return self._base
        return self._base + max(0.0, self.monotonic() - self._since)


def workshop_times(
    session: Session, scenario: Scenario, current_elapsed: float
) -> tuple[float, float]:
    """(seconds spent, seconds left) of the whole workshop against the sum of its timeboxes."""
    spent = sum(
        current_elapsed if index == session.current_step else step.seconds_spent
        for index, step in enumerate(session.steps)
    )
    return spent, scenario.minutes * 60 - spent
