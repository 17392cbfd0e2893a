"""Accounts, logins and sessions, without streamlit: what the login gate, the Account and Admin pages and the CLI
call. The users table in the store is the only source of truth.

    outcome = login(store, settings, "ann", password, client="10.0.0.7")   # throttled; a session token on success
    user = session_user(store, settings, outcome.token)                    # every request: None unless live
    logout(store, settings, outcome.token, client=...)                     # the token is dead from now on

A login cookie holds an opaque random token and an HMAC of it under the cookie key; the store keeps only the
token's SHA-256 with its user, client, expiry and revocation. So a logout or a password change ends the session on
the server (a copied cookie stops working), and anything that is not such a token (a JWT with alg=none, garbage,
an expired or revoked token) is simply "logged out". Failed logins lock the username, and the client address, for
`login_lockout_minutes` after `login_max_failures` (`login_client_max_failures`) failures. Every login, failure,
lockout, logout, registration, account creation, role change and password change is a JSON log event
(`auth.*`) and a row of the store's security events.

The password rule and hashing are in `finsheet.workbench.passwords`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from finsheet.errors import AuthError, FinsheetError
from finsheet.logs import log_event
from finsheet.settings import Settings
from finsheet.store import Role, Store, User
from finsheet.workbench.passwords import DUMMY_HASH, MIN_PASSWORD, check_password, hash_password, verify_password

__all__ = [
    "ADMIN", "MIN_PASSWORD", "LoginOutcome", "active_user", "bootstrap_admin", "change_password",
    "check_password", "cookie_key", "create_account", "hash_password", "login", "logout", "must_change_password",
    "normalise_username", "protect_data_dir", "register", "registration_allowed", "require_existing_user",
    "session_user", "set_password", "set_registration", "update_account", "verify_password",
]

ADMIN = "admin"
MIN_COOKIE_KEY_BYTES = 32
COOKIE_KEY_FILE = "cookie_key"
REGISTRATION_SETTING = "allow_registration"
RESERVED_USERNAMES = frozenset({ADMIN, "root", "administrator", "system"})
WRONG_CREDENTIALS = "Username or password is incorrect."
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.@-")


def utcnow() -> datetime:
    """Naive UTC, the form the store's TIMESTAMP columns hold."""
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_username(username: str) -> str:
    """'  Ann.Lee ' -> 'ann.lee'; AuthError for anything but 2–40 letters, digits and . _ - @."""
    name = username.strip().lower()
    if not 2 <= len(name) <= 40 or not set(name) <= _USERNAME_CHARS or name.startswith(".") or ".." in name:
        raise AuthError(f"{username!r} is not a valid username: use 2–40 letters, digits and . _ - @")
    return name


# --------------------------------------------------------------------------- security events


def security_event(store: Store | None, event: str, *, username: str = "", actor: str = "", client: str = "",
                   at: datetime | None = None, **detail: Any) -> None:
    """One `auth.<event>` JSON log line and one stored security event (when a store is given). A store that cannot
    write does not stop a login: the log line says so."""
    fields: dict[str, Any] = {"user": username or None, "actor": actor or None, "client": client or None}
    fields.update((k, v) for k, v in detail.items() if k not in ("event", "level", "exc_info"))
    log_event(f"auth.{event}", **fields)
    if store is None:
        return
    try:
        store.add_security_event(event, at=at or utcnow(), username=username, actor=actor, client=client,
                                 detail=detail)
    except FinsheetError as exc:
        log_event("auth.event_not_stored", lost=event, error=str(exc))


# --------------------------------------------------------------------------- the cookie key


def cookie_key(settings: Settings) -> str:
    """The key that signs login tokens: `settings.cookie_key` when set, else one generated once (48 random bytes,
    URL-safe) into `<data dir>/cookie_key` (0600) and reused on every start. AuthError for a key under 32 bytes."""
    if settings.cookie_key:
        if len(settings.cookie_key.encode()) < MIN_COOKIE_KEY_BYTES:
            raise AuthError(f"FINSHEET_COOKIE_KEY must be at least {MIN_COOKIE_KEY_BYTES} bytes long")
        return settings.cookie_key
    path = settings.data_dir / COOKIE_KEY_FILE
    if path.is_file():
        key = path.read_text().strip()
        if len(key.encode()) >= MIN_COOKIE_KEY_BYTES:
            return key
    return _write_key(path, secrets.token_urlsafe(48))


def _write_key(path: Path, key: str) -> str:
    """Create the key file readable by its owner only; when another process won the race, use its key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or key
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


# --------------------------------------------------------------------------- file modes


def protect_data_dir(settings: Settings) -> None:
    """Make what this process creates from now on private to its owner (umask 077: files 0600, directories 0700:
    the DuckDB file and its WAL, the logs, the uploads, the cookie key) and tighten what an older finsheet left
    world-readable in the data dir (its own files only: the demo documents beside them are the repository's).
    Called once at the start of the app, of `make run`'s bootstrap and of `finsheet import`."""
    os.umask(0o077)
    root = settings.data_dir
    root.mkdir(parents=True, exist_ok=True)
    db = settings.db_path
    own = [root, db, db.with_name(db.name + ".wal"), root / COOKIE_KEY_FILE]
    for folder in (settings.logs_dir, settings.uploads_dir):
        if folder.is_dir():
            own += [folder, *folder.rglob("*")]
    for path in own:
        try:
            if path.is_symlink() or not path.exists():
                continue
            mode = path.stat().st_mode & 0o777
            wanted = mode & 0o700 if path.is_dir() else mode & 0o600
            if mode != wanted:
                path.chmod(wanted)
        except OSError:  # a file another user owns: leave it, the app still runs
            continue


# --------------------------------------------------------------------------- accounts


def bootstrap_admin(store: Store, settings: Settings, *, renew: bool = False) -> str | None:
    """On a database with no users, create the `admin` account. Its password is `settings.admin_password` when set
    (None is returned: it is known), else a generated one-time password, returned for printing and to be changed
    at the first login. With `renew`, an admin whose one-time password was never changed gets a fresh one (the
    previous start printed it to a terminal that may be gone)."""
    users = store.list_users()
    if users and not (renew and not settings.admin_password and store.password_change_required(ADMIN)):
        return None
    generated = None if settings.admin_password else _one_time_password()
    password = settings.admin_password or generated
    assert password is not None
    if users:
        store.update_user(ADMIN, password_hash=hash_password(password))
        store.revoke_user_sessions(ADMIN, at=utcnow())
    else:
        store.create_user(ADMIN, name="Administrator", password_hash=hash_password(password), role="admin")
    store.require_password_change(ADMIN, generated is not None, at=utcnow())
    security_event(store, "admin_bootstrap", username=ADMIN, actor="system", one_time=generated is not None)
    return generated


def _one_time_password() -> str:
    """Four groups of five letters and digits (easy to type from a terminal); 100 bits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    while True:
        password = "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))
        try:
            check_password(password)
        except AuthError:
            continue
        return password


def create_account(
    store: Store, username: str, password: str, *, role: Role = "analyst", name: str = "", email: str = "",
    actor: str = "", must_change: bool = False,
) -> User:
    """A new account with a hashed password (the admin page); AuthError for a bad name, password or a taken name.
    `must_change`: the password is one-time (the admin chose it) and must be replaced at the first login."""
    username = normalise_username(username)
    user = store.create_user(username, name=name.strip(), email=email.strip(),
                             password_hash=hash_password(password, username=username), role=role)
    if must_change:
        store.require_password_change(username, True, at=utcnow())
    security_event(store, "account_created", username=username, actor=actor, role=role, one_time=must_change)
    return user


def register(store: Store, settings: Settings, username: str, password: str, repeat: str, *, name: str = "",
             email: str = "", client: str = "") -> User:
    """Self-registration of an analyst; AuthError when it is switched off, the passwords differ, the name is
    reserved or taken, or the password breaks the rule."""
    if not registration_allowed(store, settings):
        raise AuthError("registration is switched off: ask an administrator for an account")
    name_ = normalise_username(username)
    if name_ in RESERVED_USERNAMES:
        raise AuthError(f"the username {name_!r} is reserved")
    if password != repeat:
        raise AuthError("the two passwords differ")
    user = store.create_user(name_, name=name.strip(), email=email.strip(),
                             password_hash=hash_password(password, username=name_), role="analyst")
    security_event(store, "registration", username=name_, client=client)
    return user


def update_account(store: Store, username: str, *, actor: str, role: Role | None = None,
                   disabled: bool | None = None) -> User:
    """An admin's change of role or of the disabled flag, logged; a disabled account is logged out everywhere."""
    before = store.get_user(username)
    if before is None:
        raise AuthError(f"no user {username!r}")
    user = store.update_user(username, role=role, disabled=disabled)
    if role is not None and role != before.role:
        security_event(store, "role_changed", username=username, actor=actor, old=before.role, new=role)
    if disabled is not None and disabled != before.disabled:
        security_event(store, "account_disabled" if disabled else "account_enabled", username=username, actor=actor)
        if disabled:
            store.revoke_user_sessions(username, at=utcnow())
    return user


def set_password(store: Store, username: str, password: str, *, actor: str = "", must_change: bool = False) -> User:
    """An admin replacing a user's password: the user's sessions end; with `must_change` it is one-time."""
    user = store.update_user(username, password_hash=hash_password(password, username=username))
    store.revoke_user_sessions(username, at=utcnow())
    store.require_password_change(username, must_change, at=utcnow())
    security_event(store, "password_reset", username=username, actor=actor, one_time=must_change)
    return user


def change_password(store: Store, settings: Settings, username: str, current: str, new: str, repeat: str, *,
                    client: str = "") -> str:
    """The user's own change: the current password must be right and the new one follow the rule and differ. Every
    session of the user ends (a copied cookie dies with the old password); returns a new session token for the
    browser that made the change."""
    user = active_user(store, username)
    if not verify_password(current, user.password_hash):
        security_event(store, "password_change_failed", username=username, client=client, reason="wrong current")
        raise AuthError("The current password is not correct.")
    if new != repeat:
        raise AuthError("the two new passwords differ")
    if new == current:
        raise AuthError("the new password must differ from the current one")
    store.update_user(username, password_hash=hash_password(new, username=username))
    now = utcnow()
    ended = store.revoke_user_sessions(username, at=now)
    store.require_password_change(username, False, at=now)
    security_event(store, "password_changed", username=username, client=client, sessions_ended=ended)
    return _start_session(store, settings, username, client, now)


def active_user(store: Store, username: str | None) -> User:
    """The user as the store knows them now; AuthError when the account was removed or disabled."""
    user = store.get_user(username or "")
    if user is None or user.disabled:
        raise AuthError(f"the account {username!r} no longer exists or is disabled")
    return user


def require_existing_user(store: Store, username: str) -> None:
    """AuthError unless documents may be imported for this account (`finsheet import --user`): it must exist and
    be enabled, so nobody can later register the name and find documents waiting. The one exception is `admin` on
    a database without accounts yet: the first start creates it, and registration refuses that name."""
    name = username.strip().lower()
    user = store.get_user(name)
    if user is None and name == ADMIN and not store.list_users():
        return
    if user is None:
        raise AuthError(f"there is no account {username!r}: create it first (Admin page), then import for it")
    if user.disabled:
        raise AuthError(f"the account {username!r} is disabled")


def registration_allowed(store: Store, settings: Settings) -> bool:
    """Whether the login page offers self-registration: the admin's switch, else `settings.allow_registration`
    (off by default)."""
    return bool(store.get_setting(REGISTRATION_SETTING, settings.allow_registration))


def set_registration(store: Store, allowed: bool, *, actor: str = "") -> None:
    store.set_setting(REGISTRATION_SETTING, bool(allowed))
    security_event(store, "registration_switched", actor=actor, allowed=bool(allowed))


def must_change_password(store: Store, username: str) -> bool:
    """Whether the user's password is one-time: the app lets them do nothing before they change it."""
    return store.password_change_required(username)


# --------------------------------------------------------------------------- logins and sessions


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """A login's answer: the user and their new session token, or the message to show (wrong, or locked)."""

    user: User | None
    token: str | None
    message: str = ""
    locked: bool = False


def lock_remaining(store: Store, settings: Settings, *, username: str, client: str,
                   at: datetime | None = None) -> timedelta | None:
    """How long the username, or the client, stays locked (None: not locked)."""
    now = at or utcnow()
    window = timedelta(minutes=settings.login_lockout_minutes)
    remaining: list[timedelta] = []
    for failures, limit in ((store.failures_since(since=now - window, username=username),
                             settings.login_max_failures),
                            (store.failures_since(since=now - window, client=client) if client else [],
                             settings.login_client_max_failures)):
        if limit > 0 and len(failures) >= limit:
            remaining.append(failures[limit - 1] + window - now)
    return max(remaining) if remaining else None


def login(store: Store, settings: Settings, username: str, password: str, *, client: str = "",
          at: datetime | None = None) -> LoginOutcome:
    """Check a username and password against the users table, unless the username or the client is locked out.
    Every attempt is recorded; a success starts a server-side session (its token goes into the cookie)."""
    now = at or utcnow()
    name = username.strip().lower()[:80]
    client = client[:80]
    remaining = lock_remaining(store, settings, username=name, client=client, at=now)
    if remaining is not None:
        minutes = max(1, int(remaining.total_seconds() // 60) + 1)
        security_event(store, "login_refused_locked", username=name, client=client, at=now)
        return LoginOutcome(None, None, f"Too many failed logins: try again in {minutes} minute(s).", locked=True)
    user = store.get_user(name)
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH) and user is not None
    ok = ok and user is not None and not user.disabled
    store.record_login_attempt(name, client, ok=ok, at=now)
    if not ok or user is None:
        security_event(store, "login_failed", username=name, client=client, at=now,
                       reason="unknown user" if user is None else "disabled" if user.disabled else "wrong password")
        after = lock_remaining(store, settings, username=name, client=client, at=now)
        if after is not None:
            security_event(store, "lockout", username=name, client=client, at=now,
                           minutes=settings.login_lockout_minutes)
        return LoginOutcome(None, None, WRONG_CREDENTIALS)
    token = _start_session(store, settings, name, client, now)
    security_event(store, "login", username=name, client=client, at=now)
    return LoginOutcome(user, token)


def _start_session(store: Store, settings: Settings, username: str, client: str, now: datetime) -> str:
    secret = secrets.token_urlsafe(32)
    store.create_session(_sha256(secret), username, client, at=now,
                         expires_at=now + timedelta(days=settings.cookie_expiry_days))
    return f"{secret}.{_sign(settings, secret)}"


def session_user(store: Store, settings: Settings, token: str | None, *, at: datetime | None = None) -> User | None:
    """The user a session token belongs to while the session is live (not revoked, not expired, the account
    enabled); None for anything else, malformed input included — never an exception for a bad token."""
    secret = _verified_secret(settings, token)
    if secret is None:
        return None
    record = store.get_session(_sha256(secret))
    if record is None or record.revoked_at is not None or record.expires_at <= (at or utcnow()):
        return None
    user = store.get_user(record.username)
    return user if user is not None and not user.disabled else None


def logout(store: Store, settings: Settings, token: str | None, *, client: str = "") -> None:
    """End the token's session on the server (nothing for a malformed or unknown token)."""
    secret = _verified_secret(settings, token)
    if secret is None:
        return
    record = store.get_session(_sha256(secret))
    if record is not None and store.revoke_session(_sha256(secret), at=utcnow()):
        security_event(store, "logout", username=record.username, client=client)


def _verified_secret(settings: Settings, token: str | None) -> str | None:
    if not isinstance(token, str) or len(token) > 200 or token.count(".") != 1:
        return None
    secret, signature = token.split(".")
    if not secret or not hmac.compare_digest(signature.encode(), _sign(settings, secret).encode()):
        return None
    return secret


def _sign(settings: Settings, secret: str) -> str:
    digest = hmac.new(cookie_key(settings).encode(), secret.encode(), hashlib.sha256).hexdigest()
    return digest[:43]


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --------------------------------------------------------------------------- `make run`'s first step


def main(argv: list[str] | None = None) -> int:
    """`python -m finsheet.workbench.auth`: before the server starts, make the data dir private, create the first
    admin (or renew its never-used one-time password) and print that password at the top of the terminal."""
    from finsheet.settings import load_settings

    try:
        settings = load_settings()
        protect_data_dir(settings)
        with Store.open(settings) as store:
            password = bootstrap_admin(store, settings, renew=True)
    except FinsheetError as exc:
        print(f"finsheet: {exc}", file=sys.stderr)
        return 1
    if password:
        rule = "=" * 72
        print(f"{rule}\n  finsheet: log in as 'admin' with the one-time password\n\n      {password}\n\n"
              f"  You will be asked to choose your own password at the first login.\n{rule}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def client_of_request(settings: Settings, forwarded: object, address: object) -> str:
    """Who is knocking, for login throttling. Behind a proxy (settings.client_ip_header) the header's *last* address:
    the one our proxy saw; earlier ones are whatever the client wrote. Otherwise the connection's address, and
    'local' when there is none (AppTest, no request)."""
    if settings.client_ip_header and isinstance(forwarded, str) and forwarded.split(",")[-1].strip():
        return forwarded.split(",")[-1].strip()
    return address if isinstance(address, str) and address else "local"
