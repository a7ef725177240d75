"""The dialogue step: a role-played conversation typed live, turn by turn; each turn is
what a side said and, beside it, what the speaker thought but did not say. The room sees
what was said, and a thought only once the facilitator reveals it (never a private one).

Typing: Enter saves what was said as a new turn of the current side; ctrl+t opens the
thought of that turn (saving what was typed first) and Enter saves the thought; Tab
switches side; shift+tab names the speaker; Esc selects a turn (e edits what was said,
t its thought, p makes the thought private, r reveals it, R or ctrl+r reveals them all,
digits tag it, d deletes it, ctrl+z undoes)."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static

from screens.editor import SessionEditor
from screens.steps.base import AudienceView, StepView
from screens.widgets import (
    CaptureBox,
    KeyedList,
    Legend,
    LineInput,
    put,
    side_class,
    side_label,
    tag_labels,
)
from workshop.limits import too_long
from workshop.model import Scenario, Session, Step, Turn
from workshop.text import clean_text

GAP = " │ "
"""Between the said and the thought columns."""

LIST_KEYS = (
    "e edits what was said · t the thought · p private · r reveals · R reveals all · "
    "d deletes · ctrl+z undoes · Esc types"
)
"""What the keys do while a turn is selected."""

SAY = "What is said · Enter adds the turn · ctrl+t the thought"
THINK = "What they thought but did not say · Enter keeps it · Esc drops it"


class TwoColumns(Visual):
    """Two texts side by side, each wrapped in half the width: one row of the dialogue."""

    def __init__(self, left: Content, right: Content) -> None:
        self.left = left
        self.right = right
        self._lines: tuple[int, list[Content]] = (-1, [])

    def lines(self, width: int) -> list[Content]:
        """The row's lines at `width` cells (cached for the last width asked)."""
        if self._lines[0] == width:
            return self._lines[1]
        inner = max(width - len(GAP), 2)
        left_width = inner // 2
        right_width = inner - left_width
        left = self.left.wrap(left_width)
        right = self.right.wrap(right_width) if self.right else []
        rows = [
            Content.assemble(
                (left[i] if i < len(left) else Content("")).truncate(left_width, pad=True),
                (GAP, "dim"),
                right[i] if i < len(right) else "",
            )
            for i in range(max(len(left), len(right), 1))
        ]
        self._lines = (width, rows)
        return rows

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return container_width

    def get_height(self, rules: Any, width: int) -> int:
        return len(self.lines(width))

    def plain(self) -> str:
        return f"{self.left.plain} | {self.right.plain}"

    def __str__(self) -> str:
        """The row as plain text, "said | thought" (as `str` of a `Content`)."""
        return self.plain()


def said_content(session: Session, turn: Turn) -> Content:
    """What a turn said, in its side's colour: side, speaker, text."""
    colour = f"${side_class(session, turn.side)[1:]}"
    parts: list[Content | str | tuple[str, str]] = [
        (f"{side_label(session, turn.side)}: ", f"bold {colour}")
    ]
    if turn.speaker:
        parts.append((f"{turn.speaker}: ", f"italic {colour}"))
    parts.append(Content(turn.said).stylize(colour))
    return Content.assemble(*parts)


def thought_content(session: Session, turn: Turn, console: bool) -> Content:
    """A turn's thought: on the console with whether the room sees it; for the room only a
    revealed thought that is not private (else nothing)."""
    if not turn.thought:
        return Content("")
    text = Content(turn.thought).stylize("italic")
    tags = ("  " + tag_labels(session, turn.tags), "bold") if turn.tags else ""
    if not console:
        if turn.private or not turn.revealed:
            return Content("")
        return Content.assemble(text, tags)
    if turn.private:
        state = ("private ", "bold $warning")
    elif turn.revealed:
        state = ("shown ", "bold $success")
    else:
        state = ("hidden ", "dim")
    return Content.assemble(state, text, tags)


def row(session: Session, turn: Turn, console: bool) -> TwoColumns:
    return TwoColumns(said_content(session, turn), thought_content(session, turn, console))


def head() -> TwoColumns:
    return TwoColumns(Content.styled("Said", "bold"), Content.styled("Thought", "bold"))


class TurnList(KeyedList[Turn]):
    """The turns of the step, one row each (said | thought, as the console sees it), in
    the order said."""

    def __init__(self, session: Session, turns: list[Turn], id: str | None = None) -> None:
        self.session = session
        super().__init__(turns, id=id)

    def _prompt(self, item: Turn) -> TwoColumns:
        return row(self.session, item, console=True)


class DialogueBox(CaptureBox):
    """Where the facilitator types a turn: first what was said, then (ctrl+t) what was
    thought. Every key that changes what the typing means is handled here, in the order
    typed, so a fast typist's next words never land in the wrong field or turn."""

    class Said(Message):
        """What was said, typed and submitted (the box was emptied of it)."""

        def __init__(self, box: DialogueBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

    class Thought(Message):
        """A thought typed and submitted, for the turn the view is on."""

        def __init__(self, box: DialogueBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

    class Moved(Message):
        """The box went from one field to the other."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.thinking = False
        """Whether the box holds a thought (else what was said)."""
        self.editing = False
        """Whether what was said edits a turn (set by the view) instead of adding one."""
        self.next_thought = ""
        """The thought of the turn ctrl+t opens, as it stands once what was typed so far
        is saved: what the box opens with."""

    def think(self, thought: str) -> None:
        """Open the thought field with `thought` in it."""
        self.thinking = True
        self.text = thought
        self.move_cursor(self.document.end)
        self._moved()

    def say(self) -> None:
        """Back to what is said, the box empty."""
        self.thinking = False
        self.clear()
        self._moved()

    def _moved(self) -> None:
        self.set_class(self.thinking, "-thought")
        self.placeholder = THINK if self.thinking else SAY
        self.post_message(self.Moved())

    def _submit_said(self) -> None:
        text = self.text
        if text.strip():
            self.clear()
            if not self.editing:
                self.next_thought = ""
            self.editing = False
            self.post_message(self.Said(self, text))

    def _submit_thought(self) -> None:
        text = self.text
        self.next_thought = clean_text(text)
        self.post_message(self.Thought(self, text))
        self.say()

    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if key in ("enter", "tab", "ctrl+t") or (key == "escape" and self.thinking):
            event.stop()
            event.prevent_default()
            if key == "escape":
                self.say()
            elif self.thinking:
                self._submit_thought()
            elif key == "ctrl+t":
                self._submit_said()
                self.think(self.next_thought)
            elif key == "enter":
                self._submit_said()
            if key == "tab":
                self.post_message(self.SwitchSide())
            return
        await super(CaptureBox, self)._on_key(event)


class DialogueView(StepView):
    """The turns as two columns (said | thought) over the box they are typed in."""

    folds_text = True

    BINDINGS = [
        Binding("tab", "switch_side", "Switch side", id="switch-side"),
        Binding("ctrl+t", "thought", "Thought", id="dialogue-thought"),
        Binding("shift+tab", "speaker", "Speaker", id="speaker"),
        Binding("escape", "toggle_mode", "Select / type", id="select"),
        Binding("ctrl+r", "reveal_all", "Reveal all", id="dialogue-reveal-all"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("R", "reveal_all", show=False),
        Binding("r", "reveal", show=False),
        Binding("p", "private", show=False),
        Binding("t", "thought", show=False),
        Binding("e", "edit", show=False),
        Binding("delete,backspace,d", "delete", show=False),
    ]

    def __init__(
        self, session: Session, scenario: Scenario, step: Step, editor: SessionEditor
    ) -> None:
        super().__init__(session, scenario, step, editor)
        self.side = step.sides[0]
        self.editing: str | None = None
        """The turn whose said the box edits, if any."""
        self.current: str | None = None
        """The turn a thought typed now goes to: the one just added or edited."""
        self.undo_stack: list[tuple[str, Any]] = []

    def _turns(self) -> list[Turn]:
        return self.session.turns_in(self.step.key)

    def _turn(self, turn_id: str | None) -> Turn | None:
        return next((t for t in self.session.turns if t.id == turn_id), None)

    def compose(self) -> ComposeResult:
        yield self.step_title()
        if self.step.text:
            yield self.step_text()
        yield Static(head(), id="dialogue-head")
        yield TurnList(self.session, self._turns(), id="dialogue-turns")
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="capture-prompt")
        with Horizontal(classes="capture-bar"):
            yield Label("", id="dialogue-side")
            yield LineInput(placeholder="speaker", id="dialogue-speaker")
            yield DialogueBox(
                id="dialogue-box", soft_wrap=True, show_line_numbers=False, placeholder=SAY
            )
        yield Static("", id="dialogue-problem", classes="problem")
        yield Static(Content(LIST_KEYS), id="dialogue-keys", classes="hint")
        yield Static("", classes="key-hint problem")
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        if taxonomy:
            yield Legend(
                [f"{t.hotkey} {t.label}" for t in taxonomy.tags]
                + ["(select a turn, press the number: tags its thought)"],
                classes="legend",
            )

    @property
    def box(self) -> DialogueBox:
        return self.query_one(DialogueBox)

    @property
    def turn_list(self) -> TurnList:
        return self.query_one(TurnList)

    def on_mount(self) -> None:
        turns = self._turns()
        self._point(turns[-1] if turns else None)
        self._show_side()
        self.query_one(".key-hint").display = False
        if self.read_only:
            self.box.placeholder = "Read-only here: the session is open in another window"
            self.box.disabled = True

    def _point(self, turn: Turn | None) -> None:
        """Make `turn` the one a thought goes to (the box opens with its thought)."""
        self.current = turn.id if turn is not None else None
        self.box.next_thought = turn.thought if turn is not None else ""

    def focus_default(self) -> None:
        if not self.read_only:
            self.box.focus()

    def leave(self) -> None:
        """An edit of what was said is dropped; a thought being typed stays in the box,
        for the same turn."""
        super().leave()
        if self.editing is not None:
            self.editing = None
            self.box.editing = False
            self.box.clear()

    def resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.turn_list.sync(self._turns())
        if self._turn(self.current) is None:
            turns = self._turns()
            self._point(turns[-1] if turns else None)
        self._show_side()

    def _show_side(self) -> None:
        """Show the side, the field and who has the keys: the box or the list."""
        label = side_label(self.session, self.side)
        selecting = isinstance(self.app.focused, TurnList)
        if selecting:
            mode = f"selecting · {label}"
        elif self.box.thinking:
            mode = f"{label} thinks ▸"
        elif self.editing:
            mode = f"editing {label} ▸"
        else:
            mode = f"{label} says ▸"
        side = self.query_one("#dialogue-side", Label)
        put(side, Content(mode))
        for index in range(4):
            side.set_class(
                side_class(self.session, self.side) == f"-side-{index}", f"-side-{index}"
            )
        self.query_one("#dialogue-keys").display = selecting
        self.box.set_class(selecting, "-resting")

    def on_descendant_focus(self) -> None:
        self._show_side()

    @on(DialogueBox.Moved)
    def _moved(self) -> None:
        self._show_side()

    def _problem(self, text: str) -> None:
        self.query_one("#dialogue-problem", Static).update(Content(text))

    # typing

    def action_switch_side(self) -> None:
        sides = self.step.sides
        self.side = sides[(sides.index(self.side) + 1) % len(sides)]
        self._show_side()

    @on(CaptureBox.SwitchSide)
    def _switch_side(self, event: CaptureBox.SwitchSide) -> None:
        event.stop()
        self.action_switch_side()

    def action_speaker(self) -> None:
        speaker = self.query_one("#dialogue-speaker", LineInput)
        if speaker.has_focus:
            self.box.focus()
        else:
            speaker.focus()

    @on(LineInput.Submitted, "#dialogue-speaker")
    def _speaker_done(self) -> None:
        self.box.focus()

    def action_toggle_mode(self) -> None:
        if isinstance(self.app.focused, TurnList):
            self.box.focus()
            return
        if self.editing:
            self.editing = None
            self.box.editing = False
            self.box.clear()
            self._show_side()
            return
        target = self.turn_list
        target.focus()
        if target.option_count:
            target.highlighted = target.option_count - 1

    def _refused(self, text: str) -> str | None:
        problem = too_long(clean_text(text))
        if problem:
            self._problem(problem)
            self.notify(problem, severity="warning", markup=False)
        return problem

    @on(DialogueBox.Said)
    def _said(self, event: DialogueBox.Said) -> None:
        event.stop()
        text = clean_text(event.text)
        if not text:
            return
        if self._refused(text):
            event.box.give_back(event.text)
            return
        speaker = self.query_one("#dialogue-speaker", LineInput).value
        old = self._turn(self.editing)
        if old is not None:
            new = self.changed(
                self.editor.edit_turn(old.id, text, old.thought, old.private, speaker)
            )
            if new is None:
                event.box.give_back(event.text)
                return
            self.undo_stack.append(("edit", old))
            self.turn_list.redraw(new)
            self.editing = None
        else:
            new = self.changed(
                self.editor.add_turn(self.step.key, self.side, text, "", False, speaker)
            )
            if new is None:
                event.box.give_back(event.text)
                return
            self.undo_stack.append(("add", new))
            self.turn_list.add(new)
        self.current = new.id
        self._problem("")
        self._show_side()

    @on(DialogueBox.Thought)
    def _thought(self, event: DialogueBox.Thought) -> None:
        event.stop()
        text = clean_text(event.text)
        turn = self._turn(self.current)
        if turn is None:
            if text:
                self._problem("A thought belongs to a turn: type what was said first.")
                event.box.think(event.text)
            return
        if text == turn.thought:
            return
        if self._refused(text):
            event.box.think(event.text)
            return
        new = self.changed(
            self.editor.edit_turn(turn.id, turn.said, text, turn.private, turn.speaker)
        )
        if new is None:
            event.box.think(event.text)
            return
        self.undo_stack.append(("edit", turn))
        self.turn_list.redraw(new)
        self._problem("")

    # a selected turn

    def _highlighted(self) -> Turn | None:
        focused = self.app.focused
        return focused.current if isinstance(focused, TurnList) else None

    @on(OptionList.OptionSelected, "#dialogue-turns")
    def action_edit(self) -> None:
        turn = self._highlighted()
        if turn is None or self.read_only:
            return
        self.editing = turn.id
        self._point(turn)
        self.side = turn.side
        box = self.box
        if box.thinking:
            box.say()
        box.editing = True
        box.text = turn.said
        box.move_cursor(box.document.end)
        self.query_one("#dialogue-speaker", LineInput).value = turn.speaker or ""
        box.focus()
        self._show_side()

    def action_thought(self) -> None:
        """ctrl+t or t on a selected turn: type its thought."""
        turn = self._highlighted()
        if turn is None or self.read_only:
            return
        self.editing = None
        self.box.editing = False
        self._point(turn)
        self.side = turn.side
        self.box.think(turn.thought)
        self.box.focus()
        self._show_side()

    def _edit(self, turn: Turn, private: bool) -> Turn | None:
        new = self.changed(
            self.editor.edit_turn(turn.id, turn.said, turn.thought, private, turn.speaker)
        )
        if new is not None:
            self.undo_stack.append(("edit", turn))
            self.turn_list.redraw(new)
        return new

    def action_private(self) -> None:
        turn = self._highlighted()
        if turn is None:
            return
        new = self._edit(turn, not turn.private)
        if new is not None:
            self.notify(
                "Private: this thought never reaches the room."
                if new.private
                else "No longer private: the room sees it once revealed.",
                markup=False,
            )

    def action_reveal(self) -> None:
        turn = self._highlighted()
        if turn is None:
            return
        if not turn.thought:
            self.notify("This turn has no thought to reveal.", markup=False)
            return
        if turn.private:
            self.notify("A private thought is never shown to the room.", markup=False)
            return
        self._reveal([turn], not turn.revealed)

    def action_reveal_all(self) -> None:
        turns = [t for t in self._turns() if t.thought and not t.private]
        if not turns:
            self.notify("No thought to reveal: none typed, or all private.", markup=False)
            return
        self._reveal(turns, not all(t.revealed for t in turns))

    def _reveal(self, turns: list[Turn], revealed: bool) -> None:
        changed = self.changed(self.editor.reveal_thoughts([t.id for t in turns], revealed))
        if changed is None:
            return
        if changed:
            self.undo_stack.append(("reveal", [(t.id, not revealed) for t in changed]))
        for turn in changed:
            self.turn_list.redraw(turn)
        shown = "shown to the room" if revealed else "hidden from the room"
        count = len(changed)
        self.notify(f"{count} thought{'' if count == 1 else 's'} {shown}.", markup=False)

    def action_delete(self) -> None:
        turn = self._highlighted()
        if turn is None:
            return
        removed = self.changed(self.editor.delete_turn(turn.id))
        if removed is None:
            return
        self.undo_stack.append(("delete", removed))
        self.turn_list.drop(removed.id)
        if self.current == removed.id:
            turns = self._turns()
            self._point(turns[-1] if turns else None)
        self.notify("Turn deleted: ctrl+z brings it back.", markup=False)

    def on_key(self, event: events.Key) -> None:
        if not isinstance(self.app.focused, TurnList):
            return
        turn = self._highlighted()
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        tag = taxonomy.by_hotkey(event.character) if taxonomy and event.character else None
        if tag is not None and turn is not None:
            event.stop()
            self.clear_stray_key()
            if not turn.thought:
                self.notify("Tags are for the thought: this turn has none.", markup=False)
                return
            tags = tuple(t for t in turn.tags if t != tag.key)
            if tag.key not in turn.tags:
                tags = (*turn.tags, tag.key)
            new = self.changed(self.editor.set_turn_tags(turn.id, tags))
            if new is not None:
                self.undo_stack.append(("edit", turn))
                self.turn_list.redraw(new)
            return
        self.stray_key(event, "e t p r R d, a digit tags, Esc types")

    # undo

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", markup=False)
            return
        kind, what = self.undo_stack[-1]
        done: object | None
        if kind == "add":
            done = self.changed(self.editor.delete_turn(what.id))
            if done is not None:
                self.turn_list.drop(what.id)
        elif kind == "delete":
            done = self.changed(self.editor.restore_turn(what))
            if done is not None:
                self.turn_list.reset(self._turns())
        elif kind == "reveal":
            done = True
            for turn_id, revealed in what:
                if self.changed(self.editor.reveal_thoughts([turn_id], revealed)) is None:
                    done = None
        else:
            done = self._put_back(what)
        if done is not None:
            self.undo_stack.pop()
            self.turn_list.sync(self._turns())
            if self._turn(self.current) is None:
                turns = self._turns()
                self._point(turns[-1] if turns else None)

    def _put_back(self, old: Turn) -> Turn | None:
        """Give a turn back what it said, thought, tags and reveal before an edit."""
        new = self.changed(
            self.editor.edit_turn(old.id, old.said, old.thought, old.private, old.speaker)
        )
        if new is not None and new.tags != old.tags:
            new = self.changed(self.editor.set_turn_tags(old.id, old.tags))
        if new is not None and new.revealed != old.revealed:
            changed = self.changed(self.editor.reveal_thoughts([old.id], old.revealed))
            new = self._turn(old.id) if changed is not None else None
        if new is not None:
            self.turn_list.redraw(new)
        return new


class TurnRows(Widget):
    """The room's dialogue: a two-column row per turn, drawn as text at the widget's width."""

    DEFAULT_CSS = """
    TurnRows {
        height: auto;
    }
    """

    def __init__(self, empty: str, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.empty = empty
        self.rows: list[TwoColumns] = []
        self.shown: list[tuple[Any, ...]] = []

    def redraw(self, rows: list[TwoColumns]) -> bool:
        """Draw `rows`; only when they changed. Whether they did."""
        shown = [(r.left.plain, r.left.spans, r.right.plain, r.right.spans) for r in rows]
        if shown == self.shown:
            return False
        self.rows, self.shown = rows, shown
        self.refresh(layout=True)
        return True

    def text(self) -> str:
        """The rows as plain text, "said | thought" a line (for tests)."""
        return "\n".join(r.plain() for r in self.rows) or self.empty

    def lines(self, width: int) -> list[Content]:
        if not self.rows:
            return Content(self.empty).wrap(max(width, 1))
        return [line for r in self.rows for line in r.lines(max(width, 4))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))


class DialogueAudience(AudienceView):
    """The turns in order: what was said, and the thoughts the facilitator revealed."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="aud-prompt")
        yield Static("", id="aud-dialogue-count")
        yield Static(head(), id="aud-dialogue-head")
        with VerticalScroll(classes="aud-scroll", id="aud-dialogue-scroll"):
            yield TurnRows("Nothing said yet.", classes="aud-dialogue")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        turns = session.turns_in(self.step.key)
        shown = sum(1 for t in turns if t.thought and t.revealed and not t.private)
        count = f"{len(turns)} turn{'' if len(turns) == 1 else 's'}"
        if shown:
            count += f" · {shown} thought{'' if shown == 1 else 's'} revealed"
        put(self.query_one("#aud-dialogue-count", Static), Content(count))
        rows = self.query_one(TurnRows)
        if rows.redraw([row(session, turn, console=False) for turn in turns]):
            scroll = self.query_one("#aud-dialogue-scroll")
            scroll.call_after_refresh(scroll.scroll_end, animate=False)

    def on_resize(self) -> None:
        super().on_resize()
        scroll = self.query_one("#aud-dialogue-scroll")
        scroll.call_after_refresh(scroll.scroll_end, animate=False)
