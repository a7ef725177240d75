"""The audience view: what the room sees on the projector, following the console.

It reads the session through the store (never writes it, never takes its lock),
re-reading the file whenever its stamp changes, and shows only what the room should
see: no facilitator notes, no hidden example before it is revealed, no other sessions.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Digits, Label, Markdown, Static

from screens.session import clock_text
from screens.steps import SummaryBody, SummaryParts, agreement_content, count_rows
from screens.theme import THEMES
from screens.widgets import (
    Bars,
    Hanging,
    StatementList,
    StepText,
    heat_content,
    let_go_of_removed_widgets,
    lines,
    put,
    side_class,
    side_label,
    tag_labels,
)
from workshop import presence
from workshop.compat import check_resume
from workshop.errors import AmbiguousSessionId, SessionDamaged, SessionNotFound
from workshop.model import Scenario, Session, Statement, Step

POLL_SECONDS = 0.25
"""How often the audience view checks the session file for a change."""

REREAD_EVERY = 8
"""Re-read the file every this many polls even if its stamp looks the same.

Two saves within one tick of the file system's clock that leave the size unchanged
(a tag swapped for one as long) keep the stamp; this bounds how long that can hide.
"""


def statements_of_step(
    session: Session, scenario: Scenario, step: Step, side: str
) -> list[Statement]:
    """The statements of `side` said in capture step `step` (older files: the first capture)."""
    first = next((s.key for s in scenario.steps if s.type == "capture"), None)
    return [
        st
        for st in session.statements_of(side)
        if st.step == step.key or (st.step is None and step.key == first)
    ]


def said(statement: Statement, session: Session) -> Content:
    """A statement as the room reads it in its side's column: speaker, text; tags below."""
    parts: list[Content | str | tuple[str, str]] = ["• "]
    if statement.speaker:
        parts.append((f"{statement.speaker}: ", "italic"))
    parts.append(Content(statement.text))
    if statement.tags:
        parts.append(("\n  " + tag_labels(session, statement.tags), "bold"))
    return Content.assemble(*parts)


# -- the step views -------------------------------------------------------------------


class AudienceView(Vertical):
    """Base of the audience's step views: built for one step, refreshed from each read."""

    def __init__(self, session: Session, scenario: Scenario, step: Step) -> None:
        super().__init__(classes=f"aud-view aud-{step.type}")
        self.session = session
        self.scenario = scenario
        self.step = step

    def on_mount(self) -> None:
        self.show(self.session, 0.0)

    def on_resize(self) -> None:
        for text in self.query(StepText):
            text.fit(self.size)

    def step_text(self) -> ComposeResult:
        """The step's own text, folded to its heading when space is short."""
        if self.step.text:
            yield StepText(self.step.text, "…")

    @property
    def live(self) -> bool:
        """Whether the view shows the step's running time, so is redrawn on every poll."""
        return False

    def show(self, session: Session, elapsed: float) -> None:
        """Show `session` as read; `elapsed` is the time spent in the current step."""
        self.session = session


class BriefAudience(AudienceView):
    """The projected text; the hidden example only once it is revealed."""

    example_shown = False
    """Whether the revealed example is (being) put on screen."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="aud-scroll"):
            yield Markdown(self.step.text, classes="projected")

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
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


class CaptureAudience(AudienceView):
    """One column per side; statements appear as they are captured."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        if self.step.prompt:
            yield Static(Content(self.step.prompt), classes="aud-prompt")
        with Horizontal(classes="aud-columns"):
            for side in self.step.sides:
                with Vertical(classes=f"aud-side {side_class(self.session, side)}"):
                    yield Label("", classes="aud-side-title")
                    with VerticalScroll(classes="aud-side-scroll"):
                        yield Static("", classes="aud-statements")

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
        columns = self.query(".aud-side").results(Vertical)
        for side, column in zip(self.step.sides, columns, strict=False):
            spoken = statements_of_step(session, self.scenario, self.step, side)
            put(
                column.query_one(".aud-side-title", Label),
                Content(f"{side_label(session, side)} · {len(spoken)}"),
            )
            text = lines(
                [said(st, session) for st in spoken],
                "Nothing said yet.",
            )
            body = column.query_one(".aud-statements", Static)
            if put(body, text):
                column.query_one(".aud-side-scroll").scroll_end(animate=False, immediate=False)

    def on_resize(self) -> None:
        """The newest lines stay in view when the window changes size."""
        super().on_resize()
        for scroll in self.query(".aud-side-scroll"):
            scroll.call_after_refresh(scroll.scroll_end, animate=False)


class TagAudience(AudienceView):
    """The statements with their tags, and the counts building up per side."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with Horizontal(classes="aud-tag-body"):
            statements = StatementList(
                self.session, [], with_side=True, id="aud-tagged", classes="aud-tag-list"
            )
            statements.can_focus = False
            yield statements
            with VerticalScroll(classes="aud-tag-side"):
                yield Static("", id="aud-tag-progress")
                yield Bars(id="aud-tag-bars")

    def _statements(self, session: Session) -> list[Statement]:
        source = self.step.source
        if not source:
            return list(session.statements)
        first = next((s.key for s in self.scenario.steps if s.type == "capture"), None)
        return [
            st
            for st in session.statements
            if st.step in source or (st.step is None and source[0] == first)
        ]

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
        taxonomy = self.scenario.taxonomy(self.step.taxonomy)
        keys = {t.key for t in taxonomy.tags} if taxonomy else set()
        statements = self._statements(session)
        tagged = sum(1 for st in statements if keys & set(st.tags))
        shown = self.query_one("#aud-tagged", StatementList)
        shown.session = session
        shown.sync(statements)
        shown.mark(session.spotlight or None)  # the statement under discussion, as a bar
        put(
            self.query_one("#aud-tag-progress", Static),
            Content(f"{tagged} of {len(statements)} statements tagged"),
        )
        if taxonomy is not None:
            self.query_one(Bars).show(count_rows(session, taxonomy.key, self.scenario))


class RatingAudience(AudienceView):
    """Each item with its heat strip and the room's evidence."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with VerticalScroll(classes="aud-scroll"):
            for item in self.step.items:
                with Vertical(classes="aud-rating"):
                    with Horizontal(classes="aud-rating-row"):
                        yield Label(Content(item.label), classes="rating-label")
                        yield Static("", classes="heat")
                    if item.description:
                        yield Static(Content(item.description), classes="aud-rating-text")
                    yield Static("", classes="aud-rating-note")

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
        rows = self.query(".aud-rating").results(Vertical)
        for row, item in zip(rows, self.step.items, strict=False):
            rating = session.rating(self.step.key, item.key)
            score = rating.score if rating else None
            heat = row.query_one(".heat", Static)
            put(heat, heat_content(score, self.step.scale))
            for level in range(4):
                heat.set_class(score is not None and min(score, 3) == level, f"-level-{level}")
            note = row.query_one(".aud-rating-note", Static)
            note.display = bool(rating and rating.note)
            put(note, Content(f"Evidence: {rating.note}" if rating and rating.note else ""))


class AgreeAudience(AudienceView):
    """The step's text and the agreements as they are written."""

    def compose(self) -> ComposeResult:
        yield from self.step_text()
        with VerticalScroll(classes="aud-scroll"):
            yield Label("Agreements", classes="part-title")
            yield Static("", id="aud-agreements")

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
        put(
            self.query_one("#aud-agreements", Static),
            lines([agreement_content(a, session) for a in session.agreements], "None yet."),
        )


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

    def show(self, session: Session, elapsed: float) -> None:
        super().show(session, elapsed)
        parts = self.query_one(SummaryParts)
        parts.show(session, elapsed)
        if session.spotlight != self.part:
            self.part = session.spotlight
            parts.bring_up(session.spotlight, self.query_one(".aud-scroll", VerticalScroll))


AUDIENCE_VIEWS: dict[str, type[AudienceView]] = {
    "brief": BriefAudience,
    "capture": CaptureAudience,
    "tag": TagAudience,
    "rating": RatingAudience,
    "agree": AgreeAudience,
    "summary": SummaryAudience,
}


# -- the screen ---------------------------------------------------------------------------


class AudienceHeader(Horizontal):
    """The step's title and place in the agenda, and its timebox as a large clock."""

    def compose(self) -> ComposeResult:
        with Vertical(id="aud-heading"):
            yield Label("", id="aud-title")
            yield Label("", id="aud-step")
        yield Digits("", id="aud-clock")

    def show(self, session: Session, step: Step, remaining: float) -> None:
        """Show `step` of `session` with `remaining` seconds of its timebox (negative: over)."""
        put(self.query_one("#aud-title", Label), Content(step.title))
        place = f"Step {session.current_step + 1} of {len(session.steps)}"
        timebox = f"{step.timebox:g} min"
        put(
            self.query_one("#aud-step", Label),
            Content(f"{place} · {timebox}" if remaining >= 0 else f"{place} · over the {timebox}"),
        )
        clock = self.query_one("#aud-clock", Digits)
        text = clock_text(remaining) if remaining >= 0 else f"-{clock_text(remaining)}"
        if clock.value != text:
            clock.update(text)
        clock.set_class(remaining < 0, "-over")


def widget_text(widget: Widget) -> str:
    """The text a Markdown, Digits, Label, Static or statement list holds, as plain text
    ("" for others)."""
    if isinstance(widget, StatementList):
        return "\n".join(widget.texts())
    if isinstance(widget, Hanging):
        return widget.text()
    if isinstance(widget, Markdown):
        return widget.source
    if isinstance(widget, Digits):
        return widget.value
    if isinstance(widget, Static):
        return str(widget.content)
    return ""


class AudienceScreen(Screen[None]):
    """The room's window: follows session `session_ref` (an id or a unique prefix).

    It is the app's first screen when presenting; its styles come with the app.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-normal"), (180, "-wide")]

    def __init__(self, session_ref: str) -> None:
        super().__init__()
        self.session_ref = session_ref
        self.session_id: str | None = None
        """The resolved id, once the reference names exactly one stored session."""
        self.session: Session | None = None
        """The session as last read, None while it cannot be read."""
        self.state = "starting"
        """What is shown: "show", "blank", "waiting" or "problem"."""
        self._stamp: tuple[int, int] | None = None
        self._settings_stamp: tuple[int, int] | None = None
        self._polls = 0
        self._view_key: tuple[str, int] | None = None
        self._clock = presence.RoomClock(lambda: self.app.store.monotonic())
        self.scenario: Scenario | None = None
        """The pack of the session shown; None while it cannot be shown."""

    @property
    def store(self):  # noqa: ANN201 - the app's store
        return self.app.store

    def compose(self) -> ComposeResult:
        with Vertical(id="aud-show"):
            yield AudienceHeader(id="aud-header")
            yield Vertical(id="aud-stage")
        with Vertical(id="aud-message"):
            yield Label("", id="aud-message-title")
            yield Static("", id="aud-message-text")
        yield Static("", id="aud-blank")

    async def on_mount(self) -> None:
        self._set_state("starting")
        await self.poll()
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(presence.HEARTBEAT_SECONDS, self._beat)

    def on_unmount(self) -> None:
        if self.session_id is not None:
            presence.leave(presence.heartbeat_path(self.store.sessions_dir, self.session_id))

    # -- following --------------------------------------------------------------------

    async def poll(self) -> None:
        """Check the session file; re-read and redraw when it changed. Never raises."""
        try:
            await self._follow()
        except Exception as error:  # noqa: BLE001 - the room never sees a traceback
            self.log.error("audience view", error)
            self._say(
                "Something went wrong",
                f"The session could not be shown ({type(error).__name__}: {error}). "
                "This screen keeps trying.",
            )

    def _follow_theme(self) -> None:
        """Take the theme the facilitator last chose (the console saves it)."""
        stamp = self.store.settings_stamp()
        if stamp != self._settings_stamp:
            self._settings_stamp = stamp
            theme = self.store.settings().theme
            if theme in THEMES and theme != self.app.theme:
                self.app.theme = theme

    async def _follow(self) -> None:
        self._follow_theme()
        if self.session_id is None:
            try:
                self.session_id = self.store.resolve(self.session_ref)
            except (SessionNotFound, AmbiguousSessionId) as error:
                self._say("No session to show", f"{error} This screen keeps checking.")
                return
        sid = self.session_id
        stamp = self.store.file_stamp(sid)
        if stamp is None:
            self._gone(sid)
            return
        self._polls += 1
        changed = False
        if stamp != self._stamp or self.session is None or self._polls % REREAD_EVERY == 0:
            try:
                session = self.store.load_session(sid)
            except SessionNotFound:
                self._gone(sid)
                return
            except SessionDamaged as error:
                self._stamp, self.session = stamp, None
                self._say(
                    "The session cannot be shown",
                    f"Its file {error.file_name} cannot be read: {error.problem}. "
                    "It was left untouched; this screen keeps checking.",
                )
                return
            self._stamp = stamp
            if session != self.session or self.state in ("problem", "starting"):
                self.session = session
                changed = True
                if not await self._redraw(session):
                    return
        if self.scenario is None:
            return  # the session cannot be shown: its sentence stays until the file changes
        await self._show_state(changed)

    def _gone(self, sid: str) -> None:
        presence.leave(presence.heartbeat_path(self.store.sessions_dir, sid))
        if self.session is not None or self._view_key is not None:
            text = f"Session {sid} was deleted while it was shown."
        else:
            text = f"Session {sid} is not stored (it may have been deleted)."
        self.session, self._stamp = None, None
        self._say("No session to show", f"{text} This screen keeps checking.")

    def _scenario(self, session: Session) -> Scenario | None:
        scenario = self.app.scenarios.get(session.scenario_id)
        if scenario is None:
            self._say(
                "The session cannot be shown",
                f"Its scenario pack '{session.scenario_id}' is not installed here: add it to the "
                "packs folder or pass the same --content-dir as the console.",
            )
            return None
        problems = check_resume(session, scenario)
        if not problems and [s.key for s in session.steps] != [s.key for s in scenario.steps]:
            problems = [f"The pack '{scenario.id}' now has other steps than this session."]
        if problems:
            self._say("The session cannot be shown", " ".join(problems))
            return None
        return scenario

    async def _redraw(self, session: Session) -> bool:
        """Rebuild the step view if the step changed, else refresh it; False on a problem."""
        scenario = self._scenario(session)
        self.scenario = scenario
        if scenario is None:
            self._view_key = None
            return False
        stage = self.query_one("#aud-stage", Vertical)
        key = (scenario.id, session.current_step)
        if key != self._view_key:
            await stage.remove_children()
            let_go_of_removed_widgets(self.app)
            step = scenario.steps[session.current_step]
            await stage.mount(AUDIENCE_VIEWS[step.type](session, scenario, step))
            self._view_key = key
        return True

    async def _show_state(self, changed: bool) -> None:
        session = self.session
        assert session is not None
        holder = self.store.holder(session.id)
        if holder is None:
            self._say(
                "Waiting for the facilitator",
                Content.assemble(
                    Content(session.title),
                    " is not open in the console right now. This screen follows it again "
                    "as soon as the facilitator opens it.",
                ),
                state="waiting",
            )
            return
        if self.state == "starting" or self.state == "problem":
            self._beat()
        assert self.scenario is not None
        elapsed = self._clock.elapsed(session, holder.since, self._now())
        step = self.scenario.steps[session.current_step]
        fresh = changed or self.state not in ("show", "blank")
        for view in self.query_one("#aud-stage").query(AudienceView):
            if fresh or view.live:
                view.show(session, elapsed)
        self.query_one(AudienceHeader).show(session, step, step.timebox * 60 - elapsed)
        self._set_state("blank" if session.blank else "show")

    def _now(self) -> datetime:
        return self.store.clock()

    def _beat(self) -> None:
        if self.session_id is not None and self.session is not None:
            presence.beat(presence.heartbeat_path(self.store.sessions_dir, self.session_id))

    # -- what is on screen ----------------------------------------------------------

    def _say(self, title: str, text: str | Content, state: str = "problem") -> None:
        put(self.query_one("#aud-message-title", Label), Content(title))
        put(
            self.query_one("#aud-message-text", Static),
            text if isinstance(text, Content) else Content(text),
        )
        self._set_state(state)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.query_one("#aud-show").display = state == "show"
        self.query_one("#aud-message").display = state in ("waiting", "problem")
        self.query_one("#aud-blank").display = state == "blank"

    def shown_text(self) -> str:
        """Everything the room can read right now, as plain text (for tests)."""
        parts: list[str] = []
        for widget in self.query("Label, Static, Markdown, Digits, StatementList, Hanging"):
            nodes = [widget, *widget.ancestors]
            if not all(n.display for n in nodes if isinstance(n, Widget)):
                continue
            if any(isinstance(n, Markdown) for n in widget.ancestors):
                continue  # a block of a Markdown, counted with its source
            parts.append(widget_text(widget))
        return "\n".join(parts)
