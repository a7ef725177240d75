"""What was pressed is what was stored, at any key spacing, in a real terminal.

Each scenario seeds a session through the store, opens it in the installed `workshop` in a
pseudo-terminal, sends its keys at 0, 10, 30, 50 and 100 ms apart (0 ms: all in one write)
followed at once by ctrl+q, and compares what the store holds with what the keys meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from tests.harness import SCENARIOS, SPACINGS_MS, Key, Paste, Terminal, differs, run_session, seed
from workshop.model import Session
from workshop.store import Store

pytestmark = pytest.mark.pty

MARS_VENUS_LINES = [
    ("marketing", "They never show up when it matters"),
    ("marketing", "I have staff problems too, yet I turned up"),
    ("it", "So many requests, and now this"),
    ("it", "One person, not two, and they rotate"),
    ("marketing", "Who decides what IT works on first?"),
]


def run(
    data_dir: Path,
    session_id: str,
    keys: Sequence[Key],
    spacing_ms: float,
    size: tuple[int, int] = (100, 30),
) -> tuple[Session, str]:
    """Open the session from home, send `keys` and ctrl+q; the stored session and the
    last screen."""
    screen = run_session(Terminal.session(data_dir, size), keys, spacing_ms)
    return Store(data_dir).load_session(session_id), screen


def check(meant: object, stored: object, keys: Sequence[Key], spacing_ms: float) -> None:
    assert stored == meant, differs(meant, stored, keys, spacing_ms)


def tags_of(session: Session) -> list[tuple[str, tuple[str, ...]]]:
    return [(st.text, tuple(sorted(st.tags))) for st in session.statements]


spacings = pytest.mark.parametrize("spacing_ms", SPACINGS_MS)


@spacings
def test_tagging_with_number_keys_and_arrows(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "clarity-gaps", MARS_VENUS_LINES)
    keys = ["1", "down", "2", "down", "3", "down", "4", "down", "1", "2", "up", "3"]
    session, _ = run(data, sid, keys, spacing_ms)
    texts = [text for _, text in MARS_VENUS_LINES]
    meant = [
        (texts[0], ("roles",)),
        (texts[1], ("goals",)),
        (texts[2], ("procedures",)),
        (texts[3], ("personality", "procedures")),
        (texts[4], ("goals", "roles")),
    ]
    check(meant, tags_of(session), keys, spacing_ms)


@spacings
def test_capture_with_sides_speaker_and_a_paste(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk")
    keys: list[Key] = [
        "alpha",
        "enter",
        "tab",
        "beta",
        "enter",
        "shift+tab",
        "Sam",
        "enter",
        "gamma",
        "enter",
        Paste("line one\nline two\tend"),
        "enter",
        Paste("x\x1b[31my\x1bz\nw"),
        "enter",
    ]
    session, _ = run(data, sid, keys, spacing_ms)
    meant = [
        ("marketing", "alpha", None),
        ("it", "beta", None),
        ("it", "gamma", "Sam"),
        ("it", "line one\nline two\tend", "Sam"),
        ("it", "x[31myz\nw", "Sam"),
    ]
    stored = [(st.side, st.text, st.speaker) for st in session.statements]
    check(meant, stored, keys, spacing_ms)


@spacings
def test_edit_delete_and_undo_in_the_capture_list(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    lines = [("marketing", "one"), ("marketing", "two"), ("marketing", "three")]
    sid = seed(data, "mars-venus", "self-talk", lines)
    keys = [
        "escape",
        "up",
        "e",
        "!",
        "enter",
        "escape",
        "d",
        "ctrl+z",
        "escape",
        "delta",
        "enter",
        "escape",
        "d",
        "escape",
        "escape",
        "up",
        "up",
        "e",
        "?",
        "enter",
    ]
    session, _ = run(data, sid, keys, spacing_ms)
    # Escape selects the newest line ("three"), Up "two", e and "!" make it "two!"; Escape,
    # d deletes "three", ctrl+z brings it back; Escape to the box, "delta" added; Escape, d
    # deletes "delta"; Escape twice (box, list), Up twice from "three" to "one".
    meant = ["one?", "two!", "three"]
    check(meant, [st.text for st in session.statements], keys, spacing_ms)


@spacings
def test_escape_then_typing_is_escape_then_the_keys(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk", MARS_VENUS_LINES)
    keys = ["escape", "e", " again", "enter", "escape", "up", "d"]
    session, _ = run(data, sid, keys, spacing_ms)
    # The list opens on the newest line of Venus (the current side): e edits it; Escape
    # to the list again, Up to the Venus line before it, d deletes that one.
    texts = [text for _, text in MARS_VENUS_LINES]
    meant = [texts[0], texts[2], texts[3], texts[4] + " again"]
    check(meant, [st.text for st in session.statements], keys, spacing_ms)


def agreements_of(session: Session) -> list[tuple[str, str | None, date | None]]:
    return [(a.text, a.owner, a.due) for a in session.agreements]


@spacings
def test_agreements_back_to_back_and_edited(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "next-interaction")
    keys = [
        "a",
        "deliver the deck",
        "enter",
        "a",
        "book the room",
        "tab",
        "tab",
        "Sam",
        "tab",
        "2026-12-10",
        "enter",
        "e",
        " early",
        "enter",
        "up",
        "e",
        " today",
        "enter",
        "a",
        "drop it",
        "escape",
    ]
    session, _ = run(data, sid, keys, spacing_ms)
    meant = [
        ("deliver the deck today", None, None),
        ("book the room early", "Sam", date(2026, 12, 10)),
    ]
    check(meant, agreements_of(session), keys, spacing_ms)


@spacings
def test_rating_scores_and_evidence(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "erm", "resistance-map")
    keys = ["2", "down", "3", "²", "３", "٣", "down", "1", "n", "rumour mill", "enter", "down", "0"]
    session, _ = run(data, sid, keys, spacing_ms)
    rating = next(step for step in SCENARIOS["erm"].steps if step.key == "resistance-map")
    items = [item.key for item in rating.items]
    meant = [(items[0], 2, ""), (items[1], 3, ""), (items[2], 1, "rumour mill"), (items[3], 0, "")]
    stored = [(r.item, r.score, r.note) for r in session.ratings]
    check(meant, stored, keys, spacing_ms)


@spacings
def test_new_session_form_with_tab_between_fields(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    terminal = Terminal("--data-dir", str(data), size=(100, 30))
    keys = ["n", "Acme", "tab", "Dana", "tab", "Globex", "tab", "Ann, Bob", "enter"]
    try:
        terminal.wait_for("No sessions yet")
        terminal.send(keys, spacing_ms)
        terminal.wait_for("Step 1 of")
        assert terminal.quit() == 0
    finally:
        terminal.close()
    summaries, _ = Store(data).list_sessions()
    session = Store(data).load_session(summaries[0].id)
    meant = ("Acme", "Dana", "Globex", ["Ann", "Bob"])
    stored = (session.title, session.facilitator, session.organisation, session.participants)
    check(meant, stored, keys, spacing_ms)


@spacings
def test_page_bursts_and_typing_into_the_new_step(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "opening")
    steps = [step.key for step in SCENARIOS["mars-venus"].steps]
    # From the opening to Venus's card, reveal it, on through Mars's card and the first
    # guess to the self-talk; back over the poll and forth again.
    to_venus = ["pagedown"] * steps.index("venus-brief")
    to_capture = ["pagedown"] * (steps.index("self-talk") - steps.index("venus-brief"))
    keys = [*to_venus, "f3", *to_capture, "hello room", "enter"]
    keys += ["pagedown", "pageup", "pageup", "pagedown", "more", "pagedown", "pageup", "enter"]
    session, _ = run(data, sid, keys, spacing_ms)
    meant = (steps.index("self-talk"), ["venus-brief"], ["hello room", "more"])
    stored = (session.current_step, session.revealed, [st.text for st in session.statements])
    check(meant, stored, keys, spacing_ms)


@spacings
def test_blank_notes_and_reveal_mid_typing(tmp_path: Path, spacing_ms: int) -> None:
    data = tmp_path / "data"
    sid = seed(data, "mars-venus", "self-talk")
    keys = ["alp", "f2", "ha", "f4", "f4", "f3", "!", "f2", "enter", "f4", "x", "enter"]
    session, screen = run(data, sid, keys, spacing_ms)
    meant = (["alpha!", "x"], True)
    check(meant, ([st.text for st in session.statements], session.blank), keys, spacing_ms)


ODD_KEYS = ["²", "３", "٣", "&", "é", '"', "'", "(", "´", "😀", "ß", "§"]
"""Keys that are not hotkeys: digits to isdigit() but not to int(), AZERTY's top row, a
dead key's character, an emoji."""


@pytest.mark.parametrize("spacing_ms", (0, 30))
@pytest.mark.parametrize("scenario", ("mars-venus", "erm"))
def test_odd_keys_in_every_step(tmp_path: Path, scenario: str, spacing_ms: int) -> None:
    data = tmp_path / "data"
    pack = SCENARIOS[scenario]
    sid = seed(
        data, scenario, pack.steps[0].key, MARS_VENUS_LINES if scenario == "mars-venus" else ()
    )
    keys: list[Key] = []
    for _ in pack.steps:
        keys += [*ODD_KEYS, "pagedown"]
    session, screen = run(data, sid, keys, spacing_ms)
    assert session.current_step == len(pack.steps) - 1, screen
    assert not session.ratings and not session.agreements
    assert not session.marks and not session.turns  # no tick, count, dot, reframe or turn
    assert [(st.side, st.text) for st in session.statements] == (
        MARS_VENUS_LINES if scenario == "mars-venus" else []
    )
    assert all(not st.tags for st in session.statements)
