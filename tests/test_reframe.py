"""The reframe step kind, layer by layer: the pack, the store, the transcripts, the
console and the room's view, the keys in a real terminal at every spacing, and how both
screens look."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.widgets import TextArea

from screens.session import SessionScreen
from screens.steps.base import SPOTLIGHT_DELAY
from screens.steps.reframe import LineList, ReframeAudience, ReframeView
from tests import kits
from tests.conftest import Clock
from tests.harness import Key, check_runs, differs, press_in_session
from tests.kits import FOLDER, at_the_step, console_app, held_open, open_step, room_app, seed
from tests.pilot import room_settles, settle, shown_text, type_text, until, widget_text
from tests.test_contrast import measure
from workshop.errors import OutOfLimits
from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.kinds import KINDS
from workshop.kinds.reframe import walked
from workshop.model import Scenario
from workshop.scenario import parse_pack
from workshop.store import Store
from workshop.transcript import dumps, parse_transcript, to_transcript

PACK = FOLDER / "reframe.toml"
STEP = "say-it-better"
LINES = (
    ("marketing", "They never show up when it matters", None),
    ("marketing", "IT has not given this project priority", "Ann Lee"),
    ("it", "So many requests, and now this", None),
    ("it", "She will have to be more flexible", "Bob"),
)
"""The statements of the capture step, in the order they were said: (side, text, speaker)."""

PEOPLE = ["Ann Lee", "Bob"]
"""The participants of every seeded session."""


@pytest.fixture
def kit() -> Scenario:
    return kits.load_pack(PACK)


def seeded(
    data_dir: Path, pack: Scenario, reframed: dict[int, str] | None = None
) -> tuple[str, list[str]]:
    """A stored session of `pack` at its reframe step, the four LINES captured and the
    lines `reframed` (by index) reframed; its id and the statement ids."""

    def say(store: Store, session_id: str) -> list[str]:
        ids = captured(store, session_id)
        reframe(store, session_id, ids, reframed)
        return ids

    return seed(data_dir, pack, STEP, say, organisation="Acme", people=PEOPLE)


def captured(store: Store, session_id: str) -> list[str]:
    """The LINES added to the capture step of session `session_id`; their ids."""
    return [
        store.add_statement(session_id, side, text, speaker, step="self-talk").id
        for side, text, speaker in LINES
    ]


def reframe(store: Store, session_id: str, ids: list[str], reframed: dict[int, str] | None) -> None:
    """The lines `ids[i]` reframed as `reframed[i]`."""
    for index, value in (reframed or {}).items():
        store.set_mark(session_id, STEP, ids[index], True, value)


def stored(data_dir: Path, session_id: str, ids: list[str]) -> dict[int, str]:
    """The reframes in the stored file, by line index."""
    session = Store(data_dir).load_session(session_id)
    found = {}
    for index, line_id in enumerate(ids):
        mark = session.mark(STEP, line_id)
        if mark is not None:
            found[index] = mark.value
    return found


def current_text(view: ReframeView) -> str:
    """The line under discussion as the console shows it, with its reframe."""
    return widget_text(view.query_one("#reframe-current"))


DIALOGUE = """[[steps]]
key = "meeting"
title = "The meeting"
type = "dialogue"
timebox = 15
sides = ["marketing", "it"]

"""
"""A dialogue step, put before the reframe step by `dialogue_pack`."""

TURNS = (
    ("marketing", "Good to see you.", "He is late again.", False, "Ann Lee"),
    ("it", "Sorry, another fire.", "Ann Lee never reads my mails", True, None),
    ("marketing", "Shall we start?", "", False, None),
)
"""The turns of the dialogue step: (side, said, thought, private, speaker)."""


def dialogue_pack(folder: Path, source: str | None = None) -> Scenario:
    """The pack with DIALOGUE before its reframe step (and the reframe's `source`, when
    given), written to `folder` for the app to find."""
    text = PACK.read_text("utf-8").replace(
        f'[[steps]]\nkey = "{STEP}"', DIALOGUE + f'[[steps]]\nkey = "{STEP}"'
    )
    if source is not None:
        text = text.replace(
            'prompt = "What would you say', f'source = {source}\nprompt = "What would you say'
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PACK.name).write_text(text, "utf-8")
    return parse_pack(text.encode(), PACK.name)


def seeded_dialogue(
    data_dir: Path, pack: Scenario, reframed: dict[int, str] | None = None
) -> tuple[str, list[str], list[str]]:
    """A stored session of a `dialogue_pack` at its reframe step, with the LINES captured,
    the TURNS said and the turns `reframed` (by index): its id, the statement ids and
    the turn ids."""

    def say(store: Store, session_id: str) -> tuple[list[str], list[str]]:
        statements = captured(store, session_id)
        turns = [store.add_turn(session_id, "meeting", *turn).id for turn in TURNS]
        reframe(store, session_id, turns, reframed)
        return statements, turns

    sid, (statements, turns) = seed(data_dir, pack, STEP, say, organisation="Acme", people=PEOPLE)
    return sid, statements, turns


# -- the pack ------------------------------------------------------------------------------


pack_problems = partial(kits.pack_problems, name="kit.toml")
refused = partial(kits.refused, name="kit.json")


CAPTURE = """[[steps]]
key = "self-talk"
title = "Self-talk"
type = "capture"
timebox = 10
sides = ["marketing", "it"]

"""


def test_a_reframe_needs_an_earlier_step_whose_lines_it_walks() -> None:
    source = PACK.read_text("utf-8")
    assert CAPTURE in source
    without = source.replace(CAPTURE, "")
    header = kits.line_of(without, f'key = "{STEP}"') - 1
    assert pack_problems(without) == [
        f"kit.toml:{header}: step 2 ({STEP}): a reframe step needs an earlier dialogue or "
        "capture step whose lines it walks"
    ]
    # The capture step after the reframe is no help: it must come before.
    after = without.replace('[[steps]]\nkey = "wrap"', CAPTURE + '[[steps]]\nkey = "wrap"')
    header = kits.line_of(after, f'key = "{STEP}"') - 1
    assert pack_problems(after) == [
        f"kit.toml:{header}: step 2 ({STEP}): a reframe step needs an earlier dialogue or "
        "capture step whose lines it walks"
    ]


@pytest.mark.parametrize(
    "source, problem",
    [
        ('["welcome"]', "source 'welcome' is a brief step, not a dialogue or capture step"),
        ('["wrap"]', "source 'wrap' is not an earlier step of this pack"),
        (f'["{STEP}"]', f"source '{STEP}' is this step itself"),
        ('["self-talk", "nowhere"]', "source 'nowhere' is not an earlier step of this pack"),
    ],
)
def test_a_source_must_name_earlier_dialogue_or_capture_steps(source: str, problem: str) -> None:
    text = PACK.read_text("utf-8").replace(
        'prompt = "What would you say', f'source = {source}\nprompt = "What would you say'
    )
    assert pack_problems(text) == [
        f"kit.toml:{kits.line_of(text, 'source = ')}: step 3 ({STEP}): {problem}"
    ]


def test_a_reframe_takes_only_its_own_fields(kit: Scenario) -> None:
    text = PACK.read_text("utf-8").replace(
        'prompt = "What would you say', 'scale = 3\nprompt = "What would you say'
    )
    assert pack_problems(text) == [
        f"kit.toml:{kits.line_of(text, 'scale = 3')}: step 3 ({STEP}): field 'scale' does not "
        "apply to a reframe step (only to: rating)"
    ]
    step = kit.steps[2]
    assert (step.type, step.source, step.prompt) == ("reframe", (), "What would you say instead?")
    assert KINDS["reframe"].sources == ("dialogue", "capture")
    named = PACK.read_text("utf-8").replace(
        'prompt = "What would you say', 'source = ["self-talk"]\nprompt = "What would you say'
    )
    assert parse_pack(named.encode(), "kit.toml").steps[2].source == ("self-talk",)


# -- the store -----------------------------------------------------------------------------


def test_a_reframe_is_on_disk_and_can_be_changed_and_taken_away(
    data_dir: Path, store: Store, clock: Clock, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit)
    store.open_session(sid)
    mark = store.set_mark(sid, STEP, ids[2], True, "Which requests come first?")
    assert mark is not None and (mark.value, mark.at, mark.count) == (
        "Which requests come first?",
        clock.now,
        0,
    )
    store.set_mark(sid, STEP, ids[0], True, "Could we agree who comes?")
    store.set_mark(sid, STEP, ids[0], True, "Could we agree who comes to which meeting?")
    assert stored(data_dir, sid, ids) == {
        0: "Could we agree who comes to which meeting?",
        2: "Which requests come first?",
    }
    assert store.set_mark(sid, STEP, ids[2], False) is None
    assert stored(data_dir, sid, ids) == {0: "Could we agree who comes to which meeting?"}
    # The original lines stay as they were said.
    again = Store(data_dir).load_session(sid)
    assert [st.text for st in again.statements] == [text for _, text, _ in LINES]
    store.close_all()


def test_odd_text_is_cleaned_and_what_breaks_a_limit_is_refused_unwritten(
    data_dir: Path, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit)
    store = Store(data_dir, clock=Clock())
    store.open_session(sid)
    hostile = "  \x1b]0;owned\x07[bold]Ask[/] <b>first</b>\r\nthen | decide \u202e  "
    mark = store.set_mark(sid, STEP, ids[1], True, hostile)
    assert mark is not None
    assert mark.value == "]0;owned[bold]Ask[/] <b>first</b>\nthen | decide \u202e"
    assert stored(data_dir, sid, ids) == {1: mark.value}
    with kits.unwritten(store.path_of(sid)):
        with pytest.raises(OutOfLimits, match="a reframe needs the better line"):
            store.set_mark(sid, STEP, ids[0], True, " \n\t ")
        with pytest.raises(OutOfLimits, match="a reframe has no count"):
            store.set_mark(sid, STEP, ids[0], True, "Fine", count=3)
        with pytest.raises(OutOfLimits, match="the limit is 4,000"):
            store.set_mark(sid, STEP, ids[0], True, "x" * 4001)
        with pytest.raises(OutOfLimits, match="the id of a turn or a statement"):
            store.set_mark(sid, STEP, "not an id!", True, "Fine")
        with pytest.raises(OutOfLimits, match="no step that keeps marks"):
            store.set_mark(sid, "self-talk", ids[0], True, "Fine")
    assert store.set_mark(sid, STEP, ids[0], True, "x" * 4000) is not None
    store.close_all()


def test_a_deleted_line_keeps_its_reframe_for_the_undo_and_the_file_stays_readable(
    data_dir: Path, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit, {1: "Could IT say what comes first?", 3: "How can we?"})
    store = Store(data_dir, clock=Clock())
    store.open_session(sid)
    removed = store.delete_statement(sid, ids[1])
    summaries, damaged = Store(data_dir).list_sessions()
    assert damaged == [] and [s.id for s in summaries] == [sid]
    session = Store(data_dir).load_session(sid)
    assert KINDS["reframe"].digest is not None
    assert KINDS["reframe"].digest(session, session.steps[2]) == [
        {"of": ids[3], "before": LINES[3][1], "after": "How can we?"}
    ]
    store.restore_statement(sid, removed)
    session = Store(data_dir).load_session(sid)
    assert [d["of"] for d in KINDS["reframe"].digest(session, session.steps[2])] == [
        ids[1],
        ids[3],
    ]
    store.close_all()


def test_a_hand_edited_reframe_makes_the_file_a_named_problem(
    data_dir: Path, kit: Scenario
) -> None:
    sid, _ = seeded(data_dir, kit, {0: "Could we agree who comes?"})
    path = kits.hand_edit(data_dir, sid, lambda data: data["marks"]["1"].update(value=""))
    assert "a reframe needs the better line" in kits.only_damaged(data_dir, path)


# -- the transcripts -----------------------------------------------------------------------


def test_the_json_digest_lists_the_reframes_in_walk_order_and_imports_back(
    data_dir: Path, kit: Scenario
) -> None:
    # Reframed out of order: the digest follows the order the lines were said.
    sid, ids = seeded(data_dir, kit, {2: "Which requests come first?", 0: "Who comes when?"})
    session = Store(data_dir).load_session(sid)
    doc = to_transcript(session)
    assert doc["summary"]["steps"][STEP] == [
        {"of": ids[0], "before": LINES[0][1], "after": "Who comes when?"},
        {"of": ids[2], "before": LINES[2][1], "after": "Which requests come first?"},
    ]
    assert [(m["step"], m["item"], m["value"]) for m in doc["marks"]] == [
        (STEP, ids[2], "Which requests come first?"),
        (STEP, ids[0], "Who comes when?"),
    ]
    back = parse_transcript(dumps(doc).encode(), "kit.json")
    assert back.marks == session.marks
    assert back.statements == session.statements
    assert to_transcript(back) == doc
    # A session with nothing reframed has an empty digest.
    empty, _ = seeded(data_dir, kit)
    assert to_transcript(Store(data_dir).load_session(empty))["summary"]["steps"][STEP] == []


def test_a_transcript_whose_reframes_do_not_add_up_is_refused_by_path(
    data_dir: Path, kit: Scenario
) -> None:
    sid, _ = seeded(data_dir, kit, {0: "Who comes when?"})
    doc = to_transcript(Store(data_dir).load_session(sid))
    forged = rf"summary\.steps\.{STEP}: does not match"
    refused(
        doc,
        lambda bad: bad["summary"]["steps"][STEP][0].update(after="Something nobody said"),
        forged,
    )
    blank = r"marks\[0\]: a reframe needs the better line"
    refused(doc, lambda bad: bad["marks"][0].update(value=""), blank)
    counted = r"marks\[0\]: a reframe has no count"
    refused(doc, lambda bad: bad["marks"][0].update(count=2), counted)


def test_anonymize_replaces_names_in_the_reframes_too(data_dir: Path, kit: Scenario) -> None:
    said = "Ann could ask Bob first, and Dana keeps the time"
    sid, ids = seeded(data_dir, kit, {1: said})
    session = Store(data_dir).load_session(sid)
    doc = to_transcript(session, anonymize=True)
    expected = "Participant 1 could ask Participant 2 first, and Facilitator keeps the time"
    assert [m["value"] for m in doc["marks"]] == [expected]
    assert doc["summary"]["steps"][STEP] == [
        {"of": ids[1], "before": LINES[1][1], "after": expected}
    ]
    assert parse_transcript(dumps(doc).encode(), "anon.json").marks[0].value == expected
    for text in (to_markdown(session, kit, anonymize=True), to_html(session, kit, anonymize=True)):
        assert "Participant 1 could ask Participant 2 first" in text
        assert "Ann" not in text and "Bob" not in text and "Dana" not in text


def test_markdown_and_html_show_each_reframe_before_and_after(
    data_dir: Path, kit: Scenario
) -> None:
    sid, _ = seeded(data_dir, kit, {3: "What would help you most?", 1: "What comes first?"})
    session = Store(data_dir).load_session(sid)
    expected = [
        ["Side", "Before", "After"],
        ["Venus · Ann Lee", LINES[1][1], "What comes first?"],
        ["Mars · Bob", LINES[3][1], "What would help you most?"],
    ]
    markdown = to_markdown(session, kit)
    assert "What would you say instead?" in markdown  # the prompt leads the part
    rows = kits.markdown_table(markdown, "Say it better")
    assert [[cell.replace("\\", "") for cell in row] for row in rows] == expected
    assert kits.section_of(to_html(session, kit), f"step-{STEP}").rows == expected
    # Nothing reframed: the part says so, with no table.
    empty, _ = seeded(data_dir, kit)
    session = Store(data_dir).load_session(empty)
    markdown = to_markdown(session, kit)
    assert "*Nothing was reframed.*" in markdown
    assert kits.markdown_table(markdown, "Say it better") == []
    part = kits.section_of(to_html(session, kit), f"step-{STEP}")
    assert (part.rows, part.empty) == ([], ["Nothing was reframed."])


def test_hostile_reframes_are_text_in_every_export(data_dir: Path, kit: Scenario) -> None:
    hostile = "<script>alert(1)</script> | **[x](javascript:alert(2))** # no\n- not a list"
    sid, _ = seeded(data_dir, kit, {0: hostile})
    session = Store(data_dir).load_session(sid)
    html = to_html(session, kit)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert kits.section_of(html, f"step-{STEP}").rows[1] == ["Venus", LINES[0][1], hostile]
    rows = kits.markdown_table(to_markdown(session, kit), "Say it better")
    assert len(rows) == 2 and len(rows[1]) == 3  # the pipe did not make a fourth cell
    rendered = MarkdownIt().enable("table").render(to_markdown(session, kit))
    part = rendered[rendered.index("<h2>Say it better</h2>") :]
    part = part[: part.index("</table>")]
    assert "<script>" not in part and "<a " not in part and "<strong>" not in part
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | **[x](javascript:alert(2))**" in part


# -- the console and the room (Pilot) --------------------------------------------------------


async def test_typing_a_reframe_saves_it_and_the_original_stays(
    data_dir: Path, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit)
    async with at_the_step(data_dir, ReframeView, LineList, notifications=True) as (pilot, view):
        assert "0 of 4 reframed" in widget_text(view.query_one("#reframe-progress"))
        assert current_text(view).startswith(f"Venus\n{LINES[0][1]}\n→ not reframed yet")

        await pilot.press("n", "n")  # the third line
        assert current_text(view).startswith(f"Mars\n{LINES[2][1]}")
        await pilot.press("enter")
        box = view.query_one(TextArea)
        assert box.has_focus and box.text == ""
        await type_text(pilot, "Which requests come first?")
        await pilot.press("enter")
        assert stored(data_dir, sid, ids) == {2: "Which requests come first?"}
        assert view.query_one(LineList).has_focus and box.text == ""
        assert current_text(view) == f"Mars\n{LINES[2][1]}\n→ Which requests come first?"
        assert "1 of 4 reframed" in widget_text(view.query_one("#reframe-progress"))
        assert Store(data_dir).load_session(sid).statements[2].text == LINES[2][1]

        # Enter on a reframed line puts its reframe in the box, to edit.
        await pilot.press("enter")
        assert box.has_focus and box.text == "Which requests come first?"
        await type_text(pilot, " For whom?")
        await pilot.press("enter")
        assert stored(data_dir, sid, ids) == {2: "Which requests come first? For whom?"}

        # d removes it, ctrl+z brings it back; up and p move back.
        await pilot.press("d")
        assert stored(data_dir, sid, ids) == {}
        await pilot.press("ctrl+z")
        assert stored(data_dir, sid, ids) == {2: "Which requests come first? For whom?"}
        await pilot.press("ctrl+z")  # the edit, undone
        assert stored(data_dir, sid, ids) == {2: "Which requests come first?"}
        await pilot.press("p", "up")
        assert current_text(view).startswith(f"Venus\n{LINES[0][1]}")

        # Esc leaves the box; what was typed stays in it for the next Enter.
        await pilot.press("enter")
        await type_text(pilot, "Who comes when?")
        await pilot.press("escape")
        assert view.query_one(LineList).has_focus and box.text == "Who comes when?"
        assert stored(data_dir, sid, ids) == {2: "Which requests come first?"}
        await pilot.press("down", "enter")
        assert box.text == "Who comes when?"
        await pilot.press("enter")
        assert stored(data_dir, sid, ids) == {1: "Who comes when?", 2: "Which requests come first?"}

        # A key that does nothing says which keys do.
        await pilot.press("x")
        hint = view.query_one(".key-hint")
        assert hint.display and "'x' does nothing here: n/p" in widget_text(hint)


async def test_with_nothing_said_before_both_screens_say_so(data_dir: Path, kit: Scenario) -> None:
    sid, _ = seed(data_dir, kit, STEP)
    app = console_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query(ReframeView)), "the step")
        view = app.screen.query_one(ReframeView)
        assert view.query_one("#reframe-empty").display
        assert "0 of 0 reframed" in widget_text(view.query_one("#reframe-progress"))
        await pilot.press("enter", "n", "d", "ctrl+z", "x")
        assert Store(data_dir).load_session(sid).marks == []
    async with kits.in_the_room(data_dir, sid, size=(80, 24)) as (_, pilot, room):
        await room_settles(pilot, "show", STEP)
        assert "Nothing to reframe yet." in shown_text(room())


async def test_keys_of_every_step_work_while_typing(data_dir: Path, kit: Scenario) -> None:
    sid, ids = seeded(data_dir, kit)
    async with at_the_step(data_dir, ReframeView, LineList) as (pilot, view):
        await pilot.press("enter")
        await type_text(pilot, "b. and n, p, d are letters here")
        box = view.query_one(TextArea)
        assert box.text == "b. and n, p, d are letters here"
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("pagedown")
        await until(pilot, lambda: screen.step.key == "wrap", "the next step")
        await pilot.press("pageup")
        await until(pilot, lambda: screen.step.key == STEP, "back to the reframe step")
        assert box.text == "b. and n, p, d are letters here"  # nothing typed is lost
        assert stored(data_dir, sid, ids) == {}


async def test_the_room_is_pointed_at_the_line_under_discussion(
    data_dir: Path, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit)
    async with at_the_step(data_dir, ReframeView, LineList) as (pilot, _):
        await pilot.press("n", "n", "n")
        await pilot.pause(SPOTLIGHT_DELAY * 2)
        await until(
            pilot,
            lambda: Store(data_dir).load_session(sid).spotlight == ids[3],
            "the spotlight saved",
        )


async def test_the_room_sees_the_line_before_and_after_and_the_count(
    data_dir: Path, kit: Scenario
) -> None:
    sid, ids = seeded(data_dir, kit, {0: "Could we agree who comes to which meeting?"})
    async with kits.in_the_room(data_dir, sid) as (console, pilot, room):
        await until(pilot, lambda: "1 of 4 reframed" in shown_text(room()), "the count")
        assert room().query(ReframeAudience)
        line = widget_text(room().query_one("#aud-reframe-line"))
        assert line == (f"Venus\n\n{LINES[0][1]}\n\n→ Could we agree who comes to which meeting?")
        assert "What would you say instead?" in shown_text(room())
        assert "Reframed so far" not in shown_text(room())  # the one reframe is in view

        console.set_spotlight(sid, ids[1])
        await until(
            pilot, lambda: LINES[1][1] in widget_text(room().query_one("#aud-reframe-line")), "spot"
        )
        assert widget_text(room().query_one("#aud-reframe-line")) == (
            f"Venus · Ann Lee\n\n{LINES[1][1]}\n\n→ …"
        )
        assert "Reframed so far" in shown_text(room())
        console.set_mark(sid, STEP, ids[1], True, "What comes first for IT?")
        await until(pilot, lambda: "2 of 4 reframed" in shown_text(room()), "the room follows")
        assert "→ What comes first for IT?" in widget_text(room().query_one("#aud-reframe-line"))
        done = widget_text(room().query_one("#aud-reframe-done"))
        assert done == f"• {LINES[0][1]}  → Could we agree who comes to which meeting?"


async def test_every_character_the_room_reads_has_7_to_1(data_dir: Path, kit: Scenario) -> None:
    sid, ids = seeded(data_dir, kit, {0: "Could we agree who comes?", 3: "What helps you?"})
    with held_open(data_dir, sid) as console:
        console.set_spotlight(sid, ids[3])
        audience = room_app(data_dir, sid)
        async with audience.run_test(size=(100, 30)) as pilot:
            await room_settles(pilot, "show", STEP)
            assert await measure(audience, "reframe") == []


# -- the turns of a dialogue ------------------------------------------------------------------


def test_without_source_a_reframe_walks_the_dialogue_else_its_source(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cases = [
        (None, "turns"),  # a dialogue comes before: its turns, not the statements
        ('["self-talk"]', "statements"),
        ('["meeting", "self-talk"]', "both"),  # in agenda order: the capture came first
    ]
    for source, walks in cases:
        pack = dialogue_pack(tmp_path / "packs", source)
        sid, statements, turns = seeded_dialogue(data_dir, pack)
        session = Store(data_dir).load_session(sid)
        step = next(s for s in pack.steps if s.key == STEP)
        expected = {"turns": turns, "statements": statements, "both": statements + turns}
        assert [line.id for line in walked(session, step)] == expected[walks], source
    # The dialogue's turns are walked by what was said (the thought is not reframed).
    lines = walked(session, step)
    assert [line.before for line in lines[len(statements) :]] == [t[1] for t in TURNS]
    assert lines[len(statements)].turn and not lines[0].turn


def test_a_reframed_turn_shows_what_was_said_and_no_private_thought(tmp_path: Path) -> None:
    pack = dialogue_pack(tmp_path / "packs")
    data_dir = tmp_path / "data"
    sid, _, turns = seeded_dialogue(
        data_dir, pack, {1: "What would help you, Ann Lee?", 0: "Thanks for coming."}
    )
    session = Store(data_dir).load_session(sid)
    assert stored(data_dir, sid, turns) == {
        0: "Thanks for coming.",
        1: "What would help you, Ann Lee?",
    }
    doc = to_transcript(session)
    assert doc["summary"]["steps"][STEP] == [
        {"of": turns[0], "before": "Good to see you.", "after": "Thanks for coming."},
        {
            "of": turns[1],
            "before": "Sorry, another fire.",
            "after": "What would help you, Ann Lee?",
        },
    ]
    assert parse_transcript(dumps(doc).encode(), "kit.json").marks == session.marks
    private = TURNS[1][2]
    assert private not in dumps(doc)
    markdown = to_markdown(session, pack)
    rows = kits.markdown_table(markdown[markdown.index("## Say it better") :], "Say it better")
    assert [[c.replace("\\", "") for c in row] for row in rows] == [
        ["Side", "Before", "After"],
        ["Venus · Ann Lee", "Good to see you.", "Thanks for coming."],
        ["Mars", "Sorry, another fire.", "What would help you, Ann Lee?"],
    ]
    assert private not in to_html(session, pack)
    anonymous = to_transcript(session, anonymize=True)
    assert anonymous["summary"]["steps"][STEP][1]["after"] == "What would help you, Participant 1?"
    assert "Ann" not in json.dumps(anonymous["marks"])
    # A deleted turn keeps its reframe for the undo, out of the digest meanwhile.
    store = Store(data_dir, clock=Clock())
    store.open_session(sid)
    gone = store.delete_turn(sid, turns[0])
    session = Store(data_dir).load_session(sid)
    assert [d["of"] for d in to_transcript(session)["summary"]["steps"][STEP]] == [turns[1]]
    store.restore_turn(sid, gone)
    assert stored(data_dir, sid, turns) == {
        0: "Thanks for coming.",
        1: "What would help you, Ann Lee?",
    }
    store.close_all()


async def test_the_console_walks_the_turns_and_the_room_never_sees_a_thought(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "packs"
    pack = dialogue_pack(folder)
    data_dir = tmp_path / "data"
    sid, _, turns = seeded_dialogue(data_dir, pack)
    async with at_the_step(data_dir, ReframeView, LineList, folder=folder) as (pilot, view):
        assert "0 of 3 reframed" in widget_text(view.query_one("#reframe-progress"))
        assert current_text(view) == (
            "Venus · Ann Lee\nGood to see you.\n(thought, not shown to the room) He is late "
            "again.\n→ not reframed yet: Enter types one"
        )
        await pilot.press("n")
        assert "(private thought, never shown to the room) Ann Lee never reads" in (
            current_text(view)
        )
        await pilot.press("enter")
        await type_text(pilot, "Which fire matters most?")
        await pilot.press("enter", "n")
        assert current_text(view).startswith("Venus\nShall we start?\n→ not reframed")
        assert stored(data_dir, sid, turns) == {1: "Which fire matters most?"}

    with held_open(data_dir, sid) as console:
        console.reveal_thoughts(sid, [turns[0]])
        audience = room_app(data_dir, sid, folder)
        async with audience.run_test(size=(100, 30)) as pilot:
            room = kits.room_of(audience)
            for turn_id, said in ((turns[1], "Sorry, another fire."), (turns[0], "Good to")):
                console.set_spotlight(sid, turn_id)
                await until(pilot, lambda s=said: s in shown_text(room()), "the room follows")
                shown = shown_text(room())
                assert "1 of 3 reframed" in shown
                assert "never reads" not in shown and "late again" not in shown
            assert "→ …" in widget_text(room().query_one("#aud-reframe-line"))


# -- the real terminal -----------------------------------------------------------------------


KEY_RUNS: list[tuple[list[Key], dict[int, str]]] = [
    (
        ["enter", "Who comes when?", "enter", "n", "enter", "What first?", "enter"],
        {0: "Who comes when?", 1: "What first?"},
    ),
    (
        ["n", "n", "enter", "Which one", "enter", "enter", " first?", "enter", "p", "p", "d"],
        {2: "Which one first?"},
    ),
    (
        ["down", "enter", "Draft", "escape", "n", "n", "enter", "enter", "ctrl+z", "ctrl+z"]
        + ["p", "enter", " two ", "enter", "n", "enter", "Three", "enter", "d", "ctrl+z"],
        {2: "two", 3: "Three"},
    ),
]
"""Keys pressed in the reframe step and the reframes they leave, by line index."""


@kits.at_every_spacing
def test_every_reframe_typed_is_stored_at_any_key_spacing(
    data_dir: Path, kit: Scenario, spacing_ms: float
) -> None:
    ids: dict[str, list[str]] = {}  # the statement ids of each session seeded

    def seeds() -> str:
        sid, ids[sid] = seeded(data_dir, kit)
        return sid

    def found(session_id: str) -> dict[int, str]:
        return stored(data_dir, session_id, ids[session_id])

    check_runs(KEY_RUNS, spacing_ms, data_dir, FOLDER, "0 of 4 reframed", seeds, found)


TURN_KEYS: list[Key] = ["n", "n", "enter", "Shall we?", "enter", "p", "p", "enter", "Hi!", "enter"]
"""Keys pressed in the reframe step of a dialogue, leaving {0: "Hi!", 2: "Shall we?"}."""


@kits.at_every_spacing
def test_every_reframe_of_a_turn_typed_is_stored_at_any_key_spacing(
    tmp_path: Path, spacing_ms: float
) -> None:
    folder = tmp_path / "packs"
    data_dir = tmp_path / "data"
    sid, _, turns = seeded_dialogue(data_dir, dialogue_pack(folder))
    press_in_session(data_dir, folder, "0 of 3 reframed", TURN_KEYS, spacing_ms)
    meant = {0: "Hi!", 2: "Shall we?"}
    found = stored(data_dir, sid, turns)
    assert found == meant, differs(meant, found, TURN_KEYS, spacing_ms)


# -- how it looks ----------------------------------------------------------------------------


def snapshot_session(data_dir: Path, kit: Scenario) -> tuple[Path, str, list[str]]:
    """`data_dir` (the test's own: no path is drawn on these screens) holding one session
    at the reframe step, two lines reframed."""
    sid, ids = seeded(data_dir, kit, {0: "Could we agree who comes to which meeting?"})
    with held_open(data_dir, sid) as store:
        store.set_mark(sid, STEP, ids[3], True, "What would make this easier for you?")
    return data_dir, sid, ids


class TestReframeLooks:
    """The console and the room's view at 80×24 and 100×30."""

    @kits.TWO_SIZES
    def test_console(
        self, snap_compare, tmp_path: Path, kit: Scenario, size: tuple[int, int]
    ) -> None:
        data_dir, _, _ = snapshot_session(tmp_path / f"console-{size[0]}", kit)
        app = console_app(data_dir, still=True)

        async def run_before(pilot) -> None:
            view = await open_step(pilot, ReframeView, LineList)
            await pilot.press("n", "n", "enter")  # the third line, not reframed yet
            await type_text(pilot, "Which requests come")
            view.query_one(TextArea).cursor_blink = False
            await settle(pilot, lambda: True, "settled")

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @kits.TWO_SIZES
    def test_room(self, snap_compare, tmp_path: Path, kit: Scenario, size: tuple[int, int]) -> None:
        data_dir, sid, ids = snapshot_session(tmp_path / f"room-{size[0]}", kit)
        with held_open(data_dir, sid) as console:
            console.set_spotlight(sid, ids[3])
            app = room_app(data_dir, sid, still=True)
            assert snap_compare(app, terminal_size=size, run_before=kits.room_at(STEP))
