"""The session store: one TinyDB file per session, a rebuildable catalogue, editing locks.

Every method that changes a session returns only once the change is durable on disk,
and speaks in the dataclasses of `workshop.model`.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, overload

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.table import Document

from workshop import limits, locks
from workshop.codec import (
    META,
    NEWER_VERSION,
    agreement_doc,
    iso,
    mark_doc,
    meta_doc,
    rating_doc,
    session_from,
    session_tables,
    statement_doc,
    turn_doc,
)
from workshop.errors import (
    AmbiguousSessionId,
    OutOfLimits,
    SaveFailed,
    SessionDamaged,
    SessionExists,
    SessionNotFound,
    SessionReadOnly,
)
from workshop.files import (
    DIR_MODE,
    UnreadableFile,
    fsync_dir,
    read_json,
    remove_stale_temps,
    save_failure,
    write_atomic,
    write_new,
)
from workshop.kinds import KINDS, agenda_step
from workshop.limits import Invalid
from workshop.model import (
    Agreement,
    DamagedFile,
    KeyLabel,
    Mark,
    Rating,
    Scenario,
    Session,
    SessionSummary,
    Settings,
    Statement,
    Turn,
)
from workshop.presence import heartbeat_path
from workshop.resume import on_pack
from workshop.storage import AtomicJSONStorage
from workshop.text import clean_line, clean_text

CATALOGUE_SCHEMA = "workshop.catalogue/1"
SETTINGS_SCHEMA = "workshop.settings/1"
SETTINGS_MAX_BYTES = 64 * 1024
NEWER_VERSION_ADVICE = (
    "It was left untouched. Open it with the version of workshop that wrote it, "
    "or move it out of the sessions folder to hide this line."
)


CATALOGUE_FIELDS = (
    "title",
    "scenario_id",
    "scenario_title",
    "started_at",
    "status",
    "statement_count",
)
"""What the catalogue keeps of each session besides its stamp: the home list's columns."""


def now_local() -> datetime:
    """The current time with the local offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def _where(*pairs: str) -> QueryLike:
    """A TinyDB condition: the document's fields equal `pairs` (field, value, ...). Tested
    on the stored documents as they are; `table.all()` copied all 500 for one tag."""
    wanted = tuple(zip(pairs[::2], pairs[1::2], strict=True))

    def matches(value: Mapping[str, Any]) -> bool:
        return all(value.get(key) == expected for key, expected in wanted)

    return matches


class _Identified(Protocol):
    """A session's item that has an id: a statement or an agreement."""

    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def fitting(value: str, what: str, limit: int = limits.MAX_FIELD_CHARS) -> str:
    """`value` if it is at most `limit` characters, else OutOfLimits naming `what`."""
    if len(value) > limit:
        raise OutOfLimits(
            f"The {what} is {len(value):,} characters; the limit is {limit:,}. "
            "Nothing was cut, and nothing of it was saved."
        )
    return value


def _name(value: str | None, what: str) -> str | None:
    """A cleaned name (speaker, owner) within the limits, None when blank."""
    name = clean_line(value or "")
    return fitting(name, what) if name else None


def _people(names: list[str]) -> list[str]:
    """Participants' names, cleaned, blank ones left out, within the limits."""
    people = [fitting(p, "participant's name") for p in map(clean_line, names) if p]
    if len(people) > limits.MAX_PEOPLE:
        raise OutOfLimits(
            f"That is {len(people):,} participants; the limit is {limits.MAX_PEOPLE:,}."
        )
    return people


def _stored(path: Path) -> bool:
    """Whether something is at `path`; a folder that cannot be searched says yes, so that
    reading it says why."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True


def _plain(*values: str) -> bool:
    """Whether each of `values` is one line within the limits (a catalogue entry that
    is not is rebuilt from its session file, which the reader checks)."""
    return all(limits.is_line(v) for v in values)


def new_id() -> str:
    """A fresh random id (8 hex digits)."""
    return secrets.token_hex(4)


# -- the store ---------------------------------------------------------------------------


@dataclass
class _OpenSession:
    """A session open for editing in this store."""

    db: TinyDB
    session: Session
    since: float
    """Monotonic time the current step was entered or last accounted."""
    deleted: dict[str, int] = field(default_factory=dict)
    """Document ids of deleted statements and agreements, so undo puts them back in place."""
    unmarked: dict[str, list[Mark]] = field(default_factory=dict)
    """The marks a deletion took with it (a poll's count on a deleted agreement), by the
    deleted item's id, so undo puts them back too."""


class Store:
    """All sessions under one data dir. Not thread-safe: use it from one thread."""

    def __init__(self, data_dir: Path, clock: Callable[[], datetime] = now_local) -> None:
        self.data_dir = Path(data_dir)
        self.sessions_dir = self.data_dir / "sessions"
        self.catalogue_path = self.data_dir / "catalogue.json"
        self.settings_path = self.data_dir / "settings.json"
        self.clock = clock
        self.monotonic: Callable[[], float] = time.monotonic
        """Seconds for step timing; tests pin it."""
        self._open: dict[str, _OpenSession] = {}
        self._catalogue: dict[str, dict[str, Any]] | None = None
        self._ensure_dirs()
        remove_stale_temps(self.sessions_dir)
        remove_stale_temps(self.data_dir)

    def _ensure_dirs(self) -> None:
        for folder in (self.data_dir, self.sessions_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
            except OSError as error:
                raise SaveFailed(
                    f"The data folder {folder} cannot be created: {error.strerror or error}."
                ) from None

    def path_of(self, session_id: str) -> Path:
        """The file of session `session_id`."""
        return self.sessions_dir / f"{session_id}.json"

    def lock_path(self, session_id: str) -> Path:
        return self.sessions_dir / f"{session_id}.lock"

    # -- the home list --------------------------------------------------------------------

    def _load_catalogue(self) -> dict[str, dict[str, Any]]:
        if self._catalogue is None:
            try:
                data = read_json(self.catalogue_path)
                entries = data.get("sessions") if data.get("schema") == CATALOGUE_SCHEMA else None
                self._catalogue = entries if isinstance(entries, dict) else {}
            except UnreadableFile:
                self._catalogue = {}  # a cache: rebuilt from the session files
        return self._catalogue

    def _save_catalogue(self) -> None:
        payload = json.dumps(
            {"schema": CATALOGUE_SCHEMA, "sessions": self._catalogue},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8", "backslashreplace")
        try:
            write_atomic(self.catalogue_path, payload)
        except OSError:
            pass  # the catalogue is only a cache; the next start rebuilds what it lacks

    def settings(self) -> Settings:
        """The saved settings; the defaults when there are none or they cannot be read."""
        try:
            data = read_json(self.settings_path, SETTINGS_MAX_BYTES)
        except UnreadableFile:
            return Settings()
        theme = data.get("theme") if data.get("schema") == SETTINGS_SCHEMA else None
        return Settings(theme=theme) if isinstance(theme, str) and theme else Settings()

    def save_settings(self, settings: Settings) -> None:
        """Keep `settings` for the next start; SaveFailed says why they could not be."""
        payload = json.dumps({"schema": SETTINGS_SCHEMA, "theme": settings.theme}).encode()
        try:
            write_atomic(self.settings_path, payload)
        except OSError as error:
            raise save_failure(error, "the settings") from None

    def settings_stamp(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the settings file, None while there is none."""
        try:
            stat = self.settings_path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def list_sessions(self) -> tuple[list[SessionSummary], list[DamagedFile]]:
        """Stored sessions, newest first, and the session files that cannot be read."""
        catalogue = self._load_catalogue()
        seen: set[str] = set()
        changed = False
        summaries: list[SessionSummary] = []
        damaged: list[DamagedFile] = []
        try:
            entries = list(os.scandir(self.sessions_dir))
        except OSError as error:
            folder = DamagedFile(
                str(self.sessions_dir),
                f"the sessions folder cannot be read ({error.strerror or error})",
                "Nothing in it was changed. Give it back its permissions, or start the app "
                "with another --data-dir.",
            )
            return [], [folder]
        for entry in entries:
            if not entry.name.endswith(".json") or entry.name.startswith("."):
                continue
            sid = entry.name[:-5]
            seen.add(sid)
            try:
                stat = entry.stat()
            except OSError:
                continue
            # Each save replaces the file, so a new inode tells a change the clock may not;
            # the mode, a file made readable again.
            stamp = [stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_mode]
            cached = catalogue.get(sid)
            line = self._catalogue_line(sid, cached, stamp)
            if line is None:
                cached = self._catalogue_entry(Path(entry.path), stamp)
                catalogue[sid] = cached
                changed = True
                line = self._catalogue_line(sid, cached, stamp)
            if isinstance(line, DamagedFile):
                damaged.append(line)
            elif line is not None:
                summaries.append(line)
        for gone in set(catalogue) - seen:
            del catalogue[gone]
            changed = True
        if changed:
            self._save_catalogue()
        summaries.sort(key=lambda s: (s.started_at.timestamp(), s.id), reverse=True)
        damaged.sort(key=lambda d: d.name)
        return summaries, damaged

    @staticmethod
    def _catalogue_line(
        sid: str, cached: Any, stamp: list[int]
    ) -> SessionSummary | DamagedFile | None:
        """The home-list line of a catalogue entry; None if it is stale or malformed.

        Runs once per stored session on every listing, hence the plain type checks.
        """
        if type(cached) is not dict or cached.get("stamp") != stamp:
            return None
        if "problem" in cached:
            problem = cached["problem"]
            if type(problem) is not str:
                return None
            if problem.startswith(NEWER_VERSION):
                return DamagedFile(f"{sid}.json", problem, NEWER_VERSION_ADVICE)
            return DamagedFile(f"{sid}.json", problem)
        title, scenario_id, scenario_title, started, status, count = map(
            cached.get, CATALOGUE_FIELDS
        )
        if (
            type(title) is not str
            or type(scenario_id) is not str
            or type(scenario_title) is not str
            or type(started) is not str
            or type(status) is not str
            or type(count) is not int
            or not _plain(title, scenario_id, scenario_title, started, status)
        ):
            return None
        try:
            started_at = datetime.fromisoformat(started)
        except ValueError:
            return None
        if started_at.tzinfo is None:
            return None
        return SessionSummary(
            sid,
            title,
            scenario_id,
            scenario_title,
            started_at,
            status,
            count,
        )

    def _catalogue_entry(self, path: Path, stamp: list[int]) -> dict[str, Any]:
        try:
            session = self._read(path)
        except SessionDamaged as error:
            return {"stamp": stamp, "problem": error.problem}
        return {
            "stamp": stamp,
            "title": session.title,
            "scenario_id": session.scenario_id,
            "scenario_title": session.scenario_title,
            "started_at": iso(session.started_at),
            "status": session.status,
            "statement_count": len(session.statements),
        }

    def resolve(self, prefix: str) -> str:
        """The id of the one stored session whose id starts with `prefix`."""
        prefix = prefix.strip()
        ids = sorted(
            p.name[:-5] for p in self.sessions_dir.glob("*.json") if not p.name.startswith(".")
        )
        if prefix in ids:
            return prefix
        matches = [sid for sid in ids if prefix and sid.startswith(prefix)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise SessionNotFound(f"No stored session has an id starting with '{prefix}'.")
        raise AmbiguousSessionId(
            f"'{prefix}' matches {len(matches)} sessions: {', '.join(matches)}. "
            "Give more of the id."
        )

    # -- reading --------------------------------------------------------------------------

    def _read(self, path: Path) -> Session:
        try:
            session = session_from(read_json(path))
        except UnreadableFile as error:
            raise SessionDamaged(path.name, str(error)) from None
        except Invalid as error:
            problem = str(error)
            if not problem.startswith(NEWER_VERSION):
                problem = f"wrong schema: {problem}"
            raise SessionDamaged(path.name, problem) from None
        except RecursionError:
            raise SessionDamaged(
                path.name, "not a workshop data file (nested too deeply)"
            ) from None
        if session.id != path.name[:-5]:
            raise SessionDamaged(path.name, "wrong schema: the id inside is not the file name")
        try:
            session.updated_at = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        except OSError:
            pass
        return session

    def load_session(self, session_id: str) -> Session:
        """A copy of the session as saved on disk, without taking its lock."""
        if session_id in self._open:
            return self._open[session_id].session
        path = self.path_of(session_id)
        if not _stored(path):
            raise SessionNotFound(f"Session {session_id} is not stored (it may have been deleted).")
        return self._read(path)

    def file_stamp(self, session_id: str) -> tuple[int, int] | None:
        """(mtime_ns, size) of the session's file, None when it is gone; changes on each save."""
        try:
            stat = self.path_of(session_id).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def holder(self, session_id: str) -> locks.LockHolder | None:
        """Who holds the session open for editing, if anyone alive does."""
        return locks.holder_of(self.lock_path(session_id))

    # -- creating, opening, closing -------------------------------------------------------

    def create_session(
        self,
        scenario: Scenario,
        title: str,
        facilitator: str = "",
        organisation: str = "",
        participants: list[str] | None = None,
    ) -> Session:
        """A new session of `scenario`, stored and open for editing."""
        now = self.clock()
        session = Session(
            id=new_id(),
            title=fitting(clean_line(title), "title") or scenario.title,
            facilitator=fitting(clean_line(facilitator), "facilitator's name"),
            organisation=fitting(clean_line(organisation), "organisation"),
            participants=_people(participants or []),
            scenario_id=scenario.id,
            scenario_version=scenario.version,
            scenario_title=scenario.title,
            language=scenario.language,
            started_at=now,
            finished_at=None,
            status="in-progress",
            current_step=0,
            sides=[KeyLabel(s.key, s.label) for s in scenario.sides],
            taxonomy=[KeyLabel(t.key, t.label) for t in scenario.tags],
            steps=[
                agenda_step(s, scenario, now if i == 0 else None)
                for i, s in enumerate(scenario.steps)
            ],
            step_started_at=now,
        )
        return self.add_session(session)

    def add_session(self, session: Session) -> Session:
        """Store `session` as a new file and open it for editing."""
        payload = json.dumps(
            session_tables(session), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        try:
            write_new(self.path_of(session.id), payload)
        except FileExistsError:
            raise SessionExists(f"A session with id {session.id} is already stored.") from None
        except OSError as error:
            raise save_failure(error, "the new session") from None
        return self.open_session(session.id)

    def open_session(self, session_id: str, take_over: bool = False) -> Session:
        """Open a session for editing: take its lock and return it.

        Raises SessionLocked when another window holds it (`take_over`: unless that
        window is on another computer), SessionDamaged when its file cannot be read (the
        file is then left untouched).
        """
        if session_id in self._open:
            return self._open[session_id].session
        path = self.path_of(session_id)
        if not _stored(path):
            raise SessionNotFound(f"Session {session_id} is not stored (it may have been deleted).")
        locks.acquire(self.lock_path(session_id), self.clock(), take_over=take_over)
        try:
            session = self._read(path)
            db = TinyDB(storage=AtomicJSONStorage, path=path, what="the session")
        except BaseException:
            locks.release(self.lock_path(session_id))
            raise
        self._open[session_id] = _OpenSession(db, session, self.monotonic())
        return session

    def close_session(self, session_id: str) -> None:
        """Account the time spent in the current step, and release the lock."""
        handle = self._open.get(session_id)
        if handle is None:
            return
        try:
            self._account_time(session_id)
        except SaveFailed:
            pass  # seconds of step time are not worth holding the lock for
        finally:
            handle.db.close()
            del self._open[session_id]
            locks.release(self.lock_path(session_id))

    def close_all(self) -> None:
        """Close every session this store has open."""
        for session_id in list(self._open):
            self.close_session(session_id)

    def delete_session(self, session_id: str) -> None:
        """Remove a stored session (not one open for editing elsewhere)."""
        if session_id not in self._open:
            holder = self.holder(session_id)
            if holder is not None:
                raise SaveFailed(
                    f"This session is open for editing by {holder.describe()}; "
                    "close it there before deleting it."
                )
        self.close_session(session_id)
        try:
            self.path_of(session_id).unlink()
            heartbeat_path(self.sessions_dir, session_id).unlink(missing_ok=True)
            fsync_dir(self.sessions_dir)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise save_failure(error, "the deletion") from None
        catalogue = self._load_catalogue()
        if catalogue.pop(session_id, None) is not None:
            self._save_catalogue()

    # -- changes ----------------------------------------------------------------------------

    def _handle(self, session_id: str) -> _OpenSession:
        handle = self._open.get(session_id)
        if handle is None:
            raise SessionReadOnly("This session is open read-only here: nothing can be changed.")
        return handle

    def session(self, session_id: str) -> Session:
        """The session open for editing, as saved."""
        return self._handle(session_id).session

    def step_elapsed(self, session_id: str) -> float:
        """Seconds spent in the current step, this visit and earlier ones."""
        handle = self._handle(session_id)
        step = handle.session.steps[handle.session.current_step]
        return step.seconds_spent + self.monotonic() - handle.since

    def _write_meta(self, handle: _OpenSession, session: Session) -> None:
        handle.db.table(META).update(meta_doc(session), doc_ids=[1])
        handle.session.__dict__.update(
            {
                k: getattr(session, k)
                for k in (
                    "title",
                    "scenario_version",
                    "facilitator",
                    "organisation",
                    "participants",
                    "steps",
                    "status",
                    "finished_at",
                    "current_step",
                    "revealed",
                    "blank",
                    "spotlight",
                    "step_started_at",
                )
            }
        )

    def _account_time(self, session_id: str) -> None:
        handle = self._handle(session_id)
        session = handle.session
        now = self.monotonic()
        steps = list(session.steps)
        current = steps[session.current_step]
        steps[session.current_step] = replace(
            current, seconds_spent=current.seconds_spent + now - handle.since
        )
        self._write_meta(handle, replace(session, steps=steps, step_started_at=self.clock()))
        handle.since = now

    def go_to_step(self, session_id: str, index: int) -> Session:
        """Make step `index` the current one, adding the time spent in the one left (the
        room's view starts at the top of the new step: no spotlight)."""
        handle = self._handle(session_id)
        session = handle.session
        index = max(0, min(index, len(session.steps) - 1))
        if index == session.current_step:
            return session
        now = self.monotonic()
        steps = list(session.steps)
        left = steps[session.current_step]
        steps[session.current_step] = replace(
            left, seconds_spent=left.seconds_spent + now - handle.since
        )
        wall = self.clock()
        if steps[index].entered_at is None:
            steps[index] = replace(steps[index], entered_at=wall)
        self._write_meta(
            handle,
            replace(session, steps=steps, current_step=index, step_started_at=wall, spotlight=""),
        )
        handle.since = now
        return session

    def follow_pack(self, session_id: str, scenario: Scenario) -> Session:
        """Give the session the agenda of `scenario`, a newer version of its pack that
        `check_resume` found fitting (`resume.on_pack`); stored before it returns."""
        handle = self._handle(session_id)
        moved = on_pack(handle.session, scenario)
        if moved is not handle.session:
            self._write_meta(handle, moved)
        return handle.session

    def set_revealed(self, session_id: str, step_key: str, revealed: bool) -> Session:
        """Reveal (or hide again) the hidden example of a step."""
        handle = self._handle(session_id)
        keys = [k for k in handle.session.revealed if k != step_key]
        if revealed:
            keys.append(step_key)
        self._write_meta(handle, replace(handle.session, revealed=keys))
        return handle.session

    def set_blank(self, session_id: str, blank: bool) -> Session:
        """Blank (or un-blank) the room's screen."""
        handle = self._handle(session_id)
        self._write_meta(handle, replace(handle.session, blank=blank))
        return handle.session

    def set_spotlight(self, session_id: str, spotlight: str) -> Session:
        """Point the room's view at `spotlight` (a statement id, a summary part or "")."""
        handle = self._handle(session_id)
        if handle.session.spotlight != spotlight:
            self._write_meta(handle, replace(handle.session, spotlight=spotlight))
        return handle.session

    def finish(self, session_id: str) -> Session:
        """Mark the session finished (it can still be reopened and changed)."""
        handle = self._handle(session_id)
        self._write_meta(
            handle, replace(handle.session, status="finished", finished_at=self.clock())
        )
        return handle.session

    def update_details(
        self,
        session_id: str,
        title: str,
        facilitator: str,
        organisation: str,
        participants: list[str],
    ) -> Session:
        """Change the session's title and people."""
        handle = self._handle(session_id)
        self._write_meta(
            handle,
            replace(
                handle.session,
                title=fitting(clean_line(title), "title") or handle.session.title,
                facilitator=fitting(clean_line(facilitator), "facilitator's name"),
                organisation=fitting(clean_line(organisation), "organisation"),
                participants=_people(participants),
            ),
        )
        return handle.session

    # statements

    def add_statement(
        self,
        session_id: str,
        side: str,
        text: str,
        speaker: str | None = None,
        step: str | None = None,
    ) -> Statement:
        """Add a statement (text cleaned) under `side`; durable before it returns."""
        handle = self._handle(session_id)
        if side not in {s.key for s in handle.session.sides}:
            raise ValueError(f"'{side}' is not a side of this session")
        statement = Statement(
            id=new_id(),
            side=side,
            text=fitting(clean_text(text), "statement", limits.MAX_STATEMENT_CHARS),
            speaker=_name(speaker, "speaker's name"),
            tags=(),
            created_at=self.clock(),
            step=step,
        )
        handle.db.table("statements").insert(statement_doc(statement))
        handle.session.statements.append(statement)
        return statement

    def _replace_statement(self, session_id: str, statement: Statement) -> Statement:
        handle = self._handle(session_id)
        items = handle.session.statements
        index = items.index(self._find(items, statement.id))
        handle.db.table("statements").update(statement_doc(statement), _where("id", statement.id))
        items[index] = statement
        return statement

    def edit_statement(
        self, session_id: str, statement_id: str, text: str, speaker: str | None = None
    ) -> Statement:
        """Change a statement's text and speaker."""
        old = self._find(self.session(session_id).statements, statement_id)
        return self._replace_statement(
            session_id,
            replace(
                old,
                text=fitting(clean_text(text), "statement", limits.MAX_STATEMENT_CHARS),
                speaker=_name(speaker, "speaker's name"),
                edited_at=self.clock(),
            ),
        )

    def set_tags(self, session_id: str, statement_id: str, tags: tuple[str, ...]) -> Statement:
        """Set a statement's tags (in the order given, without repeats)."""
        old = self._find(self.session(session_id).statements, statement_id)
        return self._replace_statement(session_id, replace(old, tags=tuple(dict.fromkeys(tags))))

    def toggle_tag(self, session_id: str, statement_id: str, tag: str) -> Statement:
        """Add `tag` to a statement, or remove it if it has it."""
        old = self._find(self.session(session_id).statements, statement_id)
        tags = tuple(t for t in old.tags if t != tag) if tag in old.tags else (*old.tags, tag)
        return self.set_tags(session_id, statement_id, tags)

    def delete_statement(self, session_id: str, statement_id: str) -> Statement:
        """Remove a statement; return it so that it can be restored."""
        return self._delete(session_id, "statements", statement_id)

    def restore_statement(self, session_id: str, statement: Statement) -> Statement:
        """Put back a deleted statement at its old place in the order."""
        return self._restore(session_id, "statements", statement, statement_doc(statement))

    # agreements

    def add_agreement(
        self,
        session_id: str,
        text: str,
        tag: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        step: str | None = None,
    ) -> Agreement:
        """Add an agreement; durable before it returns."""
        handle = self._handle(session_id)
        agreement = Agreement(
            id=new_id(),
            text=fitting(clean_text(text), "agreement", limits.MAX_STATEMENT_CHARS),
            tag=tag or None,
            owner=_name(owner, "owner"),
            due=due,
            created_at=self.clock(),
            step=step,
        )
        handle.db.table("agreements").insert(agreement_doc(agreement))
        handle.session.agreements.append(agreement)
        return agreement

    def edit_agreement(
        self,
        session_id: str,
        agreement_id: str,
        text: str,
        tag: str | None,
        owner: str | None,
        due: date | None,
    ) -> Agreement:
        """Change an agreement."""
        handle = self._handle(session_id)
        old = self._find(handle.session.agreements, agreement_id)
        new = replace(
            old,
            text=fitting(clean_text(text), "agreement", limits.MAX_STATEMENT_CHARS),
            tag=tag or None,
            owner=_name(owner, "owner"),
            due=due,
        )
        handle.db.table("agreements").update(agreement_doc(new), _where("id", agreement_id))
        items = handle.session.agreements
        items[[a.id for a in items].index(agreement_id)] = new
        return new

    def delete_agreement(self, session_id: str, agreement_id: str) -> Agreement:
        """Remove an agreement; return it so that it can be restored."""
        return self._delete(session_id, "agreements", agreement_id)

    def restore_agreement(self, session_id: str, agreement: Agreement) -> Agreement:
        """Put back a deleted agreement."""
        return self._restore(session_id, "agreements", agreement, agreement_doc(agreement))

    # ratings

    def set_rating(
        self, session_id: str, step: str, item: str, score: int, note: str | None = None
    ) -> Rating:
        """Set the room's score (and, when given, the note) for `item` of `step`."""
        handle = self._handle(session_id)
        old = handle.session.rating(step, item)
        if not 0 <= score <= limits.MAX_SCALE:
            raise OutOfLimits(f"A score is from 0 to {limits.MAX_SCALE}, not {score}.")
        rating = Rating(
            step,
            item,
            int(score),
            fitting(clean_text(note), "note", limits.MAX_STATEMENT_CHARS)
            if note is not None
            else (old.note if old else ""),
        )
        table = handle.db.table("ratings")
        if old is not None:
            table.update(rating_doc(rating), _where("step", step, "item", item))
        else:
            table.insert(rating_doc(rating))
        ratings = [r for r in handle.session.ratings if (r.step, r.item) != (step, item)]
        handle.session.ratings[:] = [*ratings, rating]
        return rating

    # turns

    def add_turn(
        self,
        session_id: str,
        step: str,
        side: str,
        said: str,
        thought: str = "",
        private: bool = False,
        speaker: str | None = None,
    ) -> Turn:
        """Add a turn (texts cleaned) to dialogue step `step`; durable before it returns."""
        handle = self._handle(session_id)
        session = handle.session
        if side not in {s.key for s in session.sides}:
            raise ValueError(f"'{side}' is not a side of this session")
        target = next((s for s in session.steps if s.key == step), None)
        if target is None or not KINDS[target.type].holds_turns:
            raise ValueError(f"'{step}' is not a dialogue step of this session")
        turn = Turn(
            id=new_id(),
            step=step,
            side=side,
            said=fitting(clean_text(said), "turn", limits.MAX_STATEMENT_CHARS),
            thought=fitting(clean_text(thought), "thought", limits.MAX_STATEMENT_CHARS),
            private=private,
            revealed=False,
            tags=(),
            created_at=self.clock(),
            speaker=_name(speaker, "speaker's name"),
        )
        handle.db.table("turns").insert(turn_doc(turn))
        session.turns.append(turn)
        return turn

    def _replace_turn(self, session_id: str, turn: Turn) -> Turn:
        handle = self._handle(session_id)
        items = handle.session.turns
        index = items.index(self._find(items, turn.id))
        handle.db.table("turns").update(turn_doc(turn), _where("id", turn.id))
        items[index] = turn
        return turn

    def edit_turn(
        self,
        session_id: str,
        turn_id: str,
        said: str,
        thought: str,
        private: bool,
        speaker: str | None = None,
    ) -> Turn:
        """Change what a turn said and thought, whether the thought is private, and its
        speaker. A thought made private is hidden from the room again."""
        old = self._find(self.session(session_id).turns, turn_id)
        return self._replace_turn(
            session_id,
            replace(
                old,
                said=fitting(clean_text(said), "turn", limits.MAX_STATEMENT_CHARS),
                thought=fitting(clean_text(thought), "thought", limits.MAX_STATEMENT_CHARS),
                private=private,
                revealed=old.revealed and not private,
                speaker=_name(speaker, "speaker's name"),
                edited_at=self.clock(),
            ),
        )

    def set_turn_tags(self, session_id: str, turn_id: str, tags: tuple[str, ...]) -> Turn:
        """Set the tags of a turn's thought (in the order given, without repeats)."""
        old = self._find(self.session(session_id).turns, turn_id)
        return self._replace_turn(session_id, replace(old, tags=tuple(dict.fromkeys(tags))))

    def reveal_thoughts(
        self, session_id: str, turn_ids: list[str], revealed: bool = True
    ) -> list[Turn]:
        """Show (or hide again) the thoughts of `turn_ids` to the room; a private thought
        stays hidden. The turns changed."""
        changed = []
        for turn in list(self.session(session_id).turns):
            wanted = revealed and not turn.private
            if turn.id in turn_ids and turn.revealed != wanted:
                changed.append(self._replace_turn(session_id, replace(turn, revealed=wanted)))
        return changed

    def delete_turn(self, session_id: str, turn_id: str) -> Turn:
        """Remove a turn; return it so that it can be restored."""
        return self._delete(session_id, "turns", turn_id)

    def restore_turn(self, session_id: str, turn: Turn) -> Turn:
        """Put back a deleted turn at its old place in the order."""
        return self._restore(session_id, "turns", turn, turn_doc(turn))

    # marks

    def set_mark(
        self,
        session_id: str,
        step: str,
        item: str,
        marked: bool,
        value: str = "",
        count: int = 0,
    ) -> Mark | None:
        """Mark `item` of `step` (with `value` and `count`), or take its mark away: the
        mark, or None when it is taken away. The step's kind must accept the mark."""
        handle = self._handle(session_id)
        session = handle.session
        where = _where("step", step, "item", item)
        table = handle.db.table("marks")
        old = session.mark(step, item)
        if not marked:
            if old is not None:
                table.remove(where)
                session.marks.remove(old)
            return None
        if not 0 <= count <= limits.MAX_PEOPLE:
            raise OutOfLimits(f"A count is from 0 to {limits.MAX_PEOPLE}, not {count}.")
        mark = Mark(
            step,
            item,
            self.clock(),
            fitting(clean_text(value), "value", limits.MAX_STATEMENT_CHARS),
            count,
        )
        target = next((s for s in session.steps if s.key == step), None)
        check = KINDS[target.type].marks if target is not None else None
        problem = (
            check(mark, target, session)
            if check is not None and target is not None
            else "no step that keeps marks"
        )
        if problem:
            raise OutOfLimits(f"Not marked: {problem}.")
        if old is not None:
            table.update(mark_doc(mark), where)
            session.marks[session.marks.index(old)] = mark
        else:
            table.insert(mark_doc(mark))
            session.marks.append(mark)
        return mark

    # helpers

    @staticmethod
    def _find(items: list[_Item], item_id: str) -> _Item:
        for item in items:
            if item.id == item_id:
                return item
        raise ValueError(f"{item_id} is not in this session")

    @overload
    def _delete(
        self, session_id: str, table_name: Literal["statements"], item_id: str
    ) -> Statement: ...

    @overload
    def _delete(
        self, session_id: str, table_name: Literal["agreements"], item_id: str
    ) -> Agreement: ...

    @overload
    def _delete(self, session_id: str, table_name: Literal["turns"], item_id: str) -> Turn: ...

    def _delete(
        self, session_id: str, table_name: str, item_id: str
    ) -> Statement | Agreement | Turn:
        handle = self._handle(session_id)
        items: list[Statement | Agreement | Turn] = getattr(handle.session, table_name)
        old = self._find(items, item_id)
        ids = handle.db.table(table_name).remove(_where("id", item_id))
        items.remove(old)
        if ids:
            handle.deleted[item_id] = ids[0]
        self._drop_orphans(handle, item_id)
        return old

    @staticmethod
    def _drop_orphans(handle: _OpenSession, item_id: str) -> None:
        """Take away the marks that a kind no longer accepts now that `item_id` is gone
        (they would make the file unreadable), keeping them for the undo."""
        session = handle.session
        by_key = {step.key: step for step in session.steps}
        orphans = []
        for mark in session.marks:
            step = by_key.get(mark.step)
            check = KINDS[step.type].marks if step is not None else None
            if step is not None and check is not None and check(mark, step, session):
                orphans.append(mark)
        table = handle.db.table("marks")
        for mark in orphans:
            table.remove(_where("step", mark.step, "item", mark.item))
            session.marks.remove(mark)
        if orphans:
            handle.unmarked[item_id] = orphans

    def _restore(self, session_id: str, table_name: str, item: _Item, doc: dict[str, Any]) -> _Item:
        handle = self._handle(session_id)
        items: list[_Item] = getattr(handle.session, table_name)
        if any(i.id == item.id for i in items):
            return item
        table = handle.db.table(table_name)
        doc_id = handle.deleted.get(item.id)
        table.insert(Document(doc, doc_id=doc_id) if doc_id else doc)
        handle.deleted.pop(item.id, None)
        order = {d.get("id"): d.doc_id for d in table.all()}
        items.append(item)
        items.sort(key=lambda i: order.get(i.id, 0))
        marks = handle.db.table("marks")
        for mark in handle.unmarked.pop(item.id, []):
            if handle.session.mark(mark.step, mark.item) is None:
                marks.insert(mark_doc(mark))
                handle.session.marks.append(mark)
        return item
