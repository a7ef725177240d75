"""The summary step: the room's own data, part by part."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Step

PARTS = ("counts", "time", "agreements", "ratings", "polls")
"""What a summary step may show, in any order."""


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "counts" in step.show and "taxonomy" not in table.raw:
        table.add("a summary that shows 'counts' needs 'taxonomy'", "show")


KIND = StepKind("summary", fields=("show", "taxonomy"), rules=_rules)
