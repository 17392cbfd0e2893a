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

from finsheet.store.corrections import CorrectionsMixin
from finsheet.store.queue import QueueMixin
from finsheet.store.records import (
    AuditEntry,
    CacheKey,
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
from finsheet.store.users import UsersMixin


class Store(CorrectionsMixin, UsersMixin, SavedMixin, QueueMixin):
    """One DuckDB database: `Store(path)` or `Store.open(settings)`; `close()` when done."""


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
]
