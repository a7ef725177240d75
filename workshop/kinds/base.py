"""What every step kind of the core is made of: its pack fields and rules, and the part
of the readable transcripts it adds. Each kind is one module of this package; the
package's `KINDS` gathers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from workshop.model import KeyLabel, Mark, Scenario, Session, Side, Step, StepTime, Taxonomy


class PackStep(Protocol):
    """One [[steps]] table of a pack being checked, as a kind's rules see it."""

    @property
    def raw(self) -> dict[str, Any]:
        """The table as read from the TOML file."""
        ...

    def add(self, message: str, field: str | None = None) -> None:
        """Report `message` about this step (at `field`, when given)."""
        ...


@dataclass(frozen=True)
class Around:
    """What a step is checked against: the pack's sides and taxonomies, and the steps
    before it."""

    sides: list[Side]
    taxonomies: list[Taxonomy]
    earlier: dict[str, Step]
    has_capture: bool


@dataclass(frozen=True)
class Entry:
    """One line of a Section: plain text, ticked or not when `done` is not None."""

    text: str
    done: bool | None = None
    detail: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar of a ranking: a label and its count."""

    label: str
    count: int


@dataclass(frozen=True)
class Section:
    """A part of the readable transcripts that one step adds: a heading, an optional lead
    paragraph, then any of a list, a table and a ranking, all plain text (each writer
    escapes it)."""

    key: str
    """The step's key (the HTML anchor is `step-<key>`)."""
    title: str
    lead: str
    entries: tuple[Entry, ...] = ()
    columns: tuple[str, ...] = ()
    """The header of its table (none: no table)."""
    rows: tuple[tuple[str, ...], ...] = ()
    """The table's rows, a cell per column (Markdown shows a line break as a space)."""
    bars: tuple[Bar, ...] = ()
    """A ranking, in the order given (highest first)."""
    empty: str = ""
    """What the section says when it has nothing else to show."""


Rules = Callable[[PackStep, Step, Around], None]
"""What a step of a kind needs beyond its fields' own checks."""

Report = Callable[[Session, StepTime, Step | None], Section | None]
"""The Section a step adds to the readable transcripts (its pack step, when at hand)."""

Digest = Callable[[Session, StepTime], Any]
"""What a reader of the JSON transcript wants at a glance of a step, derived from what it
stores (plain JSON values), e.g. a poll's ranking; checked again on import."""

CheckMark = Callable[[Mark, StepTime, Session], str | None]
"""Why `mark` cannot belong to the step of the session (a sentence), or None when it can."""

Remember = Callable[[Step, Scenario], tuple[KeyLabel, ...]]
"""The items a new session keeps of a step (StepTime.items)."""

Fits = Callable[[Session, Step, Scenario], list[str]]
"""What of the session's data in the step the pack's step (of the same key and kind, in
the pack `scenario`) no longer holds, a sentence each; empty: it fits (`check_resume`)."""


def remember_nothing(step: Step, scenario: Scenario) -> tuple[KeyLabel, ...]:
    """A kind whose transcripts need nothing of the pack's step."""
    return ()


def remember_items(step: Step, scenario: Scenario) -> tuple[KeyLabel, ...]:
    """The step's [[steps.items]], by key and label."""
    return tuple(KeyLabel(item.key, item.label) for item in step.items)


def no_rules(table: PackStep, step: Step, around: Around) -> None:
    """A kind that needs nothing beyond its fields."""


@dataclass(frozen=True)
class StepKind:
    """One step kind as the core knows it."""

    name: str
    """The type name packs use, e.g. "capture"."""
    fields: tuple[str, ...]
    """The pack fields its steps take besides the common ones."""
    sources: tuple[str, ...] = ()
    """The kinds of the earlier steps its `source` field may name."""
    rules: Rules = no_rules
    report: Report | None = None
    """Its own Section in the readable transcripts (None: the report's fixed parts
    already show what it stores)."""
    marks: CheckMark | None = None
    """Whether (and how) its steps store Marks: None for kinds that store none."""
    remember: Remember = remember_nothing
    """What a new session keeps of the step's items (key, label) beside its time, so the
    transcripts can name them without the pack."""
    holds_turns: bool = False
    """Whether its steps hold the Turns of a dialogue."""
    digest: Digest | None = None
    """Its entry in the JSON transcript's `summary.steps` (None: it has none)."""
    fits: Fits | None = None
    """What a session's data in its steps needs of a newer pack (None: only the step)."""


def pack_step(scenario: Scenario | None, key: str) -> Step | None:
    """The step called `key` in `scenario`, if it is at hand and has one."""
    if scenario is None:
        return None
    return next((step for step in scenario.steps if step.key == key), None)
