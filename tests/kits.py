"""Helpers shared by the tests of the step kinds (tests/packs/kinds): a session of a pack
seeded at one of its steps, a session file edited by hand, the console opened at the
seeded step, the room's view of a session, a forged transcript refused, and what the
Markdown and HTML exports hold. The real terminal's helpers are in tests/harness.py."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar, overload

import pytest
from markdown_it import MarkdownIt
from textual.pilot import Pilot
from textual.widget import Widget

from screens.app import WorkshopApp, build_app
from screens.audience import AudienceScreen
from screens.session import SessionScreen
from tests.conftest import Clock
from tests.harness import SPACINGS_MS, TITLE
from tests.pilot import room_settles, until
from tests.test_snapshots_audience import NOW
from workshop.errors import InvalidTranscript, PackError
from workshop.model import Scenario
from workshop.scenario import parse_pack
from workshop.store import Store
from workshop.transcript import dumps, parse_transcript

FOLDER = Path(__file__).parent / "packs" / "kinds"
"""The packs of the step-kind tests, one a kind."""

T = TypeVar("T")
V = TypeVar("V", bound=Widget)
F = TypeVar("F", bound=Callable[..., object])

# -- packs ---------------------------------------------------------------------------------


def load_pack(path: Path) -> Scenario:
    """The pack stored at `path`, parsed."""
    return parse_pack(path.read_bytes(), path.name)


def pack_problems(text: str, name: str) -> list[str]:
    """The problems found in the pack `text` read from a file called `name`; fails if none."""
    try:
        parse_pack(text.encode(), name)
    except PackError as error:
        return error.problems
    raise AssertionError("the pack was accepted")


def line_of(text: str, needle: str) -> int:
    """The number of the line of `text` holding `needle` (the first)."""
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


def step_index(pack: Scenario, step: str) -> int:
    """Where step `step` stands in the agenda of `pack`, from 0."""
    return [s.key for s in pack.steps].index(step)


# -- sessions in the store -----------------------------------------------------------------


@overload
def seed(
    data_dir: Path,
    pack: Scenario,
    step: str,
    fill: None = None,
    *,
    organisation: str = "",
    people: list[str] | None = None,
    still: bool = False,
) -> tuple[str, None]: ...


@overload
def seed(
    data_dir: Path,
    pack: Scenario,
    step: str,
    fill: Callable[[Store, str], T],
    *,
    organisation: str = "",
    people: list[str] | None = None,
    still: bool = False,
) -> tuple[str, T]: ...


def seed(
    data_dir: Path,
    pack: Scenario,
    step: str,
    fill: Callable[[Store, str], T] | None = None,
    *,
    organisation: str = "",
    people: list[str] | None = None,
    still: bool = False,
) -> tuple[str, T | None]:
    """A session of `pack` stored in `data_dir` (TITLE, run by Dana), filled by
    `fill(store, id)` and then put at step `step`, on the test clock (`still`: with the
    monotonic clock at 0); its id and what `fill` returned. Nobody holds it open."""
    store = Store(data_dir, clock=Clock())
    if still:
        store.monotonic = lambda: 0.0
    session = store.create_session(pack, TITLE, "Dana", organisation, people)
    made = fill(store, session.id) if fill is not None else None
    store.go_to_step(session.id, step_index(pack, step))
    store.close_all()
    return session.id, made


@contextmanager
def held_open(data_dir: Path, session_id: str, still: bool = False) -> Iterator[Store]:
    """A store on the test clock holding session `session_id` open for the block (`still`:
    with the monotonic clock at 0), as the console does; closed after."""
    store = Store(data_dir, clock=Clock())
    if still:
        store.monotonic = lambda: 0.0
    store.open_session(session_id)
    try:
        yield store
    finally:
        store.close_all()


@contextmanager
def unwritten(path: Path) -> Iterator[None]:
    """Checks that the block leaves the file at `path` as it was, byte for byte."""
    before = path.read_bytes()
    yield
    assert path.read_bytes() == before


def hand_edit(data_dir: Path, session_id: str, edit: Callable[[dict[str, Any]], object]) -> Path:
    """The stored file of session `session_id` edited by hand: `edit` changes its JSON in
    place; the file's path."""
    path = data_dir / "sessions" / f"{session_id}.json"
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    path.write_text(json.dumps(data), "utf-8")
    return path


def only_damaged(data_dir: Path, path: Path) -> str:
    """The problem of the session file `path`, checked to be the one listed, and as damaged."""
    summaries, damaged = Store(data_dir).list_sessions()
    assert summaries == [] and [d.name for d in damaged] == [path.name]
    return damaged[0].problem


# -- the console and the room (Pilot) ------------------------------------------------------


def console_app(data_dir: Path, folder: Path = FOLDER, still: bool = False) -> WorkshopApp:
    """The console on `data_dir` with the packs of `folder`, on the test clock (`still`: the
    monotonic clock stopped, for snapshots)."""
    app = build_app(data_dir, content_dirs=(folder,), clock=Clock())
    if still:
        app.store.monotonic = lambda: 1000.0
    return app


def room_app(
    data_dir: Path, session_id: str, folder: Path = FOLDER, still: bool = False
) -> WorkshopApp:
    """The room's view presenting session `session_id` (`still`: both clocks stopped, for
    snapshots)."""
    app = build_app(data_dir, content_dirs=(folder,), present=session_id)
    if still:
        app.store.clock = lambda: NOW
        app.store.monotonic = lambda: 1000.0
    return app


async def open_step(pilot: Pilot, view: type[V], focus: type[Widget] | None = None) -> V:
    """Open the one session of the home list and wait for its step's `view` to have the
    focus (on its `focus` widget, if given); the view."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session opens")
    shown = app.screen.query_one(view)
    if focus is None:
        await until(pilot, lambda: shown.has_focus_within, f"{view.__name__} has the focus")
    else:
        await until(pilot, lambda: shown.query_one(focus).has_focus, f"{focus.__name__} has it")
    return shown


@asynccontextmanager
async def at_the_step(
    data_dir: Path,
    view: type[V],
    focus: type[Widget] | None = None,
    folder: Path = FOLDER,
    size: tuple[int, int] = (100, 30),
    notifications: bool = False,
) -> AsyncIterator[tuple[Pilot, V]]:
    """The `console_app` running at `size`, its one session opened at its step by
    `open_step`: the pilot and the step's view."""
    app = console_app(data_dir, folder)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        yield pilot, await open_step(pilot, view, focus)


def room_of(app: WorkshopApp) -> Callable[[], AudienceScreen]:
    """A function returning the room's screen of `app`, checked to be one, when called."""

    def room() -> AudienceScreen:
        assert isinstance(app.screen, AudienceScreen)
        return app.screen

    return room


@asynccontextmanager
async def in_the_room(
    data_dir: Path, session_id: str, folder: Path = FOLDER, size: tuple[int, int] = (100, 30)
) -> AsyncIterator[tuple[Store, Pilot, Callable[[], AudienceScreen]]]:
    """Session `session_id` `held_open` by a console while the room's view of it runs at
    `size`: the console's store, the room's pilot and `room_of` it."""
    with held_open(data_dir, session_id) as console:
        audience = room_app(data_dir, session_id, folder)
        async with audience.run_test(size=size) as pilot:
            yield console, pilot, room_of(audience)


def room_at(step: str) -> Callable[[Pilot], Awaitable[None]]:
    """A `run_before` for a snapshot of the room: wait until it shows step `step`, settled."""

    async def settled(pilot: Pilot) -> None:
        await room_settles(pilot, "show", step)

    return settled


TWO_SIZES = pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
"""A test run at 80×24 and at 100×30 (`size`)."""


def at_every_spacing(test: F) -> F:
    """`test` marked as a real-terminal one and run at each of SPACINGS_MS (`spacing_ms`)."""
    return pytest.mark.pty(pytest.mark.parametrize("spacing_ms", SPACINGS_MS)(test))


# -- the transcripts and the exports -------------------------------------------------------


def refused(
    doc: dict[str, Any], edit: Callable[[dict[str, Any]], object], match: str, name: str
) -> None:
    """Importing a copy of the transcript `doc` changed by `edit`, as a file called `name`,
    fails with an InvalidTranscript matching `match`."""
    changed = json.loads(json.dumps(doc))
    edit(changed)
    with pytest.raises(InvalidTranscript, match=match):
        parse_transcript(dumps(changed).encode(), name)


def markdown_table(markdown: str, heading: str) -> list[list[str]]:
    """The cells of the first table under the heading `heading` (not a cell that reads the
    same, as a step's title does in the agenda), row by row (header first)."""
    tokens = MarkdownIt().enable("table").parse(markdown)
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.content == heading and tokens[i - 1].type == "heading_open"
    )
    rows: list[list[str]] = []
    row: list[str] | None = None
    for token in tokens[start:]:
        if token.type == "heading_open" and rows:
            break
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        if token.type == "table_close":
            break
    return rows


def markdown_headings(markdown: str) -> list[str]:
    """The text of every heading of `markdown`, in order."""
    tokens = MarkdownIt().enable("table").parse(markdown)
    return [t.content for i, t in enumerate(tokens) if tokens[i - 1].type == "heading_open"]


class Section(HTMLParser):
    """What one <section id=…> of an HTML export holds: the text of each cell of its tables
    (only of class `table`, if given) row by row, of its "empty" notes, and the aria-label
    of each of its tick boxes."""

    def __init__(self, section: str, table: str | None = None) -> None:
        super().__init__()
        self.section = section
        self.table = table
        self.inside = False
        self.in_table = False
        self.in_empty = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.empty: list[str] = []
        self.boxes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "section":
            self.inside = found.get("id") == self.section
        if not self.inside:
            return
        if tag == "table":
            self.in_table = self.table is None or self.table in classes
        elif tag == "tr" and self.in_table:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_table:
            self.cell = []
        elif tag == "p" and found.get("class") == "empty":
            self.in_empty = True
            self.empty.append("")
        if "box" in classes:
            self.boxes.append(found.get("aria-label") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table":
            self.in_table = False
        elif tag == "p":
            self.in_empty = False
        elif tag == "section":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.in_empty:
            self.empty[-1] += data


def section_of(html: str, section: str, table: str | None = None) -> Section:
    """What <section id=`section`> of `html` holds (tables of class `table` only, if given)."""
    parser = Section(section, table)
    parser.feed(html)
    return parser
