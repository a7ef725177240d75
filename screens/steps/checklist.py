"""The checklist step: the facilitator ticks off the pack's items in front of the room."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, ListItem, ListView, Static

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView
from screens.widgets import put
from workshop.kinds.checklist import ticked
from workshop.model import KeyLabel, Scenario, Session, Step

NUMBERED = 9
"""Items ticked with a digit key (1–9); any item is ticked with the arrows and Space."""


def checklist_items(session: Session, step: Step) -> tuple[KeyLabel, ...]:
    """The step's items as the session remembers them (the pack's, for a session whose
    file predates them)."""
    remembered = next((s.items for s in session.steps if s.key == step.key), ())
    return remembered or tuple(KeyLabel(item.key, item.label) for item in step.items)


def item_line(number: int, label: str, done: bool) -> Content:
    """One item as both screens show it: box, number (1–9), label."""
    box = ("☑ ", "bold $success") if done else ("☐ ", "")
    digit = f"{number} " if number <= NUMBERED else "  "
    text = Content(label)
    return Content.assemble(box, (digit, "dim"), text.stylize("bold") if done else text)


def progress(session: Session, step: Step, total: int) -> Content:
    """ "2 of 5 ticked"."""
    return Content(f"{ticked(session, step.key)} of {total} ticked")


class ChecklistItem(ListItem):
    """One item of the checklist, with its description from the pack."""

    def __init__(self, description: str) -> None:
        super().__init__(classes="checklist-item")
        self.description = description

    def compose(self) -> ComposeResult:
        yield Static("", classes="checklist-line")
        if self.description:
            yield Static(Content(self.description), classes="checklist-description")


class ChecklistView(StepView):
    """The items with their boxes: a digit or Space ticks one, ctrl+z takes it back."""

    folds_text = True

    BINDINGS = [
        Binding("space", "tick", "Tick", id="checklist-tick"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
    ]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.items = checklist_items(session, step)
        self.undo_stack: list[tuple[str, bool]] = []
        """(item key, whether it was ticked before) of this visit's ticks."""

    @property
    def digits(self) -> str:
        """The digit keys that tick an item: "1–3"."""
        last = min(len(self.items), NUMBERED)
        return f"1–{last}" if last > 1 else "1"

    def compose(self) -> ComposeResult:
        descriptions = {item.key: item.description for item in self.step.items}
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="checklist-prompt")
        yield Static(
            Content(f"{self.digits} or Space ticks an item (again: unticks) · ctrl+z undoes."),
            classes="hint",
        )
        yield Static("", classes="key-hint problem")
        yield Static("", id="checklist-progress")
        yield ListView(
            *(ChecklistItem(descriptions.get(item.key, "")) for item in self.items),
            id="checklist",
        )

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        self.focus_list()

    def refresh_view(self) -> None:
        rows = self.query(ChecklistItem).results()
        for number, (row, item) in enumerate(zip(rows, self.items, strict=True), start=1):
            done = self.session.mark(self.step.key, item.key) is not None
            row.set_class(done, "-ticked")
            put(row.query_one(".checklist-line", Static), item_line(number, item.label, done))
        put(
            self.query_one("#checklist-progress", Static),
            progress(self.session, self.step, len(self.items)),
        )

    def on_key(self, event: events.Key) -> None:
        character = event.character or ""
        if character.isdigit() and character in "123456789"[: len(self.items)]:
            event.stop()
            self.clear_stray_key()
            self.query_one(ListView).index = int(character) - 1
            self._toggle(int(character) - 1)
        elif event.key != "space":
            self.stray_key(event, f"{self.digits} or Space ticks an item")

    def action_tick(self) -> None:
        index = self.query_one(ListView).index
        if index is not None:
            self._toggle(index)

    @on(ListView.Selected)
    def _selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_tick()

    def _toggle(self, index: int) -> None:
        item = self.items[index].key
        was = self.session.mark(self.step.key, item) is not None
        if self.changed(self.editor.set_mark(self.step.key, item, not was)) is not None:
            self.undo_stack.append((item, was))
            self.refresh_view()

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        item, was = self.undo_stack[-1]
        if self.changed(self.editor.set_mark(self.step.key, item, was)) is not None:
            self.undo_stack.pop()
            self.refresh_view()


class ChecklistAudience(AudienceView):
    """The items, ticked as the facilitator ticks them, and how many are done."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        if self.step.prompt:
            yield Label(Content(self.step.prompt), classes="part-title")
        yield Static("", id="aud-checklist-progress")
        with VerticalScroll(classes="aud-scroll"):
            yield Static("", id="aud-checklist")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        items = checklist_items(session, self.step)
        lines = [
            item_line(n, item.label, session.mark(self.step.key, item.key) is not None)
            for n, item in enumerate(items, start=1)
        ]
        put(self.query_one("#aud-checklist", Static), Content("\n").join(lines))
        put(
            self.query_one("#aud-checklist-progress", Static),
            progress(session, self.step, len(items)),
        )
