"""The dialogue step: the room role-plays a conversation (the VP of Marketing meets the IT
director). Each turn is a side, what was said out loud (the right-hand column) and,
optionally, what the speaker thought but did not say (the left-hand column). Thoughts
stay hidden from the room until the facilitator reveals them; a private one never
reaches the room, nor a transcript unless the export asks for it."""

from __future__ import annotations

from workshop.kinds.base import Around, PackStep, Section, StepKind
from workshop.model import Session, Step, StepTime, Turn

COLUMNS = ("Side", "Said", "Thought")
"""The header of a dialogue's table in the readable transcripts."""

EMPTY = "Nothing was said."

PRIVATE = "(private)"
"""What the transcripts show for a private thought left out of them."""


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if not step.sides and isinstance(table.raw.get("sides", []), list):
        example = ", ".join(f'"{s.key}"' for s in around.sides) or '"a-side-key"'
        table.add(f"a dialogue step needs 'sides', e.g. sides = [{example}]", "sides")


def side_of(session: Session, turn: Turn) -> str:
    """The turn's side as the transcripts name it: its label, and the speaker if named."""
    label = next((s.label for s in session.sides if s.key == turn.side), turn.side)
    return f"{label} · {turn.speaker}" if turn.speaker else label


def thought_cell(session: Session, turn: Turn) -> str:
    """The turn's thought as the transcripts show it: the text and its tags; "(private)"
    for a private thought left out (Session.without_private blanked it); "" for none."""
    if turn.private and not turn.thought:
        return PRIVATE
    if not turn.thought:
        return ""
    tags = "  ".join(f"#{session.tag_label(t)}" for t in turn.tags)
    text = f"{turn.thought}  {tags}" if tags else turn.thought
    return f"{text} {PRIVATE}" if turn.private else text


def _report(session: Session, step: StepTime, pack: Step | None) -> Section:
    rows = tuple(
        (side_of(session, turn), turn.said, thought_cell(session, turn))
        for turn in session.turns_in(step.key)
    )
    return Section(
        step.key,
        step.title,
        pack.prompt if pack else "",
        columns=COLUMNS if rows else (),
        rows=rows,
        empty=EMPTY,
    )


KIND = StepKind(
    "dialogue",
    fields=("sides", "prompt", "taxonomy"),
    rules=_rules,
    report=_report,
    holds_turns=True,
)
