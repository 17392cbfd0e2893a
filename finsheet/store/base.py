"""The connection, the cursors and the transactions every part of the store shares.

DuckDB allows one process per database file and many threads per connection, each with its own cursor. So a
`Store` holds one connection; every method takes a fresh cursor and fetches its results fully before returning.
Writes go through one lock: DuckDB's optimistic concurrency would otherwise fail one of two threads updating the
same row (a worker's progress and an analyst's cancel) with a conflict error instead of letting it wait.
"""

from __future__ import annotations

import json
import re
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


class DatabaseInUse(StorageError):
    """Another process holds the database file (DuckDB allows one process per file): an import running, or a
    second app. Passes when that process finishes, so it is transient."""

    transient = True

    def __init__(self, path: str, cause: BaseException | None = None) -> None:
        found = re.search(r"PID (\d+)", str(cause or ""))
        self.pid = int(found.group(1)) if found else None
        holder = f"pid {self.pid}" if self.pid else "pid unknown"
        command = _command_of(self.pid) if self.pid else ""
        if command:
            holder += f": {command}"
        super().__init__(
            f"the data directory {Path(path).parent} is in use by another finsheet process ({holder}); "
            "retry when it finishes"
        )


def _command_of(pid: int) -> str:
    """The command line of a process, shortened ("finsheet import a.pdf"), or '' when it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    if len(words) > 1 and Path(words[0]).name.startswith("python"):
        words = words[1:]  # "python -m streamlit run app.py": the interpreter says nothing
    words = [Path(words[0]).name, *words[1:]] if words else []
    text = " ".join(" ".join(words).split())  # one line, whatever the arguments hold
    return text if len(text) <= 80 else text[:77] + "..."


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
                raise DatabaseInUse(self.path, exc) from exc
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
                _rollback(cur)
                raise StorageError(f"database write failed: {_reason(exc)}") from exc
            except BaseException:
                _rollback(cur)
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


def _rollback(cur: Cursor) -> None:
    """Roll back what is left of a transaction. A commit that failed (a full disk: "Could not write file ...
    .wal") has already ended it, and DuckDB then answers "no transaction is active": that must not replace the
    real cause, nor escape as a non-finsheet error that kills the job queue's worker."""
    try:
        cur.rollback()
    except duckdb.Error:
        pass


def _reason(exc: duckdb.Error) -> str:
    """DuckDB's message without its class prefix ("TransactionContext Error: Failed to commit: ...")."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return re.sub(r"^(?:[A-Za-z ]+ Error: )+", "", text) or text


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


def loads(text: str | None, default: Any) -> Any:
    return default if text is None else json.loads(text)
