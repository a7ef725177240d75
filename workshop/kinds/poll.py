"""The poll step: the room answers a question by a show of hands and the facilitator
types the count of each option. The options are the pack's [[steps.options]], the tags of
a taxonomy, or the agreements made in earlier agree steps (a dot-vote: "which actions
matter most?", each person with `dots` votes). A count is a Mark on the option (its
key, tag key or agreement id); the result is a ranking, highest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workshop.kinds.base import Around, Bar, PackStep, Section, StepKind
from workshop.limits import MAX_PEOPLE, printable_key
from workshop.model import Agreement, KeyLabel, Mark, Scenario, Session, Step, StepTime
from workshop.text import counted

SOURCES_OF_OPTIONS = ("options", "taxonomy", "source")
"""The pack fields a poll's options may come from, exactly one per poll."""

MAX_COUNT = MAX_PEOPLE
"""Most hands (or dots) one option can get: the most people a session lists."""


@dataclass(frozen=True)
class Option:
    """One answer of a poll with the room's count for it."""

    key: str
    """The option's key, the tag's key, or the agreement's id."""
    label: str
    count: int


def _rules(table: PackStep, step: Step, around: Around) -> None:
    prompt = table.raw.get("prompt")
    if prompt is None or (isinstance(prompt, str) and not prompt.strip()):
        table.add(
            "a poll step needs 'prompt': the question the room answers",
            "prompt" if prompt is not None else None,
        )
    given = [field for field in SOURCES_OF_OPTIONS if field in table.raw]
    if not given:
        table.add(
            "a poll step needs its options: [[steps.options]], a 'taxonomy' whose tags "
            "are the options, or a 'source' naming agree steps whose agreements are voted on"
        )
    elif len(given) > 1:
        table.add(
            "a poll step takes its options from one of [[steps.options]], 'taxonomy' or "
            f"'source', not from both '{given[0]}' and '{given[1]}'",
            given[1],
        )
    elif given == ["source"] and not step.source and isinstance(table.raw["source"], list):
        table.add("a poll step's 'source' needs at least one agree step", "source")


def _remember(step: Step, scenario: Scenario) -> tuple[KeyLabel, ...]:
    """The pack's options, or the taxonomy's tags; a dot-vote keeps none (its options are
    the session's agreements)."""
    if step.options:
        return tuple(KeyLabel(option.key, option.label) for option in step.options)
    taxonomy = scenario.taxonomy(step.taxonomy) if step.taxonomy else None
    if taxonomy is not None:
        return tuple(KeyLabel(tag.key, tag.label) for tag in taxonomy.tags)
    return ()


def is_dot_vote(step: StepTime) -> bool:
    """Whether the poll ranks agreements: it remembers no options of its own."""
    return not step.items


def agree_steps_before(session: Session, step: str) -> list[str]:
    """The keys of the agree steps before `step` in the session's agenda."""
    keys = [s.key for s in session.steps]
    earlier = session.steps[: keys.index(step)] if step in keys else []
    return [s.key for s in earlier if s.type == "agree"]


def choices(session: Session, step: StepTime, source: tuple[str, ...] = ()) -> list[KeyLabel]:
    """The options of poll `step`, in their order: the remembered options or tags, or the
    agreements made in the agree steps `source` (without the pack: in every agree step
    before the poll)."""
    if not is_dot_vote(step):
        return list(step.items)
    steps = source or agree_steps_before(session, step.key)
    return [KeyLabel(ag.id, ag.text) for ag in session.agreed_in(steps)]


def ranked(session: Session, step: StepTime, source: tuple[str, ...] = ()) -> list[Option]:
    """The options of poll `step` with their counts, highest first (ties in option order)."""
    options = [
        Option(choice.key, choice.label, _count(session, step.key, choice.key))
        for choice in choices(session, step, source)
    ]
    return sorted(options, key=lambda option: -option.count)


def _count(session: Session, step: str, item: str) -> int:
    mark = session.mark(step, item)
    return mark.count if mark is not None else 0


def total(session: Session, step: str) -> int:
    """The hands (or dots) counted in poll `step`, all options together."""
    return sum(mark.count for mark in session.marks_in(step))


def _dots_given(session: Session) -> dict[str, int]:
    """The dots each agreement got in the session's dot-votes, all of them together, by
    agreement id; empty when no dot was counted."""
    votes = {step.key for step in session.steps if step.type == "poll" and is_dot_vote(step)}
    dots: dict[str, int] = {}
    for mark in session.marks:
        if mark.step in votes:
            dots[mark.item] = dots.get(mark.item, 0) + mark.count
    return dots if any(dots.values()) else {}


def agreements_by_dots(session: Session) -> list[tuple[Agreement, int | None]]:
    """The session's agreements with their dots, most dots first (ties in the order made);
    in the order made, with no dots (None), when the room dot-voted on none."""
    dots = _dots_given(session)
    if not dots:
        return [(agreement, None) for agreement in session.agreements]
    ranked = sorted(session.agreements, key=lambda agreement: -dots.get(agreement.id, 0))
    return [(agreement, dots.get(agreement.id, 0)) for agreement in ranked]


def unit(step: Step) -> str:
    """What the room gives each option: "hand", or "dot" when each person has several
    votes or the poll ranks agreements."""
    return "dot" if step.dots > 1 or step.source else "hand"


def _check_mark(mark: Mark, step: StepTime, session: Session) -> str | None:
    if is_dot_vote(step):
        earlier = agree_steps_before(session, step.key)
        if mark.item not in (ag.id for ag in session.agreed_in(earlier)):
            return (
                f"{printable_key(mark.item)} is not an agreement of an agree step before "
                f"poll step '{step.key}'"
            )
    elif mark.item not in (item.key for item in step.items):
        return f"{printable_key(mark.item)} is not an option of poll step '{step.key}'"
    if mark.value:
        return "a poll's count has no value"
    if not 0 <= mark.count <= MAX_COUNT:
        return f"a poll's count is from 0 to {MAX_COUNT}, not {mark.count}"
    return None


def _digest(session: Session, step: StepTime) -> dict[str, Any]:
    return {
        "options": [
            {"key": option.key, "label": option.label, "count": option.count}
            for option in ranked(session, step)
        ]
    }


def _report(session: Session, step: StepTime, pack: Step | None) -> Section:
    options = ranked(session, step, pack.source if pack else ())
    lead = pack.prompt if pack else ""
    if pack and unit(pack) == "dot":
        lead = f"{lead} ({counted(pack.dots, 'dot')} each)"
    empty = "No agreements were made to vote on." if is_dot_vote(step) else ""
    return Section(
        step.key,
        step.title,
        lead,
        bars=tuple(Bar(option.label, option.count) for option in options),
        empty=empty,
    )


KIND = StepKind(
    "poll",
    fields=("prompt", "options", "taxonomy", "source", "dots"),
    sources=("agree",),
    rules=_rules,
    report=_report,
    marks=_check_mark,
    remember=_remember,
    digest=_digest,
)
