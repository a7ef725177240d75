"""The poll step kind, layer by layer: the pack, the store, the transcripts, the console
and the room's view, the keys in a real terminal at every spacing, and snapshots."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from screens.steps.poll import PollAudience, PollRow, PollView
from tests import kits
from tests.conftest import Clock
from tests.harness import TITLE, Key, check_runs
from tests.kits import FOLDER, at_the_step, console_app, held_open, open_step, section_of, seed
from tests.pilot import room_settles, settle, shown_text, until, widget_text
from workshop.errors import OutOfLimits
from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.model import KeyLabel, Scenario
from workshop.scenario import parse_pack
from workshop.store import Store
from workshop.transcript import dumps, parse_transcript, to_transcript

PACK = FOLDER / "poll.toml"
OPTIONS = ("calm", "busy", "chaos")
ACTIONS = (
    "IT sends one person, rotating monthly",
    "A ten-minute call before each team meeting",
    "Shared definition of done",
)


@pytest.fixture
def pulse() -> Scenario:
    return kits.load_pack(PACK)


def seeded(
    data_dir: Path,
    pack: Scenario,
    step: str = "mood",
    counts: dict[str, int] | None = None,
    actions: tuple[str, ...] = (),
    people: list[str] | None = None,
) -> str:
    """A stored session of `pack` at `step`, with `actions` agreed in the agree step and
    `counts` (item → hands) in that step; its id. An item "#n" is the n-th action."""

    def count(store: Store, session_id: str) -> None:
        ids = [store.add_agreement(session_id, text, step="actions").id for text in actions]
        for item, hands in (counts or {}).items():
            key = ids[int(item[1:])] if item.startswith("#") else item
            store.set_mark(session_id, step, key, True, count=hands)

    return seed(data_dir, pack, step, count, people=people)[0]


def counts_in(data_dir: Path, session_id: str, step: str) -> dict[str, int]:
    """The counts stored for `step` in the file, by item ("#n" for the n-th agreement)."""
    session = Store(data_dir).load_session(session_id)
    names = {ag.id: f"#{i}" for i, ag in enumerate(session.agreements)}
    return {names.get(m.item, m.item): m.count for m in session.marks_in(step)}


# -- the pack ------------------------------------------------------------------------------


pack_problems = partial(kits.pack_problems, name="pulse.toml")
refused = partial(kits.refused, name="pulse.json")


def test_the_three_polls_of_the_pack_load(pulse: Scenario) -> None:
    mood, gap, _, priorities, _ = pulse.steps
    assert [o.key for o in mood.options] == list(OPTIONS)
    assert gap.taxonomy == "clarity" and not gap.options
    assert priorities.source == ("actions",) and priorities.dots == 3


def test_a_poll_needs_options_from_exactly_one_place() -> None:
    source = PACK.read_text("utf-8")
    none = source.replace('taxonomy = "clarity"\nprompt = "Which gap', 'prompt = "Which gap')
    assert pack_problems(none) == [
        "pulse.toml:55: step 2 (gap): a poll step needs its options: [[steps.options]], a "
        "'taxonomy' whose tags are the options, or a 'source' naming agree steps whose "
        "agreements are voted on"
    ]
    both = source.replace('source = ["actions"]', 'source = ["actions"]\ntaxonomy = "clarity"')
    assert pack_problems(both) == [
        "pulse.toml:74: step 4 (priorities): a poll step takes its options from one of "
        "[[steps.options]], 'taxonomy' or 'source', not from both 'taxonomy' and 'source'"
    ]
    unknown = source.replace('taxonomy = "clarity"', 'taxonomy = "clarty"')
    assert pack_problems(unknown) == [
        "pulse.toml:60: step 2 (gap): tags with taxonomy 'clarty', which the pack does not "
        "define (taxonomies: clarity)"
    ]
    not_agree = source.replace('source = ["actions"]', 'source = ["mood"]')
    assert pack_problems(not_agree) == [
        "pulse.toml:74: step 4 (priorities): source 'mood' is a poll step, not an agree step"
    ]
    empty = source.replace('source = ["actions"]', "source = []")
    assert pack_problems(empty) == [
        "pulse.toml:74: step 4 (priorities): a poll step's 'source' needs at least one agree step"
    ]


def test_a_poll_needs_its_question_and_takes_only_its_own_fields() -> None:
    source = PACK.read_text("utf-8")
    no_prompt = source.replace('prompt = "Which gap hurt us most?"\n', "")
    assert pack_problems(no_prompt) == [
        "pulse.toml:55: step 2 (gap): a poll step needs 'prompt': the question the room answers"
    ]
    blank = source.replace('"Which gap hurt us most?"', '"  "')
    assert pack_problems(blank) == [
        "pulse.toml:61: step 2 (gap): a poll step needs 'prompt': the question the room answers"
    ]
    scale = source.replace("dots = 3", "dots = 3\nscale = 2")
    assert pack_problems(scale) == [
        "pulse.toml:76: step 4 (priorities): field 'scale' does not apply to a poll step "
        "(only to: rating)"
    ]
    dots = source.replace("dots = 3", "dots = 10")
    assert pack_problems(dots) == [
        "pulse.toml:75: step 4 (priorities): field 'dots' must be a whole number from 1 to 9"
    ]


# -- the store -----------------------------------------------------------------------------


def test_counts_are_on_disk_and_the_options_are_remembered(data_dir: Path, pulse: Scenario) -> None:
    store = Store(data_dir, clock=Clock())
    session = store.create_session(pulse, TITLE)
    mood, gap, _, priorities, _ = session.steps
    assert mood.items == (
        KeyLabel("calm", "Calm and on plan"),
        KeyLabel("busy", "Busy but fine"),
        KeyLabel("chaos", "Chaos"),
    )
    assert [item.key for item in gap.items] == ["roles", "goals", "procedures"]
    assert priorities.items == ()  # a dot-vote's options are the agreements
    store.set_mark(session.id, "mood", "busy", True, count=12)
    store.set_mark(session.id, "mood", "chaos", True, count=500)
    store.set_mark(session.id, "gap", "goals", True, count=4)
    agreement = store.add_agreement(session.id, ACTIONS[0], step="actions")
    store.set_mark(session.id, "priorities", agreement.id, True, count=7)
    store.set_mark(session.id, "mood", "busy", True, count=13)
    store.close_all()
    again = Store(data_dir).load_session(session.id)
    assert [(m.step, m.item, m.count) for m in again.marks] == [
        ("mood", "busy", 13),
        ("mood", "chaos", 500),
        ("gap", "goals", 4),
        ("priorities", agreement.id, 7),
    ]
    assert [s.items for s in again.steps] == [s.items for s in session.steps]


def test_a_count_the_poll_cannot_hold_is_refused_and_nothing_is_written(
    store: Store, pulse: Scenario
) -> None:
    session = store.create_session(pulse, TITLE)
    elsewhere = store.add_agreement(session.id, "Made in no agree step", step=None)
    later = store.add_agreement(session.id, "Made in the wrap-up", step="wrap")
    with kits.unwritten(store.path_of(session.id)):
        with pytest.raises(OutOfLimits, match="'roles' is not an option of poll step 'mood'"):
            store.set_mark(session.id, "mood", "roles", True, count=1)
        with pytest.raises(OutOfLimits, match="'calm' is not an option of poll step 'gap'"):
            store.set_mark(session.id, "gap", "calm", True, count=1)
        with pytest.raises(OutOfLimits, match="'calm' is not an agreement of an agree step before"):
            store.set_mark(session.id, "priorities", "calm", True, count=1)
        with pytest.raises(OutOfLimits, match="is not an agreement of an agree step before poll"):
            store.set_mark(session.id, "priorities", later.id, True, count=1)
        with pytest.raises(OutOfLimits, match="A count is from 0 to 500, not 501"):
            store.set_mark(session.id, "mood", "calm", True, count=501)
        with pytest.raises(OutOfLimits, match="a poll's count has no value"):
            store.set_mark(session.id, "mood", "calm", True, "twelve", count=12)
    # An agreement with no step (a file older than the field) counts for the agree step.
    assert store.set_mark(session.id, "priorities", elsewhere.id, True, count=2) is not None


def test_deleting_an_agreement_takes_its_dots_and_undo_brings_them_back(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities", {"#0": 5, "#1": 2}, ACTIONS[:2])
    with held_open(data_dir, sid) as store:
        first = store.session(sid).agreements[0]
        store.delete_agreement(sid, first.id)
        assert counts_in(data_dir, sid, "priorities") == {"#0": 2}  # the file stays readable
        store.restore_agreement(sid, first)
        assert counts_in(data_dir, sid, "priorities") == {"#1": 2, "#0": 5}


def test_a_hand_edited_count_makes_the_file_a_named_problem_not_a_crash(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, counts={"calm": 3})
    path = kits.hand_edit(data_dir, sid, lambda data: data["marks"]["1"].update(count=9000))
    problem = kits.only_damaged(data_dir, path)
    assert "marks[1].count: must be a whole number from 0 to 500" in problem


# -- the transcripts -----------------------------------------------------------------------


def test_the_json_digest_ranks_the_options_and_is_checked_on_import(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities", {"#2": 4, "#0": 4, "#1": 9}, ACTIONS)
    with held_open(data_dir, sid) as store:
        store.set_mark(sid, "mood", "chaos", True, count=3)
        store.set_mark(sid, "mood", "calm", True, count=3)
        store.set_mark(sid, "gap", "roles", True, count=1)
    session = Store(data_dir).load_session(sid)
    doc = to_transcript(session)
    ids = [ag.id for ag in session.agreements]
    assert doc["summary"]["steps"]["mood"] == {
        "options": [
            {"key": "calm", "label": "Calm and on plan", "count": 3},
            {"key": "chaos", "label": "Chaos", "count": 3},
            {"key": "busy", "label": "Busy but fine", "count": 0},
        ]
    }
    assert [o["key"] for o in doc["summary"]["steps"]["gap"]["options"]] == [
        "roles",
        "goals",
        "procedures",
    ]
    assert doc["summary"]["steps"]["priorities"] == {
        "options": [
            {"key": ids[1], "label": ACTIONS[1], "count": 9},
            {"key": ids[0], "label": ACTIONS[0], "count": 4},
            {"key": ids[2], "label": ACTIONS[2], "count": 4},
        ]
    }
    back = parse_transcript(dumps(doc).encode(), "pulse.json")
    assert back.marks == session.marks and back.steps == session.steps
    assert dumps(to_transcript(back)) == dumps(doc)

    tampered = r"summary\.steps\.mood: does not match"
    refused(
        doc, lambda bad: bad["summary"]["steps"]["mood"]["options"][0].update(count=30), tampered
    )
    wrong = r"marks\[0\]: 'not-an-agreement' is not an"
    refused(doc, lambda bad: bad["marks"][0].update(item="not-an-agreement"), wrong)
    too_many = r"marks\[5\]\.count: must be a whole number from 0 to 500"
    refused(doc, lambda bad: bad["marks"][-1].update(count=501), too_many)


def test_markdown_and_html_rank_the_options_under_the_question(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities", {"#1": 6, "#2": 1}, ACTIONS)
    session = Store(data_dir).load_session(sid)
    markdown = to_markdown(session, pulse)
    tokens = MarkdownIt().enable("table").parse(markdown)
    assert {"Mood", "Biggest gap", "Priorities"} <= set(kits.markdown_headings(markdown))
    assert "Which actions matter most? (3 dots each)" in markdown
    assert "How did the roll-out sprint feel?" in markdown
    cells = [t.content for t in tokens if t.type == "inline"]
    at = cells.index("Which actions matter most? (3 dots each)")
    assert cells[at + 1 : at + 17] == [
        *("#", "Option", "Count", ""),
        *("1", ACTIONS[1], "6", "█" * 20),
        *("2", ACTIONS[2], "1", "█" * 3),
        *("3", ACTIONS[0], "0", ""),
    ]
    html = to_html(session, pulse)
    priorities = section_of(html, "step-priorities", "ranking").rows[1:]  # after the header
    gap = section_of(html, "step-gap", "ranking").rows[1:]
    assert [row[:3] for row in priorities] == [
        ["1", ACTIONS[1], "6"],
        ["2", ACTIONS[2], "1"],
        ["3", ACTIONS[0], "0"],
    ]
    assert [row[1] for row in gap] == ["Roles", "Goals", "Procedures"]


def test_without_the_pack_the_report_still_ranks_and_a_vote_without_actions_says_so(
    data_dir: Path, pulse: Scenario
) -> None:
    session = Store(data_dir).load_session(seeded(data_dir, pulse, counts={"chaos": 2}))
    markdown = to_markdown(session, None)
    assert "| 1 | Chaos | 2 |" in markdown
    assert "*No agreements were made to vote on.*" in markdown


def test_hostile_labels_and_agreements_are_text_in_every_export(
    data_dir: Path, pulse: Scenario
) -> None:
    hostile = "<script>alert(1)</script> | **bold** [link](x)"
    source = PACK.read_text("utf-8").replace("Chaos", hostile.replace('"', '\\"'))
    pack = parse_pack(source.encode(), PACK.name)
    sid = seeded(data_dir, pack, "priorities", {"#0": 2}, (hostile,))
    session = Store(data_dir).load_session(sid)
    html = to_html(session, pack)
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    rendered = MarkdownIt().enable("table").render(to_markdown(session, pack))
    assert "<script>" not in rendered and "<strong>bold" not in rendered
    assert rendered.count("&lt;script&gt;alert(1)&lt;/script&gt; | **bold** [link](x)") >= 2
    back = parse_transcript(dumps(to_transcript(session)).encode(), "pulse.json")
    assert back.agreements[0].text == hostile


# -- the console and the room (Pilot) --------------------------------------------------------


def option_lines(view: PollView) -> list[str]:
    return [
        " ".join(widget_text(w).split())
        for row in view.query(".poll-row")
        for w in row.query(".poll-label, .poll-count")
    ]


async def test_digits_plus_minus_backspace_and_undo_count_hands(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, people=["Ann", "Bob", "Cy"])
    async with at_the_step(data_dir, PollView) as (pilot, view):
        assert "How did the roll-out sprint feel?" in widget_text(view.query_one("#poll-question"))
        assert widget_text(view.query_one("#poll-total")) == (
            "Total: 0 of 3 hands (3 people × 1 hand)"
        )
        await pilot.press("1", "2")  # typed: 12
        assert counts_in(data_dir, sid, "mood") == {"calm": 12}
        await pilot.press("backspace", "3")  # 1, then 13
        assert counts_in(data_dir, sid, "mood") == {"calm": 13}
        await pilot.press("down", "2", "plus", "plus", "minus")  # 2, 3, 4, 3
        assert counts_in(data_dir, sid, "mood") == {"calm": 13, "busy": 3}
        await pilot.press("4")  # after + or −, a digit starts a new number
        assert counts_in(data_dir, sid, "mood") == {"calm": 13, "busy": 4}
        await pilot.press("up", "5")  # back on calm: a new number
        assert counts_in(data_dir, sid, "mood") == {"calm": 5, "busy": 4}
        await pilot.press("enter", "enter", "7")  # Enter: the next option
        assert counts_in(data_dir, sid, "mood") == {"calm": 5, "busy": 4, "chaos": 7}
        assert option_lines(view) == [
            "Calm and on plan",
            "5",
            "Busy but fine",
            "4",
            "Chaos",
            "7",
        ]
        total = view.query_one("#poll-total")
        assert widget_text(total) == (
            "Total: 16 of 3 hands (3 people × 1 hand): more than the room has"
        )
        assert total.has_class("-over")
        await pilot.press("0")  # goes on with the number: 70
        assert counts_in(data_dir, sid, "mood") == {"calm": 5, "busy": 4, "chaos": 70}
        await pilot.press("backspace", "backspace")  # 7, then 0: no mark
        assert counts_in(data_dir, sid, "mood") == {"calm": 5, "busy": 4}
        await pilot.press("ctrl+z")  # the number typed on chaos, all of it
        assert counts_in(data_dir, sid, "mood") == {"calm": 5, "busy": 4}
        await pilot.press("ctrl+z")  # the 5 on calm: 13 again
        assert counts_in(data_dir, sid, "mood") == {"calm": 13, "busy": 4}
        await pilot.press("ctrl+z", "ctrl+z")  # the 4, then the − on busy
        assert counts_in(data_dir, sid, "mood") == {"calm": 13, "busy": 4}

        await pilot.press("x")
        hint = view.query_one(".key-hint")
        assert hint.display and "'x' does nothing here: digits type the count" in widget_text(hint)
        await pilot.press("up", "up", "5", "0", "1")  # 501 is more than a session has
        assert counts_in(data_dir, sid, "mood")["calm"] == 50
        assert "A count is at most 500" in widget_text(hint)
        await pilot.press("minus")
        assert counts_in(data_dir, sid, "mood")["calm"] == 49
        assert not hint.display


async def test_a_dot_vote_lists_the_agreements_and_counts_dots(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities", actions=ACTIONS[:2])
    async with at_the_step(data_dir, PollView) as (pilot, view):
        assert option_lines(view)[::2] == list(ACTIONS[:2])
        assert not view.query_one("#poll-empty").display
        await pilot.press("3", "down", "plus")
        assert counts_in(data_dir, sid, "priorities") == {"#0": 3, "#1": 1}
        assert widget_text(view.query_one("#poll-total")) == "Total: 4 dots · 3 dots each"
        # A new agreement made meanwhile in the agree step shows when the poll is back.
        await pilot.press("pageup")
        await until(pilot, lambda: not view.display, "the agree step is shown")
        pilot.app.screen.editor.add_agreement(ACTIONS[2], step="actions")
        await pilot.press("pagedown")
        await until(pilot, lambda: len(view.choices) == 3, "the new agreement is listed")
        await pilot.press("down", "down")
        await settle(pilot, lambda: view.query_one("ListView").index == 2, "on the third")
        await pilot.press("2")
        assert counts_in(data_dir, sid, "priorities") == {"#0": 3, "#1": 1, "#2": 2}
        await pilot.click(view.query(PollRow).first())  # a click chooses, no more
        await settle(pilot, lambda: view.query_one("ListView").index == 0, "on the first")
        await pilot.press("1")
        assert counts_in(data_dir, sid, "priorities") == {"#0": 1, "#1": 1, "#2": 2}


async def test_a_dot_vote_without_agreements_says_where_to_make_them(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities")
    async with at_the_step(data_dir, PollView) as (pilot, view):
        empty = view.query_one("#poll-empty")
        assert empty.display
        assert "make them in 'Actions' first (PageUp)" in widget_text(empty)
        await pilot.press("5", "plus")
        assert counts_in(data_dir, sid, "priorities") == {}


async def test_the_room_sees_the_question_and_the_ranking_live(
    data_dir: Path, pulse: Scenario
) -> None:
    sid = seeded(data_dir, pulse, "priorities", {"#1": 2}, ACTIONS)
    async with kits.in_the_room(data_dir, sid) as (console, pilot, room):
        await until(pilot, lambda: "2 dots in all" in shown_text(room()), "the room's total")
        view = room().query_one(PollAudience)
        shown = shown_text(room())
        assert "Which actions matter most?" in shown and "3 dots each" in shown
        ranking = view.query_one("#aud-poll-ranking")
        assert [label for label, _ in ranking.rows] == [ACTIONS[1], ACTIONS[0], ACTIONS[2]]
        assert ranking.counts() == [2, 0, 0]

        session = console.session(sid)
        console.set_mark(sid, "priorities", session.agreements[2].id, True, count=5)
        await until(pilot, lambda: "7 dots in all" in shown_text(room()), "the room follows")
        assert [label for label, _ in ranking.rows] == [ACTIONS[2], ACTIONS[1], ACTIONS[0]]
        assert ranking.counts() == [5, 2, 0]


# -- the real terminal -----------------------------------------------------------------------


KEY_RUNS: list[tuple[list[Key], dict[str, int]]] = [
    (["1", "2", "down", "3", "down", "4", "5"], {"calm": 12, "busy": 3, "chaos": 45}),
    (["7", "backspace", "9", "enter", "+", "+", "+", "-"], {"calm": 9, "busy": 2}),
    (["down", "5", "up", "up", "2", "0", "ctrl+z", "down", "backspace"], {}),
    (
        ["3", "+", "4", "down", "down", "1", "1", "1", "up", "8"],
        {"calm": 4, "busy": 8, "chaos": 111},
    ),
]
"""Keys pressed in the first poll step and the counts they leave stored."""


@kits.at_every_spacing
def test_every_count_typed_is_stored_at_any_key_spacing(
    data_dir: Path, pulse: Scenario, spacing_ms: float
) -> None:
    def counted(session_id: str) -> dict[str, int]:
        return counts_in(data_dir, session_id, "mood")

    seeds = partial(seeded, data_dir, pulse)
    check_runs(KEY_RUNS, spacing_ms, data_dir, FOLDER, "Total: 0 hands", seeds, counted)


# -- snapshots -------------------------------------------------------------------------------


TYPED = {"mood": "3", "priorities": "7"}
"""The count typed on the second option before each console snapshot: 4 of 4 hands, 12 of
12 dots."""


def snapshot_session(data_dir: Path, step: str) -> tuple[Path, str]:
    """`data_dir` (the test's own: no path is drawn on these screens) holding one session
    at `step` with counts in every poll."""

    def count(store: Store, session_id: str) -> None:
        ids = [store.add_agreement(session_id, text, step="actions").id for text in ACTIONS]
        for item, hands in (("calm", 1), ("busy", 2)):
            store.set_mark(session_id, "mood", item, True, count=hands)
        for item, hands in ((ids[0], 3), (ids[1], 6), (ids[2], 2)):
            store.set_mark(session_id, "priorities", item, True, count=hands)

    people = ["Ann", "Bob", "Cy", "Di"]
    pack = kits.load_pack(PACK)
    sid, _ = seed(data_dir, pack, step, count, organisation="Acme", people=people, still=True)
    return data_dir, sid


class TestPollSnapshots:
    """The console and the room's view of a poll and a dot-vote, at two sizes."""

    @kits.TWO_SIZES
    @pytest.mark.parametrize("step", ["mood", "priorities"])
    def test_console(self, snap_compare, tmp_path: Path, step: str, size: tuple[int, int]) -> None:
        data_dir, _ = snapshot_session(tmp_path / f"console-{step}-{size[0]}", step)
        app = console_app(data_dir, still=True)

        async def run_before(pilot) -> None:
            await open_step(pilot, PollView)
            await pilot.press("down", TYPED[step])  # the count being typed stands out
            await settle(pilot, lambda: True, "settled")

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @kits.TWO_SIZES
    @pytest.mark.parametrize("step", ["mood", "priorities"])
    def test_audience(self, snap_compare, tmp_path: Path, step: str, size: tuple[int, int]) -> None:
        data_dir, sid = snapshot_session(tmp_path / f"audience-{step}-{size[0]}", step)
        with held_open(data_dir, sid, still=True):
            app = kits.room_app(data_dir, sid, still=True)
            assert snap_compare(app, terminal_size=size, run_before=room_settles)


async def test_markup_in_an_agreement_is_text_on_both_screens(
    data_dir: Path, pulse: Scenario
) -> None:
    hostile = "[bold]Ship[/] it [@click=app.quit]now[/] \x1b]0;pwned\x07"
    sid = seeded(data_dir, pulse, "priorities", {"#0": 1}, (hostile,))
    shown = Store(data_dir).load_session(sid).agreements[0].text
    assert "\x1b" not in shown  # controls are stripped on the way in
    async with at_the_step(data_dir, PollView) as (pilot, view):
        assert option_lines(view)[0] == " ".join(shown.split())
        await pilot.press("plus")
        assert counts_in(data_dir, sid, "priorities") == {"#0": 2}
        assert pilot.app.is_running
    async with kits.in_the_room(data_dir, sid) as (_, pilot, _):
        await room_settles(pilot)
        ranking = pilot.app.screen.query_one("#aud-poll-ranking")
        assert [label for label, _ in ranking.rows] == [shown]
        assert "[bold]Ship[/] it [@click=app.quit]now[/]" in ranking.render().plain
