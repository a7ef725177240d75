"""The typed seam between the console's views and the store: one editor per open session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from workshop.errors import OutOfLimits, SessionReadOnly, WorkshopError
from workshop.model import Agreement, Mark, Rating, Session, Statement, Turn
from workshop.store import Store

T = TypeVar("T")

READ_ONLY = "This session is open read-only here: nothing can be changed."

Notify = Callable[..., None]
"""Textual's `notify(message, title=..., severity=..., timeout=..., markup=...)`."""


class SessionEditor:
    """The changes the console makes to one session. Each is saved before it returns the
    saved value; when it cannot be, the editor says why in a toast and returns None (the
    text on screen stays, so nothing typed is lost)."""

    def __init__(self, store: Store, session_id: str, read_only: bool, notify: Notify) -> None:
        self.store = store
        self.session_id = session_id
        self.read_only = read_only
        self.notify = notify

    def _attempt(self, change: Callable[[Store, str], T]) -> T | None:
        if self.read_only:
            self.notify(READ_ONLY, severity="warning", markup=False)
            return None
        try:
            return change(self.store, self.session_id)
        except SessionReadOnly as error:
            self.notify(str(error), severity="warning", markup=False)
        except OutOfLimits as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
        except WorkshopError as error:
            self.notify(
                f"{error} Your text is kept on screen. To keep the session safe, export it "
                "elsewhere from the command palette (ctrl+p → Export transcript…).",
                title="Not saved",
                severity="error",
                timeout=12,
                markup=False,
            )
        return None

    # the session

    def go_to_step(self, index: int) -> Session | None:
        return self._attempt(lambda store, sid: store.go_to_step(sid, index))

    def finish(self) -> Session | None:
        return self._attempt(lambda store, sid: store.finish(sid))

    def set_revealed(self, step_key: str, revealed: bool) -> Session | None:
        return self._attempt(lambda store, sid: store.set_revealed(sid, step_key, revealed))

    def set_blank(self, blank: bool) -> Session | None:
        return self._attempt(lambda store, sid: store.set_blank(sid, blank))

    def set_spotlight(self, spotlight: str) -> Session | None:
        return self._attempt(lambda store, sid: store.set_spotlight(sid, spotlight))

    def update_details(
        self, title: str, facilitator: str, organisation: str, participants: list[str]
    ) -> Session | None:
        return self._attempt(
            lambda store, sid: store.update_details(
                sid, title, facilitator, organisation, participants
            )
        )

    # statements

    def add_statement(
        self, side: str, text: str, speaker: str | None = None, step: str | None = None
    ) -> Statement | None:
        return self._attempt(lambda store, sid: store.add_statement(sid, side, text, speaker, step))

    def edit_statement(
        self, statement_id: str, text: str, speaker: str | None = None
    ) -> Statement | None:
        return self._attempt(
            lambda store, sid: store.edit_statement(sid, statement_id, text, speaker)
        )

    def delete_statement(self, statement_id: str) -> Statement | None:
        return self._attempt(lambda store, sid: store.delete_statement(sid, statement_id))

    def restore_statement(self, statement: Statement) -> Statement | None:
        return self._attempt(lambda store, sid: store.restore_statement(sid, statement))

    def toggle_tag(self, statement_id: str, tag: str) -> Statement | None:
        return self._attempt(lambda store, sid: store.toggle_tag(sid, statement_id, tag))

    def set_tags(self, statement_id: str, tags: tuple[str, ...]) -> Statement | None:
        return self._attempt(lambda store, sid: store.set_tags(sid, statement_id, tags))

    # agreements

    def add_agreement(
        self,
        text: str,
        tag: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        step: str | None = None,
    ) -> Agreement | None:
        return self._attempt(
            lambda store, sid: store.add_agreement(sid, text, tag, owner, due, step)
        )

    def edit_agreement(
        self, agreement_id: str, text: str, tag: str | None, owner: str | None, due: date | None
    ) -> Agreement | None:
        return self._attempt(
            lambda store, sid: store.edit_agreement(sid, agreement_id, text, tag, owner, due)
        )

    def delete_agreement(self, agreement_id: str) -> Agreement | None:
        return self._attempt(lambda store, sid: store.delete_agreement(sid, agreement_id))

    def restore_agreement(self, agreement: Agreement) -> Agreement | None:
        return self._attempt(lambda store, sid: store.restore_agreement(sid, agreement))

    # ratings

    def set_rating(
        self, step: str, item: str, score: int, note: str | None = None
    ) -> Rating | None:
        return self._attempt(lambda store, sid: store.set_rating(sid, step, item, score, note))

    # marks

    def set_mark(
        self, step: str, item: str, marked: bool, value: str = "", count: int = 0
    ) -> Mark | bool | None:
        """Mark `item` of `step` or take the mark away: the mark, False once it is taken
        away, None when the change could not be saved."""
        return self._attempt(
            lambda store, sid: store.set_mark(sid, step, item, marked, value, count) or False
        )

    # turns

    def add_turn(
        self,
        step: str,
        side: str,
        said: str,
        thought: str = "",
        private: bool = False,
        speaker: str | None = None,
    ) -> Turn | None:
        return self._attempt(
            lambda store, sid: store.add_turn(sid, step, side, said, thought, private, speaker)
        )

    def edit_turn(
        self, turn_id: str, said: str, thought: str, private: bool, speaker: str | None = None
    ) -> Turn | None:
        return self._attempt(
            lambda store, sid: store.edit_turn(sid, turn_id, said, thought, private, speaker)
        )

    def set_turn_tags(self, turn_id: str, tags: tuple[str, ...]) -> Turn | None:
        return self._attempt(lambda store, sid: store.set_turn_tags(sid, turn_id, tags))

    def reveal_thoughts(self, turn_ids: list[str], revealed: bool = True) -> list[Turn] | None:
        return self._attempt(lambda store, sid: store.reveal_thoughts(sid, turn_ids, revealed))

    def delete_turn(self, turn_id: str) -> Turn | None:
        return self._attempt(lambda store, sid: store.delete_turn(sid, turn_id))

    def restore_turn(self, turn: Turn) -> Turn | None:
        return self._attempt(lambda store, sid: store.restore_turn(sid, turn))
