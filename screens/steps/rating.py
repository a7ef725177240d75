"""The rating step: the room scores each item 0..scale, with a note of evidence."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, ListItem, ListView, Static

from screens.dialogs import NoteDialog
from screens.steps.base import AudienceView, StepView
from screens.widgets import (
    heat_content,
    put,
)
from workshop.limits import too_long
from workshop.model import Session


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
        self.focus_list()

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
        if (
            self.changed(self.editor.set_rating(self.step.key, self.step.items[index].key, score))
            is not None
        ):
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
        if self.changed(self.editor.set_rating(self.step.key, item, score, note)) is not None:
            self.refresh_view()


class RatingAudience(AudienceView):
    """Each item with its heat strip and the room's evidence."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with VerticalScroll(classes="aud-scroll"):
            for item in self.step.items:
                with Vertical(classes="aud-rating"):
                    with Horizontal(classes="aud-rating-row"):
                        yield Label(Content(item.label), classes="rating-label")
                        yield Static("", classes="heat")
                    if item.description:
                        yield Static(Content(item.description), classes="aud-rating-text")
                    yield Static("", classes="aud-rating-note")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        rows = self.query(".aud-rating").results(Vertical)
        for row, item in zip(rows, self.step.items, strict=False):
            rating = session.rating(self.step.key, item.key)
            score = rating.score if rating else None
            heat = row.query_one(".heat", Static)
            put(heat, heat_content(score, self.step.scale))
            for level in range(4):
                heat.set_class(score is not None and min(score, 3) == level, f"-level-{level}")
            note = row.query_one(".aud-rating-note", Static)
            note.display = bool(rating and rating.note)
            put(note, Content(f"Evidence: {rating.note}" if rating and rating.note else ""))
