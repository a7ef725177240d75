"""The dialogue step kind, layer by layer: the pack, the store, the transcripts, the
console and the room's view, the keys in a real terminal at every spacing, and how both
screens look."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.widgets import TextArea

from screens.audience import AudienceScreen
from screens.session import SessionScreen
from screens.steps.dialogue import DialogueAudience, DialogueBox, DialogueView, TurnList, TurnRows
from tests import kits
from tests.conftest import Clock
from tests.harness import TITLE, Key, check_runs
from tests.kits import FOLDER, at_the_step, console_app, held_open, open_step, section_of, seed
from tests.pilot import settle, shown_text, type_text, until, widget_text
from workshop.errors import OutOfLimits
from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.limits import MAX_STATEMENT_CHARS
from workshop.model import Scenario
from workshop.store import Store
from workshop.transcript import dumps, parse_transcript, to_transcript

PACK = FOLDER / "dialogue.toml"
STEP = "meeting"
CTRL_T = "\x14"
"""ctrl+t as a terminal sends it: opens the thought of the turn."""

SECRET = "Zebrasecret"
"""The private thought's text: one word, so that it can be looked for on any screen."""

TURNS = (
    ("marketing", "We need the CRM live by March", "They always say no", False, None),
    ("it", "March is tight for us", f"{SECRET} budget", True, "Bob"),
    ("marketing", "What would help you?", "", False, "Ann Lee"),
)
"""The turns seeded: (side, said, thought, private, speaker)."""

Stored = tuple[str, str, str, bool, bool, tuple[str, ...], str | None]


@pytest.fixture
def pack() -> Scenario:
    return kits.load_pack(PACK)


def seeded(
    data_dir: Path, pack: Scenario, turns: tuple[tuple[str, str, str, bool, str | None], ...] = ()
) -> tuple[str, list[str]]:
    """A stored session of `pack` at its dialogue step holding `turns`; its id and the
    turn ids."""

    def say(store: Store, session_id: str) -> list[str]:
        return [store.add_turn(session_id, STEP, *turn).id for turn in turns]

    return seed(data_dir, pack, STEP, say, organisation="Acme", people=["Ann Lee", "Bob"])


def stored(data_dir: Path, session_id: str) -> list[Stored]:
    """The turns of the stored file: (side, said, thought, private, revealed, tags, speaker)."""
    session = Store(data_dir).load_session(session_id)
    return [
        (t.side, t.said, t.thought, t.private, t.revealed, t.tags, t.speaker)
        for t in session.turns_in(STEP)
    ]


def side_text(view: DialogueView) -> str:
    """What the box's label says: whose turn, and whether said or thought."""
    return widget_text(view.query_one("#dialogue-side"))


# -- the pack ------------------------------------------------------------------------------


pack_problems = partial(kits.pack_problems, name="wires.toml")


def test_a_dialogue_needs_sides_and_takes_only_its_own_fields() -> None:
    source = PACK.read_text("utf-8")
    sides = 'sides = ["marketing", "it"]\n'
    assert sides in source
    without = source.replace(sides, "")
    header = kits.line_of(without, f'key = "{STEP}"') - 1
    assert pack_problems(without) == [
        f"wires.toml:{header}: step 2 ({STEP}): a dialogue step needs 'sides', "
        'e.g. sides = ["marketing", "it"]'
    ]
    empty = source.replace(sides, "sides = []\n")
    assert pack_problems(empty) == [
        f"wires.toml:{kits.line_of(empty, 'sides = []')}: step 2 ({STEP}): a dialogue step needs "
        """'sides', e.g. sides = ["marketing", "it"]"""
    ]
    unknown = source.replace(sides, 'sides = ["marketing", "sales"]\n')
    assert pack_problems(unknown) == [
        f"wires.toml:{kits.line_of(unknown, 'sides = [')}: step 2 ({STEP}): 'sales' is not a side "
        "of this pack (sides: marketing, it)"
    ]
    with_scale = source.replace(sides, sides + "scale = 3\n")
    assert pack_problems(with_scale) == [
        f"wires.toml:{kits.line_of(with_scale, 'scale = 3')}: step 2 ({STEP}): field 'scale' does "
        "not apply to a dialogue step (only to: rating)"
    ]


# -- the store -----------------------------------------------------------------------------


def test_turns_are_on_disk_with_thought_privacy_reveal_and_tags(
    data_dir: Path, store: Store, clock: Clock, pack: Scenario
) -> None:
    session = store.create_session(pack, TITLE)
    hostile = "<b>[red]x[/red]</b> | **no** \u202e\u200b ok"
    first = store.add_turn(session.id, STEP, "marketing", f"  {hostile}\n", "They never listen")
    assert first.created_at == clock.now and first.said == hostile
    second = store.add_turn(session.id, STEP, "it", "Fine", "Not again", True, "Bob")
    store.set_turn_tags(session.id, first.id, ("roles", "goals", "roles"))
    store.reveal_thoughts(session.id, [first.id, second.id])  # the private one stays hidden
    again = Store(data_dir).load_session(session.id)
    assert [
        (t.side, t.said, t.thought, t.private, t.revealed, t.tags, t.speaker)
        for t in again.turns_in(STEP)
    ] == [
        ("marketing", first.said, "They never listen", False, True, ("roles", "goals"), None),
        ("it", "Fine", "Not again", True, False, (), "Bob"),
    ]
    # Making a revealed thought private hides it again.
    store.edit_turn(session.id, first.id, first.said, "They never listen", True)
    assert Store(data_dir).load_session(session.id).turns[0].revealed is False
    # Deleted and restored: back in its place.
    removed = store.delete_turn(session.id, first.id)
    store.restore_turn(session.id, removed)
    assert [t.id for t in Store(data_dir).load_session(session.id).turns] == [first.id, second.id]
    store.close_all()


def test_a_turn_too_long_or_in_the_wrong_step_is_refused_and_nothing_is_written(
    store: Store, pack: Scenario
) -> None:
    session = store.create_session(pack, TITLE)
    with kits.unwritten(store.path_of(session.id)):
        with pytest.raises(OutOfLimits):
            store.add_turn(session.id, STEP, "it", "x" * (MAX_STATEMENT_CHARS + 1))
        with pytest.raises(OutOfLimits):
            store.add_turn(session.id, STEP, "it", "fine", "y" * (MAX_STATEMENT_CHARS + 1))
        with pytest.raises(ValueError, match="'welcome' is not a dialogue step"):
            store.add_turn(session.id, "welcome", "it", "fine")
        with pytest.raises(ValueError, match="'sales' is not a side"):
            store.add_turn(session.id, STEP, "sales", "fine")


# -- the transcripts -----------------------------------------------------------------------


def test_the_json_transcript_withholds_a_private_thought_unless_asked(
    data_dir: Path, pack: Scenario
) -> None:
    sid, ids = seeded(data_dir, pack, TURNS)
    session = Store(data_dir).load_session(sid)
    doc = to_transcript(session)
    assert [(t["id"], t["said"], t["thought"], t["private"]) for t in doc["turns"]] == [
        (ids[0], TURNS[0][1], TURNS[0][2], False),
        (ids[1], TURNS[1][1], None, True),
        (ids[2], TURNS[2][1], "", False),
    ]
    assert SECRET not in dumps(doc)
    assert STEP not in doc["summary"]["steps"]  # a dialogue has no digest
    back = parse_transcript(dumps(doc).encode(), "wires.json")
    assert [t.thought for t in back.turns] == [TURNS[0][2], "", ""]
    assert [t.private for t in back.turns] == [False, True, False]
    # Asked for: in full, and the file round-trips without loss.
    full = to_transcript(session, include_private=True)
    assert full["turns"][1]["thought"] == TURNS[1][2]
    back = parse_transcript(dumps(full).encode(), "wires.json")
    assert back.turns == session.turns
    assert to_transcript(back, include_private=True) == full


def test_a_null_thought_that_is_not_private_is_refused_by_path(
    data_dir: Path, pack: Scenario
) -> None:
    sid, _ = seeded(data_dir, pack, TURNS)
    doc = to_transcript(Store(data_dir).load_session(sid))
    null = r"turns\[0\]\.thought: is null"
    kits.refused(doc, lambda forged: forged["turns"][0].update(thought=None), null, "wires.json")


def test_markdown_and_html_show_said_and_thought_in_two_columns(
    data_dir: Path, pack: Scenario
) -> None:
    sid, ids = seeded(data_dir, pack, TURNS)
    with held_open(data_dir, sid) as store:
        store.set_turn_tags(sid, ids[0], ("roles",))
        session = store.session(sid)
    expected = [
        ["Side", "Said", "Thought"],
        ["Venus", TURNS[0][1], f"{TURNS[0][2]}  #Roles"],
        ["Mars · Bob", TURNS[1][1], "(private)"],
        ["Venus · Ann Lee", TURNS[2][1], ""],
    ]
    markdown = to_markdown(session, pack)
    assert SECRET not in markdown
    assert "What is said, and what is thought" in markdown  # the prompt leads the part
    rows = kits.markdown_table(markdown, "The meeting")
    assert [[cell.replace("\\", "") for cell in row] for row in rows] == expected
    html = to_html(session, pack)
    assert SECRET not in html
    assert section_of(html, f"step-{STEP}").rows == expected
    # Asked for, the private thought is there, marked as such.
    rows = section_of(to_html(session, pack, include_private=True), f"step-{STEP}").rows
    assert rows[2] == ["Mars · Bob", TURNS[1][1], f"{TURNS[1][2]} (private)"]
    # Nothing said: the part says so, with no table.
    empty, _ = seeded(data_dir, pack)
    markdown = to_markdown(Store(data_dir).load_session(empty), pack)
    assert "*Nothing was said.*" in markdown
    assert kits.markdown_table(markdown, "The meeting") == []


def test_hostile_turns_are_text_in_every_export(data_dir: Path, pack: Scenario) -> None:
    hostile = "<script>alert(1)</script> | **[x](javascript:alert(2))** # no\n- not a list"
    sid, _ = seeded(data_dir, pack, (("it", hostile, hostile, False, None),))
    session = Store(data_dir).load_session(sid)
    html = to_html(session, pack)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert section_of(html, f"step-{STEP}").rows[1] == ["Mars", hostile, hostile]
    rows = kits.markdown_table(to_markdown(session, pack), "The meeting")
    assert len(rows) == 2 and len(rows[1]) == 3  # the pipes did not make more cells
    rendered = MarkdownIt().enable("table").render(to_markdown(session, pack))
    part = rendered[rendered.index("<h2>The meeting</h2>") :]
    part = part[: part.index("</table>")]
    assert "<script>" not in part and "<a " not in part and "<strong>" not in part
    back = parse_transcript(dumps(to_transcript(session)).encode(), "wires.json")
    assert back.turns == session.turns


# -- the console (Pilot) ---------------------------------------------------------------------


async def test_typing_turns_and_thoughts_stores_them_as_typed(
    data_dir: Path, pack: Scenario
) -> None:
    sid, _ = seeded(data_dir, pack)
    async with at_the_step(data_dir, DialogueView, DialogueBox) as (pilot, view):
        box = view.query_one(DialogueBox)
        assert side_text(view) == "Venus says ▸"
        await type_text(pilot, "We need the CRM live by March")
        await pilot.press("enter")
        assert stored(data_dir, sid) == [
            ("marketing", "We need the CRM live by March", "", False, False, (), None)
        ]
        await pilot.press("ctrl+t")  # the thought of that turn
        assert side_text(view) == "Venus thinks ▸" and box.has_class("-thought")
        await type_text(pilot, "They always say no")
        await pilot.press("enter")
        assert side_text(view) == "Venus says ▸"
        await pilot.press("tab")
        assert side_text(view) == "Mars says ▸"
        await type_text(pilot, "March is tight")
        await pilot.press("ctrl+t")  # saves what was said, then opens its thought
        await type_text(pilot, "Not again")
        await pilot.press("tab")  # keeps the thought, switches side
        assert side_text(view) == "Venus says ▸"
        await pilot.press("shift+tab")
        await type_text(pilot, "Ann")
        await pilot.press("enter")  # the speaker is named: back in the box
        assert box.has_focus
        await type_text(pilot, "What would help?")
        await pilot.press("enter")
        assert stored(data_dir, sid) == [
            (
                "marketing",
                "We need the CRM live by March",
                "They always say no",
                False,
                False,
                (),
                None,
            ),
            ("it", "March is tight", "Not again", False, False, (), None),
            ("marketing", "What would help?", "", False, False, (), "Ann"),
        ]
        turns = view.query_one(TurnList)
        assert turns.texts() == [
            "Venus: We need the CRM live by March | hidden They always say no",
            "Mars: March is tight | hidden Not again",
            "Venus: Ann: What would help? | ",
        ]
        # ctrl+t on a turn with a thought opens it to edit; Esc drops what was typed there.
        await pilot.press("ctrl+t")
        await type_text(pilot, "Time")
        await pilot.press("escape")
        assert box.text == "" and side_text(view) == "Venus says ▸"
        assert stored(data_dir, sid)[2][2] == ""
        await pilot.press("ctrl+t")
        await type_text(pilot, "Time")
        await pilot.press("enter")
        await pilot.press("ctrl+t")
        assert box.text == "Time"  # the thought just kept
        await pilot.press("escape")
        assert stored(data_dir, sid)[2][2] == "Time"
        # The keys of every step work while typing; what was typed stays in the box.
        await type_text(pilot, "half a turn")
        await pilot.press("pagedown")
        assert isinstance(pilot.app.screen, SessionScreen) and pilot.app.screen.step.key == "wrap"
        await pilot.press("pageup")
        assert pilot.app.screen.step.key == STEP and box.text == "half a turn"
        assert len(stored(data_dir, sid)) == 3


async def test_a_selected_turn_is_edited_made_private_revealed_tagged_deleted_and_undone(
    data_dir: Path, pack: Scenario
) -> None:
    sid, ids = seeded(data_dir, pack, TURNS)
    async with at_the_step(data_dir, DialogueView, DialogueBox) as (pilot, view):
        turns = view.query_one(TurnList)
        box = view.query_one(DialogueBox)
        await pilot.press("escape")  # the list, on the newest turn
        assert turns.has_focus and turns.current is not None and turns.current.id == ids[2]
        assert view.query_one("#dialogue-keys").display
        await pilot.press("up", "up", "r")  # reveals the first thought
        assert stored(data_dir, sid)[0][4] is True
        assert turns.texts()[0].endswith("| shown They always say no")
        await pilot.press("1")  # tags it: Roles
        assert stored(data_dir, sid)[0][5] == ("roles",)
        await pilot.press("down", "r")  # a private thought is never revealed
        assert stored(data_dir, sid)[1][4] is False
        await pilot.press("p")  # no longer private
        assert stored(data_dir, sid)[1][3] is False
        await pilot.press("R")  # every thought shown
        assert [t[4] for t in stored(data_dir, sid)] == [True, True, False]
        await pilot.press("R")  # all shown already: hidden again
        assert [t[4] for t in stored(data_dir, sid)] == [False, False, False]
        await pilot.press("ctrl+z")  # shown again
        assert [t[4] for t in stored(data_dir, sid)] == [True, True, False]
        await pilot.press("p")  # private again: hidden from the room at once
        assert stored(data_dir, sid)[1][3:5] == (True, False)
        await pilot.press("ctrl+z")  # public and shown, as before
        assert stored(data_dir, sid)[1][3:5] == (False, True)

        await pilot.press("e")  # edit what was said
        assert box.has_focus and box.text == TURNS[1][1]
        assert side_text(view) == "editing Mars ▸"
        await type_text(pilot, "!")
        await pilot.press("enter")
        assert stored(data_dir, sid)[1][1:3] == (TURNS[1][1] + "!", TURNS[1][2])
        await pilot.press("escape", "up", "up", "t")  # the first thought, to edit
        assert box.has_focus and box.text == TURNS[0][2]
        await type_text(pilot, "?")
        await pilot.press("enter")
        assert stored(data_dir, sid)[0][2] == TURNS[0][2] + "?"
        assert stored(data_dir, sid)[0][5] == ("roles",)  # the tags stay

        await pilot.press("escape", "d")  # delete the newest turn
        assert [t[1] for t in stored(data_dir, sid)] == [TURNS[0][1], TURNS[1][1] + "!"]
        await pilot.press("ctrl+z")
        assert [t[1] for t in stored(data_dir, sid)][2] == TURNS[2][1]
        assert len(turns.texts()) == 3
        await pilot.press("x")
        hint = view.query_one(".key-hint")
        assert hint.display and "'x' does nothing here" in widget_text(hint)


# -- the room (Pilot) ------------------------------------------------------------------------


def room_rows(screen: AudienceScreen) -> str:
    """What the room's dialogue shows, as drawn at its width."""
    return screen.query_one(TurnRows).render().plain


def room_turns(screen: AudienceScreen) -> list[str]:
    """The room's turns, one "said | thought" line each."""
    return screen.query_one(TurnRows).text().split("\n")


async def test_the_room_sees_a_thought_once_revealed_and_never_a_private_one(
    data_dir: Path, pack: Scenario
) -> None:
    sid, ids = seeded(data_dir, pack, TURNS)
    async with kits.in_the_room(data_dir, sid) as (console, pilot, room):
        audience = pilot.app
        await until(pilot, lambda: "3 turns" in shown_text(room()), "the room's turns")
        assert room().query(DialogueAudience)
        said = [
            "Venus: We need the CRM live by March | ",
            "Mars: Bob: March is tight for us | ",
            "Venus: Ann Lee: What would help you? | ",
        ]
        assert room_turns(room()) == said
        assert SECRET not in room_rows(room()) and SECRET not in shown_text(room())
        assert SECRET not in audience.export_screenshot()

        console.reveal_thoughts(sid, ids)  # all at once
        await until(pilot, lambda: "1 thought revealed" in shown_text(room()), "the reveal")
        assert room_turns(room()) == [said[0] + TURNS[0][2], *said[1:]]
        assert "They always say no" in room_rows(room())
        assert SECRET not in room_rows(room()) and SECRET not in audience.export_screenshot()

        # A hand-edited file claiming the private thought revealed still keeps it hidden.
        console.close_all()

        def forge(data: dict[str, Any]) -> None:
            for doc in data["turns"].values():
                doc["revealed"] = True
            data["turns"][str(len(data["turns"]))]["thought"] = "Newly revealed"

        kits.hand_edit(data_dir, sid, forge)
        console.open_session(sid)
        await until(pilot, lambda: "Newly revealed" in room_turns(room())[2], "the file re-read")
        assert SECRET not in room_rows(room()) and SECRET not in audience.export_screenshot()


# -- the real terminal -----------------------------------------------------------------------


def turn(side: str, said: str, thought: str = "", speaker: str | None = None) -> Stored:
    return (side, said, thought, False, False, (), speaker)


KEY_RUNS: list[tuple[list[Key], list[Stored]]] = [
    (
        [
            "We need the CRM live by March",
            "enter",
            CTRL_T,
            "They always say no",
            "enter",
            "tab",
            "March is tight",
            "enter",
            CTRL_T,
            "Not again",
            "enter",
            "tab",
            "What would help",
            CTRL_T,
            "Time",
            "enter",
        ],
        [
            turn("marketing", "We need the CRM live by March", "They always say no"),
            turn("it", "March is tight", "Not again"),
            turn("marketing", "What would help", "Time"),
        ],
    ),
    (
        ["Hello", CTRL_T, "hmm", "tab", "Hi", "enter", CTRL_T, "oops", "escape", "tab", "Bye"]
        + ["enter", "shift+tab", "Sam", "enter", "Later", "enter"],
        [
            turn("marketing", "Hello", "hmm"),
            turn("it", "Hi"),
            turn("marketing", "Bye"),
            turn("marketing", "Later", speaker="Sam"),
        ],
    ),
    (
        ["one", "enter", "two", "enter", "three", "enter", "escape", "up", "d", "up", "t"]
        + ["first", "enter", "escape", "e", "!", "enter", "escape", "d", "ctrl+z"],
        [turn("marketing", "one", "first"), turn("marketing", "three!")],
    ),
]
"""Keys typed in the dialogue step and the turns they leave. In the last, Escape selects
"three", Up "two", d deletes it (the highlight stays in place: "three"), Up selects "one"
and t types its thought; Escape selects the newest, "three", e and "!" edit it; Escape,
d deletes "three!" and ctrl+z brings it back."""


@kits.at_every_spacing
def test_every_turn_typed_is_stored_at_any_key_spacing(
    data_dir: Path, pack: Scenario, spacing_ms: float
) -> None:
    def seeds() -> str:
        return seeded(data_dir, pack)[0]

    check_runs(
        KEY_RUNS, spacing_ms, data_dir, FOLDER, "Venus says", seeds, partial(stored, data_dir)
    )


# -- how it looks ----------------------------------------------------------------------------


def snapshot_session(data_dir: Path, pack: Scenario) -> tuple[Path, str, list[str]]:
    """`data_dir` (the test's own: no path is drawn on these screens) holding one session
    at the dialogue step: three turns, the first thought revealed and tagged, the second
    private."""
    sid, ids = seeded(data_dir, pack, TURNS)
    with held_open(data_dir, sid) as store:
        store.set_turn_tags(sid, ids[0], ("roles",))
        store.reveal_thoughts(sid, ids)
    return data_dir, sid, ids


class TestDialogueLooks:
    """The console and the room's view at 80×24 and 100×30."""

    @kits.TWO_SIZES
    def test_console(
        self, snap_compare, data_dir: Path, pack: Scenario, size: tuple[int, int]
    ) -> None:
        snapshot_session(data_dir, pack)
        app = console_app(data_dir, still=True)

        async def run_before(pilot) -> None:
            view = await open_step(pilot, DialogueView, DialogueBox)
            await pilot.press("tab")
            await type_text(pilot, "Then let us")
            view.query_one(TextArea).cursor_blink = False
            await settle(pilot, lambda: True, "settled")

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @kits.TWO_SIZES
    def test_room(
        self, snap_compare, data_dir: Path, pack: Scenario, size: tuple[int, int]
    ) -> None:
        _, sid, _ = snapshot_session(data_dir, pack)
        with held_open(data_dir, sid):
            app = kits.room_app(data_dir, sid, still=True)
            assert snap_compare(app, terminal_size=size, run_before=kits.room_at(STEP))
