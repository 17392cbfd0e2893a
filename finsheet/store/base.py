"""The connection, the cursors and the transactions every part of the store shares.

DuckDB allows one process per database file and many threads per connection, each with its own cursor. So a
`Store` holds one connection; every method takes a fresh cursor and fetches its results fully before returning.
Writes go through one lock: DuckDB's optimistic concurrency would otherwise fail one of two threads updating the
same row (a worker's progress and an analyst's cancel) with a conflict error instead of letting it wait.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import duckdb
import polars as pl

from finsheet.errors import AuthError, StorageError
from finsheet.settings import Settings
from finsheet.store.records import Viewer
from finsheet.store.schema import LATEST, current_version, migrate

Cursor = duckdb.DuckDBPyConnection
MEMORY = ":memory:"


class StoreBase:
    """Connection handling shared by the parts of `Store` (users, documents, jobs, ...)."""

    def __init__(self, path: str | Path = MEMORY, *, uploads_dir: Path | None = None) -> None:
        self.path = str(path)
        on_disk = self.path != MEMORY
        if on_disk:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.uploads_dir = uploads_dir or (Path(self.path).parent / "uploads" if on_disk else Path("data/uploads"))
        try:
            self._con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise StorageError(
                    f"the database {self.path} is in use by another finsheet process; stop it or use another "
                    "FINSHEET_DATA_DIR"
                ) from exc
            raise StorageError(f"cannot open the database {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self.migrated_from = self._migrate()

    @classmethod
    def open(cls, settings: Settings) -> Self:
        """The store of a deployment: `settings.db_path`, created or upgraded in place."""
        return cls(settings.db_path, uploads_dir=settings.uploads_dir)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._read() as cur:
            return current_version(cur)

    def _migrate(self) -> int:
        with self._write() as cur:
            version = current_version(cur)
            if version > LATEST:
                raise StorageError(
                    f"the database {self.path} has schema version {version}, newer than this finsheet "
                    f"understands ({LATEST}); upgrade finsheet"
                )
            migrate(cur)
            return version

    # ------------------------------------------------------------------ cursors

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        """A cursor of its own for one read; DuckDB errors become StorageError."""
        try:
            cur = self._con.cursor()
        except duckdb.Error as exc:
            raise StorageError(f"the database is not available: {exc}") from exc
        try:
            yield cur
        except duckdb.Error as exc:
            raise StorageError(f"database read failed: {exc}") from exc
        finally:
            cur.close()

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        """One transaction, serialised with every other write of this process; rolled back on any error."""
        with self._lock:
            try:
                cur = self._con.cursor()
            except duckdb.Error as exc:
                raise StorageError(f"the database is not available: {exc}") from exc
            try:
                cur.begin()
                yield cur
                cur.commit()
            except duckdb.Error as exc:
                cur.rollback()
                raise StorageError(f"database write failed: {exc}") from exc
            except BaseException:
                cur.rollback()
                raise
            finally:
                cur.close()

    def _frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        with self._read() as cur:
            return cur.sql(sql, params=params or []).pl()

    # ------------------------------------------------------------------ per-user isolation

    @staticmethod
    def _owner_filter(viewer: Viewer, column: str = "owner") -> tuple[str, list[Any]]:
        """A WHERE fragment that keeps the viewer's rows only (everything for an admin)."""
        if viewer.is_admin:
            return "true", []
        return f"{column} = ?", [viewer.username]

    @staticmethod
    def _require_access(viewer: Viewer, owner: str, what: str) -> None:
        if owner != viewer.username and not viewer.is_admin:
            raise AuthError(f"{what} belongs to another user")


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


def loads(text: str | None, default: Any) -> Any:
    return default if text is None else json.loads(text)
