"""The poll step: the room answers the pack's question by a show of hands (or gives its
dots to the actions it agreed) and the facilitator types the count of each option.

Keys: Up and Down choose an option. Digits type its count: the first digit after
choosing an option replaces the count, the next ones are added to it ("1", "2" is 12);
Backspace takes the last digit off. + and − add or take away one hand. Enter goes on to
the next option. ctrl+z undoes the last change (a typed number at once). Every change is
saved as it is made.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Label, ListItem, ListView, Static

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView
from screens.widgets import BarRows, Bars, put
from workshop.kinds.poll import MAX_COUNT, choices, ranked, total, unit
from workshop.model import KeyLabel, Scenario, Session, Step, StepTime
from workshop.text import counted

MINI_BAR = 16
"""Cells of the bar beside each option on the console."""

DIGITS = "0123456789"

KEYS_HINT = (
    "↑↓ choose · digits type the count · + or − one more or less · "
    "Backspace deletes a digit · Enter: next"
)


def step_time(session: Session, step: Step) -> StepTime:
    """The step as the session remembers it (a bare one for a step it does not list)."""
    found = next((s for s in session.steps if s.key == step.key), None)
    return found or StepTime(step.key, step.title, step.type, None, 0.0)


def poll_choices(session: Session, step: Step) -> list[KeyLabel]:
    """The poll's options in their order: its own, its taxonomy's tags, or the agreements
    of its source steps."""
    return choices(session, step_time(session, step), step.source)


def people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def total_line(session: Session, step: Step) -> tuple[Content, bool]:
    """What the console says under the options: the hands (or dots) counted, against
    the participants times their votes when the session lists its participants; and
    whether that is more than the room has."""
    used = total(session, step.key)
    noun = unit(step)
    present = len(session.participants)
    if not present:
        each = f" · {counted(step.dots, noun)} each" if noun == "dot" else ""
        return Content(f"Total: {counted(used, noun)}{each}"), False
    room = present * step.dots
    over = used > room
    text = (
        f"Total: {used} of {counted(room, noun)} ({people(present)} × {counted(step.dots, noun)})"
    )
    if over:
        text += ": more than the room has"
    return Content(text), over


def bar_cells(count: int, top: int, width: int) -> int:
    """How many of `width` cells a bar of `count` fills when `top` fills them all."""
    return round(width * count / top) if top else 0


class PollRow(ListItem):
    """One option on the console: its label, a short bar and its count."""

    def __init__(self, choice: KeyLabel) -> None:
        super().__init__(classes="poll-option")
        self.choice = choice
        self.count = Static("", classes="poll-count")
        """Its bar and count: drawn before the row is mounted, too."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="poll-row"):
            yield Label(Content(self.choice.label), classes="poll-label")
            yield self.count

    def show(self, count: int, top: int, typing: bool) -> None:
        filled = bar_cells(count, top, MINI_BAR)
        put(
            self.count,
            Content.assemble(
                (" " * filled, "on $primary"),
                " " * (MINI_BAR - filled),
                (f" {count:>3}", "bold reverse" if typing else "bold"),
            ),
        )


class PollView(StepView):
    """The question, the options with their counts, and the total; see the module for
    the keys."""

    folds_text = True

    BINDINGS = [Binding("ctrl+z", "undo", "Undo", id="undo")]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.choices = poll_choices(session, step)
        self.undo_stack: list[tuple[str, int]] = []
        """(option key, its count before) of this visit's changes, newest last."""
        self.typing: str | None = None
        """The option whose count is being typed: a digit is added to it, not a new one."""

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        yield Static(Content(self.step.prompt), id="poll-question")
        yield Static(Content(KEYS_HINT), classes="hint")
        yield Static("", classes="key-hint problem")
        yield Static("", id="poll-total")
        yield ListView(*(PollRow(choice) for choice in self.choices), id="poll-options")
        yield Static(Content(self._empty()), id="poll-empty", classes="hint")

    def _empty(self) -> str:
        titles = [s.title for s in self.session.steps if s.key in self.step.source]
        where = ", ".join(f"'{title}'" for title in titles) or "the agree step"
        return f"No agreements to vote on yet: make them in {where} first (PageUp)."

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        self.focus_list()

    def leave(self) -> None:
        super().leave()
        self.typing = None

    def resume(self) -> None:
        # A dot-vote's options are the agreements, which may have changed meanwhile.
        now = poll_choices(self.session, self.step)
        if now != self.choices:
            view = self.query_one(ListView)
            current = self._selected()
            self.choices = now
            view.clear()
            view.extend(PollRow(choice) for choice in now)
            keys = [choice.key for choice in now]
            view.index = keys.index(current.key) if current and current.key in keys else 0
        self.refresh_view()

    def refresh_view(self) -> None:
        counts = [self._count(choice.key) for choice in self.choices]
        top = max(counts, default=0)
        for row, count in zip(self.query(PollRow).results(), counts, strict=False):
            row.show(count, top, row.choice.key == self.typing)
        self.query_one("#poll-empty").display = not self.choices
        line, over = total_line(self.session, self.step)
        shown = self.query_one("#poll-total", Static)
        put(shown, line)
        shown.set_class(over, "-over")

    def _count(self, item: str) -> int:
        mark = self.session.mark(self.step.key, item)
        return mark.count if mark is not None else 0

    def _selected(self) -> KeyLabel | None:
        index = self.query_one(ListView).index
        return self.choices[index] if index is not None and index < len(self.choices) else None

    @on(ListView.Highlighted)
    def _highlighted(self) -> None:
        """Another option is chosen: the next digit starts a new number."""
        self.typing = None

    @on(ListView.Selected)
    def _clicked(self, event: ListView.Selected) -> None:
        """A click chooses the option (Enter is taken in `on_key`: on to the next one)."""
        event.stop()

    def on_key(self, event: events.Key) -> None:
        character = event.character or ""
        if event.key in ("up", "down", "home", "end"):
            self._end_number()
            self.clear_stray_key()
            return
        if event.key == "enter":
            self._handled(event)
            self._end_number()
            view = self.query_one(ListView)
            if view.index is not None and view.index + 1 < len(self.choices):
                view.index += 1
            return
        if len(character) == 1 and character in DIGITS:
            self._handled(event)
            self._digit(int(character))
        elif character in ("+", "-") or event.key in ("plus", "minus"):
            self._handled(event)
            self._add(1 if character == "+" or event.key == "plus" else -1)
        elif event.key == "backspace":
            self._handled(event)
            self._backspace()
        else:
            self.stray_key(event, "digits type the count, + and − add or take away one")

    def _handled(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.clear_stray_key()

    def _digit(self, digit: int) -> None:
        choice = self._selected()
        if choice is None:
            return
        count = self._count(choice.key)
        more = count * 10 + digit if self.typing == choice.key else digit
        if more > MAX_COUNT:
            self._say(f"A count is at most {MAX_COUNT}: Backspace deletes a digit.")
            return
        self._set(choice.key, more, new_number=self.typing != choice.key)

    def _backspace(self) -> None:
        choice = self._selected()
        if choice is not None:
            count = self._count(choice.key)
            self._set(choice.key, count // 10, new_number=self.typing != choice.key)

    def _add(self, step: int) -> None:
        choice = self._selected()
        if choice is None:
            return
        self._end_number()
        count = self._count(choice.key) + step
        if 0 <= count <= MAX_COUNT:
            self._set(choice.key, count, new_number=True)
            self._end_number()

    def _end_number(self) -> None:
        if self.typing is not None:
            self.typing = None
            self.refresh_view()

    def _say(self, problem: str) -> None:
        hint = self.query_one(".key-hint", Static)
        hint.update(Content(problem))
        hint.display = True

    def _set(self, item: str, count: int, new_number: bool) -> None:
        """Store `count` for option `item` (none: no mark), as a new undo step unless it
        goes on with the number being typed."""
        before = self._count(item)
        if count == before:
            self.typing = item
            self.refresh_view()
            return
        if self.changed(self.editor.set_mark(self.step.key, item, count > 0, count=count)) is None:
            return
        if new_number:
            self.undo_stack.append((item, before))
        self.typing = item
        self.refresh_view()

    def action_undo(self) -> None:
        self.typing = None
        if not self.undo_stack:
            self.refresh_view()
            return
        item, count = self.undo_stack[-1]
        saved = self.editor.set_mark(self.step.key, item, count > 0, count=count)
        if self.changed(saved) is not None:
            self.undo_stack.pop()
            keys = [choice.key for choice in self.choices]
            if item in keys:
                self.query_one(ListView).index = keys.index(item)
        self.refresh_view()


class Ranking(Bars):
    """The options as bars, in the order given (highest first): each label, wrapped, over
    its bar and count. A long agreement is read whole, never cut."""

    def redraw(self, rows: BarRows) -> None:
        if rows != self.rows:
            self.rows = [(label, list(series)) for label, series in rows]
            self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        width = max(width, 8)
        top = max(self.counts(), default=0)
        count_width = max(self.COUNT_WIDTH, len(str(top)) + 2)
        track = max(width - count_width, 1)
        out: list[Content] = []
        for index, (label, series) in enumerate(self.rows):
            if index:
                out.append(Content(""))
            out.extend(Content(label).stylize("bold").wrap(width))
            for _, count, css in series:
                filled = bar_cells(count, top, track)
                out.append(
                    Content.assemble(
                        (" " * filled, f"on ${css[1:]}"),
                        " " * (track - filled),
                        (f" {count}".ljust(count_width), "bold"),
                    )
                )
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))


def ranking_rows(session: Session, step: Step) -> BarRows:
    """The poll's options, highest first, as the room's bars."""
    return [
        (option.label, [("", option.count, "-primary")])
        for option in ranked(session, step_time(session, step), step.source)
    ]


class PollAudience(AudienceView):
    """The question, large, and the options ranked with their bars, live."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        yield Static(Content(self.step.prompt), id="aud-poll-question")
        if unit(self.step) == "dot":
            yield Static(Content(f"{counted(self.step.dots, 'dot')} each"), id="aud-poll-dots")
        with VerticalScroll(classes="aud-scroll"):
            yield Ranking(id="aud-poll-ranking")
            yield Static("No agreements to vote on yet.", id="aud-poll-empty")
        yield Static("", id="aud-poll-total")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        rows = ranking_rows(session, self.step)
        self.query_one(Ranking).redraw(rows)
        self.query_one("#aud-poll-empty").display = not rows
        used = counted(total(session, self.step.key), unit(self.step))
        put(self.query_one("#aud-poll-total", Static), Content(f"{used} in all"))
