"""Login throttling: a username, and a client address, locked for a while after repeated failures; every login,
failure and lockout a JSON log event and a stored security event."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from finsheet.logs import LOG_FILE, close_logging, setup_logging
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth

PASSWORD = "plum tree at dusk"
T0 = datetime(2026, 11, 30, 9, 0, 0)


@pytest.fixture
def ann(store: Store) -> None:
    auth.create_account(store, "ann", PASSWORD)


@pytest.fixture
def json_log(settings: Settings) -> Iterator[Path]:
    setup_logging(settings, stderr=False)
    yield settings.logs_dir / LOG_FILE
    close_logging()


def _fail(store: Store, settings: Settings, n: int, *, user: str = "ann", client: str = "10.0.0.1",
          start: datetime = T0) -> datetime:
    at = start
    for i in range(n):
        at = start + timedelta(seconds=i)
        outcome = auth.login(store, settings, user, f"wrong guess number {i}", client=client, at=at)
        assert outcome.user is None and outcome.token is None
    return at


@pytest.mark.usefixtures("ann")
def test_the_right_password_logs_in(store: Store, settings: Settings) -> None:
    """A right password gives the user and a session token; a wrong one the same message as an unknown user."""
    wrong = auth.login(store, settings, "ann", "not her password", client="10.0.0.1", at=T0)
    unknown = auth.login(store, settings, "nobody", PASSWORD, client="10.0.0.1", at=T0)
    assert wrong.message == unknown.message == auth.WRONG_CREDENTIALS
    ok = auth.login(store, settings, " Ann ", PASSWORD, client="10.0.0.1", at=T0)
    assert ok.user is not None and ok.user.username == "ann" and ok.token


@pytest.mark.usefixtures("ann")
def test_forty_wrong_then_right_is_refused(store: Store, settings: Settings) -> None:
    """The attack from the issue: 40 wrong passwords and then the right one does not log in."""
    last = _fail(store, settings, 40)
    outcome = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1", at=last + timedelta(seconds=1))
    assert outcome.user is None and outcome.locked
    assert "Too many failed logins" in outcome.message


@pytest.mark.usefixtures("ann")
def test_user_lockout_holds_for_the_configured_while(store: Store, settings: Settings) -> None:
    """Five failures lock the username from any client for 15 minutes; after that the right password works."""
    last = _fail(store, settings, 4)
    assert auth.login(store, settings, "ann", PASSWORD, client="10.0.0.9", at=last).user is not None  # 4: not yet
    last = _fail(store, settings, 5, start=last + timedelta(seconds=1))
    other_client = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.9", at=last + timedelta(minutes=14))
    assert other_client.locked and other_client.user is None
    later = auth.login(store, settings, "ann", PASSWORD, client="10.0.0.9", at=last + timedelta(minutes=15, seconds=1))
    assert later.user is not None and not later.locked


@pytest.mark.usefixtures("ann")
def test_lock_time_is_configurable(store: Store, settings: Settings) -> None:
    """login_max_failures and login_lockout_minutes set the policy."""
    strict = settings.model_copy(update={"login_max_failures": 2, "login_lockout_minutes": 60})
    last = _fail(store, strict, 2)
    assert auth.login(store, strict, "ann", PASSWORD, client="x", at=last + timedelta(minutes=59)).locked
    assert auth.login(store, strict, "ann", PASSWORD, client="x", at=last + timedelta(minutes=61)).user is not None


@pytest.mark.usefixtures("ann")
def test_client_lockout_across_usernames(store: Store, settings: Settings) -> None:
    """One client guessing many usernames is locked after 20 failures, even for a right password; others are not."""
    for n in range(20):
        _fail(store, settings, 1, user=f"guess{n}", client="10.6.6.6", start=T0 + timedelta(seconds=n))
    at = T0 + timedelta(seconds=30)
    assert auth.login(store, settings, "ann", PASSWORD, client="10.6.6.6", at=at).locked
    assert auth.login(store, settings, "ann", PASSWORD, client="10.0.0.2", at=at).user is not None


@pytest.mark.usefixtures("ann")
def test_success_clears_the_count(store: Store, settings: Settings) -> None:
    """Failures before a successful login do not add up with later ones."""
    last = _fail(store, settings, 4)
    assert auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1", at=last + timedelta(seconds=1)).user
    last = _fail(store, settings, 4, start=last + timedelta(seconds=2))
    assert auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1", at=last + timedelta(seconds=1)).user


@pytest.mark.usefixtures("ann")
def test_events_are_logged_as_json_and_stored(store: Store, settings: Settings, json_log: Path) -> None:
    """Login, failure, lockout, refused-while-locked, registration, role change and password change are JSON log
    lines and stored security events."""
    auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1", at=T0)
    last = _fail(store, settings, 5, start=T0 + timedelta(seconds=1))
    auth.login(store, settings, "ann", PASSWORD, client="10.0.0.1", at=last + timedelta(seconds=1))
    auth.set_registration(store, True, actor="admin")
    auth.register(store, settings, "carol", "carol's own long phrase", "carol's own long phrase", client="10.0.0.3")
    auth.update_account(store, "carol", actor="admin", role="admin")
    auth.change_password(store, settings, "carol", "carol's own long phrase", "a newer phrase of carol",
                         "a newer phrase of carol")
    logging.getLogger("finsheet").handlers[0].flush()
    lines = [json.loads(line) for line in json_log.read_text().splitlines()]
    logged = [line["event"] for line in lines]
    expected = ["auth.login", "auth.login_failed", "auth.lockout", "auth.login_refused_locked", "auth.registration",
                "auth.role_changed", "auth.password_changed"]
    assert all(event in logged for event in expected), logged
    lockout = next(line for line in lines if line["event"] == "auth.lockout")
    assert lockout["user"] == "ann" and lockout["client"] == "10.0.0.1" and lockout["ts"]
    stored = {e.event for e in store.security_events()}
    assert {e.removeprefix("auth.") for e in expected} <= stored
    role = next(e for e in store.security_events(username="carol") if e.event == "role_changed")
    assert (role.actor, role.detail) == ("admin", {"old": "analyst", "new": "admin"})
    assert not any(PASSWORD in json.dumps(line) for line in lines), "a password reached the log"


def test_the_client_is_the_proxys_last_address_only_when_configured(settings: Settings) -> None:
    """Behind a proxy the last address of its header counts (the client writes the earlier ones to dodge the
    lockout); without the setting the header is ignored; no address at all is one 'local' client."""
    spoofed = "6.6.6.6, 10.0.0.7"
    assert auth.client_of_request(settings, spoofed, "127.0.0.1") == "127.0.0.1"
    behind = settings.model_copy(update={"client_ip_header": "X-Forwarded-For"})
    assert auth.client_of_request(behind, spoofed, "127.0.0.1") == "10.0.0.7"
    assert auth.client_of_request(behind, " ", "127.0.0.1") == "127.0.0.1"
    assert auth.client_of_request(behind, None, None) == "local"
