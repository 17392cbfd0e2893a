"""The one password rule, in every path that sets a password: registration, an admin-created account, a user's
change, an admin's reset and the first admin's configured password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from finsheet.errors import AuthError
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth
from finsheet.workbench.passwords import check_password, hash_password, verify_password

GOOD = "plum tree at dusk"

REFUSED = [
    ("", "12 characters"),
    ("password", "12 characters"),
    ("Tr0ub4dor&3", "12 characters"),  # 11: the length rule, whatever the mix
    ("123456789012", "digits and symbols"),
    ("!!!!!!!!!!!!!", "digits and symbols"),
    ("password1234", "common"),
    ("Password123!", "common"),
    ("P@ssw0rd2024!", "common"),
    ("passwordpassword", "common"),
    ("qwertyuiop12", "common"),
    ("abcdefghijkl", "common"),
    ("aaaaaaaaaaaa", "common"),
    ("abcabcabcabc", "common"),
    ("iloveyou2024!", "common"),
    ("finsheet2026!", "common"),
    ("x" * 1025, "at most"),
]


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_rule_refuses(password: str, reason: str) -> None:
    """Short, digits-only, common, repeated and keyboard-run passwords are refused with the reason."""
    with pytest.raises(AuthError, match=reason):
        check_password(password)


@pytest.mark.parametrize("password", [GOOD, "correct horse battery staple", "Zq8!mT3#vL9w",
                                      "ann-password-1", "x7-Kettle-Drum-Bay"])
def test_rule_accepts(password: str) -> None:
    """Twelve characters or more that are not common pass."""
    check_password(password)


def test_password_cannot_be_the_username() -> None:
    """The username itself (with digits around it) is refused."""
    with pytest.raises(AuthError, match="username"):
        check_password("marguerite2024", username="marguerite")
    check_password("marguerite2024", username="ann")


def test_long_passphrases_are_welcome_and_every_character_counts() -> None:
    """No 20-character cap, and past bcrypt's 72 bytes a change at the end still matters."""
    long = "the quick brown fox jumps over the lazy dog near the riverbank at dawn " * 3  # 213 characters
    hashed = hash_password(long)
    assert verify_password(long, hashed)
    assert not verify_password(long[:-1] + "X", hashed)
    assert not verify_password(long[:72], hashed)
    short = "a short-enough phrase"
    assert verify_password(short, hash_password(short))


def _register(store: Store, settings: Settings, password: str) -> None:
    auth.set_registration(store, True)
    auth.register(store, settings, "carol", password, password)


def _admin_created(store: Store, settings: Settings, password: str) -> None:
    auth.create_account(store, "dave", password)


def _changed(store: Store, settings: Settings, password: str) -> None:
    auth.create_account(store, "erin", GOOD)
    auth.change_password(store, settings, "erin", GOOD, password, password)


def _reset(store: Store, settings: Settings, password: str) -> None:
    auth.create_account(store, "fred", GOOD)
    auth.set_password(store, "fred", password, actor="admin")


def _bootstrap(store: Store, settings: Settings, password: str) -> None:
    auth.bootstrap_admin(store, settings.model_copy(update={"admin_password": password}))


PATHS: dict[str, Callable[[Store, Settings, str], None]] = {
    "registration": _register, "admin-created": _admin_created, "change": _changed, "admin reset": _reset,
    "first admin": _bootstrap,
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("password", ["password", "password1234", "Password123!"])
def test_every_path_applies_the_rule(store: Store, settings: Settings, path: str, password: str) -> None:
    """A weak password is refused by each way of setting one, and nothing is stored with it."""
    before = {u.username: u.password_hash for u in store.list_users()}
    with pytest.raises(AuthError):
        PATHS[path](store, settings, password)
    after = {u.username: u.password_hash for u in store.list_users()}
    new_or_changed = {name for name in after if before.get(name) != after[name]}
    assert all(not verify_password(password, after[name]) for name in new_or_changed)


@pytest.mark.parametrize("path", PATHS)
def test_every_path_takes_a_long_passphrase(store: Store, settings: Settings, path: str) -> None:
    """A 40-character passphrase (twice the old registration cap) is accepted by each path."""
    phrase = "four words on a long line of ours here"
    PATHS[path](store, settings, phrase)
    assert any(verify_password(phrase, u.password_hash) for u in store.list_users())


def test_bootstrap_password_is_one_time_and_follows_the_rule(store: Store, tmp_path: Path) -> None:
    """The generated first admin password passes the rule and must be changed at the first login."""
    settings = Settings(data_dir=tmp_path)
    password = auth.bootstrap_admin(store, settings)
    assert password is not None and len(password) >= 12
    check_password(password)
    assert auth.must_change_password(store, auth.ADMIN)
