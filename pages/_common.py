"""The streamlit glue every page shares: the cached workbench (settings, store, job queue), the login gate (the
forms over finsheet.workbench.auth; the session's bookkeeping is finsheet.workbench.session) and the current user.

Pages call `user = current_user()` and `wb = workbench()`; everything else they do is one call into finsheet.
"""

from __future__ import annotations

import json
import sys

import streamlit as st

from finsheet.errors import AuthError, FinsheetError, StorageError
from finsheet.settings import load_settings
from finsheet.store import User
from finsheet.workbench import auth, session, web
from finsheet.workbench.demo import load_demo
from finsheet.workbench.server import Workbench, open_workbench


def _release(bench: Workbench) -> None:
    bench.close()


@st.cache_resource(show_spinner=False, on_release=_release)
def _open_workbench(data_dir: str) -> Workbench:
    bench, password = open_workbench(load_settings())
    if password is not None:
        print(f"finsheet: first start — log in as 'admin' with the one-time password {password} "
              "(you will choose your own at the first login)", file=sys.stderr, flush=True)
    return bench


def workbench() -> Workbench:
    """The process's store and queue for the configured data dir (FINSHEET_DATA_DIR), opened on first use. When the
    database cannot be opened (another finsheet process holds it: an import; the disk) the page says why and offers
    a retry instead of Streamlit's error page; a failed open is not cached, so the retry opens it afresh."""
    try:
        return _open_workbench(str(load_settings().data_dir.resolve()))
    except StorageError as exc:
        st.error(f"The workbench cannot open its database: {exc}", icon=":material/database:")
        if st.button("Retry", key="fs_retry_open"):
            st.rerun()
        st.stop()
        raise  # st.stop() does not return


# --------------------------------------------------------------------------- login


def _client(bench: Workbench) -> str:
    return session.client_address(st.context, bench.settings)


def login_gate() -> User | None:
    """The logged-in user, or None after drawing the login form (and registration, when allowed) or, for a user
    whose password is one-time, the form that replaces it. Every run checks the session against the store."""
    bench = workbench()
    token = session.session_token(st.session_state, st.context, bench.settings)
    user = auth.session_user(bench.store, bench.settings, token)
    _navigate_if_pending()
    if user is None:
        session.forget_login(st.session_state, failed=st.session_state.get(session.AUTH_STATUS) is False)
        _login_form(bench)
        return None
    session.remember_login(st.session_state, user, token)
    if not st.session_state.get(session.DEMO_CHECKED):
        load_demo(bench.store, bench.queue, bench.settings, user.username)
        st.session_state[session.DEMO_CHECKED] = True
    _sidebar(bench, user)
    if auth.must_change_password(bench.store, user.username):
        st.title("Choose your password")
        st.info("This password was one-time: choose your own before you go on.")
        if password_form(bench, user):
            st.rerun()
        return None
    return user


def _navigate_if_pending() -> None:
    """Send the browser to a cookie route once (only when app.py's server mounted them:
    AppTest keeps the login in the browser tab's session only)."""
    target = session.take_navigation(st.session_state)
    if target and web.HANDOFFS.mounted:
        st.html(f"<script>window.location.replace({json.dumps(target)} + "
                "encodeURIComponent(window.location.pathname + window.location.search));</script>",
                unsafe_allow_javascript=True)


def _sidebar(bench: Workbench, user: User) -> None:
    with st.sidebar:
        st.markdown(f"**{user.name or user.username}** · {user.role}")
        if st.button("Log out", key="fs_logout"):
            auth.logout(bench.store, bench.settings, st.session_state.get(session.SESSION_TOKEN), client=_client(bench))
            session.logged_out(st.session_state)
            st.rerun()


def _login_form(bench: Workbench) -> None:
    st.title("finsheet")
    st.caption("Financial statements out of PDFs: checked, reviewed beside the source, consolidated, exported.")
    allowed = auth.registration_allowed(bench.store, bench.settings)
    login_tab, register_tab = st.tabs(["Log in", "Register"]) if allowed else (st.container(), None)
    with login_tab, st.form("login"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        if st.form_submit_button("Login"):
            outcome = auth.login(bench.store, bench.settings, username, password, client=_client(bench))
            if outcome.user is None or outcome.token is None:
                st.session_state[session.AUTH_STATUS] = False
                st.error(outcome.message)
            else:
                session.logged_in(st.session_state, outcome.user, outcome.token)
                st.rerun()
    if register_tab is not None:
        with register_tab:
            _register_form(bench)


def _register_form(bench: Workbench) -> None:
    with st.form("register", clear_on_submit=False):
        first, last = st.columns(2)
        first_name = first.text_input("First name")
        last_name = last.text_input("Last name")
        email = st.text_input("Email")
        username = st.text_input("Username", key="register_username")
        password = st.text_input("Password", type="password", key="register_password", autocomplete="new-password",
                                 help=f"At least {auth.MIN_PASSWORD} characters; a few words make a good one.")
        repeat = st.text_input("Repeat password", type="password", key="register_repeat")
        if st.form_submit_button("Register"):
            try:
                user = auth.register(bench.store, bench.settings, username, password, repeat,
                                     name=f"{first_name} {last_name}".strip(), email=email,
                                     client=_client(bench))
                st.success(f"Account {user.username!r} created: log in on the first tab.")
            except FinsheetError as exc:
                show_error(exc)


def password_form(bench: Workbench, user: User) -> bool:
    """The password change (Account page, and the forced change of a one-time password); True once changed. The
    user's other sessions end; this browser gets a new one."""
    with st.form("password_change", clear_on_submit=True):
        st.markdown("**Change password**")
        current = st.text_input("Current password", type="password", autocomplete="current-password")
        new = st.text_input("New password", type="password", autocomplete="new-password",
                            help=f"At least {auth.MIN_PASSWORD} characters; a few words make a good one.")
        repeat = st.text_input("Repeat password", type="password", autocomplete="new-password")
        if not st.form_submit_button("Change"):
            return False
    try:
        token = auth.change_password(bench.store, bench.settings, user.username, current, new, repeat,
                                     client=_client(bench))
    except FinsheetError as exc:
        show_error(exc)
        return False
    st.session_state[session.SESSION_TOKEN] = token
    session.hand_cookie_over(st.session_state, token)
    st.success("Password changed.")
    return True


def logged_out() -> None:
    """The only screen before a login: the gate above it has drawn the form."""


def current_user() -> User:
    """The logged-in user. Normally app.py's gate let this page run; but Streamlit runs a `pages/` file by itself
    when the process has not yet seen `st.navigation` (its first run, and every AppTest run), so a page that finds
    the gate not passed in this run goes through it itself: the login form, or the sidebar and the user."""
    bench = workbench()
    if st.session_state.get(session.GATE_PASSED):
        user = auth.session_user(bench.store, bench.settings, st.session_state.get(session.SESSION_TOKEN))
        if user is None:
            show_error(AuthError("your session ended: log in again"))
            st.stop()
        assert user is not None
        return user
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


def flash(message: str) -> None:
    """Show `message` as a success after the rerun the caller is about to ask for."""
    session.flash(st.session_state, message)


def show_flash() -> None:
    if message := session.take_flash(st.session_state):
        st.success(message)
