"""The `workshop` command: the composition root. It imports the Textual app lazily."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import platformdirs

from workshop import __version__
from workshop.errors import WorkshopError

EXIT_USAGE = 2


def default_data_dir() -> Path:
    """`WORKSHOP_DATA_DIR`, else the platform's user data dir."""
    env = os.environ.get("WORKSHOP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workshop", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
            return _run_app(data_dir, content_dirs)
        if args.command == "list":
            return _list(data_dir, args.json)
        if args.command == "scenarios":
            return _scenarios(data_dir, content_dirs, args.check)
        if args.command == "export":
            return _export(data_dir, args)
        if args.command == "import":
            return _import(data_dir, args)
        if args.command == "present":
            return _run_app(data_dir, content_dirs, present=args.id)
    except WorkshopError as error:
        print(f"workshop: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return 0


def _store(data_dir: Path):  # noqa: ANN202 - keeps the store import local
    from workshop.store import Store

    return Store(data_dir)


def _run_app(data_dir: Path, content_dirs: tuple[Path, ...], present: str | None = None) -> int:
    from screens.app import build_app

    app = build_app(data_dir=data_dir, content_dirs=content_dirs, present=present)
    app.run()
    return app.return_code or 0


def _list(data_dir: Path, as_json: bool) -> int:
    summaries, damaged = _store(data_dir).list_sessions()
    if as_json:
        print(
            json.dumps(
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
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not summaries and not damaged:
        print(f"No sessions stored in {data_dir}.")
    for s in summaries:
        print(
            f"{s.id}  {s.started_at:%Y-%m-%d %H:%M}  {s.status:<11}  "
            f"{s.statement_count:>4} statements  {s.scenario_id:<12}  {s.title}"
        )
    for d in damaged:
        print(f"damaged: {d.name}: {d.problem}", file=sys.stderr)
    return 0


def _scenarios(data_dir: Path, content_dirs: tuple[Path, ...], check: Path | None) -> int:
    from workshop.errors import PackError
    from workshop.scenario import discover, load_pack

    if check is not None:
        try:
            scenario = load_pack(check)
        except PackError as error:
            for problem in error.problems:
                print(problem)
            return 1
        print(
            f"{check}: ok: {scenario.id} {scenario.version}, {len(scenario.steps)} steps, "
            f"{scenario.minutes:g} minutes"
        )
        return 0
    found, broken = discover(data_dir / "packs", content_dirs)
    for s in found:
        print(
            f"{s.id:<14} {s.version:<8} {s.language:<4} {len(s.steps):>2} steps "
            f"{s.minutes:>5g} min  {s.origin:<10} {s.title}"
        )
    for pack in broken:
        print(f"broken: {pack.problems[0]}", file=sys.stderr)
    return 0


def _export(data_dir: Path, args: argparse.Namespace) -> int:
    raise WorkshopError("Export is not available yet.")


def _import(data_dir: Path, args: argparse.Namespace) -> int:
    raise WorkshopError("Import is not available yet.")
