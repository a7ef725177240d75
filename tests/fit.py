"""What a step shows at a given size, checked the same way on the console and the room's
view: its title and text on screen, and nothing it owns cut off with no way to scroll."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Markdown

from screens.widgets import StepText, text_summary
from workshop.model import Scenario, Step
from workshop.store import Store

SIZES = [(80, 24), (100, 30), (160, 45)]
"""The laptop's smallest terminal, a projector's usual one, a wide one."""

LONG = "we never agreed on who owns the customer data, so every request becomes a fight"


def fill(store: Store, scenario: Scenario, title: str = "Acme CRM team") -> str:
    """A session of `scenario` with more than any screen holds: 30 statements per capture
    step, six agreements, every item rated with its evidence; its id (left open)."""
    session = store.create_session(scenario, title, "Dana", "Acme", ["Ann", "Bob"])
    sides = [side.key for side in scenario.sides]
    tags = [tag.key for tag in scenario.tags]
    for step in scenario.steps:
        if step.type == "capture":
            for n in range(30):
                said = store.add_statement(
                    session.id, sides[n % len(sides)], f"{n + 1}: {LONG}", "Ann", step=step.key
                )
                if n % 3 == 0 and tags:
                    store.toggle_tag(session.id, said.id, tags[n % len(tags)])
        for item in step.items:
            store.set_rating(session.id, step.key, item.key, 2, f"{item.label}: seen twice")
    for n in range(6):
        store.add_agreement(
            session.id,
            f"Agreement {n + 1}: {LONG}",
            tags[0] if tags else None,
            "Bob",
            date(2027, 1, n + 1),
        )
    return session.id


def screen_text(app: App) -> str:
    """The characters on the terminal, as the room reads them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def on_screen(screen: Screen, widget: Widget) -> bool:
    """Whether all of `widget` is drawn (not scrolled away, not cut off)."""
    geometry = screen._compositor.full_map.get(widget)
    if geometry is None or not geometry.region.area:
        return False
    return geometry.visible_region == geometry.region and screen.region.contains_region(
        geometry.region
    )


def in_view(screen: Screen, widget: Widget) -> bool:
    """Whether `widget` is read where it is: all of it on screen, or (taller than half the
    screen) at least half a screen of it."""
    geometry = screen._compositor.full_map.get(widget)
    if geometry is None:
        return False
    shown = geometry.visible_region.height
    return shown >= min(geometry.region.height, screen.region.height // 2)


def unreachable(screen: Screen, root: Widget) -> list[str]:
    """Widgets under `root` cut off by what holds them where that cannot scroll to them,
    and scrolling parts squeezed below 3 lines."""
    problems = []
    full = screen._compositor.full_map
    for widget, geometry in full.items():
        if root not in widget.ancestors or not geometry.region.area:
            continue
        if widget.is_scrollable and widget.allow_vertical_scroll is not None:
            if widget.styles.overflow_y != "hidden" and widget.region.height < 3:
                problems.append(f"{widget!r} squeezed to {widget.region.height} lines")
        region = geometry.region
        for holder in widget.ancestors:
            if not isinstance(holder, Widget) or holder not in full:
                break
            inside = full[holder].region.shrink(holder.styles.gutter)
            if inside.contains_region(region):
                if holder is root:
                    break
                continue
            scrolls = (
                (region.y < inside.y or region.bottom > inside.bottom)
                and holder.allow_vertical_scroll
            ) or (
                (region.x < inside.x or region.right > inside.right)
                and holder.allow_horizontal_scroll
            )
            if not scrolls:
                problems.append(f"{widget!r} cut off by {holder!r} at {region} in {inside}")
            break
    return problems


def text_shown(screen: Screen, app: App, view: Widget, step: Step) -> list[str]:
    """What is missing of the step's text: all of it, or its one line while folded."""
    if not step.text:
        return []
    folding = list(view.query(StepText))
    if folding:
        text = folding[0]
        shown = text.query_one(".step-text-line") if text.folded else text.query_one(Markdown)
        if not on_screen(screen, shown):
            return [f"the text of {step.key} is not on screen (folded: {text.folded})"]
        first = text_summary(step.text)[:20] if text.folded else ""
        return [] if first in screen_text(app) else [f"{first!r} not on screen"]
    markdown = view.query(Markdown).first()
    geometry = screen._compositor.full_map.get(markdown)
    if geometry is None or not geometry.visible_region.height:
        return [f"the text of {step.key} is not on screen"]
    return []
