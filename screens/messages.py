"""Messages the screens send each other (a module of its own, so imports run one way)."""

from __future__ import annotations

from textual.message import Message


class SessionChanged(Message):
    """A step view changed the session (the agenda and header may need a redraw)."""
