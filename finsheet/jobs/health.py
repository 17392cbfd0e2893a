"""What the job queue reports about itself: `QueueHealth` (workers alive, restarts, the last error), and the job
endings the database refused, kept until it accepts them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from finsheet.store import JobRecord, JobState


@dataclass(frozen=True, slots=True)
class QueueHealth:
    """The queue's own state, for the Jobs page and `finsheet doctor`."""

    workers: int
    """Worker threads configured."""
    alive: int
    """Worker threads running now (the supervisor restarts the others within a second or so)."""
    restarts: int
    """Worker threads restarted since the queue started."""
    unsaved: int
    """Job endings the database could not record yet (written when it accepts writes again)."""
    last_error: str | None = None
    """The last error a worker met outside a job's own failure (the database, a dead thread)."""
    last_error_at: datetime | None = None
    started: bool = False

    @property
    def ok(self) -> bool:
        return self.started and self.alive == self.workers and self.unsaved == 0

    @property
    def summary(self) -> str:
        """'3 of 3 workers alive, 1 restart; last error 12:03:04: database write failed: ...'."""
        if not self.started:
            return "not running"
        text = f"{self.alive} of {self.workers} workers alive, {self.restarts} restart{'s' * (self.restarts != 1)}"
        if self.unsaved:
            text += f", {self.unsaved} job ending(s) waiting for the database"
        if self.last_error:
            when = f" {self.last_error_at:%H:%M:%S}" if self.last_error_at else ""
            text += f"; last error{when}: {self.last_error}"
        return text


@dataclass(slots=True)
class UnsavedEnding:
    """A job ending the database refused (kept to be written later)."""

    job: JobRecord
    state: JobState
    error: str | None
    result: dict[str, Any] | None
    fields: dict[str, Any]
