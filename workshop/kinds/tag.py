"""The tag step: walk the captured statements and tag each with what it reveals."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Step


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if "taxonomy" not in table.raw:
        table.add("a tag step needs 'taxonomy'")
    if "source" not in table.raw and not around.has_capture:
        table.add("a tag step needs an earlier capture step whose statements it walks")


KIND = StepKind("tag", fields=("taxonomy", "source", "prompt"), sources=("capture",), rules=_rules)
