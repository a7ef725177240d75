"""The key bar and the legends: whole entries only, in order of importance."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import HelpPanel

from screens.app import build_app
from screens.widgets import KeyBar, Legend, LineInput
from tests.conftest import Clock
from tests.pilot import go_to, resume, run_command, seed_session, until


def bar_text(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


def descriptions(app) -> list[str]:
    return [description for _, _, description, _ in app.screen.query_one(KeyBar).shown()]


@pytest.mark.parametrize("columns", [80, 100, 120])
async def test_keys_that_do_not_fit_are_left_out_whole(data_dir: Path, columns: int) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(columns, 30)) as pilot:
        await resume(pilot)
        bar = app.screen.query_one(KeyBar)
        text = bar_text(app)
        assert len(text) <= columns
        # Every key drawn is drawn whole: the text is exactly the shown keys, one by one.
        assert text == "".join(f" {key} {description} " for _, key, description, _ in bar.shown())
        shown = descriptions(app)
        assert shown[-1] == "palette"
        assert shown[:3] == ["Switch side", "Speaker", "Select / type"]  # the step's own first
        # In order of importance; a key is left out only when it would not fit.
        assert shown[:-1] == [d for _, _, d, _ in bar.keys if d in shown]
        for _, key, description, _ in bar.keys:
            if description not in shown:
                assert len(text) + len(f" {key} {description} ") > columns


async def test_all_keys_show_on_a_wide_screen_and_in_the_palette(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(200, 40)) as pilot:
        await resume(pilot)
        bar = app.screen.query_one(KeyBar)
        assert len(bar.shown()) == len(bar.keys) + 1
        await run_command(pilot, "Keys")
        await until(pilot, lambda: bool(app.screen.query(HelpPanel)), "the keys panel")


async def test_reveal_is_offered_only_where_there_is_something_to_reveal(data_dir: Path) -> None:
    seed_session(data_dir, "venus-brief")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(160, 40)) as pilot:
        await resume(pilot)
        assert "Reveal" in descriptions(app)
        await go_to(pilot, "self-talk")
        await pilot.pause()
        assert "Reveal" not in descriptions(app)
        assert "Next" in descriptions(app)


async def test_the_agreement_keys_read_as_the_hint_says(data_dir: Path) -> None:
    seed_session(data_dir, "next-interaction")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(160, 40)) as pilot:
        await resume(pilot)
        assert " d Delete " in bar_text(app)
        assert "d deletes" in str(app.screen.query_one("#agree-hint").render())


async def test_speaker_and_side_are_kept_when_the_facilitator_comes_back(data_dir: Path) -> None:
    seed_session(data_dir, "self-talk")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await resume(pilot)
        await pilot.press("tab", "shift+tab", *"Sam", "enter")
        await go_to(pilot, "clarity-gaps")
        await go_to(pilot, "self-talk")
        assert screen.view.query_one("#speaker", LineInput).value == "Sam"
        assert str(screen.view.query_one("#capture-side").render()) == "adding to Mars ▸"


@pytest.mark.parametrize("columns", [80, 100, 120])
async def test_the_tag_legend_never_breaks_inside_an_entry(data_dir: Path, columns: int) -> None:
    seed_session(data_dir, "clarity-gaps")
    app = build_app(data_dir, clock=Clock())
    async with app.run_test(size=(columns, 30)) as pilot:
        await resume(pilot)
        legend = app.screen.view.query_one(Legend)
        region = app.screen.find_widget(legend).region
        drawn = [strip.text.strip() for strip in legend.render_lines(legend.outer_size.region)]
        entries = ["1 Roles", "2 Goals", "3 Procedures", "4 Personality"]
        assert all(line.split("   ") for line in drawn)
        shown = [part for line in drawn for part in line.split("   ") if part]
        assert shown[:4] == entries  # each entry whole, on one line, in order
        assert region.height == len(drawn)
