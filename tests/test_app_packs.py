"""Content-driven workshops through the real app: ERM end to end, packs from a folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import Select

from screens.app import build_app
from screens.session import SessionScreen
from screens.steps.rating import RatingView
from tests.conftest import Clock
from tests.pilot import go_to, type_line, type_text
from workshop.transcript import dumps, to_transcript

PACKS = Path(__file__).parent / "packs"


async def start(pilot, scenario_id: str, title: str) -> SessionScreen:
    await pilot.press("n")
    await pilot.pause()
    pilot.app.screen.query_one("#scenario", Select).value = scenario_id
    await pilot.pause()
    await pilot.click("#title")
    await type_line(pilot, title)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    assert screen.scenario.id == scenario_id
    return screen


async def test_erm_workshop_end_to_end(data_dir: Path) -> None:
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await start(pilot, "erm", "Acme people side")
        session_id = screen.session_id
        await go_to(pilot, "sweet-spot")
        await type_line(pilot, "Nobody explained why we change")
        await pilot.press("tab")
        await type_line(pilot, "The old system still holds the data")

        await go_to(pilot, "resistance-map")
        assert isinstance(app.screen.query_one(RatingView), RatingView)
        await pilot.press("3")  # burned: strongly
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "The ERP roll-out in 2019")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "2", "down", "down", "0")
        await pilot.pause()
        heat = str(app.screen.query(".heat").first().render())
        assert "3/3" in heat

        await go_to(pilot, "know-then-feel")
        await pilot.press("shift+tab", *"Sales reps", "enter")
        await type_line(pilot, "Will my bonus depend on CRM data?")
        await pilot.press("escape")  # to the list, on that line
        await pilot.pause()
        await pilot.press("5", "4")  # results, metrics
        await pilot.pause()

        await go_to(pilot, "erm-plan")
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#tag", Select).value = "share"
        await pilot.click("#text")
        await type_text(pilot, "Monthly CRM news in the team meeting")
        await pilot.click("#owner")
        await pilot.press(*"HR lead", "tab", *"2026-12-15", "enter")
        await pilot.pause()
        await go_to(pilot, "close")
        await pilot.press("pagedown")
        await pilot.pause()
        session = app.store.session(session_id)
        assert session.status == "finished"

    ratings = {(r.item, r.score, r.note) for r in session.ratings}
    assert ratings == {
        ("burned", 3, "The ERP roll-out in 2019"),
        ("rumours", 2, ""),
        ("hostility", 0, ""),
    }
    know = [s for s in session.statements if s.step == "know-then-feel"]
    assert [(s.speaker, s.text, s.tags) for s in know] == [
        ("Sales reps", "Will my bonus depend on CRM data?", ("results", "metrics"))
    ]
    assert [s.step for s in session.statements].count("sweet-spot") == 2
    [agreement] = session.agreements
    assert (agreement.tag, agreement.owner, str(agreement.due)) == (
        "share",
        "HR lead",
        "2026-12-15",
    )

    transcript = json.loads(dumps(to_transcript(session)))
    assert {(r["item"], r["score"]) for r in transcript["ratings"]} == {
        ("burned", 3),
        ("rumours", 2),
        ("hostility", 0),
    }
    assert transcript["agreements"][0]["tag"] == "share"
    assert transcript["summary"]["tag_counts"]["total"]["results"] == 1


async def test_a_pack_from_a_content_dir_is_offered_and_runs(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(PACKS / "good" / "example.toml", folder / "retro.toml")
    app = build_app(data_dir, content_dirs=(folder,), clock=Clock())
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        options = [str(prompt) for prompt, _ in app.screen.query_one(Select)._options]
        assert any(o.startswith("Retrospective: the last roll-out sprint") for o in options)
        await pilot.press("escape")
        await pilot.pause()
        screen = await start(pilot, "retro", "Sprint 12")
        steps = [s.key for s in screen.scenario.steps]
        for key in steps:
            await go_to(pilot, key)
            assert app.screen.step.key == key
            if app.screen.step.type == "capture":
                await type_line(pilot, "The hand-over to support was late")
        await pilot.press("pagedown")
        await pilot.pause()
        session = app.store.session(screen.session_id)
        assert session.status == "finished"
        assert [s.text for s in session.statements] == ["The hand-over to support was late"]


async def test_the_new_session_form_starts_on_the_default_pack(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    source = (PACKS / "good" / "example.toml").read_text("utf-8")
    (folder / "retro.toml").write_text(
        source.replace("[scenario]\n", "[scenario]\ndefault = true\n")
    )
    for content_dirs, expected in (((), "mars-venus"), ((folder,), "retro")):
        app = build_app(data_dir, content_dirs=content_dirs, clock=Clock())
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.press("n")
            await pilot.pause()
            assert app.screen.query_one("#scenario", Select).value == expected
            summary = str(app.screen.query_one("#scenario-summary").render())
            assert summary.startswith(app.scenarios[expected].summary[:40])


async def test_broken_packs_are_named_in_the_app_and_the_rest_still_work(data_dir: Path) -> None:
    bad = PACKS / "bad"
    app = build_app(data_dir, content_dirs=(bad,), clock=Clock())
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#home-problem-lines").render())
        for path in sorted(bad.glob("*.toml")):
            assert f"Scenario pack not loaded: {path.name}" in problems, path.name
        assert "Traceback" not in problems
        screen = await start(pilot, "mars-venus", "Still fine")
        assert screen.step.key == "opening"
