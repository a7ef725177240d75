"""The App class and `build_app`, the one factory used by the CLI and the tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.reactive import Initialize, Reactive
from textual.screen import ModalScreen, Screen, SystemModalScreen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea
from textual.worker import WorkerFailed

from screens.keygate import KeyGate
from screens.theme import THEMES
from workshop import recovery
from workshop.errors import WorkshopError
from workshop.model import Scenario, Settings
from workshop.scenario import BrokenPack, discover
from workshop.store import Store, now_local
from workshop.text import printable

AUDIENCE_CSS = ["steps.tcss", "audience.tcss"]
"""The room's view's styles: the app loads them when presenting."""


def _start_theme(app: object) -> str:
    """The theme a WorkshopApp starts in (its `start_theme`)."""
    return app.start_theme if isinstance(app, WorkshopApp) else "projector"


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
    theme: Reactive[str] = Reactive(Initialize(lambda app: _start_theme(app)))
    """Starts as `start_theme`: App.__init__ builds the stylesheet in it, so no second parse."""

    def __init__(
        self,
        store: Store,
        scenarios: list[Scenario],
        broken: list[BrokenPack],
        theme: str = "projector",
        present: str | None = None,
        debug: bool = False,
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
        self.tracebacks = debug
        """`--debug`: a crash gets Textual's own handler (a traceback with local variables)."""
        self.errors: list[BaseException] = []
        """The errors nothing caught, in order (not kept with `tracebacks`)."""
        self._before_typing: WeakKeyDictionary[Widget, str] = WeakKeyDictionary()
        """Each field's text before its first key: what it was given, not typed."""
        self._submitting: list[recovery.Unsaved] = []
        """The text on screen when Enter was pressed, until the next key: what a crash in
        saving it would lose."""
        self._unsaved: list[recovery.Unsaved] = []
        self._kept: recovery.Written | None = None
        self._report: recovery.Written | None = None

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
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self._note_typing(event)
        await super().on_event(event)

    def _note_typing(self, event: events.Key | events.Paste) -> None:
        """Note what a field held before its first key, and what Enter is about to submit:
        the focused capture box, or the typed fields of the dialog."""
        focused = self.focused
        if isinstance(focused, Input | TextArea) and focused not in self._before_typing:
            self._before_typing[focused] = _text_of(focused)
        self._submitting = []
        if not (isinstance(event, events.Key) and event.key == "enter"):
            return
        try:
            screen = self.screen
            if isinstance(screen, ModalScreen):
                self._submitting = self._unsaved_on(screen)
            elif focused is not None:
                self._submitting = [item for item in [self._unsaved_in(screen, focused)] if item]
        except Exception:  # a key must never fail on this note
            pass

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

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app, made safe to print first: it may quote a file."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: home, or the room's view when presenting."""
        if self.present:
            from screens.audience import AudienceScreen

            return AudienceScreen(self.present)
        from screens.home import HomeScreen

        return HomeScreen()

    def on_unmount(self) -> None:
        self.store.close_all()

    # -- the way out: unsaved text kept, a crash told in one sentence ---------------------

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Quit; the text typed but not saved is written to a recovery file first."""
        self._keep_unsaved()
        super().exit(result, return_code, message)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's handler of an error nothing caught, replaced (unless `tracebacks`):
        no traceback with the session's local variables is printed; the text typed but
        not saved goes to a recovery file, the traceback alone to a crash report, and the
        app closes."""
        self._keep_unsaved(crashed=True)
        if self.tracebacks:
            super()._handle_exception(error)
            return
        try:
            self._return_code = 1
            if self._exception is None:  # run_test raises it again, so tests still fail
                self._exception = error
                self._exception_event.set()
            self.report_crash(error)
        finally:
            self._close_messages_no_wait()

    def report_crash(self, error: BaseException) -> None:
        """Write the crash report of `error` (and of those before it); never raises."""
        if isinstance(error, WorkerFailed):
            error = error.error  # the worker's own error, with its traceback
        self.errors.append(error)
        self._report = recovery.write_report(self.errors, into=self._report)

    def _keep_unsaved(self, crashed: bool = False) -> None:
        """Add the text typed but not saved on every screen (and, after a crash, the text
        being submitted) to the recovery file; never raises."""
        self._keep(self.screen_stack, self._submitting if crashed else [])

    def keep_unsaved_on(self, screen: Screen[Any]) -> recovery.Written | None:
        """Keep the text typed but not saved on `screen`, which is being left; the file
        written (or why none could be), None when there was nothing to keep."""
        return self._keep([screen], [])

    def _keep(
        self, screens: list[Screen[Any]], also: list[recovery.Unsaved]
    ) -> recovery.Written | None:
        """Add what is unsaved on `screens`, and `also`, to the recovery file; the file
        (or why none could be), None when nothing new was kept. Never raises."""
        try:
            found = [item for screen in screens for item in self._unsaved_on(screen)]
        except Exception:  # on the way out, a broken screen loses only itself
            found = []
        new = [item for item in dict.fromkeys([*found, *also]) if item not in self._unsaved]
        if not new:
            return None
        self._unsaved += new
        self._kept = recovery.keep_text(self._unsaved, into=self._kept)
        return self._kept

    def _unsaved_on(self, screen: Screen[Any]) -> list[recovery.Unsaved]:
        """The text typed but not saved on `screen`: what is in a capture box, and what was
        typed into the fields of a dialog (the command palette's search is not kept)."""
        fields = [n for n in screen.walk_children() if isinstance(n, Input | TextArea)]
        return [item for item in (self._unsaved_in(screen, f) for f in fields) if item]

    def _unsaved_in(self, screen: Screen[Any], field: Widget) -> recovery.Unsaved | None:
        """What `field` on `screen` holds that is not saved, if anything."""
        from screens.widgets import CaptureBox

        text = _text_of(field)
        if not text.strip() or isinstance(screen, SystemModalScreen):
            return None
        if isinstance(field, CaptureBox):
            return recovery.Unsaved(_capture_place(field), text)
        if isinstance(screen, ModalScreen) and self._before_typing.get(field, text) != text:
            return recovery.Unsaved(_field_place(screen, field), text)
        return None

    @property
    def crashed(self) -> bool:
        """Whether an error nothing caught closed the app (never so with `tracebacks`)."""
        return bool(self.errors)

    @property
    def farewell(self) -> str | None:
        """What the command line says once the app has left the terminal: after a crash,
        one sentence naming the data folder, the recovery file and the crash report; else
        where the text typed but not saved was kept; None when there is nothing to say."""
        if self.errors and self._report is not None:
            return recovery.crash_message(
                self.store.data_dir, self._report, self._kept, self._unsaved
            )
        if self._kept is not None:
            return recovery.exit_message(self._kept, self._unsaved)
        return None

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
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


def _text_of(field: Widget) -> str:
    if isinstance(field, Input):
        return field.value
    return field.text if isinstance(field, TextArea) else ""


def _capture_place(box: Widget) -> str:
    """Where a capture box is, as a facilitator names it: "Capture box, <step>, <side>"."""
    from screens.steps.base import StepView
    from screens.widgets import side_label

    view = next((node for node in box.ancestors if isinstance(node, StepView)), None)
    if view is None:
        return "Capture box"
    side = getattr(view, "side", None)
    where = f"Capture box, {view.step.title}"
    return f"{where}, {side_label(view.session, side)}" if isinstance(side, str) else where


def _field_place(screen: Screen[Any], field: Widget) -> str:
    """Where a dialog's field is: the dialog's title, and the label above the field."""
    titles = [str(title.content) for title in screen.query(".dialog-title").results(Static)]
    name = ""
    parent = field.parent
    if parent is not None:
        siblings = list(parent.children)
        labels = [
            node
            for node in siblings[: siblings.index(field)]
            if isinstance(node, Label) and not node.has_class("dialog-title")
        ]
        name = str(labels[-1].content) if labels else ""
    name = name or getattr(field, "placeholder", "") or field.id or "text"
    return f"{titles[0]}: {name}" if titles else name


def build_app(
    data_dir: Path,
    content_dirs: tuple[Path, ...] = (),
    theme: str | None = None,
    clock: Callable[[], datetime] = now_local,
    present: str | None = None,
    debug: bool = False,
) -> WorkshopApp:
    """The app on the store in `data_dir`, with the shipped packs, the user's and
    `content_dirs`; in `theme`, else the one last chosen (see Settings). `debug`: a crash
    gets Textual's own handler instead of ours."""
    store = Store(Path(data_dir), clock=clock)
    scenarios, broken = discover(Path(data_dir) / "packs", tuple(content_dirs))
    if theme is None:
        saved = store.settings().theme
        theme = saved if saved in THEMES else "projector"
    return WorkshopApp(store, scenarios, broken, theme=theme, present=present, debug=debug)
