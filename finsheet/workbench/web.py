"""The login cookie, set by the server: two small HTTP routes served beside the Streamlit app (mounted by app.py).

Streamlit scripts cannot send response headers, and a cookie written by JavaScript (what streamlit-authenticator
does) can never be HttpOnly. So after a login the page hands the browser a one-time code (`handoff_path`), the
browser follows it to `/auth/session`, and that response sets the cookie with HttpOnly, SameSite=Lax, Path=/ and,
when `settings.cookie_secure` says finsheet is served over HTTPS (or the request came over HTTPS), Secure; then it
redirects back to the page the analyst was on. The code is random, lives 60 seconds and works once; the session
token itself never appears in a URL. `/auth/logout` expires the cookie (the session was already revoked on the
server by the page).

No streamlit here: starlette only, so the routes can be tested with a plain HTTP client.
"""

from __future__ import annotations

import secrets
import threading
import time
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from finsheet.settings import Settings

SESSION_PATH = "/auth/session"
LOGOUT_PATH = "/auth/logout"
HANDOFF_SECONDS = 60.0


class Handoffs:
    """One-time codes for session tokens, kept in this process's memory (the page and the route share it)."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self.mounted = False
        """True once `routes()` was built: only then does the page send the browser to them."""

    def put(self, token: str, *, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes = {c: v for c, v in self._codes.items() if v[1] > now}
            self._codes[code] = (token, now + HANDOFF_SECONDS)
        return code

    def take(self, code: str | None, *, now: float | None = None) -> str | None:
        """The token for a code that was issued, is unused and younger than 60 s; None otherwise."""
        now = time.monotonic() if now is None else now
        with self._lock:
            found = self._codes.pop(code or "", None)
        return found[0] if found and found[1] > now else None


HANDOFFS = Handoffs()


def safe_next(value: str | None) -> str:
    """A same-site path to return to; anything else (another host, a scheme, '//evil', backslashes) is '/'."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def handoff_path(token: str, next_path: str = "") -> str:
    """The URL (path and query) the browser follows to receive the cookie for `token`; without `next_path` it ends
    in `next=` for the page to append where the browser is (URL-encoded)."""
    after = quote(safe_next(next_path), safe="/") if next_path else ""
    return f"{SESSION_PATH}?code={HANDOFFS.put(token)}&next={after}"


def routes(settings: Settings, handoffs: Handoffs = HANDOFFS) -> list[Route]:
    """The two routes, for `st.App(..., routes=...)`."""
    handoffs.mounted = True
    max_age = int(settings.cookie_expiry_days * 86400)

    async def take_session(request: Request) -> Response:
        token = handoffs.take(request.query_params.get("code"))
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        if token is not None:
            # Secure when configured, and whenever this request itself came over HTTPS
            secure = settings.cookie_secure or request.url.scheme == "https"
            response.set_cookie(settings.cookie_name, token, max_age=max_age, path="/", httponly=True,
                                secure=secure, samesite="lax")
        return response

    async def drop_session(request: Request) -> Response:
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        response.delete_cookie(settings.cookie_name, path="/", httponly=True, secure=settings.cookie_secure,
                               samesite="lax")
        return response

    return [Route(SESSION_PATH, take_session, methods=["GET"]), Route(LOGOUT_PATH, drop_session, methods=["GET"])]
