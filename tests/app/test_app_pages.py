"""Every page of the workbench renders without an exception, for an admin and for an analyst (AppTest)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_session import PASSWORDS, login, open_page
from streamlit.testing.v1 import AppTest

from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth


@pytest.fixture
def app_data(app_settings: Settings) -> Path:
    """A data dir with an admin and an analyst; the app's cached store and job queue are released afterwards."""
    settings = app_settings
    with Store.open(settings) as store:
        auth.bootstrap_admin(store, settings)
        auth.create_account(store, "ann", PASSWORDS["ann"], name="Ann Lee")
    return settings.data_dir


def _wait_for_statements(at: AppTest, timeout: float = 120) -> None:
    """The demo documents are extracted in the background after the login: wait until Review shows one."""
    deadline = time.monotonic() + timeout
    while not (open_page(at, "review").dataframe) and time.monotonic() < deadline:
        time.sleep(0.5)


PAGES = {
    "upload": "Upload",
    "jobs": "Jobs",
    "review": "Review",
    "consolidate": "Consolidate",
    "account": "Account",
    "admin": "Admin",
}


@pytest.mark.parametrize("username", ["admin", "ann"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders(app_data: Path, username: str, page: str) -> None:
    """Each page renders its title and main element without an exception; Admin only for admins."""
    at = login(username)
    assert at.session_state["authentication_status"] is True
    if page == "admin" and username != "admin":
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/admin.py")  # not in an analyst's navigation
        return
    _wait_for_statements(at)
    open_page(at, page)
    assert [t.value for t in at.title] == [PAGES[page]]
    if page == "upload":
        assert at.get("file_uploader")
    elif page == "jobs":
        assert at.dataframe and at.selectbox
    elif page == "review":
        assert at.dataframe and at.get("image")
        assert any(s.label == "Statement" for s in at.selectbox)
    elif page == "consolidate":
        assert [b.label for b in at.get("download_button")] == ["Download workbook"]
    elif page == "account":
        assert "Current password" in [t.label for t in at.text_input]
    elif page == "admin":
        assert at.dataframe and any("tesseract" in s.value for s in [*at.success, *at.error])


@pytest.mark.parametrize("username", ["admin", "ann"])
def test_sidebar_shows_who_and_logs_out(app_data: Path, username: str) -> None:
    """The sidebar names the user and role; Log out returns to the login form."""
    at = login(username)
    assert any(username in m.value or "Ann Lee" in m.value for m in at.sidebar.markdown)
    next(b for b in at.sidebar.button if b.label == "Log out").click()
    at.run()
    assert not at.session_state["authentication_status"]
    assert "Username" in [t.label for t in at.text_input]
