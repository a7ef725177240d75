"""Sessions to export: built through the real store, shared by the transcript tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workshop.model import Scenario
from workshop.scenario import parse_pack
from workshop.store import Store

MARS_VENUS_1 = Path(__file__).parent / "packs" / "mars-venus-1.0.0.toml"
"""The built-in Mars & Venus pack as it shipped at 1.0.0, before the checklist, poll,
dialogue and reframe steps: a fixture file that no content dir holds."""

PEOPLE = {
    "facilitator": "Zoë Quist",
    "participants": ["Ana Lopez", "Bodil Berg", "Cyrus Vance"],
    "owner": "Dmitri Orlov",
}
"""Names that must vanish under --anonymize (none occurs in the shipped packs)."""


def mars_venus_1() -> Scenario:
    """The Mars & Venus pack at version 1.0.0, loaded as the app loads a pack."""
    return parse_pack(MARS_VENUS_1.read_bytes(), MARS_VENUS_1.name)


def step_at(scenario: Scenario, key: str) -> int:
    """The position of step `key` in `scenario`'s agenda (packs add steps between versions)."""
    return [s.key for s in scenario.steps].index(key)


def mars_venus_session(store: Store, scenario: Scenario, finish: bool = True) -> str:
    """A Mars & Venus session with statements on both sides, tags, edits and agreements."""
    session = store.create_session(
        scenario,
        "Acme CRM kick-off with Ana Lopez",
        facilitator=PEOPLE["facilitator"],
        organisation="Acme Ltd",
        participants=PEOPLE["participants"],
    )
    sid = session.id
    store.go_to_step(sid, step_at(scenario, "self-talk"))
    lines = [
        ("marketing", "Bodil Berg", "This makes me so angry.", ["personality", "roles"]),
        ("marketing", "Ana Lopez", "We agreed on this team.\nYou don't just skip it.", ["goals"]),
        ("it", "Cyrus Vance", "Marketing wants everything yesterday.", ["procedures"]),
        ("it", None, "Two people were on an outage call; that is their job.", ["roles"]),
        ("marketing", None, "If IT cared about CRM — they'd have been there. 💬", []),
        ("it", "Ana Lopez", "Ask ANA LOPEZ and Bodil: they know ✓", ["goals", "roles"]),
    ]
    ids = []
    for side, speaker, text, tags in lines:
        statement = store.add_statement(sid, side, text, speaker=speaker, step="self-talk")
        ids.append(statement.id)
        for tag in tags:
            store.toggle_tag(sid, statement.id, tag)
    store.edit_statement(sid, ids[3], "Two people were on an outage call. That is their job.")
    store.go_to_step(sid, step_at(scenario, "clarity-gaps"))
    store.go_to_step(sid, step_at(scenario, "next-interaction"))
    store.add_agreement(
        sid,
        "Send the agenda two days ahead; Cyrus checks the IT seats",
        tag="procedures",
        owner="Ana Lopez",
        due=date(2026, 12, 1),
        step="next-interaction",
    )
    store.add_agreement(sid, "Name a stand-in for every IT seat", tag="roles", owner="Cyrus")
    store.add_agreement(sid, "Call before escalating", owner=PEOPLE["owner"])
    store.add_agreement(sid, "Meet again in January")
    store.go_to_step(sid, step_at(scenario, "close"))
    if finish:
        store.finish(sid)
    store.close_session(sid)
    return sid


def erm_session(store: Store, scenario: Scenario) -> str:
    """An ERM session with ratings, two taxonomies, statements in two capture steps and
    the readiness asked before and after."""
    session = store.create_session(scenario, "ERM for the sales floor", "Zoë Quist", "Acme Ltd")
    sid = session.id
    store.go_to_step(sid, step_at(scenario, "ready-before"))
    store.set_mark(sid, "ready-before", "not-yet", True, count=6)
    store.set_mark(sid, "ready-before", "cannot-tell", True, count=3)
    store.go_to_step(sid, step_at(scenario, "sweet-spot"))
    store.add_statement(sid, "leaders", "The last roll-out was forced on us", step="sweet-spot")
    store.add_statement(sid, "employees", "Nobody told us why", speaker="Ana Lopez")
    store.go_to_step(sid, step_at(scenario, "resistance-map"))
    store.set_rating(sid, "resistance-map", "rumours", 2, "Heard it at lunch first")
    store.set_rating(sid, "resistance-map", "burned", 3, "Twice in two years\nand again")
    store.set_rating(sid, "resistance-map", "hostility", 0)
    store.go_to_step(sid, step_at(scenario, "know-then-feel"))
    knowledge = scenario.taxonomy("knowledge")
    assert knowledge is not None
    statement = store.add_statement(sid, "employees", "What is in it for me?")
    store.toggle_tag(sid, statement.id, knowledge.tags[0].key)
    store.go_to_step(sid, step_at(scenario, "erm-plan"))
    practices = scenario.taxonomy("practices")
    assert practices is not None
    store.add_agreement(sid, "Monthly open Q&A", tag=practices.tags[0].key, owner="Bodil Berg")
    store.go_to_step(sid, step_at(scenario, "ready-after"))
    store.set_mark(sid, "ready-after", "partly", True, count=5)
    store.set_mark(sid, "ready-after", "ready", True, count=4)
    store.close_session(sid)
    return sid
