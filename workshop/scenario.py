"""Scenario packs: find them, read them, and validate them with exact messages."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from workshop.errors import PackError
from workshop.model import (
    STEP_TYPES,
    SUMMARY_PARTS,
    RatingItem,
    Scenario,
    Side,
    Step,
    Tag,
    Taxonomy,
)

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class BrokenPack:
    """A pack that could not be loaded, with every problem found."""

    name: str
    path: str
    problems: tuple[str, ...]


class _Checker:
    """Collects problems as `FILE:LINE: message`, finding lines in the source text."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.lines = source.splitlines()
        self.problems: list[str] = []
        self._blocks = self._find_blocks()

    def _find_blocks(self) -> dict[str, list[int]]:
        blocks: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            match = re.match(r"^\s*\[\[\s*([a-z.]+)\s*\]\]", line)
            if match:
                blocks.setdefault(match.group(1), []).append(number)
        return blocks

    def line_of(self, table: str | None, index: int | None, field: str | None) -> int | None:
        """The line of `field` in the `index`-th `[[table]]` block (or of the block itself)."""
        start, end = 1, len(self.lines)
        if table is not None:
            headers = self._blocks.get(table, [])
            if index is None or index >= len(headers):
                return None
            start = headers[index]
            following = [n for names in self._blocks.values() for n in names if n > start]
            end = min(following, default=len(self.lines) + 1) - 1
        if field is None:
            return start
        pattern = re.compile(rf"^\s*{re.escape(field)}\s*=")
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start if table is not None else None

    def add(self, message: str, line: int | None = None) -> None:
        where = f"{self.name}:{line}" if line else self.name
        self.problems.append(f"{where}: {message}")


def load_pack(path: Path, origin: str = "") -> Scenario:
    """Read and validate the pack at `path`; raise PackError listing every problem."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PackError([f"{name}: cannot be read ({error.strerror or error})"]) from None
    return parse_pack(raw, name=name, origin=origin, path=str(path))


def parse_pack(raw: bytes, name: str, origin: str = "", path: str = "") -> Scenario:
    """Validate the bytes of a pack called `name`; raise PackError listing every problem."""
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PackError(
            [f"{name}:{line}: the file is not UTF-8 text (byte {error.start})"]
        ) from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_LINE.search(message)
        text = _TOML_LINE.sub("", message).strip()
        where = f"{name}:{match.group(1)}" if match else name
        raise PackError([f"{where}: TOML syntax: {text}"]) from None
    checker = _Checker(name, source)
    scenario = _build(data, checker, origin, path)
    if checker.problems or scenario is None:
        raise PackError(checker.problems or [f"{name}: the pack is not valid"])
    return scenario


def _text(
    c: _Checker,
    table: dict[str, Any],
    field: str,
    where: tuple[str | None, int | None],
    label: str,
    required: bool = True,
    default: str = "",
) -> str:
    value = table.get(field)
    if value is None:
        if required:
            c.add(f"{label}missing field '{field}'", c.line_of(where[0], where[1], None))
        return default
    if not isinstance(value, str):
        c.add(f"{label}field '{field}' must be text", c.line_of(where[0], where[1], field))
        return default
    return value


def _key(
    c: _Checker, table: dict[str, Any], where: tuple[str | None, int | None], label: str
) -> str:
    key = _text(c, table, "key", where, label)
    if key and not _KEY.match(key):
        c.add(
            f"{label}key '{key}' must be lowercase letters, digits, '-' or '_'",
            c.line_of(where[0], where[1], "key"),
        )
    return key


def _list_of_tables(c: _Checker, data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        c.add(f"'{field}' must be a list of [[{field}]] tables", c.line_of(None, None, field))
        return []
    return value


def _build(data: dict[str, Any], c: _Checker, origin: str, path: str) -> Scenario | None:
    head = data.get("scenario")
    if not isinstance(head, dict):
        c.add("missing the [scenario] table (id, version, title, language)")
        return None
    where: tuple[str | None, int | None] = (None, None)
    sid = _text(c, head, "id", where, "scenario: ")
    if sid and not _KEY.match(sid):
        c.add(
            f"scenario: id '{sid}' must be lowercase letters, digits, '-' or '_'",
            c.line_of(None, None, "id"),
        )
    version = head.get("version", "1")
    if not isinstance(version, str | int | float):
        c.add("scenario: field 'version' must be text", c.line_of(None, None, "version"))
    title = _text(c, head, "title", where, "scenario: ")
    language = _text(c, head, "language", where, "scenario: ", required=False, default="en")
    summary = _text(c, head, "summary", where, "scenario: ", required=False)

    sides: list[Side] = []
    for i, raw in enumerate(_list_of_tables(c, data, "sides")):
        w = ("sides", i)
        label = f"side {i + 1}: "
        key = _key(c, raw, w, label)
        if key in {s.key for s in sides}:
            c.add(f"{label}duplicate side key '{key}'", c.line_of("sides", i, "key"))
        sides.append(
            Side(key, _text(c, raw, "label", w, label), _text(c, raw, "role", w, label, False))
        )
    if not sides:
        c.add("the pack defines no [[sides]]")

    taxonomies: list[Taxonomy] = []
    tag_keys: set[str] = set()
    tag_index = 0
    for i, raw in enumerate(_list_of_tables(c, data, "taxonomies")):
        w = ("taxonomies", i)
        key = _key(c, raw, w, f"taxonomy {i + 1}: ")
        label = f"taxonomy {i + 1} ({key}): "
        if key in {t.key for t in taxonomies}:
            c.add(f"{label}duplicate taxonomy key '{key}'", c.line_of("taxonomies", i, "key"))
        tags: list[Tag] = []
        raw_tags = raw.get("tags", [])
        if not isinstance(raw_tags, list) or not raw_tags:
            c.add(
                f"{label}needs at least one [[taxonomies.tags]]", c.line_of("taxonomies", i, None)
            )
            raw_tags = []
        for j, raw_tag in enumerate(raw_tags):
            tw = ("taxonomies.tags", tag_index)
            tag_index += 1
            if not isinstance(raw_tag, dict):
                c.add(f"{label}tag {j + 1} must be a table")
                continue
            tkey = _key(c, raw_tag, tw, f"{label}tag {j + 1}: ")
            tlabel = f"{label}tag '{tkey}': "
            if tkey in tag_keys:
                c.add(f"{tlabel}duplicate tag key '{tkey}'", c.line_of(*tw, "key"))
            tag_keys.add(tkey)
            hotkey = raw_tag.get("hotkey")
            if isinstance(hotkey, int) and not isinstance(hotkey, bool):
                hotkey = str(hotkey)
            if not isinstance(hotkey, str) or not re.fullmatch(r"[1-9]", hotkey):
                c.add(f"{tlabel}field 'hotkey' must be one digit 1-9", c.line_of(*tw, "hotkey"))
                hotkey = ""
            elif hotkey in {t.hotkey for t in tags}:
                c.add(
                    f"{tlabel}hotkey '{hotkey}' is used twice in this taxonomy",
                    c.line_of(*tw, "hotkey"),
                )
            tags.append(
                Tag(
                    tkey,
                    _text(c, raw_tag, "label", tw, tlabel),
                    hotkey,
                    _text(c, raw_tag, "definition", tw, tlabel, False),
                )
            )
        taxonomies.append(Taxonomy(key, _text(c, raw, "title", w, label, False, key), tuple(tags)))

    steps: list[Step] = []
    raw_steps = _list_of_tables(c, data, "steps")
    if not raw_steps:
        c.add("the pack defines no [[steps]]")
    for i, raw in enumerate(raw_steps):
        step = _step(c, i, raw, sides, taxonomies, steps)
        if step is not None:
            steps.append(step)
    if c.problems:
        return None
    return Scenario(
        id=sid,
        version=str(version),
        title=title,
        language=language,
        summary=summary,
        sides=tuple(sides),
        taxonomies=tuple(taxonomies),
        steps=tuple(steps),
        origin=origin,
        path=path,
    )


def _step(
    c: _Checker,
    i: int,
    raw: dict[str, Any],
    sides: list[Side],
    taxonomies: list[Taxonomy],
    earlier: list[Step],
) -> Step | None:
    w = ("steps", i)
    key = _key(c, raw, w, f"step {i + 1}: ")
    label = f"step {i + 1} ({key}): "
    line = lambda field: c.line_of("steps", i, field)  # noqa: E731
    if key in {s.key for s in earlier}:
        c.add(f"{label}duplicate step key '{key}'", line("key"))
    kind = _text(c, raw, "type", w, label)
    if kind and kind not in STEP_TYPES:
        c.add(
            f"{label}unknown step type '{kind}' (use one of: {', '.join(STEP_TYPES)})", line("type")
        )
    timebox = raw.get("timebox")
    if timebox is None:
        c.add(f"{label}missing field 'timebox'", line(None))
        timebox = 0
    elif isinstance(timebox, bool) or not isinstance(timebox, int | float) or timebox <= 0:
        c.add(f"{label}field 'timebox' must be a positive number", line("timebox"))
        timebox = 0
    side_keys = {s.key for s in sides}
    tax_keys = {t.key for t in taxonomies}

    def str_list(field: str) -> tuple[str, ...]:
        value = raw.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            c.add(f"{label}field '{field}' must be a list of text", line(field))
            return ()
        return tuple(value)

    step_sides = str_list("sides")
    for side in step_sides:
        if side not in side_keys:
            c.add(f"{label}'{side}' is not a side of this pack", line("sides"))
    taxonomy = raw.get("taxonomy")
    if taxonomy is not None and not isinstance(taxonomy, str):
        c.add(f"{label}field 'taxonomy' must be text", line("taxonomy"))
        taxonomy = None
    if taxonomy is not None and taxonomy not in tax_keys:
        c.add(
            f"{label}tags with taxonomy '{taxonomy}', which the pack does not define",
            line("taxonomy"),
        )
    source = str_list("source")
    capture_keys = {s.key for s in earlier if s.type == "capture"}
    for ref in source:
        if ref not in capture_keys:
            c.add(f"{label}source '{ref}' is not an earlier capture step", line("source"))
    show = str_list("show")
    for part in show:
        if part not in SUMMARY_PARTS:
            c.add(f"{label}cannot show '{part}' (use: {', '.join(SUMMARY_PARTS)})", line("show"))
    scale = raw.get("scale", 3)
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 10:
        c.add(f"{label}field 'scale' must be a whole number from 1 to 10", line("scale"))
        scale = 3
    items: list[RatingItem] = []
    raw_items = raw.get("items", [])
    if not isinstance(raw_items, list) or not all(isinstance(v, dict) for v in raw_items):
        c.add(f"{label}'items' must be a list of [[steps.items]] tables", line("items"))
        raw_items = []
    for j, item in enumerate(raw_items):
        ikey = item.get("key")
        ilabel = item.get("label")
        if not isinstance(ikey, str) or not _KEY.match(ikey) or not isinstance(ilabel, str):
            c.add(f"{label}item {j + 1} needs a 'key' and a 'label'", line(None))
            continue
        if ikey in {it.key for it in items}:
            c.add(f"{label}duplicate item key '{ikey}'", line(None))
        desc = item.get("description", "")
        items.append(RatingItem(ikey, ilabel, desc if isinstance(desc, str) else ""))
    if kind == "capture" and not step_sides:
        c.add(f"{label}a capture step needs 'sides'", line(None))
    if kind == "tag" and taxonomy is None:
        c.add(f"{label}a tag step needs 'taxonomy'", line(None))
    if kind == "rating" and not items:
        c.add(f"{label}a rating step needs at least one [[steps.items]]", line(None))
    if kind == "summary" and "counts" in show and taxonomy is None:
        c.add(f"{label}a summary that shows 'counts' needs 'taxonomy'", line("show"))
    return Step(
        key=key,
        title=_text(c, raw, "title", w, label),
        type=kind,
        timebox=float(timebox),
        text=_text(c, raw, "text", w, label, False),
        notes=_text(c, raw, "notes", w, label, False),
        reveal=_text(c, raw, "reveal", w, label, False),
        prompt=_text(c, raw, "prompt", w, label, False),
        sides=step_sides,
        taxonomy=taxonomy,
        source=source,
        scale=scale,
        items=tuple(items),
        show=show,
    )


def builtin_packs() -> list[tuple[str, bytes]]:
    """(file name, bytes) of every pack shipped inside the installed package."""
    folder = resources.files("content")
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


def discover(
    user_dir: Path | None = None, content_dirs: tuple[Path, ...] = ()
) -> tuple[list[Scenario], list[BrokenPack]]:
    """Every valid pack (shipped, then `user_dir`, then each content dir) and every broken one.

    The first pack with an id wins; a later one with the same id is reported as broken.
    """
    found: list[Scenario] = []
    broken: list[BrokenPack] = []

    def take(name: str, path: str, load: Any) -> None:
        try:
            scenario = load()
        except PackError as error:
            broken.append(BrokenPack(name, path, tuple(error.problems)))
            return
        clash = next((s for s in found if s.id == scenario.id), None)
        if clash is not None:
            where = clash.path or clash.origin
            broken.append(
                BrokenPack(
                    name, path, (f"{name}: scenario id '{scenario.id}' is already used by {where}",)
                )
            )
            return
        found.append(scenario)

    for name, raw in builtin_packs():
        take(
            name,
            f"built-in/{name}",
            lambda raw=raw, name=name: parse_pack(
                raw, name, origin="built-in", path=f"built-in/{name}"
            ),
        )
    folders = ([(user_dir, "user")] if user_dir else []) + [(d, str(d)) for d in content_dirs]
    for folder, origin in folders:
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
        except OSError:
            if origin != "user":
                broken.append(
                    BrokenPack(
                        str(folder), str(folder), (f"{folder}: the content folder cannot be read",)
                    )
                )
            continue
        for path in files:
            take(path.name, str(path), lambda path=path, origin=origin: load_pack(path, origin))
    return found, broken
