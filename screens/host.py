"""The one typed way from a widget to what the app and the session screen share.

Widgets see Textual's `App` and `Screen`; these Protocols say what ours offer, and
`host` and `console_of` are the only casts to them.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from textual.dom import DOMNode
from textual.screen import Screen

from workshop.model import Scenario, Session
from workshop.recovery import Written
from workshop.scenario import BrokenPack
from workshop.store import Store


class Host(Protocol):
    """What WorkshopApp shares with every screen and widget."""

    store: Store
    scenarios: dict[str, Scenario]
    broken: list[BrokenPack]

    def keep_unsaved_on(self, screen: Screen[Any]) -> Written | None: ...


class Console(Protocol):
    """What the session screen (the console) shares with its bar and step views."""

    session_id: str
    session: Session
    scenario: Scenario
    read_only: bool

    def elapsed(self) -> float: ...

    def action_export(self) -> None: ...


def host(node: DOMNode) -> Host:
    """The app of `node`, as WorkshopApp offers it."""
    return cast(Host, node.app)


def console_of(node: DOMNode) -> Console:
    """The session screen `node` is on."""
    return cast(Console, node.screen)
