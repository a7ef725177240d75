"""Store benchmarks: a durable save stays flat from 1 to 1,000 stored sessions.

Every figure is measured in one run, with its baselines alongside:

- `save_ms_1_session`, `save_ms_1000_sessions`: one statement added through
  `Store.add_statement` (on disk, fsynced, before it returns), median of 100, in a data
  dir holding 1 and 1,000 sessions of 50 statements (each added statement is deleted
  again, untimed). Samples of the two alternate, so a slow moment of the disk weighs on
  both alike. Target ratio <= 1.5.
- `naive_tinydb_save_ms_*`: the same insert into stock TinyDB (`JSONStorage`) with every
  session in one file, as the design first measured it; fewer samples, as it is slow.
- `save_vs_raw_fsync_ratio`: our save (1 session) against writing and fsyncing the bytes
  that save wrote, with plain `os` calls: the physical floor. Target <= 3.
- `list_ms_1000_sessions_cold` / `_warm`: the home list with the catalogue missing
  (rebuilt from every file) and present.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from workshop.codec import session_tables
from workshop.model import KeyLabel, Scenario, Session, Statement, StepTime
from workshop.scenario import discover
from workshop.store import Store

SESSIONS = 1000
STATEMENTS = 50
SAMPLES = 100
NAIVE_SAMPLES = 7
TEXT = "Marketing never tells us what the campaign is for, so we guess the fields again"


def template(scenario: Scenario) -> Session:
    """A session of `scenario` holding STATEMENTS statements."""
    start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    sides = [s.key for s in scenario.sides]
    tags = [t.key for t in scenario.tags]
    return Session(
        id="00000000",
        title="Acme CRM implementation, day 1",
        facilitator="Ana",
        organisation="Acme",
        participants=["Lou", "Sam", "Kim"],
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        scenario_title=scenario.title,
        language=scenario.language,
        started_at=start,
        finished_at=None,
        status="in-progress",
        current_step=0,
        sides=[KeyLabel(s.key, s.label) for s in scenario.sides],
        taxonomy=[KeyLabel(t.key, t.label) for t in scenario.tags],
        steps=[StepTime(s.key, s.title, s.type, start, 0.0) for s in scenario.steps],
        statements=[
            Statement(
                id=f"{n:08x}",
                side=sides[n % len(sides)],
                text=f"{TEXT} ({n})",
                speaker="Lou",
                tags=(tags[n % len(tags)],),
                created_at=start + timedelta(seconds=n),
            )
            for n in range(STATEMENTS)
        ],
    )


def fill(data_dir: Path, base: Session, count: int) -> list[str]:
    """Write `count` session files straight into `data_dir`; return their ids."""
    sessions = data_dir / "sessions"
    sessions.mkdir(parents=True, mode=0o700)
    ids = []
    for n in range(count):
        session = replace(base, id=f"{n:08x}", started_at=base.started_at + timedelta(hours=n))
        payload = json.dumps(session_tables(session), ensure_ascii=False, separators=(",", ":"))
        (sessions / f"{session.id}.json").write_text(payload, "utf-8")
        ids.append(session.id)
    return ids


def naive_file(path: Path, base: Session, count: int) -> None:
    """One stock-TinyDB file holding `count` sessions: a meta table and all statements."""
    tables = session_tables(base)
    metas, statements = {}, {}
    for n in range(count):
        metas[str(n + 1)] = {**tables["meta"]["1"], "id": f"{n:08x}"}
        for doc in tables["statements"].values():
            statements[str(len(statements) + 1)] = {**doc, "session": f"{n:08x}"}
    path.write_text(json.dumps({"sessions": metas, "statements": statements}), "utf-8")


def timed_ms(action: Callable[..., object], *args: object) -> float:
    """Milliseconds `action(*args)` takes."""
    started = time.perf_counter()
    action(*args)
    return (time.perf_counter() - started) * 1000


def raw_write(path: Path, payload: bytes) -> None:
    """The floor: write `payload` over `path` and fsync it, with plain os calls."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)


def run() -> Iterator[tuple[str, float]]:
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    base = template(scenario)
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    try:
        one_dir, many_dir = root / "one", root / "many"
        (one_id,) = fill(one_dir, base, 1)
        many_id = fill(many_dir, base, SESSIONS)[SESSIONS // 2]
        naive_one, naive_many = root / "naive-1.json", root / "naive-1000.json"
        naive_file(naive_one, base, 1)
        naive_file(naive_many, base, SESSIONS)
        os.sync()  # let the set-up's writeback not weigh on the first samples

        many = Store(many_dir)
        yield "list_ms_1000_sessions_cold", timed_ms(many.list_sessions)
        yield "list_ms_1000_sessions_warm", timed_ms(Store(many_dir).list_sessions)

        one = Store(one_dir)
        one.open_session(one_id)
        many.open_session(many_id)
        floor_path = root / "raw.json"
        one_ms, many_ms, raw_ms = [], [], []
        for n in range(SAMPLES):
            # Each added statement is deleted again (not timed): sessions stay at 50.
            text = f"{TEXT} #{n}"
            one_ms.append(timed_ms(one.add_statement, one_id, "it", text))
            payload = one.path_of(one_id).read_bytes()  # what that save wrote
            raw_ms.append(timed_ms(raw_write, floor_path, payload))
            one.delete_statement(one_id, one.session(one_id).statements[-1].id)
            many_ms.append(timed_ms(many.add_statement, many_id, "it", text))
            many.delete_statement(many_id, many.session(many_id).statements[-1].id)
        one.close_all()
        many.close_all()

        naive_one_ms, naive_many_ms = [], []
        doc = {**session_tables(base)["statements"]["1"], "session": "00000000"}
        for path, samples in ((naive_one, naive_one_ms), (naive_many, naive_many_ms)):
            table = TinyDB(path, storage=JSONStorage).table("statements")
            for _ in range(NAIVE_SAMPLES):
                samples.append(timed_ms(table.insert, dict(doc)))
            table.storage.close()

        save_1, save_1000 = statistics.median(one_ms), statistics.median(many_ms)
        raw = statistics.median(raw_ms)
        yield "save_ms_1_session", save_1
        yield "save_ms_1000_sessions", save_1000
        yield "save_ratio_1000_vs_1", save_1000 / save_1
        yield "naive_tinydb_save_ms_1_session", statistics.median(naive_one_ms)
        yield "naive_tinydb_save_ms_1000_sessions", statistics.median(naive_many_ms)
        yield "naive_vs_ours_ratio_1000_sessions", statistics.median(naive_many_ms) / save_1000
        yield "raw_fsync_ms", raw
        yield "save_vs_raw_fsync_ratio", save_1 / raw
    finally:
        shutil.rmtree(root, ignore_errors=True)
