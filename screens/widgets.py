"""Reusable widgets. User text is always shown as `Content`, never parsed as markup."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, ListItem, Static, TextArea

from workshop.model import Session, Statement


def side_class(session: Session, side: str) -> str:
    """The CSS class colouring `side` (by its place in the session's sides)."""
    keys = [s.key for s in session.sides]
    return f"-side-{keys.index(side) % 4 if side in keys else 0}"


def side_label(session: Session, side: str) -> str:
    return next((s.label for s in session.sides if s.key == side), side)


def tag_labels(session: Session, tags: tuple[str, ...]) -> str:
    names = {t.key: t.label for t in session.taxonomy}
    return "  ".join(f"#{names.get(t, t)}" for t in tags)


def statement_content(statement: Statement, session: Session, with_side: bool = False) -> Content:
    """A statement as it is projected: [side] speaker: text  #tags."""
    parts: list[Content] = []
    if with_side:
        parts.append(Content.styled(f"{side_label(session, statement.side)}  ", "bold"))
    if statement.speaker:
        parts.append(Content.styled(f"{statement.speaker}: ", "italic"))
    parts.append(Content(statement.text))
    if statement.tags:
        parts.append(Content.styled(f"   {tag_labels(session, statement.tags)}", "bold"))
    return Content("").join(parts)


class StatementItem(ListItem):
    """A statement in a list."""

    def __init__(self, statement: Statement, session: Session, with_side: bool = False) -> None:
        super().__init__(classes=side_class(session, statement.side) if with_side else "")
        self.statement = statement
        self.session = session
        self.with_side = with_side

    def compose(self) -> ComposeResult:
        yield Static(statement_content(self.statement, self.session, self.with_side))

    def update(self, statement: Statement) -> None:
        """Show `statement` (after an edit or a tag)."""
        self.statement = statement
        self.query_one(Static).update(statement_content(statement, self.session, self.with_side))


class CaptureBox(TextArea):
    """Where the facilitator types: Enter submits, Tab switches side, pasted lines are kept.

    Both keys are handled here, in the order typed, so a fast typist's next words never
    land in the line just submitted or under the wrong side.
    """

    class Submitted(Message):
        """Enter was pressed; the box was emptied of `text`."""

        def __init__(self, box: CaptureBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

    class SwitchSide(Message):
        """Tab was pressed."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.post_message(self.SwitchSide())
            elif self.text.strip():
                text = self.text
                self.clear()
                self.post_message(self.Submitted(self, text))
            return
        await super()._on_key(event)

    def give_back(self, text: str) -> None:
        """Put `text` back in front of whatever was typed since (after a failed save)."""
        rest = self.text
        self.text = f"{text}\n{rest}" if rest.strip() else text
        self.move_cursor(self.document.end)


class Bars(Vertical):
    """Horizontal bars: one row per label, one bar per series, drawn from counts."""

    def __init__(self, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._key: tuple | None = None

    def show(self, rows: list[tuple[str, list[tuple[str, int, str]]]]) -> None:
        """`rows`: (label, [(series label, count, css class)]). Rebuilds only when changed."""
        key = tuple((label, tuple(series)) for label, series in rows)
        if key == self._key:
            return
        self._key = key
        top = max((n for _, series in rows for _, n, _ in series), default=0) or 1
        self.remove_children()
        groups = []
        for label, series in rows:
            lines = []
            for name, count, css in series:
                bar = Static("", classes=f"bar {css}")
                bar.styles.width = f"{count / top * 100:.0f}%"
                lines.append(
                    Horizontal(
                        Label(Content(name), classes="bar-series"),
                        Horizontal(bar, classes="bar-track"),
                        Label(Content(str(count)), classes="bar-count"),
                        classes="bar-line",
                    )
                )
            groups.append(
                Vertical(Label(Content(label), classes="bar-label"), *lines, classes="bar-group")
            )
        self.mount_all(groups)


def heat_content(score: int | None, scale: int) -> Content:
    """A rating as a strip of cells: filled up to `score`, '–' when not rated yet."""
    if score is None:
        return Content("  –  not rated")
    return Content.assemble(
        ("█" * 3 * score, "bold"), "░" * 3 * (scale - score), f"  {score}/{scale}"
    )


class LineInput(Input):
    """An Input that keeps a multi-line paste, joined into one line, instead of its first line."""

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            line = " ".join(part.strip() for part in event.text.splitlines() if part.strip())
            if self.selection.is_empty:
                self.insert_text_at_cursor(line)
            else:
                self.replace(line, *self.selection)
        event.stop()
