"""The agree step: what the room commits to, with owners and due dates."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, ListItem, ListView, Static

from screens.dialogs import AgreementDialog, AgreementForm
from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView, agreement_content
from screens.widgets import (
    lines,
    put,
)
from workshop.model import Agreement, Scenario, Session, Step
from workshop.text import counted


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

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.undo_stack: list[tuple[str, Agreement]] = []
        taxonomy = scenario.taxonomy(step.taxonomy)
        self.tags = taxonomy.tags if taxonomy else ()
        self.tag_title = taxonomy.title if taxonomy else "Tag"
        """What the agreement dialog calls the tag: the pack's taxonomy title."""

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
        self.focus_list()

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
            self.app.push_screen(AgreementDialog(self.tags, tag_title=self.tag_title), self._added)

    def _added(self, form: AgreementForm | None) -> None:
        if form is None:
            return
        agreement = self.changed(
            self.editor.add_agreement(form.text, form.tag, form.owner, form.due, step=self.step.key)
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
        dialog = AgreementDialog(self.tags, old, self.tag_title)
        self.app.push_screen(dialog, lambda form: self._edited(old, form))

    def _edited(self, old: Agreement, form: AgreementForm | None) -> None:
        if form is None:
            return
        new = self.changed(
            self.editor.edit_agreement(old.id, form.text, form.tag, form.owner, form.due)
        )
        if new is not None:
            self.undo_stack.append(("edit", old))
            self._rebuild(new.id)

    def action_delete(self) -> None:
        item = self.query_one(ListView).highlighted_child
        if not isinstance(item, AgreementItem):
            return
        removed = self.changed(self.editor.delete_agreement(item.agreement.id))
        if removed is not None:
            self.undo_stack.append(("delete", removed))
            self._rebuild()
            self.notify("Agreement deleted: ctrl+z brings it back.", markup=False)

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        kind, agreement = self.undo_stack[-1]
        if kind == "add":
            done = self.changed(self.editor.delete_agreement(agreement.id))
        elif kind == "delete":
            done = self.changed(self.editor.restore_agreement(agreement))
        else:
            done = self.changed(
                self.editor.edit_agreement(
                    agreement.id, agreement.text, agreement.tag, agreement.owner, agreement.due
                )
            )
        if done is not None:
            self.undo_stack.pop()
            self._rebuild(agreement.id)


class AgreeAudience(AudienceView):
    """The step's text and the agreements as they are written."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with VerticalScroll(classes="aud-scroll"):
            yield Label("Agreements", classes="part-title")
            yield Static("", id="aud-agreements")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        put(
            self.query_one("#aud-agreements", Static),
            lines([agreement_content(a, session) for a in session.agreements], "None yet."),
        )
