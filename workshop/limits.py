"""The limits every value from outside keeps, written once: the UI, the store, `workshop
import`, the session reader and the pack checker all use them.

A value that breaks one raises `Invalid`, whose text names the field (a JSON path such as
`statements[3].text`) and the limit, in words a facilitator can act on.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from workshop.model import KeyLabel
from workshop.text import printable

MAX_STATEMENT_CHARS = 4000
"""Longest statement, agreement or rating note accepted; longer text is refused, never cut."""

MAX_FIELD_CHARS = 200
"""Longest one-line value: a title, a name, an owner, a label."""

MAX_KEY_CHARS = 64
"""Longest key or id."""

MAX_PACK_TEXT_CHARS = 20_000
"""Longest projected text, note or definition in a pack."""

MAX_SCALE = 9
"""Highest score of any rating scale: one digit key per score, 0 to 9."""

MAX_STEP_SECONDS = 7 * 24 * 3600
"""Most time one step can have taken: a week."""

MAX_PEOPLE = 500
"""Most participants one session lists."""

MAX_STEPS = 200
"""Most steps in an agenda."""

MAX_LABELS = 50
"""Most sides, taxonomies, tags or rating items."""

MAX_DIGITS = 18
"""Most digits of a whole number in a data file; every number the app keeps is smaller."""

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_TEXT_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_DUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class Invalid(Exception):
    """The first value found outside the limits, at a JSON path ("" for the whole file)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)


def join(where: str, name: str) -> str:
    """The path of field `name` of the object at `where`."""
    return f"{where}.{name}" if where else name


def length_problem(length: int, limit: int) -> str | None:
    """ "is N characters; the limit is L" when `length` is over `limit`, else None."""
    if length <= limit:
        return None
    return f"is {length:,} characters; the limit is {limit:,}"


def too_long(value: str, limit: int = MAX_STATEMENT_CHARS) -> str | None:
    """A sentence saying `value` is over `limit` characters, or None when it fits."""
    if len(value) <= limit:
        return None
    return (
        f"That text is {len(value):,} characters; the limit is {limit:,}. "
        "Nothing was cut: shorten it or split it into several statements."
    )


# -- reading JSON -------------------------------------------------------------------------


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Invalid("", f"it holds a number of {len(text.lstrip('-')):,} digits")
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Invalid("", f"it holds the number {text[:40]}, too large to be real")
    return value


def _constant(name: str) -> Any:
    raise Invalid("", f"it holds {name}, which is not a number JSON allows")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise Invalid("", f"the field {printable_key(name)} appears twice in one object")
        result[name] = value
    return result


def loads(text: str, duplicates: bool = False) -> Any:
    """Parse JSON `text`, refusing what no limit admits: NaN and infinities, numbers of
    more than MAX_DIGITS digits, and (unless `duplicates`) a field twice in one object.

    Raises Invalid, json.JSONDecodeError, or RecursionError (nested too deeply).
    """
    return json.loads(
        text,
        parse_int=_whole,
        parse_float=_real,
        parse_constant=_constant,
        object_pairs_hook=None if duplicates else _no_duplicates,
    )


# -- checking fields ----------------------------------------------------------------------


def printable_key(name: object) -> str:
    """A field name from a file, quoted and shortened for a message (controls escaped)."""
    text = str(name)
    if len(text) > 40:
        text = text[:40] + "…"
    return "'" + printable(text).replace("\n", "\\n") + "'"


def obj(
    value: Any, where: str, fields: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`value` as an object holding every one of `fields`, and no field but those and
    `optional` ones (read with `.get`: missing means null)."""
    if not isinstance(value, dict):
        raise Invalid(where, f"must be an object, not {kind(value)}")
    for name in fields:
        if name not in value:
            raise Invalid(where, f"missing field '{name}'")
    for name in value:
        if name not in fields and name not in optional:
            raise Invalid(where, f"unknown field {printable_key(name)}")
    return value


def items(value: Any, where: str, limit: int | None = None) -> list[Any]:
    """`value` as a list of at most `limit` items."""
    if not isinstance(value, list):
        raise Invalid(where, f"must be a list, not {kind(value)}")
    if limit is not None and len(value) > limit:
        raise Invalid(where, f"lists {len(value):,} items; the limit is {limit:,}")
    return value


def shown(value: Any) -> str:
    """A value from a file as a message quotes it: text quoted and shortened, numbers as
    written, anything else by its kind."""
    if isinstance(value, str):
        return printable_key(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return kind(value)


def kind(value: Any, toml: bool = False) -> str:
    """What a value read from a file is, in the words of its format: "text", "a number",
    "a list", "an object" (in TOML: "true/false", "a table", "a date or time")."""
    if isinstance(value, bool):
        return "true/false" if toml else "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table" if toml else "an object"
    if toml:
        return "a date or time"
    return "null" if value is None else type(value).__name__


def _chars(value: str, where: str, multiline: bool, limit: int) -> str:
    problem = length_problem(len(value), limit)
    if problem:
        raise Invalid(where, problem)
    bad = (_TEXT_BAD if multiline else _LINE_BAD).search(value)
    if bad is not None:
        char = bad.group(0)
        if char in "\n\t":
            what = "a line break" if char == "\n" else "a tab"
        elif "\ud800" <= char <= "\udfff":
            what = f"a lone surrogate (U+{ord(char):04X}), which is not a character"
        else:
            what = f"the control character U+{ord(char):04X}"
        raise Invalid(where, f"contains {what}")
    return value


def is_line(value: str) -> bool:
    """Whether `value` would pass `line`: at most MAX_FIELD_CHARS, no control characters."""
    return len(value) <= MAX_FIELD_CHARS and _LINE_BAD.search(value) is None


def line(value: Any, where: str, required: bool = False, limit: int = MAX_FIELD_CHARS) -> str:
    """One line of text of at most `limit` characters, no controls (non-blank if `required`)."""
    if not isinstance(value, str):
        raise Invalid(where, f"must be text, not {kind(value)}")
    if required and not value.strip():
        raise Invalid(where, "must not be empty")
    return _chars(value, where, multiline=False, limit=limit)


def text(value: Any, where: str, limit: int = MAX_STATEMENT_CHARS) -> str:
    """Text of at most `limit` characters; line breaks and tabs allowed, no other controls."""
    if not isinstance(value, str):
        raise Invalid(where, f"must be text, not {kind(value)}")
    return _chars(value, where, multiline=True, limit=limit)


def opt_line(value: Any, where: str) -> str | None:
    return None if value is None else line(value, where)


def opt_name(value: Any, where: str) -> str | None:
    """Null or a name (not blank)."""
    name = opt_line(value, where)
    if name is not None and not name.strip():
        raise Invalid(where, "must be null or a name, not empty text")
    return name


def key(value: Any, where: str) -> str:
    """A key: lowercase letters, digits, '-' or '_', at most MAX_KEY_CHARS."""
    if not isinstance(value, str) or len(value) > MAX_KEY_CHARS or not _KEY.fullmatch(value):
        raise Invalid(
            where, f"must be a key: 1 to {MAX_KEY_CHARS} lowercase letters, digits, '-' or '_'"
        )
    return value


def ident(value: Any, where: str) -> str:
    """An id: letters, digits, '-' or '_', at most MAX_KEY_CHARS."""
    if not isinstance(value, str) or len(value) > MAX_KEY_CHARS or not _ID.fullmatch(value):
        raise Invalid(where, f"must be an id: 1 to {MAX_KEY_CHARS} letters, digits, '-' or '_'")
    return value


def flag(value: Any, where: str) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid(where, f"must be true or false, not {shown(value)}")
    return value


def whole(value: Any, where: str, low: int, high: int, what: str = "a whole number") -> int:
    """A whole number from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(where, f"must be {what} from {low:,} to {high:,}")
    return value


def seconds(value: Any, where: str) -> float:
    """Seconds spent in a step: a number from 0 to MAX_STEP_SECONDS (a week)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= MAX_STEP_SECONDS
    ):
        raise Invalid(where, f"must be a number of seconds from 0 to {MAX_STEP_SECONDS:,} (a week)")
    return float(value)


def score(value: Any, where: str) -> int:
    """A rating score: a whole number from 0 to MAX_SCALE."""
    return whole(value, where, 0, MAX_SCALE, "a whole number")


def moment(value: Any, where: str) -> datetime:
    """An ISO 8601 time with a UTC offset."""
    if not isinstance(value, str) or len(value) > MAX_KEY_CHARS:
        raise Invalid(where, "must be an ISO 8601 time with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(where, f"{printable_key(value)} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise Invalid(where, f"{printable_key(value)} has no UTC offset")
    return parsed


def opt_moment(value: Any, where: str) -> datetime | None:
    return None if value is None else moment(value, where)


def labels(value: Any, where: str, reserved: str | None = None) -> list[KeyLabel]:
    """The sides or taxonomy of a transcript or session file: unique keys with labels."""
    found: list[KeyLabel] = []
    for i, item in enumerate(items(value, where, MAX_LABELS)):
        here = f"{where}[{i}]"
        doc = obj(item, here, ("key", "label"))
        name = key(doc["key"], f"{here}.key")
        if name == reserved:
            raise Invalid(f"{here}.key", f"'{name}' is reserved for the summary")
        if name in {label.key for label in found}:
            raise Invalid(f"{here}.key", f"'{name}' is used twice")
        found.append(KeyLabel(name, line(doc["label"], f"{here}.label")))
    return found


def due_date(value: Any, where: str) -> date | None:
    """An agreement's due date: null or YYYY-MM-DD."""
    if value is None:
        return None
    if not isinstance(value, str) or not _DUE.fullmatch(value):
        raise Invalid(where, f"{shown(value)} is not a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(where, f"'{value}' is not a real date") from None
