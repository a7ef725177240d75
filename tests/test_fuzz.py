"""Property-based fuzz of everything that reads a file written elsewhere: `workshop import`,
the session reader and `workshop scenarios --check` (Hypothesis).

Transcripts and session files are generated from the contract, then mutated (types,
sizes, numbers, control characters, structure); packs are the shipped ones with lines
rewritten. Every case is either taken (and then exports in all three formats) or refused
with one sentence: never a traceback, never a raw control character on stdout or stderr.
`WORKSHOP_FUZZ_EXAMPLES` sets how many cases each property tries (CI: the default).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workshop.cli import main
from workshop.codec import session_tables
from workshop.model import KeyLabel, Rating, Session, Statement, StepTime
from workshop.store import Store
from workshop.transcript import to_transcript

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("WORKSHOP_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

_RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
PYTHONS_WORDS = ("Traceback", "object has no attribute", "set_int_max_str_digits", "Exceeds")

# -- generating from the contract ---------------------------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
words = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=24
).filter(str.strip)
times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
).map(lambda t: t.astimezone(timezone(timedelta(hours=1))).replace(microsecond=0))


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    """A valid session: 1-3 sides, 0-4 tags, 1-6 steps, statements, agreements, ratings."""
    side_keys = draw(
        st.lists(keys, min_size=1, max_size=3, unique=True).filter(lambda ks: "total" not in ks)
    )
    tag_keys = draw(st.lists(keys, max_size=4, unique=True))
    types = draw(
        st.lists(st.sampled_from(["brief", "capture", "rating", "summary"]), min_size=1, max_size=6)
    )
    steps = [
        StepTime(f"step-{i}", draw(words), kind, draw(st.none() | times), draw(st.floats(0, 3600)))
        for i, kind in enumerate(types)
    ]
    started = draw(times)
    statements = [
        Statement(
            id=f"s{i}",
            side=draw(st.sampled_from(side_keys)),
            text=draw(words),
            speaker=draw(st.none() | words),
            tags=tuple(draw(st.lists(st.sampled_from(tag_keys), unique=True)) if tag_keys else ()),
            created_at=started,
            step=draw(st.none() | st.sampled_from([s.key for s in steps])),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    ratings = [
        Rating(
            s.key, draw(keys), draw(st.integers(0, 9)), draw(st.text(max_size=10).map(str.strip))
        )
        for s in steps
        if s.type == "rating"
    ]
    return Session(
        id=draw(st.from_regex(r"[a-f0-9]{8}", fullmatch=True)),
        title=draw(words),
        facilitator=draw(st.just("") | words),
        organisation=draw(st.just("") | words),
        participants=draw(st.lists(words, max_size=3)),
        scenario_id=draw(keys),
        scenario_version="1",
        scenario_title=draw(words),
        language="en",
        started_at=started,
        finished_at=None,
        status=draw(st.sampled_from(["in-progress", "finished"])),
        current_step=draw(st.integers(0, len(steps) - 1)),
        sides=[KeyLabel(k, k.title()) for k in side_keys],
        taxonomy=[KeyLabel(k, k.upper()) for k in tag_keys],
        steps=steps,
        statements=[s for s in statements if _clean(s)],
        ratings=ratings,
    )


def _clean(statement: Statement) -> bool:
    return bool(statement.text.strip())


# -- mutating --------------------------------------------------------------------------------

BIG = "\ufdd0big\ufdd0"
DEEP = "\ufdd0deep\ufdd0"
"""Placeholders json.dumps cannot write themselves: a 5,000-digit number, deep nesting."""

hostile_text = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=[]), max_size=30),
    st.sampled_from(
        ["\x1b]0;pwned\x07", "\x1b]52;c;aGk=\x07", "\x9b2J", "a\x00b", "\ud800", "x\n"]
    ),
    st.integers(190, 4100).map(lambda n: "w" * n),
    st.just("W" * 1_000_000),
)
weird = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.sampled_from([10**17, -(10**19), 10**30, BIG, DEEP]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1.0, 604801, 0.5]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just([[[[]]]]),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for name, child in value.items():
            found += _paths(child, (*path, name))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """`document` (a JSON tree) with one to three values replaced, removed, or added."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        if not path:
            continue
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(weird)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(hostile_text)] = draw(weird)
        else:
            parent.append(draw(weird))
    return document


def serialized(document: Any) -> bytes:
    """`document` as a file would hold it, placeholders made real."""
    text = json.dumps(document, allow_nan=True)
    text = text.replace(json.dumps(BIG), "9" * 5000).replace(
        json.dumps(DEEP), "[" * 5000 + "]" * 5000
    )
    return text.encode("utf-8")


# -- running and judging -----------------------------------------------------------------------


def cli(*args: str) -> tuple[int, bytes, str]:
    """`workshop args` in this process: (exit code, stdout bytes, stderr)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
        out.flush()
    return code, out.buffer.getvalue(), err.getvalue()


def judged(
    code: int, out: bytes, err: str, allowed: tuple[int, ...], transcript: bool = False
) -> None:
    """The command ended as a user may meet it: an allowed exit code, no traceback, no raw
    control character, and a refusal in sentences. A `transcript` on stdout may hold the
    tabs a statement was pasted with."""
    assert code in allowed, (code, err)
    shown = out.decode("utf-8", errors="strict")
    assert not _RAW.search(shown.replace("\t", " ") if transcript else shown), shown[:300]
    assert not _RAW.search(err), err[:300]
    err.encode("utf-8", errors="strict")  # no lone surrogate: a terminal could not show it
    for words_ in PYTHONS_WORDS:
        assert words_ not in err and words_ not in shown, err[:300]


def exports_everywhere(data: Path, session_id: str) -> None:
    """The stored session exports in all three formats, each readable by a real parser."""
    for fmt in ("md", "html", "json"):
        code, out, err = cli("--data-dir", str(data), "export", session_id, "--format", fmt)
        judged(code, out, err, (0,), transcript=True)
        text = out.decode("utf-8")
        if fmt == "json":
            json.loads(text)
        elif fmt == "html":
            HTMLParser().feed(text)
        else:
            MarkdownIt("commonmark").parse(text)


def in_a_data_dir(run: Callable[[Path, Path], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder) / "data", Path(folder))


# -- the properties --------------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_import_takes_a_transcript_or_refuses_it_in_one_sentence(data: st.DataObject) -> None:
    session = data.draw(sessions())
    document = data.draw(st.just(to_transcript(session)) | mutated(to_transcript(session)))

    def run(store_dir: Path, folder: Path) -> None:
        path = folder / "transcript.json"
        path.write_bytes(serialized(document))
        code, out, err = cli("--data-dir", str(store_dir), "import", str(path))
        judged(code, out, err, (0, 2))
        if code == 2:
            assert err.startswith(f"workshop: {path} ") and err.count("\n") == 1, err[:300]
            return
        (stored,) = Store(store_dir).list_sessions()[0]
        exports_everywhere(store_dir, stored.id)

    in_a_data_dir(run)


@FUZZ
@given(st.data())
def test_the_session_reader_opens_a_file_or_calls_it_damaged(data: st.DataObject) -> None:
    session = data.draw(sessions())
    tables = session_tables(session)
    document = data.draw(st.just(tables) | mutated(tables))

    def run(store_dir: Path, folder: Path) -> None:
        Store(store_dir)
        (store_dir / "sessions" / f"{session.id}.json").write_bytes(serialized(document))
        code, out, err = cli("--data-dir", str(store_dir), "list")
        judged(code, out, err, (0,))
        if err:
            assert err.startswith(f"damaged: {session.id}.json: "), err[:300]
            assert err.count("\n") == 1
            return
        exports_everywhere(store_dir, session.id)
        store = Store(store_dir)
        opened = store.open_session(session.id)  # as the console does
        store.go_to_step(session.id, len(opened.steps) - 1)
        store.close_all()

    in_a_data_dir(run)


PACKS = [
    Path(__file__).parents[1] / "content" / "mars-venus.toml",
    Path(__file__).parents[1] / "content" / "erm.toml",
    Path(__file__).parent / "packs" / "good" / "example.toml",
]
_VALUE_LINE = re.compile(r"^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.+)$")

toml_values = st.one_of(
    hostile_text.map(json.dumps),  # a JSON string is a TOML basic string
    st.integers(-(10**40), 10**40).map(str),
    st.integers(10, 6000).map(lambda n: "9" * n),
    st.sampled_from(["inf", "nan", "-inf", "1e400", "true", "1979-05-27", "0x7f", "''", '""']),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(["{ a = 1 }", '[1, "a"]', '["a", "a"]', "[]", '"a\\nb"', "'x'"]),
)


@st.composite
def rewritten_pack(draw: st.DrawFn) -> str:
    """A shipped pack with one to three lines rewritten: a value, a key, or the line gone."""
    lines = draw(st.sampled_from(PACKS)).read_text("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        editable = [i for i, line in enumerate(lines) if _VALUE_LINE.match(line)]
        i = draw(st.sampled_from(editable))
        indent, key, equals, _value = _VALUE_LINE.match(lines[i]).groups()
        action = draw(st.sampled_from(["value", "value", "key", "gone", "twice"]))
        if action == "value":
            lines[i] = f"{indent}{key}{equals}{draw(toml_values)}"
        elif action == "key":
            lines[i] = f"{indent}{json.dumps(draw(hostile_text))}{equals}{_value}"
        elif action == "gone":
            lines[i] = ""
        else:
            lines.insert(i, lines[i])
    return "\n".join(lines)


@FUZZ
@given(rewritten_pack())
def test_a_pack_is_checked_or_refused_in_sentences(source: str) -> None:
    def run(store_dir: Path, folder: Path) -> None:
        packs = folder / "packs"
        packs.mkdir()
        path = packs / "fuzzed.toml"
        path.write_bytes(source.encode("utf-8", errors="surrogatepass"))
        code, out, err = cli("--data-dir", str(store_dir), "scenarios", "--check", str(path))
        judged(code, out, err, (0, 1))
        listed = out.decode().splitlines()
        assert listed and all(
            line.startswith(f"{path}") or line.startswith("fuzzed.toml") for line in listed
        )
        code, out, err = cli("--data-dir", str(store_dir), "--content-dir", str(packs), "scenarios")
        judged(code, out, err, (0,))

    in_a_data_dir(run)
