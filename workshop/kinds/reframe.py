"""The reframe step: walk the lines of earlier dialogue steps (their turns) or capture
steps (their statements); for each, the room proposes a better way to say it and the
facilitator types it. The original stays: a reframe is a Mark on the line's id whose
value is the better line, and the transcripts show before → after."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from workshop.kinds.base import Around, PackStep, Section, StepKind
from workshop.limits import Invalid, ident
from workshop.model import Mark, Session, Step, StepTime

SOURCES = ("dialogue", "capture")
"""The kinds whose lines a reframe step walks: a dialogue's turns, a capture's statements."""

COLUMNS = ("Side", "Before", "After")
"""The header of the reframes' table in the readable transcripts."""

EMPTY = "Nothing was reframed."


@dataclass(frozen=True)
class Line:
    """One line a reframe step walks: a turn (what it said) or a statement."""

    id: str
    step: str
    """The dialogue or capture step it was said in."""
    side: str
    speaker: str | None
    before: str
    """What was said: a turn's `said`, a statement's text."""
    turn: bool
    """Whether it is a turn (else a statement)."""
    thought: str = ""
    """A turn's thought, for the console only (the room sees only `before`)."""
    private: bool = False
    revealed: bool = False


def _step_lines(session: Session, step: StepTime) -> list[Line]:
    if step.type == "dialogue":
        return [
            Line(t.id, step.key, t.side, t.speaker, t.said, True, t.thought, t.private, t.revealed)
            for t in session.turns_in(step.key)
        ]
    if step.type == "capture":
        return [
            Line(st.id, step.key, st.side, st.speaker, st.text, False)
            for st in session.said_in([step.key])
        ]
    return []


def lines_of(session: Session, steps: Collection[str]) -> list[Line]:
    """The lines said in the dialogue and capture steps `steps`, in walk order: step by
    step in agenda order, each step's lines in the order they were said."""
    return [line for s in session.steps if s.key in steps for line in _step_lines(session, s)]


def walked_steps(session: Session, step: Step) -> list[str]:
    """The keys of the steps whose lines `step` walks: its `source`; without one, every
    earlier dialogue step, else (the pack has none) every earlier capture step."""
    if step.source:
        return list(step.source)
    keys = [s.key for s in session.steps]
    earlier = session.steps[: keys.index(step.key)] if step.key in keys else []
    for kind in SOURCES:
        found = [s.key for s in earlier if s.type == kind]
        if found:
            return found
    return []


def walked(session: Session, step: Step) -> list[Line]:
    """The lines reframe step `step` walks, in order."""
    return lines_of(session, walked_steps(session, step))


def reframes(
    session: Session, step: str, lines: list[Line] | None = None
) -> list[tuple[Line, Mark]]:
    """The reframed lines of reframe step `step` with their reframes, in walk order (of
    `lines`, else of every line of the session). A reframe whose line was deleted is left
    out (undoing the deletion brings it back)."""
    marks = {mark.item: mark for mark in session.marks_in(step)}
    if not marks:
        return []
    if lines is None:
        lines = lines_of(session, [s.key for s in session.steps])
    return [(line, marks[line.id]) for line in lines if line.id in marks]


def side_of(session: Session, line: Line) -> str:
    """The line's side as the transcripts name it: its label, and the speaker if named."""
    label = next((s.label for s in session.sides if s.key == line.side), line.side)
    return f"{label} · {line.speaker}" if line.speaker else label


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "source" not in table.raw and not any(s.type in SOURCES for s in around.earlier.values()):
        table.add("a reframe step needs an earlier dialogue or capture step whose lines it walks")


def _check_mark(mark: Mark, step: StepTime, session: Session) -> str | None:
    # The item is a turn's or a statement's id. It is not looked up: the line may have
    # been deleted since (its reframe waits for the undo), and a session file must stay
    # readable then; the transcripts show only reframes whose line is there.
    try:
        ident(mark.item, "item")
    except Invalid:
        return "a reframe's item must be the id of a turn or a statement"
    if not mark.value.strip():
        return "a reframe needs the better line (its value)"
    if mark.count:
        return "a reframe has no count"
    return None


def _report(session: Session, step: StepTime, pack: Step | None) -> Section:
    rows = tuple(
        (side_of(session, line), line.before, mark.value)
        for line, mark in reframes(session, step.key)
    )
    return Section(
        step.key,
        step.title,
        pack.prompt if pack else "",
        columns=COLUMNS if rows else (),
        rows=rows,
        empty=EMPTY,
    )


def _digest(session: Session, step: StepTime) -> list[dict[str, str]]:
    return [
        {"of": line.id, "before": line.before, "after": mark.value}
        for line, mark in reframes(session, step.key)
    ]


KIND = StepKind(
    "reframe",
    fields=("source", "prompt"),
    sources=SOURCES,
    rules=_rules,
    report=_report,
    marks=_check_mark,
    digest=_digest,
)
