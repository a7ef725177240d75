"""Both workshops walked in a real terminal at every size, console and room's view side by
side: each step's title and its text (or the text's one line) are on both screens, and
no traceback or raw control sequence ever is. tests/test_fit.py checks the same with
Pilot, widget by widget."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fit import SIZES, fill
from tests.harness import KEYS, SCENARIOS, Terminal
from workshop.store import Store

pytestmark = pytest.mark.pty


def step_heading(text: str) -> str:
    """The start of the text's heading: on screen whether the text is open or folded."""
    from screens.widgets import text_summary

    return text_summary(text)[:18]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("pack", ["mars-venus", "erm"])
def test_every_step_reads_on_both_screens(tmp_path: Path, pack: str, size: tuple[int, int]) -> None:
    scenario = SCENARIOS[pack]
    store = Store(tmp_path)
    sid = fill(store, scenario)
    store.close_all()
    console = Terminal.session(tmp_path, size)
    room = Terminal("--data-dir", str(tmp_path), "present", sid, size=size)
    try:
        for index, step in enumerate(scenario.steps):
            if index:
                console.write(KEYS["pagedown"])
            place = f"Step {index + 1} of {len(scenario.steps)}"
            for terminal in (console, room):
                terminal.wait_for(lambda screen, s=step, p=place: p in screen and s.title in screen)
                terminal.wait_for(step_heading(step.text))
        assert console.quit() == 0
    finally:
        console.close()
        room.close()
    for terminal in (console, room):
        output = terminal.output.decode(errors="replace")
        assert "Traceback" not in output, output[-2000:]
        assert "\x1b" not in terminal.text()
