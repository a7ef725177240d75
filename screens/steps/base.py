"""What every step kind builds on: the console's StepView, the room's AudienceView, and
what several kinds show (statements, agreements, counts)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Label, ListView, Static

from screens.editor import SessionEditor
from screens.messages import SessionChanged
from screens.widgets import (
    BarRows,
    StepText,
    side_class,
    tag_labels,
)
from workshop.model import Agreement, Scenario, Session, Statement, Step
from workshop.report import agreement_details, agreement_entry

T = TypeVar("T")

SPOTLIGHT_DELAY = 0.15
"""Seconds the keys rest before the room's view is pointed at what the console shows."""


class StepView(Vertical):
    """Base of the step views: knows the session, the scenario and the step."""

    folds_text = False
    """Whether the step's text is a StepText, folded to a line when space is short (F6)."""

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(classes=f"step-view step-{step.type}")
        self.session = session
        self.scenario = scenario
        self.step = step
        self.editor = editor
        self.read_only = editor.read_only
        self.undo_stack: list[Any] = []
        """What ctrl+z undoes, newest last: this visit's changes only (see `leave`)."""
        self._spotlight_timer: Timer | None = None

    def changed(self, saved: T | None) -> T | None:
        """`saved` (what an editor change returned), telling the session screen when the
        session changed (the agenda and header may need a redraw)."""
        if saved is not None:
            self.post_message(SessionChanged())
        return saved

    def point_room(self, spotlight: str) -> None:
        """Point the room's view at `spotlight` (see Session.spotlight), saved once the
        keys rest for SPOTLIGHT_DELAY: key repeat through 40 lines writes the file once."""
        if self.read_only:
            return
        if self._spotlight_timer is not None:
            self._spotlight_timer.stop()
        self._spotlight_timer = self.set_timer(
            SPOTLIGHT_DELAY, lambda: self.editor.set_spotlight(spotlight)
        )

    def focus_default(self) -> None:
        """Focus what the facilitator uses first in this step."""

    def focus_list(self) -> None:
        """Focus the step's list, its first row highlighted when none is."""
        view = self.query_one(ListView)
        view.focus()
        if view.children and view.index is None:
            view.index = 0

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


def said(statement: Statement, session: Session) -> Content:
    """A statement as the room reads it in its side's column: speaker, text; tags below."""
    parts: list[Content | str | tuple[str, str]] = ["• "]
    if statement.speaker:
        parts.append((f"{statement.speaker}: ", "italic"))
    parts.append(Content(statement.text))
    if statement.tags:
        parts.append(("\n  " + tag_labels(session, statement.tags), "bold"))
    return Content.assemble(*parts)


def count_rows(session: Session, taxonomy_key: str, scenario: Scenario) -> BarRows:
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


def agreement_text(agreement: Agreement, session: Session, dots: int | None = None) -> Content:
    """An agreement's text, then its owner, due date, #tag and `dots` when given
    (`report.agreement_details`)."""
    entry = replace(agreement_entry(agreement, session), dots=dots)
    extra = [
        f"#{d.text}" if d.kind == "tag" else d.label + d.text for d in agreement_details(entry)
    ]
    return Content.assemble(
        Content(agreement.text), ("   " + " · ".join(extra), "bold") if extra else ""
    )


def agreement_content(agreement: Agreement, session: Session) -> Content:
    """An agreement as a checklist line: ☐ text, owner, due, tag."""
    return Content.assemble("☐ ", agreement_text(agreement, session))


class AudienceView(Vertical):
    """Base of the audience's step views: built for one step, refreshed from each read."""

    def __init__(self, session: Session, scenario: Scenario, step: Step) -> None:
        super().__init__(classes=f"aud-view aud-{step.type}")
        self.session = session
        self.scenario = scenario
        self.step = step

    def on_mount(self) -> None:
        self.redraw(self.session, 0.0)

    def on_resize(self) -> None:
        for text in self.query(StepText):
            text.fit(self.size)

    def step_text(self) -> ComposeResult:
        """The step's own text, folded to its heading when space is short."""
        if self.step.text:
            yield StepText(self.step.text, "…")

    @property
    def live(self) -> bool:
        """Whether the view shows the step's running time, so is redrawn on every poll."""
        return False

    def redraw(self, session: Session, elapsed: float) -> None:
        """Show `session` as read; `elapsed` is the time spent in the current step."""
        self.session = session
