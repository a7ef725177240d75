"""The agree step: what the room commits to, with owners and due dates."""

from workshop.kinds.base import StepKind

KIND = StepKind("agree", fields=("taxonomy", "prompt"))
