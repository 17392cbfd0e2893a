"""What the AppTest tests of the workbench share: the app, the test accounts' passwords, logging in and opening a
page. A plain module, imported by name (`from app_session import login`): pytest puts tests/app on sys.path for the
tests in it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
PASSWORDS = {"admin": "admin-password-1", "ann": "ann-password-1", "bob": "bob-password-1"}


def login(username: str, password: str | None = None) -> AppTest:
    """A fresh session of the app, logged in through the login form (with the account's test password unless
    `password` is given); fails on any exception the app raised."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    next(t for t in at.text_input if t.label == "Username").input(username)
    next(t for t in at.text_input if t.label == "Password").input(password or PASSWORDS[username])
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    """Switch the session to pages/<page>.py and run it; fails on any exception the page raised."""
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
