"""Where the app keeps its data by default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    """`WORKSHOP_DATA_DIR`, else the platform's user data dir."""
    env = os.environ.get("WORKSHOP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workshop", appauthor=False))
