"""The build cache: loaded reports and the last build's manifest, in SQLite.

Loaded reports are stored under a key made of the file's path and bytes, the
settings and pmkb's version, so a changed file, kb.toml or pmkb release never
gets a stale entry. The manifest records what the last build wrote, so the
next one can skip unchanged pages and keep their files. A cache that cannot
be read, or that another program or version wrote, is set aside with a
warning and rebuilt, so it never stops a build.

NOTE: entries are pickles, and unpickling runs code named in the data, so
the cache folder must be as trusted as the project folder it sits in.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bumped whenever the stored data changes shape.
SCHEMA = "pmkb-cache-6"


class BuildCache:
    """A SQLite file of pickled load results and build manifests."""

    def __init__(self, path: Path | None, memory: dict[str, Any] | None = None):
        self.path = path
        # Results kept in this process too, so a long-running serve skips unpickling.
        self.memory = memory
        self.connection: sqlite3.Connection | None = None
        if self.path is not None:
            self.connection = self._open(self.path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            log.warning(
                "building without a cache, because %s cannot be created: %s",
                path.parent,
                error.strerror or error,
            )
            return None
        try:
            connection = sqlite3.connect(path)
            self._prepare(connection)
            return connection
        except (sqlite3.Error, OSError, ValueError) as error:
            log.warning(
                "ignoring the build cache %s, which will be rebuilt: %s", path, error
            )
        try:
            path.unlink(missing_ok=True)
            connection = sqlite3.connect(path)
            self._prepare(connection)
            return connection
        except (sqlite3.Error, OSError) as error:
            log.warning(
                "building without a cache, because %s cannot be written: %s",
                path,
                error,
            )
            return None

    @staticmethod
    def _prepare(connection: sqlite3.Connection) -> None:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)"
        )
        row = connection.execute(
            "SELECT value FROM meta WHERE name = 'schema'"
        ).fetchone()
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if row is None and tables - {"meta"}:
            raise ValueError("it was not written by pmkb")
        if row is not None and row[0] != SCHEMA:
            raise ValueError(
                f"it has another format ({row[0]}, this pmkb writes {SCHEMA})"
            )
        connection.execute(
            "CREATE TABLE IF NOT EXISTS loads (key TEXT PRIMARY KEY, value BLOB)"
        )
        connection.execute(
            "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value BLOB)"
        )
        connection.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,)
        )
        connection.commit()

    def _disable(self, error: Exception) -> None:
        log.warning("ignoring the build cache %s from now on: %s", self.path, error)
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def get_loads(self, keys: Iterable[str]) -> dict[str, Any]:
        """Return the cached load results for the keys that have one."""
        requested = list(keys)
        found: dict[str, Any] = {}
        if self.memory is not None:
            found = {key: self.memory[key] for key in requested if key in self.memory}
            requested = [key for key in requested if key not in found]
        if self.connection is None or not requested:
            return found
        try:
            for start in range(0, len(requested), 500):
                chunk = requested[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.connection.execute(
                    f"SELECT key, value FROM loads WHERE key IN ({marks})", chunk
                )
                for key, blob in rows:
                    found[key] = pickle.loads(blob)
        except (
            sqlite3.Error,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ) as error:
            self._disable(error)
        if self.memory is not None:
            self.memory.update(found)
        return found

    def put_loads(
        self, rows: Iterable[tuple[str, bytes]], keep: set[str] | None = None
    ) -> None:
        """Store pickled load results. With ``keep``, also drop the entries
        not in it and commit, which ends a build's writes of load results.

        ``rows`` is consumed one at a time, so the caller can free each pickle
        once it is stored.
        """
        if self.connection is None:
            for _ in rows:
                pass
            return
        try:
            self.connection.executemany(
                "INSERT OR REPLACE INTO loads VALUES (?, ?)", rows
            )
            if keep is None:
                return
            stored = [
                key for (key,) in self.connection.execute("SELECT key FROM loads")
            ]
            stale = [(key,) for key in stored if key not in keep]
            self.connection.executemany("DELETE FROM loads WHERE key = ?", stale)
            self.connection.commit()
        except sqlite3.Error as error:
            self._disable(error)
            for _ in rows:
                pass

    def remember(self, loaded: dict[str, Any]) -> None:
        """Keep the results in use in memory, when this cache has a memory."""
        if self.memory is not None:
            self.memory.clear()
            self.memory.update(loaded)

    def get_state(self, name: str) -> Any:
        """Return a stored value, or None."""
        if self.connection is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT value FROM state WHERE name = ?", (name,)
            ).fetchone()
            return pickle.loads(row[0]) if row else None
        except (
            sqlite3.Error,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ) as error:
            self._disable(error)
            return None

    def put_state(self, name: str, value: Any) -> None:
        """Store a value under a name."""
        if self.connection is None:
            return
        try:
            blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            self.connection.execute(
                "INSERT OR REPLACE INTO state VALUES (?, ?)", (name, blob)
            )
            self.connection.commit()
        except (sqlite3.Error, pickle.PicklingError, TypeError) as error:
            self._disable(error)

    def close(self) -> None:
        """Close the database file."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
