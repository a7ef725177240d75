"""A crash-safe TinyDB storage: each write lands whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from workshop.files import UnreadableFile, read_json, save_failure, write_atomic


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and never reads bad data as empty.

    It keeps the last data written in memory, so a write costs one serialisation and one
    durable replace, not a re-read of the file; it must be the file's only writer.
    """

    def __init__(self, path: str | Path, what: str = "the session") -> None:
        self.path = Path(path)
        self.what = what
        self._cache: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            if not os.path.lexists(self.path):
                return None
            try:
                self._cache = read_json(self.path)
            except UnreadableFile as error:
                raise UnreadableFile(f"{self.path.name}: {error}") from None
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        try:
            payload = json.dumps(
                data, ensure_ascii=False, separators=(",", ":"), check_circular=False
            ).encode("utf-8", "backslashreplace")  # a lone surrogate read in stays \udXXX
            write_atomic(self.path, payload)
        except BaseException as error:
            self._cache = None  # TinyDB mutated it in place; the disk is the truth now.
            if isinstance(error, OSError):
                raise save_failure(error, self.what) from None
            raise
        self._cache = data

    def close(self) -> None:
        self._cache = None
