"""What a readable transcript shows, shared by the Markdown and HTML exports.

`build_report` gathers it from a Session (and, when the pack is at hand, its
Scenario for tag definitions and rating labels); the writers only format it. Every
string in a Report is plain text: each writer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from workshop.anonymize import anonymized
from workshop.kinds import KINDS
from workshop.kinds.base import Section, pack_step
from workshop.kinds.poll import agreements_by_dots
from workshop.model import Agreement, Rating, Scenario, Session
from workshop.text import counted


@dataclass(frozen=True)
class AgendaRow:
    """One step of the agenda with the time spent in it."""

    number: int
    title: str
    type: str
    seconds: float
    entered_at: datetime | None
    state: str
    """"done", "current" or "upcoming"."""


@dataclass(frozen=True)
class StatementEntry:
    """One statement as participants read it."""

    number: int
    speaker: str | None
    text: str
    tags: tuple[str, ...]
    """Tag labels."""


@dataclass(frozen=True)
class SideTalk:
    """One side's self-talk, in the order it was said."""

    key: str
    label: str
    role: str
    """The side's role from the pack, when the pack is at hand."""
    lines: tuple[StatementEntry, ...]


@dataclass(frozen=True)
class CountTable:
    """Tag counts per side and in total, for one taxonomy (or all tags)."""

    title: str
    tags: tuple[str, ...]
    """Tag labels, one row each."""
    per_side: tuple[tuple[str, tuple[int, ...]], ...]
    """(side label, count per tag) for each side."""
    total: tuple[int, ...]


@dataclass(frozen=True)
class AgreementEntry:
    """An agreement as a checklist item."""

    text: str
    owner: str | None
    due: str | None
    tag: str | None
    dots: int | None = None
    """The room's dots for it, when a dot-vote counted any."""


@dataclass(frozen=True)
class AgreementDetail:
    """One detail of an agreement (its owner, due date or tag), as plain text."""

    kind: str
    """"owner", "due", "tag" or "dots": an owner and a tag are what people wrote, a due
    date is a date, the dots are ours ("3 dots"), and each writer marks a tag its own way."""
    label: str
    """What goes before the text: "owner: ", "due: ", or "" for a tag and the dots."""
    text: str


RANKED = "Most dots first: the room's own ranking."
"""What the transcripts say above agreements the room dot-voted on."""


def agreement_entry(agreement: Agreement, session: Session) -> AgreementEntry:
    """`agreement` as a checklist item: its due date in ISO form, its tag by its label."""
    return AgreementEntry(
        agreement.text,
        agreement.owner,
        agreement.due.isoformat() if agreement.due else None,
        session.tag_label(agreement.tag) if agreement.tag else None,
    )


def agreement_details(entry: AgreementEntry) -> tuple[AgreementDetail, ...]:
    """The details of `entry` that are set, in the order every view and export shows
    them: owner, due date, tag, dots."""
    details = []
    if entry.owner:
        details.append(AgreementDetail("owner", "owner: ", entry.owner))
    if entry.due:
        details.append(AgreementDetail("due", "due: ", entry.due))
    if entry.tag:
        details.append(AgreementDetail("tag", "", entry.tag))
    if entry.dots is not None:
        details.append(AgreementDetail("dots", "", counted(entry.dots, "dot")))
    return tuple(details)


@dataclass(frozen=True)
class RatingEntry:
    """A rating as participants read it."""

    step: str
    item: str
    score: int
    scale: int | None
    note: str


@dataclass(frozen=True)
class Definitions:
    """The tags of one taxonomy with what they mean."""

    title: str
    tags: tuple[tuple[str, str], ...]
    """(label, definition) pairs."""


@dataclass(frozen=True)
class Report:
    """Everything a readable transcript shows, as plain text and numbers."""

    title: str
    scenario: str
    facts: tuple[tuple[str, str], ...]
    """(label, value) lines of the title block."""
    agenda: tuple[AgendaRow, ...]
    total_seconds: float
    sides: tuple[SideTalk, ...]
    counts: tuple[CountTable, ...]
    agreements: tuple[AgreementEntry, ...]
    """In the order made; most dots first when the room dot-voted on them."""
    scores: tuple[RatingEntry, ...]
    steps: tuple[Section, ...]
    """The parts that steps add through their kind (`StepKind.report`), in agenda order."""
    definitions: tuple[Definitions, ...]

    @property
    def ranked_by_dots(self) -> bool:
        """Whether the agreements are in the room's dot-vote order (each with its dots)."""
        return any(entry.dots is not None for entry in self.agreements)


def when(moment: datetime) -> str:
    """`moment` as "2026-11-23 09:00 (UTC+01:00)", in its own offset."""
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{moment:%Y-%m-%d %H:%M} ({zone})"


def duration(seconds: float) -> str:
    """`seconds` as "45 s", "4 min 10 s" or "1 h 05 min"."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def build_report(
    session: Session,
    scenario: Scenario | None = None,
    anonymize: bool = False,
    include_private: bool = False,
) -> Report:
    """The Report of `session`; `scenario` adds tag definitions and rating labels.
    Private thoughts are left out unless `include_private`."""
    if not include_private:
        session = session.without_private()
    if anonymize:
        session = anonymized(session)
    if scenario is not None and scenario.id != session.scenario_id:
        scenario = None
    facts: list[tuple[str, str]] = []
    if session.organisation:
        facts.append(("Organisation", session.organisation))
    if session.facilitator:
        facts.append(("Facilitator", session.facilitator))
    if session.participants:
        facts.append(("Participants", ", ".join(session.participants)))
    facts.append(("Started", when(session.started_at)))
    if session.finished_at is not None:
        facts.append(("Finished", when(session.finished_at)))
    facts.append(("Status", "finished" if session.status == "finished" else "in progress"))

    agenda = []
    for i, step in enumerate(session.steps):
        if session.status != "finished" and i == session.current_step:
            state = "current"
        elif step.entered_at is not None or step.seconds_spent > 0:
            state = "done"
        else:
            state = "upcoming"
        agenda.append(
            AgendaRow(i + 1, step.title, step.type, step.seconds_spent, step.entered_at, state)
        )

    roles = {s.key: s.role for s in scenario.sides} if scenario is not None else {}
    sides = []
    for side in session.sides:
        lines = tuple(
            StatementEntry(n, st.speaker, st.text, tuple(session.tag_label(t) for t in st.tags))
            for n, st in enumerate(session.statements_of(side.key), start=1)
        )
        sides.append(SideTalk(side.key, side.label, roles.get(side.key, ""), lines))

    agreements = tuple(
        replace(agreement_entry(agreement, session), dots=dots)
        for agreement, dots in agreements_by_dots(session)
    )

    return Report(
        title=session.title,
        scenario=session.scenario_title,
        facts=tuple(facts),
        agenda=tuple(agenda),
        total_seconds=sum(step.seconds_spent for step in session.steps),
        sides=tuple(sides),
        counts=_counts(session, scenario),
        agreements=agreements,
        scores=_scores(session, scenario),
        steps=_sections(session, scenario),
        definitions=_definitions(session, scenario),
    )


def _sections(session: Session, scenario: Scenario | None) -> tuple[Section, ...]:
    sections = []
    for step in session.steps:
        report = KINDS[step.type].report
        section = report(session, step, pack_step(scenario, step.key)) if report else None
        if section is not None:
            sections.append(section)
    return tuple(sections)


def _counts(session: Session, scenario: Scenario | None) -> tuple[CountTable, ...]:
    counts = session.tag_counts()
    known = [t.key for t in session.taxonomy]
    groups: list[tuple[str, list[str]]] = []
    if scenario is not None:
        used = {
            step.taxonomy
            for step in scenario.steps
            if step.type in ("capture", "tag", "summary") and step.taxonomy
        }
        statement_tags = {tag for st in session.statements for tag in st.tags}
        for tax in scenario.taxonomies:
            keys = [t.key for t in tax.tags if t.key in known]
            if keys and (tax.key in used or statement_tags & set(keys)):
                groups.append((tax.title, keys))
        covered = {k for _, keys in groups for k in keys}
        if any(k not in covered for k in statement_tags if k in known):
            groups = []
    if not groups and known:
        groups = [("Tags", known)]
    return tuple(
        CountTable(
            title,
            tuple(session.tag_label(k) for k in keys),
            tuple((side.label, tuple(counts[side.key][k] for k in keys)) for side in session.sides),
            tuple(counts["total"][k] for k in keys),
        )
        for title, keys in groups
    )


def _scores(session: Session, scenario: Scenario | None) -> tuple[RatingEntry, ...]:
    titles = {s.key: s.title for s in session.steps}
    order = {s.key: i for i, s in enumerate(session.steps)}
    steps = {s.key: s for s in scenario.steps} if scenario is not None else {}

    def place(r: Rating) -> tuple[int, int]:
        items = [it.key for it in steps[r.step].items] if r.step in steps else []
        return order.get(r.step, 0), items.index(r.item) if r.item in items else len(items)

    scores = []
    for r in sorted(session.ratings, key=place):
        step = steps.get(r.step)
        item = next((it for it in step.items if it.key == r.item), None) if step else None
        scores.append(
            RatingEntry(
                titles.get(r.step, r.step),
                item.label if item else r.item,
                r.score,
                step.scale if step else None,
                r.note,
            )
        )
    return tuple(scores)


def _definitions(session: Session, scenario: Scenario | None) -> tuple[Definitions, ...]:
    if scenario is None:
        return ()
    known = {t.key for t in session.taxonomy}
    found = []
    for tax in scenario.taxonomies:
        tags = tuple(
            (session.tag_label(t.key), t.definition)
            for t in tax.tags
            if t.key in known and t.definition
        )
        if tags:
            found.append(Definitions(tax.title, tags))
    return tuple(found)
