"""Users and the app's key/value settings. Password hashing is auth.py's job: the store keeps hashes only."""

from __future__ import annotations

from typing import Any

from finsheet.errors import AuthError, StorageError
from finsheet.store.base import StoreBase, dumps, loads
from finsheet.store.records import Role, User

_USER_COLUMNS = "username, name, email, role, password_hash, created_at, disabled"
_ROLES = ("admin", "analyst")
_UNSET: Any = object()


def _user(row: tuple[Any, ...]) -> User:
    return User.model_validate(dict(zip(_USER_COLUMNS.split(", "), row, strict=True)))


class UsersMixin(StoreBase):
    def create_user(
        self, username: str, *, name: str = "", email: str = "", password_hash: str = "", role: Role = "analyst"
    ) -> User:
        """A new user; AuthError when the name is taken or empty."""
        username = username.strip()
        if not username:
            raise AuthError("a username cannot be empty")
        if role not in _ROLES:
            raise AuthError(f"unknown role {role!r}: use admin or analyst")
        with self._write() as cur:
            if cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
                raise AuthError(f"the username {username!r} is taken")
            cur.execute(
                "INSERT INTO users (username, name, email, role, password_hash) VALUES (?, ?, ?, ?, ?)",
                [username, name, email, role, password_hash],
            )
            row = cur.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", [username]).fetchone()
        assert row is not None
        return _user(row)

    def get_user(self, username: str) -> User | None:
        with self._read() as cur:
            row = cur.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", [username]).fetchone()
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        with self._read() as cur:
            rows = cur.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username").fetchall()
        return [_user(r) for r in rows]

    def update_user(
        self,
        username: str,
        *,
        role: Role | None = None,
        password_hash: str | None = None,
        name: str | None = None,
        email: str | None = None,
        disabled: bool | None = None,
    ) -> User:
        """Change the given fields of a user (the others stay); AuthError for an unknown user."""
        changes = {"role": role, "password_hash": password_hash, "name": name, "email": email, "disabled": disabled}
        changes = {k: v for k, v in changes.items() if v is not None}
        if role is not None and role not in _ROLES:
            raise AuthError(f"unknown role {role!r}: use admin or analyst")
        with self._write() as cur:
            if not cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
                raise AuthError(f"no user {username!r}")
            if changes:
                assignments = ", ".join(f"{k} = ?" for k in changes)
                cur.execute(f"UPDATE users SET {assignments} WHERE username = ?", [*changes.values(), username])
            row = cur.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", [username]).fetchone()
        assert row is not None
        return _user(row)

    def delete_user(self, username: str) -> bool:
        """Remove a user account (their documents stay, visible to admins); False when there was none."""
        with self._write() as cur:
            found = cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone()
            cur.execute("DELETE FROM users WHERE username = ?", [username])
        return found is not None

    # ------------------------------------------------------------------ app settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A JSON value the app stored under `key` (e.g. "allow_registration"), or `default`."""
        with self._read() as cur:
            row = cur.execute("SELECT value FROM app_settings WHERE key = ?", [key]).fetchone()
        return default if row is None else loads(row[0], default)

    def set_setting(self, key: str, value: Any) -> None:
        try:
            text = dumps(value)
        except TypeError as exc:
            raise StorageError(f"setting {key!r} must be JSON-serialisable: {exc}") from exc
        with self._write() as cur:
            cur.execute(
                "INSERT INTO app_settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, text],
            )
