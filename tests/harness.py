"""The real-terminal harness: the installed `workshop` in a pseudo-terminal, keys sent as the
bytes a terminal sends at a chosen spacing, the screen rendered by pyte, and what was stored
read back through the store once the app has quit.

Pilot waits for the app to settle after every key; this harness does not, so it catches what
a fast typist, key repeat, a paste or a presenter clicker does to the app.
"""

from __future__ import annotations

import difflib
import os
import pprint
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import ptyprocess
import pyte

from workshop.scenario import discover
from workshop.store import Store

SPACINGS_MS = (0, 10, 30, 50, 100)
"""The key spacings every scenario is run at: 0 ms sends them all in one write."""

LIMIT = 30.0
"""How long the harness waits for a screen: a bound against hanging on a loaded machine."""

KEYS: dict[str, bytes] = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "delete": b"\x1b[3~",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f10": b"\x1b[21~",
    "ctrl+p": b"\x10",
    "ctrl+q": b"\x11",
    "ctrl+t": b"\x14",
    "ctrl+z": b"\x1a",
}
"""Named keys as an xterm sends them; anything else is typed as its own characters."""


def workshop_command() -> str:
    """The installed console script (beside this Python, as pip installs it)."""
    beside = Path(sys.executable).with_name("workshop")
    found = str(beside) if beside.exists() else shutil.which("workshop")
    if found is None:
        raise RuntimeError("the workshop console script is not installed: pip install -e .")
    return found


SCENARIOS = {s.id: s for s in discover()[0]}
"""The shipped packs, by id."""

TITLE = "Acme CRM team"
"""The title of every seeded session (what the home list shows)."""


def seed(data_dir: Path, scenario: str, step: str, lines: Iterable[tuple[str, str]] = ()) -> str:
    """A stored session of `scenario` at step `step`, with `lines` (side, text) captured in
    its first capture step; its id."""
    store = Store(data_dir)
    pack = SCENARIOS[scenario]
    session = store.create_session(pack, TITLE, "Dana")
    capture = next(s.key for s in pack.steps if s.type == "capture")
    for side, text in lines:
        store.add_statement(session.id, side, text, None, step=capture)
    store.go_to_step(session.id, [s.key for s in pack.steps].index(step))
    store.close_all()
    return session.id


class Paste:
    """A bracketed paste of `text` (one write, as a terminal sends it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def bytes(self) -> bytes:
        return b"\x1b[200~" + self.text.encode() + b"\x1b[201~"


Key = str | Paste


def key_bytes(key: Key) -> list[bytes]:
    """The writes for `key`: a named key or a paste is one write, a text one per character."""
    if isinstance(key, Paste):
        return [key.bytes()]
    if key in KEYS:
        return [KEYS[key]]
    return [char.encode() for char in key]


def session_shown(screen: str) -> bool:
    """Whether `screen` shows an open session: its step count and its agenda."""
    return " of " in screen and "Agenda" in screen


class Terminal:
    """`workshop ARGS` (or `command`) running in a pseudo-terminal of `size` (columns, rows)."""

    def __init__(
        self, *args: str, size: tuple[int, int] = (100, 30), command: list[str] | None = None
    ) -> None:
        columns, rows = size
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEXTUAL", "WORKSHOP_LANGUAGE", "PYTEST"))
        }
        env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.process = ptyprocess.PtyProcess.spawn(
            command or [workshop_command(), *args], dimensions=(rows, columns), env=env
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.process.read(65536)
            except EOFError:
                break
            with self._changed:
                self.output += data
                self.stream.feed(data)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def text(self) -> str:
        """The screen as it is rendered now, one line per row."""
        with self._lock:
            return "\n".join(self.screen.display)

    def timed(self, data: bytes, check: Callable[[list[str]], bool], limit: float = LIMIT) -> float:
        """Milliseconds from writing `data` until `check(rows)` holds for the rendered rows."""
        with self._changed:
            started = time.perf_counter()
            self.process.write(data)
            while not check(self.screen.display):
                if time.perf_counter() - started > limit:
                    screen = "\n".join(self.screen.display)
                    raise AssertionError(f"not within {limit} s after {data!r}:\n{screen}")
                self._changed.wait(0.05)
            return (time.perf_counter() - started) * 1000

    def wait_for(self, check: str | Callable[[str], bool], limit: float = LIMIT) -> float:
        """Seconds until the screen shows `check` (a text, or a test of the screen's text)."""
        test = (lambda screen: check in screen) if isinstance(check, str) else check
        start = time.perf_counter()
        with self._changed:
            while not test("\n".join(self.screen.display)):
                left = limit - (time.perf_counter() - start)
                if left <= 0 or not self.process.isalive() and not self._reader.is_alive():
                    screen = "\n".join(self.screen.display)
                    raise AssertionError(f"not on screen within {limit} s: {check!r}\n{screen}")
                self._changed.wait(min(left, 0.05))
        return time.perf_counter() - start

    def write(self, data: bytes) -> None:
        self.process.write(data)

    def send(self, keys: Iterable[Key], spacing_ms: float) -> None:
        """Send `keys` `spacing_ms` apart; at 0 ms all of them in one write."""
        writes = [chunk for key in keys for chunk in key_bytes(key)]
        if spacing_ms <= 0:
            self.write(b"".join(writes))
            return
        for chunk in writes:
            self.write(chunk)
            time.sleep(spacing_ms / 1000)

    def quit(self, limit: float = LIMIT) -> int:
        """Press ctrl+q and wait for the app to exit; its exit status."""
        self.write(KEYS["ctrl+q"])
        deadline = time.monotonic() + limit
        while self.process.isalive():
            if time.monotonic() > deadline:
                self.process.kill(9)
                raise AssertionError(f"the app did not quit within {limit} s:\n{self.text()}")
            time.sleep(0.02)
        self._reader.join(5)
        return self.process.exitstatus or 0

    @classmethod
    def session(
        cls,
        data_dir: Path,
        size: tuple[int, int] = (100, 30),
        *,
        content_dir: Path | None = None,
        ready: str | Callable[[str], bool] = session_shown,
    ) -> Terminal:
        """`workshop` on `data_dir` (with the packs of `content_dir`, if given), with its
        (one, seeded) session opened from home and `ready` on screen."""
        packs = ("--content-dir", str(content_dir)) if content_dir is not None else ()
        terminal = cls("--data-dir", str(data_dir), *packs, size=size)
        try:
            terminal.wait_for(TITLE[:11])  # the home list cuts it at 80 columns
            terminal.write(KEYS["enter"])
            terminal.wait_for(ready)
        except BaseException:
            terminal.close()
            raise
        return terminal

    def close(self) -> None:
        if self.process.isalive():
            self.process.kill(9)
        self._reader.join(5)


def run_session(terminal: Terminal, keys: Sequence[Key], spacing_ms: float) -> str:
    """Send `keys` `spacing_ms` apart to the session open in `terminal`, then ctrl+q; the
    last screen. Fails on a traceback or an exit status other than 0; closes `terminal`."""
    try:
        terminal.send(keys, spacing_ms)
        status = terminal.quit()
        screen = terminal.text()
    finally:
        terminal.close()
    output = terminal.output.decode(errors="replace")
    assert "Traceback" not in output, output[-3000:]
    assert status == 0, screen
    return screen


def press_in_session(
    data_dir: Path,
    content_dir: Path,
    ready: str,
    keys: Sequence[Key],
    spacing_ms: float,
    size: tuple[int, int] = (100, 30),
) -> str:
    """Open the one seeded session of `data_dir` from home in the installed `workshop`
    (with the packs of `content_dir`), wait for `ready` on screen, send `keys`
    `spacing_ms` apart, then ctrl+q; the last screen. Fails on a traceback or an exit
    status other than 0."""
    terminal = Terminal.session(data_dir, size, content_dir=content_dir, ready=ready)
    return run_session(terminal, keys, spacing_ms)


def check_runs(
    runs: Iterable[tuple[Sequence[Key], object]],
    spacing_ms: float,
    data_dir: Path,
    content_dir: Path,
    ready: str,
    seeded: Callable[[], str],
    stored: Callable[[str], object],
) -> None:
    """For each (keys, what they mean) of `runs`: a session from `seeded()` opened by
    `press_in_session` (`ready`), the keys sent `spacing_ms` apart; `stored(its id)` must be
    what they meant. The session is deleted after each run."""
    for keys, meant in runs:
        session_id = seeded()
        press_in_session(data_dir, content_dir, ready, keys, spacing_ms)
        found = stored(session_id)
        assert found == meant, differs(meant, found, keys, spacing_ms)
        Store(data_dir).delete_session(session_id)


def differs(meant: object, stored: object, keys: Sequence[Key], spacing_ms: float) -> str:
    """A readable difference between what the keys meant and what was stored."""
    lines = difflib.unified_diff(
        pprint.pformat(meant, width=90).splitlines(),
        pprint.pformat(stored, width=90).splitlines(),
        "meant",
        "stored",
        lineterm="",
    )
    typed = " ".join(k.text if isinstance(k, Paste) else k for k in keys)
    return f"at {spacing_ms} ms, keys {typed!r}:\n" + "\n".join(lines)
