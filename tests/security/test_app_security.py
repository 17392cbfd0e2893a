"""The login gate in the running app (AppTest): registration hidden by default, the lockout through the form, the
forced change of the first admin password, a session checked on every run (logout ends a copied token, a
malformed one is just logged out), and the Users table showing a new account at once."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from finsheet.settings import load_settings
from finsheet.store import Store
from finsheet.workbench import auth

APP = Path(__file__).resolve().parents[2] / "app.py"
ANN = "ann's long passphrase"
SESSION_TOKEN = "fs_session_token"  # pages/_common.SESSION_TOKEN


@pytest.fixture
def one_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A data dir as a first start leaves it: the admin with a generated one-time password (returned), and ann."""
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINSHEET_OCR", "false")
    monkeypatch.delenv("FINSHEET_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("FINSHEET_ALLOW_REGISTRATION", raising=False)
    settings = load_settings()
    with Store.open(settings) as store:
        password = auth.bootstrap_admin(store, settings)
        auth.create_account(store, "ann", ANN)
    assert password
    yield password
    st.cache_resource.clear()


def _app(**state: object) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _submit_login(at: AppTest, username: str, password: str) -> AppTest:
    next(t for t in at.text_input if t.label == "Username").input(username)
    next(t for t in at.text_input if t.label == "Password").input(password)
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _on_login_form(at: AppTest) -> bool:
    return "Username" in [t.label for t in at.text_input] and "Login" in [b.label for b in at.button]


def test_no_registration_by_default(one_time: str) -> None:
    """The login page of a fresh deployment offers no registration form."""
    at = _app()
    assert _on_login_form(at)
    assert "Register" not in [b.label for b in at.button]
    assert "Repeat password" not in [t.label for t in at.text_input]


def test_lockout_through_the_form(one_time: str) -> None:
    """Five wrong passwords, then the right one: refused with the lockout message."""
    at = _app()
    for n in range(5):
        _submit_login(at, "ann", f"wrong password {n}")
        assert "Username or password is incorrect." in [e.value for e in at.error]
    _submit_login(at, "ann", ANN)
    assert any("Too many failed logins" in e.value for e in at.error)
    assert _on_login_form(at) and not at.session_state["authentication_status"]


def test_first_admin_login_forces_a_new_password(one_time: str) -> None:
    """The one-time password opens only the password form; no page is reachable until it is changed; the
    new password then works and the one-time one no longer does."""
    at = _submit_login(_app(), "admin", one_time)
    assert [t.value for t in at.title] == ["Choose your password"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")  # only the login pages are registered until the change
    assert not at.get("file_uploader") and not at.sidebar.get("page_link")
    for label, value in (("Current password", one_time), ("New password", "password1234"),
                         ("Repeat password", "password1234")):
        next(t for t in at.text_input if t.label == label).input(value)
    next(b for b in at.button if b.label == "Change").click()
    at.run()
    assert any("common" in e.value for e in at.error), "the rule applies to the forced change too"
    for label, value in (("Current password", one_time), ("New password", "the admin's own phrase"),
                         ("Repeat password", "the admin's own phrase")):
        next(t for t in at.text_input if t.label == label).input(value)
    next(b for b in at.button if b.label == "Change").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Choose your password" not in [t.value for t in at.title]
    assert "Log out" in [b.label for b in at.sidebar.button]
    assert not _submit_login(_app(), "admin", one_time).session_state["authentication_status"]
    assert _submit_login(_app(), "admin", "the admin's own phrase").session_state["authentication_status"] is True


def test_logout_ends_a_copied_session(one_time: str) -> None:
    """A second browser holding a copy of the token is logged in until the first logs out; then it is not."""
    first = _submit_login(_app(), "ann", ANN)
    token = first.session_state[SESSION_TOKEN]
    copy = _app(**{SESSION_TOKEN: token})
    assert copy.session_state["username"] == "ann" and not _on_login_form(copy)
    next(b for b in first.sidebar.button if b.label == "Log out").click()
    first.run()
    assert _on_login_form(first)
    copy.run()
    assert not copy.exception and _on_login_form(copy)
    assert copy.session_state["authentication_status"] is not True


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


ALG_NONE = ".".join([_b64('{"alg":"none","typ":"JWT"}'), _b64('{"username":"admin","exp_date":9999999999}'), ""])


@pytest.mark.parametrize("token", [ALG_NONE, "garbage", "", "a.b", "x" * 5000])
def test_malformed_token_is_just_logged_out(one_time: str, token: str) -> None:
    """A forged alg=none token or garbage where the session token goes: the login form, no error."""
    at = _app(**{SESSION_TOKEN: token})
    assert _on_login_form(at) and not at.error


def test_users_table_shows_a_new_account_at_once(one_time: str) -> None:
    """After the admin creates an account the Users table lists it, with the confirmation; the Security events
    table shows the admin's login, password change and the creation."""
    at = _submit_login(_app(), "admin", one_time)
    for label, value in (("Current password", one_time), ("New password", "the admin's own phrase"),
                         ("Repeat password", "the admin's own phrase")):
        next(t for t in at.text_input if t.label == label).input(value)
    next(b for b in at.button if b.label == "Change").click()
    at.run()
    at.switch_page("pages/admin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    inputs = {t.label: t for t in at.text_input}  # the New account form's fields (their labels are unique here)
    inputs["Username"].input("zoe")
    inputs["Password"].input("zoe's first phrase")
    next(b for b in at.button if b.label == "Create").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Account 'zoe' created." in [s.value for s in at.success]
    assert "zoe" in at.dataframe[0].value["username"].tolist()
    events = at.dataframe[1].value  # the Security events table
    assert {"account_created", "password_changed", "login"} <= set(events["event"])
