"""Export benchmarks: a large session to Markdown, HTML and JSON, each under 200 ms.

- `export_ms_1000_statements_md`, `_html`, `_json`: the median of 9 exports of one
  Mars & Venus session with 1,000 statements (two sides, tags on most, some with two
  lines, a speaker on most) and 50 agreements, from the in-memory Session to the text
  the CLI writes (pack lookup and file writing not included).
- `export_ms_1000_statements_md_anonymized`: the same Markdown export with
  `--anonymize`, which also rewrites names inside every text.
- `import_ms_1000_statements`: `parse_transcript` of the JSON export (checks and
  rebuilds the Session), for scale.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone

from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.model import Agreement, KeyLabel, Scenario, Session, Statement, StepTime
from workshop.scenario import discover
from workshop.transcript import dumps, parse_transcript, to_transcript

STATEMENTS = 1000
AGREEMENTS = 50
RUNS = 9
TARGET_MS = 200.0

_PEOPLE = ["Ana Lopez", "Bodil Berg", "Cyrus Vance", "Dmitri Orlov", "Eve Ng", "Farah Zaki"]
_LINES = [
    "This makes me so angry: two of them skipped the meeting again.",
    "We agreed on this team.\nYou don't just skip it.",
    "Marketing wants everything yesterday & the spec changes weekly <again>.",
    "If IT cared about CRM, they'd have been in the room — 100% sure.",
    "Ask Ana; she knows the [real] reason * why * it slipped.",
]


def large_session(scenario: Scenario) -> Session:
    """A finished session of `scenario` with STATEMENTS statements and AGREEMENTS agreements."""
    start = datetime(2026, 11, 23, 9, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    tags = [t.key for t in scenario.tags]
    sides = [s.key for s in scenario.sides]
    statements = [
        Statement(
            id=f"{i:08x}",
            side=sides[i % len(sides)],
            text=f"{_LINES[i % len(_LINES)]} (#{i})",
            speaker=_PEOPLE[i % len(_PEOPLE)] if i % 7 else None,
            tags=tuple(tags[(i + k) % len(tags)] for k in range(i % 3)),
            created_at=start + timedelta(seconds=5 * i),
            edited_at=start + timedelta(seconds=5 * i + 2) if i % 11 == 0 else None,
        )
        for i in range(STATEMENTS)
    ]
    agreements = [
        Agreement(
            id=f"a{i:07x}",
            text=f"Agreement {i}: send the agenda two days ahead, and say who stands in.",
            tag=tags[i % len(tags)] if i % 4 else None,
            owner=_PEOPLE[i % len(_PEOPLE)] if i % 5 else None,
            due=date(2026, 12, 1) + timedelta(days=i) if i % 3 else None,
            created_at=start + timedelta(hours=2, seconds=30 * i),
        )
        for i in range(AGREEMENTS)
    ]
    return Session(
        id="bench001",
        title="Acme CRM kick-off",
        facilitator="Zoë Quist",
        organisation="Acme Ltd",
        participants=list(_PEOPLE),
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        scenario_title=scenario.title,
        language=scenario.language,
        started_at=start,
        finished_at=start + timedelta(hours=3),
        status="finished",
        current_step=len(scenario.steps) - 1,
        sides=[KeyLabel(s.key, s.label) for s in scenario.sides],
        taxonomy=[KeyLabel(t.key, t.label) for t in scenario.tags],
        steps=[
            StepTime(s.key, s.title, s.type, start + timedelta(minutes=20 * i), 600.0 + 60 * i)
            for i, s in enumerate(scenario.steps)
        ],
        statements=statements,
        agreements=agreements,
    )


def _median_ms(work: Callable[[], object]) -> float:
    work()  # warm up: imports, regex compilation
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run() -> Iterator[tuple[str, float]]:
    """Yield each figure as (name, milliseconds)."""
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    session = large_session(scenario)
    yield "export_ms_1000_statements_md", _median_ms(lambda: to_markdown(session, scenario))
    yield "export_ms_1000_statements_html", _median_ms(lambda: to_html(session, scenario))
    yield "export_ms_1000_statements_json", _median_ms(lambda: dumps(to_transcript(session)))
    yield (
        "export_ms_1000_statements_md_anonymized",
        _median_ms(lambda: to_markdown(session, scenario, anonymize=True)),
    )
    raw = dumps(to_transcript(session)).encode("utf-8")
    yield "import_ms_1000_statements", _median_ms(lambda: parse_transcript(raw, "bench.json"))
