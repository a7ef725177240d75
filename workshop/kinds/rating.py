"""The rating step: the room scores each item from 0 to the step's scale."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Scenario, Session, Step


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "items" not in table.raw:
        table.add("a rating step needs at least one [[steps.items]]")


def _fits(session: Session, step: Step, scenario: Scenario) -> list[str]:
    """The items scored in the step that the pack's step no longer lists."""
    items = {item.key for item in step.items}
    scored = dict.fromkeys(r.item for r in session.ratings if r.step == step.key)
    return [
        f"The rating item '{item}' of the step '{step.key}' is no longer in the "
        "pack, and this session has a score for it."
        for item in scored
        if item not in items
    ]


KIND = StepKind("rating", fields=("scale", "items", "prompt"), rules=_rules, fits=_fits)
