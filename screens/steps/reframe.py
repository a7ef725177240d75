"""The reframe step: walk the lines of the dialogue or capture steps before it; for each,
the room proposes a better way to say it and the facilitator types it. The original
stays; the room sees the line under discussion before → after."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView
from screens.widgets import CaptureBox, lines, put, side_class, side_label
from workshop.kinds.reframe import Line, reframes, walked
from workshop.limits import too_long
from workshop.model import Mark, Scenario, Session, Step
from workshop.text import clean_text

LIST_KEYS = "n/p or ↑↓ move · Enter types · d removes · ctrl+z undoes"
"""What the keys do while the lines have them (not typing)."""

BOX_KEYS = "Enter saves the reframe · Esc goes back to the lines"
"""What the keys do while the box has them."""


def _side(session: Session, line: Line) -> tuple[str, str]:
    return side_label(session, line.side), f"bold ${side_class(session, line.side)[1:]}"


def progress(session: Session, step: Step, walk: list[Line]) -> Content:
    """ "3 of 8 reframed"."""
    return Content(f"{len(reframes(session, step.key, walk))} of {len(walk)} reframed")


def line_prompt(session: Session, line: Line, mark: Mark | None) -> Content:
    """A line in the console's list: ✓ when reframed, side, speaker: what was said → the
    reframe."""
    parts: list[Content | str | tuple[str, str]] = [
        ("✓ ", "bold $success") if mark else "  ",
        _side(session, line),
        "  ",
    ]
    if line.speaker:
        parts.append((f"{line.speaker}: ", "italic"))
    parts.append(Content(line.before))
    if mark is not None:
        parts += [("  → ", "bold $success"), Content(mark.value)]
    return Content.assemble(*parts)


def spotlit(session: Session, walk: list[Line]) -> Line | None:
    """The line the room's view shows: the one the console points at, else the first."""
    return next((line for line in walk if line.id == session.spotlight), walk[0] if walk else None)


class LineList(OptionList):
    """The lines the step walks, one option each (its id the line's)."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.lines: list[Line] = []
        self.shown: dict[str, Content] = {}

    def show(self, session: Session, step: str, walk: list[Line]) -> None:
        """Show `walk` with the reframes of `step`; only lines that changed are drawn again."""
        prompts = {
            line.id: line_prompt(session, line, session.mark(step, line.id)) for line in walk
        }
        if [line.id for line in walk] != [line.id for line in self.lines]:
            highlighted = self.current
            self.lines = list(walk)
            self.shown = prompts
            self.set_options(Option(prompts[line.id], id=line.id) for line in walk)
            if highlighted is not None and highlighted.id in prompts:
                self.highlighted = self.get_option_index(highlighted.id)
            return
        self.lines = list(walk)
        for index, line in enumerate(walk):
            prompt = prompts[line.id]
            if self.shown.get(line.id) != prompt:
                self.shown[line.id] = prompt
                self.replace_option_prompt_at_index(index, prompt)

    @property
    def current(self) -> Line | None:
        """The highlighted line."""
        index = self.highlighted
        return self.lines[index] if index is not None and index < len(self.lines) else None


class ReframeView(StepView):
    """The current line big, its reframe, a box to type one, and every line below."""

    folds_text = True

    BINDINGS = [
        Binding("n", "move(1)", "Next line", id="reframe-next"),
        Binding("p", "move(-1)", "Previous line", show=False),
        Binding("escape", "leave_box", "Lines", id="reframe-lines"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("d,delete,backspace", "remove", "Remove", show=False),
    ]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.undo_stack: list[tuple[str, str | None]] = []
        """(line id, its reframe before: None for none) of this visit's changes."""
        self.walk: list[Line] = walked(session, step)
        self.target: str | None = None
        """The line the box's text is for, while typing."""

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        yield Static("", id="reframe-current")
        with Horizontal(classes="reframe-bar"):
            yield Label("", id="reframe-target")
            yield CaptureBox(
                id="reframe-box",
                soft_wrap=True,
                show_line_numbers=False,
                placeholder=self.step.prompt or "A better way to say it",
            )
        yield Static("", id="reframe-problem", classes="problem")
        yield Static(Content(LIST_KEYS), id="reframe-keys", classes="hint")
        yield Static("", classes="key-hint problem")
        yield Static("", id="reframe-progress")
        yield LineList(id="reframe-list")
        yield Static(
            "No lines yet: the dialogue or capture steps before this one are empty (PageUp).",
            id="reframe-empty",
            classes="hint",
        )

    def on_mount(self) -> None:
        box = self.query_one(CaptureBox)
        if self.read_only:
            box.placeholder = "Read-only here: the session is open in another window"
            box.disabled = True
        view = self.query_one(LineList)
        view.show(self.session, self.step.key, self.walk)
        if self.walk:
            view.highlighted = 0
        self.refresh_view()

    def focus_default(self) -> None:
        self.query_one(LineList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = self.typing
        if action == "leave_box":
            return typing
        if action in ("move", "remove", "undo"):
            return not typing
        return True

    @property
    def typing(self) -> bool:
        """Whether the box has the keys."""
        return isinstance(self.app.focused, CaptureBox)

    @property
    def current(self) -> Line | None:
        return self.query_one(LineList).current

    def _line(self, line_id: str | None) -> Line | None:
        return next((line for line in self.walk if line.id == line_id), None)

    def refresh_view(self) -> None:
        """Redraw the list, the current line, the count and who has the keys."""
        self.walk = walked(self.session, self.step)
        view = self.query_one(LineList)
        view.show(self.session, self.step.key, self.walk)
        if self.walk and view.highlighted is None:
            view.highlighted = 0
        self.query_one("#reframe-empty").display = not self.walk
        view.display = bool(self.walk)
        put(
            self.query_one("#reframe-progress", Static),
            progress(self.session, self.step, self.walk),
        )
        self._show_current()

    def _show_current(self) -> None:
        typing = self.typing
        line = self._line(self.target) if typing else self.current
        current = self.query_one("#reframe-current", Static)
        current.display = line is not None
        if line is not None:
            put(current, self._current_content(line))
        number = self.walk.index(line) + 1 if line is not None else 0
        where = f"line {number} of {len(self.walk)}" if line is not None else "no line"
        self.query_one("#reframe-target", Label).update(Content(f"{where} ▸"))
        put(self.query_one("#reframe-keys", Static), Content(BOX_KEYS if typing else LIST_KEYS))
        self.query_one(CaptureBox).set_class(not typing, "-resting")
        self.screen.refresh_bindings()

    def _current_content(self, line: Line) -> Content:
        mark = self.session.mark(self.step.key, line.id)
        head: list[Content | str | tuple[str, str]] = [_side(self.session, line)]
        if line.speaker:
            head.append((f" · {line.speaker}", "italic"))
        parts: list[Content | str | tuple[str, str]] = [
            *head,
            "\n",
            Content(line.before).stylize("bold"),
        ]
        if line.turn and line.thought:
            if line.private:
                note = "private thought, never shown to the room"
            elif line.revealed:
                note = "thought, shown to the room in its dialogue"
            else:
                note = "thought, not shown to the room"
            parts += ["\n", (f"({note}) ", "italic"), Content(line.thought).stylize("italic")]
        if mark is not None:
            parts += ["\n", ("→ ", "bold $success"), Content(mark.value).stylize("bold $success")]
        else:
            waiting = "→ …" if self.typing else "→ not reframed yet: Enter types one"
            parts += ["\n", (waiting, "italic")]
        return Content.assemble(*parts)

    def on_descendant_focus(self) -> None:
        self._show_current()

    def resume(self) -> None:
        self.refresh_view()
        line = self.current
        if line is not None:
            self.point_room(line.id)

    def leave(self) -> None:
        super().leave()
        self.target = None

    @on(LineList.OptionHighlighted)
    def _highlighted(self, event: LineList.OptionHighlighted) -> None:
        """The room's view shows the line being discussed."""
        event.stop()
        self.clear_stray_key()
        self._show_current()
        self.point_room(event.option.id or "")

    def action_move(self, delta: int) -> None:
        view = self.query_one(LineList)
        if delta > 0:
            view.action_cursor_down()
        else:
            view.action_cursor_up()

    @on(LineList.OptionSelected)
    def _selected(self, event: LineList.OptionSelected) -> None:
        """Enter on a line: type its reframe (its reframe, if any, is put in the box)."""
        event.stop()
        line = self.current
        if line is None or self.read_only:
            return
        box = self.query_one(CaptureBox)
        mark = self.session.mark(self.step.key, line.id)
        if not box.text.strip():  # a draft typed before Esc stays
            box.text = mark.value if mark is not None else ""
        box.move_cursor(box.document.end)
        self.target = line.id
        box.focus()

    def _reframe_of(self, line_id: str | None) -> str:
        mark = self.session.mark(self.step.key, line_id) if line_id else None
        return mark.value if mark is not None else ""

    def action_leave_box(self) -> None:
        """Esc: the lines have the keys again. A reframe opened unchanged leaves the box;
        anything typed stays in it."""
        box = self.query_one(CaptureBox)
        if box.text == self._reframe_of(self.target):
            box.clear()
        self.target = None
        self.query_one(LineList).focus()

    def _problem(self, text: str) -> None:
        problem = self.query_one("#reframe-problem", Static)
        problem.update(Content(text))
        problem.display = bool(text)

    @on(CaptureBox.Submitted)
    def _submitted(self, event: CaptureBox.Submitted) -> None:
        event.stop()
        box = event.box
        text = clean_text(event.text)
        line = self._line(self.target) or self.current
        if not text or line is None:
            return
        problem = too_long(text)
        if problem:
            box.give_back(event.text)
            self._problem(problem)
            self.notify(problem, severity="warning", markup=False)
            return
        before = self.session.mark(self.step.key, line.id)
        saved = self.changed(self.editor.set_mark(self.step.key, line.id, True, text))
        if saved is None:
            box.give_back(event.text)
            return
        self.undo_stack.append((line.id, before.value if before is not None else None))
        self._problem("")
        self.target = None
        view = self.query_one(LineList)
        view.highlighted = self.walk.index(line)
        view.focus()
        self.refresh_view()

    @on(CaptureBox.SwitchSide)
    def _tab(self, event: CaptureBox.SwitchSide) -> None:
        event.stop()  # a reframe has no side to switch to

    def action_remove(self) -> None:
        line = self.current
        mark = self.session.mark(self.step.key, line.id) if line is not None else None
        if line is None or mark is None:
            return
        if self.changed(self.editor.set_mark(self.step.key, line.id, False)) is not None:
            self.undo_stack.append((line.id, mark.value))
            self.refresh_view()
            self.notify("Reframe removed: ctrl+z brings it back.", markup=False)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", markup=False)
            return
        item, value = self.undo_stack[-1]
        done = self.editor.set_mark(self.step.key, item, value is not None, value or "")
        if self.changed(done) is not None:
            self.undo_stack.pop()
            view = self.query_one(LineList)
            line = self._line(item)
            if line is not None:
                view.highlighted = self.walk.index(line)
            self.refresh_view()

    def on_key(self, event: events.Key) -> None:
        if not self.typing:
            self.stray_key(event, LIST_KEYS)


class ReframeAudience(AudienceView):
    """The line under discussion big, before → after, the count, and what is reframed."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="aud-prompt")
        yield Static("", id="aud-reframe-line")
        yield Static("", id="aud-reframe-progress")
        with VerticalScroll(classes="aud-scroll"):
            yield Label("Reframed so far", id="aud-reframe-done-title", classes="part-title")
            yield Static("", id="aud-reframe-done")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        walk = walked(session, self.step)
        line = spotlit(session, walk)
        if line is None:
            shown = Content("Nothing to reframe yet.")
        else:
            mark = session.mark(self.step.key, line.id)
            head: list[Content | str | tuple[str, str]] = [_side(session, line)]
            if line.speaker:
                head.append((f" · {line.speaker}", "italic"))
            after: list[Content | str | tuple[str, str]] = (
                [("→ ", "bold $success"), Content(mark.value).stylize("bold $success")]
                if mark is not None
                else [("→ …", "bold $foreground")]
            )
            shown = Content.assemble(
                *head, "\n\n", Content(line.before).stylize("bold"), "\n\n", *after
            )
        put(self.query_one("#aud-reframe-line", Static), shown)
        put(self.query_one("#aud-reframe-progress", Static), progress(session, self.step, walk))
        done = [
            Content.assemble(
                "• ", Content(before.before), ("  → ", "bold $success"), Content(mark.value)
            )
            for before, mark in reframes(session, self.step.key, walk)
            if line is None or before.id != line.id
        ]
        put(self.query_one("#aud-reframe-done", Static), lines(done, ""))
        self.query_one("#aud-reframe-done-title").display = bool(done)
