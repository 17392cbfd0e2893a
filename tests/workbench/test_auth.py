"""workbench.auth: passwords, the cookie key, the first admin, and the credentials glue for streamlit-authenticator."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from streamlit_authenticator.utilities import Hasher

from finsheet.errors import AuthError
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> Store:
    db = Store.open(settings)
    yield db
    db.close()


def test_hash_round_trip() -> None:
    """A hashed password verifies; another password and a malformed hash do not."""
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("$2")
    assert auth.verify_password("correct horse", hashed)
    assert not auth.verify_password("wrong horse", hashed)
    assert not auth.verify_password("correct horse", "not-a-hash")
    assert not auth.verify_password("correct horse", "")


def test_hash_is_what_the_authenticator_checks() -> None:
    """streamlit-authenticator accepts our hashes and we accept its hashes."""
    assert Hasher.check_pw("correct horse", auth.hash_password("correct horse"))
    assert auth.verify_password("Another1!", Hasher.hash("Another1!"))


@pytest.mark.parametrize("password", ["", "short", "1234567", "é" * 40])
def test_weak_or_overlong_passwords_rejected(password: str) -> None:
    """Passwords under 8 characters or over bcrypt's 72 bytes are refused with AuthError."""
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
    """On an empty users table an `admin` admin account is created; its generated password is returned once."""
    password = auth.bootstrap_admin(store, settings)
    assert password
    admin = store.get_user("admin")
    assert admin is not None and admin.role == "admin"
    assert auth.verify_password(password, admin.password_hash)
    assert auth.bootstrap_admin(store, settings) is None
    assert [u.username for u in store.list_users()] == ["admin"]


def test_bootstrap_admin_takes_the_configured_password(store: Store, tmp_path: Path) -> None:
    """FINSHEET_ADMIN_PASSWORD becomes the admin's password and is not echoed back."""
    settings = Settings(data_dir=tmp_path, admin_password="from-the-environment")
    assert auth.bootstrap_admin(store, settings) is None
    admin = store.get_user("admin")
    assert admin is not None and auth.verify_password("from-the-environment", admin.password_hash)


def test_credentials_list_enabled_users_with_roles(store: Store) -> None:
    """The authenticator's dict holds every enabled user with a password, their hash and role; disabled ones not."""
    auth.create_account(store, "Ann", "ann-password", name="Ann Lee", email="ann@example.com")
    auth.create_account(store, "boss", "boss-password", role="admin")
    auth.create_account(store, "gone", "gone-password")
    store.update_user("gone", disabled=True)
    users = auth.credentials(store)["usernames"]
    assert sorted(users) == ["ann", "boss"]
    assert users["ann"]["roles"] == ["analyst"] and users["boss"]["roles"] == ["admin"]
    assert users["ann"]["email"] == "ann@example.com" and users["ann"]["first_name"] == "Ann Lee"
    assert Hasher.check_pw("ann-password", users["ann"]["password"])


def test_registered_user_saved_from_the_widget_dict(store: Store) -> None:
    """What the registration widget adds to the dict becomes an analyst account with the widget's hash."""
    creds = auth.credentials(store)
    creds["usernames"]["carol"] = {"email": "carol@example.com", "first_name": "Carol", "last_name": "Diaz",
                                   "password": Hasher.hash("Carol-pass1!"), "roles": ["admin"]}
    user = auth.save_registered(store, creds, "carol")
    assert (user.role, user.name, user.email) == ("analyst", "Carol Diaz", "carol@example.com")
    stored = store.get_user("carol")
    assert stored is not None and auth.verify_password("Carol-pass1!", stored.password_hash)


def test_password_change_saved_from_the_widget_dict(store: Store) -> None:
    """The new hash the password widget writes into the dict is stored; an unhashed value is refused."""
    auth.create_account(store, "ann", "old-password")
    creds = auth.credentials(store)
    creds["usernames"]["ann"]["password"] = Hasher.hash("New-password1!")
    auth.save_password(store, creds, "ann")
    stored = store.get_user("ann")
    assert stored is not None and auth.verify_password("New-password1!", stored.password_hash)
    creds["usernames"]["ann"]["password"] = "plain text"
    with pytest.raises(AuthError):
        auth.save_password(store, creds, "ann")
    with pytest.raises(AuthError):
        auth.save_password(store, creds, "nobody")


def test_registration_switch(store: Store, settings: Settings) -> None:
    """Registration follows settings until an admin flips the switch, which then wins."""
    assert auth.registration_allowed(store, settings) is True
    assert auth.registration_allowed(store, Settings(data_dir=settings.data_dir, allow_registration=False)) is False
    auth.set_registration(store, False)
    assert auth.registration_allowed(store, settings) is False
    auth.set_registration(store, True)
    assert auth.registration_allowed(store, Settings(data_dir=settings.data_dir, allow_registration=False)) is True


def test_active_user_refuses_disabled_and_removed_accounts(store: Store) -> None:
    """A login cookie outlives an account: a disabled or deleted user is turned away."""
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
    auth.set_password(store, "ann", "brand-new-password")
    stored = store.get_user("ann")
    assert stored is not None
    assert auth.verify_password("brand-new-password", stored.password_hash)
    assert not auth.verify_password("old-password", stored.password_hash)


def test_taken_username_refused(store: Store) -> None:
    """Creating an account under a taken name (in any case) fails."""
    auth.create_account(store, "ann", "ann-password")
    with pytest.raises(AuthError, match="taken"):
        auth.create_account(store, "ANN", "other-password")
