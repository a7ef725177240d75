"""The checklist step: items from the pack (e.g. "ground rules agreed") that the
facilitator ticks off in front of the room. A ticked item is a Mark; the session keeps
the items, so the transcripts list the unticked ones too."""

from workshop.kinds.base import Around, Entry, PackStep, Section, StepKind, remember_items
from workshop.limits import printable_key
from workshop.model import Mark, Session, Step, StepTime


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "items" not in table.raw:
        table.add("a checklist step needs at least one [[steps.items]]")


def _check_mark(mark: Mark, step: StepTime, session: Session) -> str | None:
    if mark.item not in (item.key for item in step.items):
        return f"{printable_key(mark.item)} is not an item of checklist step '{step.key}'"
    if mark.value:
        return "a ticked checklist item has no value"
    return None


def _report(session: Session, step: StepTime, pack: Step | None) -> Section:
    entries = []
    for item in step.items:
        mark = session.mark(step.key, item.key)
        when = f"ticked at {mark.at:%H:%M}" if mark is not None else "not ticked"
        entries.append(Entry(item.label, done=mark is not None, detail=when))
    return Section(step.key, step.title, pack.prompt if pack else "", tuple(entries))


def ticked(session: Session, step: str) -> int:
    """How many items of checklist step `step` are ticked."""
    return sum(1 for mark in session.marks if mark.step == step)


KIND = StepKind(
    "checklist",
    fields=("items", "prompt"),
    rules=_rules,
    report=_report,
    marks=_check_mark,
    remember=remember_items,
)
