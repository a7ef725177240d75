"""Projector legibility: every text/background pair the audience view uses has 7:1 or more.

Two checks. From the `projector` theme and screens/audience.tcss: each colour the
audience view gives text, on the background. From the screen itself: the audience
view is rendered for every step type (and a pack using every Markdown element), and
each visible character's colour is measured against the cell behind it, with no
`dim` anywhere: 7:1 for text, 3:1 for graphics drawn with box and block characters
(borders, rules, scrollbars; WCAG's non-text contrast). The large clock is drawn with
box characters too; its colours are held to 7:1 by the CSS check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color

from screens.app import build_app
from screens.theme import PROJECTOR
from tests.conftest import Clock
from tests.pilot import room_settles
from workshop.scenario import discover
from workshop.store import Store

MIN_RATIO = 7.0
"""WCAG AAA for normal text."""

MIN_GRAPHIC_RATIO = 3.0
"""WCAG non-text contrast (1.4.11): borders, rules, scrollbars, bars."""


def is_graphic(text: str) -> bool:
    """Box-drawing and block characters only: a border, a rule or a scrollbar, not text."""
    return all(0x2500 <= ord(ch) <= 0x259F or ch == " " for ch in text)


AUDIENCE_CSS = Path(__file__).parent.parent / "screens" / "audience.tcss"

AUDIENCE_TEXT = (
    "foreground",
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "side-0",
    "side-1",
    "side-2",
    "side-3",
    "markdown-h1-color",
    "markdown-h2-color",
    "markdown-h3-color",
    "markdown-h4-color",
    "markdown-h5-color",
    "markdown-h6-color",
)
"""Theme colours the audience view (and the shared styles it reuses) gives text."""


def linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: Color) -> float:
    """WCAG relative luminance."""
    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def ratio(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variables() -> dict[str, str]:
    """The projector theme's CSS variables, as the app resolves them."""
    return {**PROJECTOR.to_color_system().generate(), **PROJECTOR.variables}


def test_wcag_formula() -> None:
    assert ratio(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert ratio(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", AUDIENCE_TEXT)
def test_theme_text_colours_on_the_background(name: str) -> None:
    theme = variables()
    background = Color.parse(theme["background"])
    color = Color.parse(theme[name])
    assert color.a == 1.0, f"${name} is see-through ({theme[name]}): no alpha text"
    assert ratio(color, background) >= MIN_RATIO, f"${name} {theme[name]}"


def test_the_audience_css_uses_only_strong_text() -> None:
    css = re.sub(r"/\*.*?\*/", "", AUDIENCE_CSS.read_text("utf-8"), flags=re.S)
    theme = variables()
    background = Color.parse(theme["background"])
    colors = re.findall(r"(?<![-\w])color:\s*([^;]+);", css)
    assert colors, "the audience view sets its text colours"
    for value in colors:
        value = value.strip()
        assert "%" not in value, f"alpha text: color: {value}"
        assert value.startswith("$"), f"only theme colours: color: {value}"
        name = value[1:]
        assert name not in ("text-muted", "foreground-muted", "text-disabled"), value
        assert ratio(Color.parse(theme[name]), background) >= MIN_RATIO, value
    assert not re.search(r"text-style:[^;]*\bdim\b", css)
    assert not re.search(r"\bopacity\s*:", css) and not re.search(r"\btext-opacity\s*:", css)


# -- the rendered screen ----------------------------------------------------------------

SINK = '''
[scenario]
id = "sink"
version = "1.0.0"
title = "Every Markdown element"
language = "en"
summary = "A pack that uses every Markdown element a pack author might."

[[sides]]
key = "a"
label = "Side A"

[[sides]]
key = "b"
label = "Side B"

[[steps]]
key = "all"
title = "Every element"
type = "brief"
timebox = 5
text = """
# Heading one
## Heading two
### Heading three
#### Heading four
##### Heading five
###### Heading six

Plain, **bold**, *italic*, ~~struck~~, `inline code` and a [link](https://example.org).

> A quotation from the room.

1. first
2. second
   - nested bullet

| Side | Says |
| --- | --- |
| A | we never know |

```
a fenced block
```

---
"""
reveal = "The revealed example, *shown*."
notes = "Never shown."
'''


def cells(app) -> list[tuple[str, Color, Color, bool]]:
    """Every visible character on screen: (text, foreground, background, dim)."""
    update = app.screen._compositor.render_full_update()
    background = Color.parse(variables()["background"])
    found = []
    for line in update.strips:
        for strip in line:
            for segment in strip:
                style = segment.style
                if style is None or not segment.text.strip() or segment.control:
                    continue
                fg = Color.from_rich_color(style.color) if style.color else None
                bg = Color.from_rich_color(style.bgcolor) if style.bgcolor else background
                if style.reverse:
                    fg, bg = bg, fg or background
                found.append((segment.text, fg or Color.parse("white"), bg, bool(style.dim)))
    return found


def seeded(data_dir: Path, pack_dir: Path | None = None) -> tuple[Store, dict[str, str]]:
    """A store holding (open) a Mars & Venus session full of data, an ERM one, and the sink."""
    scenarios = {s.id: s for s in discover(data_dir / "packs", (pack_dir,) if pack_dir else ())[0]}
    store = Store(data_dir, clock=Clock())
    ids = {}
    mv = store.create_session(scenarios["mars-venus"], "Acme [bold]CRM[/] team")
    for index, text in enumerate(["They never show up", "So many requests", "She must flex"]):
        st = store.add_statement(
            mv.id, "marketing" if index % 2 else "it", text, "Sam", step="self-talk"
        )
        store.set_tags(mv.id, st.id, (["roles", "goals", "procedures", "personality"][index],))
    store.add_agreement(mv.id, "One person, rotating", "procedures", "IT director")
    store.set_revealed(mv.id, "venus-brief", True)
    ids["mars-venus"] = mv.id
    erm = store.create_session(scenarios["erm"], "ERM")
    for score, item in enumerate(["burned", "rumours", "ten-definitions", "hostility"]):
        store.set_rating(erm.id, "resistance-map", item, score, "seen it")
    ids["erm"] = erm.id
    if pack_dir is not None:
        sink = store.create_session(scenarios["sink"], "Sink")
        store.set_revealed(sink.id, "all", True)
        ids["sink"] = sink.id
    return store, ids


async def measure(app, what: str) -> list[str]:
    """Render the audience view; say each character below the minimum ratio or dim."""
    problems = []
    for text, fg, bg, dim in cells(app):
        if dim:
            problems.append(f"{what}: dim text {text!r}")
        contrast = ratio(fg, bg)
        if contrast < (MIN_GRAPHIC_RATIO if is_graphic(text) else MIN_RATIO):
            problems.append(f"{what}: {text!r} {fg.hex} on {bg.hex} is {contrast:.2f}:1")
    return problems


async def test_every_rendered_character_of_the_audience_view_has_7_to_1(tmp_path: Path) -> None:
    pack_dir = tmp_path / "packs-extra"
    pack_dir.mkdir()
    (pack_dir / "sink.toml").write_text(SINK, "utf-8")
    data_dir = tmp_path / "data"
    store, ids = seeded(data_dir, pack_dir)
    scenarios = {s.id: s for s in discover(data_dir / "packs", (pack_dir,))[0]}
    problems: list[str] = []
    try:
        for name, sid in ids.items():
            app = build_app(data_dir, content_dirs=(pack_dir,), present=sid)
            async with app.run_test(size=(120, 40)) as pilot:
                for index, step in enumerate(scenarios[name].steps):
                    store.go_to_step(sid, index)
                    if index == 1 and name == "mars-venus":
                        store.set_blank(sid, True)  # the blank screen has no text at all
                        await room_settles(pilot, "blank")
                        assert not cells(app)
                        store.set_blank(sid, False)
                    await room_settles(pilot, "show", step.key)
                    problems += await measure(app, f"{name}/{step.key}")
                    if name == "sink":  # the check reads the real screen
                        shown = "".join(text for text, *_ in cells(app))
                        assert "Heading six" in shown and "we never know" in shown
        store.close_all()  # nobody holds the sessions: the waiting screen
        app = build_app(data_dir, present=ids["mars-venus"])
        async with app.run_test(size=(80, 24)) as pilot:
            await room_settles(pilot, "waiting")
            problems += await measure(app, "waiting")
        app = build_app(data_dir, present="nothing-here")
        async with app.run_test(size=(80, 24)) as pilot:
            await room_settles(pilot, "problem")
            problems += await measure(app, "problem")
    finally:
        store.close_all()
    assert not problems, "\n".join(sorted(set(problems))[:40])
