"""Home: the stored sessions, newest first; start, resume, delete."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from screens.dialogs import ChoiceDialog, ConfirmDialog, NewSessionDialog
from screens.host import host
from screens.widgets import KeyBar, SessionTable
from workshop.errors import SaveFailed, SessionLocked, WorkshopError
from workshop.model import SessionSummary
from workshop.store import Store
from workshop.text import counted, local_time, printable

COLUMNS = (("Title", 0), ("Scenario", 24), ("Started", 16), ("Status", 11), ("Statements", 10))
"""Widths in cells; the title takes what the others leave."""


def row_cells(summary: SessionSummary) -> tuple[str, ...]:
    """The texts of a session's row, one per column."""
    return (
        printable(summary.title),
        printable(summary.scenario_title or summary.scenario_id),
        local_time(summary.started_at),
        summary.status,
        str(summary.statement_count),
    )


class HomeScreen(Screen[None]):
    """The list of sessions and the way into them."""

    BINDINGS = [
        Binding("n", "new", "New session", id="new", tooltip="Start a new session"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("x", "export", "Export", id="export", tooltip="Export the selected transcript"),
        Binding(
            "p",
            "present",
            "Present",
            id="present",
            tooltip="Show the selected session to the room in a second window",
        ),
        Binding("q", "app.quit", "Quit", id="home-quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[SessionSummary] = []

    @property
    def store(self) -> Store:
        return host(self).store

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Label("workshop", id="home-title")
            yield Static("", id="home-subtitle")
            yield SessionTable(COLUMNS, row_cells, id="sessions")
            yield Static("", id="home-empty")
            with VerticalScroll(id="home-problems", classes="problems"):
                yield Static("", id="home-problem-lines")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        """Re-read the store's session list (cheap: the catalogue) and show it."""
        summaries, damaged = self.store.list_sessions()
        self.summaries = summaries
        table = self.query_one(SessionTable)
        selected = self.selected
        started = max((len(local_time(s.started_at)) for s in summaries), default=0)
        table.columns = tuple(
            (name, max(width, started) if name == "Started" else width) for name, width in COLUMNS
        )
        table.set_rows(summaries)
        if selected is not None and selected.id in {s.id for s in summaries}:
            table.cursor = [s.id for s in summaries].index(selected.id)
        count = len(summaries)
        self.query_one("#home-subtitle", Static).update(
            Content(printable(f"{counted(count, 'session')} in {self.store.data_dir}"))
        )
        empty = self.query_one("#home-empty", Static)
        empty.display = not summaries
        empty.update(Content("No sessions yet. Press n to start one."))
        table.display = bool(summaries)
        lines = [f"Damaged: {d.name}: {d.problem}. {d.advice}" for d in damaged]
        lines += [f"Scenario pack not loaded: {b.problems[0]}" for b in host(self).broken]
        problems = self.query_one("#home-problems", VerticalScroll)
        problems.display = bool(lines)
        problems.border_title = f"{counted(len(lines), 'problem')}" if len(lines) > 1 else None
        self.query_one("#home-problem-lines", Static).update(Content(printable("\n".join(lines))))
        if summaries:
            table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Delete, export and present are offered only when there is a session to act on."""
        if action in ("delete", "export", "present"):
            return bool(self.summaries)
        return True

    @property
    def selected(self) -> SessionSummary | None:
        """The session under the cursor."""
        cursor = self.query_one(SessionTable).cursor
        if not 0 <= cursor < len(self.summaries):
            return None
        return self.summaries[cursor]

    @on(SessionTable.Selected)
    def _row_selected(self) -> None:
        self.action_resume()

    @work
    async def action_new(self) -> None:
        scenarios = list(host(self).scenarios.values())
        if not scenarios:
            self.notify(
                "No scenario pack could be loaded: see the problems listed below.",
                severity="error",
                markup=False,
            )
            return
        form = await self.app.push_screen_wait(NewSessionDialog(scenarios))
        if form is None:
            return
        scenario = host(self).scenarios[form.scenario]
        try:
            session = self.store.create_session(
                scenario,
                form.title,
                form.facilitator,
                form.organisation,
                form.participants,
            )
        except WorkshopError as error:
            self.notify(str(error), title="Not started", severity="error", markup=False)
            return
        self._enter(session.id, read_only=False)

    @work
    async def action_resume(self) -> None:
        summary = self.selected
        if summary is None:
            return
        take_over = False
        while True:
            try:
                self.store.open_session(summary.id, take_over=take_over)
                break
            except SessionLocked as error:
                choices = [("read-only", "Open read-only")]
                if error.elsewhere:
                    choices.insert(0, ("take-over", "Take over"))
                choice = await self.app.push_screen_wait(ChoiceDialog(str(error), choices))
            except SaveFailed as error:  # the lock cannot be written: the disk, or the lock
                choice = await self.app.push_screen_wait(
                    ChoiceDialog(str(error), [("read-only", "Open read-only")])
                )
            except WorkshopError as error:
                self.notify(str(error), title="Cannot open", severity="error", markup=False)
                self.refresh_list()
                return
            if choice == "read-only":
                self._enter(summary.id, read_only=True)
            if choice != "take-over":
                return
            take_over = True
        self._enter(summary.id, read_only=False)

    def _enter(self, session_id: str, read_only: bool) -> None:
        from screens.session import SessionScreen

        try:
            screen = SessionScreen(session_id, read_only=read_only)
        except WorkshopError as error:
            self.store.close_session(session_id)
            self.notify(str(error), title="Cannot open", severity="error", markup=False)
            return
        self.app.push_screen(screen)

    def action_present(self) -> None:
        """Say how to open the room's view of the selected session in a second window."""
        from screens.console import PresentDialog, present_command

        summary = self.selected
        if summary is None:
            return
        scenario = host(self).scenarios.get(summary.scenario_id)
        command = present_command(self.store.data_dir, summary.id, scenario)
        self.app.push_screen(PresentDialog(command, summary.title))

    def action_export(self) -> None:
        """Open the export dialog on the selected session, as saved."""
        from screens.export_dialog import ExportDialog

        summary = self.selected
        if summary is None:
            return
        try:
            session = self.store.load_session(summary.id)
        except WorkshopError as error:
            self.notify(str(error), title="Cannot export", severity="error", markup=False)
            return
        self.app.push_screen(ExportDialog(session, host(self).scenarios.get(session.scenario_id)))

    @work
    async def action_delete(self) -> None:
        summary = self.selected
        if summary is None:
            return
        statements = counted(summary.statement_count, "statement")
        sure = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete the session '{summary.title}' ({statements})? "
                "This cannot be undone: export it first if anyone may want the transcript.",
                yes="Delete",
                no="Keep it",
                risky=True,
            )
        )
        if not sure:
            return
        try:
            self.store.delete_session(summary.id)
        except WorkshopError as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self.notify(f"Deleted '{summary.title}'.", markup=False)
        self.refresh_list()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New session", "Start a session of a scenario", self.action_new)
        if self.selected is not None:
            yield SystemCommand("Resume session", "Open the selected session", self.action_resume)
            yield SystemCommand(
                "Export transcript…", "x: the selected session to a file", self.action_export
            )
            yield SystemCommand(
                "Present on a second window…",
                "p: the command that opens the room's view of the selected session",
                self.action_present,
            )
            yield SystemCommand("Delete session", "Delete the selected session", self.action_delete)
