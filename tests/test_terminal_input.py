"""The terminal parser: Escape never merges with the next key; a paste arrives whole."""

from __future__ import annotations

import time

import pytest
from textual import constants, events

from screens.terminal import TerminalParser


def read(*chunks: str, wait: bool = False) -> list[str]:
    """What the parser makes of `chunks` read one after another: keys by name, pastes as
    'paste:TEXT'; with `wait`, also what the escape delay releases afterwards."""
    parser = TerminalParser()
    out: list[events.Event] = []
    for chunk in chunks:
        out += parser.feed(chunk)
    if wait:
        time.sleep(constants.ESCAPE_DELAY + 0.02)
        out += parser.tick()
    return [f"paste:{e.text}" if isinstance(e, events.Paste) else e.key for e in out]


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("\x1be", ["escape", "e"]),
        ("\x1b3", ["escape", "3"]),  # Textual's table reads this as the Mac Option key: '£'
        ("\x1bb", ["escape", "b"]),  # ... and this as ctrl+left
        ("\x1b\t", ["escape", "tab"]),  # ... and this as shift+tab
        ("\x1b\x7f", ["escape", "backspace"]),  # ... and this as ctrl+w
        ("\x1b\r", ["escape", "enter"]),
        ("\x1b\x1b[A", ["escape", "up"]),
        ("\x1b[Ae", ["up", "e"]),
        ("\x1b[6~\x1b[5~", ["pagedown", "pageup"]),
        ("\x1bOQ", ["f2"]),
        ("ab\x1bcd", ["a", "b", "escape", "c", "d"]),
    ],
)
def test_escape_then_a_key_in_one_read(typed: str, keys: list[str]) -> None:
    assert read(typed) == keys


def test_escape_at_the_end_of_a_read_waits_for_the_next() -> None:
    assert read("x\x1b", "e") == ["x", "escape", "e"]
    assert read("\x1b", "[B") == ["down"]
    assert read("\x1b", "\x1b", "3") == ["escape", "escape", "3"]


def test_a_lone_escape_is_released_after_the_delay() -> None:
    assert read("\x1b") == []
    assert read("\x1b", wait=True) == ["escape"]


def test_a_paste_with_escapes_tabs_and_newlines_is_one_paste() -> None:
    pasted = "one\ttwo\nthree \x1b[31mred\x1b[0m \x1bx end"
    assert read(f"a\x1b[200~{pasted}\x1b[201~b") == ["a", f"paste:{pasted}", "b"]


def test_a_paste_split_across_reads_is_one_paste() -> None:
    chunks = ["\x1b[2", "00~first ", "half\x1b", "[20", "1~\r"]
    assert read(*chunks) == ["paste:first half", "enter"]


def test_a_paste_that_never_ends_stays_a_paste_until_it_does() -> None:
    assert read("\x1b[200~abc", wait=True) == []
    assert read("\x1b[200~abc", "def\x1b[201~") == ["paste:abcdef"]
