"""Users, roles and passwords; the cookie key; the glue streamlit-authenticator needs (without importing streamlit).

The users table in the store is the only source of truth. streamlit-authenticator works on a credentials dict in
memory, so the app builds that dict from the table on every run (`credentials`) and writes back what the widgets
changed (`save_registered`, `save_password`), reading the new bcrypt hash out of the same dict.

    key = cookie_key(settings)                  # ≥ 32 bytes: from settings, else generated once into the data dir
    password = bootstrap_admin(store, settings) # the first start: an `admin` account, its one-time password
    creds = credentials(store)                  # {"usernames": {...}} for stauth.Authenticate(creds, ...)

Usernames are lower case: the authenticator folds them when it reads the dict.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

import bcrypt

from finsheet.errors import AuthError
from finsheet.settings import Settings
from finsheet.store import Role, Store, User

ADMIN = "admin"
MIN_COOKIE_KEY_BYTES = 32
MIN_PASSWORD = 8
COOKIE_KEY_FILE = "cookie_key"
REGISTRATION_SETTING = "allow_registration"
_USERNAME = re.compile(r"^[a-z0-9_.@-]{2,40}$")


# --------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """A bcrypt hash of the password (the form streamlit-authenticator checks)."""
    check_password(password)
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def verify_password(password: str, hashed: str) -> bool:
    """Whether the password matches the hash; False for an empty or malformed hash."""
    try:
        return bool(hashed) and bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


def check_password(password: str) -> None:
    """AuthError unless the password is at least 8 characters (bcrypt reads at most 72 bytes)."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password.encode()) > 72:
        raise AuthError("a password can be at most 72 bytes long")


def normalise_username(username: str) -> str:
    """'  Ann.Lee ' -> 'ann.lee'; AuthError for anything but 2–40 letters, digits and . _ - @."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise AuthError(f"{username!r} is not a valid username: use 2–40 letters, digits and . _ - @")
    return name


# --------------------------------------------------------------------------- the cookie key


def cookie_key(settings: Settings) -> str:
    """The key that signs the login cookie: `settings.cookie_key` when set, else one generated once (48 random
    bytes, URL-safe) into `<data dir>/cookie_key` and reused on every start. AuthError for a key under 32 bytes."""
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
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or key
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


# --------------------------------------------------------------------------- accounts


def bootstrap_admin(store: Store, settings: Settings) -> str | None:
    """On a database with no users, create the `admin` account. Its password is `settings.admin_password` when
    set (None is returned: it is known), else a generated one-time password, returned for printing."""
    if store.list_users():
        return None
    generated = None if settings.admin_password else secrets.token_urlsafe(12)
    password = settings.admin_password or generated
    assert password is not None
    store.create_user(ADMIN, name="Administrator", password_hash=hash_password(password), role="admin")
    return generated


def create_account(
    store: Store, username: str, password: str, *, role: Role = "analyst", name: str = "", email: str = ""
) -> User:
    """A new account with a hashed password (the admin page); AuthError for a bad name, password or a taken name."""
    return store.create_user(
        normalise_username(username), name=name.strip(), email=email.strip(), password_hash=hash_password(password),
        role=role,
    )


def set_password(store: Store, username: str, password: str) -> User:
    """Replace a user's password (an admin resetting it)."""
    return store.update_user(username, password_hash=hash_password(password))


def active_user(store: Store, username: str | None) -> User:
    """The logged-in user as the store knows them now; AuthError when the account was removed or disabled (a
    cookie outlives an account, so every run asks)."""
    user = store.get_user(username or "")
    if user is None or user.disabled:
        raise AuthError(f"the account {username!r} no longer exists or is disabled")
    return user


def registration_allowed(store: Store, settings: Settings) -> bool:
    """Whether the login page offers self-registration: the admin's switch, else `settings.allow_registration`."""
    return bool(store.get_setting(REGISTRATION_SETTING, settings.allow_registration))


def set_registration(store: Store, allowed: bool) -> None:
    store.set_setting(REGISTRATION_SETTING, bool(allowed))


# --------------------------------------------------------------------------- streamlit-authenticator glue


def credentials(store: Store) -> dict[str, Any]:
    """The credentials dict streamlit-authenticator reads: every enabled user with a password, their bcrypt hash
    and their role (as a one-element `roles` list)."""
    users: dict[str, Any] = {}
    for user in store.list_users():
        if user.disabled or not user.password_hash:
            continue
        users[user.username.lower()] = {
            "email": user.email,
            "first_name": user.name or user.username,
            "last_name": "",
            "password": user.password_hash,
            "roles": [user.role],
            "logged_in": False,
            "failed_login_attempts": 0,
        }
    return {"usernames": users}


def save_registered(store: Store, creds: dict[str, Any], username: str) -> User:
    """Store an account the registration widget just added to `creds` (an analyst; the hash is the widget's)."""
    entry = _entry(creds, username)
    name = " ".join(x for x in (entry.get("first_name", ""), entry.get("last_name", "")) if x).strip()
    return store.create_user(
        normalise_username(username), name=name, email=str(entry.get("email") or ""),
        password_hash=str(entry["password"]), role="analyst",
    )


def save_password(store: Store, creds: dict[str, Any], username: str) -> User:
    """Store the hash the password-change widget just put into `creds`."""
    hashed = str(_entry(creds, username)["password"])
    if not hashed.startswith("$2"):
        raise AuthError("the new password was not hashed; nothing was changed")
    return store.update_user(username, password_hash=hashed)


def _entry(creds: dict[str, Any], username: str) -> dict[str, Any]:
    entry = creds.get("usernames", {}).get(username.lower())
    if not isinstance(entry, dict) or not entry.get("password"):
        raise AuthError(f"no credentials for {username!r}")
    return entry
