"""Job emails, against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from finsheet.extraction.pipeline import extract
from finsheet.jobs import notify
from finsheet.jobs.notify import job_message, notify_job
from finsheet.jobs.queue import JobQueue
from finsheet.jobs.uploads import save_upload, write_pdf
from finsheet.logs import LOG_FILE, close_logging
from finsheet.settings import Settings, load_settings
from finsheet.store import JobRecord, JobState, Store
from finsheet.workbench.health import check_smtp


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def mail_settings(tmp_path: Path, port: int, **extra: Any) -> Settings:
    return load_settings(
        env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, smtp_host="127.0.0.1", smtp_port=port,
        smtp_security="none", smtp_from="finsheet@example.org", app_url="http://finsheet.example.org", **extra,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}))
    s.create_user("ann", name="Ann", email="ann@example.com")
    s.create_user("nomail", name="No Mail")
    yield s
    s.close()
    close_logging()


def run_extract(store: Store, settings: Settings, data: bytes, owner: str = "ann") -> JobRecord:
    record = save_upload(store, settings, data, "acme 2023.pdf", owner)
    queue = JobQueue(store, settings, log_stderr=False).start()
    try:
        [job] = queue.wait([queue.submit("extract", {"document_id": record.id}, owner=owner)], timeout=120)
    finally:
        queue.shutdown()
    return job


def test_finished_job_mails_its_owner(store: Store, tmp_path: Path, inbox: tuple[Inbox, int], statement_pdf) -> None:
    """When an extraction ends, the owner receives one mail naming the document, the outcome and the app link."""
    handler, port = inbox
    settings = mail_settings(tmp_path, port)
    job = run_extract(store, settings, statement_pdf(1))
    assert len(handler.messages) == 1
    mail = handler.messages[0]
    assert (mail["To"], mail["From"]) == ("ann@example.com", "finsheet@example.org")
    assert "acme 2023.pdf" in mail["Subject"] and job.state.value in mail["Subject"]
    assert "http://finsheet.example.org" in mail.get_payload()


def test_failed_job_mails_once_with_the_reason(store: Store, tmp_path: Path, inbox: tuple[Inbox, int]) -> None:
    """A job that fails for good sends one mail that says why."""
    handler, port = inbox
    settings = mail_settings(tmp_path, port)
    bad = b"%PDF-1.4\n damaged"
    write_pdf(settings.uploads_dir, "ee" * 32, bad)
    record, _ = store.add_document(sha256="ee" * 32, name="broken.pdf", size=len(bad), pages=1, owner="ann")
    queue = JobQueue(store, settings, log_stderr=False).start()
    try:
        [job] = queue.wait([queue.submit("extract", {"document_id": record.id}, owner="ann")], timeout=60)
    finally:
        queue.shutdown()
    assert job.state == "failed"
    assert len(handler.messages) == 1
    body = handler.messages[0].get_payload()
    assert "failed" in handler.messages[0]["Subject"] and "Reason: broken.pdf: the PDF is damaged" in body


def test_user_without_email_gets_no_mail(store: Store, tmp_path: Path, inbox: tuple[Inbox, int], statement_pdf) -> None:
    """No address, no mail — and the job still ends normally."""
    handler, port = inbox
    job = run_extract(store, mail_settings(tmp_path, port), statement_pdf(2), owner="nomail")
    assert job.state.finished and handler.messages == []


def test_unreachable_server_does_not_fail_the_job(store: Store, tmp_path: Path, statement_pdf) -> None:
    """With the SMTP server down the job ends as it would have, and the failure to mail is logged."""
    settings = mail_settings(tmp_path, free_port())
    found = extract(statement_pdf(3), settings=settings).statements
    job = run_extract(store, settings, statement_pdf(3))
    assert job.state == ("completed" if found else "failed")
    log = (settings.logs_dir / LOG_FILE).read_text()
    assert '"event": "notify.failed"' in log and f'"job_id": {job.id}' in log


def test_mail_is_off_without_a_host(tmp_path: Path) -> None:
    """notify_job sends nothing and says so when SMTP is not configured."""
    settings = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path)})
    job = JobRecord(id=1, kind="extract", owner="ann", state=JobState.COMPLETED, created_at="2024-01-01T00:00:00")
    assert notify_job(settings, job, email="ann@example.com") is False


@pytest.mark.parametrize(
    ("state", "error", "result", "expected"),
    [
        (JobState.COMPLETED, None, {"statements": 3}, ["has completed", "Statements found: 3."]),
        (JobState.FAILED, "a.pdf: the PDF is encrypted", {}, ["has failed", "Reason: a.pdf: the PDF is encrypted"]),
    ],
)
def test_job_message_text(state: JobState, error: str | None, result: dict[str, int], expected: list[str]) -> None:
    """The mail body says what happened, why it failed, and where to look."""
    settings = load_settings(env={}, app_url="https://fs.example.org")
    job = JobRecord(id=4, kind="extract", owner="ann", state=state, error=error, result=result,
                    document_name="a.pdf", created_at="2024-01-01T00:00:00")
    msg = job_message(job, settings=settings, to="ann@example.com")
    body = msg.get_content()
    assert all(text in body for text in expected)
    assert "https://fs.example.org" in body and msg["Subject"] == f"finsheet: a.pdf — {state.value}"


def test_doctor_checks_smtp(tmp_path: Path, inbox: tuple[Inbox, int]) -> None:
    """The email health check passes against a live server and fails against a closed port."""
    _, port = inbox
    assert check_smtp(mail_settings(tmp_path, port)).ok is True
    down = check_smtp(mail_settings(tmp_path, free_port()))
    assert down.ok is False and "unreachable" in down.detail


@pytest.mark.parametrize(("password", "delivered"), [("s3cret", True), ("wrong", False)])
def test_smtp_login(tmp_path: Path, password: str, delivered: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """With smtp_user set the client logs in; a refused login means no mail and notify_job says so."""
    monkeypatch.setattr(notify, "SMTP_TIMEOUT_S", 2.0)  # aiosmtpd answers a failed AUTH only after a long delay
    handler = Inbox()
    seen: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        login = (auth_data.login.decode(), auth_data.password.decode())
        seen.append(login)
        return AuthResult(success=login == ("finsheet", "s3cret"))

    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)  # AUTH offered without TLS on loopback
    controller.start()
    try:
        settings = mail_settings(tmp_path, port, smtp_user="finsheet", smtp_password=password)
        job = JobRecord(id=9, kind="extract", owner="ann", state=JobState.COMPLETED, document_name="a.pdf",
                        created_at="2024-01-01T00:00:00")
        sent = notify_job(settings, job, email="ann@example.com")
    finally:
        controller.stop()
        close_logging()
    assert seen and seen[0] == ("finsheet", password)
    assert sent is delivered and len(handler.messages) == int(delivered)
