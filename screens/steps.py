"""One view per step type: brief, capture, tag, rating, agree, summary."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Label, ListItem, ListView, Markdown, Static

from screens.dialogs import AgreementDialog, NoteDialog
from screens.widgets import (
    Bars,
    CaptureBox,
    Hanging,
    Legend,
    LineInput,
    StatementList,
    StepText,
    heat_content,
    side_class,
    side_label,
)
from workshop.limits import too_long
from workshop.model import Agreement, Scenario, Session, Statement, Step
from workshop.text import clean_text, counted

SPOTLIGHT_DELAY = 0.15
"""Seconds the keys rest before the room's view is pointed at what the console shows."""


class StepView(Vertical):
    """Base of the step views: knows the session, the scenario and the step."""

    folds_text = False
    """Whether the step's text is a StepText, folded to a line when space is short (F6)."""

    def __init__(self, session: Session, scenario: Scenario, step: Step, read_only: bool) -> None:
        super().__init__(classes=f"step-view step-{step.type}")
        self.session = session
        self.scenario = scenario
        self.step = step
        self.read_only = read_only
        self.undo_stack: list[Any] = []
        """What ctrl+z undoes, newest last: this visit's changes only (see `leave`)."""
        self._spotlight_timer: Timer | None = None

    def save(self, change: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        """Call a store method through the session screen (which reports failures)."""
        result = self.screen.save(change, *args, **kwargs)
        if result is not None:
            from screens.session import SessionChanged

            self.post_message(SessionChanged())
        return result

    def point_room(self, spotlight: str) -> None:
        """Point the room's view at `spotlight` (see Session.spotlight), saved once the
        keys rest for SPOTLIGHT_DELAY: key repeat through 40 lines writes the file once."""
        if self.read_only:
            return
        if self._spotlight_timer is not None:
            self._spotlight_timer.stop()
        self._spotlight_timer = self.set_timer(
            SPOTLIGHT_DELAY, lambda: self.screen.save("set_spotlight", spotlight)
        )

    def focus_default(self) -> None:
        """Focus what the facilitator uses first in this step."""

    def refresh_view(self) -> None:
        """Redraw after the session changed outside this view (e.g. a reveal)."""

    def leave(self) -> None:
        """The step is left: the view is hidden and kept. Drop what must not outlive the
        visit (the undo history, an edit in progress); typed text stays in its box."""
        self.undo_stack.clear()

    def resume(self) -> None:
        """The step is shown again: catch up with what changed in the session meanwhile."""
        self.refresh_view()

    def step_title(self) -> Label:
        return Label(Content(self.step.title), classes="step-title")

    def step_text(self) -> StepText:
        """The step's own text, folded to its heading when space is short (F6 opens it)."""
        return StepText(self.step.text, "F6 shows all")

    def on_resize(self) -> None:
        for text in self.query(StepText):
            text.fit(self.size)

    def toggle_text(self) -> None:
        """Open or fold the step's text (F6)."""
        for text in self.query(StepText):
            text.toggle()

    def stray_key(self, event: events.Key, keys: str) -> None:
        """Say which keys work when `event` is a printable key that does nothing here."""
        hints = self.query(".key-hint").results(Static)
        hint = next(hints, None)
        if hint is None:
            return
        if event.character and event.is_printable and event.key not in self.screen.active_bindings:
            hint.update(Content(f"'{event.character}' does nothing here: {keys}."))
            hint.display = True
        else:
            self.clear_stray_key()

    def clear_stray_key(self) -> None:
        for hint in self.query(".key-hint").results(Static):
            hint.display = False


class BriefView(StepView):
    """Projected text, and a hidden example revealed with F3."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="brief-scroll"):
            yield self.step_title()
            yield Markdown(self.step.text, classes="projected")
            if self.step.reveal:
                yield Static("", id="reveal-hint", classes="hint")
                yield Markdown(self.step.reveal, id="reveal", classes="reveal")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        if not self.step.reveal:
            return
        revealed = self.step.key in self.session.revealed
        self.query_one("#reveal").display = revealed
        self.query_one("#reveal-hint", Static).update(
            Content(
                "The example is shown (F3 hides it)."
                if revealed
                else "An example inner voice is hidden: F3 reveals it once the room has tried."
            )
        )

    def focus_default(self) -> None:
        self.query_one(VerticalScroll).focus()

    def revealed(self) -> None:
        """F3 was pressed: redraw, and scroll to the example when it was revealed."""
        self.refresh_view()
        reveal = self.query_one("#reveal")
        if reveal.display:
            scroll = self.query_one(VerticalScroll)

            def bring_into_view() -> None:
                # The scroll's height is known one refresh after the example's.
                scroll.call_after_refresh(scroll.scroll_to_widget, reveal, animate=False, top=True)

            self.call_after_refresh(bring_into_view)


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

    def __init__(self, session: Session, scenario: Scenario, step: Step, read_only: bool) -> None:
        super().__init__(session, scenario, step, read_only)
        self.side = step.sides[0]
        self.editing: Statement | None = None
        self.undo_stack: list[tuple[str, Statement]] = []

    def _of_step(self, side: str) -> list[Statement]:
        first_capture = next(s.key for s in self.scenario.steps if s.type == "capture")
        return [
            st
            for st in self.session.statements_of(side)
            if st.step == self.step.key or (st.step is None and self.step.key == first_capture)
        ]

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
            new = self.save("edit_statement", old.id, text, speaker)
            if new is None:
                box.give_back(event.text)
                return
            self.undo_stack.append(("edit", old))
            self._replace_item(new)
            self.editing = None
        else:
            statement = self.save("add_statement", self.side, text, speaker, step=self.step.key)
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
        self.column(statement.side).list.show(statement)

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
        removed = self.save("delete_statement", statement.id)
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
            done = self.save("delete_statement", statement.id)
            if done is not None:
                self._remove_item(statement)
        elif kind == "delete":
            done = self.save("restore_statement", statement)
            if done is not None:
                self._rebuild_column(statement.side)
        else:
            done = self.save("edit_statement", statement.id, statement.text, statement.speaker)
            if done is not None:
                self._replace_item(done)
        if done is not None:
            self.undo_stack.pop()

    def _rebuild_column(self, side: str) -> None:
        self.column(side).list.reset(self._of_step(side))

    def on_key(self, event) -> None:  # noqa: ANN001
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        statement = self._highlighted()
        if taxonomy is None or statement is None or not event.character:
            return
        tag = taxonomy.by_hotkey(event.character)
        if tag is not None:
            event.stop()
            new = self.save("toggle_tag", statement.id, tag.key)
            if new is not None:
                self._replace_item(new)


class TagView(StepView):
    """Walk the statements and toggle tags with their hotkeys; counts build up live."""

    folds_text = True

    BINDINGS = [Binding("ctrl+z", "undo", "Undo", id="undo")]

    def __init__(self, session: Session, scenario: Scenario, step: Step, read_only: bool) -> None:
        super().__init__(session, scenario, step, read_only)
        self.taxonomy = scenario.taxonomy(step.taxonomy)
        self.undo_stack: list[Statement] = []

    def _statements(self) -> list[Statement]:
        if not self.step.source:
            return list(self.session.statements)
        return [
            st
            for st in self.session.statements
            if st.step in self.step.source
            or (st.step is None and self.step.source[0] == self._first_capture())
        ]

    def _first_capture(self) -> str | None:
        return next((s.key for s in self.scenario.steps if s.type == "capture"), None)

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        with Horizontal(classes="tag-body"):
            with Vertical(classes="tag-list"):
                statements = self._statements()
                yield StatementList(self.session, statements, with_side=True, id="tag-statements")
                yield Static(
                    "No statements yet: go back to the capture step (PageUp).",
                    id="tag-empty",
                    classes="hint",
                )
            with VerticalScroll(classes="tag-side"):
                assert self.taxonomy is not None
                yield Legend(
                    [f"{t.hotkey} {t.label}" for t in self.taxonomy.tags], classes="legend"
                )
                yield Static("", id="tag-progress")
                yield Static("", classes="key-hint problem")
                yield Bars(id="tag-bars")

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        view = self.query_one(StatementList)
        view.focus()
        if view.option_count and view.highlighted is None:
            view.highlighted = 0

    def resume(self) -> None:
        view = self.query_one(StatementList)
        view.sync(self._statements())
        self.refresh_view()
        if view.current is not None:
            self.point_room(view.current.id)

    @on(StatementList.OptionHighlighted)
    def _highlighted(self, event: StatementList.OptionHighlighted) -> None:
        """The room's view highlights and scrolls to the statement being tagged."""
        self.point_room(event.option.id or "")

    def refresh_view(self) -> None:
        assert self.taxonomy is not None
        statements = self._statements()
        self.query_one("#tag-empty").display = not statements
        tagged = sum(
            1
            for st in statements
            if any(t in {tag.key for tag in self.taxonomy.tags} for t in st.tags)
        )
        # One line high (steps.tcss): a new count needs no layout of the screen.
        self.query_one("#tag-progress", Static).update(
            Content(f"{tagged} of {len(statements)} statements tagged"), layout=False
        )
        self.query_one(Bars).show(count_rows(self.session, self.taxonomy.key, self.scenario))

    def on_key(self, event: events.Key) -> None:
        if self.taxonomy is None:
            return
        tag = self.taxonomy.by_hotkey(event.character) if event.character else None
        view = self.query_one(StatementList)
        before = view.current
        if tag is None:
            tags = ", ".join(f"{t.hotkey} {t.label}" for t in self.taxonomy.tags)
            self.stray_key(event, f"tag keys are {tags}; Up and Down move")
            return
        self.clear_stray_key()
        if before is None:
            return
        event.stop()
        new = self.save("toggle_tag", before.id, tag.key)
        if new is not None:
            self.undo_stack.append(before)
            view.show(new)
            self.refresh_view()

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        before = self.undo_stack[-1]
        new = self.save("set_tags", before.id, before.tags)
        if new is not None:
            self.undo_stack.pop()
            self.query_one(StatementList).show(new)
            self.refresh_view()


def count_rows(session: Session, taxonomy_key: str, scenario: Scenario):  # noqa: ANN201
    """Bar rows for the tag counts of one taxonomy: per tag, one bar per side."""
    taxonomy = scenario.taxonomy(taxonomy_key)
    if taxonomy is None:
        return []
    counts = session.tag_counts([t.key for t in taxonomy.tags])
    return [
        (
            tag.label,
            [
                (side.label, counts[side.key][tag.key], side_class(session, side.key))
                for side in session.sides
            ],
        )
        for tag in taxonomy.tags
    ]


def agreement_text(agreement: Agreement, session: Session) -> Content:
    """An agreement's text, then its tag, owner and due date."""
    tags = {t.key: t.label for t in session.taxonomy}
    extra = []
    if agreement.tag:
        extra.append(f"#{tags.get(agreement.tag, agreement.tag)}")
    if agreement.owner:
        extra.append(f"owner: {agreement.owner}")
    if agreement.due:
        extra.append(f"due {agreement.due.isoformat()}")
    return Content.assemble(
        Content(agreement.text), ("   " + " · ".join(extra), "bold") if extra else ""
    )


def agreement_content(agreement: Agreement, session: Session) -> Content:
    """An agreement as a checklist line: ☐ text, tag, owner, due."""
    return Content.assemble("☐ ", agreement_text(agreement, session))


class AgreementItem(ListItem):
    """An agreement in the list."""

    def __init__(self, agreement: Agreement, session: Session) -> None:
        super().__init__()
        self.agreement = agreement
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(agreement_content(self.agreement, self.session))


class AgreeView(StepView):
    """Agreements and alternative procedures, each with tag, owner and due date."""

    folds_text = True

    BINDINGS = [
        Binding("a", "add", "Add", id="add-agreement"),
        Binding("e", "edit", "Edit", id="edit-agreement"),
        Binding("d,delete", "delete", "Delete", id="delete-agreement"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
    ]

    def __init__(self, session: Session, scenario: Scenario, step: Step, read_only: bool) -> None:
        super().__init__(session, scenario, step, read_only)
        self.undo_stack: list[tuple[str, Agreement]] = []
        taxonomy = scenario.taxonomy(step.taxonomy)
        self.tags = taxonomy.tags if taxonomy else ()

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        with Horizontal(classes="agree-body"):
            with Vertical(classes="agree-main"):
                yield ListView(
                    *(AgreementItem(a, self.session) for a in self.session.agreements),
                    id="agreements",
                )
                yield Static("", id="agree-hint", classes="hint")

    def on_mount(self) -> None:
        self.refresh_view()

    def resume(self) -> None:
        view = self.query_one(ListView)
        shown = [item.agreement for item in view.query(AgreementItem)]
        if shown != self.session.agreements:
            current = view.highlighted_child
            self._rebuild(current.agreement.id if isinstance(current, AgreementItem) else None)
        self.refresh_view()

    def refresh_view(self) -> None:
        agreements = counted(len(self.session.agreements), "agreement")
        self.query_one("#agree-hint", Static).update(
            Content(f"{agreements}. a adds, Enter or e edits, d deletes, ctrl+z undoes.")
        )

    def focus_default(self) -> None:
        view = self.query_one(ListView)
        view.focus()
        if view.children and view.index is None:
            view.index = 0

    def _rebuild(self, select: str | None = None) -> None:
        view = self.query_one(ListView)
        view.clear()
        view.extend(AgreementItem(a, self.session) for a in self.session.agreements)
        ids = [a.id for a in self.session.agreements]
        if select in ids:
            view.index = ids.index(select)
        self.refresh_view()

    def action_add(self) -> None:
        if not self.read_only:
            self.app.push_screen(AgreementDialog(self.tags), self._added)

    def _added(self, form: dict | None) -> None:
        if form is None:
            return
        agreement = self.save(
            "add_agreement",
            form["text"],
            form["tag"],
            form["owner"],
            form["due"],
            step=self.step.key,
        )
        if agreement is not None:
            self.undo_stack.append(("add", agreement))
            self._rebuild(agreement.id)

    @on(ListView.Selected)
    def action_edit(self) -> None:
        item = self.query_one(ListView).highlighted_child
        if not isinstance(item, AgreementItem) or self.read_only:
            return
        old = item.agreement
        self.app.push_screen(AgreementDialog(self.tags, old), lambda form: self._edited(old, form))

    def _edited(self, old: Agreement, form: dict | None) -> None:
        if form is None:
            return
        new = self.save(
            "edit_agreement", old.id, form["text"], form["tag"], form["owner"], form["due"]
        )
        if new is not None:
            self.undo_stack.append(("edit", old))
            self._rebuild(new.id)

    def action_delete(self) -> None:
        item = self.query_one(ListView).highlighted_child
        if not isinstance(item, AgreementItem):
            return
        removed = self.save("delete_agreement", item.agreement.id)
        if removed is not None:
            self.undo_stack.append(("delete", removed))
            self._rebuild()
            self.notify("Agreement deleted: ctrl+z brings it back.", markup=False)

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        kind, agreement = self.undo_stack[-1]
        if kind == "add":
            done = self.save("delete_agreement", agreement.id)
        elif kind == "delete":
            done = self.save("restore_agreement", agreement)
        else:
            done = self.save(
                "edit_agreement",
                agreement.id,
                agreement.text,
                agreement.tag,
                agreement.owner,
                agreement.due,
            )
        if done is not None:
            self.undo_stack.pop()
            self._rebuild(agreement.id)


class RatingItemView(ListItem):
    """One rated item: label, description, heat strip, note."""

    def __init__(self, label: str, description: str) -> None:
        super().__init__(classes="rating-item")
        self.label = label
        self.description = description

    def compose(self) -> ComposeResult:
        with Horizontal(classes="rating-row"):
            yield Label(Content(self.label), classes="rating-label")
            yield Static("", classes="heat")
        yield Static(Content(self.description), classes="rating-description")
        yield Static("", classes="rating-note")


class RatingView(StepView):
    """The room rates each item 0..scale with a note of evidence; a live heat strip."""

    folds_text = True

    BINDINGS = [Binding("n", "note", "Note", id="rating-note")]

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        yield Static(
            Content(f"Press 0–{self.step.scale} to rate the selected line, n to add the evidence."),
            classes="hint",
        )
        yield Static("", classes="key-hint problem")
        yield ListView(
            *(RatingItemView(i.label, i.description) for i in self.step.items), id="ratings"
        )

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        view = self.query_one(ListView)
        view.focus()
        if view.index is None:
            view.index = 0

    def refresh_view(self) -> None:
        items = list(self.query(RatingItemView))
        for row, item in zip(items, self.step.items, strict=True):
            rating = self.session.rating(self.step.key, item.key)
            score = rating.score if rating else None
            heat = row.query_one(".heat", Static)
            heat.update(heat_content(score, self.step.scale))
            for level in range(self.step.scale + 1):
                heat.set_class(score == level, f"-level-{min(level, 3)}")
            note = row.query_one(".rating-note", Static)
            note.update(Content(f"Evidence: {rating.note}") if rating and rating.note else "")
            note.display = bool(rating and rating.note)

    def _current(self) -> int | None:
        return self.query_one(ListView).index

    def on_key(self, event: events.Key) -> None:
        scores = "0123456789"[: self.step.scale + 1]
        if not event.character or event.character not in scores:
            self.stray_key(event, f"scores are 0–{self.step.scale}, n writes the evidence")
            return
        self.clear_stray_key()
        score = scores.index(event.character)
        index = self._current()
        if index is None:
            return
        event.stop()
        if self.save("set_rating", self.step.key, self.step.items[index].key, score) is not None:
            self.refresh_view()

    @on(ListView.Selected)
    def action_note(self) -> None:
        index = self._current()
        if index is None or self.read_only:
            return
        item = self.step.items[index]
        rating = self.session.rating(self.step.key, item.key)
        dialog = NoteDialog(
            f"Evidence for '{item.label}'",
            rating.note if rating else "",
            "what the room said that shows it",
        )
        self.app.push_screen(dialog, lambda note: self._noted(item.key, note))

    def _noted(self, item: str, note: str | None) -> None:
        if note is None:
            return
        problem = too_long(note)
        if problem:
            self.notify(problem, severity="warning", markup=False)
            return
        rating = self.session.rating(self.step.key, item)
        score = rating.score if rating else 0
        if self.save("set_rating", self.step.key, item, score, note) is not None:
            self.refresh_view()


class SummaryView(StepView):
    """The room's own data: counts, time per step, agreements, ratings."""

    BINDINGS = [
        Binding("x", "export", "Export", id="export", tooltip="Export the transcript to a file"),
        Binding(
            "tab",
            "part(1)",
            "Next part",
            id="next-part",
            tooltip="Bring the next part to the top, here and on the room's view",
        ),
        Binding("shift+tab", "part(-1)", "Previous part", id="previous-part", show=False),
    ]

    part = ""
    """The part brought to the top (Tab), "" for the top of the page."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Export is offered in the summary that closes the workshop, the last step."""
        if action == "export":
            return self.step.key == self.scenario.steps[-1].key
        return True

    def action_export(self) -> None:
        self.screen.action_export()

    def action_part(self, delta: int) -> None:
        """Bring the next (or previous) part to the top, and the room's view with it;
        past the last part, back to the top of the page."""
        stops = ["", *self.step.show]
        part = stops[(stops.index(self.part) + delta) % len(stops)]
        self._spotlight(part)
        self.point_room(part)

    def _spotlight(self, part: str) -> None:
        self.part = part
        self.query_one(SummaryParts).bring_up(part, self.query_one(VerticalScroll))

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="summary-scroll"):
            yield self.step_title()
            with SummaryBody(classes="summary-body"):
                if self.step.text:
                    yield Markdown(self.step.text, classes="projected summary-text")
                yield SummaryParts(self.step, self.scenario)

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        self.query_one(VerticalScroll).focus()

    def refresh_view(self) -> None:
        self.query_one(SummaryParts).show(self.session, self.screen.elapsed())

    def resume(self) -> None:
        self.refresh_view()
        self._spotlight("")  # the step starts at the top, on the room's view too


class SummaryBody(Horizontal):
    """A summary's text beside its parts; one above the other when narrower than
    `STACK_BELOW` (notes open while presenting), so the bars keep room for their counts."""

    STACK_BELOW = 90

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.STACK_BELOW, "-stacked")


class SummaryParts(Vertical):
    """What a summary step shows of the room's own data, in the pack's order: counts per
    side, time per step, agreements, ratings. Used by the console and the audience view."""

    def __init__(self, step: Step, scenario: Scenario) -> None:
        super().__init__(classes="summary-parts")
        self.step = step
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        for part in self.step.show:
            yield Label(PART_TITLES[part], classes=f"part-title part-{part}")
            if part == "counts":
                yield Bars()
            else:
                yield Hanging(PART_EMPTY.get(part, ""), classes=f"summary-{part}")

    def bring_up(self, part: str, scroll: VerticalScroll) -> None:
        """Mark the title of `part` as the one under discussion and scroll it to the top
        of `scroll` once the parts are drawn ("" or no such part: the top of the page)."""
        found = None
        for title in self.query(".part-title").results(Label):
            here = title.has_class(f"part-{part}")
            title.set_class(here, "-spotlight")
            found = title if here else found
        if found is None:
            scroll.scroll_home(animate=False)
        else:
            self.call_after_refresh(scroll.scroll_to_widget, found, animate=False, top=True)

    def show(self, session: Session, elapsed: float) -> None:
        """Fill the parts from `session`; `elapsed` is the time spent in the current step."""
        show = self.step.show
        if "counts" in show and self.step.taxonomy:
            self.query_one(Bars).show(count_rows(session, self.step.taxonomy, self.scenario))
        if "time" in show:
            rows = []
            for index, (time, step) in enumerate(
                zip(session.steps, self.scenario.steps, strict=False)
            ):
                spent = elapsed if index == session.current_step else time.seconds_spent
                minutes = f"{spent / 60:.1f} of {step.timebox:g} min"
                rows.append((Content(f"{index + 1:>2}. "), Content(f"{time.title} · {minutes}")))
            self.query_one(".summary-time", Hanging).show(rows)
        if "agreements" in show:
            self.query_one(".summary-agreements", Hanging).show(
                [(Content("☐ "), agreement_text(a, session)) for a in session.agreements]
            )
        if "ratings" in show:
            rows = []
            for step in self.scenario.steps:
                for item in step.items:
                    rating = session.rating(step.key, item.key)
                    heat = heat_content(rating.score if rating else None, step.scale)
                    rows.append((heat.pad_right(2), Content(item.label)))
            self.query_one(".summary-ratings", Hanging).show(rows)


PART_EMPTY = {"agreements": "No agreements yet.", "ratings": "Nothing rated."}
"""What a summary part says while it has nothing to show."""

PART_TITLES = {
    "counts": "The room's tags, per side",
    "time": "Time per step",
    "agreements": "Agreements",
    "ratings": "Resistance map",
}

STEP_VIEWS: dict[str, type[StepView]] = {
    "brief": BriefView,
    "capture": CaptureView,
    "tag": TagView,
    "rating": RatingView,
    "agree": AgreeView,
    "summary": SummaryView,
}
