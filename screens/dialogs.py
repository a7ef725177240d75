"""Modal dialogs, each ending in `dismiss(value)`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from screens.widgets import LineInput
from workshop.limits import MAX_FIELD_CHARS, too_long
from workshop.model import Agreement, Scenario, Session, Tag
from workshop.scenario import default_scenario
from workshop.text import clean_line, clean_text


def parse_due(text: str) -> tuple[date | None, str | None]:
    """A due date written YYYY-MM-DD, or the sentence that says what is wrong with it."""
    shape = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if shape is None:
        return None, f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01."
    year, month, day = (int(part) for part in shape.groups())
    if not 1 <= month <= 12:
        return None, f"'{text}': there is no month {month} (months go from 01 to 12)."
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"'{text}': month {month:02} of {year} has no day {day}."


class ConfirmDialog(ModalScreen[bool]):
    """A question with two answers; Escape means no."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
    ]

    def __init__(
        self, message: str, yes: str = "Yes", no: str = "Cancel", risky: bool = False
    ) -> None:
        """`risky`: "yes" loses something, so "no" has the focus (Enter keeps)."""
        super().__init__()
        self.message = message
        self.yes = yes
        self.no = no
        self.risky = risky

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.message), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.risky else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceDialog(ModalScreen[str | None]):
    """A sentence and a row of answers, each a (value, label) pair; Escape means none."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, message: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.message), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for index, (value, label) in enumerate(self.choices):
                    yield Button(
                        label,
                        variant="primary" if index == 0 else "default",
                        id=f"choice-{value}",
                        name=value,
                    )
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.name)


@dataclass(frozen=True)
class AgreementForm:
    """What the agreement dialog gives back: the agreement as written."""

    text: str
    tag: str | None
    owner: str | None
    due: date | None


@dataclass(frozen=True)
class SessionForm:
    """What the new-session dialog gives back (the scenario, and the session's details)."""

    scenario: str
    title: str
    facilitator: str
    organisation: str
    participants: list[str]


class AgreementDialog(ModalScreen[AgreementForm | None]):
    """Add or edit an agreement: text, tag, owner, due date."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, tags: tuple[Tag, ...], agreement: Agreement | None = None, tag_title: str = "Tag"
    ) -> None:
        super().__init__()
        self.tags = tags
        self.agreement = agreement
        self.tag_title = tag_title

    def compose(self) -> ComposeResult:
        a = self.agreement
        with Vertical(classes="dialog wide"):
            yield Label("Edit agreement" if a else "New agreement", classes="dialog-title")
            yield Label("What will be done, or agreed")
            yield LineInput(
                a.text if a else "",
                id="text",
                placeholder="e.g. IT sends one person, rotating monthly",
            )
            yield Label(self.tag_title)
            options = [(f"{t.hotkey}  {t.label}", t.key) for t in self.tags]
            yield Select(
                options, value=a.tag if a and a.tag else Select.NULL, prompt="(none)", id="tag"
            )
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Label("Owner")
                    yield LineInput((a.owner or "") if a else "", id="owner", placeholder="who")
                with Vertical():
                    yield Label("Due (YYYY-MM-DD)")
                    yield LineInput(
                        a.due.isoformat() if a and a.due else "",
                        id="due",
                        placeholder="e.g. 2026-12-01",
                    )
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text", LineInput).focus()

    @on(LineInput.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = clean_text(self.query_one("#text", LineInput).value)
        due_text = self.query_one("#due", LineInput).value.strip()
        problem = None
        due = None
        if not text:
            problem = "Write what was agreed first."
        else:
            problem = too_long(text)
        if problem is None and due_text:
            due, problem = parse_due(due_text)
        if problem:
            self.query_one("#problem", Static).update(Content(problem))
            return
        if problem is None:
            problem = too_long(self.query_one("#owner", LineInput).value, MAX_FIELD_CHARS)
        if problem:
            self.query_one("#problem", Static).update(Content(problem))
            return
        tag = self.query_one("#tag", Select).value
        self.dismiss(
            AgreementForm(
                text=text,
                tag=tag if isinstance(tag, str) else None,
                owner=clean_line(self.query_one("#owner", LineInput).value) or None,
                due=due,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[str | None]):
    """One line of text, e.g. the evidence behind a rating."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield LineInput(self.value, placeholder=self.placeholder)
            yield Label("Enter to save, Escape to cancel", classes="hint")

    @on(LineInput.Submitted)
    def _save(self, event: LineInput.Submitted) -> None:
        self.dismiss(clean_text(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewSessionDialog(ModalScreen[SessionForm | None]):
    """The new-session form: scenario, title, facilitator, organisation, participants.

    Given a `session`, it edits that session's title and people instead (no scenario).
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, scenarios: list[Scenario], session: Session | None = None) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.session = session

    def compose(self) -> ComposeResult:
        options = [
            (f"{s.title}  ({s.language}, {len(s.steps)} steps, {s.minutes:g} min)", s.id)
            for s in self.scenarios
        ]
        s = self.session
        # Scrolls when the screen is short (80x24): the field with the focus is in view.
        with VerticalScroll(classes="dialog wide", id="new-session"):
            yield Label("Session details" if s else "New session", classes="dialog-title")
            if s is None:
                yield Label("Scenario")
                first = default_scenario(self.scenarios)
                value = first.id if first else Select.NULL
                yield Select(options, value=value, allow_blank=not options, id="scenario")
                yield Static("", id="scenario-summary", classes="hint")
            yield Label("Title")
            yield LineInput(
                s.title if s else "", id="title", placeholder="e.g. Acme CRM team, day 1"
            )
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Label("Facilitator")
                    yield LineInput(s.facilitator if s else "", id="facilitator")
                with Vertical():
                    yield Label("Organisation")
                    yield LineInput(s.organisation if s else "", id="organisation")
            yield Label("Participants (comma-separated)")
            yield LineInput(", ".join(s.participants) if s else "", id="participants")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save" if s else "Start", variant="primary", id="start")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", LineInput).focus()
        if self.session is None:
            self._describe()

    @on(Select.Changed, "#scenario")
    def _describe(self) -> None:
        value = self.query_one("#scenario", Select).value
        scenario = next((s for s in self.scenarios if s.id == value), None)
        self.query_one("#scenario-summary", Static).update(
            Content(scenario.summary if scenario else "")
        )

    @on(LineInput.Submitted)
    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        value = (
            self.session.scenario_id if self.session else self.query_one("#scenario", Select).value
        )
        if not isinstance(value, str):
            self.query_one("#problem", Static).update("Choose a scenario first.")
            return
        for field in ("title", "facilitator", "organisation"):
            problem = too_long(self.query_one(f"#{field}", LineInput).value, MAX_FIELD_CHARS)
            if problem:
                self.query_one("#problem", Static).update(Content(f"{field.title()}: {problem}"))
                return
        self.dismiss(
            SessionForm(
                scenario=value,
                title=self.query_one("#title", LineInput).value,
                facilitator=self.query_one("#facilitator", LineInput).value,
                organisation=self.query_one("#organisation", LineInput).value,
                participants=self.query_one("#participants", LineInput).value.split(","),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
