"""The streamlit glue every page shares: the cached workbench (settings, store, job queue), session-state keys,
the login gate (streamlit-authenticator over the users table) and the current user.

Pages call `user = current_user()` and `wb = workbench()`; everything else they do is one call into finsheet.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError, RegisterError

from finsheet.errors import AuthError, FinsheetError
from finsheet.jobs.queue import JobQueue
from finsheet.settings import Settings, load_settings
from finsheet.store import Store, User
from finsheet.workbench import auth
from finsheet.workbench.consolidation import CONSOLIDATION_KEY, OVERRIDES, follow_consolidation  # noqa: F401 (re-exported)
from finsheet.workbench.demo import load_demo

# Session-state keys, one place (the authenticator's own keys are its business: name, username, roles, ...; the
# Consolidate page's controls are kept by finsheet.workbench.consolidation.follow_consolidation, with their keys).
AUTHENTICATOR = "fs_authenticator"
CREDENTIALS = "fs_credentials"
JUST_LOGGED_IN = "fs_just_logged_in"
DEMO_CHECKED = "fs_demo_checked"
UPLOAD_SEEN = "fs_upload_seen"
UPLOAD_OUTCOMES = "fs_upload_outcomes"
REVIEW_DOCUMENT = "fs_review_document"
REVIEW_STATEMENT = "fs_review_statement"
REVIEW_TABLE = "fs_review_table"
REVIEW_MESSAGES = "fs_review_messages"
CONSOLIDATION_ID = "fs_consolidation_id"
GATE_PASSED = "fs_gate_passed"
"""Set while app.py runs the page it let through (see `current_user`)."""
WORKBOOK = "fs_workbook"
"""The bytes the Download workbook button serves (kept so a rerun does not rebuild them)."""


@dataclass(slots=True)
class Workbench:
    """What one server process shares across sessions: one store and one job queue per data directory."""

    settings: Settings
    store: Store
    queue: JobQueue

    def close(self) -> None:
        self.queue.shutdown(wait=True, interrupt=True, timeout=30)
        self.store.close()


def _release(bench: Workbench) -> None:
    bench.close()


@st.cache_resource(show_spinner=False, on_release=_release)
def _open_workbench(data_dir: str) -> Workbench:
    settings = load_settings()
    store = Store.open(settings)
    password = auth.bootstrap_admin(store, settings)
    if password is not None:
        print(f"finsheet: first start — log in as 'admin' with the one-time password {password} "
              "(change it on the Account page)", file=sys.stderr, flush=True)
    queue = JobQueue(store, settings).start()
    return Workbench(settings, store, queue)


def workbench() -> Workbench:
    """The process's store and queue for the configured data dir (FINSHEET_DATA_DIR), opened on first use."""
    return _open_workbench(str(load_settings().data_dir.resolve()))


# --------------------------------------------------------------------------- login


def _authenticator(bench: Workbench) -> stauth.Authenticate:
    """A fresh authenticator per run over the users table as it is now (an admin may just have added someone)."""
    creds = auth.credentials(bench.store)
    st.session_state[CREDENTIALS] = creds
    authenticator = stauth.Authenticate(
        creds,
        cookie_name=bench.settings.cookie_name,
        cookie_key=auth.cookie_key(bench.settings),
        cookie_expiry_days=bench.settings.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0.05,  # the cookie is read from the request; no need to wait for a component
    )
    st.session_state[AUTHENTICATOR] = authenticator
    return authenticator


def login_gate() -> User | None:
    """The logged-in user, or None after drawing the login (and, when allowed, registration) form."""
    bench = workbench()
    authenticator = _authenticator(bench)
    if not st.session_state.get("authentication_status"):
        authenticator.login(location="unrendered")  # a valid login cookie logs in here, drawing nothing
    if st.session_state.get("authentication_status"):
        try:
            user = auth.active_user(bench.store, st.session_state.get("username"))
        except AuthError as exc:
            authenticator.logout(location="unrendered")
            st.error(str(exc))
        else:
            _after_login(bench, authenticator, user)
            if st.session_state.get("authentication_status"):
                return user
    _login_form(bench, authenticator)
    return None


def _after_login(bench: Workbench, authenticator: stauth.Authenticate, user: User) -> None:
    if st.session_state.pop(JUST_LOGGED_IN, False):
        authenticator.cookie_controller.set_cookie()  # set on a run that stays on screen, so the browser gets it
    if not st.session_state.get(DEMO_CHECKED):
        load_demo(bench.store, bench.queue, bench.settings, user.username)
        st.session_state[DEMO_CHECKED] = True
    with st.sidebar:
        st.markdown(f"**{user.name or user.username}** · {user.role}")
        authenticator.logout("Log out", location="sidebar", key="fs_logout")


def _login_form(bench: Workbench, authenticator: stauth.Authenticate) -> None:
    st.title("finsheet")
    st.caption("Financial statements out of PDFs: checked, reviewed beside the source, consolidated, exported.")
    allowed = auth.registration_allowed(bench.store, bench.settings)
    login_tab, register_tab = st.tabs(["Log in", "Register"]) if allowed else (st.container(), None)
    with login_tab:
        try:
            authenticator.login(location="main", key="login")
        except LoginError as exc:
            st.error(str(exc))
        if st.session_state.get("authentication_status") is False:
            st.error("Username or password is incorrect.")
        elif st.session_state.get("authentication_status"):
            st.session_state[JUST_LOGGED_IN] = True
            st.session_state.pop(DEMO_CHECKED, None)
            st.rerun()
    if register_tab is not None:
        with register_tab:
            _register_form(bench, authenticator)


def _register_form(bench: Workbench, authenticator: stauth.Authenticate) -> None:
    try:
        _, username, _ = authenticator.register_user(
            location="main", captcha=False, roles=["analyst"], password_hint=False, key="register"
        )
        if username:
            auth.save_registered(bench.store, st.session_state[CREDENTIALS], username)
            st.success(f"Account {username!r} created: log in on the first tab.")
    except (RegisterError, AuthError) as exc:
        st.error(str(exc))


def logged_out() -> None:
    """The only screen before a login: the gate above it has drawn the form."""


def current_user() -> User:
    """The logged-in user. Normally app.py's gate let this page run; but Streamlit runs a `pages/` file by itself
    when the process has not yet seen `st.navigation` (its first run, and every AppTest run), so a page that finds
    the gate not passed in this run goes through it itself: the login form, or the sidebar and the user."""
    bench = workbench()
    if st.session_state.get(GATE_PASSED):
        try:
            return auth.active_user(bench.store, st.session_state.get("username"))
        except AuthError as exc:
            show_error(exc)
            st.stop()
    user = login_gate()
    if user is None:
        st.stop()
    assert user is not None  # st.stop() ended the run otherwise
    return user


def require_admin(user: User) -> None:
    if not user.is_admin:
        st.error("This page is for administrators.")
        st.stop()


def show_error(exc: FinsheetError | Exception) -> None:
    """One clear line for the analyst, never a traceback."""
    st.error(str(exc) if isinstance(exc, FinsheetError) else f"Something went wrong: {exc}")


def authenticator_of_session() -> Any:
    return st.session_state[AUTHENTICATOR]
