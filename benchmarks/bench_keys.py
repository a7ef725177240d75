"""Keys in a real terminal: the installed `workshop` in a pseudo-terminal (tests/harness.py),
timed from writing the key's bytes until the rendered screen shows its effect.

- `keystroke_ms_p50_at_N` / `_p95_at_N`: a printable key in the capture box until it is on
  screen, in a session of N statements (0 and 500). Target p95 <= 33 ms at 500.
- `bare_textual_keystroke_ms_p50` / `_p95`: the same for a Textual app holding only a
  TextArea, measured in the same run: what the terminal, pyte and Textual cost by themselves.
- `tag_key_ms_p95`: a tag key until the tag shows on its statement (500 statements). Target
  <= 33 ms.
- `tag_key_p95_vs_bare_keystroke_p95`: the same against the bare TextArea's keystroke p95.
- `step_first_visit_ms`: PageUp from the tagging step to the capture step the first time
  (its view is built); one sample.
- `step_change_ms`: PageDown (or PageUp) until the other step's header is drawn, between the
  capture and the tagging step of a 500-statement session, both visited before (their
  views are kept); median. Target <= 100 ms.
- `capture_ms_at_0` / `capture_ms_at_500`: Enter until the new statement is in the list;
  medians. `capture_ratio_500_vs_0` target <= 1.5.
"""

from __future__ import annotations

import random
import shutil
import statistics
import string
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.harness import KEYS, Terminal, seed

KEYSTROKES = 120
TAG_KEYS = 40
STEP_CHANGES = 20
CAPTURES = 20
BAR_ROWS = 6
"""The capture bar is within the bottom rows of the screen; the lists are above it."""

BARE_APP = """
from textual.app import App
from textual.widgets import TextArea
class Bare(App):
    def compose(self):
        yield TextArea()
Bare().run()
"""


def seeded(data_dir: Path, statements: int, step: str) -> None:
    """A Mars & Venus session at `step` holding `statements` short statements."""
    lines = [(("marketing", "it")[index % 2], f"line {index:03}") for index in range(statements)]
    seed(data_dir, "mars-venus", step, lines)


def words(rng: random.Random) -> Iterator[str]:
    """Random 16-letter words: no prefix of one is likely to be on screen already."""
    while True:
        yield "".join(rng.choice(string.ascii_lowercase) for _ in range(16))


def keystrokes(
    terminal: Terminal, count: int, box: slice = slice(-BAR_ROWS, None), submit: bool = True
) -> list[float]:
    """Milliseconds per printable key, typing 16-letter words into the rows `box` (Enter, or
    backspaces, between words, untimed)."""
    times: list[float] = []
    for word in words(random.Random(7)):
        for size in range(1, len(word) + 1):
            typed = word[:size]
            times.append(
                terminal.timed(
                    typed[-1].encode(), lambda rows, t=typed: any(t in row for row in rows[box])
                )
            )
            if len(times) == count:
                return times
        terminal.timed(
            KEYS["enter"] if submit else b"\x7f" * len(word),
            lambda rows, w=word: not any(w in row for row in rows[box]),
        )
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def capture_ms(terminal: Terminal) -> list[float]:
    """Milliseconds from Enter until the typed line is in a list above the capture bar."""
    times = []
    for index, word in zip(range(CAPTURES), words(random.Random(11)), strict=False):
        line = f"{word}{index:02}"
        terminal.write(line.encode())
        terminal.wait_for(lambda screen, line=line: line in screen)
        times.append(
            terminal.timed(
                KEYS["enter"],
                lambda rows, line=line: (
                    any(line in row for row in rows[:-BAR_ROWS])
                    and not any(line in row for row in rows[-BAR_ROWS:])
                ),
            )
        )
    return times


def tag_key_ms(terminal: Terminal) -> list[float]:
    """Milliseconds from a tag key until the first statement shows (or loses) '#Roles'."""
    times = []
    for index in range(TAG_KEYS):
        tagged = index % 2 == 0

        def shown(rows: list[str], tagged: bool = tagged) -> bool:
            row = next((r for r in rows if "line 000" in r), "")
            return ("#Roles" in row) == tagged

        times.append(terminal.timed(b"1", shown))
    return times


def step_change_ms(terminal: Terminal) -> list[float]:
    times = []
    for index in range(STEP_CHANGES):
        key, header = ("pagedown", "Step 6 of") if index % 2 == 0 else ("pageup", "Step 5 of")
        times.append(terminal.timed(KEYS[key], lambda rows, h=header: h in rows[0]))
    return times


def run() -> Iterator[tuple[str, float]]:
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-keys-"))
    terminals: list[Terminal] = []
    try:
        bare = Terminal(command=[sys.executable, "-c", BARE_APP])
        terminals.append(bare)
        bare.wait_for("▔")
        bare_times = keystrokes(bare, KEYSTROKES, box=slice(0, 3), submit=False)
        yield "bare_textual_keystroke_ms_p50", statistics.median(bare_times)
        yield "bare_textual_keystroke_ms_p95", p95(bare_times)
        captures = {}
        for statements in (0, 500):
            seeded(root / f"k{statements}", statements, "self-talk")
            terminal = Terminal.session(root / f"k{statements}")
            terminals.append(terminal)
            times = keystrokes(terminal, KEYSTROKES)
            yield f"keystroke_ms_p50_at_{statements}", statistics.median(times)
            yield f"keystroke_ms_p95_at_{statements}", p95(times)
            captures[statements] = statistics.median(capture_ms(terminal))
        yield "capture_ms_at_0", captures[0]
        yield "capture_ms_at_500", captures[500]
        yield "capture_ratio_500_vs_0", captures[500] / captures[0]
        seeded(root / "tag", 500, "clarity-gaps")
        terminal = Terminal.session(root / "tag")
        terminals.append(terminal)
        tag_p95 = p95(tag_key_ms(terminal))
        yield "tag_key_ms_p95", tag_p95
        yield "tag_key_p95_vs_bare_keystroke_p95", tag_p95 / p95(bare_times)
        yield (
            "step_first_visit_ms",
            terminal.timed(KEYS["pageup"], lambda rows: "Step 5 of" in rows[0]),
        )
        yield "step_change_ms", statistics.median(step_change_ms(terminal))
    finally:
        for terminal in terminals:
            terminal.close()
        shutil.rmtree(root, ignore_errors=True)
