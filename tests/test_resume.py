"""Resuming a session after its pack changed: it fits, or every misfit is said exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from screens.app import build_app
from tests.conftest import Clock
from tests.pilot import go_to, resume, room_settles, shown_text
from tests.transcript_fixtures import mars_venus_1
from workshop.export_md import to_markdown
from workshop.model import Scenario, Session, Step, Tag, Taxonomy
from workshop.resume import check_resume
from workshop.scenario import parse_pack
from workshop.store import Store


@pytest.fixture
def mv(scenarios: dict[str, Scenario]) -> Scenario:
    return scenarios["mars-venus"]


@pytest.fixture
def erm(scenarios: dict[str, Scenario]) -> Scenario:
    return scenarios["erm"]


@pytest.fixture
def session(store: Store, mv: Scenario) -> Session:
    """A Mars & Venus session with two tagged statements and one agreement."""
    s = store.create_session(mv, "Tuesday group")
    venus = store.add_statement(s.id, "marketing", "They never show up.", step="self-talk")
    mars = store.add_statement(s.id, "it", "I cannot spare two people.", step="self-talk")
    store.toggle_tag(s.id, venus.id, "roles")
    store.toggle_tag(s.id, mars.id, "roles")
    store.toggle_tag(s.id, mars.id, "personality")
    store.add_agreement(s.id, "One named IT person plus a rotating second.", tag="procedures")
    return store.session(s.id)


def with_steps(scenario: Scenario, steps: list[Step], version: str = "2.0.0") -> Scenario:
    return replace(scenario, steps=tuple(steps), version=version)


def with_tags(scenario: Scenario, keep: set[str], version: str = "2.0.0") -> Scenario:
    taxonomies = tuple(
        Taxonomy(t.key, t.title, tuple(tag for tag in t.tags if tag.key in keep))
        for t in scenario.taxonomies
    )
    return replace(scenario, taxonomies=taxonomies, version=version)


def test_the_same_pack_always_fits(session: Session, mv: Scenario) -> None:
    assert check_resume(session, mv) == []


def test_a_fresh_session_of_every_shipped_pack_fits(
    store: Store, scenarios: dict[str, Scenario]
) -> None:
    for scenario in scenarios.values():
        assert check_resume(store.create_session(scenario, "x"), scenario) == []


def test_a_new_version_with_changed_text_fits(session: Session, mv: Scenario) -> None:
    steps = [replace(s, title=s.title.upper(), text="new", notes="", timebox=1) for s in mv.steps]
    sides = tuple(replace(side, label=f"{side.label}!") for side in mv.sides)
    changed = replace(with_steps(mv, steps), sides=sides, title="Renamed")
    assert check_resume(session, changed) == []


def test_added_steps_sides_and_tags_fit(session: Session, mv: Scenario) -> None:
    extra = Step("extra", "Extra", "brief", 5.0)
    tags = (*mv.taxonomies[0].tags, Tag("history", "History", "5"))
    bigger = replace(
        with_steps(mv, [*mv.steps, extra]),
        taxonomies=(replace(mv.taxonomies[0], tags=tags),),
        sides=(*mv.sides, replace(mv.sides[0], key="sales", label="Sales")),
    )
    assert check_resume(session, bigger) == []


def test_a_pack_that_is_gone(session: Session) -> None:
    assert check_resume(session, None) == [
        "The pack 'mars-venus' (version 2.0.0) that this session was run with is not "
        "installed any more."
    ]


def test_another_pack(session: Session, erm: Scenario) -> None:
    assert check_resume(session, erm) == [
        "This session was run with the pack 'mars-venus', not 'erm'."
    ]


def test_a_step_that_is_gone(session: Session, mv: Scenario) -> None:
    steps = [s for s in mv.steps if s.key != "rarely-personality"]
    assert check_resume(session, with_steps(mv, steps)) == [
        "The step 'rarely-personality' (It is rarely personality) is no longer in the pack."
    ]


def test_a_step_whose_type_changed(session: Session, mv: Scenario) -> None:
    steps = [replace(s, type="summary") if s.key == "clarity-gaps" else s for s in mv.steps]
    assert check_resume(session, with_steps(mv, steps)) == [
        "The step 'clarity-gaps' (Tag the clarity gaps) was a tag step and is now a summary step."
    ]


def test_a_side_with_statements_that_is_gone(session: Session, mv: Scenario) -> None:
    smaller = replace(mv, sides=mv.sides[:1], version="2.0.0")
    steps = [replace(s, sides=("marketing",)) if s.sides else s for s in mv.steps]
    assert check_resume(session, replace(smaller, steps=tuple(steps))) == [
        "The side 'it' (Mars) is no longer in the pack, and this session has 1 statement from it."
    ]


def test_a_side_without_statements_may_go(store: Store, mv: Scenario) -> None:
    s = store.create_session(mv, "Quiet Mars")
    store.add_statement(s.id, "marketing", "Only Venus spoke.", step="self-talk")
    steps = [replace(st, sides=("marketing",)) if st.sides else st for st in mv.steps]
    smaller = replace(mv, sides=mv.sides[:1], steps=tuple(steps), version="2.0.0")
    assert check_resume(store.session(s.id), smaller) == []


def test_a_capture_step_that_no_longer_captures_a_side(session: Session, mv: Scenario) -> None:
    steps = [replace(s, sides=("marketing",)) if s.key == "self-talk" else s for s in mv.steps]
    assert check_resume(session, with_steps(mv, steps)) == [
        "The step 'self-talk' no longer captures the side 'it', which has 1 statement in it."
    ]


def test_tags_in_use_that_are_gone(session: Session, mv: Scenario) -> None:
    fewer = with_tags(mv, {"goals"})
    assert check_resume(session, fewer) == [
        "The tag 'roles' (Roles) is no longer in the pack, and this session has "
        "2 statements tagged with it.",
        "The tag 'procedures' (Procedures) is no longer in the pack, and this session has "
        "1 agreement tied to it.",
        "The tag 'personality' (Personality) is no longer in the pack, and this session has "
        "1 statement tagged with it.",
    ]


def test_an_unused_tag_may_go(session: Session, mv: Scenario) -> None:
    assert check_resume(session, with_tags(mv, {"roles", "procedures", "personality"})) == []


def test_a_rated_item_that_is_gone(store: Store, erm: Scenario) -> None:
    s = store.create_session(erm, "ERM")
    store.set_rating(s.id, "resistance-map", "rumours", 2, "The grapevine is fast.")
    store.set_rating(s.id, "resistance-map", "burned", 3)
    session = store.session(s.id)
    steps = [
        replace(st, items=tuple(i for i in st.items if i.key != "rumours"))
        if st.key == "resistance-map"
        else st
        for st in erm.steps
    ]
    assert check_resume(session, with_steps(erm, steps)) == [
        "The rating item 'rumours' of the step 'resistance-map' is no longer in the pack, "
        "and this session has a score for it."
    ]


def test_every_misfit_is_listed(session: Session, mv: Scenario) -> None:
    steps = [
        replace(s, type="brief") if s.key == "next-interaction" else s
        for s in mv.steps
        if s.key != "opening"
    ]
    problems = check_resume(session, with_tags(with_steps(mv, steps), {"roles", "procedures"}))
    assert problems == [
        "The step 'opening' (Opening: conflict as a catalyst) is no longer in the pack.",
        "The step 'next-interaction' (The next interaction) was an agree step and is now a "
        "brief step.",
        "The tag 'personality' (Personality) is no longer in the pack, and this session has "
        "1 statement tagged with it.",
    ]


def test_a_pack_reloaded_from_its_edited_file(session: Session) -> None:
    """The check works on packs as parse_pack builds them, not only on edited objects."""
    source = (Path(__file__).parent.parent / "content" / "mars-venus.toml").read_text()
    edited = source.replace('version = "2.0.0"', 'version = "2.1.0"').replace(
        'key = "clarity-gaps"', 'key = "gaps"'
    )
    edited = edited.replace('"Clarity gaps"', '"Gaps in clarity"')
    scenario = parse_pack(edited.encode(), "mars-venus.toml")
    assert scenario.version == "2.1.0" and "gaps" in [s.key for s in scenario.steps]
    assert check_resume(session, scenario) == [
        "The step 'clarity-gaps' (Tag the clarity gaps) is no longer in the pack."
    ]


def test_a_session_run_with_version_1_resumes_on_version_2(tmp_path: Path, mv: Scenario) -> None:
    """The 1.0.0 agenda is kept inside 2.0.0 (new steps added around it): a session started
    before the upgrade still fits, and what the room said and agreed is all there."""
    v1 = mars_venus_1()
    assert (v1.id, v1.version, mv.version) == ("mars-venus", "1.0.0", "2.0.0")
    v1_keys = [s.key for s in v1.steps]
    assert set(v1_keys) < {s.key for s in mv.steps}, "2.0.0 dropped a step of 1.0.0"

    store = Store(tmp_path)
    s = store.create_session(v1, "Before the upgrade", "Zoë", "Acme", ["Ana", "Bo"])
    store.go_to_step(s.id, v1_keys.index("self-talk"))
    venus = store.add_statement(
        s.id, "marketing", "They never show up.", speaker="Ana", step="self-talk"
    )
    mars = store.add_statement(s.id, "it", "I cannot spare two people.", step="self-talk")
    store.go_to_step(s.id, v1_keys.index("clarity-gaps"))
    store.toggle_tag(s.id, venus.id, "roles")
    store.toggle_tag(s.id, mars.id, "procedures")
    store.toggle_tag(s.id, mars.id, "personality")
    store.go_to_step(s.id, v1_keys.index("next-interaction"))
    agreement = store.add_agreement(
        s.id,
        "One named IT person plus a rotating second.",
        tag="procedures",
        owner="Bo",
        due=date(2026, 12, 1),
        step="next-interaction",
    )
    store.close_all()

    later = Store(tmp_path)  # another run of the app, after the upgrade
    session = later.open_session(s.id)
    try:
        assert check_resume(session, mv) == []
        assert session.scenario_version == "1.0.0"
        assert [st.key for st in session.steps] == v1_keys  # its own agenda, not 2.0.0's
        assert session.steps[session.current_step].key == "next-interaction"
        said = [(st.side, st.speaker, st.text, st.tags, st.step) for st in session.statements]
        assert said == [
            ("marketing", "Ana", "They never show up.", ("roles",), "self-talk"),
            ("it", None, "I cannot spare two people.", ("procedures", "personality"), "self-talk"),
        ]
        assert session.agreements == [agreement]
        counts = session.tag_counts()
        assert counts["total"]["procedures"] == 1 and counts["total"]["personality"] == 1

        # exported beside the 2.0.0 pack, the transcript shows all of it
        page = to_markdown(session, mv)
        for text in ("They never show up.", "I cannot spare two people.", "rotating second"):
            assert text in page
    finally:
        later.close_all()

    # and if the pack were gone, the message names the version the session was run with
    assert check_resume(session, None) == [
        "The pack 'mars-venus' (version 1.0.0) that this session was run with is not "
        "installed any more."
    ]


async def test_a_version_1_session_opens_on_version_2_with_the_new_steps(
    tmp_path: Path, mv: Scenario
) -> None:
    """The console opens a 1.0.0 session on the installed 2.0.0 pack: its agenda becomes
    2.0.0's (the new steps not yet entered), it stays on the step it was on with the time
    spent there, and the room's view follows; the stored file says 2.0.0 from then on."""
    data = tmp_path / "data"
    v1 = mars_venus_1()
    store = Store(data, clock=Clock())
    s = store.create_session(v1, "Before the upgrade", "Zoë", "Acme", ["Ana", "Bo"])
    keys = [step.key for step in v1.steps]
    store.go_to_step(s.id, keys.index("self-talk"))
    store.add_statement(s.id, "marketing", "They never show up.", step="self-talk")
    store.go_to_step(s.id, keys.index("rarely-personality"))
    store.close_all()
    spent = Store(data).load_session(s.id).steps[keys.index("self-talk")].seconds_spent

    app = build_app(data, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resume(pilot)
        assert screen.step.key == "rarely-personality"
        assert [step.key for step in screen.session.steps] == [step.key for step in mv.steps]
        room = build_app(data, present=s.id)
        async with room.run_test(size=(100, 30)) as room_pilot:
            await room_settles(room_pilot, step="rarely-personality")
            assert "Step 9 of 14" in shown_text(room.screen)
        await go_to(pilot, "the-call")  # a step 1.0.0 did not have
        assert screen.step.key == "the-call"

    stored = Store(data).load_session(s.id)
    assert stored.scenario_version == mv.version
    assert [step.key for step in stored.steps] == [step.key for step in mv.steps]
    assert stored.steps[[st.key for st in stored.steps].index("self-talk")].seconds_spent == spent
    assert stored.steps[[st.key for st in stored.steps].index("the-call")].entered_at is not None
    assert stored.steps[[st.key for st in stored.steps].index("first-guess")].entered_at is None
    assert [st.text for st in stored.statements] == ["They never show up."]
