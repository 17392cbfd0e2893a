"""The store: everything the workbench remembers, in one DuckDB file. The only place in finsheet with SQL.

    store = Store.open(settings)          # creates or upgrades settings.db_path in place
    store = Store()                       # in memory, for tests and tools

One `Store` per process, shared by every thread (each method takes its own cursor). Functions that list or load
user data take a `viewer` (a `User` or `UserRef`) and return only the viewer's rows unless the viewer is an admin;
`get_*` returns None for a row that does not exist and raises AuthError for another user's row.

The parts, one module each: users and app settings (`users`), documents (`documents`), extraction results
(`extractions`), corrections and their audit log (`corrections`), consolidations and the LLM cache (`saved`),
jobs (`queue`), the schema and its migrations (`schema`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from finsheet.errors import FinsheetError
from finsheet.model import CacheKey
from finsheet.settings import Settings
from finsheet.store.corrections import CorrectionsMixin
from finsheet.store.queue import QueueMixin
from finsheet.store.records import (
    AuditEntry,
    CacheStats,
    ConsolidationRecord,
    DocumentRecord,
    HealthCheck,
    JobRecord,
    JobState,
    Role,
    StatementRecord,
    User,
    UserRef,
    Viewer,
)
from finsheet.store.saved import SavedMixin
from finsheet.store.schema import LATEST as SCHEMA_VERSION
from finsheet.store.sessions import SessionsMixin
from finsheet.store.users import UsersMixin

log = logging.getLogger(__name__)


class Store(CorrectionsMixin, UsersMixin, SessionsMixin, SavedMixin, QueueMixin):
    """One DuckDB database: `Store(path)` or `Store.open(settings)`; `close()` when done."""


@contextmanager
def open_response_cache(settings: Settings, warnings: list[str]) -> Iterator[Store | None]:
    """The store opened as the optional engines' response cache (closed afterwards), or None with a warning when
    the database cannot be opened: another process holds it (DuckDB allows one per file) or it is broken. A missing
    cache costs a paid call, never a result.
    """
    try:
        store = Store.open(settings)
    except (FinsheetError, OSError) as exc:
        warnings.append(f"response cache unavailable, engine answers are not cached: {exc}")
        log.warning("response cache unavailable: %s", exc)
        yield None
        return
    try:
        yield store
    finally:
        store.close()


__all__ = [
    "SCHEMA_VERSION",
    "AuditEntry",
    "CacheKey",
    "CacheStats",
    "ConsolidationRecord",
    "DocumentRecord",
    "HealthCheck",
    "JobRecord",
    "JobState",
    "Role",
    "StatementRecord",
    "Store",
    "User",
    "UserRef",
    "Viewer",
    "open_response_cache",
]
