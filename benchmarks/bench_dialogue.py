"""The dialogue step in a real terminal (tests/harness.py): a turn costs what a capture
line costs, and stays flat as the dialogue grows. Every figure is measured in one run,
the capture step's baselines alongside; samples of the terminals compared alternate, so
a slow moment of the machine weighs on both alike.

- `dialogue_turn_ms_at_0` / `_at_500`: Enter until the new turn is in the list of a
  dialogue holding 0 and 500 turns; medians. `dialogue_turn_ratio_500_vs_0` target <= 1.5.
- `capture_line_ms_at_0` / `_at_500`: the same for a line of a capture step holding 0 and
  500 statements (the baseline). `dialogue_vs_capture_ratio_at_0` / `_at_500`: the
  dialogue's median over the capture's, target <= 1.2.
- `dialogue_thought_ms_at_0` / `_at_500`: ctrl+t, the thought typed (untimed), Enter
  until the thought shows beside its turn; medians. `dialogue_thought_ratio_500_vs_0`
  target <= 1.5.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.bench_keys import words
from tests.harness import KEYS, TITLE, Terminal, seed
from workshop.scenario import parse_pack
from workshop.store import Store

SAMPLES = 25
TURNS = 500
FOLDER = Path(__file__).resolve().parent.parent / "tests" / "packs" / "kinds"
PACK = FOLDER / "dialogue.toml"
STEP = "meeting"
CTRL_T = b"\x14"
BAR_ROWS = 8
"""The rows at the bottom that hold the box (and the prompt, legend and keys) in both
steps at 100×30; the lists are above them."""


def dialogue_terminal(data_dir: Path, turns: int) -> Terminal:
    """`workshop` on a session at the dialogue step holding `turns` short turns."""
    pack = parse_pack(PACK.read_bytes(), PACK.name)
    store = Store(data_dir)
    session = store.create_session(pack, TITLE, "Dana")
    for index in range(turns):
        side = ("marketing", "it")[index % 2]
        store.add_turn(session.id, STEP, side, f"turn {index:03}", "a thought" if index % 3 else "")
    store.go_to_step(session.id, 1)
    store.close_all()
    terminal = Terminal("--data-dir", str(data_dir), "--content-dir", str(FOLDER))
    terminal.wait_for(TITLE[:11])
    terminal.write(KEYS["enter"])
    terminal.wait_for("Venus says")
    return terminal


def capture_terminal(data_dir: Path, statements: int) -> Terminal:
    """`workshop` on a Mars & Venus session at its capture step holding `statements`."""
    lines = [(("marketing", "it")[n % 2], f"line {n:03}") for n in range(statements)]
    seed(data_dir, "mars-venus", "self-talk", lines)
    return Terminal.session(data_dir)


def above_bar(rows: list[str], text: str) -> bool:
    """Whether `text` is in a list above the box and no longer in the box."""
    return any(text in row for row in rows[:-BAR_ROWS]) and not any(
        text in row for row in rows[-BAR_ROWS:]
    )


def enter_ms(terminal: Terminal, line: str) -> float:
    """Type `line` (untimed), then milliseconds from Enter until it is in the list."""
    terminal.write(line.encode())
    terminal.wait_for(lambda screen: line in screen)
    return terminal.timed(KEYS["enter"], lambda rows: above_bar(rows, line))


def thought_ms(terminal: Terminal, thought: str) -> float:
    """ctrl+t and `thought` typed (untimed), then milliseconds from Enter until the thought
    is beside its turn in the list."""
    terminal.write(CTRL_T)
    terminal.wait_for("thinks ▸")
    terminal.write(thought.encode())
    terminal.wait_for(lambda screen: thought in screen)
    return terminal.timed(KEYS["enter"], lambda rows: above_bar(rows, thought))


def run() -> Iterator[tuple[str, float]]:
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-dialogue-"))
    terminals: list[Terminal] = []
    try:
        turn: dict[int, list[float]] = {0: [], TURNS: []}
        line: dict[int, list[float]] = {0: [], TURNS: []}
        thought: dict[int, list[float]] = {0: [], TURNS: []}
        dialogues, captures = {}, {}
        for size in (0, TURNS):
            dialogues[size] = dialogue_terminal(root / f"d{size}", size)
            captures[size] = capture_terminal(root / f"c{size}", size)
            terminals += [dialogues[size], captures[size]]
        rng = words(random.Random(13))
        for index in range(SAMPLES):
            for size in (0, TURNS):
                turn[size].append(enter_ms(dialogues[size], f"{next(rng)}{index:02}"))
                line[size].append(enter_ms(captures[size], f"{next(rng)}{index:02}"))
                thought[size].append(thought_ms(dialogues[size], f"{next(rng)}{index:02}"))
        medians = {
            name: {size: statistics.median(values) for size, values in figures.items()}
            for name, figures in (("turn", turn), ("line", line), ("thought", thought))
        }
        for size in (0, TURNS):
            yield f"dialogue_turn_ms_at_{size}", medians["turn"][size]
            yield f"capture_line_ms_at_{size}", medians["line"][size]
            yield f"dialogue_thought_ms_at_{size}", medians["thought"][size]
        yield "dialogue_turn_ratio_500_vs_0", medians["turn"][TURNS] / medians["turn"][0]
        yield "dialogue_thought_ratio_500_vs_0", medians["thought"][TURNS] / medians["thought"][0]
        for size in (0, TURNS):
            ratio = medians["turn"][size] / medians["line"][size]
            yield f"dialogue_vs_capture_ratio_at_{size}", ratio
    finally:
        for terminal in terminals:
            terminal.close()
        shutil.rmtree(root, ignore_errors=True)
