"""The job table. `finsheet.jobs.queue` owns the threads; this is only the state machine's storage:

    pending ──claim──► running ──► completed | failed | cancelled
       ▲                  │
       └── retry/backoff ─┘   (and back to pending when a crashed process left it running)

Every transition is one guarded UPDATE under the store's write lock, so a job is claimed by one worker only and
ends exactly once (a finish on a job that is no longer running changes nothing and says so).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

from finsheet.store.base import Cursor, StoreBase, dumps, loads
from finsheet.store.records import JobRecord, JobState, Viewer

_COLUMNS = [
    "id", "kind", "payload", "owner", "document_id", "document_name", "state", "progress", "stage", "attempts",
    "max_attempts", "error", "result", "cancel_requested", "created_at", "started_at", "finished_at", "not_before",
]
_SELECT = (
    "SELECT j.id, j.kind, j.payload, j.owner, j.document_id, d.name AS document_name, j.state, j.progress, j.stage, "
    "j.attempts, j.max_attempts, j.error, j.result, j.cancel_requested, j.created_at, j.started_at, j.finished_at, "
    "j.not_before FROM jobs j LEFT JOIN documents d ON d.id = j.document_id"
)


def _job(row: tuple[Any, ...]) -> JobRecord:
    data = dict(zip(_COLUMNS, row, strict=True))
    data["payload"], data["result"] = loads(data["payload"], {}), loads(data["result"], {})
    return JobRecord.model_validate(data)


def _fetch(cur: Cursor, job_id: int) -> JobRecord | None:
    row = cur.execute(_SELECT + " WHERE j.id = ?", [job_id]).fetchone()
    return _job(row) if row else None


class QueueMixin(StoreBase):
    def insert_job(
        self, kind: str, payload: dict[str, Any], *, owner: str, document_id: int | None, max_attempts: int
    ) -> JobRecord:
        with self._write() as cur:
            row = cur.execute(
                "INSERT INTO jobs (kind, payload, owner, document_id, state, max_attempts, created_at) "
                "VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
                [kind, dumps(payload), owner, document_id, max_attempts, datetime.now()],
            ).fetchone()
            assert row is not None
            job = _fetch(cur, int(row[0]))
        assert job is not None
        return job

    def find_job(self, kind: str, document_id: int, states: tuple[JobState, ...]) -> JobRecord | None:
        """The newest job of a kind for a document in one of `states` (to avoid queueing the same work twice)."""
        marks = ", ".join("?" * len(states))
        with self._read() as cur:
            row = cur.execute(
                _SELECT + f" WHERE j.kind = ? AND j.document_id = ? AND j.state IN ({marks}) ORDER BY j.id DESC",
                [kind, document_id, *[s.value for s in states]],
            ).fetchone()
        return _job(row) if row else None

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._read() as cur:
            return _fetch(cur, job_id)

    def list_jobs(self, viewer: Viewer, *, states: tuple[JobState, ...] = (), limit: int = 500) -> list[JobRecord]:
        """The viewer's jobs (everyone's for an admin), newest first."""
        where, params = self._jobs_where(viewer, states)
        with self._read() as cur:
            rows = cur.execute(_SELECT + f" WHERE {where} ORDER BY j.id DESC LIMIT ?", [*params, limit]).fetchall()
        return [_job(r) for r in rows]

    def jobs_frame(self, viewer: Viewer, *, states: tuple[JobState, ...] = (), limit: int = 500) -> pl.DataFrame:
        """`list_jobs` as a Polars frame (payload and result as JSON text)."""
        where, params = self._jobs_where(viewer, states)
        return self._frame(_SELECT + f" WHERE {where} ORDER BY j.id DESC LIMIT ?", [*params, limit])

    def job_counts(self) -> dict[str, int]:
        """How many jobs are in each state (for health pages and the benchmark)."""
        with self._read() as cur:
            rows = cur.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall()
        return {str(state): int(n) for state, n in rows}

    # ------------------------------------------------------------------ transitions

    def claim_job(self, *, now: datetime | None = None) -> JobRecord | None:
        """Take the oldest pending job that is due: it becomes running with one more attempt."""
        now = now or datetime.now()
        with self._write() as cur:
            row = cur.execute(
                "SELECT id FROM jobs WHERE state = 'pending' AND (not_before IS NULL OR not_before <= ?) "
                "ORDER BY coalesce(not_before, created_at), id LIMIT 1",
                [now],
            ).fetchone()
            if row is None:
                return None
            cur.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, progress = 0, "
                "stage = 'starting', not_before = NULL WHERE id = ?",
                [now, row[0]],
            )
            return _fetch(cur, int(row[0]))

    def next_due(self) -> datetime | None:
        """When the earliest pending job may run (None: nothing pending)."""
        with self._read() as cur:
            row = cur.execute(
                "SELECT min(coalesce(not_before, created_at)) FROM jobs WHERE state = 'pending'"
            ).fetchone()
        return row[0] if row else None

    def job_progress(self, job_id: int, stage: str, percent: float) -> bool:
        """Record progress of a running job; whether the job was asked to cancel meanwhile."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET stage = ?, progress = ? WHERE id = ? AND state = 'running'",
                [stage, round(percent, 1), job_id],
            )
            row = cur.execute("SELECT cancel_requested FROM jobs WHERE id = ?", [job_id]).fetchone()
        return bool(row and row[0])

    def finish_job(
        self, job_id: int, state: JobState, *, error: str | None = None, result: dict[str, Any] | None = None
    ) -> bool:
        """End a running job; False (and nothing changed) when it was not running — it ends exactly once."""
        with self._write() as cur:
            row = cur.execute("SELECT state FROM jobs WHERE id = ?", [job_id]).fetchone()
            if row is None or row[0] != JobState.RUNNING:
                return False
            cur.execute(
                "UPDATE jobs SET state = ?, error = ?, result = ?, finished_at = ?, "
                "progress = CASE WHEN ? = 'completed' THEN 100 ELSE progress END WHERE id = ?",
                [state.value, error, dumps(result or {}), datetime.now(), state.value, job_id],
            )
        return True

    def requeue_job(self, job_id: int, *, not_before: datetime, error: str) -> bool:
        """Put a running job back to pending until `not_before` (a retry after a passing error)."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET state = 'pending', not_before = ?, error = ?, stage = 'waiting to retry' "
                "WHERE id = ? AND state = 'running'",
                [not_before, error, job_id],
            )
            row = cur.execute("SELECT state FROM jobs WHERE id = ?", [job_id]).fetchone()
        return bool(row and row[0] == JobState.PENDING)

    def release_job(self, job_id: int) -> None:
        """Give a running job back untouched (the process is shutting down): the attempt does not count."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET state = 'pending', attempts = greatest(attempts - 1, 0), stage = 'interrupted', "
                "progress = 0 WHERE id = ? AND state = 'running'",
                [job_id],
            )

    def request_cancel(self, job_id: int) -> JobRecord | None:
        """Cancel a pending job now; ask a running one to stop at its next stage boundary; finished: unchanged."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET state = 'cancelled', finished_at = ?, error = 'cancelled before it started' "
                "WHERE id = ? AND state = 'pending'",
                [datetime.now(), job_id],
            )
            cur.execute("UPDATE jobs SET cancel_requested = true WHERE id = ? AND state = 'running'", [job_id])
            return _fetch(cur, job_id)

    def reset_job(self, job_id: int) -> JobRecord | None:
        """A failed or cancelled job queued again from scratch (attempts reset)."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET state = 'pending', attempts = 0, error = NULL, result = NULL, progress = 0, "
                "stage = '', cancel_requested = false, not_before = NULL, started_at = NULL, finished_at = NULL "
                "WHERE id = ? AND state IN ('failed', 'cancelled')",
                [job_id],
            )
            return _fetch(cur, job_id)

    def recover_jobs(self) -> list[int]:
        """Jobs a crashed process left running: pending again (their attempt counted), or failed when they have
        used every attempt (a document that kills the process must not do so forever). The ids taken up again."""
        now = datetime.now()
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET state = 'failed', finished_at = ?, cancel_requested = false, "
                "error = 'interrupted ' || attempts || ' times (the process stopped while it ran)' "
                "WHERE state = 'running' AND attempts >= max_attempts",
                [now],
            )
            # A cancel asked of a job that was running is honoured now.
            cur.execute(
                "UPDATE jobs SET state = 'cancelled', finished_at = ?, error = 'cancelled' "
                "WHERE state = 'running' AND cancel_requested",
                [now],
            )
            rows = cur.execute(
                "UPDATE jobs SET state = 'pending', stage = 'interrupted', progress = 0 WHERE state = 'running' "
                "RETURNING id"
            ).fetchall()
        return sorted(int(r[0]) for r in rows)

    def _jobs_where(self, viewer: Viewer, states: tuple[JobState, ...]) -> tuple[str, list[Any]]:
        where, params = self._owner_filter(viewer, "j.owner")
        if states:
            where += f" AND j.state IN ({', '.join('?' * len(states))})"
            params = [*params, *[s.value for s in states]]
        return where, params
