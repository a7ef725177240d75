"""The transcript contract: round trips through the CLI, every bad import, --anonymize."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.transcript_fixtures import PEOPLE, erm_session, mars_venus_1, mars_venus_session
from workshop.cli import main
from workshop.errors import InvalidTranscript
from workshop.model import Scenario
from workshop.scenario import discover
from workshop.store import Store
from workshop.transcript import (
    SCHEMA,
    anonymized,
    dumps,
    from_transcript,
    parse_transcript,
    to_transcript,
)


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def export_json(data_dir: Path, session_id: str, out: Path, *extra: str) -> bytes:
    assert run(data_dir, "export", session_id, "--format", "json", "-o", str(out), *extra) == 0
    return out.read_bytes()


@pytest.fixture
def mv_id(store: Store, scenarios: dict[str, Scenario]) -> str:
    return mars_venus_session(store, scenarios["mars-venus"])


@pytest.fixture
def transcript(store: Store, mv_id: str) -> dict[str, Any]:
    return to_transcript(store.load_session(mv_id))


# -- the contract -------------------------------------------------------------------------


def test_the_json_has_exactly_the_contract_fields(transcript: dict[str, Any]) -> None:
    assert list(transcript) == [
        "schema",
        "session",
        "scenario",
        "sides",
        "taxonomy",
        "steps",
        "statements",
        "agreements",
        "ratings",
        "marks",
        "turns",
        "summary",
    ]
    assert transcript["schema"] == SCHEMA == "workshop.transcript/2"
    assert list(transcript["session"]) == [
        "id",
        "title",
        "facilitator",
        "organisation",
        "participants",
        "started_at",
        "finished_at",
        "status",
        "current_step",
    ]
    assert transcript["session"]["current_step"] == "close"
    assert transcript["session"]["status"] == "finished"
    assert list(transcript["scenario"]) == ["id", "version", "title", "language"]
    assert list(transcript["steps"][0]) == ["key", "title", "type", "entered_at", "seconds_spent"]
    assert list(transcript["statements"][0]) == [
        "id",
        "side",
        "speaker",
        "text",
        "tags",
        "created_at",
        "edited_at",
        "step",
    ]
    assert {st["step"] for st in transcript["statements"]} == {"self-talk"}
    assert list(transcript["agreements"][0]) == [
        "id",
        "text",
        "tag",
        "owner",
        "due",
        "created_at",
        "step",
    ]
    assert transcript["agreements"][0]["due"] == "2026-12-01"
    assert transcript["agreements"][0]["step"] == "next-interaction"
    assert transcript["agreements"][3] | {"id": "", "created_at": ""} == {
        "id": "",
        "text": "Meet again in January",
        "tag": None,
        "owner": None,
        "due": None,
        "created_at": "",
        "step": None,
    }
    assert transcript["ratings"] == []
    steps = {step["key"]: step for step in transcript["steps"]}
    assert list(steps["ground-rules"]) == [*transcript["steps"][0], "items"]
    assert [item["key"] for item in steps["ground-rules"]["items"]] == [
        "inner-voice",
        "no-names",
        "private",
        "stays-here",
    ]
    assert [item["key"] for item in steps["first-guess"]["items"]] == [
        "roles",
        "goals",
        "procedures",
        "personality",
    ]
    assert "items" not in steps["what-first"]  # a dot-vote: its options are the agreements
    assert transcript["marks"] == [] and transcript["turns"] == []
    assert list(transcript["summary"]) == ["tag_counts", "steps"]
    digests = transcript["summary"]["steps"]
    assert list(digests) == ["first-guess", "better-call", "what-first"]
    assert [(o["key"], o["count"]) for o in digests["first-guess"]["options"]] == [
        ("roles", 0),
        ("goals", 0),
        ("procedures", 0),
        ("personality", 0),
    ]
    assert digests["better-call"] == []
    assert [(o["label"], o["count"]) for o in digests["what-first"]["options"]] == [
        (ag["text"], 0) for ag in transcript["agreements"]
    ]
    counts = transcript["summary"]["tag_counts"]
    assert list(counts) == ["marketing", "it", "total"]
    assert counts["marketing"] == {"roles": 1, "goals": 1, "procedures": 0, "personality": 1}
    assert counts["it"] == {"roles": 2, "goals": 1, "procedures": 1, "personality": 0}
    assert counts["total"] == {"roles": 3, "goals": 2, "procedures": 1, "personality": 1}


def test_times_carry_an_offset_and_edits_are_kept(transcript: dict[str, Any]) -> None:
    iso = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
    assert iso.fullmatch(transcript["session"]["started_at"])
    assert iso.fullmatch(transcript["session"]["finished_at"])
    for st in transcript["statements"]:
        assert iso.fullmatch(st["created_at"])
    edited = [st for st in transcript["statements"] if st["edited_at"]]
    assert [st["text"] for st in edited] == [
        "Two people were on an outage call. That is their job."
    ]


def test_dumps_is_deterministic_utf8_with_a_final_newline(transcript: dict[str, Any]) -> None:
    text = dumps(transcript)
    assert text == dumps(json.loads(text))
    assert text.endswith("}\n") and '\n  "session": {' in text
    assert "Zoë" in text and "💬" in text and "\\u" not in text


def test_from_transcript_rebuilds_a_session_that_exports_identically(
    transcript: dict[str, Any],
) -> None:
    text = dumps(transcript)
    session = from_transcript(json.loads(text), "t.json")
    assert dumps(to_transcript(session)) == text
    assert parse_transcript(text.encode("utf-8"), "t.json") == session


def test_a_transcript_without_step_fields_still_imports(
    transcript: dict[str, Any], tmp_path: Path
) -> None:
    for item in transcript["statements"] + transcript["agreements"]:
        del item["step"]
    path = tmp_path / "before-step.json"
    path.write_text(dumps(transcript), encoding="utf-8")
    data = tmp_path / "d"
    assert run(data, "import", str(path)) == 0
    session = Store(data).load_session(transcript["session"]["id"])
    assert [st.step for st in session.statements] == [None] * 6
    assert [ag.step for ag in session.agreements] == [None] * 4
    again = json.loads(export_json(data, session.id, tmp_path / "again.json"))
    assert {st["step"] for st in again["statements"] + again["agreements"]} == {None}
    for item in again["statements"] + again["agreements"]:
        del item["step"]
    assert again == transcript


# -- round trips through the command line ---------------------------------------------------


@pytest.mark.parametrize("scenario_id", ["mars-venus", "erm"])
def test_export_import_export_is_byte_identical(
    store: Store, scenarios: dict[str, Scenario], tmp_path: Path, scenario_id: str
) -> None:
    build = mars_venus_session if scenario_id == "mars-venus" else erm_session
    sid = build(store, scenarios[scenario_id])
    first = export_json(store.data_dir, sid[:3], tmp_path / "first.json")

    laptop = tmp_path / "other-laptop"
    assert run(laptop, "import", str(tmp_path / "first.json")) == 0
    second = export_json(laptop, sid, tmp_path / "second.json")
    assert second == first
    if scenario_id == "erm":
        made_in = {st["text"]: st["step"] for st in json.loads(first)["statements"]}
        assert made_in == {
            "The last roll-out was forced on us": "sweet-spot",
            "Nobody told us why": None,
            "What is in it for me?": None,
        }
        stored = Store(laptop).load_session(sid).statements
        assert [st.step for st in stored] == list(made_in.values())
        ratings = json.loads(first)["ratings"]
        assert {(r["item"], r["score"]) for r in ratings} == {
            ("rumours", 2),
            ("burned", 3),
            ("hostility", 0),
        }
        polls = json.loads(second)["summary"]["steps"]
        assert [(o["key"], o["count"]) for o in polls["ready-before"]["options"]] == [
            ("not-yet", 6),
            ("cannot-tell", 3),
            ("ready", 0),
            ("partly", 0),
        ]
        assert [(o["key"], o["count"]) for o in polls["ready-after"]["options"]] == [
            ("partly", 5),
            ("ready", 4),
            ("not-yet", 0),
            ("cannot-tell", 0),
        ]

    # and once more, from the imported copy to a third store
    third_dir = tmp_path / "third"
    assert run(third_dir, "import", str(tmp_path / "second.json")) == 0
    assert export_json(third_dir, sid, tmp_path / "third.json") == first


def test_an_anonymized_transcript_round_trips_too(store: Store, mv_id: str, tmp_path: Path) -> None:
    first = export_json(store.data_dir, mv_id, tmp_path / "a.json", "--anonymize")
    assert run(tmp_path / "d2", "import", str(tmp_path / "a.json")) == 0
    assert export_json(tmp_path / "d2", mv_id, tmp_path / "b.json") == first


def test_export_to_stdout_writes_the_same_bytes(
    store: Store, mv_id: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    expected = dumps(to_transcript(store.load_session(mv_id))).encode("utf-8")
    assert run(store.data_dir, "export", mv_id, "--format", "json") == 0
    assert capsysbinary.readouterr().out == expected


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_refuses_to_overwrite_without_force(
    store: Store, mv_id: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"t.{fmt}"
    out.write_text("keep me")
    assert run(store.data_dir, "export", mv_id, "--format", fmt, "-o", str(out)) == 2
    assert f"{out} already exists: add --force to overwrite it." in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert run(store.data_dir, "export", mv_id, "--format", fmt, "-o", str(out), "--force") == 0
    assert out.read_text() != "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_into_a_missing_folder_says_so(
    store: Store, mv_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "t.md"
    assert run(store.data_dir, "export", mv_id, "-o", str(out)) == 2
    assert "does not exist" in capsys.readouterr().err


def _import_with_id(data_dir: Path, transcript: dict[str, Any], sid: str, tmp_path: Path) -> None:
    path = tmp_path / f"{sid}.json"
    path.write_text(dumps(transcript | {"session": transcript["session"] | {"id": sid}}))
    assert run(data_dir, "import", str(path)) == 0


def test_unknown_and_ambiguous_ids_list_the_candidates(
    transcript: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "ids"
    for sid in ("abc10001", "abc20002", "fed00003"):
        _import_with_id(data, transcript, sid, tmp_path)
    capsys.readouterr()

    assert run(data, "export", "abc") == 2
    err = capsys.readouterr().err
    assert "'abc' matches 2 sessions: abc10001, abc20002" in err

    assert run(data, "export", "zzz") == 2
    err = capsys.readouterr().err
    assert "No stored session has an id starting with 'zzz'." in err
    for sid in ("abc10001", "abc20002", "fed00003"):
        assert sid in err

    assert run(data, "export", "fed", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == "fed00003"


def test_unknown_id_in_an_empty_store_says_nothing_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path / "empty", "export", "abc") == 2
    assert "No sessions are stored in" in capsys.readouterr().err


# -- import: never overwrites ---------------------------------------------------------------


def test_import_skips_a_stored_id_and_changes_nothing(
    store: Store, mv_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.json"
    export_json(store.data_dir, mv_id, path)
    before = store.path_of(mv_id).read_bytes()
    capsys.readouterr()

    assert run(store.data_dir, "import", str(path)) == 0
    err = capsys.readouterr().err
    assert f"{path}: session {mv_id} is already stored, so it was skipped" in err
    assert "--new-id" in err
    assert store.path_of(mv_id).read_bytes() == before
    assert len(store.list_sessions()[0]) == 1


def test_import_with_new_id_stores_a_copy(
    store: Store, mv_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.json"
    first = export_json(store.data_dir, mv_id, path)
    capsys.readouterr()

    assert run(store.data_dir, "import", "--new-id", str(path), str(path)) == 0
    out = capsys.readouterr().out
    new_ids = re.findall(r"as session (\w+):", out)
    assert len(new_ids) == 2 and mv_id not in new_ids and new_ids[0] != new_ids[1]
    copy = json.loads(export_json(store.data_dir, new_ids[0], tmp_path / "copy.json"))
    original = json.loads(first)
    assert copy["session"]["id"] == new_ids[0]
    copy["session"]["id"] = mv_id
    assert copy == original


def test_the_same_id_twice_in_one_import_is_stored_once(
    transcript: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.json"
    path.write_text(dumps(transcript))
    data = tmp_path / "d"
    assert run(data, "import", str(path), str(path)) == 0
    captured = capsys.readouterr()
    assert captured.out.count("Imported") == 1
    assert "already stored, so it was skipped" in captured.err
    assert len(Store(data).list_sessions()[0]) == 1


def test_an_imported_session_opens_for_editing(transcript: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(dumps(transcript))
    data = tmp_path / "d"
    assert run(data, "import", str(path)) == 0
    store = Store(data)
    session = store.open_session(transcript["session"]["id"])
    try:
        assert session.steps[session.current_step].key == "close"
        added = store.add_statement(session.id, "it", "One more line")
        assert added in store.session(session.id).statements
    finally:
        store.close_all()
    assert not list((data / "sessions").glob("*.lock"))


# -- import: every bad file gets a sentence and nothing is written ---------------------------


def _edit(path: str, value: Any) -> Any:
    """A change to a transcript at a dotted path (`statements.3.side`); `...` deletes."""

    def apply(t: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = t
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if value is ...:
            del node[key]
        else:
            node[key] = value

    return apply


SAME_ID = object()
"""Stands for the id of the first item of the same list."""

BAD_EDITS = [
    ("schema", ..., "missing field 'schema' (not a workshop transcript)"),
    ("schema", "workshop.transcript/3", "schema: 'workshop.transcript/3' is another version"),
    ("schema", "something/1", "schema: 'something/1' is not 'workshop.transcript/2'"),
    ("extra", 1, "unknown field 'extra'"),
    ("session.title", ..., "session: missing field 'title'"),
    ("session.title", "", "session.title: must not be empty"),
    ("session.title", 42, "session.title: must be text"),
    ("session.nickname", "x", "session: unknown field 'nickname'"),
    ("session.id", "../../etc/passwd", "session.id: must be an id"),
    ("session.id", "", "session.id: must be an id"),
    ("session.participants", "Ana", "session.participants: must be a list"),
    ("session.participants.1", None, "session.participants[1]: must be text"),
    ("session.facilitator", "Zoë\nQuist", "session.facilitator: contains a line break"),
    ("session.started_at", "2026-11-23T09:00:00", "has no UTC offset"),
    ("session.started_at", "yesterday", "session.started_at: 'yesterday' is not an ISO 8601"),
    ("session.finished_at", 5, "session.finished_at: must be an ISO 8601 time"),
    ("session.status", "done", "session.status: 'done' is not 'in-progress' or 'finished'"),
    ("session.current_step", "lunch", "session.current_step: 'lunch' is not a step"),
    ("session.current_step", 3, "session.current_step: 3 is not a step"),
    ("scenario.id", "Mars Venus", "scenario.id: must be a key"),
    ("scenario.language", ..., "scenario: missing field 'language'"),
    ("sides", [], "sides: must list at least one side"),
    ("sides.1.key", "marketing", "sides[1].key: 'marketing' is used twice"),
    ("sides.1.key", "total", "sides[1].key: 'total' is reserved for the summary"),
    ("sides.0", "Venus", "sides[0]: must be an object"),
    ("taxonomy.2.label", ["x"], "taxonomy[2].label: must be text"),
    ("steps", [], "steps: must list at least one step"),
    ("steps.4.type", "lecture", "steps[4].type: 'lecture' is not a step type"),
    ("steps.4.key", "opening", "steps[4].key: 'opening' is used twice"),
    ("steps.2.seconds_spent", -1, "steps[2].seconds_spent: must be a number of seconds"),
    ("steps.2.seconds_spent", "60", "steps[2].seconds_spent: must be a number of seconds"),
    ("steps.2.seconds_spent", True, "steps[2].seconds_spent: must be a number of seconds"),
    ("statements.3.side", "sales", "statements[3].side: 'sales' is not a side of this transcript"),
    ("statements.0.tags", ["roles", "luck"], "statements[0].tags[1]: 'luck' is not a tag"),
    ("statements.0.tags", ["roles", "roles"], "statements[0].tags[1]: 'roles' is listed twice"),
    ("statements.1.id", SAME_ID, "statements[1].id: "),
    ("statements.2.text", "a\x1b]0;pwned\x07b", "statements[2].text: contains the control"),
    ("statements.2.text", "bad \ud800 half", "statements[2].text: contains a lone surrogate"),
    ("statements.2.speaker", "", "statements[2].speaker: must be null or a name"),
    ("statements.2.speaker", "Ana\tLopez", "statements[2].speaker: contains a tab"),
    ("statements.2.created_at", None, "statements[2].created_at: must be an ISO 8601 time"),
    ("statements.5.edited_at", ..., "statements[5]: missing field 'edited_at'"),
    ("agreements.0.due", "2026-13-01", "agreements[0].due: '2026-13-01' is not a real date"),
    ("agreements.0.due", "1 December", "agreements[0].due: '1 December' is not a date as"),
    ("agreements.0.due", "2026-12-01T00:00:00+00:00", "agreements[0].due: "),
    ("agreements.1.tag", "luck", "agreements[1].tag: 'luck' is not a tag of this transcript"),
    ("agreements.2.owner", "", "agreements[2].owner: must be null or a name"),
    ("agreements.1.id", SAME_ID, "agreements[1].id: "),
    ("statements.0.step", "lunch", "statements[0].step: 'lunch' is not a step of this"),
    ("statements.0.step", 4, "statements[0].step: 4 is not a step of this transcript"),
    ("statements.0.step", ["self-talk"], "statements[0].step: a list is not a step"),
    ("agreements.0.step", "Next-Interaction", "agreements[0].step: 'Next-Interaction' is not"),
    ("ratings", [{"step": "nope", "item": "x", "score": 1, "note": ""}], "ratings[0].step"),
    ("ratings", [{"step": "opening", "item": "x", "score": 1, "note": ""}], "not a rating step"),
    ("ratings", [{"step": "opening", "item": "x", "score": 1}], "ratings[0]: missing field 'note'"),
    # Values no screen can hold: the limits of workshop.limits, the same as the app's.
    (
        "statements.2.text",
        "x" * 4001,
        "statements[2].text: is 4,001 characters; the limit is",
    ),
    ("session.title", "T" * 201, "session.title: is 201 characters; the limit is 200"),
    ("statements.2.speaker", "S" * 201, "statements[2].speaker: is 201 characters; the limit"),
    ("agreements.2.owner", "O" * 201, "agreements[2].owner: is 201 characters; the limit is 200"),
    (
        "session.participants",
        ["P"] * 501,
        "session.participants: lists 501 items; the limit",
    ),
    ("steps.0.seconds_spent", 1e308, "steps[0].seconds_spent: must be a number of seconds from 0"),
    ("steps.1.seconds_spent", 604801, "steps[1].seconds_spent: must be a number of seconds from 0"),
    ("steps", [], "steps: must list at least one step"),
    ("session.title", ["a", "list"], "session.title: must be text, not a list"),
    ("statements.0.text", {"an": "object"}, "statements[0].text: must be text, not an object"),
    ("sides.0", 7, "sides[0]: must be an object, not a number"),
    ("session.id", "a" * 65, "session.id: must be an id: 1 to 64 letters"),
    ("statements", 3, "statements: must be a list, not a number"),
    ("summary", ..., "missing field 'summary'"),
    ("summary.tag_counts.it.roles", 5, "summary.tag_counts.it.roles: says 5, but the statements"),
    ("summary.tag_counts.total", ..., "summary.tag_counts: missing 'total'"),
    ("summary.tag_counts.sales", {}, "summary.tag_counts: 'sales' is not a side"),
]


@pytest.mark.parametrize(("where", "value", "message"), BAD_EDITS, ids=[e[0] for e in BAD_EDITS])
def test_a_bad_transcript_gets_a_sentence_and_nothing_is_written(
    transcript: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
    value: Any,
    message: str,
) -> None:
    valid = tmp_path / "a-valid-one.json"
    valid.write_text(dumps(transcript | {"session": transcript["session"] | {"id": "0000good"}}))
    if value is SAME_ID:
        value = transcript[where.split(".")[0]][0]["id"]
    _edit(where, value)(transcript)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(transcript))  # ASCII escapes: a lone surrogate can be written
    data = tmp_path / "fresh"

    assert run(data, "import", str(valid), str(bad)) == 2
    err = capsys.readouterr().err
    assert f"workshop: {bad} is not a valid transcript: " in err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not data.exists(), "nothing may be written, not even the data folder"


RAW_BAD = [
    (b"", "the file is empty"),
    (b"  \n", "the file is empty"),
    (b"\xff\xfe{}", "the file is not UTF-8 text (byte 0)"),
    (b'{"schema": ', "not JSON (line 1, column 12: Expecting value)"),
    (b"[1, 2]", "the file does not hold a JSON object"),
    (
        b'{"schema": "workshop.transcript/1", "schema": "x"}',
        "the field 'schema' appears twice in one object",
    ),
    (b'{"a": NaN}', "it holds NaN, which is not a number JSON allows"),
    (b'{"a": 1e999}', "it holds the number 1e999, too large to be real"),
    (b'{"a": ' + b"9" * 5000 + b"}", "it holds a number of 5,000 digits"),
    (b"[" * 200_000 + b"]" * 200_000, "it is nested too deeply"),
]


@pytest.mark.parametrize(("raw", "message"), RAW_BAD, ids=[m for _, m in RAW_BAD])
def test_a_file_that_is_not_a_transcript_gets_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes, message: str
) -> None:
    bad = tmp_path / "notes.json"
    bad.write_bytes(raw)
    data = tmp_path / "fresh"
    assert run(data, "import", str(bad)) == 2
    err = capsys.readouterr().err
    assert f"workshop: {bad} is not a valid transcript: {message}" in err
    assert "Traceback" not in err
    assert not data.exists()


def test_a_missing_or_unreadable_file_gets_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "fresh"
    assert run(data, "import", str(tmp_path / "gone.json")) == 2
    assert f"{tmp_path / 'gone.json'} cannot be read (No such file" in capsys.readouterr().err
    assert run(data, "import", str(tmp_path)) == 2
    assert f"{tmp_path} is a folder, not a file. Nothing was imported." in capsys.readouterr().err
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert run(data, "import", str(fifo)) == 2  # at once: a pipe is never opened to wait
    assert f"{fifo} is not a regular file (a pipe" in capsys.readouterr().err
    assert not data.exists()


def test_the_first_problem_is_the_one_reported(transcript: dict[str, Any]) -> None:
    transcript["statements"][1]["side"] = "sales"
    transcript["statements"][4]["tags"] = ["luck"]
    with pytest.raises(InvalidTranscript) as caught:
        from_transcript(transcript, "two-problems.json")
    assert str(caught.value) == (
        "two-problems.json is not a valid transcript: "
        "statements[1].side: 'sales' is not a side of this transcript."
    )


# -- anonymize -------------------------------------------------------------------------------


def _names() -> list[str]:
    names = [PEOPLE["facilitator"], *PEOPLE["participants"], PEOPLE["owner"], "Cyrus"]
    parts = [part for name in names for part in name.split()]
    return names + parts


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_anonymize_leaves_no_name_in_any_format(
    store: Store, mv_id: str, tmp_path: Path, fmt: str
) -> None:
    plain = tmp_path / f"plain.{fmt}"
    anon = tmp_path / f"anon.{fmt}"
    assert run(store.data_dir, "export", mv_id, "--format", fmt, "-o", str(plain)) == 0
    assert (
        run(store.data_dir, "export", mv_id, "--format", fmt, "-o", str(anon), "--anonymize") == 0
    )
    plain_text = plain.read_text(encoding="utf-8")
    text = anon.read_text(encoding="utf-8")
    for name in _names():
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        assert word.search(plain_text), name
        assert not word.search(text), f"{name!r} leaked into the {fmt} export"
    assert "Facilitator" in text
    for n in (1, 2, 3, 4):
        assert f"Participant {n}" in text


def test_anonymize_numbers_people_by_first_appearance_consistently(
    store: Store, mv_id: str
) -> None:
    data = to_transcript(store.load_session(mv_id), anonymize=True)
    speakers = [st["speaker"] for st in data["statements"]]
    # Bodil, Ana, Cyrus, -, -, Ana
    assert speakers == [
        "Participant 1",
        "Participant 2",
        "Participant 3",
        None,
        None,
        "Participant 2",
    ]
    assert data["session"]["facilitator"] == "Facilitator"
    assert data["session"]["participants"] == ["Participant 1", "Participant 2", "Participant 3"]
    assert data["session"]["title"] == "Acme CRM kick-off with Participant 2"
    assert data["session"]["organisation"] == "Acme Ltd"
    assert data["statements"][5]["text"] == "Ask Participant 2 and Participant 1: they know ✓"
    owners = [ag["owner"] for ag in data["agreements"]]
    assert owners == ["Participant 2", "Participant 3", "Participant 4", None]
    assert data["agreements"][0]["text"].endswith("; Participant 3 checks the IT seats")
    # nothing else changes, but the dot-vote's options: they are the agreements' texts
    plain = to_transcript(store.load_session(mv_id))
    assert data["summary"]["tag_counts"] == plain["summary"]["tag_counts"]
    steps, plain_steps = data["summary"]["steps"], plain["summary"]["steps"]
    assert list(steps) == list(plain_steps) == ["first-guess", "better-call", "what-first"]
    assert steps["first-guess"] == plain_steps["first-guess"]
    assert steps["better-call"] == plain_steps["better-call"]
    votes = steps["what-first"]["options"]
    assert [(o["key"], o["count"]) for o in votes] == [
        (o["key"], o["count"]) for o in plain_steps["what-first"]["options"]
    ]
    assert [o["label"] for o in votes] == [ag["text"] for ag in data["agreements"]]
    assert [st["tags"] for st in data["statements"]] == [st["tags"] for st in plain["statements"]]


def test_anonymize_handles_shared_name_parts_and_team_owners(
    store: Store, scenarios: dict[str, Scenario]
) -> None:
    session = store.create_session(
        scenarios["mars-venus"], "Kim and Lee", "Kim Park", participants=["Lee Park"]
    )
    store.add_statement(session.id, "it", "Park said so", speaker="Lee Park")
    store.add_agreement(session.id, "Fix it", owner="IT team")
    store.add_agreement(session.id, "Check it", owner="Lee and Kim")
    data = to_transcript(anonymized(store.session(session.id)))
    assert data["session"]["title"] == "Facilitator and Participant 1"
    assert data["statements"][0]["text"] == "(name removed) said so"
    assert [ag["owner"] for ag in data["agreements"]] == [
        "Participant 2",
        "Participant 1 and Facilitator",
    ]
    assert "Park" not in dumps(data)


def test_import_keeps_the_order_statements_were_said_in(tmp_path: Path) -> None:
    """The clock may go back (another laptop, a time zone): the said order wins, not the time."""
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    store = Store(tmp_path / "a")
    session = store.create_session(scenario, "Order")
    first = store.add_statement(session.id, "marketing", "said first")
    store.add_statement(session.id, "it", "said second")
    text = dumps(to_transcript(store.session(session.id)))
    later = first.created_at.replace(year=first.created_at.year + 1).isoformat()
    text = text.replace(
        f'"created_at": "{first.created_at.isoformat()}"', f'"created_at": "{later}"', 1
    )
    imported = from_transcript(json.loads(text), "order.json")
    assert [s.text for s in imported.statements] == ["said first", "said second"]
    assert dumps(to_transcript(imported)) == text


def test_a_version_1_transcript_still_imports_and_exports_as_version_2(
    store: Store, tmp_path: Path
) -> None:
    """A /1 file was written before turns, marks and step digests: by a session of the
    1.0.0 pack, which had no step that keeps them."""
    sid = mars_venus_session(store, mars_venus_1())
    transcript = to_transcript(store.load_session(sid))
    assert transcript["scenario"]["version"] == "1.0.0"
    assert transcript["marks"] == [] and transcript["turns"] == []
    assert transcript["summary"]["steps"] == {}
    old = json.loads(json.dumps(transcript))
    old["schema"] = "workshop.transcript/1"
    for field in ("marks", "turns"):
        del old[field]
    del old["summary"]["steps"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    data = tmp_path / "fresh"
    assert run(data, "import", str(path)) == 0
    again = to_transcript(Store(data).load_session(transcript["session"]["id"]))
    assert again == transcript
    assert again["schema"] == "workshop.transcript/2"
