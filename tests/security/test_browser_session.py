"""The session in a real browser (headless Chromium) against what `make run` serves: a deep link survives the
login, the first admin must choose a password, the cookie is HttpOnly (no script sees it), a reload stays logged
in, and after logout a copy of the cookie taken before logs nobody in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NEW_PASSWORD = "a brand new passphrase"
# streamlit-authenticator's old cookie, forged with alg=none for the admin ({"alg":"none"}.{"username":"admin"}.)
ALG_NONE = "eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImFkbWluIiwiZXhwX2RhdGUiOjk5OTk5OTk5OTl9."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def _fill(page: Any, label: str, value: str) -> None:
    page.get_by_role("textbox", name=label).first.fill(value)


def test_session_cookie_in_a_browser(served: tuple[str, str]) -> None:
    """Deep link → login with the printed password → forced change → HttpOnly cookie → reload → logout → copied
    cookie refused; forged and garbage cookies are just logged out."""
    sync_api = pytest.importorskip("playwright.sync_api")
    url, one_time = served
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(url + "/statements")
            _fill(page, "Username", "admin")
            _fill(page, "Password", one_time)
            page.get_by_role("button", name="Login").click()
            page.get_by_role("heading", name="Choose your password").wait_for()
            assert page.get_by_text("Page not found").count() == 0
            cookie = next(c for c in context.cookies() if c["name"] == "finsheet_auth")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
            assert "finsheet_auth" not in page.evaluate("document.cookie")
            assert page.url.endswith("/statements"), "the deep link survives the login"

            _fill(page, "Current password", one_time)
            _fill(page, "New password", NEW_PASSWORD)
            _fill(page, "Repeat password", NEW_PASSWORD)
            page.get_by_role("button", name="Change").click()
            page.get_by_role("button", name="Log out").wait_for()
            page.get_by_role("heading", name="Review").first.wait_for()
            changed = next(c for c in context.cookies() if c["name"] == "finsheet_auth")
            assert changed["value"] != cookie["value"], "the password change issued a new session"

            page.reload()
            page.get_by_role("button", name="Log out").wait_for()
            copied = [c for c in context.cookies() if c["name"] == "finsheet_auth"]

            page.get_by_role("button", name="Log out").click()
            page.get_by_role("button", name="Login").wait_for()
            page.wait_for_load_state("networkidle")
            assert not [c for c in context.cookies() if c["name"] == "finsheet_auth"], "logout drops the cookie"

            thief = browser.new_context()
            thief.add_cookies(copied)
            other = thief.new_page()
            other.set_default_timeout(60_000)
            other.goto(url + "/statements")
            other.get_by_role("button", name="Login").wait_for()
            assert other.get_by_role("button", name="Log out").count() == 0
            old = browser.new_context()
            old.add_cookies([cookie])  # the cookie from before the password change
            before_change = old.new_page()
            before_change.goto(url + "/uploads")
            before_change.get_by_role("button", name="Login").wait_for(timeout=60_000)
            for forged in (ALG_NONE, "garbage", "a.b.c%ZZ=="):
                stranger = browser.new_context()
                stranger.add_cookies([{"name": "finsheet_auth", "value": forged, "url": url}])
                visit = stranger.new_page()
                visit.goto(url + "/statements")
                visit.get_by_role("button", name="Login").wait_for(timeout=60_000)
                assert visit.get_by_text("Error").count() == 0 and visit.get_by_text("Traceback").count() == 0
        finally:
            browser.close()
