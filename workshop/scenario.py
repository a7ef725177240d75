"""Scenario packs: find them, read them, and validate them with exact messages.

Every problem reads `FILE:LINE: message` (or `FILE: message` where no line is
known), e.g. `mars-venus.toml:42: step 3 (mars-brief): field 'timebox' must be a
positive number`.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from importlib import resources
from pathlib import Path
from typing import Any

from workshop.errors import PackError
from workshop.kinds import KINDS, STEP_TYPES
from workshop.kinds.base import Around
from workshop.kinds.summary import PARTS as SUMMARY_PARTS
from workshop.limits import (
    MAX_FIELD_CHARS,
    MAX_KEY_CHARS,
    MAX_LABELS,
    MAX_PACK_TEXT_CHARS,
    MAX_SCALE,
    MAX_STEPS,
    kind,
    length_problem,
    printable_key,
)
from workshop.model import (
    Item,
    Scenario,
    Side,
    Step,
    Tag,
    Taxonomy,
)
from workshop.text import clean_line, clean_text, printable

MAX_PACK_BYTES = 1_000_000
"""Largest pack file read; the shipped packs are about 30 kB."""

MAX_DOTS = 9
"""Most dots a person may give in a dot-vote (typed as one digit, like a score)."""

MAX_TIMEBOX = 480
"""Longest timebox accepted, in minutes: a timebox above it is almost surely seconds."""

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_TOML_WHERE = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)")

_TOP_FIELDS = ("scenario", "sides", "taxonomies", "steps")
_SCENARIO_FIELDS = ("id", "version", "title", "language", "summary", "default")
_SIDE_FIELDS = ("key", "label", "role")
_TAXONOMY_FIELDS = ("key", "title", "tags")
_TAG_FIELDS = ("key", "label", "hotkey", "definition")
_ITEM_FIELDS = ("key", "label", "description")
_STEP_COMMON = ("key", "title", "type", "timebox", "text", "notes")
_ALL_STEP_FIELDS = _STEP_COMMON + tuple(
    dict.fromkeys(field for kind in KINDS.values() for field in kind.fields)
)
"""Every step field: the common ones, then each kind's (`StepKind.fields`)."""

TomlPath = tuple[str | int, ...]
"""Where a value sits in the pack, e.g. ("steps", 2, "timebox")."""


@dataclass(frozen=True)
class BrokenPack:
    """A pack that could not be loaded, with every problem found."""

    name: str
    path: str
    problems: tuple[str, ...]


# -- where things are: a light scan of the TOML source -----------------------------------


_BARE = r"[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*'"
_DOTTED = rf"(?:{_BARE})(?:\s*\.\s*(?:{_BARE}))*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART = re.compile(_BARE)
_NEXT = {
    "normal": re.compile(r"\"\"\"|'''|[\"'#\[\]{}\n]"),
    '"': re.compile(r"\\[\s\S]|[\"\n]"),
    "'": re.compile(r"['\n]"),
    '"""': re.compile(r'\\[\s\S]|"""'),
    "'''": re.compile(r"'''"),
    "#": re.compile(r"\n"),
}


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


class _Lines:
    """Line numbers of the tables and keys of a TOML text, found without parsing it.

    It follows strings and brackets so that text inside a multi-line string is never
    taken for a table header or a key.
    """

    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")
        self.at: dict[TomlPath, int] = {}
        """The line where each table or key is defined."""
        self.twice: dict[int, str] = {}
        """Lines that define a key or table again: line -> what, e.g. "key 'id' is set twice"."""
        self.unclosed: tuple[int, str] | None = None
        """Where a string or bracket opens that is never closed: (line, what)."""
        self._counts: dict[TomlPath, int] = {}
        self._scan(source)

    def _scan(self, source: str) -> None:
        starts = [0] + [m.end() for m in re.finditer(r"\n", source)]

        def line_at(pos: int) -> int:
            return bisect_right(starts, pos)

        top = [False] * (len(starts) + 1)
        top[1] = True
        state, pos, opened, depth = "normal", 0, 0, 0
        brackets: list[int] = []
        while True:
            match = _NEXT[state].search(source, pos)
            if match is None:
                break
            token, pos = match.group(), match.end()
            if state == "normal":
                if token == "\n":
                    if depth == 0:
                        top[line_at(pos)] = True
                elif token in ('"', "'", '"""', "'''", "#"):
                    state, opened = token, match.start()
                elif token in "[{":
                    depth += 1
                    brackets.append(match.start())
                elif brackets:
                    depth -= 1
                    brackets.pop()
            elif token in ('"', "'", '"""', "'''"):
                if len(token) == 3:
                    while pos < len(source) and source[pos] == token[0] and pos - match.end() < 2:
                        pos += 1
                state = "normal"
            elif token == "\n":
                state, pos = "normal", match.start()
        if state in ('"""', "'''"):
            self.unclosed = (
                line_at(opened),
                f"the {state} string that starts here is never closed",
            )
        elif state in ('"', "'"):
            self.unclosed = (line_at(opened), f"the {state} string here is never closed")
        elif brackets:
            self.unclosed = (line_at(brackets[0]), "this bracket is never closed")
        table: TomlPath = ()
        for number, line in enumerate(self.lines, start=1):
            if not top[number]:
                continue
            if match := _ARRAY_HEADER.match(line):
                array = self._resolve(_parts(match.group(1)))
                self._define(array, number, "table", array_of_tables=True)
                index = self._counts.get(array, 0)
                self._counts[array] = index + 1
                table = (*array, index)
                self.at[table] = number
            elif match := _TABLE_HEADER.match(line):
                table = self._resolve(_parts(match.group(1)))
                self._define(table, number, "table")
            elif match := _KEY_LINE.match(line):
                self._define((*table, *_parts(match.group(1))), number, "key")

    def _resolve(self, parts: tuple[str, ...]) -> TomlPath:
        """The path of a header's dotted name: each array of tables but the last part
        stands for its latest element."""
        path: TomlPath = ()
        for part in parts[:-1]:
            path = (*path, part)
            if path in self._counts:
                path = (*path, self._counts[path] - 1)
        return (*path, *parts[-1:])

    def _define(
        self, path: TomlPath, number: int, kind: str, array_of_tables: bool = False
    ) -> None:
        first = self.at.get(path)
        if first is not None and not (array_of_tables and path in self._counts):
            if kind == "key":
                what = f"the key '{path[-1]}' is set twice in this table"
            else:
                what = f"[{'.'.join(p for p in path if isinstance(p, str))}] is defined twice"
            self.twice.setdefault(number, f"{what} (first at line {first})")
        self.at.setdefault(path, number)

    def line_of(self, path: TomlPath) -> int | None:
        """The line of `path`, else of the nearest enclosing table or key that has one."""
        while path:
            if path in self.at:
                return self.at[path]
            path = path[:-1]
        return None


# -- reading ------------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    """The bytes of the pack file at `path`; PackError when it is not a readable file."""
    name = path.name or str(path)
    try:
        if path.is_dir():
            raise PackError([f"{name}: is a folder, not a pack file"])
        if not path.exists():
            raise PackError([f"{name}: no such file"])
        if not path.is_file():
            raise PackError([f"{name}: is not a regular file"])
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError([_too_big(name, size)])
        with path.open("rb") as handle:
            raw = handle.read(MAX_PACK_BYTES + 1)
    except OSError as error:
        raise PackError([f"{name}: cannot be read ({error.strerror or error})"]) from None
    if len(raw) > MAX_PACK_BYTES:
        raise PackError([_too_big(name, len(raw))])
    return raw


def _too_big(name: str, size: int) -> str:
    return (
        f"{name}: the file is {size / 1_000_000:.1f} MB; "
        f"a pack may be at most {MAX_PACK_BYTES / 1_000_000:g} MB"
    )


def parse_pack(raw: bytes, name: str, origin: str = "", path: str = "") -> Scenario:
    """Validate the bytes of a pack called `name`; raise PackError listing every problem."""
    if len(raw) > MAX_PACK_BYTES:
        raise PackError([_too_big(name, len(raw))])
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise PackError(
            [
                f"{name}:{line}: the file is not UTF-8 text (byte 0x{byte:02x} at offset "
                f"{error.start}); save it as UTF-8"
            ]
        ) from None
    source = source.removeprefix("\ufeff")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise PackError([printable(_syntax_problem(name, str(error), _Lines(source)))]) from None
    except RecursionError:
        raise PackError([f"{name}: the pack is nested too deeply to be read"]) from None
    except ValueError:  # int() refuses a number of thousands of digits
        raise PackError([f"{name}: the pack holds a number too large to be read"]) from None
    checker = _Checker(name, source)
    try:
        scenario = _build(data, checker, origin, path)
    except Exception as error:  # a pack must never crash the app
        raise PackError(
            [
                f"{name}: the pack could not be checked ({type(error).__name__}: {error}); "
                "this is a bug in workshop, please report it"
            ]
        ) from error
    if checker.problems or scenario is None:
        raise PackError(checker.sorted() or [f"{name}: the pack is not valid"])
    return scenario


def _syntax_problem(name: str, message: str, lines: _Lines) -> str:
    match = _TOML_WHERE.search(message)
    text = _TOML_WHERE.sub("", message).strip()
    line = int(match.group(1)) if match and match.group(1) else None
    if line is not None and line in lines.twice and ("overwrite" in text or "twice" in text):
        return f"{name}:{line}: {lines.twice[line]}"
    if line is None and lines.unclosed is not None:
        line, what = lines.unclosed
        return f"{name}:{line}: TOML syntax: {what}"
    if line is None:
        line = max(len(lines.lines), 1)
    elif text == "Invalid value" and line <= len(lines.lines):
        bare = re.search(r"=\s*([A-Za-z][^#]*)", lines.lines[line - 1])
        if bare and bare.group(1).split()[0] not in ("true", "false", "inf", "nan"):
            text += " (is text missing its quotes?)"
    return f"{name}:{line}: TOML syntax: {text}"


# -- checking -----------------------------------------------------------------------------


class _Checker:
    """Collects problems as `FILE:LINE: message`, and reads typed fields of tables."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source
        self.problems: list[tuple[int, str]] = []
        self._misspelt: set[tuple[TomlPath, str]] = set()
        """(table, field) pairs already reported as misspelt, so not also as missing."""

    @cached_property
    def lines(self) -> _Lines:
        """Where each key is: scanned only once a problem needs a line number."""
        return _Lines(self.source)

    def add(self, message: str, path: TomlPath = ()) -> None:
        """Record `message` at the line of `path` (no line for the empty path), made safe
        to print: it may quote the pack."""
        line = self.lines.line_of(path)
        where = f"{self.name}:{line}" if line else self.name
        self.problems.append((line or 0, printable(f"{where}: {message}")))

    def sorted(self) -> list[str]:
        """Every problem, in the order of the file (those without a line first)."""
        return [message for _, message in sorted(self.problems, key=lambda p: p[0])]

    def unknown(
        self,
        table: dict[str, Any],
        path: TomlPath,
        label: str,
        known: tuple[str, ...],
        elsewhere: dict[str, str] | None = None,
    ) -> None:
        """Report each field of `table` not in `known`, suggesting the closest one.

        `elsewhere` maps a field that exists but does not belong here to the reason.
        """
        for field in table:
            if field in known:
                continue
            if elsewhere and field in elsewhere:
                self.add(f"{label}field '{field}' {elsewhere[field]}", (*path, field))
                continue
            close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
            hint = ""
            if close:
                hint = f" (did you mean '{close[0]}'?)"
                self._misspelt.add((path, close[0]))
            self.add(f"{label}unknown field {printable_key(field)}{hint}", (*path, field))

    def missing(self, label: str, field: str, path: TomlPath, note: str = "") -> None:
        """Report that the table at `path` lacks `field`, unless a misspelling was reported."""
        if (path, field) not in self._misspelt:
            self.add(f"{label}missing field '{field}'{note}", path)

    def text(
        self,
        table: dict[str, Any],
        field: str,
        path: TomlPath,
        label: str,
        required: bool = False,
        line: bool = False,
    ) -> str:
        """The text of `field`, cleaned of control characters ("" when absent or wrong).

        `line`: a one-line value (title, label), which must not be empty when required.
        """
        value = table.get(field)
        if value is None:
            if required:
                self.missing(label, field, path)
            return ""
        if not isinstance(value, str):
            self.add(
                f"{label}field '{field}' must be text, not {kind(value, toml=True)}", (*path, field)
            )
            return ""
        cleaned = clean_line(value) if line else clean_text(value)
        if required and not cleaned:
            self.add(f"{label}field '{field}' must not be empty", (*path, field))
        too_long = length_problem(len(cleaned), MAX_FIELD_CHARS if line else MAX_PACK_TEXT_CHARS)
        if too_long:
            self.add(f"{label}field '{field}' {too_long}", (*path, field))
            return ""
        return cleaned

    def key(self, table: dict[str, Any], path: TomlPath, label: str, field: str = "key") -> str:
        """The `key` of a table, checked to be a lowercase identifier."""
        value = table.get(field)
        if value is None:
            self.missing(label, field, path)
            return ""
        if not isinstance(value, str):
            self.add(
                f"{label}field '{field}' must be text, not {kind(value, toml=True)}", (*path, field)
            )
            return ""
        if len(value) > MAX_KEY_CHARS:
            too_long = length_problem(len(value), MAX_KEY_CHARS)
            self.add(f"{label}{field} {too_long}", (*path, field))
            return ""
        if not _KEY.fullmatch(value):
            self.add(
                f"{label}{field} {printable_key(value)} must start with a lowercase letter or "
                "digit and use only lowercase letters, digits, '-' and '_'",
                (*path, field),
            )
            return ""
        return value

    def tables(
        self, parent: dict[str, Any], field: str, path: TomlPath, label: str, most: int = MAX_LABELS
    ) -> list[Any]:
        """The list of at most `most` tables under `field` (each entry checked to be a table
        by the caller)."""
        value = parent.get(field, [])
        if not isinstance(value, list):
            self.add(
                f"{label}'{field}' must be a list of [[{_dotted(path, field)}]] tables, "
                f"not {kind(value, toml=True)}",
                (*path, field),
            )
            return []
        if len(value) > most:
            self.add(
                f"{label}[[{_dotted(path, field)}]] is given {len(value):,} times; "
                f"the limit is {most}",
                (*path, field),
            )
            return []
        return value

    def str_list(self, table: dict[str, Any], field: str, path: TomlPath, label: str) -> list[str]:
        """A list of text values, e.g. `sides = ["marketing", "it"]`."""
        value = table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(
                f'{label}field \'{field}\' must be a list of text, e.g. ["a", "b"]',
                (*path, field),
            )
            return []
        seen: set[str] = set()
        for entry in value:
            if entry in seen:
                self.add(
                    f"{label}{printable_key(entry)} is listed twice in '{field}'", (*path, field)
                )
            seen.add(entry)
        return list(dict.fromkeys(value))


def _dotted(path: TomlPath, field: str) -> str:
    return ".".join([*(p for p in path if isinstance(p, str)), field])


def _named(what: str, index: int, table: dict[str, Any]) -> str:
    """A message prefix such as "step 3 (mars-brief): " (the key only when it is valid)."""
    key = table.get("key")
    if isinstance(key, str) and len(key) <= MAX_KEY_CHARS and _KEY.fullmatch(key):
        return f"{what} {index + 1} ({key}): "
    return f"{what} {index + 1}: "


def _build(data: dict[str, Any], check: _Checker, origin: str, path: str) -> Scenario | None:
    for field in data:
        if field in _TOP_FIELDS:
            continue
        if field in _SCENARIO_FIELDS:
            check.add(f"field '{field}' belongs in the [scenario] table", (field,))
            continue
        close = difflib.get_close_matches(field, _TOP_FIELDS, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        check.add(f"unknown table or field {printable_key(field)}{hint}", (field,))

    head = data.get("scenario")
    if head is None:
        check.add("missing the [scenario] table (id, version, title, language, summary)")
        head = {}
    elif not isinstance(head, dict):
        check.add("'scenario' must be a [scenario] table", ("scenario",))
        head = {}
    where: TomlPath = ("scenario",)
    label = "scenario: "
    check.unknown(head, where, label, _SCENARIO_FIELDS)
    sid = check.key(head, where, label, field="id") if head else ""
    version = check.text(head, "version", where, label, required=bool(head), line=True)
    title = check.text(head, "title", where, label, required=bool(head), line=True)
    language = check.text(head, "language", where, label, line=True) or "en"
    if not _LANGUAGE.fullmatch(language):
        check.add(
            f"{label}language {printable_key(language)} must be a language code "
            'such as "en" or "pt-BR"',
            (*where, "language"),
        )
    summary = check.text(head, "summary", where, label)
    default = head.get("default", False)
    if not isinstance(default, bool):
        check.add(
            f"{label}field 'default' must be true or false, not {kind(default, toml=True)}",
            (*where, "default"),
        )

    sides = _sides(data, check)
    taxonomies = _taxonomies(data, check)
    steps: list[Step] = []
    earlier: dict[str, Step] = {}
    has_capture = False
    raw_steps = check.tables(data, "steps", (), "", most=MAX_STEPS)
    if not raw_steps and isinstance(data.get("steps", []), list):
        check.add("the pack defines no [[steps]]", ("steps",))
    for i, raw in enumerate(raw_steps):
        has_capture = has_capture or bool(steps and steps[-1].type == "capture")
        step = _step(check, i, raw, Around(sides, taxonomies, earlier, has_capture))
        if step is not None:
            steps.append(step)
            earlier.setdefault(step.key, step)
    if check.problems:
        return None
    return Scenario(
        id=sid,
        version=version,
        title=title,
        language=language,
        summary=summary,
        sides=tuple(sides),
        taxonomies=tuple(taxonomies),
        steps=tuple(steps),
        origin=origin,
        path=path,
        default=default is True,
    )


def _sides(data: dict[str, Any], check: _Checker) -> list[Side]:
    sides: list[Side] = []
    seen: set[str] = set()
    raw_sides = check.tables(data, "sides", (), "")
    for i, raw in enumerate(raw_sides):
        where: TomlPath = ("sides", i)
        if not isinstance(raw, dict):
            check.add(f"side {i + 1} must be a [[sides]] table", where)
            continue
        label = _named("side", i, raw)
        check.unknown(raw, where, label, _SIDE_FIELDS)
        key = check.key(raw, where, label)
        if key and key in seen:
            check.add(f"{label}the side key '{key}' is used twice", (*where, "key"))
        elif key == "total":
            check.add(
                f"{label}the side key 'total' is reserved for the counts of all sides",
                (*where, "key"),
            )
        seen.add(key)
        sides.append(
            Side(
                key,
                check.text(raw, "label", where, label, required=True, line=True),
                check.text(raw, "role", where, label, line=True),
            )
        )
    if not raw_sides and isinstance(data.get("sides", []), list):
        check.add("the pack defines no [[sides]]", ("sides",))
    return sides


def _taxonomies(data: dict[str, Any], check: _Checker) -> list[Taxonomy]:
    taxonomies: list[Taxonomy] = []
    tag_keys: dict[str, str] = {}
    seen: set[str] = set()
    for i, raw in enumerate(check.tables(data, "taxonomies", (), "")):
        where: TomlPath = ("taxonomies", i)
        if not isinstance(raw, dict):
            check.add(f"taxonomy {i + 1} must be a [[taxonomies]] table", where)
            continue
        label = _named("taxonomy", i, raw)
        check.unknown(raw, where, label, _TAXONOMY_FIELDS)
        key = check.key(raw, where, label)
        if key and key in seen:
            check.add(f"{label}the taxonomy key '{key}' is used twice", (*where, "key"))
        seen.add(key)
        raw_tags = check.tables(raw, "tags", where, label)
        if not raw_tags and isinstance(raw.get("tags", []), list):
            check.add(f"{label}needs at least one [[taxonomies.tags]]", (*where, "tags"))
        tags: list[Tag] = []
        hotkeys: dict[str, str] = {}
        for j, raw_tag in enumerate(raw_tags):
            tw: TomlPath = (*where, "tags", j)
            if not isinstance(raw_tag, dict):
                check.add(f"{label}tag {j + 1} must be a [[taxonomies.tags]] table", tw)
                continue
            tlabel = f"{label[:-2]}, {_named('tag', j, raw_tag)}"
            check.unknown(raw_tag, tw, tlabel, _TAG_FIELDS)
            tkey = check.key(raw_tag, tw, tlabel)
            if tkey and tkey in tag_keys:
                check.add(
                    f"{tlabel}the tag key '{tkey}' is already used in taxonomy '{tag_keys[tkey]}' "
                    "(tag keys must be unique across the pack)",
                    (*tw, "key"),
                )
            elif tkey:
                tag_keys[tkey] = key
            hotkey = raw_tag.get("hotkey")
            if isinstance(hotkey, int) and not isinstance(hotkey, bool):
                hotkey = str(hotkey)
            if hotkey is None:
                check.missing(tlabel, "hotkey", tw)
                hotkey = ""
            elif not isinstance(hotkey, str) or not re.fullmatch(r"[1-9]", hotkey):
                check.add(f"{tlabel}field 'hotkey' must be one digit from 1 to 9", (*tw, "hotkey"))
                hotkey = ""
            else:
                if hotkey in hotkeys:
                    check.add(
                        f"{tlabel}hotkey '{hotkey}' is already used by tag '{hotkeys[hotkey]}' "
                        "in this taxonomy",
                        (*tw, "hotkey"),
                    )
                else:
                    hotkeys[hotkey] = tkey
            tags.append(
                Tag(
                    tkey,
                    check.text(raw_tag, "label", tw, tlabel, required=True, line=True),
                    hotkey,
                    check.text(raw_tag, "definition", tw, tlabel),
                )
            )
        title = check.text(raw, "title", where, label, line=True) or key
        taxonomies.append(Taxonomy(key, title, tuple(tags)))
    return taxonomies


@dataclass(frozen=True)
class _StepTable:
    """One [[steps]] table being checked: where it is, what it is called in messages, and
    which fields its type takes."""

    check: _Checker
    raw: dict[str, Any]
    where: TomlPath
    label: str
    known: tuple[str, ...]

    def at(self, field: str) -> TomlPath:
        return (*self.where, field)

    def has(self, field: str) -> bool:
        """Whether the step sets `field` and its type takes it."""
        return field in self.raw and field in self.known

    def add(self, message: str, field: str | None = None) -> None:
        """Report `message` about this step (at `field`, when given)."""
        self.check.add(f"{self.label}{message}", self.at(field) if field else self.where)


def _step(check: _Checker, i: int, raw: Any, around: Around) -> Step | None:
    """The `i`-th step: the fields every step has, those of its type, then its type's own
    rules (`StepKind.rules`)."""
    where: TomlPath = ("steps", i)
    if not isinstance(raw, dict):
        check.add(f"step {i + 1} must be a [[steps]] table", where)
        return None
    label = _named("step", i, raw)
    kind = raw.get("type")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    known = _STEP_COMMON + spec.fields if spec is not None else _ALL_STEP_FIELDS
    elsewhere = {
        field: f"does not apply to a {kind} step (only to: "
        + ", ".join(k.name for k in KINDS.values() if field in k.fields)
        + ")"
        for field in _ALL_STEP_FIELDS
        if field not in known
    }
    check.unknown(raw, where, label, known, elsewhere)
    table = _StepTable(check, raw, where, label, known)
    key = check.key(raw, where, label)
    if key and key in around.earlier:
        table.add(f"the step key '{key}' is used twice", "key")
    kind = check.text(raw, "type", where, label, required=True, line=True)
    if kind and kind not in STEP_TYPES:
        close = difflib.get_close_matches(kind, STEP_TYPES, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        table.add(
            f"unknown step type {printable_key(kind)} ({hint}use one of: {', '.join(STEP_TYPES)})",
            "type",
        )
    step = Step(
        key=key,
        title=check.text(raw, "title", where, label, required=True, line=True),
        type=kind,
        timebox=_timebox(check, raw, where, label),
        text=check.text(raw, "text", where, label),
        notes=check.text(raw, "notes", where, label),
        reveal=check.text(raw, "reveal", where, label) if table.has("reveal") else "",
        prompt=check.text(raw, "prompt", where, label, line=True) if table.has("prompt") else "",
        sides=tuple(_step_sides(table, around)),
        taxonomy=_step_taxonomy(table, around),
        source=tuple(_step_source(table, around, key)),
        scale=_step_scale(table),
        items=tuple(_items(check, raw, where, label, kind)) if table.has("items") else (),
        options=(
            tuple(_items(check, raw, where, label, kind, "options")) if table.has("options") else ()
        ),
        dots=_step_dots(table),
        show=tuple(_step_show(table)),
    )
    if spec is not None:
        spec.rules(table, step, around)
    return step


def _step_sides(table: _StepTable, around: Around) -> list[str]:
    if not table.has("sides"):
        return []
    step_sides = table.check.str_list(table.raw, "sides", table.where, table.label)
    side_keys = [s.key for s in around.sides]
    for side in step_sides:
        if side not in side_keys:
            table.add(
                f"{printable_key(side)} is not a side of this pack (sides: {', '.join(side_keys)})",
                "sides",
            )
    return step_sides


def _step_taxonomy(table: _StepTable, around: Around) -> str | None:
    taxonomy = table.raw.get("taxonomy") if table.has("taxonomy") else None
    tax_keys = [t.key for t in around.taxonomies]
    if taxonomy is not None and not isinstance(taxonomy, str):
        table.add(f"field 'taxonomy' must be text, not {kind(taxonomy, toml=True)}", "taxonomy")
        return None
    if taxonomy is not None and taxonomy not in tax_keys:
        defined = f" (taxonomies: {', '.join(tax_keys)})" if tax_keys else ""
        table.add(
            f"tags with taxonomy {printable_key(taxonomy)}, "
            f"which the pack does not define{defined}",
            "taxonomy",
        )
    return taxonomy


def _step_source(table: _StepTable, around: Around, key: str) -> list[str]:
    if not table.has("source"):
        return []
    kind = table.raw.get("type")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    source = table.check.str_list(table.raw, "source", table.where, table.label)
    if spec is None:
        return source  # the unknown type is the problem to report
    kinds = spec.sources
    for ref in source:
        target = around.earlier.get(ref)
        if target is not None and target.type in kinds:
            continue
        if target is not None:
            problem = f"is {_a(target.type)} step, not {_a(' or '.join(kinds))} step"
        elif ref == key:
            problem = "is this step itself"
        else:
            problem = "is not an earlier step of this pack"
        table.add(f"source {printable_key(ref)} {problem}", "source")
    return source


def _a(word: str) -> str:
    """`word` with its article: "a capture", "an agree"."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _step_show(table: _StepTable) -> list[str]:
    if not table.has("show"):
        return []
    show = table.check.str_list(table.raw, "show", table.where, table.label)
    for part in show:
        if part not in SUMMARY_PARTS:
            table.add(
                f"cannot show {printable_key(part)} (use: {', '.join(SUMMARY_PARTS)})", "show"
            )
    return show


def _step_dots(table: _StepTable) -> int:
    dots = table.raw.get("dots", 1) if table.has("dots") else 1
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        table.add(f"field 'dots' must be a whole number from 1 to {MAX_DOTS}", "dots")
        return 1
    return dots


def _step_scale(table: _StepTable) -> int:
    scale = table.raw.get("scale", 3) if table.has("scale") else 3
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        table.add(f"field 'scale' must be a whole number from 1 to {MAX_SCALE}", "scale")
        return 3
    return scale


def _timebox(check: _Checker, raw: dict[str, Any], where: TomlPath, label: str) -> float:
    """The step's timebox in minutes: a positive, finite number up to MAX_TIMEBOX."""
    timebox = raw.get("timebox")
    if timebox is None:
        check.missing(label, "timebox", where, " (minutes)")
        return 0.0
    if (
        isinstance(timebox, bool)
        or not isinstance(timebox, int | float)
        or not math.isfinite(timebox)
        or timebox <= 0
    ):
        check.add(f"{label}field 'timebox' must be a positive number", (*where, "timebox"))
        return 0.0
    if timebox > MAX_TIMEBOX:
        check.add(
            f"{label}field 'timebox' is in minutes and may be at most {MAX_TIMEBOX}",
            (*where, "timebox"),
        )
    return float(timebox)


def _items(
    check: _Checker,
    raw: dict[str, Any],
    where: TomlPath,
    label: str,
    kind: str,
    field: str = "items",
) -> list[Item]:
    """The [[steps.items]] (or [[steps.options]]) of a step: keyed, labelled, unique."""
    items: list[Item] = []
    seen: set[str] = set()
    one = field[:-1]
    raw_items = check.tables(raw, field, where, label)
    if not raw_items and isinstance(raw.get(field), list):
        check.add(f"{label}a {kind} step needs at least one {one}", (*where, field))
    for j, item in enumerate(raw_items):
        iw: TomlPath = (*where, field, j)
        if not isinstance(item, dict):
            check.add(f"{label}{one} {j + 1} must be a [[steps.{field}]] table", iw)
            continue
        ilabel = f"{label[:-2]}, {_named(one, j, item)}"
        check.unknown(item, iw, ilabel, _ITEM_FIELDS)
        ikey = check.key(item, iw, ilabel)
        if ikey and ikey in seen:
            check.add(f"{ilabel}the {one} key '{ikey}' is used twice in this step", (*iw, "key"))
        seen.add(ikey)
        items.append(
            Item(
                ikey,
                check.text(item, "label", iw, ilabel, required=True, line=True),
                check.text(item, "description", iw, ilabel),
            )
        )
    return items


# -- finding ------------------------------------------------------------------------------


def builtin_packs() -> list[tuple[str, bytes]]:
    """(file name, bytes) of every pack shipped inside the installed package."""
    folder = resources.files("content")
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


def builtin_path(name: str) -> Path | None:
    """The file of the shipped pack `name` on disk, when the package is a plain folder."""
    entry = resources.files("content").joinpath(name)
    return entry if isinstance(entry, Path) else None


def id_line(raw: bytes) -> int | None:
    """The line of `id = ...` in the [scenario] table of a pack's bytes, if found."""
    source = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return _Lines(source).line_of(("scenario", "id"))


def clash_problem(name: str, raw: bytes, scenario: Scenario, other: Scenario) -> str:
    """The problem of a pack whose id `other` (found first) already uses."""
    line = id_line(raw)
    where = f"{name}:{line}" if line else name
    if other.origin == "built-in":
        owner = f"the built-in pack {Path(other.path).name}"
    else:
        owner = other.path or other.origin
    return f"{where}: scenario id '{scenario.id}' is already used by {owner}"


def check_file(path: Path, known: list[Scenario]) -> tuple[Scenario | None, list[str]]:
    """Validate the pack at `path`: its scenario (None if broken) and every problem.

    A pack whose id is already used by one of the `known` packs in another file is a
    problem too, since the app would ignore it.
    """
    try:
        raw = _read(path)
        scenario = parse_pack(raw, path.name, path=str(path))
    except PackError as error:
        return None, list(error.problems)
    here = path.resolve()
    for other in known:
        where = builtin_path(Path(other.path).name) if other.origin == "built-in" else None
        other_file = where or Path(other.path)
        if other.id == scenario.id and other_file.resolve() != here:
            return None, [clash_problem(path.name, raw, scenario, other)]
    return scenario, []


def discover(
    user_dir: Path | None = None, content_dirs: tuple[Path, ...] = ()
) -> tuple[list[Scenario], list[BrokenPack]]:
    """Every valid pack (shipped, then `user_dir`, then each content dir) and every broken one.

    The first pack with an id wins; a later one with the same id is reported as broken.
    A missing `user_dir` is normal; a content dir that cannot be read is reported.
    """
    found: list[Scenario] = []
    broken: list[BrokenPack] = []

    def take(name: str, path: str, read: Callable[[], bytes], origin: str) -> None:
        try:
            raw = read()
            scenario = parse_pack(raw, name, origin=origin, path=path)
        except PackError as error:
            broken.append(BrokenPack(name, path, tuple(error.problems)))
            return
        clash = next((s for s in found if s.id == scenario.id), None)
        if clash is not None:
            broken.append(BrokenPack(name, path, (clash_problem(name, raw, scenario, clash),)))
            return
        found.append(scenario)

    for name, raw in builtin_packs():
        take(name, f"built-in/{name}", partial(bytes, raw), "built-in")
    folders = ([(user_dir, "user")] if user_dir else []) + [(d, str(d)) for d in content_dirs]
    for folder, origin in folders:
        try:
            files = sorted(
                p
                for p in folder.iterdir()
                if p.suffix == ".toml" and not p.name.startswith(".") and p.is_file()
            )
        except FileNotFoundError:
            if origin != "user":
                broken.append(
                    BrokenPack(str(folder), str(folder), (f"{folder}: no such content folder",))
                )
            continue
        except NotADirectoryError:
            broken.append(
                BrokenPack(
                    str(folder),
                    str(folder),
                    (f"{folder}: is a file, not a content folder (give the folder it is in)",),
                )
            )
            continue
        except OSError as error:
            broken.append(
                BrokenPack(
                    str(folder),
                    str(folder),
                    (f"{folder}: the content folder cannot be read ({error.strerror or error})",),
                )
            )
            continue
        for path in files:
            take(path.name, str(path), partial(_read, path), origin)
    return found, broken


def default_scenario(scenarios: Sequence[Scenario]) -> Scenario | None:
    """The pack a new session starts from (None when there is none).

    `scenarios` are in `discover` order. Of the packs that say `default = true`, one not
    shipped (the user's own, or from a content dir) wins over a shipped one, then the
    first found; when no pack says so, the first of all.
    """
    defaults = sorted((s for s in scenarios if s.default), key=lambda s: s.origin == "built-in")
    return defaults[0] if defaults else next(iter(scenarios), None)
