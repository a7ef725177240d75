"""The brief step: projected text, with a hidden example revealed on cue."""

from workshop.kinds.base import StepKind

KIND = StepKind("brief", fields=("reveal",))
