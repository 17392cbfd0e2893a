"""What the store hands out: small pydantic records, one per table a page or a worker reads.

These are not the extraction contract (that is `finsheet.model`); they describe stored things — who owns them,
when they arrived, what state they are in — and carry the ids that corrections, jobs and pages address.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

Role = Literal["admin", "analyst"]


class UserRef(BaseModel):
    """Who is asking: enough to decide which rows they may see."""

    username: str
    role: Role = "analyst"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class User(UserRef):
    name: str = ""
    email: str = ""
    password_hash: str = ""
    created_at: datetime
    disabled: bool = False


Viewer = User | UserRef
"""Every query that returns user data takes one; only an admin sees other users' rows."""


class DocumentRecord(BaseModel):
    """One uploaded PDF, with the outcome of its latest extraction (status None: never extracted)."""

    id: int
    sha256: str
    name: str
    size: int
    pages: int
    owner: str
    uploaded_at: datetime
    company: str | None = None
    status: Literal["completed", "failed"] | None = None
    error: str | None = None
    statements: int = 0
    extracted_at: datetime | None = None
    job_id: int | None = None
    """The latest extraction job of the document (pending / running while it is being extracted)."""
    job_state: str | None = None
    job_progress: float | None = None


class StatementRecord(BaseModel):
    """One stored statement with its stable id (corrections and the review page address it)."""

    statement_id: int
    document_id: int
    position: int
    type: str
    title: str
    pages: list[int]
    confidence: float
    scale: int | None
    currency: str | None
    entity: str | None
    items: int
    checks_passed: int
    checks_total: int


class JobState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED)


class JobRecord(BaseModel):
    """One background job. `progress` is a percentage; `not_before` delays a retry (the backoff)."""

    id: int
    kind: str
    payload: dict[str, Any] = Field(default_factory=dict)
    owner: str
    document_id: int | None = None
    document_name: str | None = None
    state: JobState
    progress: float = 0.0
    stage: str = ""
    attempts: int = 0
    max_attempts: int = 1
    error: str | None = None
    result: dict[str, Any] = Field(default_factory=dict)
    cancel_requested: bool = False
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    not_before: datetime | None = None


class AuditEntry(BaseModel):
    """One analyst correction: who changed which field of which row, from what to what."""

    id: int
    at: datetime
    username: str
    document_id: int
    statement_id: int
    item_id: int | None
    table: str
    field: str
    old: str | None
    new: str | None


class ConsolidationRecord(BaseModel):
    """A saved consolidation: its documents, its settings and the analyst's mapping overrides (both JSON)."""

    id: int
    owner: str
    company: str
    name: str
    document_ids: list[int]
    settings: dict[str, Any] = Field(default_factory=dict)
    overrides: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime


class CacheStats(BaseModel):
    entries: int
    bytes: int
    hits: int


class HealthCheck(BaseModel):
    """One line of `finsheet doctor` and the admin page."""

    name: str
    ok: bool
    detail: str
