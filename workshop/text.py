"""Text rules of the core: cleaning what the facilitator types or pastes, and counts."""

from __future__ import annotations

import re
from datetime import datetime

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Return `text` with line endings unified, C0/C1 controls (but newline and tab)
    removed, and surrounding blank space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text).strip()


_UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` safe to print on a terminal: every C0 control but newline, DEL, every C1
    control and every lone surrogate shown as an escape (ESC as `\\x1b`).

    Everything that can hold text from outside (a file, a pack, a session) goes through
    it on the way to the terminal: CLI output and errors, and labels in the app.
    """
    return _UNPRINTABLE.sub(_shown, str(text))


def clean_line(text: str) -> str:
    """Return `text` cleaned as by `clean_text`, on one line (for names and titles)."""
    return " ".join(clean_text(text).split())


def local_time(moment: datetime) -> str:
    """`moment` as "YYYY-MM-DD HH:MM" in the zone it was recorded in, followed by its UTC
    offset when that differs from this computer's at that moment ("… UTC+01:00"), so
    that a laptop in another zone never shows a date the room did not live."""
    shown = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is None or offset == moment.astimezone().utcoffset():
        return shown
    minutes = int(offset.total_seconds()) // 60
    hours, minutes = divmod(abs(minutes), 60)
    return f"{shown} UTC{'-' if offset.days < 0 else '+'}{hours:02}:{minutes:02}"


def clock_text(seconds: float) -> str:
    """`mm:ss` (or `h:mm:ss`) of a non-negative number of seconds."""
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless it is one: "1 statement", "3 statements"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
