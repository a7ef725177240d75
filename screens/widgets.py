"""Reusable widgets. User text is always shown as `Content`, never parsed as markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.signal import Signal
from textual.strip import Strip
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Input, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workshop.model import Session, Statement


def let_go_of_removed_widgets(app: App[Any]) -> None:
    """Drop what still points at widgets that were removed, so that they can be freed.

    Textual keeps removed widgets alive in three places it prunes only rarely (Textual
    issues #6665 and #6666): `StylesCache.get_inner_outer` (an `lru_cache` on a method),
    watchers a widget set on a live node (a TextArea on `app.theme`: pruned only when that
    value changes), and screen signals (an Input or TextArea subscribes to text selection).
    When step views were rebuilt at each step change, each left about 3,300 objects behind
    and garbage collections grew slower all workshop long. Call after removing widgets (a
    session screen opening after another, the room's view changing step); a removed widget
    is one that is closing, as Textual's own pruning decides.
    """
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()
    nodes = [app, *(n for screen in app.screen_stack for n in screen.walk_children(with_self=True))]
    for node in nodes:
        watchers = getattr(node, "__watchers", None)
        if isinstance(watchers, dict):
            for entries in watchers.values():
                entries[:] = [(by, call) for by, call in entries if not _removed(by)]
        for signal in [v for v in vars(node).values() if isinstance(v, Signal)]:
            for subscriber in [n for n in signal._subscriptions if _removed(n)]:
                signal.unsubscribe(subscriber)


def _removed(node: object) -> bool:
    return bool(getattr(node, "_closing", False) or getattr(node, "_closed", False))


def side_class(session: Session, side: str) -> str:
    """The CSS class colouring `side` (by its place in the session's sides)."""
    keys = [s.key for s in session.sides]
    return f"-side-{keys.index(side) % 4 if side in keys else 0}"


def side_label(session: Session, side: str) -> str:
    return next((s.label for s in session.sides if s.key == side), side)


def tag_labels(session: Session, tags: tuple[str, ...]) -> str:
    return "  ".join(f"#{session.tag_label(t)}" for t in tags)


def statement_content(
    statement: Statement, session: Session, with_side: bool = False, marked: bool = False
) -> Content:
    """A statement as it is projected: side, speaker: text  #tags. `marked`: as a bar,
    black on its colours (the statement the room is discussing)."""
    side = f"${side_class(session, statement.side)[1:]}"
    parts: list[Content | str | tuple[str, str]] = []
    if with_side:
        label = f"{side_label(session, statement.side)}  "
        parts.append((label, f"bold $background on {side}" if marked else f"bold {side}"))
    said: list[Content | str | tuple[str, str]] = []
    if statement.speaker:
        said.append((f"{statement.speaker}: ", "italic"))
    said.append(Content(statement.text))
    if statement.tags:
        said.append((f"   {tag_labels(session, statement.tags)}", "bold"))
    text = Content.assemble(*said)
    parts.append(text.stylize_before("bold $background on $foreground") if marked else text)
    return Content.assemble(*parts)


class Keyed(Protocol):
    """What a `KeyedList` shows: anything with an `id`, unique in the list."""

    @property
    def id(self) -> str: ...


K = TypeVar("K", bound=Keyed)


class KeyedList(OptionList, Generic[K]):
    """Items as one scrolling list, one option each (its id the item's), in order: adding
    one costs the same at 5 or 500. A subclass draws an item (`_prompt`)."""

    def __init__(self, items: Sequence[K], id: str | None = None, classes: str = "") -> None:
        self.items: dict[str, K] = {item.id: item for item in items}
        """What is shown, by id, in the order shown."""
        super().__init__(
            *(self._option(item) for item in items), id=id, classes=classes, markup=False
        )

    def _prompt(self, item: K) -> VisualType:
        """How `item` is drawn. `str()` of it is its line in `texts`."""
        raise NotImplementedError

    def _option(self, item: K) -> Option:
        return Option(self._prompt(item), id=item.id)

    def add(self, item: K) -> None:
        """Append `item` and scroll to it."""
        self.items[item.id] = item
        self.add_option(self._option(item))
        self.scroll_end(animate=False, immediate=True)

    def redraw(self, item: K) -> None:
        """Redraw `item` after an edit (what it says, its tags ...).

        OptionList's own `replace_option_prompt` measures every option again (all 500 of
        them wrapped anew for one tag); when the new prompt takes as many lines as the old,
        only its own lines are drawn again.
        """
        if item.id not in self.items:
            return
        self.items[item.id] = item
        index = self.get_option_index(item.id)
        option = self.get_option_at_index(index)
        before = self._line_cache.heights.get(index)
        option._set_prompt(self._prompt(item))
        if before is not None and self.scrollable_content_region:
            padding = self.get_component_styles("option-list--option").padding
            width = self.scrollable_content_region.width - self._get_left_gutter_width()
            # As Textual's own OptionList measures an option (its stub asks for a RulesMap).
            styles = self.styles
            height = self._get_visual(option).get_height(styles, width - padding.width)  # type: ignore[arg-type]
            if height + option._divider == before:
                cache = self._option_render_cache
                for key in [key for key in cache.keys() if key[0] is option]:
                    cache.discard(key)
                top = self._line_cache.index_to_line[index] - self.scroll_offset.y
                self.refresh(Region(0, top, self.scrollable_content_region.width, before))
                return
        self._clear_caches()

    def drop(self, item_id: str) -> None:
        """Remove an item from the list."""
        if self.items.pop(item_id, None) is not None:
            self.remove_option(item_id)

    def sync(self, items: Sequence[K]) -> None:
        """Show exactly `items`, redrawing only what changed: items edited or tagged
        elsewhere, items added at the end; anything else rebuilds the list."""
        ids = [item.id for item in items]
        shown = list(self.items)
        if ids[: len(shown)] != shown:
            self.reset(items)
            return
        for item in items[: len(shown)]:
            if self.items[item.id] is not item:
                self.redraw(item)
        new = items[len(shown) :]
        if new:
            self.items.update((item.id, item) for item in new)
            self.add_options(self._option(item) for item in new)

    def reset(self, items: Sequence[K]) -> None:
        """Show exactly `items`, the highlight staying on its item if that is still shown
        (OptionList's `set_options` alone drops it)."""
        highlighted = self.current
        self.items = {item.id: item for item in items}
        self.set_options(self._option(item) for item in items)
        if highlighted is not None and highlighted.id in self.items:
            self.highlighted = self.get_option_index(highlighted.id)

    @property
    def current(self) -> K | None:
        """The highlighted item."""
        option = self.highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def texts(self) -> list[str]:
        """The lines as shown, in order, as plain text (for tests and the audience view)."""
        return [str(option.prompt) for option in self.options]


class StatementList(KeyedList[Statement]):
    """Statements as one scrolling list; one of them can be marked, drawn as a bar."""

    def __init__(
        self,
        session: Session,
        statements: list[Statement],
        with_side: bool = False,
        id: str | None = None,
        classes: str = "",
    ) -> None:
        self.session = session
        self.with_side = with_side
        self.marked: str | None = None
        """The statement drawn as a bar (the one the room discusses), if any."""
        super().__init__(statements, id=id, classes=classes)

    def _prompt(self, item: Statement) -> Content:
        marked = item.id == self.marked
        return statement_content(item, self.session, self.with_side, marked)

    def mark(self, statement_id: str | None) -> None:
        """Draw `statement_id` as a bar (and no other), highlighted and scrolled into view."""
        before, self.marked = self.marked, statement_id
        if before != statement_id:
            for changed in (before, statement_id):
                if changed in self.items:
                    self.redraw(self.items[changed])
        if statement_id in self.items:
            self.highlighted = self.get_option_index(statement_id)
        else:
            self.highlighted = None


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

    def render_lines(self, crop: Region) -> list[Strip]:
        """Blank once removed: a frame drawn while the step changes (PageDown) can reach a
        box whose component styles are already gone, which raised a KeyError on screen."""
        if not self._component_styles:
            return [Strip.blank(crop.width)] * crop.height
        return super().render_lines(crop)

    def give_back(self, text: str) -> None:
        """Put `text` back in front of whatever was typed since (after a failed save)."""
        rest = self.text
        self.text = f"{text}\n{rest}" if rest.strip() else text
        self.move_cursor(self.document.end)


BarRows = list[tuple[str, list[tuple[str, int, str]]]]
"""(label, [(series label, count, side css class)]) per group of bars."""


class Bars(Widget):
    """Horizontal bars: a bold label per group, then one bar per series with its count.

    Drawn as text in one widget, so a new count is one redraw, not a rebuild of widgets.
    """

    SERIES_WIDTH = 12
    COUNT_WIDTH = 5

    def __init__(self, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self.rows: BarRows = []

    def redraw(self, rows: BarRows) -> None:
        """Draw `rows`; only when they changed."""
        if rows == self.rows:
            return
        layout = self._height(rows) != self._height(self.rows)
        self.rows = [(label, list(series)) for label, series in rows]
        self.refresh(layout=layout)

    def counts(self) -> list[int]:
        """The counts shown, group by group."""
        return [count for _, series in self.rows for _, count, _ in series]

    @staticmethod
    def _height(rows: BarRows) -> int:
        return sum(2 + len(series) for _, series in rows) - (1 if rows else 0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height(self.rows)

    def render(self) -> Content:
        width = self.size.width
        digits = len(str(max((n for _, series in self.rows for _, n, _ in series), default=0)))
        count_width = max(self.COUNT_WIDTH, digits + 2)
        # Narrow (notes open beside the room's data): the side's name gives way, never the count.
        name_width = max(min(self.SERIES_WIDTH, width - count_width - 4), 1)
        track = max(width - name_width - count_width, 1)
        top = max((n for _, series in self.rows for _, n, _ in series), default=0) or 1
        lines: list[Content] = []
        for index, (label, series) in enumerate(self.rows):
            if index:
                lines.append(Content(""))
            lines.append(Content.styled(label, "bold"))
            for name, count, css in series:
                filled = round(track * count / top)
                lines.append(
                    Content.assemble(
                        Content(name)
                        .truncate(name_width - 1, ellipsis=True)
                        .truncate(name_width, pad=True),
                        (" " * filled, f"on ${css[1:]}"),
                        " " * (track - filled),
                        (f" {count}".ljust(count_width), "bold"),
                    )
                )
        return Content("\n").join(lines)


class Hanging(Widget):
    """Rows of text, each after a short lead ("1. ", "☐ "): a row that wraps goes on under
    its own text, never under its lead. `empty` is shown while there are no rows."""

    DEFAULT_CSS = """
    Hanging {
        height: auto;
    }
    """

    def __init__(self, empty: str, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.empty = empty
        self.rows: list[tuple[Content, Content]] = []

    def redraw(self, rows: list[tuple[Content, Content]]) -> None:
        """Draw `rows` (lead, text); only when they changed."""
        if rows != self.rows:
            self.rows = rows
            self.refresh(layout=True)

    def text(self) -> str:
        """The rows as plain text, one per line (for tests and the audience's shown text)."""
        return "\n".join(lead.plain + text.plain for lead, text in self.rows) or self.empty

    def lines(self, width: int) -> list[Content]:
        if not self.rows:
            return Content(self.empty).wrap(max(width, 1))
        lines: list[Content] = []
        for lead, text in self.rows:
            indent = lead.cell_length
            for index, line in enumerate(text.wrap(max(width - indent, 8))):
                lines.append(Content.assemble(lead if index == 0 else " " * indent, line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))


def heat_content(score: int | None, scale: int) -> Content:
    """A rating as a strip of cells: filled up to `score`, '–' when not rated yet."""
    if score is None:
        return Content("  –  not rated")
    return Content.assemble(
        ("█" * 3 * score, "bold"), "░" * 3 * (scale - score), f"  {score}/{scale}"
    )


class LineInput(Input):
    """An Input that keeps a multi-line paste, joined into one line, instead of its first line.

    Focus puts the cursor at the end and selects nothing, as the capture box does: typing
    after `e` adds to the text instead of replacing it.
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            line = " ".join(part.strip() for part in event.text.splitlines() if part.strip())
            if self.selection.is_empty:
                self.insert_text_at_cursor(line)
            else:
                self.replace(line, *self.selection)
        event.stop()


class SessionTable(ScrollView, can_focus=True):
    """The home list: draws only the rows on screen, so 1,000 sessions open as fast as 10."""

    COMPONENT_CLASSES = {"session-table--cursor", "session-table--header"}
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", "Resume", id="resume"),
    ]

    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """Enter was pressed on a row."""

    def __init__(
        self,
        columns: tuple[tuple[str, int], ...],
        cells: Callable[[Any], tuple[str, ...]],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = columns
        self.cells = cells
        self.items: Sequence[Any] = ()

    def set_rows(self, items: Sequence[Any]) -> None:
        """Show one row per item (its texts from `cells`, drawn only when on screen)."""
        self.items = items
        self.virtual_size = Size(0, len(items) + 1)
        self.cursor = min(self.cursor, max(len(items) - 1, 0))
        self.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Resume" only when there is a row to resume."""
        return bool(self.items) if action == "select" else True

    def row(self, index: int) -> tuple[str, ...]:
        """The texts shown in row `index`."""
        return self.cells(self.items[index])

    def _widths(self) -> list[int]:
        """Column widths; a width of 0 takes the space the others leave (at least 12)."""
        fixed = sum(w + 2 for _, w in self.columns if w)
        flexible = max(12, self.scrollable_content_region.width - fixed - 2)
        return [w or flexible for _, w in self.columns]

    def _line(self, cells: tuple[str, ...]) -> str:
        return "".join(
            " "
            + (set_cell_size(cell, w) if cell_len(cell) <= w else set_cell_size(cell, w - 1) + "…")
            + " "
            for cell, w in zip(cells, self._widths(), strict=False)
        )

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            text = self._line(tuple(label for label, _ in self.columns))
            style = base + self.get_component_rich_style("session-table--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self.items):
                return Strip.blank(width, base)
            text = self._line(self.row(index))
            style = base
            if index == self.cursor:
                style = base + self.get_component_rich_style("session-table--cursor")
        strip = Strip([Segment(text, style)])
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        visible = max(self.size.height - 1, 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.items:
            self.cursor = max(0, min(len(self.items) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(self.size.height - 2, 1))

    def action_jump(self, index: int) -> None:
        if self.items:
            self.cursor = index % len(self.items)

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected())

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.items):
            if index == self.cursor and event.chain > 1:
                self.post_message(self.Selected())
            self.cursor = index


def put(widget: Static, content: Content) -> bool:
    """Show `content` in `widget` unless it already does (no redraw 4 times a second).

    The screen is laid out again only when the text's shape changed (its lines' widths):
    a clock going from 19:59 to 19:58 redraws one label, not a screen of 500 statements.
    Returns whether the widget changed.
    """
    old = widget.content
    if isinstance(old, Content) and old.plain == content.plain and old.spans == content.spans:
        return False
    widget.update(content, layout=not isinstance(old, Content) or _shape(old) != _shape(content))
    return True


def _shape(content: Content) -> list[int]:
    return [cell_len(line) for line in content.plain.split("\n")]


def lines(items: list[Content], empty: str) -> Content:
    """`items` one per line, or the sentence `empty`."""
    return Content("\n").join(items) if items else Content(empty)


class KeyBar(Widget):
    """The keys that work here, on one line drawn as text (a click presses the key).

    Textual's Footer rebuilt a widget per key whenever the bindings changed (each step
    change, each move of the focus): half the time of a PageDown, and its old keys stayed
    in memory. This bar redraws one line, and only when the keys shown change. What does
    not fit is left out whole: the keys are offered most important first (the step's own,
    then the screen's, then the app's) and each is shown if it still fits; the palette key
    always shows (its "Keys" command lists every key).
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[KeyEntry, ...] = ()
        """Every key that could be shown, most important first."""
        self.palette: KeyEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Any) -> None:
        shown: dict[str, tuple[int, KeyEntry]] = {}
        palette = None
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            entry = (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (*entry[:2], "palette", enabled)
            elif binding.show and binding.action not in shown:
                rank = 2 if node is self.app else 1 if node is screen else 0
                shown[binding.action] = (rank, entry)
        keys = tuple(entry for _, entry in sorted(shown.values(), key=lambda item: item[0]))
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def shown(self) -> list[KeyEntry]:
        """The keys drawn, left to right: those that fit whole, then the palette key."""
        width = self.size.width - (_entry_width(self.palette) if self.palette else 0)
        fitting: list[KeyEntry] = []
        for entry in self.keys:
            if _entry_width(entry) <= width:
                width -= _entry_width(entry)
                fitting.append(entry)
        return [*fitting, *((self.palette,) if self.palette else ())]

    def render(self) -> Content:
        parts: list[Content] = []
        for _key, display, description, enabled in self.shown():
            key = Content.styled(f" {display} ", "bold $footer-key-foreground")
            part = Content.assemble(key, description, " ")
            parts.append(part if enabled else part.stylize("dim"))
        return Content("").join(parts)

    def on_click(self, event: events.Click) -> None:
        x = 0
        for entry in self.shown():
            x += _entry_width(entry)
            if event.x < x:
                if entry[3]:
                    self.app.simulate_key(entry[0])
                return


KeyEntry = tuple[str, str, str, bool]
"""A key in the key bar: (key, key as displayed, description, enabled)."""


def _entry_width(entry: KeyEntry) -> int:
    return cell_len(f" {entry[1]} {entry[2]} ")


class Legend(Widget):
    """Short entries ("3 Procedures") on as many lines as the width needs, never broken
    inside an entry (wrapping as text cut "3" from "Procedures" at 80 and 100 columns)."""

    DEFAULT_CSS = """
    Legend {
        height: auto;
    }
    """

    SEPARATOR = "   "

    def __init__(self, entries: Sequence[str], classes: str = "") -> None:
        super().__init__(classes=classes)
        self.entries = list(entries)

    def lines(self, width: int) -> list[str]:
        """The entries packed into lines of at most `width` cells (a longer entry alone)."""
        lines: list[str] = []
        for entry in self.entries:
            joined = f"{lines[-1]}{self.SEPARATOR}{entry}" if lines else entry
            if lines and cell_len(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(entry)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n".join(self.lines(self.content_size.width)))


def text_summary(markdown: str) -> str:
    """The one line a folded step text shows: its first heading, else its first line."""
    found = [line.strip() for line in markdown.splitlines() if line.strip()]
    line = next((line for line in found if line.startswith("#")), found[0] if found else "")
    return line.lstrip("#>-+ ").replace("**", "").replace("__", "").replace("`", "").strip()


def text_height(markdown: str, width: int) -> int:
    """About how many lines `markdown` takes at `width` cells (lists indent by a few)."""
    width = max(width - 4, 10)
    return sum(max(1, -(-cell_len(line) // width)) for line in markdown.strip().splitlines())


class StepText(Vertical):
    """The text a step owns, as the pack wrote it: all of it while it takes at most
    `SHARE` of the view's height, else folded to one line, its heading, that says there
    is more. Never dropped. The facilitator can open or fold it (F6) at any size."""

    SHARE = 0.4

    def __init__(self, text: str, more: str) -> None:
        super().__init__(classes="step-text -folded")
        self.text = text
        self.more = more
        """What the folded line ends with, e.g. "F6 shows all"."""
        self.chosen: bool | None = None
        """True or False once the facilitator opened or folded it; None: by the space."""

    def compose(self) -> ComposeResult:
        yield Markdown(self.text, classes="projected")
        with Horizontal(classes="step-text-line"):
            yield Label(Content(text_summary(self.text)), classes="step-text-summary")
            yield Label(Content(self.more), classes="step-text-more")

    @property
    def folded(self) -> bool:
        return self.has_class("-folded")

    def fit(self, size: Size) -> None:
        """Open or fold for a view of `size` (unless the facilitator chose)."""
        fits = text_height(self.text, size.width) <= size.height * self.SHARE
        self.set_class(not (fits if self.chosen is None else self.chosen), "-folded")

    def toggle(self) -> None:
        self.chosen = self.folded
        self.set_class(not self.chosen, "-folded")
