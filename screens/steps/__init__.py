"""The step kinds of the UI, one module each, gathered here: each kind's console view and
its view for the room. `KINDS` is the one registry; a test holds it against the core's
step types and the pack checker's fields."""

from __future__ import annotations

from dataclasses import dataclass

from screens.steps.agree import AgreeAudience, AgreeView
from screens.steps.base import AudienceView, StepView
from screens.steps.brief import BriefAudience, BriefView
from screens.steps.capture import CaptureAudience, CaptureView
from screens.steps.checklist import ChecklistAudience, ChecklistView
from screens.steps.dialogue import DialogueAudience, DialogueView
from screens.steps.poll import PollAudience, PollView
from screens.steps.rating import RatingAudience, RatingView
from screens.steps.reframe import ReframeAudience, ReframeView
from screens.steps.summary import SummaryAudience, SummaryView
from screens.steps.tag import TagAudience, TagView


@dataclass(frozen=True)
class Kind:
    """How one step kind shows: on the console, and to the room."""

    console: type[StepView]
    room: type[AudienceView]


KINDS: dict[str, Kind] = {
    "brief": Kind(BriefView, BriefAudience),
    "capture": Kind(CaptureView, CaptureAudience),
    "tag": Kind(TagView, TagAudience),
    "rating": Kind(RatingView, RatingAudience),
    "agree": Kind(AgreeView, AgreeAudience),
    "summary": Kind(SummaryView, SummaryAudience),
    "checklist": Kind(ChecklistView, ChecklistAudience),
    "dialogue": Kind(DialogueView, DialogueAudience),
    "reframe": Kind(ReframeView, ReframeAudience),
    "poll": Kind(PollView, PollAudience),
}
"""Every step kind, by the type name packs use."""
