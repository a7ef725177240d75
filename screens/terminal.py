"""Reading the terminal: Escape never merges with the key after it, and a paste arrives whole.

Textual's parser waits about 100 ms after an Escape to tell a lone Escape from an Alt chord or
an escape sequence. A facilitator who presses Escape and types on gets alt+letter (the Escape
lost), or a Mac Option character (Escape then 3 is '£'). A bracketed paste that contains an
escape character is cut there, and the rest of it arrives as keys. `TerminalParser` reads the
same bytes without either trap; `TerminalDriver` is Textual's Linux driver reading through it.
"""

from __future__ import annotations

import os
import selectors
import time
from codecs import getincrementaldecoder
from collections.abc import Iterable

from textual import constants, events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
SEQUENCE_STARTS = frozenset("[O]P_^\\")
"""What follows ESC in an escape sequence (CSI, SS3, OSC, DCS, APC, PM, ST): anything else
after ESC is a key of its own."""


def _partial_end(text: str, marker: str) -> int:
    """Length of the longest end of `text` that is a beginning of `marker` (0 if none)."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class TerminalParser(XTermParser):
    """Textual's parser, except that Escape is Escape whatever follows it, and pastes are whole.

    ESC followed by a character that cannot start an escape sequence is the Escape key, then
    that character's key, at any spacing (0 ms included). A real Alt chord, which terminals
    send the same way, is read as Escape then the key: the app binds no Alt chords. A lone
    ESC at the end of a read waits for the next read or for Textual's escape delay.
    """

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._held = ""
        """The end of the last read, kept until the next read (or the delay) says what it is."""
        self._held_since = 0.0
        self._paste: list[str] | None = None
        """The text of a bracketed paste being received, or None outside one."""

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            held, self._held = self._held, ""
            if self._paste is None:
                yield from self._release(held)
            yield from super().feed("")
            return
        text, self._held = self._held + data, ""
        yield from self._scan(text)

    def tick(self) -> Iterable[Message]:
        if (
            self._held
            and self._paste is None
            and time.monotonic() - self._held_since >= constants.ESCAPE_DELAY
        ):
            held, self._held = self._held, ""
            yield from self._release(held)
        yield from super().tick()

    def _release(self, held: str) -> Iterable[Message]:
        """What a held end of input was, now that nothing more came."""
        if held == ESC:
            yield events.Key("escape", ESC)
        elif held:
            yield from super().feed(held)

    def _hold(self, text: str) -> None:
        self._held = text
        self._held_since = time.monotonic()

    def _in_sequence(self) -> bool:
        """Whether Textual's parser is inside an escape sequence (waiting with a timeout)."""
        return getattr(self, "_timeout_time", None) is not None

    def _scan(self, text: str) -> Iterable[Message]:
        start = index = 0
        size = len(text)
        while index < size:
            if self._paste is not None:
                end = text.find(PASTE_END, index)
                if end < 0:
                    keep = _partial_end(text, PASTE_END)
                    self._paste.append(text[index : size - keep])
                    if keep:
                        self._hold(text[size - keep :])
                    return
                self._paste.append(text[index:end])
                pasted = "".join(self._paste).replace("\x00", "")
                self._paste = None
                yield events.Paste(pasted)
                start = index = end + len(PASTE_END)
                continue
            if text[index] != ESC:
                index += 1
                continue
            if start < index:
                yield from super().feed(text[start:index])
                start = index
            if self._in_sequence():
                index += 1
                continue
            if text.startswith(PASTE_START, index):
                self._paste = []
                start = index = index + len(PASTE_START)
                continue
            if PASTE_START.startswith(text[index:]):
                self._hold(text[index:])
                return
            after = text[index + 1]
            if after in SEQUENCE_STARTS:
                index += 2
                continue
            yield events.Key("escape", ESC)
            start = index = index + 1
        if start < size:
            yield from super().feed(text[start:])


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, reading keys with `TerminalParser`."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (as LinuxDriver does, with our parser)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = TerminalParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(ready):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(self.fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
