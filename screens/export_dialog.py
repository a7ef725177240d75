"""The export dialog: a session's transcript to a file, in the app.

It writes through `workshop.export`, the same code the `workshop export` command uses.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Static, Switch

from screens.dialogs import ConfirmDialog
from screens.widgets import LineInput
from workshop.anonymize import anonymized
from workshop.errors import ExportExists, WorkshopError
from workshop.export import FORMAT_NAMES, FORMATS, default_path, export_folder, render, write_export
from workshop.model import Scenario, Session

DEFAULT_FORMAT = "html"
"""The format offered first: the one participants open anywhere."""


def _shown(folder: Path) -> str:
    """`folder` as the facilitator would type it: `~/…` when under the home folder."""
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


class ExportDialog(ModalScreen[Path | None]):
    """Ask for a format, a file and whether to anonymize; write the transcript there.

    Dismisses with the path written, or None when cancelled. A file that exists is only
    replaced once the facilitator confirms; a failure is shown as a sentence and the
    dialog stays open.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, session: Session, scenario: Scenario | None = None, home: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        """The session to export, read as it is when Export is pressed."""
        self.scenario = scenario
        """Its pack when installed (tag definitions and roles in the readable formats)."""
        self.folder = export_folder(home)
        """Where the default file goes, and where a bare file name is written."""
        self.proposed = str(default_path(session, DEFAULT_FORMAT, self.folder))
        """The file name the dialog last proposed; one the facilitator typed is kept."""
        self._anonymous_title: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="export-dialog"):
            yield Label("Export the transcript", classes="dialog-title")
            yield Static(Content(self.session.title), id="export-session", classes="hint")
            with Horizontal(classes="export-row"):
                yield Label("Format", classes="export-label")
                with RadioSet(id="export-format"):
                    for fmt in FORMATS:
                        yield RadioButton(
                            FORMAT_NAMES[fmt], value=fmt == DEFAULT_FORMAT, id=f"format-{fmt}"
                        )
            with Horizontal(classes="export-row"):
                yield Label("File", classes="export-label")
                yield LineInput(self.proposed, id="path")
            yield Static(
                Content(f"A name without a folder goes to {_shown(self.folder)}"),
                classes="hint export-hint",
            )
            with Horizontal(classes="export-row"):
                yield Label("Anonymize", classes="export-label")
                yield Switch(False, id="anonymize")
                yield Label("names of people become Participant 1, 2 …", classes="export-note")
            if any(turn.private for turn in self.session.turns):
                with Horizontal(classes="export-row"):
                    yield Label("Private", classes="export-label")
                    yield Switch(False, id="include-private")
                    yield Label(
                        "include the thoughts marked private (off: left out)",
                        classes="export-note",
                    )
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", LineInput).focus()

    @property
    def format(self) -> str:
        """The chosen format."""
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.id.removeprefix("format-") if pressed and pressed.id else DEFAULT_FORMAT

    def target(self) -> Path | None:
        """The file named in the dialog; a bare name is put in the exports folder."""
        given = self.query_one("#path", LineInput).value.strip()
        if not given:
            return None
        path = Path(given).expanduser()
        return path if path.is_absolute() else self.folder / path

    def _propose(self) -> bool:
        """Put the default file for the chosen format and Anonymize in the file box,
        unless the facilitator typed another name; whether it did."""
        box = self.query_one("#path", LineInput)
        if box.value != self.proposed:
            return False
        anonymize = self.query_one("#anonymize", Switch).value
        self.proposed = str(default_path(self.session, self.format, self.folder, anonymize))
        box.value = self.proposed
        return True

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        if not self._propose():
            box = self.query_one("#path", LineInput)
            path = Path(box.value.strip())
            if path.suffix.lstrip(".") in FORMATS:
                box.value = str(path.with_suffix(f".{self.format}"))
        self._problem("")

    @on(Switch.Changed, "#anonymize")
    def _anonymize_changed(self) -> None:
        self._propose()
        self.query_one("#export-session", Static).update(Content(self._title()))

    def _title(self) -> str:
        """The session's title as this export will name it: without names when anonymized
        (the dialog is on the projector too)."""
        if not self.query_one("#anonymize", Switch).value:
            return self.session.title
        if self._anonymous_title is None:
            self._anonymous_title = anonymized(self.session).title
        return self._anonymous_title

    def _problem(self, text: str) -> None:
        self.query_one("#problem", Static).update(Content(text))

    @on(LineInput.Submitted)
    @on(Button.Pressed, "#export")
    @work(exclusive=True)
    async def action_export(self) -> None:
        """Write the transcript; ask before replacing a file; report where it went."""
        path = self.target()
        if path is None:
            self._problem("Give the name of the file to write the transcript to.")
            return
        text = render(
            self.session,
            self.format,
            anonymize=self.query_one("#anonymize", Switch).value,
            scenario=self.scenario,
            include_private=any(s.value for s in self.query("#include-private").results(Switch)),
        )
        try:
            written = write_export(path, text)
        except ExportExists:
            replace = await self.app.push_screen_wait(
                ConfirmDialog(
                    f"{path} already exists. Replace it with this transcript?",
                    yes="Replace it",
                    no="Keep it",
                    risky=True,
                )
            )
            if not replace:
                self._problem(f"Nothing was written: {path} is kept. Choose another name.")
                return
            try:
                written = write_export(path, text, force=True)
            except WorkshopError as error:
                self._problem(str(error))
                return
        except WorkshopError as error:
            self._problem(str(error))
            return
        self.app.notify(
            f"Wrote the transcript of '{self._title()}' to {written}.",
            title="Exported",
            markup=False,
            timeout=10,
        )
        self.dismiss(written)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
