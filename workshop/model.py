"""The domain: scenarios (read from packs) and sessions (what is saved)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class Side:
    """A party in the role-play, e.g. `marketing` ("Venus")."""

    key: str
    label: str
    role: str = ""


@dataclass(frozen=True)
class Tag:
    """A label from a taxonomy, toggled with its `hotkey`."""

    key: str
    label: str
    hotkey: str
    definition: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """A named set of tags, e.g. the four clarity gaps."""

    key: str
    title: str
    tags: tuple[Tag, ...]

    def by_hotkey(self, key: str) -> Tag | None:
        """The tag whose hotkey is `key`, if any."""
        return next((tag for tag in self.tags if tag.hotkey == key), None)


@dataclass(frozen=True)
class Item:
    """One thing a step lists: an item the room rates, or ticks off a checklist."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Step:
    """One stage of the agenda."""

    key: str
    title: str
    type: str
    timebox: float
    """Minutes."""
    text: str = ""
    """Projected Markdown."""
    notes: str = ""
    """Facilitator notes, hidden from the room by default."""
    reveal: str = ""
    """Hidden example shown only once revealed (brief steps)."""
    prompt: str = ""
    sides: tuple[str, ...] = ()
    taxonomy: str | None = None
    source: tuple[str, ...] = ()
    """Capture steps whose statements a tag step walks (empty: all)."""
    scale: int = 3
    items: tuple[Item, ...] = ()
    options: tuple[Item, ...] = ()
    """A poll's answers, when the pack lists them."""
    dots: int = 1
    """How many votes each person has in a poll (more than one: a dot-vote)."""
    show: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A content pack, validated."""

    id: str
    version: str
    title: str
    language: str
    summary: str
    sides: tuple[Side, ...]
    taxonomies: tuple[Taxonomy, ...]
    steps: tuple[Step, ...]
    origin: str = "built-in"
    """Where the pack was found: "built-in", "user" or a content dir."""
    path: str = ""
    default: bool = False
    """The pack says `default = true`: the new-session form offers it first
    (`scenario.default_scenario`)."""

    def side(self, key: str) -> Side:
        """The side called `key`."""
        return next(side for side in self.sides if side.key == key)

    def taxonomy(self, key: str | None) -> Taxonomy | None:
        """The taxonomy called `key`, if any."""
        return next((tax for tax in self.taxonomies if tax.key == key), None)

    @property
    def tags(self) -> tuple[Tag, ...]:
        """Every tag of every taxonomy, in pack order."""
        return tuple(tag for tax in self.taxonomies for tag in tax.tags)

    @property
    def minutes(self) -> float:
        """The sum of all timeboxes."""
        return sum(step.timebox for step in self.steps)


@dataclass(frozen=True)
class Statement:
    """One captured line of a side's self-talk."""

    id: str
    side: str
    text: str
    speaker: str | None
    tags: tuple[str, ...]
    created_at: datetime
    edited_at: datetime | None = None
    step: str | None = None
    """The capture step it was said in."""


@dataclass(frozen=True)
class Agreement:
    """An action or agreement the room commits to."""

    id: str
    text: str
    tag: str | None
    owner: str | None
    due: date | None
    created_at: datetime
    step: str | None = None


@dataclass(frozen=True)
class Rating:
    """The room's score (0..scale) for one item of a rating step."""

    step: str
    item: str
    score: int
    note: str = ""


@dataclass(frozen=True)
class Turn:
    """One line of a role-played dialogue: a side, what was said, and what was thought
    but not said (the left-hand column)."""

    id: str
    step: str
    """The dialogue step it was said in."""
    side: str
    said: str
    thought: str
    """"" when the speaker thought nothing worth noting."""
    private: bool
    """A private thought never reaches the room, nor a transcript unless asked for."""
    revealed: bool
    """Whether the room has been shown the thought (a private one: never)."""
    tags: tuple[str, ...]
    """Tags of the thought, from the step's taxonomy."""
    created_at: datetime
    speaker: str | None = None
    edited_at: datetime | None = None


@dataclass(frozen=True)
class Mark:
    """What a step records about one of its items when its kind has no table of its own:
    a ticked checklist item, a poll's count for an option, a reframe of a line."""

    step: str
    item: str
    """A key of the step's items, or the id of the turn or statement it is about."""
    at: datetime
    """When it was last changed."""
    value: str = ""
    """Text the mark holds, e.g. the reframed line."""
    count: int = 0
    """A number the mark holds, e.g. the hands raised for a poll's option."""


@dataclass(frozen=True)
class KeyLabel:
    """A key with its label, as a session remembers its sides, tags and items."""

    key: str
    label: str


@dataclass(frozen=True)
class StepTime:
    """One step of the agenda as a session remembers it, with the time spent in it."""

    key: str
    title: str
    type: str
    entered_at: datetime | None
    seconds_spent: float
    items: tuple[KeyLabel, ...] = ()
    """The step's items, for kinds that remember them (see StepKind.remember)."""


@dataclass
class Session:
    """One run of a scenario with one group: what is saved and exported."""

    id: str
    title: str
    facilitator: str
    organisation: str
    participants: list[str]
    scenario_id: str
    scenario_version: str
    scenario_title: str
    language: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    """"in-progress" or "finished"."""
    current_step: int
    sides: list[KeyLabel]
    taxonomy: list[KeyLabel]
    steps: list[StepTime]
    statements: list[Statement] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    """Keys of steps whose hidden example has been revealed."""
    blank: bool = False
    """Whether the room's screen is blanked."""
    spotlight: str = ""
    """What the room's view points at in the current step: the id of the statement being
    tagged, or the summary part under discussion ("" for none: the top)."""
    step_started_at: datetime | None = None
    """Wall-clock time the console last started timing the current step (None in old files).

    The step's time is `seconds_spent` plus the time since the later of this and the
    moment the console opened the session; the audience view derives its clock from it.
    """
    updated_at: datetime | None = None

    def statements_of(self, side: str) -> list[Statement]:
        """The statements of `side`, in the order they were said."""
        return [st for st in self.statements if st.side == side]

    def tag_label(self, key: str) -> str:
        """The label of tag `key`; the key itself for a tag the session does not list."""
        return next((t.label for t in self.taxonomy if t.key == key), key)

    def said_in(self, steps: Collection[str], side: str | None = None) -> list[Statement]:
        """The statements said in the capture steps `steps` (of `side`, when given), in
        order; one with no step (files older than the field) belongs to the first."""
        first = next((s.key for s in self.steps if s.type == "capture"), None)
        return [
            st
            for st in self.statements
            if (side is None or st.side == side)
            and (st.step in steps if st.step is not None else first in steps)
        ]

    def agreed_in(self, steps: Collection[str]) -> list[Agreement]:
        """The agreements made in the agree steps `steps`, in order; one with no step
        (files older than the field) belongs to the first agree step."""
        first = next((s.key for s in self.steps if s.type == "agree"), None)
        return [
            ag
            for ag in self.agreements
            if (ag.step in steps if ag.step is not None else first in steps)
        ]

    def tag_counts(self, tag_keys: list[str] | None = None) -> dict[str, dict[str, int]]:
        """Tag counts per side and in `"total"`; every side and tag present, zeros included."""
        keys = tag_keys if tag_keys is not None else [t.key for t in self.taxonomy]
        counts: dict[str, dict[str, int]] = {}
        total: Counter[str] = Counter()
        for side in self.sides:
            per_side: Counter[str] = Counter()
            for st in self.statements_of(side.key):
                per_side.update(tag for tag in st.tags if tag in keys)
            counts[side.key] = {key: per_side[key] for key in keys}
            total.update(per_side)
        counts["total"] = {key: total[key] for key in keys}
        return counts

    def without_private(self) -> Session:
        """A copy without the text and tags of private thoughts (what leaves the laptop
        unless the export asks for them)."""
        turns = [replace(t, thought="", tags=()) if t.private else t for t in self.turns]
        return replace(self, turns=turns)

    def turns_in(self, step: str) -> list[Turn]:
        """The turns of dialogue step `step`, in the order they were said."""
        return [turn for turn in self.turns if turn.step == step]

    def marks_in(self, step: str) -> list[Mark]:
        """The marks of step `step`, in the order they were first made."""
        return [mark for mark in self.marks if mark.step == step]

    def mark(self, step: str, item: str) -> Mark | None:
        """The mark on `item` in `step`, if any."""
        return next((m for m in self.marks if m.step == step and m.item == item), None)

    def rating(self, step: str, item: str) -> Rating | None:
        """The rating given to `item` in `step`, if any."""
        return next((r for r in self.ratings if r.step == step and r.item == item), None)


@dataclass(frozen=True)
class Settings:
    """What the app remembers across restarts, for every session (settings.json)."""

    theme: str = "projector"
    """The theme last chosen in the palette; the room's view follows it while presenting."""


@dataclass(slots=True)
class SessionSummary:
    """A line of the home list: enough to show, without loading the transcript."""

    id: str
    title: str
    scenario_id: str
    scenario_title: str
    started_at: datetime
    status: str
    statement_count: int


@dataclass(frozen=True)
class DamagedFile:
    """A session file that could not be read, left untouched."""

    name: str
    problem: str
    advice: str = (
        "It was left untouched. Restore it from a backup, or move it out of the "
        "sessions folder to hide this line."
    )
