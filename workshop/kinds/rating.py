"""The rating step: the room scores each item from 0 to the step's scale."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Step


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "items" not in table.raw:
        table.add("a rating step needs at least one [[steps.items]]")


KIND = StepKind("rating", fields=("scale", "items", "prompt"), rules=_rules)
