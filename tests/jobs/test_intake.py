"""jobs.intake and workbench.demo: uploads become jobs or say at once why not; the demo documents arrive once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pdf_pages import encrypted

from finsheet.jobs.intake import job_label, jobs_table, submit_upload, unfinished
from finsheet.jobs.queue import JobQueue
from finsheet.settings import Settings
from finsheet.store import JobState, Store, UserRef
from finsheet.workbench import demo


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[tuple[Settings, Store, JobQueue]]:
    settings = Settings(data_dir=tmp_path / "data", max_upload_mb=1, ocr=False, workers=1)
    store = Store.open(settings)
    store.create_user("ann")
    store.create_user("bob")
    queue = JobQueue(store, settings, log_stderr=False).start()
    yield settings, store, queue
    queue.shutdown()
    store.close()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.pdf", "empty"),
        (b"PK\x03\x04 a zip file", "book.xlsx", "not a PDF"),
        (b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1), "huge.pdf", "over the 1 MB limit"),
    ],
)
def test_rejected_files_say_why(
    bench: tuple[Settings, Store, JobQueue], data: bytes, name: str, reason: str
) -> None:
    """Empty, non-PDF and oversized files are refused with the reason; nothing is stored or queued."""
    settings, store, queue = bench
    outcome = submit_upload(store, queue, settings, data, name, owner="ann")
    assert not outcome.ok and reason in outcome.message
    assert outcome.job_id is None and outcome.document_id is None
    assert store.list_documents(UserRef(username="ann")) == []


def test_encrypted_pdf_kept_with_its_reason(bench: tuple[Settings, Store, JobQueue]) -> None:
    """An encrypted PDF is refused at once with the reason but kept as a failed document (nothing lost)."""
    settings, store, queue = bench
    outcome = submit_upload(store, queue, settings, encrypted("Balance sheet"), "locked.pdf", owner="ann")
    assert not outcome.ok and "encrypted" in outcome.message
    assert outcome.job_id is None and outcome.document_id is not None
    (doc,) = store.list_documents(UserRef(username="ann"))
    assert doc.status == "failed" and "encrypted" in (doc.error or "")


def test_good_pdf_queued_and_extracted(
    bench: tuple[Settings, Store, JobQueue], statement_pdf: Callable[..., bytes]
) -> None:
    """A readable PDF becomes a job that completes with its statements; the jobs table shows it done."""
    settings, store, queue = bench
    outcome = submit_upload(store, queue, settings, statement_pdf(), "acme.pdf", owner="ann")
    assert outcome.ok and outcome.job_id is not None
    (job,) = queue.wait([outcome.job_id], timeout=120)
    assert job.state == JobState.COMPLETED and job.result["statements"] == 2
    assert not unfinished([job])
    assert job_label(job).startswith(f"#{job.id} extract · acme.pdf · completed")
    table = jobs_table(queue, UserRef(username="ann"))
    assert table.height == 1 and table["state"][0] == "completed" and table["progress"][0] == 1.0
    assert table["seconds"][0] is not None and table["seconds"][0] >= 0
    assert jobs_table(queue, UserRef(username="bob")).height == 0
    assert jobs_table(queue, UserRef(username="root", role="admin")).height == 1


def test_demo_loaded_once_per_user(bench: tuple[Settings, Store, JobQueue], tmp_path: Path,
                                   statement_pdf: Callable[..., bytes]) -> None:
    """Each user gets the demo documents once, named as the demo company, with their extraction queued."""
    settings, store, queue = bench
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(statement_pdf(1))
    (folder / "b.pdf").write_bytes(statement_pdf(2))
    jobs = demo.load_demo(store, queue, settings, "ann", directory=folder)
    assert len(jobs) == 2
    assert demo.load_demo(store, queue, settings, "ann", directory=folder) == []
    docs = store.list_documents(UserRef(username="ann"))
    assert sorted(d.name for d in docs) == ["a.pdf", "b.pdf"]
    assert {d.company for d in docs} == {demo.DEMO_COMPANY}
    assert len(demo.load_demo(store, queue, settings, "bob", directory=folder)) == 2
    assert all(j.state == JobState.COMPLETED for j in queue.wait(jobs, timeout=120))


def test_demo_files_shipped() -> None:
    """The repository ships a few small demo PDFs (each under 300 KB)."""
    files = demo.demo_files()
    assert len(files) >= 2
    assert all(f.stat().st_size < 300 * 1024 for f in files)
