"""The capture step: the room voices each side's self-talk; statements are stored."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Step


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if not step.sides and isinstance(table.raw.get("sides", []), list):
        example = ", ".join(f'"{s.key}"' for s in around.sides) or '"a-side-key"'
        table.add(f"a capture step needs 'sides', e.g. sides = [{example}]", "sides")


KIND = StepKind("capture", fields=("sides", "prompt", "taxonomy"), rules=_rules)
