"""The tag step: each statement tagged with the gap it reveals, in front of the room."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView, count_rows
from screens.widgets import (
    Bars,
    Legend,
    StatementList,
    put,
)
from workshop.model import Scenario, Session, Statement, Step


def tagged_statements(session: Session, step: Step) -> list[Statement]:
    """The statements a tag step walks: those of its source capture steps, else all."""
    return session.said_in(step.source) if step.source else list(session.statements)


class TagView(StepView):
    """Walk the statements and toggle tags with their hotkeys; counts build up live."""

    folds_text = True

    BINDINGS = [Binding("ctrl+z", "undo", "Undo", id="undo")]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.taxonomy = scenario.taxonomy(step.taxonomy)
        self.undo_stack: list[Statement] = []

    def _statements(self) -> list[Statement]:
        return tagged_statements(self.session, self.step)

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
        self.query_one(Bars).redraw(count_rows(self.session, self.taxonomy.key, self.scenario))

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
        new = self.changed(self.editor.toggle_tag(before.id, tag.key))
        if new is not None:
            self.undo_stack.append(before)
            view.redraw(new)
            self.refresh_view()

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        before = self.undo_stack[-1]
        new = self.changed(self.editor.set_tags(before.id, before.tags))
        if new is not None:
            self.undo_stack.pop()
            self.query_one(StatementList).redraw(new)
            self.refresh_view()


class TagAudience(AudienceView):
    """The statements with their tags, and the counts building up per side."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with Horizontal(classes="aud-tag-body"):
            statements = StatementList(
                self.session, [], with_side=True, id="aud-tagged", classes="aud-tag-list"
            )
            statements.can_focus = False
            yield statements
            with VerticalScroll(classes="aud-tag-side"):
                yield Static("", id="aud-tag-progress")
                yield Bars(id="aud-tag-bars")

    def _statements(self, session: Session) -> list[Statement]:
        return tagged_statements(session, self.step)

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        keys = {t.key for t in taxonomy.tags} if taxonomy else set()
        statements = self._statements(session)
        tagged = sum(1 for st in statements if keys & set(st.tags))
        shown = self.query_one("#aud-tagged", StatementList)
        shown.session = session
        shown.sync(statements)
        shown.mark(session.spotlight or None)  # the statement under discussion, as a bar
        put(
            self.query_one("#aud-tag-progress", Static),
            Content(f"{tagged} of {len(statements)} statements tagged"),
        )
        if taxonomy is not None:
            self.query_one(Bars).redraw(count_rows(session, taxonomy.key, self.scenario))
