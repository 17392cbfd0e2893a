"""A person's path in headless Chromium against `streamlit run`: log in, upload, wait for the job, review, download."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser-admin-1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "streamlit exited"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the app did not come up")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port with its own data dir; stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "data"), "FINSHEET_ADMIN_PASSWORD": PASSWORD,
           "FINSHEET_OCR": "false", "OMP_THREAD_LIMIT": "1"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _log_in(page: Any, username: str, password: str, attempts: int = 3) -> None:
    """Fill the login form and wait for the first screen. On a fresh server Streamlit may draw the form twice in
    the first session (it runs `pages/` by itself until it has seen st.navigation), wiping what was typed into
    the first one; the form is then filled again."""
    heading = page.get_by_role("heading", name="Upload", exact=True).first  # a rerun may briefly draw it twice
    for _ in range(attempts):
        page.get_by_role("tab", name="Register").wait_for()
        page.get_by_role("textbox", name="Username").first.fill(username)
        page.get_by_role("textbox", name="Password").first.fill(password)
        page.get_by_role("button", name="Login").click()
        try:
            heading.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            assert page.get_by_role("textbox", name="Username").count(), "neither logged in nor a login form"
    heading.wait_for()


def _settled(page: Any) -> None:
    """Wait until the script is not running, twice a second apart: the login cookie's component asks for one more
    rerun right after the first screen is drawn, and a file set into an input that is being redrawn is lost."""
    idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    for _ in range(2):
        idle.wait_for()
        page.wait_for_timeout(1000)
    idle.wait_for()


def test_login_upload_review_download(app_url: str, tmp_path: Path, statement_pdf: Callable[..., bytes]) -> None:
    """Log in, upload a PDF, see its job finish, open its statement beside the page, download the workbook."""
    from playwright.sync_api import sync_playwright

    pdf = tmp_path / "acme-2023.pdf"
    pdf.write_bytes(statement_pdf(5))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(60_000)
            page.goto(app_url)
            _log_in(page, "admin", PASSWORD)

            _settled(page)
            page.locator("input[type=file]").set_input_files(str(pdf))
            try:
                page.get_by_text("acme-2023.pdf — done: 2 statement(s)").first.wait_for(timeout=120_000)
            finally:
                page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)

            page.get_by_test_id("stSidebarNavLink").filter(has_text="Review").click()
            page.get_by_role("heading", name="Review", exact=True).first.wait_for()
            page.get_by_text("Checks passed").first.wait_for()
            page.get_by_text("select a line to highlight it").first.wait_for()
            assert page.locator("[data-testid='stImage'] img").count() >= 1
            _settled(page)
            grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
            assert grid is not None
            page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 35 * 2 + 17)  # the third line's row marker
            page.get_by_text("— Cash and cash equivalents").first.wait_for()  # the caption names the highlighted line
            page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

            page.get_by_test_id("stSidebarNavLink").filter(has_text="Consolidate").click()
            button = page.get_by_role("button", name="Download workbook").first
            button.wait_for(timeout=120_000)
            with page.expect_download() as info:
                button.click()
            target = tmp_path / "workbook.xlsx"
            info.value.save_as(target)
            page.screenshot(path=str(tmp_path / "consolidate.png"), full_page=True)
        finally:
            browser.close()
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert "Balance sheet" in book.sheetnames
    assert (tmp_path / "review.png").stat().st_size > 10_000
