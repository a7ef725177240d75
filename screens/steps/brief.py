"""The brief step: projected text, and a hidden example revealed on F3."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from screens.steps.base import AudienceView, StepView
from workshop.model import Session


class BriefView(StepView):
    """Projected text, and a hidden example revealed with F3."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="brief-scroll"):
            yield self.step_title()
            yield Markdown(self.step.text, classes="projected")
            if self.step.reveal:
                yield Static("", id="reveal-hint", classes="hint")
                yield Markdown(self.step.reveal, id="reveal", classes="reveal")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        if not self.step.reveal:
            return
        revealed = self.step.key in self.session.revealed
        self.query_one("#reveal").display = revealed
        self.query_one("#reveal-hint", Static).update(
            Content(
                "The example is shown (F3 hides it)."
                if revealed
                else "An example inner voice is hidden: F3 reveals it once the room has tried."
            )
        )

    def focus_default(self) -> None:
        self.query_one(VerticalScroll).focus()

    def revealed(self) -> None:
        """F3 was pressed: redraw, and scroll to the example when it was revealed."""
        self.refresh_view()
        reveal = self.query_one("#reveal")
        if reveal.display:
            scroll = self.query_one(VerticalScroll)

            def bring_into_view() -> None:
                # The scroll's height is known one refresh after the example's.
                scroll.call_after_refresh(scroll.scroll_to_widget, reveal, animate=False, top=True)

            self.call_after_refresh(bring_into_view)


class BriefAudience(AudienceView):
    """The projected text; the hidden example only once it is revealed."""

    example_shown = False
    """Whether the revealed example is (being) put on screen."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="aud-scroll"):
            yield Markdown(self.step.text, classes="projected")

    def redraw(self, session: Session, elapsed: float) -> None:
        super().redraw(session, elapsed)
        revealed = bool(self.step.reveal) and self.step.key in session.revealed
        if revealed and not self.example_shown:
            self.example_shown = True
            self.run_worker(self._reveal(), group="reveal")
        elif self.example_shown and not revealed:
            self.example_shown = False
            self.workers.cancel_group(self, "reveal")
            self.query("#aud-reveal").remove()  # not even kept in the page while hidden

    async def _reveal(self) -> None:
        """Add the example below the text and scroll to it: the room is meant to read it now."""
        scroll = self.query_one(".aud-scroll", VerticalScroll)
        example = Markdown(id="aud-reveal", classes="reveal")
        await scroll.mount(example)
        await example.update(self.step.reveal)
        self.call_after_refresh(scroll.scroll_end, animate=False)
