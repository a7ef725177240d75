"""Keys and pastes, applied one at a time, each to the state the ones before it produced.

Textual hands a key to the focused widget's message queue and takes the next key at once.
The key then bubbles through the queues of its ancestors, and a non-priority binding runs
only when it is back at the App; focus changes, mounts and dialogs are themselves queued. A
key typed during any of that is applied before the previous one has finished, or to a
widget that is about to be replaced. The gate holds every key and paste that arrives from
the terminal and releases the next only when the app has settled from the previous one:
every message queue of the app and its screens is empty and nothing is being handled.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

SETTLE_LIMIT = 2.0
"""Seconds a key waits for the app to settle at most: something busy for longer (a slow
disk) must not hold the keyboard forever."""


class KeyGate:
    """Holds keys and pastes for `app` and releases them in order, one per settled state."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._released: events.Key | events.Paste | None = None
        self._task: asyncio.Task[None] | None = None

    def hold(self, event: events.Key | events.Paste) -> bool:
        """Take `event` to apply later, unless it is the one being released now (the app
        then handles it as usual)."""
        if event is self._released:
            return False
        self._waiting.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._release_all())
        return True

    async def _release_all(self) -> None:
        while self._waiting:
            event = self._waiting.popleft()
            self._released = event
            if not self.app.post_message(event):
                self._waiting.clear()
                break
            await self.settled()
        self._released = None

    async def settled(self, limit: float = SETTLE_LIMIT) -> None:
        """Return once every queue is empty and idle twice in a row (or after `limit`)."""
        deadline = time.monotonic() + limit
        quiet = rounds = 0
        while quiet < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0 if rounds < 8 else 0.002)
            rounds += 1
            quiet = quiet + 1 if self._idle() else 0

    def _pumps(self) -> Iterator[MessagePump]:
        yield self.app
        for screen in self.app.screen_stack:
            yield from screen.walk_children(with_self=True)

    def _idle(self) -> bool:
        """Whether no pump has a message queued or is handling one.

        A pump whose task is waiting for its next message has a waiter on its queue's
        ready event; one handling a message (or still starting) has none.
        """
        for pump in self._pumps():
            if pump._closed or pump._closing:
                continue
            if pump._next_callbacks:
                return False
            queue = pump.__dict__.get("_message_queue")
            if queue is None:
                continue
            if queue.values or (pump._running and not queue.ready_event._waiters):
                return False
        return True
