"""Scenario packs: the shipped ones, malformed ones, where packs are found, the authoring doc."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.errors import PackError
from workshop.kinds import STEP_TYPES, checklist, poll
from workshop.model import Scenario, Step
from workshop.scenario import BrokenPack, default_scenario, discover, parse_pack
from workshop.store import Store

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "packs" / "bad"
GOOD = Path(__file__).parent / "packs" / "good"
CONTENT = ROOT / "content"


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Run `workshop scenarios --check path`: the exit code and the printed lines."""
    code = main(["--data-dir", str(path.parent / ".no-data"), "scenarios", "--check", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines()


# -- the shipped packs ---------------------------------------------------------------------


def test_shipped_packs_load_without_problems() -> None:
    found, broken = discover()
    assert broken == []
    assert sorted(s.id for s in found) == ["erm", "mars-venus"]
    assert all(s.origin == "built-in" for s in found)


def _steps(scenario: Scenario) -> dict[str, Step]:
    return {step.key: step for step in scenario.steps}


def test_mars_venus_matches_the_content_brief(scenarios: dict[str, Scenario]) -> None:
    mv = scenarios["mars-venus"]
    assert [(s.key, s.label) for s in mv.sides] == [("marketing", "Venus"), ("it", "Mars")]
    assert [t.key for t in mv.taxonomies] == ["clarity"]
    clarity = mv.taxonomy("clarity")
    assert clarity is not None
    assert [(t.key, t.hotkey) for t in clarity.tags] == [
        ("roles", "1"),
        ("goals", "2"),
        ("procedures", "3"),
        ("personality", "4"),
    ]
    assert [(s.key, s.type) for s in mv.steps] == [
        ("opening", "brief"),
        ("ground-rules", "checklist"),
        ("situation", "brief"),
        ("venus-brief", "brief"),
        ("mars-brief", "brief"),
        ("first-guess", "poll"),
        ("self-talk", "capture"),
        ("clarity-gaps", "tag"),
        ("rarely-personality", "summary"),
        ("the-call", "dialogue"),
        ("better-call", "reframe"),
        ("next-interaction", "agree"),
        ("what-first", "poll"),
        ("close", "summary"),
    ]
    steps = _steps(mv)
    assert [s.key for s in mv.steps if s.reveal] == ["venus-brief", "mars-brief"]
    assert steps["self-talk"].sides == ("marketing", "it")
    assert steps["clarity-gaps"].taxonomy == "clarity"
    assert steps["clarity-gaps"].source == ("self-talk",)
    # the private-thought rule is agreed before the role-play that can keep a thought private
    assert "private" in [item.key for item in steps["ground-rules"].items]
    # the first guess is asked on the four clarity gaps, before the room's own data exists
    assert steps["first-guess"].taxonomy == "clarity" and steps["first-guess"].prompt
    assert not steps["first-guess"].options and steps["first-guess"].dots == 1
    # ... and the reveal puts the guess beside the tags of the room's own lines
    assert steps["rarely-personality"].show == ("polls", "counts")
    assert steps["rarely-personality"].taxonomy == "clarity"
    # the phone call is played by both sides; its thoughts are tagged with the same gaps
    assert steps["the-call"].sides == ("marketing", "it")
    assert steps["the-call"].taxonomy == "clarity" and steps["the-call"].prompt
    assert steps["better-call"].source == ("the-call",) and steps["better-call"].prompt
    assert steps["next-interaction"].taxonomy == "clarity"
    # the dot-vote ranks the agreements of the next interaction, three dots a person
    what_first = steps["what-first"]
    assert what_first.source == ("next-interaction",) and what_first.dots == 3
    assert not what_first.options and what_first.taxonomy is None and what_first.prompt
    assert steps["close"].show == ("time", "counts", "agreements")
    assert all(s.timebox > 0 and s.title and s.text and s.notes for s in mv.steps)
    assert mv.minutes == 112  # a two-hour slot with room to breathe
    assert max(s.timebox for s in mv.steps) <= 15


def test_mars_venus_new_steps_offer_what_the_room_answers(
    store: Store, scenarios: dict[str, Scenario]
) -> None:
    """A session of the pack: the first guess offers the four gaps, the dot-vote the
    agreements just made, the ground rules their four items, all unticked."""
    mv = scenarios["mars-venus"]
    session = store.create_session(mv, "Kick-off")
    agreement = store.add_agreement(session.id, "Call before escalating", step="next-interaction")
    session = store.session(session.id)
    stored = {step.key: step for step in session.steps}
    pack = _steps(mv)

    guess = poll.choices(session, stored["first-guess"], pack["first-guess"].source)
    assert [(o.key, o.label) for o in guess] == [
        ("roles", "Roles"),
        ("goals", "Goals"),
        ("procedures", "Procedures"),
        ("personality", "Personality"),
    ]
    assert poll.unit(pack["first-guess"]) == "hand"

    votes = poll.choices(session, stored["what-first"], pack["what-first"].source)
    assert [(o.key, o.label) for o in votes] == [(agreement.id, "Call before escalating")]
    assert poll.unit(pack["what-first"]) == "dot"

    assert [item.label for item in stored["ground-rules"].items] == [
        "Inner voices are material, not confessions",
        "No real names in the role-play",
        "Some thoughts stay private",
        "Stories stay in the room",
    ]
    assert checklist.ticked(session, "ground-rules") == 0


def test_erm_matches_the_content_brief(scenarios: dict[str, Scenario]) -> None:
    erm = scenarios["erm"]
    assert [s.key for s in erm.sides] == ["leaders", "employees"]
    assert [t.key for t in erm.taxonomies] == ["knowledge", "practices"]
    assert [len(t.tags) for t in erm.taxonomies] == [5, 5]
    assert [(s.key, s.type) for s in erm.steps] == [
        ("opening", "brief"),
        ("ready-before", "poll"),
        ("sweet-spot", "capture"),
        ("resistance-map", "rating"),
        ("know-then-feel", "capture"),
        ("erm-plan", "agree"),
        ("ready-after", "poll"),
        ("close", "summary"),
    ]
    steps = _steps(erm)
    rating = steps["resistance-map"]
    assert rating.scale == 3
    assert [i.key for i in rating.items] == ["burned", "rumours", "ten-definitions", "hostility"]
    assert steps["know-then-feel"].taxonomy == "knowledge"
    assert steps["erm-plan"].taxonomy == "practices"
    # readiness is asked before and after, on the same answers, so the close can compare
    before, after = steps["ready-before"], steps["ready-after"]
    assert before.prompt and after.prompt and before.prompt != after.prompt
    assert [(o.key, o.label) for o in before.options] == [
        ("ready", "Ready"),
        ("partly", "Partly"),
        ("not-yet", "Not yet"),
        ("cannot-tell", "Hard to say"),
    ]
    assert before.options == after.options
    assert steps["close"].show == ("polls", "counts", "ratings", "agreements", "time")
    assert all(s.timebox > 0 and s.title and s.text and s.notes for s in erm.steps)


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("mars-venus.toml", "mars-venus 2.0.0, 14 steps, 112 minutes"),
        ("erm.toml", "erm 1.1.0, 8 steps, 112 minutes"),
    ],
)
def test_check_accepts_the_shipped_packs(
    name: str, summary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(CONTENT / name, capsys)
    assert code == 0
    assert lines == [f"{CONTENT / name}: ok: {summary}"]


# -- malformed packs -----------------------------------------------------------------------

MALFORMED = {
    "toml-syntax.toml": "13: TOML syntax: Invalid value (is text missing its quotes?)",
    "unclosed-string.toml": '32: TOML syntax: the """ string that starts here is never closed',
    "missing-field.toml": "36: step 2 (gaps): missing field 'title'",
    "wrong-type.toml": "9: side 1 (venus): field 'label' must be text, not a number",
    "unknown-step-type.toml": (
        f"39: step 2 (gaps): unknown step type 'quiz' (use one of: {', '.join(STEP_TYPES)})"
    ),
    "duplicate-step-key.toml": "37: step 2 (talk): the step key 'talk' is used twice",
    "duplicate-toml-key.toml": (
        "41: the key 'timebox' is set twice in this table (first at line 40)"
    ),
    "undefined-taxonomy.toml": (
        "41: step 2 (gaps): tags with taxonomy 'clarty', which the pack does not define "
        "(taxonomies: clarity)"
    ),
    "hotkey-twice.toml": (
        "27: taxonomy 1 (clarity), tag 2 (goals): hotkey '1' is already used by tag 'roles' "
        "in this taxonomy"
    ),
    "timebox-not-positive.toml": "33: step 1 (talk): field 'timebox' must be a positive number",
    "unknown-field.toml": "40: step 2 (gaps): unknown field 'timbox' (did you mean 'timebox'?)",
    "unknown-side.toml": (
        "34: step 1 (talk): 'pluto' is not a side of this pack (sides: venus, mars)"
    ),
    "source-not-capture.toml": (
        "56: step 4 (again): source 'wrap' is a brief step, not a capture step"
    ),
    "rating-item.toml": "54: step 3 (heat), item 2 (silos): missing field 'label'",
    "empty-title.toml": "31: step 1 (talk): field 'title' must not be empty",
    "field-not-for-type.toml": (
        "35: step 1 (talk): field 'reveal' does not apply to a capture step (only to: brief)"
    ),
    "bad-key.toml": (
        "37: step 2: key 'Gaps 2' must start with a lowercase letter or digit and use only "
        "lowercase letters, digits, '-' and '_'"
    ),
    "duplicate-tag-key.toml": (
        "49: taxonomy 2 (actions), tag 1 (goals): the tag key 'goals' is already used in "
        "taxonomy 'clarity' (tag keys must be unique across the pack)"
    ),
    "summary-show.toml": (
        "50: step 3 (close): cannot show 'charts' (use: counts, time, agreements, ratings, polls)"
    ),
    "capture-without-sides.toml": (
        '29: step 1 (talk): a capture step needs \'sides\', e.g. sides = ["venus", "mars"]'
    ),
    "table-twice.toml": "44: [scenario] is defined twice (first at line 1)",
    "scenario-field-at-top.toml": "1: field 'summary' belongs in the [scenario] table",
}
"""Each malformed pack under tests/packs/bad and its only problem, after `FILE:`."""

NOT_UTF8 = "not-utf8.toml:4: the file is not UTF-8 text (byte 0xe9 at offset 50); save it as UTF-8"


def write_not_utf8(folder: Path) -> Path:
    """A pack saved as Latin-1: the é of line 4 is not UTF-8."""
    path = folder / "not-utf8.toml"
    source = '[scenario]\nid = "latin"\nversion = "1"\ntitle = "Caf\u00e9 talk"\n'
    path.write_bytes(source.encode("latin-1"))
    return path


def test_every_malformed_pack_is_covered() -> None:
    assert sorted(p.name for p in BAD.glob("*.toml")) == sorted(MALFORMED)
    assert len(MALFORMED) + 1 >= 12


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_check_prints_the_problem_with_its_line(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(BAD / name, capsys)
    assert code == 1
    assert lines == [f"{name}:{MALFORMED[name]}"]


def test_check_reports_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(write_not_utf8(tmp_path), capsys)
    assert (code, lines) == (1, [NOT_UTF8])


def test_broken_packs_are_listed_and_the_valid_ones_still_load(tmp_path: Path) -> None:
    write_not_utf8(tmp_path)
    shutil.copy(GOOD / "example.toml", tmp_path / "example.toml")
    found, broken = discover(content_dirs=(BAD, tmp_path))
    assert sorted(s.id for s in found) == ["erm", "mars-venus", "retro"]
    firsts = {pack.name: pack.problems[0] for pack in broken}
    expected = {name: f"{name}:{message}" for name, message in MALFORMED.items()}
    assert firsts == {**expected, "not-utf8.toml": NOT_UTF8}
    assert all(isinstance(pack, BrokenPack) and pack.path for pack in broken)


def test_line_numbers_count_blocks_of_the_right_taxonomy() -> None:
    """A problem in the 2nd tag of the 2nd taxonomy points at that tag, not the 2nd block."""
    source = (CONTENT / "erm.toml").read_text(encoding="utf-8")
    broken = source.replace(
        'hotkey = "2"\n  definition = "Build', 'hotkey = "1"\n  definition = "Build'
    )
    assert broken != source
    with pytest.raises(PackError) as caught:
        parse_pack(broken.encode(), "erm.toml")
    line = broken.splitlines().index('  key = "knowledge-first"') + 3
    assert caught.value.problems == [
        f"erm.toml:{line}: taxonomy 2 (practices), tag 2 (knowledge-first): hotkey '1' is "
        "already used by tag 'share' in this taxonomy"
    ]


def test_the_message_of_a_bad_timebox_reads_as_documented() -> None:
    source = (CONTENT / "mars-venus.toml").read_text(encoding="utf-8")
    lines = source.splitlines()
    header = lines.index('key = "mars-brief"')
    timebox = next(i for i in range(header, len(lines)) if lines[i].startswith("timebox = "))
    lines[timebox] = "timebox = -8"
    with pytest.raises(PackError) as caught:
        parse_pack("\n".join(lines).encode(), "mars-venus.toml")
    assert caught.value.problems == [
        f"mars-venus.toml:{timebox + 1}: step 5 (mars-brief): field 'timebox' must be a "
        "positive number"
    ]


def test_a_header_inside_a_multiline_string_is_not_a_block() -> None:
    source = (GOOD / "example.toml").read_text(encoding="utf-8")
    source = source.replace(
        'text = "## What helped, what hurt?"',
        'text = """\n[[steps]]\nkey = "not-a-step"\n"""',
    ).replace('taxonomy = "levers"\nsource', 'taxonomy = "lever"\nsource')
    with pytest.raises(PackError) as caught:
        parse_pack(source.encode(), "retro.toml")
    line = source.splitlines().index('taxonomy = "lever"') + 1
    assert caught.value.problems == [
        f"retro.toml:{line}: step 3 (sort): tags with taxonomy 'lever', which the pack does "
        "not define (taxonomies: levers)"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "field 'timebox' must be a positive number"),
        ("inf", "field 'timebox' must be a positive number"),
        ("true", "field 'timebox' must be a positive number"),
        ('"5"', "field 'timebox' must be a positive number"),
        ("900", "field 'timebox' is in minutes and may be at most 480"),
    ],
)
def test_odd_timeboxes_are_refused(value: str, message: str) -> None:
    source = (GOOD / "example.toml").read_text(encoding="utf-8")
    source = source.replace("timebox = 15", f"timebox = {value}")
    with pytest.raises(PackError) as caught:
        parse_pack(source.encode(), "retro.toml")
    line = source.splitlines().index(f"timebox = {value}") + 1
    assert caught.value.problems == [f"retro.toml:{line}: step 2 (look-back): {message}"]


def test_every_problem_is_listed_in_file_order() -> None:
    source = (GOOD / "example.toml").read_text(encoding="utf-8")
    source = source.replace('hotkey = "3"', 'hotkey = "2"').replace("timebox = 5", "timebox = 0")
    with pytest.raises(PackError) as caught:
        parse_pack(source.encode(), "retro.toml")
    numbers = [int(p.split(":")[1]) for p in caught.value.problems]
    assert len(numbers) == 3 and numbers == sorted(numbers)


def test_a_byte_order_mark_is_accepted() -> None:
    raw = b"\xef\xbb\xbf" + (GOOD / "example.toml").read_bytes()
    assert parse_pack(raw, "retro.toml").id == "retro"


def test_control_characters_are_removed_from_pack_text() -> None:
    source = (GOOD / "example.toml").read_text(encoding="utf-8")
    source = source.replace('title = "Close"', 'title = "Clo\\u001b]0;pwned\\u0007se"')
    scenario = parse_pack(source.encode(), "retro.toml")
    assert scenario.steps[-1].title == "Clo]0;pwnedse"


# -- --check on things that are not pack files ---------------------------------------------


def test_check_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path / "nope.toml", capsys) == (1, ["nope.toml: no such file"])


def test_check_a_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blob.toml"
    path.write_bytes(bytes(range(256)) * 4)
    code, lines = check(path, capsys)
    assert code == 1
    assert lines == [
        "blob.toml:2: the file is not UTF-8 text (byte 0x80 at offset 128); save it as UTF-8"
    ]


def test_check_a_huge_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    code, lines = check(path, capsys)
    assert (code, lines) == (1, ["huge.toml: the file is 50.0 MB; a pack may be at most 1 MB"])


def test_check_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    code, lines = check(path, capsys)
    assert code == 1
    assert (
        lines[0]
        == "empty.toml: missing the [scenario] table (id, version, title, language, summary)"
    )


def test_check_a_folder_checks_every_pack_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(GOOD / "example.toml", tmp_path / "a.toml")
    shutil.copy(BAD / "hotkey-twice.toml", tmp_path / "b.toml")
    code, lines = check(tmp_path, capsys)
    assert code == 1
    assert lines[0] == f"{tmp_path / 'a.toml'}: ok: retro 1.0.0, 5 steps, 45 minutes"
    assert lines[1].startswith("b.toml:27: taxonomy 1 (clarity), tag 2 (goals): hotkey '1'")


def test_check_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path, capsys) == (1, [f"{tmp_path}: no .toml packs in this folder"])


# -- where packs are found -----------------------------------------------------------------


def test_a_pack_in_a_content_dir_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    shutil.copy(GOOD / "example.toml", packs / "retro.toml")
    code = main(["--data-dir", str(tmp_path / "data"), "--content-dir", str(packs), "scenarios"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    line = next(line for line in out.splitlines() if line.startswith("retro "))
    assert "1.0.0" in line and "5 steps" in line and str(packs) in line
    assert line.endswith("Retrospective: the last roll-out sprint")


def test_a_pack_in_the_users_packs_folder_is_found(tmp_path: Path) -> None:
    user = tmp_path / "packs"
    user.mkdir()
    shutil.copy(GOOD / "example.toml", user / "retro.toml")
    (user / ".retro.toml.swp").write_bytes(b"\x00editor junk")
    found, broken = discover(user_dir=user)
    retro = next(s for s in found if s.id == "retro")
    assert (retro.origin, retro.path) == ("user", str(user / "retro.toml"))
    assert broken == []


def test_a_missing_users_folder_is_not_a_problem(tmp_path: Path) -> None:
    found, broken = discover(user_dir=tmp_path / "packs")
    assert len(found) == 2 and broken == []


def test_a_missing_content_dir_is_reported(tmp_path: Path) -> None:
    found, broken = discover(content_dirs=(tmp_path / "gone", BAD / "hotkey-twice.toml"))
    assert len(found) == 2
    assert [p.problems[0] for p in broken] == [
        f"{tmp_path / 'gone'}: no such content folder",
        f"{BAD / 'hotkey-twice.toml'}: is a file, not a content folder (give the folder it is in)",
    ]


def test_a_pack_that_reuses_a_shipped_id_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "my-mars-venus.toml"
    shutil.copy(CONTENT / "mars-venus.toml", copy)
    problem = (
        "my-mars-venus.toml:5: scenario id 'mars-venus' is already used by the built-in pack "
        "mars-venus.toml"
    )
    found, broken = discover(content_dirs=(tmp_path,))
    assert [s.origin for s in found if s.id == "mars-venus"] == ["built-in"]
    assert broken == [BrokenPack("my-mars-venus.toml", str(copy), (problem,))]

    assert check(copy, capsys) == (1, [problem])

    code = main(["--data-dir", str(tmp_path / "data"), "--content-dir", str(tmp_path), "scenarios"])
    out, err = capsys.readouterr()
    assert code == 0 and err == f"broken: {problem}\n"


def test_two_user_packs_with_one_id(tmp_path: Path) -> None:
    shutil.copy(GOOD / "example.toml", tmp_path / "a.toml")
    shutil.copy(GOOD / "example.toml", tmp_path / "b.toml")
    found, broken = discover(content_dirs=(tmp_path,))
    assert [s.path for s in found if s.id == "retro"] == [str(tmp_path / "a.toml")]
    assert broken[0].problems == (
        f"b.toml:4: scenario id 'retro' is already used by {tmp_path / 'a.toml'}",
    )


def write_retro(folder: Path, name: str, sid: str, default: str | None = None) -> None:
    """The example pack as `folder/name` with the id `sid`, saying `default = ...` if given."""
    source = (GOOD / "example.toml").read_text("utf-8").replace('id = "retro"', f'id = "{sid}"')
    if default is not None:
        source = source.replace("[scenario]\n", f"[scenario]\ndefault = {default}\n", 1)
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(source, "utf-8")


def test_the_default_pack_is_the_one_that_says_so(tmp_path: Path) -> None:
    found, _ = discover()
    assert [(s.id, s.default) for s in found] == [("erm", False), ("mars-venus", True)]
    assert default_scenario(found) is found[1]
    assert default_scenario([replace(s, default=False) for s in found]) == found[0]
    assert default_scenario([]) is None

    write_retro(tmp_path / "user", "retro.toml", "retro")
    write_retro(tmp_path / "more", "a.toml", "retro-a", "false")
    write_retro(tmp_path / "more", "b.toml", "retro-b", "true")
    write_retro(tmp_path / "more", "c.toml", "retro-c", "true")
    found, broken = discover(user_dir=tmp_path / "user", content_dirs=(tmp_path / "more",))
    assert broken == []
    assert [s.id for s in found if s.default] == ["mars-venus", "retro-b", "retro-c"]
    chosen = default_scenario(found)  # a pack of one's own wins over a shipped one
    assert chosen is not None and chosen.id == "retro-b"


def test_a_default_that_is_not_true_or_false_is_refused(tmp_path: Path) -> None:
    write_retro(tmp_path, "retro.toml", "retro", '"yes"')
    with pytest.raises(PackError) as caught:
        parse_pack((tmp_path / "retro.toml").read_bytes(), "retro.toml")
    assert caught.value.problems == [
        "retro.toml:4: scenario: field 'default' must be true or false, not text"
    ]


# -- the authoring guide -------------------------------------------------------------------


def test_the_example_in_the_authoring_guide_is_the_committed_example_pack() -> None:
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = doc.split("\n## A complete example\n", 1)[1]
    block = re.search(r"^```toml\n(.*?)^```$", section, re.S | re.M)
    assert block is not None
    assert block.group(1) == (GOOD / "example.toml").read_text(encoding="utf-8")
    scenario = parse_pack((GOOD / "example.toml").read_bytes(), "example.toml")
    assert scenario.id == "retro"
    assert [s.type for s in scenario.steps] == ["brief", "capture", "tag", "agree", "summary"]


def test_the_authoring_guide_documents_every_step_type_and_field() -> None:
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    from workshop import scenario as module
    from workshop.kinds import KINDS

    for step_type, kind in KINDS.items():
        assert f"#### `{step_type}`" in doc
        for field in kind.fields:
            assert f"`{field}`" in doc
    for field in (*module._SCENARIO_FIELDS, *module._STEP_COMMON, *module._TAG_FIELDS):
        assert f"`{field}`" in doc


def test_the_rating_snippet_in_the_guide_is_valid_toml() -> None:
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    snippet = re.findall(r"^```toml\n(.*?)^```$", doc, re.S | re.M)[0]
    example = (GOOD / "example.toml").read_text(encoding="utf-8")
    scenario = parse_pack((example + "\n" + snippet).encode(), "retro.toml")
    assert scenario.steps[-1].type == "rating"
    assert [i.key for i in scenario.steps[-1].items] == ["silos"]


def test_a_side_called_total_is_refused(tmp_path: Path) -> None:
    """'total' holds the counts of all sides in transcripts: a side cannot take the name."""
    source = (GOOD / "example.toml").read_text("utf-8")
    pack = tmp_path / "total.toml"
    pack.write_text(source.replace('key = "business"', 'key = "total"', 1), "utf-8")
    with pytest.raises(PackError) as caught:
        parse_pack(pack.read_bytes(), pack.name)
    assert "the side key 'total' is reserved" in caught.value.problems[0]
    assert caught.value.problems[0].startswith("total.toml:")
