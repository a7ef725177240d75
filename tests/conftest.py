"""Shared fixtures: a real store in a temp data dir, the shipped scenarios, a pinned clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from workshop.files import TEMP_SUFFIX
from workshop.model import Scenario
from workshop.scenario import discover
from workshop.store import Store

OFFSET = timezone(timedelta(hours=1))
"""The pinned clock's zone: the tests' local zone in November (TZ below)."""

# The tests run at UTC+01:00 (a POSIX rule: no zone database needed), whatever the
# machine's zone, so times recorded at OFFSET show without a zone.
os.environ["TZ"] = "CET-1"
time.tzset()


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, 0, tzinfo=OFFSET)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(autouse=True, scope="session")
def _private_state_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Recovery files and crash reports of the tests (and of the apps they start) go to
    a temp dir, never to the user's own state dir."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def scenarios() -> dict[str, Scenario]:
    found, broken = discover()
    assert not broken, broken
    return {s.id: s for s in found}


@pytest.fixture
def store(data_dir: Path, clock: Callable[[], datetime]) -> Store:
    store = Store(data_dir, clock=clock)
    yield store
    store.close_all()


def temp_files(data_dir: Path) -> list[str]:
    """Temp files left in the data dir and its sessions folder."""
    return [
        p.name
        for folder in (data_dir, data_dir / "sessions")
        for p in folder.iterdir()
        if p.name.endswith(TEMP_SUFFIX)
    ]
