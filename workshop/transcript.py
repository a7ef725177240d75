"""The transcript JSON contract (`workshop.transcript/1`): export, import, anonymize.

`to_transcript` turns a Session into the contract's dict, `dumps` writes it
deterministically, and `parse_transcript` / `from_transcript` read it back into a
Session, stopping at the first problem with a sentence that names the file. The
contract is documented field by field in `docs/transcript.md`.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from workshop import limits
from workshop.anonymize import anonymized
from workshop.codec import (
    agreement_doc,
    check_marks,
    check_turns,
    iso,
    label_docs,
    mark_doc,
    rating_doc,
    scenario_doc,
    statement_doc,
    step_doc,
    turn_doc,
)
from workshop.errors import InvalidTranscript
from workshop.kinds import KINDS, STEP_TYPES
from workshop.limits import Invalid, kind, printable_key, shown
from workshop.model import (
    Agreement,
    Mark,
    Rating,
    Session,
    Statement,
    StepTime,
    Turn,
)

SCHEMA = "workshop.transcript/2"
"""The value of the top-level `schema` field this module writes."""

READS = ("workshop.transcript/1", SCHEMA)
"""The schemas it reads: /1 lacks turns, marks and step digests."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest transcript file `parse_transcript` reads."""


# -- export -------------------------------------------------------------------------------


def to_transcript(
    session: Session, anonymize: bool = False, include_private: bool = False
) -> dict[str, Any]:
    """The transcript of `session` as the contract's dict: names replaced when
    `anonymize`; private thoughts withheld (null) unless `include_private`."""
    withheld = {t.id for t in session.turns if t.private and not include_private}
    if not include_private:
        session = session.without_private()
    if anonymize:
        session = anonymized(session)
    steps = session.steps
    current = steps[session.current_step].key if steps else None
    counts = session.tag_counts()
    return {
        "schema": SCHEMA,
        "session": {
            "id": session.id,
            "title": session.title,
            "facilitator": session.facilitator,
            "organisation": session.organisation,
            "participants": list(session.participants),
            "started_at": iso(session.started_at),
            "finished_at": iso(session.finished_at),
            "status": session.status,
            "current_step": current,
        },
        # The scenario, sides, taxonomy, steps, statements, agreements, ratings and marks
        # have the same fields here as in the store.
        "scenario": scenario_doc(session),
        "sides": label_docs(session.sides),
        "taxonomy": label_docs(session.taxonomy),
        "steps": [step_doc(s) for s in steps],
        "statements": [statement_doc(st) for st in session.statements],
        "agreements": [agreement_doc(ag) for ag in session.agreements],
        "ratings": [rating_doc(r) for r in session.ratings],
        "marks": [mark_doc(m) for m in session.marks],
        "turns": [
            {**turn_doc(t), "thought": None} if t.id in withheld else turn_doc(t)
            for t in session.turns
        ],
        "summary": {"tag_counts": counts, "steps": digests(session)},
    }


def digests(session: Session) -> dict[str, Any]:
    """`summary.steps`: each step's digest, for the kinds that have one (`StepKind.digest`)."""
    found = {}
    for step in session.steps:
        digest = KINDS[step.type].digest
        if digest is not None:
            found[step.key] = digest(session, step)
    return found


def dumps(transcript: dict[str, Any]) -> str:
    """`transcript` as JSON text: indent 2, UTF-8 characters kept, a final newline."""
    return json.dumps(transcript, indent=2, ensure_ascii=False) + "\n"


# -- import -------------------------------------------------------------------------------


_TOP = (
    "schema",
    "session",
    "scenario",
    "sides",
    "taxonomy",
    "steps",
    "statements",
    "agreements",
    "ratings",
    "summary",
)
_TOP_LATER = ("marks", "turns")
"""Optional at the top: /1 transcripts lack them."""
_STEP = ("key", "title", "type", "entered_at", "seconds_spent")
_STEP_LATER = ("items",)
_SESSION = (
    "id",
    "title",
    "facilitator",
    "organisation",
    "participants",
    "started_at",
    "finished_at",
    "status",
    "current_step",
)
_STATEMENT = ("id", "side", "speaker", "text", "tags", "created_at", "edited_at")
_AGREEMENT = ("id", "text", "tag", "owner", "due", "created_at")
_TURN = (
    "id",
    "step",
    "side",
    "speaker",
    "said",
    "thought",
    "private",
    "revealed",
    "tags",
    "created_at",
    "edited_at",
)
_MADE_IN = ("step",)
"""Optional in statements and agreements: files written before it existed lack it."""
_STATUSES = ("in-progress", "finished")


def _one_of(value: Any, where: str, allowed: Collection[str], what: str) -> str:
    """`value` if it is in `allowed`, else Invalid saying it is not `what`."""
    if not isinstance(value, str) or value not in allowed:
        raise Invalid(where, f"{shown(value)} is not {what}")
    return value


def _new_id(value: Any, where: str, seen: set[str]) -> str:
    """An id not in `seen`, which it joins."""
    new = limits.ident(value, where)
    if new in seen:
        raise Invalid(where, f"'{new}' is used twice")
    seen.add(new)
    return new


def _made_in(value: Any, where: str, step_keys: list[str]) -> str | None:
    """The `step` of a statement or agreement: null, or a key of the transcript's steps."""
    if value is None:
        return None
    return _one_of(value, where, step_keys, "a step of this transcript")


def _session(data: Any) -> Session:
    if not isinstance(data, dict):
        raise Invalid("", "the file does not hold a JSON object")
    schema = data.get("schema")
    if schema not in READS:
        if isinstance(schema, str) and schema.startswith("workshop.transcript/"):
            raise Invalid("schema", f"{printable_key(schema)} is another version of the format")
        if schema is None:
            raise Invalid("", "missing field 'schema' (not a workshop transcript)")
        raise Invalid("schema", f"{shown(schema)} is not '{SCHEMA}'")
    limits.obj(data, "", _TOP, _TOP_LATER)

    head = limits.obj(data["session"], "session", _SESSION)
    session_id = limits.ident(head["id"], "session.id")
    title = limits.line(head["title"], "session.title", required=True)
    facilitator = limits.line(head["facilitator"], "session.facilitator")
    organisation = limits.line(head["organisation"], "session.organisation")
    participants = [
        limits.line(p, f"session.participants[{i}]", required=True)
        for i, p in enumerate(
            limits.items(head["participants"], "session.participants", limits.MAX_PEOPLE)
        )
    ]
    started_at = limits.moment(head["started_at"], "session.started_at")
    finished_at = limits.opt_moment(head["finished_at"], "session.finished_at")
    status = _one_of(head["status"], "session.status", _STATUSES, "'in-progress' or 'finished'")

    scenario = limits.obj(data["scenario"], "scenario", ("id", "version", "title", "language"))
    scenario_id = limits.key(scenario["id"], "scenario.id")
    version = limits.line(scenario["version"], "scenario.version")
    scenario_title = limits.line(scenario["title"], "scenario.title")
    language = limits.line(scenario["language"], "scenario.language")

    sides = limits.labels(data["sides"], "sides", reserved="total")
    if not sides:
        raise Invalid("sides", "must list at least one side")
    side_keys = {s.key for s in sides}
    taxonomy = limits.labels(data["taxonomy"], "taxonomy")
    tag_keys = {t.key for t in taxonomy}

    steps: list[StepTime] = []
    for i, item in enumerate(limits.items(data["steps"], "steps", limits.MAX_STEPS)):
        here = f"steps[{i}]"
        doc = limits.obj(item, here, _STEP, _STEP_LATER)
        key = limits.key(doc["key"], f"{here}.key")
        if key in {s.key for s in steps}:
            raise Invalid(f"{here}.key", f"'{key}' is used twice")
        kinds = f"a step type ({', '.join(STEP_TYPES)})"
        steps.append(
            StepTime(
                key,
                limits.line(doc["title"], f"{here}.title"),
                _one_of(doc["type"], f"{here}.type", STEP_TYPES, kinds),
                limits.opt_moment(doc["entered_at"], f"{here}.entered_at"),
                limits.seconds(doc["seconds_spent"], f"{here}.seconds_spent"),
                tuple(limits.labels(doc.get("items", []), f"{here}.items")),
            )
        )
    if not steps:
        raise Invalid("steps", "must list at least one step")
    step_keys = [s.key for s in steps]
    current = _one_of(
        head["current_step"], "session.current_step", step_keys, "a step of this transcript"
    )

    statements: list[Statement] = []
    seen: set[str] = set()
    for i, item in enumerate(limits.items(data["statements"], "statements")):
        here = f"statements[{i}]"
        doc = limits.obj(item, here, _STATEMENT, _MADE_IN)
        sid = _new_id(doc["id"], f"{here}.id", seen)
        side = _one_of(doc["side"], f"{here}.side", side_keys, "a side of this transcript")
        tags: list[str] = []
        for j, tag in enumerate(limits.items(doc["tags"], f"{here}.tags", limits.MAX_LABELS)):
            _one_of(tag, f"{here}.tags[{j}]", tag_keys, "a tag of this transcript")
            if tag in tags:
                raise Invalid(f"{here}.tags[{j}]", f"'{tag}' is listed twice")
            tags.append(tag)
        statements.append(
            Statement(
                id=sid,
                side=side,
                text=limits.text(doc["text"], f"{here}.text"),
                speaker=limits.opt_name(doc["speaker"], f"{here}.speaker"),
                tags=tuple(tags),
                created_at=limits.moment(doc["created_at"], f"{here}.created_at"),
                edited_at=limits.opt_moment(doc["edited_at"], f"{here}.edited_at"),
                step=_made_in(doc.get("step"), f"{here}.step", step_keys),
            )
        )

    agreements: list[Agreement] = []
    seen = set()
    for i, item in enumerate(limits.items(data["agreements"], "agreements")):
        here = f"agreements[{i}]"
        doc = limits.obj(item, here, _AGREEMENT, _MADE_IN)
        aid = _new_id(doc["id"], f"{here}.id", seen)
        tag = doc["tag"]
        if tag is not None:
            _one_of(tag, f"{here}.tag", tag_keys, "a tag of this transcript")
        agreements.append(
            Agreement(
                id=aid,
                text=limits.text(doc["text"], f"{here}.text"),
                tag=tag,
                owner=limits.opt_name(doc["owner"], f"{here}.owner"),
                due=limits.due_date(doc["due"], f"{here}.due"),
                created_at=limits.moment(doc["created_at"], f"{here}.created_at"),
                step=_made_in(doc.get("step"), f"{here}.step", step_keys),
            )
        )

    ratings: list[Rating] = []
    rating_steps = [s.key for s in steps if s.type == "rating"]
    for i, item in enumerate(limits.items(data["ratings"], "ratings")):
        here = f"ratings[{i}]"
        doc = limits.obj(item, here, ("step", "item", "score", "note"))
        step = _one_of(doc["step"], f"{here}.step", rating_steps, "a rating step of the transcript")
        rated = limits.key(doc["item"], f"{here}.item")
        if any(r.step == step and r.item == rated for r in ratings):
            raise Invalid(here, f"'{step}' / '{rated}' is rated twice")
        ratings.append(
            Rating(
                step,
                rated,
                limits.score(doc["score"], f"{here}.score"),
                limits.text(doc["note"], f"{here}.note"),
            )
        )

    marks: list[tuple[str, Mark]] = []
    for i, item in enumerate(limits.items(data.get("marks", []), "marks")):
        here = f"marks[{i}]"
        doc = limits.obj(item, here, ("step", "item", "at", "value"), ("count",))
        mark = Mark(
            limits.key(doc["step"], f"{here}.step"),
            limits.ident(doc["item"], f"{here}.item"),
            limits.moment(doc["at"], f"{here}.at"),
            limits.text(doc["value"], f"{here}.value"),
            limits.whole(doc.get("count", 0), f"{here}.count", 0, limits.MAX_PEOPLE),
        )
        marks.append((here, mark))

    turns: list[tuple[str, Turn]] = []
    seen = set()
    for i, item in enumerate(limits.items(data.get("turns", []), "turns")):
        here = f"turns[{i}]"
        doc = limits.obj(item, here, _TURN)
        thought = doc["thought"]
        private = limits.flag(doc["private"], f"{here}.private")
        if thought is None and not private:
            raise Invalid(f"{here}.thought", "is null, which only a withheld private thought is")
        tags = []
        for j, tag in enumerate(limits.items(doc["tags"], f"{here}.tags", limits.MAX_LABELS)):
            _one_of(tag, f"{here}.tags[{j}]", tag_keys, "a tag of this transcript")
            if tag in tags:
                raise Invalid(f"{here}.tags[{j}]", f"'{tag}' is listed twice")
            tags.append(tag)
        turn = Turn(
            id=_new_id(doc["id"], f"{here}.id", seen),
            step=limits.key(doc["step"], f"{here}.step"),
            side=_one_of(doc["side"], f"{here}.side", side_keys, "a side of this transcript"),
            said=limits.text(doc["said"], f"{here}.said"),
            thought="" if thought is None else limits.text(thought, f"{here}.thought"),
            private=private,
            revealed=limits.flag(doc["revealed"], f"{here}.revealed") and not private,
            tags=tuple(tags),
            created_at=limits.moment(doc["created_at"], f"{here}.created_at"),
            speaker=limits.opt_name(doc["speaker"], f"{here}.speaker"),
            edited_at=limits.opt_moment(doc["edited_at"], f"{here}.edited_at"),
        )
        turns.append((here, turn))

    session = Session(
        id=session_id,
        title=title,
        facilitator=facilitator,
        organisation=organisation,
        participants=participants,
        scenario_id=scenario_id,
        scenario_version=version,
        scenario_title=scenario_title,
        language=language,
        started_at=started_at,
        finished_at=finished_at,
        status=status,
        current_step=step_keys.index(current),
        sides=sides,
        taxonomy=taxonomy,
        steps=steps,
        statements=statements,
        agreements=agreements,
        ratings=ratings,
        turns=check_turns(turns, steps, [s.key for s in sides]),
    )
    session.marks = check_marks(marks, session)
    _check_summary(data["summary"], session)
    return session


def _check_summary(value: Any, session: Session) -> None:
    summary = limits.obj(value, "summary", ("tag_counts",), ("steps",))
    expected_steps = digests(session)
    given_steps = summary.get("steps", {})
    if given_steps != expected_steps:
        for key, digest in expected_steps.items():
            if not isinstance(given_steps, dict) or given_steps.get(key) != digest:
                raise Invalid(f"summary.steps.{key}", "does not match what the step stored")
        raise Invalid("summary.steps", "names a step that has no digest")
    expected = session.tag_counts()
    counts = summary["tag_counts"]
    if not isinstance(counts, dict):
        raise Invalid("summary.tag_counts", f"must be an object, not {kind(counts)}")
    for group, per_tag in expected.items():
        here = f"summary.tag_counts.{group}"
        if group not in counts:
            raise Invalid("summary.tag_counts", f"missing '{group}'")
        given = counts[group]
        if not isinstance(given, dict):
            raise Invalid(here, f"must be an object, not {kind(given)}")
        for tag, number in per_tag.items():
            if tag not in given:
                raise Invalid(here, f"missing '{tag}'")
            if given[tag] != number or isinstance(given[tag], bool):
                raise Invalid(
                    f"{here}.{tag}", f"says {shown(given[tag])}, but the statements have {number}"
                )
        for tag in given:
            if tag not in per_tag:
                raise Invalid(here, f"{printable_key(tag)} is not a tag of this transcript")
    for group in counts:
        if group not in expected:
            raise Invalid(
                "summary.tag_counts", f"{printable_key(group)} is not a side of this transcript"
            )


def from_transcript(data: Any, file_name: str) -> Session:
    """The Session in transcript `data` (parsed JSON) read from `file_name`.

    Raises InvalidTranscript naming the file and the first problem found.
    """
    try:
        return _session(data)
    except Invalid as problem:
        raise InvalidTranscript(f"{file_name} is not a valid transcript: {problem}.") from None
    except RecursionError:
        raise InvalidTranscript(
            f"{file_name} is not a valid transcript: it is nested too deeply."
        ) from None


def parse_transcript(raw: bytes, file_name: str) -> Session:
    """The Session in the bytes of transcript file `file_name`; InvalidTranscript otherwise."""

    def bad(problem: str) -> InvalidTranscript:
        return InvalidTranscript(f"{file_name} is not a valid transcript: {problem}.")

    if len(raw) > MAX_FILE_BYTES:
        raise bad(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not raw.strip():
        raise bad("the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise bad(f"the file is not UTF-8 text (byte {error.start})") from None
    try:
        data = limits.loads(text)
    except json.JSONDecodeError as error:
        raise bad(f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except Invalid as problem:
        raise bad(str(problem)) from None
    except RecursionError:
        raise bad("it is nested too deeply") from None
    return from_transcript(data, file_name)
