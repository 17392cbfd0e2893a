"""workbench.auth: passwords, usernames, the cookie key, the first admin, accounts and the registration switch
(logins, lockout and sessions: tests/security/)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from finsheet.errors import AuthError
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def test_hash_round_trip() -> None:
    """A hashed password verifies; another password and a malformed hash do not."""
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("$2")
    assert auth.verify_password("correct horse", hashed)
    assert not auth.verify_password("wrong horse", hashed)
    assert not auth.verify_password("correct horse", "not-a-hash")
    assert not auth.verify_password("correct horse", "")


def test_hash_is_what_the_authenticator_checks() -> None:
    """Hashes streamlit-authenticator stored before (older databases) still verify, and it accepts ours."""
    Hasher = pytest.importorskip("streamlit_authenticator.utilities").Hasher  # noqa: N806 (its class)
    assert Hasher.check_pw("correct horse", auth.hash_password("correct horse"))
    assert auth.verify_password("Another1!", Hasher.hash("Another1!"))


@pytest.mark.parametrize("password", ["", "short", "eleven char", "é" * 40, "password1234", "x" * 1025])
def test_weak_passwords_rejected(password: str) -> None:
    """Passwords under 12 characters, common ones, one character repeated or absurdly long are refused."""
    with pytest.raises(AuthError):
        auth.hash_password(password)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("ann", "ann"), ("  Ann.Lee ", "ann.lee"), ("bob_2", "bob_2"), ("c@example.com", "c@example.com")],
)
def test_usernames_normalised(given: str, expected: str) -> None:
    """Usernames are trimmed and lower-cased (the authenticator folds them too)."""
    assert auth.normalise_username(given) == expected


@pytest.mark.parametrize("given", ["", "a", "has space", "semi;colon", "x" * 41, "../etc"])
def test_bad_usernames_rejected(given: str) -> None:
    """Empty, one-letter, too long or punctuated usernames are refused."""
    with pytest.raises(AuthError):
        auth.normalise_username(given)


def test_cookie_key_from_settings(tmp_path: Path) -> None:
    """A configured key of 32 bytes or more is used as it is; nothing is written."""
    key = "k" * 40
    settings = Settings(data_dir=tmp_path, cookie_key=key)
    assert auth.cookie_key(settings) == key
    assert not (tmp_path / auth.COOKIE_KEY_FILE).exists()


def test_short_cookie_key_refused(tmp_path: Path) -> None:
    """A configured key under 32 bytes is a configuration error, not silently used."""
    with pytest.raises(AuthError, match="32 bytes"):
        auth.cookie_key(Settings(data_dir=tmp_path, cookie_key="too-short"))


def test_cookie_key_generated_once(settings: Settings) -> None:
    """Without a configured key, one is generated into the data dir (owner-only) and the same one reused."""
    first = auth.cookie_key(settings)
    path = settings.data_dir / auth.COOKIE_KEY_FILE
    assert len(first.encode()) >= 32
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.cookie_key(settings) == first
    assert auth.cookie_key(Settings(data_dir=settings.data_dir)) == first


def test_bootstrap_admin_generates_a_one_time_password(store: Store, settings: Settings) -> None:
    """On an empty users table an `admin` admin account is created; its generated password is returned once and
    must be changed at the first login."""
    password = auth.bootstrap_admin(store, settings)
    assert password
    admin = store.get_user("admin")
    assert admin is not None and admin.role == "admin"
    assert auth.verify_password(password, admin.password_hash)
    assert auth.must_change_password(store, "admin")
    assert auth.bootstrap_admin(store, settings) is None
    assert [u.username for u in store.list_users()] == ["admin"]


def test_bootstrap_admin_takes_the_configured_password(store: Store, tmp_path: Path) -> None:
    """FINSHEET_ADMIN_PASSWORD becomes the admin's password and is not echoed back."""
    settings = Settings(data_dir=tmp_path, admin_password="from-the-environment")
    assert auth.bootstrap_admin(store, settings) is None
    admin = store.get_user("admin")
    assert admin is not None and auth.verify_password("from-the-environment", admin.password_hash)
    assert not auth.must_change_password(store, "admin")


def test_registration_switch(store: Store, settings: Settings) -> None:
    """Registration is off by default and follows settings until an admin flips the switch, which then wins."""
    assert auth.registration_allowed(store, settings) is False
    assert auth.registration_allowed(store, Settings(data_dir=settings.data_dir, allow_registration=True)) is True
    auth.set_registration(store, False)
    assert auth.registration_allowed(store, settings) is False
    auth.set_registration(store, True)
    assert auth.registration_allowed(store, settings) is True


def test_active_user_refuses_disabled_and_removed_accounts(store: Store) -> None:
    """A disabled or deleted user is turned away."""
    auth.create_account(store, "ann", "ann-password")
    assert auth.active_user(store, "ann").username == "ann"
    store.update_user("ann", disabled=True)
    with pytest.raises(AuthError):
        auth.active_user(store, "ann")
    with pytest.raises(AuthError):
        auth.active_user(store, "nobody")
    with pytest.raises(AuthError):
        auth.active_user(store, None)


def test_admin_password_reset(store: Store) -> None:
    """An admin's reset replaces the password; the old one stops working."""
    auth.create_account(store, "ann", "old-password")
    assert not auth.must_change_password(store, "ann")
    auth.set_password(store, "ann", "brand-new-password")
    stored = store.get_user("ann")
    assert stored is not None
    assert auth.verify_password("brand-new-password", stored.password_hash)
    assert not auth.verify_password("old-password", stored.password_hash)
    auth.set_password(store, "ann", "one-time from admin", must_change=True)
    assert auth.must_change_password(store, "ann")


def test_taken_username_refused(store: Store) -> None:
    """Creating an account under a taken name (in any case) fails."""
    auth.create_account(store, "ann", "ann-password")
    with pytest.raises(AuthError, match="taken"):
        auth.create_account(store, "ANN", "other-password")
