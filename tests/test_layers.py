"""The core never imports textual: it must run without a terminal."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys, workshop\n"
        "for m in pkgutil.walk_packages(workshop.__path__, 'workshop.'):\n"
        "    if m.name != 'workshop.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('textual' in sys.modules, len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    leaked, count = result.stdout.split()
    assert leaked == "False", "a workshop/ module imports textual"
    assert int(count) > 10


def test_cli_help_and_version_do_not_start_the_app() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("workshop ")
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "--help"], capture_output=True, text=True, check=True
    )
    assert "--data-dir" in result.stdout and "export" in result.stdout


def test_every_step_kind_is_complete_in_every_layer() -> None:
    """A kind the core knows has its own module there, a console view and a room's view,
    each its kind's own (a new kind missing one fails here, not when paged into); a kind
    that stores marks or adds a report part says how to check a mark."""
    import pkgutil

    import workshop.kinds
    from screens.steps import KINDS
    from workshop.kinds import KINDS as CORE

    modules = {m.name for m in pkgutil.iter_modules(workshop.kinds.__path__)} - {"base"}
    assert list(KINDS) == list(CORE)
    assert set(CORE) == modules
    for name, spec in CORE.items():
        assert spec.name == name
        assert sys.modules[f"workshop.kinds.{name}"].KIND is spec
    consoles = [kind.console for kind in KINDS.values()]
    rooms = [kind.room for kind in KINDS.values()]
    assert len(set(consoles)) == len(set(rooms)) == len(KINDS)
    for name, kind in KINDS.items():
        assert kind.console.__module__ == kind.room.__module__ == f"screens.steps.{name}"
