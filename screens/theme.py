"""Our themes: `projector` (high contrast, the default) and `paper` (light)."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD84D",
    secondary="#66E0FF",
    accent="#FFD84D",
    warning="#FFB020",
    error="#FF7070",
    success="#6CFF9A",
    foreground="#FFFFFF",
    background="#000000",
    surface="#0B0B0B",
    panel="#1C1C1C",
    dark=True,
    variables={
        "side-0": "#FF9BE4",
        "side-1": "#FFA94D",
        "side-2": "#66E0FF",
        "side-3": "#6CFF9A",
        "muted": "#D0D0D0",
        "markdown-h6-color": "#D0D0D0",
        "footer-key-foreground": "#FFD84D",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD84D",
        "input-selection-background": "#FFD84D 40%",
    },
)
"""White and yellow on black: every text colour has 7:1 contrast or more on the background."""

PAPER = Theme(
    name="paper",
    primary="#00429D",
    secondary="#6B00A8",
    accent="#00429D",
    warning="#8A4B00",
    error="#B00020",
    success="#006B2E",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F4F4F4",
    panel="#E6E6E6",
    dark=False,
    variables={
        "side-0": "#A0006E",
        "side-1": "#8A3B00",
        "side-2": "#00429D",
        "side-3": "#006B2E",
        "muted": "#333333",
        "footer-key-foreground": "#00429D",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-background": "#00429D",
    },
)
"""Black on white for bright rooms."""

THEMES = {theme.name: theme for theme in (PROJECTOR, PAPER)}
