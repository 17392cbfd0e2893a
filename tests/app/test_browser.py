"""A person's path in headless Chromium at 1280×800 against `streamlit run`: log in, upload two filings, tie a value
out on Review (its box outlined at a readable zoom, every period visible), correct it and see the check fail, undo
and see it pass; consolidate both filings, visit Review and come back to the same selection; merge two lines and
undo the merge; delete a document.

`make screenshots` runs this test with FINSHEET_SCREENSHOTS=data/demo/screenshots: the README's gallery is taken
from the running app by the same steps.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from finsheet.extraction.pipeline import extract
from finsheet.model import StatementType
from finsheet.settings import load_settings
from finsheet.store import Store
from finsheet.workbench import auth, source_page

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "ann", "ann-browser-pass-1"  # an analyst made through the store: no one-time password involved
StartApp = Callable[[dict[str, str], Sequence[str]], str]
"""The `streamlit_app` fixture (tests/conftest.py)."""
VIEWPORT = {"width": 1280, "height": 800}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture
def app_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamlit_app: StartApp) -> str:
    """`streamlit run app.py` on a free loopback port with its own data dir and an analyst; stopped afterwards."""
    data = tmp_path / "data"
    env = {**os.environ, "FINSHEET_DATA_DIR": str(data), "FINSHEET_ADMIN_PASSWORD": "browser-admin-pass-1",
           "FINSHEET_OCR": "false", "OMP_THREAD_LIMIT": "1"}
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(data))
    settings = load_settings()
    with Store.open(settings) as store:  # before the server: DuckDB lets one process hold the file
        auth.create_account(store, USER, PASSWORD, name="Ann Analyst")
    return streamlit_app(env, ["--server.address", "127.0.0.1", "--server.headless", "true",
                               "--browser.gatherUsageStats", "false"])


def _log_in(page: Any, attempts: int = 3) -> None:
    """Fill the login form and wait for the first screen. On a fresh server Streamlit may draw the form twice in
    the first session (it runs `pages/` by itself until it has seen st.navigation), wiping what was typed into
    the first one; the form is then filled again."""
    heading = page.get_by_role("heading", name="Upload", exact=True).first  # a rerun may briefly draw it twice
    for _ in range(attempts):
        page.get_by_role("textbox", name="Username").first.wait_for()
        page.get_by_role("textbox", name="Username").first.fill(USER)
        page.get_by_role("textbox", name="Password").first.fill(PASSWORD)
        page.get_by_role("button", name="Login").first.click()
        try:
            heading.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            assert page.get_by_role("textbox", name="Username").count(), "neither logged in nor a login form"
    heading.wait_for()


def _settled(page: Any) -> None:
    """Wait until the script is not running, twice a second apart (a rerun may follow right after the first)."""
    idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    for _ in range(2):
        idle.wait_for()
        page.wait_for_timeout(700)
    idle.wait_for()


def _choose(page: Any, label: str, option: str) -> None:
    """Open the selectbox labelled `label` and click the option starting with `option`."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    wanted = page.get_by_role("option").filter(has_text=option).first
    for _ in range(3):  # a rerun that was under way may close the list as it opens
        _settled(page)
        box.click()
        try:
            wanted.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click()
    _settled(page)


def _options(page: Any, label: str) -> list[str]:
    """The options of the selectbox labelled `label` (the list opened, read, closed)."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    for _ in range(3):
        _settled(page)
        box.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    texts = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return list(texts)


def _nav(page: Any, title: str, attempts: int = 3) -> None:
    """Open a page from the sidebar; click again when a rerun that was under way swallowed the click."""
    heading = page.get_by_role("heading", name=title, exact=True).first
    for _ in range(attempts):
        _settled(page)
        page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
        try:
            heading.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    heading.wait_for()
    _settled(page)


class Shots:
    """Screenshots of each step: into FINSHEET_SCREENSHOTS (the README gallery) when set, else the test's tmp dir."""

    def __init__(self, tmp: Path) -> None:
        wanted = os.environ.get("FINSHEET_SCREENSHOTS")
        self.dir = Path(wanted) if wanted else tmp
        self.dir.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def __call__(self, page: Any, name: str, **kwargs: Any) -> Path:
        path = self.dir / f"{name}.png"
        page.screenshot(path=str(path), **kwargs)
        self.taken.append(path)
        return path


def _red_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > 170 and g < 110 and b < 110)


def test_tie_out_correct_undo_consolidate_merge_delete(
    app_url: str, tmp_path: Path, statement_pdf: Callable[..., bytes]
) -> None:
    """The issue's walk, end to end, in a 1280×800 browser."""
    from playwright.sync_api import sync_playwright

    newer, older = tmp_path / "acme-2023.pdf", tmp_path / "acme-2022.pdf"
    newer.write_bytes(statement_pdf(5))
    older.write_bytes(statement_pdf(9))
    shots = Shots(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(60_000)
            page.goto(app_url)
            _log_in(page)
            _settled(page)

            # upload two filings of one company
            page.locator("input[type=file]").set_input_files([str(newer), str(older)])
            for name in ("acme-2023.pdf", "acme-2022.pdf"):
                page.get_by_text(f"{name} — done: 2 statement(s)").first.wait_for(timeout=180_000)
            shots(page, "upload")

            # Review: click a value; its box is outlined at a readable zoom, every period visible
            _nav(page, "Review")
            _choose(page, "Document", "acme-2023.pdf")
            grid = page.get_by_test_id("stDataFrame").first
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            assert box is not None and box["x"] + box["width"] <= VIEWPORT["width"]
            overflow = grid.evaluate("e => { const s = e.querySelector('.dvn-scroller');"
                                     " return s ? s.scrollWidth - s.clientWidth : -1 }")
            assert overflow <= 0, f"the grid scrolls sideways by {overflow} px: not every period is visible"
            headers = grid.evaluate("e => Array.from(e.querySelectorAll('th')).map(t => t.innerText)")
            assert {"December 31, 2023", "December 31, 2022"} <= set(headers), headers
            page.mouse.click(box["x"] + 33 + 260 + 75, box["y"] + 35 + 35 * 2 + 17)  # Cash, December 31, 2023
            page.get_by_text("December 31, 2023: 1,205 · outlined in red").first.wait_for()
            _settled(page)
            image = page.get_by_test_id("stImage").locator("img").first
            shots(page, "review")
            assert _red_pixels(image.screenshot()) > 60, "the value's box is outlined in red"
            statement = extract(newer.read_bytes(), name=newer.name).statement(StatementType.BALANCE)
            assert statement is not None
            cash = next(i for i in statement.items if i.label == "Cash and cash equivalents")
            band = source_page.view_region(statement, cash.page, cash.box, zoom="line", size=(612.0, 792.0))
            shown = image.bounding_box()
            assert shown is not None
            zoom = shown["width"] / (band[2] - band[0])
            assert zoom >= 1.4, f"the page is drawn at {zoom:.2f} screen pixels per point: too small to read"

            # correct the value: the check fails, red; undo: it passes again
            page.get_by_text("Correct values").first.click()
            _settled(page)
            editor = page.get_by_test_id("stDataFrame").nth(1)
            editor.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            ebox = editor.bounding_box()
            assert ebox is not None
            page.mouse.click(ebox["x"] + 280 + 60 + 60 + 75, ebox["y"] + 35 + 35 * 2 + 17)  # Cash, 2023
            page.keyboard.type("9")  # typing into a selected cell opens its editor
            page.wait_for_timeout(500)
            page.keyboard.type(",999", delay=50)
            page.keyboard.press("Enter")
            _settled(page)
            page.get_by_role("button", name="Save corrections").click()
            page.get_by_text("Cash and cash equivalents · December 31, 2023: 1,205 → 9,999").first.wait_for()
            failing = page.get_by_text("≠").first
            failing.wait_for()
            colour = failing.evaluate("e => getComputedStyle(e.closest('span') || e).color")
            assert colour.startswith("rgb("), colour
            r, g, _ = (int(x) for x in colour[4:-1].split(",")[:3])
            assert r > g, f"a failed check is red, not {colour}"
            failing.scroll_into_view_if_needed()
            shots(page, "review-check-fails")
            page.get_by_role("button", name="Undo").first.click()
            page.get_by_text("Undone: Cash and cash equivalents").first.wait_for()
            _settled(page)
            assert page.get_by_text("≠").count() == 0, "every check passes again after the undo"

            # Consolidate both filings; visit Review; come back to the same selection
            _nav(page, "Consolidate")
            _choose(page, "Company", "ACME")
            docs = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Documents", exact=True)).first
            assert "acme-2023.pdf" in docs.inner_text() and "acme-2022.pdf" in docs.inner_text()
            _choose(page, "Flow periods", "12 months only")
            assert "cons_months=12" in page.url, page.url
            shots(page, "consolidate")
            chart = page.get_by_test_id("stPlotlyChart").nth(1)  # the variance chart, coloured by meaning
            chart.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            shots(page, "consolidate-chart")
            _nav(page, "Review")
            _nav(page, "Consolidate")
            docs = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Documents", exact=True)).first
            assert "acme-2023.pdf" in docs.inner_text() and "acme-2022.pdf" in docs.inner_text()
            flow = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Flow periods", exact=True)).first
            shown = flow.locator("input").first.input_value() if flow.locator("input").count() else flow.inner_text()
            assert "12 months only" in shown, "the controls survive a visit to another page"
            assert "cons_months=12" in page.url, page.url

            # merge two lines, then undo that merge
            page.get_by_text("Merge, rename, leave out lines").first.click()
            _choose(page, "Merge this line", "Balance sheet · Inventories")
            _choose(page, "into this line", "Balance sheet · Accounts receivable")
            page.get_by_role("button", name="Merge", exact=True).click()
            said = "merged Balance sheet · Inventories into Balance sheet · Accounts receivable"
            page.get_by_text(said).first.wait_for()
            _settled(page)
            source = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Merge this line", exact=True))
            assert "Inventories" not in source.first.inner_text(), "the merge form is empty again"
            page.get_by_text(said).first.scroll_into_view_if_needed()
            shots(page, "consolidate-merge")
            page.get_by_role("button", name="Undo").first.click()
            page.get_by_text(f"Undone: {said}.").first.wait_for()

            # delete a document (confirmed)
            _nav(page, "Review")
            _choose(page, "Document", "acme-2022.pdf")
            page.get_by_role("button", name="Delete document").click()
            page.get_by_text("Yes, delete it").click()
            page.get_by_role("button", name="Delete", exact=True).click()
            page.get_by_text("Deleted acme-2022.pdf").first.wait_for()
            _settled(page)
            picker = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Document", exact=True)).first
            assert "acme-2022.pdf" not in (picker.locator("input").first.input_value() or picker.inner_text())
            shots(page, "review-deleted")
            options = _options(page, "Document")
            assert any("acme-2023.pdf" in o for o in options), options
            assert not any("acme-2022.pdf" in o for o in options), options
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert all(path.stat().st_size > 10_000 for path in shots.taken)
