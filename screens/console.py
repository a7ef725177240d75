"""The console: what the facilitator's window adds while the room watches the audience view.

A terminal app cannot open a second terminal window portably, so presenting is two
windows the facilitator opens: this one (the console) and `workshop present ID` (the
audience view, dragged onto the projector). The console knows the audience view is
open from its heartbeat file (see `workshop.presence`).
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from screens.host import console_of, host
from screens.widgets import put
from workshop import presence
from workshop.model import Scenario
from workshop.paths import default_data_dir
from workshop.text import clock_text


def present_command(data_dir: Path, session_id: str, scenario: Scenario | None = None) -> str:
    """The exact command that opens the audience view of `session_id` in another terminal.

    It names the data dir unless it is the default one of a plain `workshop`, and the
    content dir the session's pack came from, if any.
    """
    words = ["workshop"]
    data_dir = Path(data_dir).expanduser().absolute()
    if os.environ.get("WORKSHOP_DATA_DIR") or data_dir != default_data_dir().absolute():
        words += ["--data-dir", str(data_dir)]
    if scenario is not None and scenario.origin not in ("", "built-in", "user"):
        words += ["--content-dir", str(Path(scenario.origin).expanduser().absolute())]
    words += ["present", session_id]
    return shlex.join(words)


class ConsoleBar(Horizontal):
    """Next step and the whole workshop's time; shown only while an audience view is open.

    Checks the heartbeat on each tick and posts `Presenting` when that changes.
    It lives in the session screen, whose `session`, `scenario`, `elapsed()` and
    `read_only` it reads.
    """

    class Presenting(Message):
        """An audience view of this session opened (True) or closed (False)."""

        def __init__(self, presenting: bool) -> None:
            super().__init__()
            self.presenting = presenting

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.presenting = False
        """Whether an audience view of this session is open (in any window)."""

    def compose(self) -> ComposeResult:
        yield Label("", id="console-next")
        yield Label("", id="console-time")

    def on_mount(self) -> None:
        self.display = False

    def tick(self) -> None:
        """Look for the audience view; redraw the bar while it is open.

        Called by the session screen on each of its ticks (every second, and after
        each change), so the first look comes after the screen has set itself up.
        """
        screen = console_of(self)
        if getattr(screen, "read_only", True):
            return
        path = presence.heartbeat_path(host(self).store.sessions_dir, screen.session_id)
        watching = presence.watching(path)
        if watching != self.presenting:
            self.presenting = watching
            self.display = watching
            self.post_message(self.Presenting(watching))
        if watching:
            self.redraw()

    def redraw(self) -> None:
        """Redraw from the session screen's state."""
        screen = console_of(self)
        session, scenario = screen.session, screen.scenario
        index = session.current_step
        if index + 1 < len(scenario.steps):
            step = scenario.steps[index + 1]
            upcoming = Content(f"Next: {step.title} · {step.timebox:g} min")
        else:
            upcoming = Content("Last step")
        if session.blank:
            upcoming = Content.assemble(("The room's screen is blank  ", "reverse bold"), upcoming)
        put(self.query_one("#console-next", Label), upcoming)
        spent, left = presence.workshop_times(session, scenario, screen.elapsed())
        over = "left" if left >= 0 else "over"
        put(
            self.query_one("#console-time", Label),
            Content(f"Workshop {clock_text(spent)} · {clock_text(left)} {over}"),
        )
        self.set_class(left < 0, "-over")


class PresentDialog(ModalScreen[None]):
    """How to show a session on the projector: the command to run in a second window."""

    CSS_PATH = ["dialogs.tcss", "console.tcss"]
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, command: str, title: str) -> None:
        super().__init__()
        self.command = command
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Present on a second window", classes="dialog-title")
            yield Static(
                Content.assemble(
                    "To show ",
                    (self.title_text, "bold"),
                    " to the room, open a second terminal window, run this command in it, "
                    "and drag that window onto the projector (this app cannot open a "
                    "terminal window by itself):",
                ),
                classes="dialog-message",
            )
            yield Static(Content(self.command), id="present-command")
            yield Static(
                "The second window only reads the session; run the workshop from this one. "
                "Once it is open, this window shows your notes, the next step and the "
                "workshop's time.",
                classes="dialog-message",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy command", id="copy")
                yield Button("Close", variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        self.app.copy_to_clipboard(self.command)
        self.notify(
            "Copied, where the terminal allows it (otherwise select the command with the mouse).",
            markup=False,
        )

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
