"""A browser session's state, as the pages keep it: the keys in one place, and the login's bookkeeping in them.

The pages hand Streamlit's session state (or, in the tests, a dict) and the request's context to these functions;
no streamlit here. The Consolidate page's own keys are in finsheet.workbench.consolidation_session.

    token = session_token(st.session_state, st.context, settings)   # this run's login, if any
    user = auth.session_user(store, settings, token)
    remember_login(st.session_state, user, token) if user else forget_login(st.session_state)
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from finsheet.settings import Settings
from finsheet.store import User
from finsheet.workbench import auth, web

State = MutableMapping[str, Any]

SESSION_TOKEN = "fs_session_token"
"""The server-side session's token (see finsheet.workbench.auth); the cookie holds the same value."""
PENDING_NAVIGATION = "fs_pending_navigation"
"""A URL the browser must visit once (to receive or drop the HttpOnly cookie)."""
FLASH = "fs_flash"
"""A success message shown after the rerun that follows an action."""
# AUTH_STATUS, USERNAME, NAME and ROLES keep the names streamlit-authenticator used, which the tests and older
# pages read.
AUTH_STATUS = "authentication_status"
USERNAME = "username"
NAME = "name"
ROLES = "roles"
DEMO_CHECKED = "fs_demo_checked"
"""Set once the demo data was offered to this login (see finsheet.workbench.demo)."""
GATE_PASSED = "fs_gate_passed"
"""Set while app.py runs the page its login gate let through."""
UPLOAD_SEEN = "fs_upload_seen"
UPLOAD_OUTCOMES = "fs_upload_outcomes"
REVIEW_DOCUMENT = "fs_review_document"
REVIEW_STATEMENT = "fs_review_statement"
REVIEW_MESSAGES = "fs_review_messages"


def session_token(state: State, context: object, settings: Settings) -> str | None:
    """This run's login token: the one the session holds, else the browser's cookie (`context.cookies`, a mapping
    such as Streamlit's `st.context`). A cookie header that cannot be read is no login."""
    token = state.get(SESSION_TOKEN)
    if isinstance(token, str) and token:
        return token
    try:
        value = context.cookies.get(settings.cookie_name)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — a cookie header Streamlit cannot parse, or no request at all
        return None
    return value if isinstance(value, str) and value else None


def client_address(context: object, settings: Settings) -> str:
    """The request's client for login throttling (`auth.client_of_request` reads the proxy header, when one is
    configured, or the connection's address). Without a request (a script run, AppTest) it is one local client."""
    try:
        headers = context.headers  # type: ignore[attr-defined]
        forwarded = headers.get(settings.client_ip_header) if settings.client_ip_header else None
        address = context.ip_address  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — no request context
        return "local"
    return auth.client_of_request(settings, forwarded, address)


def remember_login(state: State, user: User, token: str | None) -> None:
    state[SESSION_TOKEN] = token
    state[AUTH_STATUS] = True
    state[USERNAME] = user.username
    state[NAME] = user.name or user.username
    state[ROLES] = [user.role]


def forget_login(state: State, *, failed: bool = False) -> None:
    """No one is logged in; `failed`: the last attempt failed (the status the tests and older pages read)."""
    for key in (SESSION_TOKEN, USERNAME, NAME, ROLES, DEMO_CHECKED):
        state.pop(key, None)
    state[AUTH_STATUS] = False if failed else None


def logged_in(state: State, user: User, token: str) -> None:
    """A login (or a password change) just succeeded: remember it, offer the demo data afresh, and have the next
    run send the browser for its HttpOnly cookie."""
    remember_login(state, user, token)
    state.pop(DEMO_CHECKED, None)
    hand_cookie_over(state, token)


def hand_cookie_over(state: State, token: str) -> None:
    """The next run sends the browser to the route that sets the cookie for `token`."""
    state[PENDING_NAVIGATION] = web.handoff_path(token)


def logged_out(state: State) -> None:
    """The session was revoked: forget it, and have the next run send the browser to drop its cookie."""
    forget_login(state)
    state[PENDING_NAVIGATION] = f"{web.LOGOUT_PATH}?next="


def take_navigation(state: State) -> str | None:
    """The URL the browser must visit now, once."""
    return state.pop(PENDING_NAVIGATION, None)


def flash(state: State, message: str) -> None:
    """Show `message` as a success after the rerun the caller is about to ask for."""
    state[FLASH] = message


def take_flash(state: State) -> str | None:
    return state.pop(FLASH, None)
