"""Server-side sessions: a token works while its session lives; logout, a password change, a disabled account or
its expiry end it (a copied cookie stops working); anything malformed is just "logged out"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest

from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth

PASSWORD = "plum tree at dusk"


@pytest.fixture
def token(store: Store, settings: Settings) -> str:
    auth.create_account(store, "ann", PASSWORD)
    outcome = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1")
    assert outcome.token
    return outcome.token


def test_a_live_session_is_its_user(store: Store, settings: Settings, token: str) -> None:
    """The token names the user; the store holds only its hash, never the token."""
    user = auth.session_user(store, settings, token)
    assert user is not None and user.username == "ann"
    with store._read() as cur:  # the table's content, not an API: prove the secret is not stored
        stored = cur.execute("SELECT token_sha256 FROM sessions").fetchall()
    assert stored and all(token.split(".")[0] not in row[0] for row in stored)


def test_logout_kills_a_copied_token(store: Store, settings: Settings, token: str) -> None:
    """After logout the same token (a cookie copied before) no longer logs in; other sessions stay."""
    copied = str(token)
    other = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.2").token
    auth.logout(store, settings, token, client="10.0.0.1")
    assert auth.session_user(store, settings, copied) is None
    assert auth.session_user(store, settings, other) is not None
    assert [e.event for e in store.security_events(username="ann")][0] == "logout"


def test_password_change_ends_every_session(store: Store, settings: Settings, token: str) -> None:
    """A password change revokes all the user's sessions and hands the changing browser a new one."""
    other = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.2").token
    fresh = auth.change_password(store, settings, "ann", PASSWORD, "a different long phrase",
                                 "a different long phrase")
    assert auth.session_user(store, settings, token) is None
    assert auth.session_user(store, settings, other) is None
    assert auth.session_user(store, settings, fresh) is not None


def test_admin_reset_and_disable_end_sessions(store: Store, settings: Settings, token: str) -> None:
    """An admin's password reset or disabling the account logs the user out everywhere."""
    auth.set_password(store, "ann", "reset by the admin now", actor="admin", must_change=True)
    assert auth.session_user(store, settings, token) is None
    assert auth.must_change_password(store, "ann")
    again = auth.login(store, settings, "ann", "reset by the admin now").token
    auth.update_account(store, "ann", actor="admin", disabled=True)
    assert auth.session_user(store, settings, again) is None
    assert auth.login(store, settings, "ann", "reset by the admin now").user is None


def test_expired_session_is_logged_out(store: Store, settings: Settings, token: str) -> None:
    """A session older than cookie_expiry_days is over."""
    later = datetime.now() + timedelta(days=settings.cookie_expiry_days, hours=1)  # noqa: DTZ005 (naive UTC ahead)
    assert auth.session_user(store, settings, token, at=later) is None


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _jwt(payload: dict[str, object], key: str) -> str:
    """An HS256 JWT as streamlit-authenticator's cookie held one."""
    signing = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(payload)}"
    signature = hmac.new(key.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"


def _malformed(settings: Settings, token: str) -> list[object]:
    secret, signature = token.split(".")
    return [
        f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'username': 'ann', 'exp_date': 9e12})}.",
        _jwt({"username": "ann", "exp_date": 9e12}, "k" * 40),
        _jwt({"username": "ann", "exp_date": 1.0}, auth.cookie_key(settings)),
        "garbage", "", ".", "a.b.c", f"{secret}.", f".{signature}", f"{secret}.{signature[:-1]}x",
        f"{secret}x.{signature}", "é" * 30, token * 10, None, 42, b"bytes", f"{secret}.{signature}\x00",
    ]


def test_malformed_tokens_are_logged_out_never_a_crash(store: Store, settings: Settings, token: str) -> None:
    """alg=none, foreign JWTs, expired JWTs, tampered signatures and garbage are all simply "no user"."""
    for bad in _malformed(settings, token):
        assert auth.session_user(store, settings, bad) is None, bad  # type: ignore[arg-type]
        auth.logout(store, settings, bad)  # type: ignore[arg-type]
    assert auth.session_user(store, settings, token) is not None, "the real token still works"


def test_another_cookie_key_invalidates_tokens(store: Store, settings: Settings, token: str) -> None:
    """Tokens are signed with the cookie key: a new key logs everyone out."""
    rotated = settings.model_copy(update={"cookie_key": "n" * 48})
    assert auth.session_user(store, rotated, token) is None
