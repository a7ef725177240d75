"""Presenting, the core half: the saved step start, the derived clocks, the heartbeat."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workshop import presence
from workshop.model import Scenario, Session
from workshop.store import Store


@pytest.fixture
def mars(store: Store, scenarios: dict[str, Scenario]) -> Session:
    return store.create_session(scenarios["mars-venus"], "Acme CRM, day 1", "Ana")


def test_the_console_saves_when_it_started_timing_the_step(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    created = mars.step_started_at
    assert created is not None
    store.go_to_step(mars.id, 2)
    moved = store.session(mars.id).step_started_at
    assert moved is not None and moved > created
    assert Store(data_dir, clock=clock).load_session(mars.id).step_started_at == moved
    store.close_session(mars.id)
    closed = Store(data_dir, clock=clock).load_session(mars.id)
    assert closed.step_started_at is not None and closed.step_started_at > moved


def test_a_file_without_the_step_start_still_opens(
    store: Store, mars: Session, data_dir: Path, clock: Callable[[], datetime]
) -> None:
    store.close_session(mars.id)
    path = store.path_of(mars.id)
    data = json.loads(path.read_text("utf-8"))
    del data["meta"]["1"]["step_started_at"]
    path.write_text(json.dumps(data), "utf-8")
    again = Store(data_dir, clock=clock)
    assert again.load_session(mars.id).step_started_at is None
    assert again.open_session(mars.id).title == "Acme CRM, day 1"
    again.close_all()


def test_the_step_clock_runs_from_the_later_of_step_start_and_console_opening(
    store: Store, mars: Session
) -> None:
    session = store.load_session(mars.id)
    start = session.step_started_at
    assert start is not None
    now = start + timedelta(seconds=90)
    # Nobody holds the session: the clock stands still at the time saved.
    assert presence.step_elapsed(session, None, now) == session.steps[0].seconds_spent
    # The console opened before the step started: it runs from the step start.
    opened = (start - timedelta(minutes=5)).isoformat()
    assert presence.step_elapsed(session, opened, now) == pytest.approx(90)
    # The console opened later (a resume, which saves nothing): it runs from then.
    opened = (start + timedelta(seconds=60)).isoformat()
    assert presence.step_elapsed(session, opened, now) == pytest.approx(30)
    # A lock time that cannot be read falls back to the step start.
    assert presence.step_elapsed(session, "yesterday", now) == pytest.approx(90)


def test_workshop_times_add_up_every_step(store: Store, mars: Session, scenarios) -> None:
    session = store.load_session(mars.id)
    scenario = scenarios["mars-venus"]
    session.steps[0] = replace(session.steps[0], seconds_spent=60)
    spent, left = presence.workshop_times(session, scenario, current_elapsed=30)
    assert spent == 30  # the current step counts with its live time, not the saved one
    session.current_step = 1
    spent, left = presence.workshop_times(session, scenario, current_elapsed=30)
    assert spent == 90 and left == scenario.minutes * 60 - 90


def test_heartbeat_says_an_audience_view_is_open(tmp_path: Path) -> None:
    path = presence.heartbeat_path(tmp_path, "abcd1234")
    assert path.name == "abcd1234.audience"
    assert not presence.watching(path)
    assert presence.beat(path)
    assert presence.watching(path)
    old = time.time() - presence.GONE_AFTER - 1
    os.utime(path, (old, old))
    assert not presence.watching(path)  # a view that died without a goodbye
    assert presence.beat(path) and presence.watching(path)
    presence.leave(path)
    assert not path.exists()


def test_the_heartbeat_is_as_private_as_the_session(tmp_path: Path) -> None:
    path = presence.heartbeat_path(tmp_path, "abcd1234")
    assert presence.beat(path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_leave_keeps_another_views_heartbeat(tmp_path: Path) -> None:
    path = presence.heartbeat_path(tmp_path, "abcd1234")
    path.write_text(json.dumps({"pid": os.getpid() + 1}), "utf-8")
    presence.leave(path)
    assert path.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_no_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert presence.beat(presence.heartbeat_path(tmp_path, "abcd1234")) is False
    finally:
        tmp_path.chmod(0o700)
