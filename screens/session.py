"""The session screen: header with timebox, agenda, the current step, notes, blanking."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Label, Markdown, Static

from screens.console import ConsoleBar, PresentDialog, present_command
from screens.editor import SessionEditor
from screens.host import host
from screens.messages import SessionChanged
from screens.steps import KINDS
from screens.steps.base import StepView
from screens.steps.brief import BriefView
from screens.widgets import KeyBar, let_go_of_removed_widgets, put
from workshop.errors import WorkshopError
from workshop.model import Scenario, Session, Step
from workshop.resume import check_resume, on_pack
from workshop.store import Store
from workshop.text import clock_text


class SessionHeader(Horizontal):
    """Title, "step n of m", and the step's timebox counting down."""

    def compose(self) -> ComposeResult:
        yield Label("", id="header-title")
        yield Label("", id="header-step")
        yield Label("", id="header-clock")

    def redraw(self, session: Session, step: Step, remaining: float, read_only: bool) -> None:
        """`read_only`: another window has the session; the header says so, in warning."""
        title = self.query_one("#header-title", Label)
        note = "  · read-only: open in another window" if read_only else ""
        put(title, Content(session.title + note))
        title.set_class(read_only, "-read-only")
        put(
            self.query_one("#header-step", Label),
            Content(f"Step {session.current_step + 1} of {len(session.steps)} · {step.title}"),
        )
        clock = self.query_one("#header-clock", Label)
        state = "left" if remaining >= 0 else "over"
        put(clock, Content(f"{clock_text(remaining)} {state}"))
        clock.set_class(remaining < 0, "-over")


class Agenda(Vertical):
    """The steps down the side: done, current, upcoming, with minutes spent."""

    def redraw(self, session: Session, scenario: Scenario, current_elapsed: float) -> None:
        labels = list(self.query(".agenda-item").results(Label))
        if len(labels) != len(session.steps):
            self.remove_children()
            labels = [Label("", classes="agenda-item") for _ in session.steps]
            self.mount(Label("Agenda", classes="agenda-title"), *labels)
        for index, (label, step) in enumerate(zip(labels, session.steps, strict=True)):
            timebox = scenario.steps[index].timebox if index < len(scenario.steps) else 0
            spent = current_elapsed if index == session.current_step else step.seconds_spent
            if index < session.current_step:
                mark, state = "✓", "-done"
            elif index == session.current_step:
                mark, state = "▶", "-current"
            else:
                mark, state = " ", "-upcoming"
            minutes = f"{spent / 60:.0f}/{timebox:g}" if spent >= 30 else f"{timebox:g}"
            put(label, Content(f"{mark}{minutes:>6}m  {step.title}"))
            for cls in ("-done", "-current", "-upcoming"):
                label.set_class(cls == state, cls)


class SessionScreen(Screen[None]):
    """One session, step by step. Keys here work in every step, also while typing."""

    CSS_PATH = ["steps.tcss", "console.tcss"]
    BINDINGS = [
        Binding(
            "pagedown",
            "next_step",
            "Next",
            id="next",
            priority=True,
            tooltip="Next step (presenter clicker)",
        ),
        Binding(
            "pageup",
            "previous_step",
            "Previous",
            id="previous",
            priority=True,
            tooltip="Previous step (presenter clicker)",
        ),
        Binding(
            "f2",
            "toggle_notes",
            "Notes",
            id="notes",
            priority=True,
            tooltip="Show or hide the facilitator notes",
        ),
        Binding(
            "f3",
            "reveal",
            "Reveal",
            id="reveal",
            priority=True,
            tooltip="Reveal or hide this step's example",
        ),
        Binding(
            "f6",
            "toggle_text",
            "Text",
            id="text",
            priority=True,
            tooltip="Show all of this step's text, or fold it to one line",
        ),
        Binding(
            "f4", "blank", "Blank", id="blank", priority=True, tooltip="Blank the screen and back"
        ),
        Binding("b,full_stop", "blank", "Blank", show=False),
        Binding(
            "f10",
            "home",
            "Home",
            id="home",
            priority=True,
            tooltip="Back to the list of sessions (everything is saved)",
        ),
    ]

    notes_visible: reactive[bool] = reactive(False)

    def __init__(self, session_id: str, read_only: bool = False) -> None:
        super().__init__()
        self.session_id = session_id
        self.read_only = read_only
        self._views: dict[int, StepView] = {}
        """The step views built so far, by step index (see `_show_step`)."""
        store = self.store
        self.session: Session = (
            store.load_session(session_id) if read_only else store.session(session_id)
        )
        self.editor = SessionEditor(store, session_id, read_only, self.notify)
        """Every change this console makes to the session goes through it."""
        scenario = host(self).scenarios.get(self.session.scenario_id)
        if scenario is None:
            raise WorkshopError(
                f"The scenario pack '{self.session.scenario_id}' of this session is not "
                "installed: add it to the packs folder or pass --content-dir."
            )
        problems = check_resume(self.session, scenario)
        if not problems:  # a newer version of its pack: the session takes its agenda
            self.session = (
                on_pack(self.session, scenario)
                if read_only
                else store.follow_pack(session_id, scenario)
            )
        if problems:
            raise WorkshopError(
                "This session cannot be resumed with the installed pack: "
                + " ".join(problems)
                + " Its transcript can still be exported."
            )
        self.scenario: Scenario = scenario

    @property
    def store(self) -> Store:
        return host(self).store

    @property
    def step(self) -> Step:
        return self.scenario.steps[self.session.current_step]

    def compose(self) -> ComposeResult:
        yield SessionHeader(id="header")
        yield ConsoleBar(id="console-bar")
        with Horizontal(id="body"):
            yield Agenda(id="agenda")
            yield Vertical(id="stage")
            with VerticalScroll(id="notes"):
                yield Label("Facilitator notes", classes="notes-title")
                yield Markdown("", id="notes-text")
        yield Static("", id="blank")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.query_one("#notes").display = False
        self.query_one("#blank").display = self.session.blank and not self.read_only
        self.sub_title = "read-only" if self.read_only else ""
        let_go_of_removed_widgets(self.app)  # what the last session screen and dialogs left
        await self._show_step()
        self.set_interval(1.0, self._tick)

    def on_unmount(self) -> None:
        if not self.read_only:
            self.store.close_session(self.session_id)

    def elapsed(self) -> float:
        if self.read_only:
            return self.session.steps[self.session.current_step].seconds_spent
        return self.store.step_elapsed(self.session_id)

    def _tick(self) -> None:
        elapsed = self.elapsed()
        self.query_one(SessionHeader).redraw(
            self.session, self.step, self.step.timebox * 60 - elapsed, self.read_only
        )
        self.query_one(Agenda).redraw(self.session, self.scenario, elapsed)
        self.query_one(ConsoleBar).tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F3 is offered only on a step with something to reveal, F6 on one whose text folds."""
        if action == "reveal":
            return bool(self.step.reveal)
        if action == "toggle_text":
            return KINDS[self.step.type].console.folds_text and bool(self.step.text)
        return True

    @property
    def view(self) -> StepView:
        """The view of the current step."""
        return self._views[self.session.current_step]

    async def _show_step(self) -> None:
        """Show the current step's view, drawn once with the view in place.

        A view is built on the first visit and kept, hidden, when the step is left; shown
        again, it catches up with the session. Building two 500-line lists anew made each
        PageDown cost several hundred milliseconds.
        """
        index = self.session.current_step
        with self.app.batch_update():
            for shown, other in self._views.items():
                if shown != index and other.display:
                    other.leave()
                    other.display = False
            view = self._views.get(index)
            if view is None:
                view = KINDS[self.step.type].console(
                    self.session, self.scenario, self.step, self.editor
                )
                self._views[index] = view
                await self.query_one("#stage", Vertical).mount(view)
            else:
                view.display = True
                view.resume()
            self.refresh_bindings()
            self._show_notes()
            self._tick()
        view.focus_default()

    @on(SessionChanged)
    def _session_changed(self) -> None:
        self._tick()

    async def go_to(self, index: int) -> None:
        """Move to step `index` (saved before it is shown)."""
        index = max(0, min(index, len(self.scenario.steps) - 1))
        if index == self.session.current_step:
            return
        if self.read_only:
            self.session.current_step = index
        elif self.editor.go_to_step(index) is None:
            return
        await self._show_step()

    async def action_next_step(self) -> None:
        if self.session.current_step == len(self.scenario.steps) - 1:
            if not self.read_only and self.session.status != "finished":
                if self.editor.finish() is not None:
                    export = (
                        "press x" if "x" in self.active_bindings else "ctrl+p → Export transcript…"
                    )
                    self.notify(
                        f"Workshop finished and saved. To export the transcript: {export}.",
                        markup=False,
                    )
                    self._tick()
            return
        await self.go_to(self.session.current_step + 1)

    async def action_previous_step(self) -> None:
        await self.go_to(self.session.current_step - 1)

    def action_toggle_notes(self) -> None:
        self.notes_visible = not self.notes_visible

    CROWDED_BELOW = 120
    """Narrower than this, open notes hide the agenda: the step keeps room to be read (the
    console bar still says what comes next)."""

    def watch_notes_visible(self, visible: bool) -> None:
        self.query_one("#notes").display = visible
        self._show_notes()
        self.on_resize()

    def on_resize(self) -> None:
        self.set_class(self.notes_visible and self.size.width < self.CROWDED_BELOW, "-crowded")

    def _show_notes(self) -> None:
        """Render the step's notes, only while they are shown (a Markdown is dozens of
        widgets: rendering hidden notes at every step change cost a third of it)."""
        notes = self.step.notes or "_No notes for this step._"
        markdown = self.query_one("#notes-text", Markdown)
        if self.notes_visible and markdown.source != notes:
            markdown.update(notes)

    async def action_reveal(self) -> None:
        if not self.step.reveal:
            self.notify("This step has nothing hidden to reveal.", markup=False)
            return
        revealed = self.step.key in self.session.revealed
        if self.read_only:
            if revealed:
                self.session.revealed.remove(self.step.key)
            else:
                self.session.revealed.append(self.step.key)
        elif self.editor.set_revealed(self.step.key, not revealed) is None:
            return
        view = self.view
        if isinstance(view, BriefView):
            view.revealed()

    def action_toggle_text(self) -> None:
        self.view.toggle_text()

    def action_blank(self) -> None:
        blank = self.query_one("#blank")
        presenting = self.query_one(ConsoleBar).presenting
        new = not (self.session.blank if presenting else blank.display)
        if not self.read_only:
            self.editor.set_blank(new)
        blank.display = new and not presenting  # presenting: the audience view goes black
        self._tick()

    @on(ConsoleBar.Presenting)
    def _presenting(self, event: ConsoleBar.Presenting) -> None:
        """An audience view opened (the room watches it) or closed (the room may see this)."""
        self.notes_visible = event.presenting
        self.query_one("#blank").display = self.session.blank and not event.presenting
        self.notify(
            "The audience view is open: your notes are shown here (F2 hides them)."
            if event.presenting
            else "The audience view closed: the room may see this window again; notes hidden.",
            markup=False,
        )

    def action_present(self) -> None:
        """Say how to open the audience view of this session in a second window."""
        command = present_command(self.store.data_dir, self.session_id, self.scenario)
        self.app.push_screen(PresentDialog(command, self.session.title))

    def action_home(self) -> None:
        """Back home; text still in a capture box goes to the recovery file, and is said."""
        kept = host(self).keep_unsaved_on(self)
        self.app.pop_screen()
        if kept is not None:
            where = kept.path if kept.path is not None else kept.problem
            self.app.notify(
                f"The text still in the box was not added to the session; it is kept in {where}.",
                title="Kept",
                timeout=12,
                markup=False,
            )

    def action_export(self) -> None:
        """Open the export dialog on the session as it is in memory (all that was saved)."""
        from screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.session, self.scenario))

    async def _jump(self, index: int) -> None:
        await self.go_to(index)

    @work
    async def action_details(self) -> None:
        """Edit the session's title, facilitator, organisation and participants."""
        from screens.dialogs import NewSessionDialog

        form = await self.app.push_screen_wait(NewSessionDialog([], self.session))
        if (
            form is not None
            and self.editor.update_details(
                form.title, form.facilitator, form.organisation, form.participants
            )
            is not None
        ):
            self._tick()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Session details…", "Title, facilitator, organisation, people", self.action_details
        )
        for index, step in enumerate(self.scenario.steps):
            yield SystemCommand(
                f"Go to step {index + 1}: {step.title}",
                f"{step.type}, {step.timebox:g} min",
                lambda index=index: self.run_worker(self._jump(index)),
            )
        yield SystemCommand(
            "Next step", "PageDown", lambda: self.run_worker(self.action_next_step())
        )
        yield SystemCommand(
            "Previous step", "PageUp", lambda: self.run_worker(self.action_previous_step())
        )
        yield SystemCommand(
            "Reveal / hide example", "F3", lambda: self.run_worker(self.action_reveal())
        )
        if KINDS[self.step.type].console.folds_text:
            yield SystemCommand("Step text: show all / fold", "F6", self.action_toggle_text)
        yield SystemCommand("Blank screen", "F4 (or b / .)", self.action_blank)
        yield SystemCommand("Facilitator notes", "F2: show or hide", self.action_toggle_notes)
        yield SystemCommand(
            "Present on a second window…",
            "The command that opens the room's view of this session",
            self.action_present,
        )
        yield SystemCommand(
            "Finish the workshop", "Mark the session finished", lambda: self.editor.finish()
        )
        yield SystemCommand(
            "Export transcript…", "Markdown, HTML or JSON, to a file", self.action_export
        )
        yield SystemCommand("Quit to home", "F10: the list of sessions", self.action_home)
