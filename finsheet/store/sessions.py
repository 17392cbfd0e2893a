"""Login attempts, server-side sessions, security events and one-time passwords: the rows behind the login.

The policy (how many failures lock whom for how long, what a token looks like) is `workbench/auth.py`'s; this
module only stores and counts. Times are naive UTC datetimes given by the caller, so tests can move the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from finsheet.store.base import StoreBase, dumps, loads


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One login: whose, from where, until when; `revoked_at` once logged out (or the password changed)."""

    username: str
    client: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class SecurityEvent:
    id: int
    at: datetime
    event: str
    username: str
    actor: str
    client: str
    detail: dict[str, Any]


class SessionsMixin(StoreBase):
    # ------------------------------------------------------------------ login attempts

    def record_login_attempt(self, username: str, client: str, *, ok: bool, at: datetime) -> None:
        with self._write() as cur:
            cur.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?)", [at, username, client, ok])

    def failures_since(self, *, since: datetime, username: str | None = None, client: str | None = None) -> list[
            datetime]:
        """The times of failed logins after `since` for the username (or the client), after the last success of
        that username (or client) — a success clears the count."""
        column, value = ("username", username) if username is not None else ("client", client)
        with self._read() as cur:
            rows = cur.execute(
                f"""SELECT attempted_at FROM login_attempts WHERE {column} = ? AND NOT ok AND attempted_at > ?
                    AND attempted_at > coalesce(
                        (SELECT max(attempted_at) FROM login_attempts WHERE {column} = ? AND ok),
                        TIMESTAMP '1970-01-01')
                    ORDER BY attempted_at""",
                [value, since, value],
            ).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ sessions

    def create_session(self, token_sha256: str, username: str, client: str, *, at: datetime,
                       expires_at: datetime) -> None:
        with self._write() as cur:
            cur.execute(
                "INSERT INTO sessions (token_sha256, username, client, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [token_sha256, username, client, at, expires_at],
            )

    def get_session(self, token_sha256: str) -> SessionRecord | None:
        with self._read() as cur:
            row = cur.execute(
                "SELECT username, client, created_at, expires_at, revoked_at FROM sessions WHERE token_sha256 = ?",
                [token_sha256],
            ).fetchone()
        return SessionRecord(*row) if row else None

    def revoke_session(self, token_sha256: str, *, at: datetime) -> bool:
        """Mark one session logged out; False when there was no live one."""
        with self._write() as cur:
            live = cur.execute(
                "SELECT 1 FROM sessions WHERE token_sha256 = ? AND revoked_at IS NULL", [token_sha256]
            ).fetchone()
            cur.execute("UPDATE sessions SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL",
                        [at, token_sha256])
        return live is not None

    def revoke_user_sessions(self, username: str, *, at: datetime) -> int:
        """Log a user out everywhere (a password change, a disabled account); the number of sessions ended."""
        with self._write() as cur:
            row = cur.execute("SELECT count(*) FROM sessions WHERE username = ? AND revoked_at IS NULL",
                              [username]).fetchone()
            cur.execute("UPDATE sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", [at, username])
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------ security events

    def add_security_event(self, event: str, *, at: datetime, username: str = "", actor: str = "", client: str = "",
                           detail: dict[str, Any] | None = None) -> None:
        with self._write() as cur:
            cur.execute(
                "INSERT INTO security_events (happened_at, event, username, actor, client, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [at, event, username, actor, client, dumps(detail or {})],
            )

    def security_events(self, *, username: str | None = None, limit: int = 200) -> list[SecurityEvent]:
        """The latest events first (all, or those about one username)."""
        where, params = ("WHERE username = ?", [username]) if username is not None else ("", [])
        with self._read() as cur:
            rows = cur.execute(
                f"SELECT id, happened_at, event, username, actor, client, detail FROM security_events {where} "
                "ORDER BY id DESC LIMIT ?", [*params, limit],
            ).fetchall()
        return [SecurityEvent(id=r[0], at=r[1], event=r[2], username=r[3], actor=r[4], client=r[5],
                              detail=loads(r[6], {})) for r in rows]

    # ------------------------------------------------------------------ one-time passwords

    def require_password_change(self, username: str, required: bool, *, at: datetime) -> None:
        with self._write() as cur:
            cur.execute("DELETE FROM password_change_required WHERE username = ?", [username])
            if required:
                cur.execute("INSERT INTO password_change_required VALUES (?, ?)", [username, at])

    def password_change_required(self, username: str) -> bool:
        with self._read() as cur:
            row = cur.execute("SELECT 1 FROM password_change_required WHERE username = ?", [username]).fetchone()
        return row is not None
