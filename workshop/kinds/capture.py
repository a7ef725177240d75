"""The capture step: the room voices each side's self-talk; statements are stored."""

from workshop.kinds.base import Around, PackStep, StepKind
from workshop.model import Scenario, Session, Step
from workshop.text import counted


def _rules(table: PackStep, step: Step, around: Around) -> None:
    if not step.sides and isinstance(table.raw.get("sides", []), list):
        example = ", ".join(f'"{s.key}"' for s in around.sides) or '"a-side-key"'
        table.add(f"a capture step needs 'sides', e.g. sides = [{example}]", "sides")


def _fits(session: Session, step: Step, scenario: Scenario) -> list[str]:
    """The pack's sides the step no longer captures that have statements in it (a side
    gone from the pack altogether is said once, for the whole session)."""
    said = [st.side for st in session.statements if st.step == step.key]
    pack_sides = {side.key for side in scenario.sides}
    return [
        f"The step '{step.key}' no longer captures the side '{side}', "
        f"which has {counted(said.count(side), 'statement')} in it."
        for side in sorted(set(said))
        if side in pack_sides and side not in step.sides
    ]


KIND = StepKind("capture", fields=("sides", "prompt", "taxonomy"), rules=_rules, fits=_fits)
