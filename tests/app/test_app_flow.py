"""The analyst's path through the workbench with AppTest: upload → job → review → consolidate → workbook; per-user
isolation through every page's controls; the login form for a logged-out session; registration."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from app_session import APP, PASSWORDS, login, open_page
from streamlit.testing.v1 import AppTest

from finsheet.extraction.pipeline import extract
from finsheet.jobs.uploads import save_upload
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth

SECRET = "bob-secret-filing.pdf"
SECRET_COMPANY = "BOBCO SECRET HOLDINGS"
WORKBOOK_KEY = "fs_workbook"  # pages/_common.WORKBOOK: the bytes the Download workbook button serves


@pytest.fixture
def app_data(app_settings: Settings, statement_pdf: Callable[..., bytes]) -> Path:
    """Admin, ann and bob; bob owns one extracted filing of a company of his own. Released after the test."""
    settings = app_settings
    with Store.open(settings) as store:
        auth.bootstrap_admin(store, settings)
        auth.create_account(store, "ann", PASSWORDS["ann"])
        bob = auth.create_account(store, "bob", PASSWORDS["bob"])
        pdf = statement_pdf(7, company=SECRET_COMPANY)
        record = save_upload(store, settings, pdf, SECRET, "bob")
        doc = extract(pdf, settings=settings, name=SECRET)
        store.save_extraction(record.id, doc, engine="local", seconds=doc.seconds)
        store.set_company(bob, record.id, SECRET_COMPANY)
    return settings.data_dir


def _selectbox(at: AppTest, label: str):  # noqa: ANN202
    return next(s for s in at.selectbox if s.label == label)


def _choose(at: AppTest, label: str, startswith: str) -> None:
    box = _selectbox(at, label)
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(startswith)))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _shown(markdown: str) -> str:
    """Markdown as the reader sees it: the backslashes that keep untrusted text plain are not displayed."""
    return markdown.replace("\\", "")


def _wait(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.5)


def test_upload_review_consolidate_download(app_data: Path, statement_pdf: Callable[..., bytes]) -> None:
    """An uploaded PDF is extracted by a job, reviewed beside its page, consolidated, and downloaded as an xlsx."""
    at = login("ann")
    at.get("file_uploader")[0].set_value([("acme-2023.pdf", statement_pdf(3), "application/pdf"),
                                          ("notes.txt", b"just some notes", "text/plain")])
    at.run()
    assert any("notes.txt: not a PDF" in _shown(e.value) for e in at.error), [e.value for e in at.error]

    def done() -> bool:
        at.run()
        texts = [_shown(p.proto.text) for p in at.get("progress")]
        return any("acme-2023.pdf" in t and "done: 2 statement(s)" in t for t in texts)

    _wait(done)

    open_page(at, "review")
    _choose(at, "Document", "acme-2023.pdf")
    _choose(at, "Statement", "CONSOLIDATED BALANCE SHEETS")
    lines = at.dataframe[0].value["line"].str.strip().tolist()
    assert "Total assets" in lines and "Cash and cash equivalents" in lines
    assert at.get("image"), "the source page is shown beside the table"
    assert any("Checks passed" == m.label for m in at.metric)

    open_page(at, "consolidate")
    company = next(o for o in _selectbox(at, "Company").options if "ACME" in o or o == "(company not named)")
    _choose(at, "Company", company)
    docs = next(m for m in at.multiselect if m.label == "Documents")
    assert docs.value and all("bob" not in str(v) for v in docs.value)
    (button,) = at.get("download_button")
    assert button.label == "Download workbook"
    book = openpyxl.load_workbook(io.BytesIO(at.session_state[WORKBOOK_KEY][1]))
    assert {"Balance sheet", "Income statement", "Checks", "Sources"} <= set(book.sheetnames)
    labels = [c.value for c in book["Balance sheet"]["A"] if c.value]
    assert "Total assets" in labels

    next(t for t in at.text_input if t.label == "Name").input("ACME two years")
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    saved = _selectbox(at, "Consolidation")
    assert saved.options[saved.index] == "ACME two years", "the saved consolidation is open again"


def test_analyst_cannot_reach_another_analysts_document(app_data: Path) -> None:
    """No page offers ann anything of bob's (documents, companies, jobs); the admin sees bob's filing."""
    at = login("ann")
    _wait(lambda: bool(open_page(at, "review").dataframe))
    for page in ("review", "consolidate", "jobs", "upload", "account"):
        open_page(at, page)
        options = [o for s in at.selectbox for o in s.options] + [o for m in at.multiselect for o in m.options]
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
        assert not any(SECRET in o or SECRET_COMPANY in o for o in options), page
        assert SECRET not in shown and SECRET_COMPANY not in shown, page
    with pytest.raises(ValueError):
        at.switch_page("pages/admin.py")

    admin = login("admin")
    open_page(admin, "review")
    assert any(SECRET in o for o in _selectbox(admin, "Document").options)
    open_page(admin, "consolidate")
    assert SECRET_COMPANY in _selectbox(admin, "Company").options


def test_logged_out_session_sees_only_the_login_form(app_data: Path) -> None:
    """Without a login there is a login form and nothing else: no page, no navigation, no data."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["finsheet"]
    assert {"Username", "Password"} <= {t.label for t in at.text_input}
    assert not at.dataframe and not at.get("file_uploader") and not at.sidebar.button
    for page in ("upload", "review", "consolidate", "admin"):
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{page}.py")


def test_wrong_password_refused(app_data: Path) -> None:
    """A wrong password keeps the login form up with a message."""
    at = login("ann", "not-her-password")
    assert not at.session_state["authentication_status"]
    assert "Username or password is incorrect." in [e.value for e in at.error]
    assert [t.value for t in at.title] == ["finsheet"]


def test_registration_creates_an_analyst_who_can_log_in(app_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Self-registration, once switched on, stores an analyst account whose password works."""
    monkeypatch.setenv("FINSHEET_ALLOW_REGISTRATION", "true")
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    fields = {"First name": "Carol", "Last name": "Diaz", "Email": "carol@example.com", "Username": "carol",
              "Password": "violet quarry lantern", "Repeat password": "violet quarry lantern"}
    for label, value in fields.items():
        [t for t in at.text_input if t.label == label][-1].input(value)  # the register form comes after the login
    next(b for b in at.button if b.label == "Register").click()
    at.run()
    assert any("carol" in s.value for s in at.success), [e.value for e in at.error]
    carol = login("carol", "violet quarry lantern")
    assert carol.session_state["authentication_status"] is True
    assert carol.session_state["roles"] == ["analyst"]


def test_registration_switched_off(app_data: Path) -> None:
    """When the admin switches registration off, the login page offers no registration form."""
    admin = login("admin")
    open_page(admin, "admin")
    next(t for t in admin.toggle if t.key == "admin_registration").set_value(False)
    admin.run()
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert "Register" not in [b.label for b in at.button]
    assert "Login" in [b.label for b in at.button]


def test_password_change_on_the_account_page(app_data: Path) -> None:
    """The Account page changes the password in the users table: the new one logs in, the old one no longer."""
    at = login("ann")
    open_page(at, "account")
    for label, value in (("Current password", PASSWORDS["ann"]), ("New password", "Ann-new-pass1!"),
                         ("Repeat password", "Ann-new-pass1!")):
        next(t for t in at.text_input if t.label == label).input(value)
    next(b for b in at.button if b.label == "Change").click()
    at.run()
    assert "Password changed." in [s.value for s in at.success], [e.value for e in at.error]
    assert login("ann", "Ann-new-pass1!").session_state["authentication_status"] is True
    assert not login("ann", PASSWORDS["ann"]).session_state["authentication_status"]


def _blank_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "Minutes of the annual picnic committee")
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_failed_job_shows_its_error_and_can_be_retried(app_data: Path) -> None:
    """A PDF without statements fails its job with the reason on the Jobs page; Retry queues it again."""
    at = login("ann")
    at.get("file_uploader")[0].set_value(("picnic.pdf", _blank_pdf(), "application/pdf"))
    at.run()

    def failed() -> bool:
        open_page(at, "jobs")
        return any(o.startswith("#") and "picnic.pdf · failed" in o for o in _selectbox(at, "Job").options)

    _wait(failed)
    _choose(at, "Job", next(o for o in _selectbox(at, "Job").options if "picnic.pdf" in o))
    assert any("no financial statements found" in e.value for e in at.error)
    cancel = next(b for b in at.button if b.label == "Cancel")
    assert cancel.disabled, "a finished job cannot be cancelled"
    next(b for b in at.button if b.label == "Retry").click()
    at.run()
    assert any("queued again" in t.value for t in at.toast)


def test_uploading_a_file_again_links_to_it(app_data: Path, statement_pdf: Callable[..., bytes]) -> None:
    """The same bytes uploaded again (under any name) queue nothing: the page says the file is already here and
    links to it on Review; a bad file's error names it once."""
    at = login("ann")
    pdf = statement_pdf(4)
    at.get("file_uploader")[0].set_value(("acme-2023.pdf", pdf, "application/pdf"))
    at.run()

    def done() -> bool:
        at.run()
        return any("done" in p.proto.text for p in at.get("progress"))

    try:
        _wait(done)
    except AssertionError:
        raise AssertionError([p.proto.text for p in at.get("progress")] + [i.value for i in at.info]
                             + [e.value for e in at.error]) from None
    jobs = len(at.get("progress"))
    at.get("file_uploader")[0].set_value([("copy of acme.pdf", pdf, "application/pdf"),
                                          ("notes.txt", b"just some notes", "text/plain")])
    at.run()
    assert any("acme-2023.pdf" in _shown(i.value) and "already here" in i.value for i in at.info), at.info
    assert any("Open it in Review" in link.proto.label for link in at.get("page_link"))
    assert len(at.get("progress")) == jobs, "no second job for the same file"
    (error,) = [_shown(e.value) for e in at.error]
    assert error.count("notes.txt") == 1, error


def test_admin_consolidate_names_owners(app_data: Path) -> None:
    """The admin's Consolidate shows whose each document is, and its options are still set after a visit to Review.
    (Streamlit forgets an unrendered widget's state in a browser session, not in AppTest: the browser test is the
    one that catches a Consolidate forgetting its controls; the merge and its undo are walked there too.)"""
    at = login("admin")
    open_page(at, "consolidate")
    _choose(at, "Company", SECRET_COMPANY)
    docs = next(m for m in at.multiselect if m.label == "Documents")
    assert docs.options == [f"{SECRET} · bob"], "an admin sees whose document it is"
    at.session_state["cons_months"] = 12  # as if picked: AppTest cannot select a formatted option by its text
    at.run()
    assert _selectbox(at, "Flow periods").value == 12
    open_page(at, "review")
    open_page(at, "consolidate")
    assert _selectbox(at, "Company").value == SECRET_COMPANY
    assert _selectbox(at, "Flow periods").value == 12, "the options survive a visit to another page"
    assert next(m for m in at.multiselect if m.label == "Documents").value, "and so do the documents"
