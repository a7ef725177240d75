"""The session's documents: dataclasses to JSON documents and back, for the session file
(TinyDB tables) and the transcript alike. Reading checks every value against
`workshop.limits`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workshop import limits
from workshop.kinds import KINDS, STEP_TYPES
from workshop.limits import MAX_PEOPLE, Invalid
from workshop.model import (
    Agreement,
    KeyLabel,
    Mark,
    Rating,
    Session,
    Statement,
    StepTime,
    Turn,
)

SESSION_SCHEMA = "workshop.session/1"
META = "meta"
NEWER_VERSION = "written by another version of workshop"


def iso(moment: datetime | None) -> str | None:
    """`moment` in ISO 8601, None for None."""
    return moment.isoformat() if moment is not None else None


# -- documents <-> dataclasses ------------------------------------------------------------


def statement_doc(st: Statement) -> dict[str, Any]:
    return {
        "id": st.id,
        "side": st.side,
        "speaker": st.speaker,
        "text": st.text,
        "tags": list(st.tags),
        "created_at": iso(st.created_at),
        "edited_at": iso(st.edited_at),
        "step": st.step,
    }


def agreement_doc(ag: Agreement) -> dict[str, Any]:
    return {
        "id": ag.id,
        "text": ag.text,
        "tag": ag.tag,
        "owner": ag.owner,
        "due": ag.due.isoformat() if ag.due else None,
        "created_at": iso(ag.created_at),
        "step": ag.step,
    }


def rating_doc(r: Rating) -> dict[str, Any]:
    return {"step": r.step, "item": r.item, "score": r.score, "note": r.note}


def mark_doc(m: Mark) -> dict[str, Any]:
    return {"step": m.step, "item": m.item, "at": iso(m.at), "value": m.value, "count": m.count}


def turn_doc(t: Turn) -> dict[str, Any]:
    return {
        "id": t.id,
        "step": t.step,
        "side": t.side,
        "speaker": t.speaker,
        "said": t.said,
        "thought": t.thought,
        "private": t.private,
        "revealed": t.revealed,
        "tags": list(t.tags),
        "created_at": iso(t.created_at),
        "edited_at": iso(t.edited_at),
    }


def step_doc(s: StepTime) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "key": s.key,
        "title": s.title,
        "type": s.type,
        "entered_at": iso(s.entered_at),
        "seconds_spent": round(float(s.seconds_spent), 1),
    }
    if s.items:
        doc["items"] = label_docs(list(s.items))
    return doc


def scenario_doc(session: Session) -> dict[str, Any]:
    """Which scenario pack (and version) `session` was run from."""
    return {
        "id": session.scenario_id,
        "version": session.scenario_version,
        "title": session.scenario_title,
        "language": session.language,
    }


def label_docs(labels: list[KeyLabel]) -> list[dict[str, str]]:
    return [{"key": label.key, "label": label.label} for label in labels]


def meta_doc(session: Session) -> dict[str, Any]:
    """The `meta` document of a session file."""
    return {
        "schema": SESSION_SCHEMA,
        "id": session.id,
        "title": session.title,
        "facilitator": session.facilitator,
        "organisation": session.organisation,
        "participants": list(session.participants),
        "scenario": scenario_doc(session),
        "sides": label_docs(session.sides),
        "taxonomy": label_docs(session.taxonomy),
        "steps": [step_doc(s) for s in session.steps],
        "started_at": iso(session.started_at),
        "finished_at": iso(session.finished_at),
        "status": session.status,
        "current_step": session.current_step,
        "revealed": list(session.revealed),
        "blank": session.blank,
        "spotlight": session.spotlight,
        "step_started_at": iso(session.step_started_at),
    }


def _table(data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    """(path, document) of each document of TinyDB table `name`, in document-id order."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise Invalid(name, f"must be a TinyDB table (an object), not {limits.kind(table)}")
    docs = []
    for doc_id, doc in table.items():
        if not (doc_id.isdigit() and len(doc_id) <= limits.MAX_DIGITS):
            raise Invalid(name, f"{limits.printable_key(doc_id)} is not a document id")
        if not isinstance(doc, dict):
            raise Invalid(f"{name}[{doc_id}]", f"must be an object, not {limits.kind(doc)}")
        docs.append((int(doc_id), f"{name}[{doc_id}]", doc))
    return [(where, doc) for _, where, doc in sorted(docs, key=lambda d: d[0])]


def _statement(doc: dict[str, Any], where: str) -> Statement:
    tags = limits.items(doc.get("tags", []), f"{where}.tags", limits.MAX_LABELS)
    return Statement(
        id=limits.ident(doc.get("id"), f"{where}.id"),
        side=limits.key(doc.get("side"), f"{where}.side"),
        text=limits.text(doc.get("text"), f"{where}.text"),
        speaker=limits.opt_line(doc.get("speaker"), f"{where}.speaker"),
        tags=tuple(limits.key(t, f"{where}.tags[{i}]") for i, t in enumerate(tags)),
        created_at=limits.moment(doc.get("created_at"), f"{where}.created_at"),
        edited_at=limits.opt_moment(doc.get("edited_at"), f"{where}.edited_at"),
        step=_opt_key(doc.get("step"), f"{where}.step"),
    )


def _agreement(doc: dict[str, Any], where: str) -> Agreement:
    return Agreement(
        id=limits.ident(doc.get("id"), f"{where}.id"),
        text=limits.text(doc.get("text"), f"{where}.text"),
        tag=_opt_key(doc.get("tag"), f"{where}.tag"),
        owner=limits.opt_line(doc.get("owner"), f"{where}.owner"),
        due=limits.due_date(doc.get("due"), f"{where}.due"),
        created_at=limits.moment(doc.get("created_at"), f"{where}.created_at"),
        step=_opt_key(doc.get("step"), f"{where}.step"),
    )


def _rating(doc: dict[str, Any], where: str) -> Rating:
    return Rating(
        limits.key(doc.get("step"), f"{where}.step"),
        limits.key(doc.get("item"), f"{where}.item"),
        limits.score(doc.get("score"), f"{where}.score"),
        limits.text(doc.get("note", ""), f"{where}.note"),
    )


def _mark(doc: dict[str, Any], where: str) -> Mark:
    return Mark(
        limits.key(doc.get("step"), f"{where}.step"),
        limits.ident(doc.get("item"), f"{where}.item"),
        limits.moment(doc.get("at"), f"{where}.at"),
        limits.text(doc.get("value", ""), f"{where}.value"),
        limits.whole(doc.get("count", 0), f"{where}.count", 0, limits.MAX_PEOPLE),
    )


def _turn(doc: dict[str, Any], where: str) -> Turn:
    tags = limits.items(doc.get("tags", []), f"{where}.tags", limits.MAX_LABELS)
    return Turn(
        id=limits.ident(doc.get("id"), f"{where}.id"),
        step=limits.key(doc.get("step"), f"{where}.step"),
        side=limits.key(doc.get("side"), f"{where}.side"),
        said=limits.text(doc.get("said"), f"{where}.said"),
        thought=limits.text(doc.get("thought", ""), f"{where}.thought"),
        private=doc.get("private", False) is True,
        revealed=doc.get("revealed", False) is True,
        tags=tuple(limits.key(t, f"{where}.tags[{i}]") for i, t in enumerate(tags)),
        created_at=limits.moment(doc.get("created_at"), f"{where}.created_at"),
        speaker=limits.opt_line(doc.get("speaker"), f"{where}.speaker"),
        edited_at=limits.opt_moment(doc.get("edited_at"), f"{where}.edited_at"),
    )


def check_marks(marks: list[tuple[str, Mark]], session: Session) -> list[Mark]:
    """The marks, each at its path, if each belongs to a step of `session` whose kind
    stores marks and that kind accepts it; one mark per item of a step."""
    by_key = {step.key: step for step in session.steps}
    seen: set[tuple[str, str]] = set()
    for where, mark in marks:
        step = by_key.get(mark.step)
        check = KINDS[step.type].marks if step is not None else None
        if step is None or check is None:
            raise Invalid(f"{where}.step", f"{limits.shown(mark.step)} is no step that keeps marks")
        problem = check(mark, step, session)
        if problem:
            raise Invalid(where, problem)
        if (mark.step, mark.item) in seen:
            raise Invalid(where, f"marks {limits.shown(mark.item)} a second time")
        seen.add((mark.step, mark.item))
    return [mark for _, mark in marks]


def check_turns(
    turns: list[tuple[str, Turn]], steps: list[StepTime], sides: list[str]
) -> list[Turn]:
    """The turns, each at its path, if each was said by a side of the session in a step
    whose kind holds turns, and ids are unique."""
    holding = {step.key for step in steps if KINDS[step.type].holds_turns}
    seen: set[str] = set()
    for where, turn in turns:
        if turn.step not in holding:
            raise Invalid(f"{where}.step", f"{limits.shown(turn.step)} is no step that holds turns")
        if turn.side not in sides:
            raise Invalid(
                f"{where}.side", f"{limits.shown(turn.side)} is not a side of the session"
            )
        if turn.id in seen:
            raise Invalid(f"{where}.id", f"{limits.shown(turn.id)} is used twice")
        seen.add(turn.id)
    return [turn for _, turn in turns]


def _step_time(doc: Any, where: str) -> StepTime:
    if not isinstance(doc, dict):
        raise Invalid(where, f"must be an object, not {limits.kind(doc)}")
    kind = doc.get("type")
    if kind not in STEP_TYPES:
        raise Invalid(f"{where}.type", f"{limits.shown(kind)} is not a step type")
    return StepTime(
        limits.key(doc.get("key"), f"{where}.key"),
        limits.line(doc.get("title"), f"{where}.title"),
        kind,
        limits.opt_moment(doc.get("entered_at"), f"{where}.entered_at"),
        limits.seconds(doc.get("seconds_spent", 0), f"{where}.seconds_spent"),
        tuple(limits.labels(doc.get("items", []), f"{where}.items")),
    )


def _opt_key(value: Any, where: str) -> str | None:
    return None if value is None else limits.key(value, where)


def session_from(data: dict[str, Any]) -> Session:
    """The Session held by the tables of a session file; Invalid says what is wrong, by
    the limits of `workshop.limits` (the same as the app's and `workshop import`'s)."""
    metas = _table(data, META)
    if not metas:
        raise Invalid("", "no session in the file (wrong schema)")
    where, meta = metas[0]
    schema = meta.get("schema")
    if schema != SESSION_SCHEMA:
        if isinstance(schema, str) and schema.startswith("workshop.session/"):
            raise Invalid("", f"{NEWER_VERSION} ({limits.printable_key(schema)})")
        raise Invalid("", "not a workshop session file (wrong schema)")
    scenario = meta.get("scenario")
    if not isinstance(scenario, dict):
        raise Invalid(f"{where}.scenario", f"must be an object, not {limits.kind(scenario)}")
    here = limits.join
    people = limits.items(meta.get("participants", []), here(where, "participants"), MAX_PEOPLE)
    steps = [
        _step_time(doc, f"{where}.steps[{i}]")
        for i, doc in enumerate(
            limits.items(meta.get("steps"), here(where, "steps"), limits.MAX_STEPS)
        )
    ]
    if not steps:
        raise Invalid(here(where, "steps"), "must list at least one step")
    status = meta.get("status")
    if status not in ("in-progress", "finished"):
        raise Invalid(here(where, "status"), "is not in-progress or finished")
    current = limits.whole(meta.get("current_step", 0), here(where, "current_step"), 0, 10**9)
    sides = limits.labels(meta.get("sides"), here(where, "sides"))
    if not sides:
        raise Invalid(here(where, "sides"), "must list at least one side")
    revealed = limits.items(meta.get("revealed", []), here(where, "revealed"), limits.MAX_STEPS)
    spotlight = meta.get("spotlight", "")
    session = Session(
        id=limits.ident(meta.get("id"), here(where, "id")),
        title=limits.line(meta.get("title"), here(where, "title")),
        facilitator=limits.line(meta.get("facilitator", ""), here(where, "facilitator")),
        organisation=limits.line(meta.get("organisation", ""), here(where, "organisation")),
        participants=[limits.line(p, f"{where}.participants[{i}]") for i, p in enumerate(people)],
        scenario_id=limits.key(scenario.get("id"), f"{where}.scenario.id"),
        scenario_version=limits.line(scenario.get("version", ""), f"{where}.scenario.version"),
        scenario_title=limits.line(scenario.get("title", ""), f"{where}.scenario.title"),
        language=limits.line(scenario.get("language", "en"), f"{where}.scenario.language"),
        started_at=limits.moment(meta.get("started_at"), here(where, "started_at")),
        finished_at=limits.opt_moment(meta.get("finished_at"), here(where, "finished_at")),
        status=status,
        current_step=min(current, len(steps) - 1),
        sides=sides,
        taxonomy=limits.labels(meta.get("taxonomy"), here(where, "taxonomy")),
        steps=steps,
        statements=[_statement(d, w) for w, d in _table(data, "statements")],
        agreements=[_agreement(d, w) for w, d in _table(data, "agreements")],
        ratings=[_rating(d, w) for w, d in _table(data, "ratings")],
        turns=check_turns(
            [(w, _turn(d, w)) for w, d in _table(data, "turns")], steps, [s.key for s in sides]
        ),
        revealed=[r for r in revealed if isinstance(r, str)],
        blank=meta.get("blank", False) is True,
        spotlight=spotlight if isinstance(spotlight, str) else "",
        step_started_at=limits.opt_moment(
            meta.get("step_started_at"), here(where, "step_started_at")
        ),
    )
    session.marks = check_marks([(w, _mark(d, w)) for w, d in _table(data, "marks")], session)
    return session


def session_tables(session: Session) -> dict[str, Any]:
    """The TinyDB tables of a session file holding `session`."""

    def table(docs: list[dict[str, Any]]) -> dict[str, Any]:
        return {str(i): doc for i, doc in enumerate(docs, start=1)}

    return {
        META: table([meta_doc(session)]),
        "statements": table([statement_doc(s) for s in session.statements]),
        "agreements": table([agreement_doc(a) for a in session.agreements]),
        "ratings": table([rating_doc(r) for r in session.ratings]),
        "marks": table([mark_doc(m) for m in session.marks]),
        "turns": table([turn_doc(t) for t in session.turns]),
    }
