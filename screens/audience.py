"""The audience view: what the room sees on the projector, following the console.

It reads the session through the store (never writes it, never takes its lock),
re-reading the file whenever its stamp changes, and shows only what the room should
see: no facilitator notes, no hidden example before it is revealed, no other sessions.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Label, Static

from screens.host import host
from screens.steps import KINDS
from screens.steps.base import AudienceView
from screens.theme import THEMES
from screens.widgets import (
    let_go_of_removed_widgets,
    put,
)
from workshop import presence
from workshop.errors import AmbiguousSessionId, SessionDamaged, SessionNotFound
from workshop.model import Scenario, Session, Step
from workshop.resume import check_resume, on_pack, same_agenda
from workshop.store import Store
from workshop.text import clock_text

POLL_SECONDS = 0.25
"""How often the audience view checks the session file for a change."""


REREAD_EVERY = 8
"""Re-read the file every this many polls even if its stamp looks the same.

Two saves within one tick of the file system's clock that leave the size unchanged
(a tag swapped for one as long) keep the stamp; this bounds how long that can hide.
"""


class AudienceHeader(Horizontal):
    """The step's title and place in the agenda, and its timebox as a large clock."""

    def compose(self) -> ComposeResult:
        with Vertical(id="aud-heading"):
            yield Label("", id="aud-title")
            yield Label("", id="aud-step")
        yield Digits("", id="aud-clock")

    def redraw(self, session: Session, step: Step, remaining: float) -> None:
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
        self._clock = presence.RoomClock(lambda: host(self).store.monotonic())
        self.scenario: Scenario | None = None
        """The pack of the session shown; None while it cannot be shown."""

    @property
    def store(self) -> Store:
        return host(self).store

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
        except Exception as error:  # the room never sees a traceback
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
            session = self._on_installed_pack(session)
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

    def _on_installed_pack(self, session: Session) -> Session:
        """`session` with the agenda of the installed version of its pack when that fits
        (`resume.on_pack`), as the console runs it. `_scenario` says why when it does not."""
        scenario = host(self).scenarios.get(session.scenario_id)
        if scenario is None or same_agenda(session, scenario) or check_resume(session, scenario):
            return session
        return on_pack(session, scenario)

    def _scenario(self, session: Session) -> Scenario | None:
        scenario = host(self).scenarios.get(session.scenario_id)
        if scenario is None:
            self._say(
                "The session cannot be shown",
                f"Its scenario pack '{session.scenario_id}' is not installed here: add it to the "
                "packs folder or pass the same --content-dir as the console.",
            )
            return None
        problems = check_resume(session, scenario)
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
            await stage.mount(KINDS[step.type].room(session, scenario, step))
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
                view.redraw(session, elapsed)
        self.query_one(AudienceHeader).redraw(session, step, step.timebox * 60 - elapsed)
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
