"""The transcript JSON contract (`workshop.transcript/1`): export, import, anonymize.

`to_transcript` turns a Session into the contract's dict, `dumps` writes it
deterministically, and `parse_transcript` / `from_transcript` read it back into a
Session, stopping at the first problem with a sentence that names the file. The
contract is documented field by field in `docs/transcript.md`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from workshop.errors import InvalidTranscript
from workshop.model import (
    STEP_TYPES,
    Agreement,
    Label,
    Rating,
    Session,
    Statement,
    StepTime,
)
from workshop.store import (
    agreement_doc,
    label_docs,
    rating_doc,
    scenario_doc,
    statement_doc,
    step_doc,
)

SCHEMA = "workshop.transcript/1"
"""The value of the top-level `schema` field this module writes and reads."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest transcript file `parse_transcript` reads."""

FACILITATOR = "Facilitator"
"""What `--anonymize` calls the facilitator."""

NAME_REMOVED = "(name removed)"
"""What `--anonymize` writes for a name part shared by several people."""

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_DUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXT_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_STATUSES = ("in-progress", "finished")


# -- export -------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def to_transcript(session: Session, anonymize: bool = False) -> dict[str, Any]:
    """The transcript of `session` as the contract's dict (names replaced when `anonymize`)."""
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
            "started_at": _iso(session.started_at),
            "finished_at": _iso(session.finished_at),
            "status": session.status,
            "current_step": current,
        },
        # The scenario, sides, taxonomy, steps, statements, agreements and ratings have the
        # same fields here as in the store.
        "scenario": scenario_doc(session),
        "sides": label_docs(session.sides),
        "taxonomy": label_docs(session.taxonomy),
        "steps": [step_doc(s) for s in steps],
        "statements": [statement_doc(st) for st in session.statements],
        "agreements": [agreement_doc(ag) for ag in session.agreements],
        "ratings": [rating_doc(r) for r in session.ratings],
        "summary": {"tag_counts": counts},
    }


def dumps(transcript: dict[str, Any]) -> str:
    """`transcript` as JSON text: indent 2, UTF-8 characters kept, a final newline."""
    return json.dumps(transcript, indent=2, ensure_ascii=False) + "\n"


# -- anonymize ----------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _number(alias: str) -> int:
    return int(alias.rsplit(" ", 1)[-1]) if alias[-1:].isdigit() else 0


class _Pseudonyms:
    """Real names to "Participant N", and the facilitator's to "Facilitator"."""

    def __init__(self, facilitator: str) -> None:
        self.alias: dict[str, str] = {}
        """Normalised full name (see `_name_key`) to pseudonym."""
        self.spellings: list[str] = []
        """Every name as it was written."""
        self.parts: dict[str, str] = {}
        self.count = 0
        if _name_key(facilitator):
            self.alias[_name_key(facilitator)] = FACILITATOR
            self.spellings.append(facilitator)

    def known(self, name: str) -> bool:
        """Whether `name` already has a pseudonym."""
        return _name_key(name) in self.alias

    def add(self, name: str) -> str:
        """The pseudonym of `name`, giving the next number to a new name."""
        key = _name_key(name)
        if key not in self.alias:
            self.count += 1
            self.alias[key] = f"Participant {self.count}"
        self.spellings.append(name)
        return self.alias[key]

    def pattern(self) -> re.Pattern[str] | None:
        """One pattern for every full name (in any case) and name part (as written).

        A part shared by two people maps to NAME_REMOVED rather than to either one.
        """
        self.parts = {}
        for name in self.spellings:
            alias = self.alias[_name_key(name)]
            for part in re.split(r"[\s\-]+", name.strip()):
                if len(part) < 2 or not any(c.isalpha() for c in part):
                    continue
                if _name_key(part) in self.alias:
                    continue  # someone's full name: the full-name match decides
                previous = self.parts.get(part)
                self.parts[part] = alias if previous in (None, alias) else NAME_REMOVED
        fulls = sorted(
            {" ".join(n.split()) for n in self.spellings} | set(self.alias), key=len, reverse=True
        )
        fulls = [f for f in fulls if f]
        if not fulls:
            return None
        full = "|".join(r"\s+".join(map(re.escape, f.split())) for f in fulls)
        choices = [f"(?i:{full})"]
        if self.parts:
            choices.append("|".join(map(re.escape, sorted(self.parts, key=len, reverse=True))))
        return re.compile(r"(?<!\w)(?:" + "|".join(choices) + r")(?!\w)")

    def replace(self, match: re.Match[str]) -> str:
        """The pseudonym for a match of `pattern()`."""
        found = match.group(0)
        return self.alias.get(_name_key(found)) or self.parts.get(found, NAME_REMOVED)


def anonymized(session: Session) -> Session:
    """A copy of `session` without the names of the facilitator, participants, speakers
    and owners.

    Each person becomes "Participant N", numbered by first appearance (speakers in
    statement order, then participants, then owners), and the facilitator becomes
    "Facilitator". An owner that mentions nobody known is taken as a person too. The
    names are also replaced inside the title, organisation, statements, agreements and
    rating notes: full names in any case, single name parts as written. Side, tag and
    step labels come from the scenario and are kept.
    """
    names = _Pseudonyms(session.facilitator)
    for st in session.statements:
        if st.speaker and _name_key(st.speaker):
            names.add(st.speaker)
    for person in session.participants:
        if _name_key(person):
            names.add(person)
    pattern = names.pattern()
    for ag in session.agreements:
        owner = ag.owner
        if owner and _name_key(owner) and not names.known(owner):
            if pattern is None or not pattern.search(owner):
                names.add(owner)
    pattern = names.pattern()

    def scrub(text: str) -> str:
        return pattern.sub(names.replace, text) if pattern is not None and text else text

    def alias(name: str | None) -> str | None:
        if not name:
            return name
        return names.alias.get(_name_key(name)) or scrub(name)

    participants = sorted(
        {names.alias[_name_key(p)] for p in session.participants if _name_key(p)},
        key=lambda a: (a != FACILITATOR, _number(a)),
    )
    return replace(
        session,
        title=scrub(session.title),
        facilitator=FACILITATOR if _name_key(session.facilitator) else "",
        organisation=scrub(session.organisation),
        participants=participants,
        statements=[
            replace(st, speaker=alias(st.speaker), text=scrub(st.text)) for st in session.statements
        ],
        agreements=[
            replace(ag, owner=alias(ag.owner), text=scrub(ag.text)) for ag in session.agreements
        ],
        ratings=[replace(r, note=scrub(r.note)) for r in session.ratings],
    )


# -- import -------------------------------------------------------------------------------


class _Problem(Exception):
    """The first thing wrong with a transcript, at a JSON path."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _obj(
    value: Any, where: str, fields: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`value` as an object holding every one of `fields`, and no field but those and
    `optional` ones (read with `.get`: missing means null)."""
    if not isinstance(value, dict):
        raise _Problem(where, "must be an object")
    for name in fields:
        if name not in value:
            raise _Problem(where, f"missing field '{name}'")
    for name in value:
        if name not in fields and name not in optional:
            raise _Problem(where, f"unknown field '{name}'")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Problem(where, "must be a list")
    return value


def _check_chars(value: str, where: str, multiline: bool) -> str:
    bad = (_TEXT_BAD if multiline else _LINE_BAD).search(value)
    if bad is not None:
        char = bad.group(0)
        if char in "\n\t":
            what = "a line break" if char == "\n" else "a tab"
        elif "\ud800" <= char <= "\udfff":
            what = f"a lone surrogate (U+{ord(char):04X}), which is not a character"
        else:
            what = f"the control character U+{ord(char):04X}"
        raise _Problem(where, f"contains {what}")
    return value


def _line(value: Any, where: str, required: bool = False) -> str:
    if not isinstance(value, str):
        raise _Problem(where, "must be text")
    if required and not value.strip():
        raise _Problem(where, "must not be empty")
    return _check_chars(value, where, multiline=False)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Problem(where, "must be text")
    return _check_chars(value, where, multiline=True)


def _opt_line(value: Any, where: str) -> str | None:
    return None if value is None else _line(value, where)


def _opt_name(value: Any, where: str) -> str | None:
    name = _opt_line(value, where)
    if name is not None and not name.strip():
        raise _Problem(where, "must be null or a name, not empty text")
    return name


def _key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise _Problem(where, "must be a key: lowercase letters, digits, '-' or '_'")
    return value


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise _Problem(where, "must be an id: 1 to 64 letters, digits, '-' or '_'")
    return value


def _new_id(value: Any, where: str, seen: set[str]) -> str:
    """An id not in `seen`, which it joins."""
    new = _id(value, where)
    if new in seen:
        raise _Problem(where, f"'{new}' is used twice")
    seen.add(new)
    return new


def _time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise _Problem(where, "must be an ISO 8601 time with a UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Problem(where, f"{value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise _Problem(where, f"{value!r} has no UTC offset")
    return moment


def _opt_time(value: Any, where: str) -> datetime | None:
    return None if value is None else _time(value, where)


def _labels(value: Any, where: str, reserved: str | None = None) -> list[Label]:
    labels: list[Label] = []
    for i, item in enumerate(_list(value, where)):
        here = f"{where}[{i}]"
        doc = _obj(item, here, ("key", "label"))
        key = _key(doc["key"], f"{here}.key")
        if key == reserved:
            raise _Problem(f"{here}.key", f"'{key}' is reserved for the summary")
        if key in {label.key for label in labels}:
            raise _Problem(f"{here}.key", f"'{key}' is used twice")
        labels.append(Label(key, _line(doc["label"], f"{here}.label")))
    return labels


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
_MADE_IN = ("step",)
"""Optional in statements and agreements: files written before it existed lack it."""


def _made_in(value: Any, where: str, step_keys: list[str]) -> str | None:
    """The `step` of a statement or agreement: null, or a key of the transcript's steps."""
    if value is not None and value not in step_keys:
        raise _Problem(where, f"{value!r} is not a step of this transcript")
    return value


def _session(data: Any) -> Session:
    if not isinstance(data, dict):
        raise _Problem("", "the file does not hold a JSON object")
    schema = data.get("schema")
    if schema != SCHEMA:
        if isinstance(schema, str) and schema.startswith("workshop.transcript/"):
            raise _Problem("schema", f"{schema!r} is another version of the transcript format")
        if schema is None:
            raise _Problem("", "missing field 'schema' (not a workshop transcript)")
        raise _Problem("schema", f"{schema!r} is not {SCHEMA!r}")
    _obj(data, "", _TOP)

    head = _obj(data["session"], "session", _SESSION)
    session_id = _id(head["id"], "session.id")
    title = _line(head["title"], "session.title", required=True)
    facilitator = _line(head["facilitator"], "session.facilitator")
    organisation = _line(head["organisation"], "session.organisation")
    participants = [
        _line(p, f"session.participants[{i}]", required=True)
        for i, p in enumerate(_list(head["participants"], "session.participants"))
    ]
    started_at = _time(head["started_at"], "session.started_at")
    finished_at = _opt_time(head["finished_at"], "session.finished_at")
    status = head["status"]
    if status not in _STATUSES:
        raise _Problem("session.status", f"{status!r} is not 'in-progress' or 'finished'")

    scenario = _obj(data["scenario"], "scenario", ("id", "version", "title", "language"))
    scenario_id = _key(scenario["id"], "scenario.id")
    version = _line(scenario["version"], "scenario.version")
    scenario_title = _line(scenario["title"], "scenario.title")
    language = _line(scenario["language"], "scenario.language")

    sides = _labels(data["sides"], "sides", reserved="total")
    if not sides:
        raise _Problem("sides", "must list at least one side")
    side_keys = {s.key for s in sides}
    taxonomy = _labels(data["taxonomy"], "taxonomy")
    tag_keys = {t.key for t in taxonomy}

    steps: list[StepTime] = []
    for i, item in enumerate(_list(data["steps"], "steps")):
        here = f"steps[{i}]"
        doc = _obj(item, here, ("key", "title", "type", "entered_at", "seconds_spent"))
        key = _key(doc["key"], f"{here}.key")
        if key in {s.key for s in steps}:
            raise _Problem(f"{here}.key", f"'{key}' is used twice")
        kind = doc["type"]
        if kind not in STEP_TYPES:
            raise _Problem(f"{here}.type", f"{kind!r} is not a step type ({', '.join(STEP_TYPES)})")
        spent = doc["seconds_spent"]
        if (
            isinstance(spent, bool)
            or not isinstance(spent, int | float)
            or not math.isfinite(spent)
            or spent < 0
        ):
            raise _Problem(f"{here}.seconds_spent", "must be a number of seconds, 0 or more")
        steps.append(
            StepTime(
                key,
                _line(doc["title"], f"{here}.title"),
                kind,
                _opt_time(doc["entered_at"], f"{here}.entered_at"),
                float(spent),
            )
        )
    if not steps:
        raise _Problem("steps", "must list at least one step")
    step_keys = [s.key for s in steps]
    current = head["current_step"]
    if current not in step_keys:
        raise _Problem("session.current_step", f"{current!r} is not a step of this transcript")

    statements: list[Statement] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(data["statements"], "statements")):
        here = f"statements[{i}]"
        doc = _obj(item, here, _STATEMENT, _MADE_IN)
        sid = _new_id(doc["id"], f"{here}.id", seen)
        side = doc["side"]
        if side not in side_keys:
            raise _Problem(f"{here}.side", f"{side!r} is not a side of this transcript")
        tags: list[str] = []
        for j, tag in enumerate(_list(doc["tags"], f"{here}.tags")):
            if tag not in tag_keys:
                raise _Problem(f"{here}.tags[{j}]", f"{tag!r} is not a tag of this transcript")
            if tag in tags:
                raise _Problem(f"{here}.tags[{j}]", f"{tag!r} is listed twice")
            tags.append(tag)
        speaker = _opt_name(doc["speaker"], f"{here}.speaker")
        statements.append(
            Statement(
                id=sid,
                side=side,
                text=_text(doc["text"], f"{here}.text"),
                speaker=speaker,
                tags=tuple(tags),
                created_at=_time(doc["created_at"], f"{here}.created_at"),
                edited_at=_opt_time(doc["edited_at"], f"{here}.edited_at"),
                step=_made_in(doc.get("step"), f"{here}.step", step_keys),
            )
        )

    agreements: list[Agreement] = []
    seen = set()
    for i, item in enumerate(_list(data["agreements"], "agreements")):
        here = f"agreements[{i}]"
        doc = _obj(item, here, _AGREEMENT, _MADE_IN)
        aid = _new_id(doc["id"], f"{here}.id", seen)
        tag = doc["tag"]
        if tag is not None and tag not in tag_keys:
            raise _Problem(f"{here}.tag", f"{tag!r} is not a tag of this transcript")
        owner = _opt_name(doc["owner"], f"{here}.owner")
        due = doc["due"]
        due_date: date | None = None
        if due is not None:
            if not isinstance(due, str) or not _DUE.fullmatch(due):
                raise _Problem(f"{here}.due", f"{due!r} is not a date as YYYY-MM-DD")
            try:
                due_date = date.fromisoformat(due)
            except ValueError:
                raise _Problem(f"{here}.due", f"{due!r} is not a real date") from None
        agreements.append(
            Agreement(
                id=aid,
                text=_text(doc["text"], f"{here}.text"),
                tag=tag,
                owner=owner,
                due=due_date,
                created_at=_time(doc["created_at"], f"{here}.created_at"),
                step=_made_in(doc.get("step"), f"{here}.step", step_keys),
            )
        )

    ratings: list[Rating] = []
    for i, item in enumerate(_list(data["ratings"], "ratings")):
        here = f"ratings[{i}]"
        doc = _obj(item, here, ("step", "item", "score", "note"))
        step = doc["step"]
        if step not in step_keys:
            raise _Problem(f"{here}.step", f"{step!r} is not a step of this transcript")
        rated = _key(doc["item"], f"{here}.item")
        if any(r.step == step and r.item == rated for r in ratings):
            raise _Problem(f"{here}", f"'{step}' / '{rated}' is rated twice")
        score = doc["score"]
        if isinstance(score, bool) or not isinstance(score, int) or score < 0:
            raise _Problem(f"{here}.score", "must be a whole number, 0 or more")
        ratings.append(Rating(step, rated, score, _text(doc["note"], f"{here}.note")))

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
    )
    _check_summary(data["summary"], session)
    return session


def _check_summary(value: Any, session: Session) -> None:
    summary = _obj(value, "summary", ("tag_counts",))
    expected = session.tag_counts()
    counts = summary["tag_counts"]
    if not isinstance(counts, dict):
        raise _Problem("summary.tag_counts", "must be an object")
    for group, per_tag in expected.items():
        here = f"summary.tag_counts.{group}"
        if group not in counts:
            raise _Problem("summary.tag_counts", f"missing '{group}'")
        given = counts[group]
        if not isinstance(given, dict):
            raise _Problem(here, "must be an object")
        for tag, number in per_tag.items():
            if tag not in given:
                raise _Problem(here, f"missing '{tag}'")
            if given[tag] != number or isinstance(given[tag], bool):
                raise _Problem(
                    f"{here}.{tag}",
                    f"says {given[tag]!r}, but the statements have {number}",
                )
        for tag in given:
            if tag not in per_tag:
                raise _Problem(here, f"{tag!r} is not a tag of this transcript")
    for group in counts:
        if group not in expected:
            raise _Problem("summary.tag_counts", f"{group!r} is not a side of this transcript")


def from_transcript(data: Any, file_name: str) -> Session:
    """The Session in transcript `data` (parsed JSON) read from `file_name`.

    Raises InvalidTranscript naming the file and the first problem found.
    """
    try:
        return _session(data)
    except _Problem as problem:
        raise InvalidTranscript(f"{file_name} is not a valid transcript: {problem}.") from None
    except RecursionError:
        raise InvalidTranscript(
            f"{file_name} is not a valid transcript: it is nested too deeply."
        ) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise _Problem("", f"the field '{name}' appears twice in one object")
        result[name] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Problem("", f"{name} is not a number JSON allows")


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
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise bad(f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except _Problem as problem:
        raise bad(str(problem)) from None
    except RecursionError:
        raise bad("it is nested too deeply") from None
    return from_transcript(data, file_name)
