"""The capture step: the room's self-talk typed live, one column per side."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView, said
from screens.widgets import (
    CaptureBox,
    Legend,
    LineInput,
    StatementList,
    lines,
    put,
    side_class,
    side_label,
)
from workshop.limits import too_long
from workshop.model import Scenario, Session, Statement, Step
from workshop.text import clean_text


class SideColumn(Vertical):
    """One side's statements in a capture step."""

    def __init__(self, session: Session, side: str, statements: list[Statement]) -> None:
        super().__init__(classes=f"side-column {side_class(session, side)}")
        self.session = session
        self.side = side
        self.statements = statements

    def compose(self) -> ComposeResult:
        label = next(s for s in self.session.sides if s.key == self.side).label
        yield Label(Content(label), classes="side-title")
        yield StatementList(self.session, self.statements, classes="statements")

    @property
    def list(self) -> StatementList:
        return self.query_one(StatementList)


class CaptureView(StepView):
    """Two columns (one per side); type, Enter, the line appears under the current side."""

    folds_text = True

    BINDINGS = [
        Binding("tab", "switch_side", "Switch side", id="switch-side"),
        Binding("shift+tab", "speaker", "Speaker", id="speaker"),
        Binding("escape", "toggle_mode", "Select / type", id="select"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("delete,backspace,d", "delete", "Delete", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("left", "column(-1)", show=False),
        Binding("right", "column(1)", show=False),
    ]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.side = step.sides[0]
        self.editing: Statement | None = None
        self.undo_stack: list[tuple[str, Statement]] = []

    def _of_step(self, side: str) -> list[Statement]:
        return self.session.said_in([self.step.key], side)

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        with Horizontal(classes="columns"):
            for side in self.step.sides:
                yield SideColumn(self.session, side, self._of_step(side))
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="capture-prompt")
        with Horizontal(classes="capture-bar"):
            yield Label("", id="capture-side")
            yield LineInput(placeholder="speaker", id="speaker")
            yield CaptureBox(
                id="capture",
                soft_wrap=True,
                show_line_numbers=False,
                placeholder="Type what the room says, Enter adds",
            )
        yield Static("", id="capture-problem", classes="problem")
        yield Static(
            "Enter or e edits · d deletes · ctrl+z undoes · ←→ side · Esc types",
            id="list-keys",
            classes="hint",
        )
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        if taxonomy:
            yield Legend(
                [f"{t.hotkey} {t.label}" for t in taxonomy.tags]
                + ["(select a statement, press the number)"],
                classes="legend",
            )

    def on_mount(self) -> None:
        self._show_side()
        if self.read_only:
            box = self.query_one(CaptureBox)
            box.placeholder = "Read-only here: the session is open in another window"
            box.disabled = True

    def leave(self) -> None:
        super().leave()
        if self.editing is not None:
            self.editing = None
            self.query_one(CaptureBox).clear()

    def resume(self) -> None:
        for column in self.query(SideColumn):
            column.list.sync(self._of_step(column.side))
        self._show_side()

    def focus_default(self) -> None:
        if not self.read_only:
            self.query_one(CaptureBox).focus()

    def column(self, side: str) -> SideColumn:
        return next(c for c in self.query(SideColumn) if c.side == side)

    def _show_side(self) -> None:
        """Show the side and who has the keys: the box (adding, editing) or a list."""
        label = side_label(self.session, self.side)
        selecting = isinstance(self.app.focused, StatementList)
        mode = "selecting in" if selecting else "editing" if self.editing else "adding to"
        self.query_one("#capture-side", Label).update(Content(f"{mode} {label} ▸"))
        self.query_one("#list-keys").display = selecting
        self.query_one(CaptureBox).set_class(selecting, "-resting")
        for column in self.query(SideColumn):
            column.set_class(column.side == self.side, "-active")

    def on_descendant_focus(self) -> None:
        self._show_side()

    def _problem(self, text: str) -> None:
        self.query_one("#capture-problem", Static).update(Content(text))

    def action_switch_side(self) -> None:
        sides = self.step.sides
        self.side = sides[(sides.index(self.side) + 1) % len(sides)]
        self._show_side()
        if not isinstance(self.app.focused, CaptureBox | LineInput):
            self.column(self.side).list.focus()

    def action_speaker(self) -> None:
        speaker = self.query_one("#speaker", LineInput)
        if speaker.has_focus:
            self.query_one(CaptureBox).focus()
        else:
            speaker.focus()

    @on(LineInput.Submitted, "#speaker")
    def _speaker_done(self) -> None:
        self.query_one(CaptureBox).focus()

    def action_toggle_mode(self) -> None:
        if isinstance(self.app.focused, StatementList):
            self.query_one(CaptureBox).focus()
            return
        if self.editing:
            self.editing = None
            self.query_one(CaptureBox).clear()
            self._show_side()
            return
        self._focus_list()

    def _focus_list(self) -> None:
        """Give the keys to the current side's list, on its newest line."""
        target = self.column(self.side).list
        target.focus()
        if target.option_count:
            target.highlighted = target.option_count - 1

    def action_column(self, delta: int) -> None:
        if not isinstance(self.app.focused, StatementList):
            return
        sides = self.step.sides
        self.side = sides[(sides.index(self.side) + delta) % len(sides)]
        self._show_side()
        self._focus_list()

    def _highlighted(self) -> Statement | None:
        focused = self.app.focused
        return focused.current if isinstance(focused, StatementList) else None

    @on(CaptureBox.SwitchSide)
    def _switch_side(self) -> None:
        self.action_switch_side()

    @on(CaptureBox.Submitted)
    def _submitted(self, event: CaptureBox.Submitted) -> None:
        box = event.box
        text = clean_text(event.text)
        if not text:
            return
        problem = too_long(text)
        if problem:
            box.give_back(event.text)
            self._problem(problem)
            self.notify(problem, severity="warning", markup=False)
            return
        speaker = self.query_one("#speaker", LineInput).value
        if self.editing is not None:
            old = self.editing
            new = self.changed(self.editor.edit_statement(old.id, text, speaker))
            if new is None:
                box.give_back(event.text)
                return
            self.undo_stack.append(("edit", old))
            self._replace_item(new)
            self.editing = None
        else:
            statement = self.changed(
                self.editor.add_statement(self.side, text, speaker, step=self.step.key)
            )
            if statement is None:
                box.give_back(event.text)
                return
            self.undo_stack.append(("add", statement))
            self._append_item(statement)
        self._problem("")
        self._show_side()

    def _append_item(self, statement: Statement) -> None:
        self.column(statement.side).list.add(statement)

    def _replace_item(self, statement: Statement) -> None:
        self.column(statement.side).list.redraw(statement)

    def _remove_item(self, statement: Statement) -> None:
        self.column(statement.side).list.drop(statement.id)

    @on(StatementList.OptionSelected)
    def action_edit(self) -> None:
        statement = self._highlighted()
        if statement is None or self.read_only:
            return
        self.editing = statement
        self.side = statement.side
        box = self.query_one(CaptureBox)
        box.text = statement.text
        box.move_cursor(box.document.end)
        self.query_one("#speaker", LineInput).value = statement.speaker or ""
        box.focus()
        self._show_side()

    def action_delete(self) -> None:
        statement = self._highlighted()
        if statement is None:
            return
        removed = self.changed(self.editor.delete_statement(statement.id))
        if removed is None:
            return
        self.undo_stack.append(("delete", removed))
        self._remove_item(removed)
        self.notify("Statement deleted: ctrl+z brings it back.", markup=False)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", markup=False)
            return
        kind, statement = self.undo_stack[-1]
        if kind == "add":
            done = self.changed(self.editor.delete_statement(statement.id))
            if done is not None:
                self._remove_item(statement)
        elif kind == "delete":
            done = self.changed(self.editor.restore_statement(statement))
            if done is not None:
                self._rebuild_column(statement.side)
        else:
            done = self.changed(
                self.editor.edit_statement(statement.id, statement.text, statement.speaker)
            )
            if done is not None:
                self._replace_item(done)
        if done is not None:
            self.undo_stack.pop()

    def _rebuild_column(self, side: str) -> None:
        self.column(side).list.reset(self._of_step(side))

    def on_key(self, event: events.Key) -> None:
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        statement = self._highlighted()
        if taxonomy is None or statement is None or not event.character:
            return
        tag = taxonomy.by_hotkey(event.character)
        if tag is not None:
            event.stop()
            new = self.changed(self.editor.toggle_tag(statement.id, tag.key))
            if new is not None:
                self._replace_item(new)


class CaptureAudience(AudienceView):
    """One column per side; statements appear as they are captured."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="aud-prompt")
        with Horizontal(classes="aud-columns"):
            for side in self.step.sides:
                with Vertical(classes=f"aud-side {side_class(self.session, side)}"):
                    yield Label("", classes="aud-side-title")
                    with VerticalScroll(classes="aud-side-scroll"):
                        yield Static("", classes="aud-statements")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        columns = self.query(".aud-side").results(Vertical)
        for side, column in zip(self.step.sides, columns, strict=False):
            spoken = session.said_in([self.step.key], side)
            put(
                column.query_one(".aud-side-title", Label),
                Content(f"{side_label(session, side)} · {len(spoken)}"),
            )
            text = lines(
                [said(st, session) for st in spoken],
                "Nothing said yet.",
            )
            body = column.query_one(".aud-statements", Static)
            if put(body, text):
                column.query_one(".aud-side-scroll").scroll_end(animate=False, immediate=False)

    def on_resize(self) -> None:
        """The newest lines stay in view when the window changes size."""
        super().on_resize()
        for scroll in self.query(".aud-side-scroll"):
            scroll.call_after_refresh(scroll.scroll_end, animate=False)
