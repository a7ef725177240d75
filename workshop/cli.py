"""The `workshop` command: the composition root. It imports the Textual app lazily."""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workshop import __version__
from workshop.errors import WorkshopError
from workshop.paths import default_data_dir
from workshop.text import counted, local_time, printable

if TYPE_CHECKING:  # imported lazily where they are used, to keep the command quick to start
    from _typeshed import SupportsWrite

    from workshop.model import Scenario, Session
    from workshop.store import Store

EXIT_USAGE = 2


def say(text: str, error: bool = False) -> None:
    """Print one message of the command line, made safe for the terminal (`printable`)."""
    print(printable(text), file=sys.stderr if error else sys.stdout)


_JSON_UNPRINTABLE = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def say_json(data: object) -> None:
    """Print `data` as JSON (UTF-8 characters kept), with DEL, C1 controls and lone
    surrogates written as \\u escapes (json escapes the C0 ones itself)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    print(_JSON_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages echo the arguments given, printed through `printable`."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(printable(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workshop",
        description="Run facilitated workshops (Mars & Venus, ERM) on a projected terminal.",
    )
    parser.add_argument("--version", action="version", version=f"workshop {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="PATH",
        help="where sessions are stored (default: $WORKSHOP_DATA_DIR, "
        "else the platform's user data dir)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on a crash, show Textual's own traceback (with the session's local variables) "
        "instead of one sentence and a crash report",
    )
    parser.add_argument(
        "--content-dir",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="a folder of extra scenario packs (repeatable)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = sub.add_parser("list", help="list stored sessions")
    listing.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", help="export a session's transcript")
    export.add_argument("id", help="a session id or a unique prefix of one")
    export.add_argument("--format", choices=("md", "html", "json"), default="md")
    export.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write to PATH instead of standard output"
    )
    export.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    export.add_argument(
        "--anonymize",
        action="store_true",
        help="leave out facilitator, participant and speaker names",
    )
    export.add_argument(
        "--include-private",
        action="store_true",
        help="include the thoughts marked private (left out by default)",
    )

    imp = sub.add_parser("import", help="add transcripts (JSON) to the store")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE.json")
    imp.add_argument(
        "--new-id", action="store_true", help="import a transcript already stored under a new id"
    )

    scenarios = sub.add_parser("scenarios", help="list scenario packs, or check one")
    scenarios.add_argument("--check", type=Path, metavar="PATH", help="validate one pack")

    present = sub.add_parser("present", help="open the audience view of a session")
    present.add_argument("id", help="a session id or a unique prefix of one")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    data_dir = (args.data_dir or default_data_dir()).expanduser()
    content_dirs = tuple(p.expanduser() for p in args.content_dir)
    try:
        if args.command is None:
            return _run_app(data_dir, content_dirs, debug=args.debug)
        if args.command == "list":
            return _list(data_dir, args.json)
        if args.command == "scenarios":
            return _scenarios(data_dir, content_dirs, args.check)
        if args.command == "export":
            return _export(data_dir, args)
        if args.command == "import":
            return _import(data_dir, args)
        if args.command == "present":
            return _run_app(data_dir, content_dirs, present=args.id, debug=args.debug)
    except WorkshopError as error:
        say(f"workshop: {error}", error=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return 0


def _store(data_dir: Path) -> Store:
    """The store of `data_dir`, imported here to keep the command quick to start."""
    from workshop.store import Store

    return Store(data_dir)


def _run_app(
    data_dir: Path,
    content_dirs: tuple[Path, ...],
    present: str | None = None,
    debug: bool = False,
) -> int:
    """Run the app; once it has left the terminal, say where unsaved text and a crash
    report went (see `WorkshopApp.farewell`)."""
    from screens.app import build_app

    app = build_app(data_dir=data_dir, content_dirs=content_dirs, present=present, debug=debug)
    # What is loaded by now (modules, styles, packs) lives as long as the process: leave it
    # out of garbage collections, whose pauses between keys grow with what they look at.
    gc.freeze()
    try:
        app.run()
    except Exception as error:  # Textual's own start or shutdown failed: ours to tell
        if debug:
            raise
        app.report_crash(error)
    farewell = app.farewell
    if farewell:
        say(farewell, error=True)
    if app.crashed:
        return 1  # as Textual's own handler (--debug) exits
    return app.return_code or 0


def _list(data_dir: Path, as_json: bool) -> int:
    summaries, damaged = _store(data_dir).list_sessions()
    if as_json:
        say_json(
            {
                "sessions": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "scenario": s.scenario_id,
                        "started_at": s.started_at.isoformat(),
                        "status": s.status,
                        "statements": s.statement_count,
                    }
                    for s in summaries
                ],
                "damaged": [{"file": d.name, "problem": d.problem} for d in damaged],
            }
        )
        return 0
    if not summaries and not damaged:
        say(f"No sessions stored in {data_dir}.")
    for s in summaries:
        say(
            f"{s.id}  {local_time(s.started_at):<16}  {s.status:<11}  "
            f"{counted(s.statement_count, 'statement'):>15}  {s.scenario_id:<12}  {s.title}"
        )
    for d in damaged:
        say(f"damaged: {d.name}: {d.problem}", error=True)
    return 0


def _scenarios(data_dir: Path, content_dirs: tuple[Path, ...], check: Path | None) -> int:
    from workshop.scenario import check_file, discover

    found, broken = discover(data_dir / "packs", content_dirs)
    if check is not None:
        if check.is_dir():
            try:
                files = sorted(p for p in check.iterdir() if p.suffix == ".toml" and p.is_file())
            except OSError as error:
                say(f"{check}: the folder cannot be read ({error.strerror or error})")
                return 1
            if not files:
                say(f"{check}: no .toml packs in this folder")
                return 1
        else:
            files = [check]
        failed = False
        for path in files:
            scenario, problems = check_file(path, found)
            for problem in problems:
                say(problem)
            if scenario is None:
                failed = True
            else:
                say(
                    f"{path}: ok: {scenario.id} {scenario.version}, "
                    f"{len(scenario.steps)} steps, {scenario.minutes:g} minutes"
                )
        return 1 if failed else 0
    for s in found:
        say(
            f"{s.id:<14} {s.version:<8} {s.language:<5} {len(s.steps):>2} steps "
            f"{s.minutes:>5g} min  {s.origin:<10} {s.title}"
        )
    for pack in broken:
        say(f"broken: {pack.problems[0]}", error=True)
    return 0


def _export(data_dir: Path, args: argparse.Namespace) -> int:
    """`workshop export`: write a session's transcript as Markdown, HTML or JSON.

    SIGTERM and SIGHUP end it as SystemExit, so a half-written temp file is removed. A
    standard output that cannot take the transcript gets a sentence and exit code 1; a
    pipe closed by its reader (`| head`) gets no word and 141 (128 + SIGPIPE, as a shell
    reports for `cat` and other tools that the signal ends).
    """
    import signal

    from workshop.errors import ExportExists
    from workshop.export import render, to_stdout, write_export, write_reason

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            try:
                previous[name] = signal.signal(getattr(signal, name), leave)
            except ValueError:  # not the main thread: the default handling stays
                pass
    try:
        store = _store(data_dir)
        session = store.load_session(_resolve_id(store, args.id, data_dir))
        scenario = None
        if args.format != "json":
            content_dirs = tuple(p.expanduser() for p in args.content_dir)
            scenario = _scenario_of(session.scenario_id, data_dir, content_dirs)
        text = render(
            session,
            args.format,
            anonymize=args.anonymize,
            scenario=scenario,
            include_private=args.include_private,
        )
        if args.output is not None:
            path = args.output.expanduser()
            try:
                write_export(path, text, force=args.force)
            except ExportExists:
                raise WorkshopError(
                    f"{path} already exists: add --force to overwrite it."
                ) from None
            try:
                say(f"Wrote the transcript of session {session.id} to {path}.")
                sys.stdout.flush()
            except (OSError, AttributeError):  # a confirmation not shown leaves the file
                to_stdout("")
            return 0
        failure = to_stdout(text)
        if failure is None:
            return 0
        if isinstance(failure, BrokenPipeError):
            return 141
        say(
            "workshop: Could not write the transcript to standard output: "
            f"{write_reason(failure)}.",
            error=True,
        )
        return 1
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _resolve_id(store: Store, prefix: str, data_dir: Path) -> str:
    """The stored session id `prefix` names; an unknown one gets the candidates listed."""
    from workshop.errors import SessionNotFound

    try:
        return store.resolve(prefix)
    except SessionNotFound as error:
        summaries, _ = store.list_sessions()
        if not summaries:
            raise SessionNotFound(f"{error} No sessions are stored in {data_dir}.") from None
        shown = ", ".join(f"{s.id} ({s.title})" for s in summaries[:10])
        more = f" and {len(summaries) - 10} more" if len(summaries) > 10 else ""
        raise SessionNotFound(f"{error} Stored sessions: {shown}{more}.") from None


def _scenario_of(
    scenario_id: str, data_dir: Path, content_dirs: tuple[Path, ...]
) -> Scenario | None:
    """The pack `scenario_id` if it can be found (for tag definitions), else None."""
    from workshop.scenario import discover

    found, _ = discover(data_dir / "packs", content_dirs)
    return next((s for s in found if s.id == scenario_id), None)


def _import(data_dir: Path, args: argparse.Namespace) -> int:
    """`workshop import`: add transcripts to the store, checking every file before any write."""
    from dataclasses import replace

    from workshop.errors import InvalidTranscript, SessionExists
    from workshop.files import UnreadableFile, read_regular
    from workshop.store import new_id
    from workshop.transcript import MAX_FILE_BYTES, parse_transcript

    sessions: list[tuple[Path, Session]] = []
    for given in args.files:
        try:
            raw = read_regular(given.expanduser(), MAX_FILE_BYTES)
        except UnreadableFile as error:
            raise InvalidTranscript(f"{given} {error}. Nothing was imported.") from None
        sessions.append((given, parse_transcript(raw, str(given))))

    store = _store(data_dir)
    for given, session in sessions:
        skipped = False
        while True:
            try:
                store.add_session(session)  # create-if-absent: two imports cannot both win
                break
            except SessionExists:
                if not args.new_id:
                    say(
                        f"{given}: session {session.id} is already stored, so it was skipped "
                        "(add --new-id to import it as a copy under a new id).",
                        error=True,
                    )
                    skipped = True
                    break
                session = replace(session, id=new_id())
        if skipped:
            continue
        store.close_session(session.id)
        say(
            f"Imported {given} as session {session.id}: {session.title} "
            f"({counted(len(session.statements), 'statement')}, "
            f"{counted(len(session.agreements), 'agreement')})."
        )
    return 0
