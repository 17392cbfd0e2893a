"""Email when a user's job completes or finally fails (stdlib smtplib). Off while `smtp_host` is empty.

Sending is best effort: a mail server that is down must never fail the job, so `notify_job` logs and returns
False instead of raising. `send_mail` raises EngineUnavailable for callers that want to know (the doctor).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from finsheet.errors import EngineUnavailable
from finsheet.logs import log_event
from finsheet.settings import Settings
from finsheet.store.records import JobRecord, JobState

SMTP_TIMEOUT_S = 20.0


def job_message(job: JobRecord, *, settings: Settings, to: str, document_name: str | None = None) -> EmailMessage:
    """The mail for a finished job: what, the outcome (and the reason when it failed), a link to the app."""
    what = document_name or job.document_name or f"{job.kind} job {job.id}"
    outcome = "completed" if job.state == JobState.COMPLETED else "failed"
    msg = EmailMessage()
    msg["Subject"] = f"finsheet: {what} — {outcome}"
    msg["From"] = settings.smtp_from
    msg["To"] = to
    lines = [f"Your {job.kind} job for {what} has {outcome}."]
    if job.state == JobState.COMPLETED and "statements" in job.result:
        lines.append(f"Statements found: {job.result['statements']}.")
    if job.error:
        lines.append(f"Reason: {job.error}")
    lines += ["", f"Open finsheet: {settings.app_url}", "", "— finsheet (you receive this because you queued the job)"]
    msg.set_content("\n".join(lines))
    return msg


def send_mail(settings: Settings, msg: EmailMessage) -> None:
    """Send one message through the configured SMTP server; EngineUnavailable when it cannot."""
    if not settings.smtp_enabled:
        raise EngineUnavailable("email is off: set FINSHEET_SMTP_HOST to send notifications")
    try:
        if settings.smtp_security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise EngineUnavailable(
            f"cannot send email through {settings.smtp_host}:{settings.smtp_port}: {exc}"
        ) from exc


def check_smtp(settings: Settings) -> str:
    """Connect (and say hello) to the SMTP server without sending; a one-line description, or EngineUnavailable."""
    try:
        if settings.smtp_security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=5, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=5)
        with client:
            code, _ = client.noop()
    except (OSError, smtplib.SMTPException) as exc:
        raise EngineUnavailable(f"{settings.smtp_host}:{settings.smtp_port} unreachable: {exc}") from exc
    return f"{settings.smtp_host}:{settings.smtp_port} answers ({code})"


def notify_job(settings: Settings, job: JobRecord, *, email: str | None) -> bool:
    """Mail the owner about a finished job when email is on and they have an address; whether a mail went out."""
    if not settings.smtp_enabled or not email or job.state not in (JobState.COMPLETED, JobState.FAILED):
        return False
    try:
        send_mail(settings, job_message(job, settings=settings, to=email))
    except EngineUnavailable as exc:
        log_event("notify.failed", job_id=job.id, document_id=job.document_id, user=job.owner, error=str(exc))
        return False
    log_event("notify.sent", job_id=job.id, document_id=job.document_id, user=job.owner, to=email)
    return True
