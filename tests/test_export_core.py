"""workshop.export: the one code path the CLI and the app write transcripts through."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.transcript_fixtures import mars_venus_session
from workshop.errors import ExportExists, WorkshopError
from workshop.export import (
    EXPORT_FOLDER,
    FORMATS,
    default_path,
    export_folder,
    render,
    slug,
    write_export,
)
from workshop.export_html import to_html
from workshop.export_md import to_markdown
from workshop.model import Scenario
from workshop.report import agreement_details, agreement_entry
from workshop.store import Store
from workshop.transcript import dumps, to_transcript


@pytest.fixture
def session(store: Store, scenarios: dict[str, Scenario]):
    return store.load_session(mars_venus_session(store, scenarios["mars-venus"]))


@pytest.mark.parametrize("anonymize", [False, True])
def test_render_is_what_each_writer_gives(
    session, scenarios: dict[str, Scenario], anonymize: bool
) -> None:
    pack = scenarios["mars-venus"]
    assert render(session, "json", anonymize) == dumps(to_transcript(session, anonymize))
    assert render(session, "md", anonymize, pack) == to_markdown(session, pack, anonymize)
    assert render(session, "html", anonymize, pack) == to_html(session, pack, anonymize)
    with pytest.raises(ValueError):
        render(session, "pdf")


def test_slug_and_default_path(session, tmp_path: Path) -> None:
    assert slug("Acme CRM, day 1") == "acme-crm-day-1"
    assert slug("Zoë's  [bold]team[/]") == "zoes-bold-team"
    assert slug("مرحبا", fallback="session-x") == "session-x"
    assert len(slug("word " * 40)) <= 60 and not slug("word " * 40).endswith("-")
    for fmt in FORMATS:
        path = default_path(session, fmt, tmp_path)
        assert path == tmp_path / f"acme-crm-kick-off-with-ana-lopez-2026-11-23.{fmt}"


def test_export_folder_is_created_private_or_falls_back_to_home(tmp_path: Path) -> None:
    folder = export_folder(tmp_path)
    assert folder == tmp_path / EXPORT_FOLDER and folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / EXPORT_FOLDER).write_text("a file where the folder would go")
    assert export_folder(blocked) == blocked


def test_write_export_never_overwrites_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    assert write_export(out, '{"a": "ë"}\n') == out
    assert json.loads(out.read_text(encoding="utf-8")) == {"a": "ë"}
    with pytest.raises(ExportExists) as caught:
        write_export(out, "other")
    assert caught.value.path == out and str(caught.value) == f"{out} already exists."
    assert json.loads(out.read_text(encoding="utf-8")) == {"a": "ë"}
    write_export(out, "other", force=True)
    assert out.read_text() == "other"
    assert sorted(os.listdir(tmp_path)) == ["t.json"]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("missing/t.md", "the folder {parent} does not exist."),
        ("x" * 300 + ".md", "the file name is too long."),
        ("", "is a folder: give the name of a file to write."),
    ],
    ids=["missing folder", "name too long", "a folder"],
)
def test_write_export_failures_are_sentences_and_leave_nothing(
    tmp_path: Path, name: str, sentence: str
) -> None:
    target = tmp_path / name
    with pytest.raises(WorkshopError) as caught:
        write_export(target, "text")
    assert str(caught.value).endswith(sentence.format(parent=target.parent))
    assert os.listdir(tmp_path) == []


def test_every_writer_shows_an_agreements_details_in_one_order(session) -> None:
    """Owner, due date, tag: the console and the room (`agreement_text`), the Markdown and
    the HTML all take them from `report.agreement_details`."""
    from screens.steps.base import agreement_text

    agreement = session.agreements[0]
    entry = agreement_entry(agreement, session)
    details = agreement_details(entry)
    assert [d.kind for d in details] == ["owner", "due", "tag"]
    owner, due, tag = (d.text for d in details)
    said = agreement.text
    assert agreement_text(agreement, session).plain == (
        f"{said}   owner: {owner} · due: {due} · #{tag}"
    )
    assert f"{said} — owner: {owner} · due: {due} · *{tag}*" in to_markdown(session)
    assert (
        f'<span class="meta">owner: <span class="u">{owner}</span> · due: {due} · '
        f'<span class="u">{tag}</span></span>'
    ) in to_html(session)
    bare = agreement_entry(session.agreements[-1], session)
    assert agreement_details(bare) == ()
