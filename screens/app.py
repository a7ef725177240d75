"""The App class and `build_app`, the one factory used by the CLI and the tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.reactive import Initialize, Reactive
from textual.screen import Screen
from textual.theme import Theme

from screens.keygate import KeyGate
from screens.theme import THEMES
from workshop.errors import WorkshopError
from workshop.model import Scenario, Settings
from workshop.scenario import BrokenPack, discover
from workshop.store import Store, now_local

AUDIENCE_CSS = ["steps.tcss", "audience.tcss"]
"""The room's view's styles: the app loads them when presenting."""


class WorkshopApp(App[None]):
    """The workshop app. Everything it needs is passed in; nothing is global."""

    CSS_PATH = ["workshop.tcss"]
    TITLE = "workshop"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-normal"), (150, "-wide")]
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", id="quit", show=False, tooltip="Quit (everything is saved)"
        ),
    ]
    theme: Reactive[str] = Reactive(Initialize(lambda app: app.start_theme))
    """Starts as `start_theme`: App.__init__ builds the stylesheet in it, so no second parse."""

    def __init__(
        self,
        store: Store,
        scenarios: list[Scenario],
        broken: list[BrokenPack],
        theme: str = "projector",
        present: str | None = None,
    ) -> None:
        self.start_theme = theme
        # The first screen's own CSS_PATH is never loaded, so the room's view brings its
        # styles here.
        super().__init__(css_path=[*self.CSS_PATH, *AUDIENCE_CSS] if present else None)
        self.store = store
        self.scenarios = {s.id: s for s in scenarios}
        self.broken = broken
        self.present = present
        self.key_gate = KeyGate(self)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, reading keys with our parser on POSIX terminals."""
        if os.name == "posix" and not os.environ.get("TEXTUAL_DRIVER"):
            from screens.terminal import TerminalDriver

            return TerminalDriver
        return super().get_driver_class()

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the terminal go through the gate: in order, each once the
        app has settled from the one before."""
        if (
            isinstance(event, events.Key | events.Paste)
            and not event.is_forwarded
            and self.key_gate.hold(event)
        ):
            return
        await super().on_event(event)

    @property
    def available_themes(self) -> dict[str, Theme]:
        return {**super().available_themes, **THEMES}

    def watch_theme(self, theme: str) -> None:
        """Keep the facilitator's choice of one of our themes for the next start (the room's
        view follows it; it never writes)."""
        if self.present or theme not in THEMES or self.store.settings().theme == theme:
            return
        try:
            self.store.save_settings(Settings(theme=theme))
        except WorkshopError as error:
            self.notify(f"{error} The theme is used until you quit.", markup=False)

    def get_default_screen(self) -> Screen:
        """The first screen: home, or the room's view when presenting."""
        if self.present:
            from screens.audience import AudienceScreen

            return AudienceScreen(self.present)
        from screens.home import HomeScreen

        return HomeScreen()

    def on_unmount(self) -> None:
        self.store.close_all()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand(
            "Theme: projector",
            "High contrast for projectors",
            lambda: setattr(self, "theme", "projector"),
        )
        yield SystemCommand(
            "Theme: paper",
            "Black on white for bright rooms",
            lambda: setattr(self, "theme", "paper"),
        )
        yield SystemCommand(
            "Keys",
            "Every key that works here, also those the key bar has no room for",
            self.action_show_help_panel,
        )
        yield SystemCommand("Quit", "Quit the app (everything is saved)", self.exit)


def build_app(
    data_dir: Path,
    content_dirs: tuple[Path, ...] = (),
    theme: str | None = None,
    clock: Callable[[], datetime] = now_local,
    present: str | None = None,
) -> WorkshopApp:
    """The app on the store in `data_dir`, with the shipped packs, the user's and
    `content_dirs`; in `theme`, else the one last chosen (see Settings)."""
    store = Store(Path(data_dir), clock=clock)
    scenarios, broken = discover(Path(data_dir) / "packs", tuple(content_dirs))
    if theme is None:
        saved = store.settings().theme
        theme = saved if saved in THEMES else "projector"
    return WorkshopApp(store, scenarios, broken, theme=theme, present=present)
