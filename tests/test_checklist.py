"""The checklist step kind, layer by layer: the pack, the store, the transcripts, the
console and the room's view, and the keys in a real terminal at every spacing."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from screens.steps.checklist import ChecklistAudience, ChecklistView
from tests import kits
from tests.conftest import Clock
from tests.harness import TITLE, Key, check_runs
from tests.kits import FOLDER, at_every_spacing, at_the_step, seed
from tests.pilot import shown_text, until, widget_text
from workshop.errors import OutOfLimits
from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.model import KeyLabel, Scenario
from workshop.scenario import parse_pack
from workshop.store import Store
from workshop.transcript import dumps, parse_transcript, to_transcript

PACK = FOLDER / "checklist.toml"
ITEMS = ("inner-voice", "stays-here", "phones")


@pytest.fixture
def kickoff() -> Scenario:
    return kits.load_pack(PACK)


def seeded(data_dir: Path, pack: Scenario, ticked: tuple[str, ...] = ()) -> str:
    """A stored session of `pack` at its checklist step with `ticked` items; its id."""

    def tick(store: Store, session_id: str) -> None:
        for item in ticked:
            store.set_mark(session_id, "ground-rules", item, True)

    return seed(data_dir, pack, "ground-rules", tick)[0]


def ticked_in(data_dir: Path, session_id: str) -> list[str]:
    """The items of the checklist step ticked in the stored file, in pack order."""
    session = Store(data_dir).load_session(session_id)
    return [item for item in ITEMS if session.mark("ground-rules", item) is not None]


# -- the pack ------------------------------------------------------------------------------


pack_problems = partial(kits.pack_problems, name="kickoff.toml")
refused = partial(kits.refused, name="kickoff.json")


def test_a_checklist_needs_items_and_takes_only_its_own_fields() -> None:
    source = PACK.read_text("utf-8")
    head, _, _ = source.partition("  [[steps.items]]")
    without_items = head + '[[steps]]\nkey = "wrap"\ntitle = "Wrap"\ntype = "brief"\ntimebox = 1\n'
    assert pack_problems(without_items) == [
        "kickoff.toml:21: step 2 (ground-rules): a checklist step needs at least one "
        "[[steps.items]]"
    ]
    with_scale = source.replace('prompt = "Agreed', 'scale = 3\nprompt = "Agreed')
    assert pack_problems(with_scale) == [
        "kickoff.toml:27: step 2 (ground-rules): field 'scale' does not apply to a "
        "checklist step (only to: rating)"
    ]


# -- the store -----------------------------------------------------------------------------


def test_ticks_are_on_disk_with_their_time_and_the_items_are_remembered(
    data_dir: Path, store: Store, clock: Clock, kickoff: Scenario
) -> None:
    session = store.create_session(kickoff, TITLE)
    assert session.steps[1].items == (
        KeyLabel("inner-voice", "The inner voice is not judged"),
        KeyLabel("stays-here", "Names stay in the room"),
        KeyLabel("phones", "Phones face down"),
    )
    assert session.steps[0].items == ()  # a brief step keeps none
    mark = store.set_mark(session.id, "ground-rules", "phones", True)
    assert mark is not None and mark.at == clock.now
    phones_at = mark.at
    store.set_mark(session.id, "ground-rules", "inner-voice", True)
    assert store.set_mark(session.id, "ground-rules", "inner-voice", False) is None
    # Straight from the file, by another store: only the phones are ticked, at that time.
    again = Store(data_dir).load_session(session.id)
    assert [(m.item, m.at) for m in again.marks] == [("phones", phones_at)]
    assert again.steps[1].items == session.steps[1].items


def test_a_mark_the_step_cannot_hold_is_refused_and_nothing_is_written(
    store: Store, kickoff: Scenario
) -> None:
    session = store.create_session(kickoff, TITLE)
    with kits.unwritten(store.path_of(session.id)):
        with pytest.raises(OutOfLimits, match="'fire-exits' is not an item of checklist step"):
            store.set_mark(session.id, "ground-rules", "fire-exits", True)
        with pytest.raises(OutOfLimits, match="no step that keeps marks"):
            store.set_mark(session.id, "welcome", "inner-voice", True)


def test_a_hand_edited_mark_makes_the_file_a_named_problem_not_a_crash(
    data_dir: Path, kickoff: Scenario
) -> None:
    sid = seeded(data_dir, kickoff, ("phones",))
    path = kits.hand_edit(data_dir, sid, lambda data: data["marks"]["1"].update(item="fire-exits"))
    problem = kits.only_damaged(data_dir, path)
    assert "'fire-exits' is not an item of checklist step 'ground-rules'" in problem


# -- the transcripts -----------------------------------------------------------------------


def test_the_json_transcript_carries_items_and_ticks_and_imports_back(
    data_dir: Path, kickoff: Scenario, tmp_path: Path
) -> None:
    sid = seeded(data_dir, kickoff, ("phones", "inner-voice"))
    session = Store(data_dir).load_session(sid)
    doc = to_transcript(session)
    assert doc["steps"][1]["items"] == [
        {"key": "inner-voice", "label": "The inner voice is not judged"},
        {"key": "stays-here", "label": "Names stay in the room"},
        {"key": "phones", "label": "Phones face down"},
    ]
    assert [(m["step"], m["item"]) for m in doc["marks"]] == [
        ("ground-rules", "phones"),
        ("ground-rules", "inner-voice"),
    ]
    back = parse_transcript(dumps(doc).encode(), "kickoff.json")
    assert back.marks == session.marks
    assert back.steps == session.steps


def test_a_transcript_mark_that_fits_no_step_is_refused_by_path(
    data_dir: Path, kickoff: Scenario
) -> None:
    doc = to_transcript(Store(data_dir).load_session(seeded(data_dir, kickoff, ("phones",))))
    wrong_item = r"marks\[0\]: 'fire-exits' is not an item"
    refused(doc, lambda wrong: wrong["marks"][0].update(item="fire-exits"), wrong_item)
    wrong_step = r"marks\[0\]\.step: 'welcome' is no step"
    refused(doc, lambda wrong: wrong["marks"][0].update(step="welcome"), wrong_step)
    twice = r"marks\[1\]: marks 'phones' a second time"
    refused(doc, lambda wrong: wrong["marks"].append(wrong["marks"][0]), twice)
    # A transcript written before marks existed has neither field, and imports.
    older = json.loads(json.dumps(doc))
    del older["marks"]
    for step in older["steps"]:
        step.pop("items", None)
    assert parse_transcript(dumps(older).encode(), "old.json").marks == []


def test_markdown_and_html_list_every_item_ticked_or_not(data_dir: Path, kickoff: Scenario) -> None:
    session = Store(data_dir).load_session(seeded(data_dir, kickoff, ("phones",)))
    markdown = to_markdown(session, kickoff)
    tokens = MarkdownIt().parse(markdown)
    assert "Ground rules" in kits.markdown_headings(markdown)
    items = [t.content for t in tokens if t.type == "inline" and t.content.startswith("[")]
    assert items == [
        "[ ] The inner voice is not judged — not ticked",
        "[ ] Names stay in the room — not ticked",
        "[x] Phones face down — ticked at 09:00",
    ]
    assert "Agreed by the whole room" in markdown  # the step's prompt leads the list
    boxes = kits.section_of(to_html(session, kickoff), "step-ground-rules").boxes
    assert boxes == ["not ticked", "not ticked", "ticked"]


def test_a_label_with_markup_is_text_in_every_export(data_dir: Path, kickoff: Scenario) -> None:
    hostile = "<script>alert(1)</script> **[x] not a tick**"
    source = PACK.read_text("utf-8").replace("Phones face down", hostile.replace('"', '\\"'))
    pack = parse_pack(source.encode(), PACK.name)
    session = Store(data_dir).load_session(seeded(data_dir, pack, ("phones",)))
    html = to_html(session, pack)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rendered = MarkdownIt().render(to_markdown(session, pack))
    assert "<li>[x] &lt;script&gt;alert(1)&lt;/script&gt; **[x] not a tick** — ticked" in rendered


# -- the console and the room (Pilot) --------------------------------------------------------


async def test_digits_space_and_undo_tick_items_on_screen_and_on_disk(
    data_dir: Path, kickoff: Scenario
) -> None:
    sid = seeded(data_dir, kickoff)
    async with at_the_step(data_dir, ChecklistView) as (pilot, view):
        assert "0 of 3 ticked" in widget_text(view.query_one("#checklist-progress"))

        await pilot.press("3")
        assert ticked_in(data_dir, sid) == ["phones"]
        await pilot.press("up", "space")  # the highlight follows the digit: up is item 2
        assert ticked_in(data_dir, sid) == ["stays-here", "phones"]
        lines = [widget_text(line) for line in view.query(".checklist-line")]
        assert lines == [
            "☐ 1 The inner voice is not judged",
            "☑ 2 Names stay in the room",
            "☑ 3 Phones face down",
        ]
        assert "2 of 3 ticked" in widget_text(view.query_one("#checklist-progress"))

        await pilot.press("3")  # again: unticks
        assert ticked_in(data_dir, sid) == ["stays-here"]
        await pilot.press("ctrl+z")  # the untick is undone
        assert ticked_in(data_dir, sid) == ["stays-here", "phones"]

        await pilot.press("x")
        hint = view.query_one(".key-hint")
        assert hint.display and "'x' does nothing here: 1–3 or Space" in widget_text(hint)
        await pilot.press("9")  # no ninth item
        assert ticked_in(data_dir, sid) == ["stays-here", "phones"]


async def test_the_room_sees_the_ticks_and_the_count(data_dir: Path, kickoff: Scenario) -> None:
    sid = seeded(data_dir, kickoff, ("inner-voice",))
    async with kits.in_the_room(data_dir, sid) as (console, pilot, room):
        await until(pilot, lambda: "1 of 3 ticked" in shown_text(room()), "the room's count")
        assert room().query(ChecklistAudience)
        shown = shown_text(room())
        assert "☑ 1 The inner voice is not judged" in shown
        assert "☐ 3 Phones face down" in shown
        assert "Agreed by the whole room" in shown

        console.set_mark(sid, "ground-rules", "phones", True)
        await until(pilot, lambda: "2 of 3 ticked" in shown_text(room()), "the room follows")
        assert "☑ 3 Phones face down" in shown_text(room())


# -- the real terminal -----------------------------------------------------------------------


KEY_RUNS: list[tuple[list[Key], list[str]]] = [
    (["1", "2", "3"], list(ITEMS)),
    (["1", "3", "3", "2"], ["inner-voice", "stays-here"]),
    (["2", "ctrl+z", "3", "up", "up", " "], ["inner-voice", "phones"]),
]
"""Keys pressed in the checklist step and the items they leave ticked."""


@at_every_spacing
def test_every_tick_typed_is_stored_at_any_key_spacing(
    data_dir: Path, kickoff: Scenario, spacing_ms: float
) -> None:
    seeds = partial(seeded, data_dir, kickoff)
    check_runs(
        KEY_RUNS, spacing_ms, data_dir, FOLDER, "0 of 3 ticked", seeds, partial(ticked_in, data_dir)
    )
