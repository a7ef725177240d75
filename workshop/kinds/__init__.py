"""The step kinds of the core, one module each, gathered here. `KINDS` is the one
registry: the pack checker, the session and transcript readers and the readable
exports look a kind up here, and a test holds it against the UI's registry."""

from __future__ import annotations

from datetime import datetime

from workshop.kinds import (
    agree,
    brief,
    capture,
    checklist,
    dialogue,
    poll,
    rating,
    reframe,
    summary,
    tag,
)
from workshop.kinds.base import StepKind
from workshop.model import Scenario, Step, StepTime

KINDS: dict[str, StepKind] = {
    kind.name: kind
    for kind in (
        brief.KIND,
        capture.KIND,
        tag.KIND,
        rating.KIND,
        agree.KIND,
        summary.KIND,
        checklist.KIND,
        dialogue.KIND,
        reframe.KIND,
        poll.KIND,
    )
}
"""Every step kind, by the type name packs use, in the order the docs list them."""

STEP_TYPES = tuple(KINDS)
"""Every step type a pack may use."""


def agenda_step(step: Step, scenario: Scenario, entered_at: datetime | None) -> StepTime:
    """Pack step `step` as a session's agenda holds it before any time is spent in it."""
    return StepTime(
        step.key, step.title, step.type, entered_at, 0.0, KINDS[step.type].remember(step, scenario)
    )
