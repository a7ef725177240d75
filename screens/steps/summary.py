"""The summary step: counts, time, agreements and ratings, part by part."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Markdown

from screens.host import console_of
from screens.steps.base import AudienceView, StepView, agreement_text, count_rows
from screens.steps.poll import Ranking, ranking_rows
from screens.widgets import (
    Bars,
    Hanging,
    heat_content,
)
from workshop.kinds.poll import agreements_by_dots
from workshop.model import Scenario, Session, Step


class SummaryView(StepView):
    """The room's own data: counts, time per step, agreements, ratings."""

    BINDINGS = [
        Binding("x", "export", "Export", id="export", tooltip="Export the transcript to a file"),
        Binding(
            "tab",
            "part(1)",
            "Next part",
            id="next-part",
            tooltip="Bring the next part to the top, here and on the room's view",
        ),
        Binding("shift+tab", "part(-1)", "Previous part", id="previous-part", show=False),
    ]

    part = ""
    """The part brought to the top (Tab), "" for the top of the page."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Export is offered in the summary that closes the workshop, the last step."""
        if action == "export":
            return self.step.key == self.scenario.steps[-1].key
        return True

    def action_export(self) -> None:
        console_of(self).action_export()

    def action_part(self, delta: int) -> None:
        """Bring the next (or previous) part to the top, and the room's view with it;
        past the last part, back to the top of the page."""
        stops = ["", *self.step.show]
        part = stops[(stops.index(self.part) + delta) % len(stops)]
        self._spotlight(part)
        self.point_room(part)

    def _spotlight(self, part: str) -> None:
        self.part = part
        self.query_one(SummaryParts).bring_up(part, self.query_one(VerticalScroll))

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="summary-scroll"):
            yield self.step_title()
            with SummaryBody(classes="summary-body"):
                if self.step.text:
                    yield Markdown(self.step.text, classes="projected summary-text")
                yield SummaryParts(self.step, self.scenario)

    def on_mount(self) -> None:
        self.refresh_view()

    def focus_default(self) -> None:
        self.query_one(VerticalScroll).focus()

    def refresh_view(self) -> None:
        self.query_one(SummaryParts).redraw(self.session, console_of(self).elapsed())

    def resume(self) -> None:
        self.refresh_view()
        self._spotlight("")  # the step starts at the top, on the room's view too


class SummaryBody(Horizontal):
    """A summary's text beside its parts; one above the other when narrower than
    `STACK_BELOW` (notes open while presenting), so the bars keep room for their counts."""

    STACK_BELOW = 90

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.STACK_BELOW, "-stacked")


class SummaryParts(Vertical):
    """What a summary step shows of the room's own data, in the pack's order: counts per
    side, time per step, agreements, ratings. Used by the console and the audience view."""

    def __init__(self, step: Step, scenario: Scenario) -> None:
        super().__init__(classes="summary-parts")
        self.step = step
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        for part in self.step.show:
            yield Label(self.title(part), classes=f"part-title part-{part}")
            if part == "counts":
                yield Bars(classes="summary-counts")
            elif part == "polls":
                for step in self.polls:
                    if len(self.polls) > 1:
                        yield Label(Content(step.prompt or step.title), classes="poll-question")
                    yield Ranking(classes="summary-poll")
            else:
                yield Hanging(PART_EMPTY.get(part, ""), classes=f"summary-{part}")

    @property
    def polls(self) -> list[Step]:
        """The poll steps before this summary, in order."""
        keys = [s.key for s in self.scenario.steps]
        before = self.scenario.steps[: keys.index(self.step.key)] if self.step.key in keys else ()
        return [s for s in before if s.type == "poll"]

    def title(self, part: str) -> str:
        """The heading of `part`; the ratings are headed by the pack's rating steps, the
        polls by the question of the only one (several: each has its question)."""
        if part == "ratings":
            named = [s.title for s in self.scenario.steps if s.type == "rating" and s.title]
            return " · ".join(named) or PART_TITLES[part]
        if part == "polls" and len(self.polls) == 1:
            return self.polls[0].prompt or self.polls[0].title
        return PART_TITLES[part]

    def bring_up(self, part: str, scroll: VerticalScroll) -> None:
        """Mark the title of `part` as the one under discussion and scroll it to the top
        of `scroll` once the parts are drawn ("" or no such part: the top of the page)."""
        found = None
        for title in self.query(".part-title").results(Label):
            here = title.has_class(f"part-{part}")
            title.set_class(here, "-spotlight")
            found = title if here else found
        if found is None:
            scroll.scroll_home(animate=False)
        else:
            self.call_after_refresh(scroll.scroll_to_widget, found, animate=False, top=True)

    def redraw(self, session: Session, elapsed: float) -> None:
        """Fill the parts from `session`; `elapsed` is the time spent in the current step."""
        show = self.step.show
        if "counts" in show and self.step.taxonomy:
            self.query_one(".summary-counts", Bars).redraw(
                count_rows(session, self.step.taxonomy, self.scenario)
            )
        if "time" in show:
            rows = []
            for index, (time, step) in enumerate(
                zip(session.steps, self.scenario.steps, strict=False)
            ):
                spent = elapsed if index == session.current_step else time.seconds_spent
                minutes = f"{spent / 60:.1f} of {step.timebox:g} min"
                rows.append((Content(f"{index + 1:>2}. "), Content(f"{time.title} · {minutes}")))
            self.query_one(".summary-time", Hanging).redraw(rows)
        if "agreements" in show:
            self.query_one(".summary-agreements", Hanging).redraw(
                [
                    (Content("☐ "), agreement_text(agreement, session, dots))
                    for agreement, dots in agreements_by_dots(session)
                ]
            )
        if "ratings" in show:
            rows = []
            for step in self.scenario.steps:
                for item in step.items:
                    rating = session.rating(step.key, item.key)
                    heat = heat_content(rating.score if rating else None, step.scale)
                    rows.append((heat.pad_right(2), Content(item.label)))
            self.query_one(".summary-ratings", Hanging).redraw(rows)
        if "polls" in show:
            rankings = self.query(".summary-poll").results(Ranking)
            for ranking, step in zip(rankings, self.polls, strict=True):
                ranking.redraw(ranking_rows(session, step))


PART_EMPTY = {"agreements": "No agreements yet.", "ratings": "Nothing rated."}
"""What a summary part says while it has nothing to show."""


PART_TITLES = {
    "counts": "The room's tags, per side",
    "time": "Time per step",
    "agreements": "Agreements",
    "ratings": "Ratings",
    "polls": "The room's answers",
}


class SummaryAudience(AudienceView):
    """The room's own data: counts, time per step, agreements, ratings; the part the
    facilitator brings to the top (Tab on the console) at the top here too."""

    part = ""

    @property
    def live(self) -> bool:
        return "time" in self.step.show

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="aud-scroll"):
            with SummaryBody(classes="summary-body"):
                if self.step.text:
                    yield Markdown(self.step.text, classes="projected summary-text")
                yield SummaryParts(self.step, self.scenario)

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        parts = self.query_one(SummaryParts)
        parts.redraw(session, elapsed)
        if session.spotlight != self.part:
            self.part = session.spotlight
            parts.bring_up(session.spotlight, self.query_one(".aud-scroll", VerticalScroll))
