"""Can a stored session be resumed on the pack as it is now? Say exactly what no longer fits."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from workshop.kinds import KINDS, agenda_step
from workshop.model import Scenario, Session
from workshop.text import counted


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def check_resume(session: Session, scenario: Scenario | None) -> list[str]:
    """Sentences saying what of `session` the pack `scenario` no longer has; empty: resumable.

    `scenario` is the pack found under the session's scenario id (None: not found).
    Changed text, titles, labels, timeboxes and added steps, sides or tags all fit;
    the structure the session's data hangs on is checked whatever the two versions say,
    so a pack edited without a new version number cannot break a resume either.
    """
    if scenario is None:
        return [
            f"The pack '{session.scenario_id}' (version {session.scenario_version}) that this "
            "session was run with is not installed any more."
        ]
    if scenario.id != session.scenario_id:
        return [f"This session was run with the pack '{session.scenario_id}', not '{scenario.id}'."]
    problems: list[str] = []
    steps = {step.key: step for step in scenario.steps}
    for old in session.steps:
        new = steps.get(old.key)
        if new is None:
            problems.append(f"The step '{old.key}' ({old.title}) is no longer in the pack.")
        elif new.type != old.type:
            problems.append(
                f"The step '{old.key}' ({old.title}) was {_a(old.type)} step "
                f"and is now {_a(new.type)} step."
            )

    side_keys = {side.key for side in scenario.sides}
    said = Counter(st.side for st in session.statements)
    for side in session.sides:
        if side.key not in side_keys and said[side.key]:
            problems.append(
                f"The side '{side.key}' ({side.label}) is no longer in the pack, "
                f"and this session has {counted(said[side.key], 'statement')} from it."
            )
    labels = {side.key: side.label for side in session.sides}
    for key in said:
        if key not in side_keys and key not in labels:
            problems.append(
                f"The side '{key}' is not in the pack, "
                f"and this session has {counted(said[key], 'statement')} from it."
            )
    tag_keys = {tag.key for tag in scenario.tags}
    tagged = Counter(tag for st in session.statements for tag in set(st.tags))
    agreed = Counter(ag.tag for ag in session.agreements if ag.tag)
    tag_labels = {tag.key: tag.label for tag in session.taxonomy}
    for key in dict.fromkeys([*tag_labels, *tagged, *agreed]):
        if key in tag_keys or not (tagged[key] or agreed[key]):
            continue
        uses = [
            f"{counted(tagged[key], 'statement')} tagged with it" if tagged[key] else "",
            f"{counted(agreed[key], 'agreement')} tied to it" if agreed[key] else "",
        ]
        name = f"'{key}' ({tag_labels[key]})" if key in tag_labels else f"'{key}'"
        problems.append(
            f"The tag {name} is no longer in the pack, "
            f"and this session has {' and '.join(u for u in uses if u)}."
        )

    for old in session.steps:  # what each kind's data needs of its step
        new = steps.get(old.key)
        fits = KINDS[new.type].fits if new is not None and new.type == old.type else None
        if new is not None and fits is not None:
            problems += fits(session, new, scenario)
    return problems


def same_agenda(session: Session, scenario: Scenario) -> bool:
    """Whether the session's agenda has the steps of `scenario`, in its order."""
    return [s.key for s in session.steps] == [s.key for s in scenario.steps]


def on_pack(session: Session, scenario: Scenario) -> Session:
    """`session` with the agenda of `scenario`, a version of its pack that `check_resume`
    found fitting: each step where the pack now puts it, the steps the pack added not yet
    entered, the time and items of the others kept, the step being run still the current
    one, and the pack's version; `session` itself when its agenda already is the pack's."""
    if same_agenda(session, scenario):
        return session
    kept = {step.key: step for step in session.steps}
    steps = [kept.get(step.key) or agenda_step(step, scenario, None) for step in scenario.steps]
    current = session.steps[session.current_step].key
    return replace(
        session,
        steps=steps,
        current_step=[step.key for step in steps].index(current),
        scenario_version=scenario.version,
    )
