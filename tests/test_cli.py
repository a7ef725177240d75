"""`workshop list`: what the facilitator reads in a shell, on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.cli import main
from workshop.model import Scenario
from workshop.store import Store


def test_list_says_each_session_newest_first_with_its_count_in_words(
    store: Store, scenarios: dict[str, Scenario], capsys: pytest.CaptureFixture[str]
) -> None:
    one = store.create_session(scenarios["mars-venus"], "Acme CRM team")
    store.add_statement(one.id, "it", "So many requests")
    two = store.create_session(scenarios["erm"], "ERM kick-off")
    for text in ("What is in it for me?", "Another system again"):
        store.add_statement(two.id, "employees", text)
    store.close_all()

    assert main(["--data-dir", str(store.data_dir), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [two.id, one.id]
    assert "2 statements  erm" in lines[0] and lines[0].endswith("ERM kick-off")
    assert "1 statement  mars-venus" in lines[1] and lines[1].endswith("Acme CRM team")
    assert lines[0].index("erm") == lines[1].index("mars-venus")  # the columns line up


def test_list_of_an_empty_store_is_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "data"), "list"]) == 0
    assert capsys.readouterr().out == f"No sessions stored in {tmp_path / 'data'}.\n"
