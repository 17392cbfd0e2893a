"""Extraction in a child process: results, errors of the right class, stopping from outside, recycling, and the
engines' answers relayed to the parent's store."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from finsheet.engines.whisperer import PAGE_SEPARATOR
from finsheet.errors import JobCancelled, PdfError
from finsheet.extraction.pipeline import extract
from finsheet.jobs import worker
from finsheet.jobs.queue import JobQueue
from finsheet.jobs.uploads import save_upload
from finsheet.jobs.worker import ExtractionProcess
from finsheet.logs import close_logging
from finsheet.settings import Settings, load_settings
from finsheet.store import Store, UserRef


@pytest.fixture
def child() -> Iterator[ExtractionProcess]:
    process = ExtractionProcess()
    yield process
    process.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path)})


def nothing() -> None:
    """A check that never stops the work."""


def test_child_extracts_what_extract_does(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                          statement_pdf) -> None:
    """The Document from the child equals the one extract() gives in-process (but for the timings)."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))
    stages: list[str] = []
    got = child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: stages.append(s),
                        check=nothing)
    want = extract(path, settings=settings, name="acme.pdf")
    fields = {"seconds", "timings"}
    assert got.model_dump(exclude=fields) == want.model_dump(exclude=fields)
    assert stages[0] == "scan" and stages[-1] == "done"


def test_pipeline_error_keeps_its_class_and_the_child(child: ExtractionProcess, settings: Settings,
                                                      tmp_path: Path) -> None:
    """A PdfError in the child is a PdfError in the parent, and the child stays up for the next document."""
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(PdfError, match="bad.pdf: the PDF is damaged"):
        child.extract(path, name="bad.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    pid = child.pid
    assert pid is not None
    with pytest.raises(PdfError):
        child.extract(path, name="bad.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    assert child.pid == pid


def test_stopping_from_outside_kills_the_child(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                               statement_pdf) -> None:
    """What progress raises (a cancel) propagates, and the child is gone; the next call starts a new one."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))

    def cancel(stage: str, fraction: float) -> None:
        raise JobCancelled(f"cancelled at {stage}")

    with pytest.raises(JobCancelled, match="cancelled at scan"):
        child.extract(path, name="acme.pdf", settings=settings, progress=cancel, check=nothing)
    assert child.pid is None
    doc = child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    assert doc.sha256 and child.pid is not None


def test_child_is_replaced_after_its_quota(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                           statement_pdf, monkeypatch: pytest.MonkeyPatch) -> None:
    """After JOBS_PER_CHILD extractions the next one runs in a fresh process."""
    monkeypatch.setattr(worker, "JOBS_PER_CHILD", 2)
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))
    pids = []
    for _ in range(3):
        child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
        pids.append(child.pid)
    assert pids[0] == pids[1] != pids[2]


class FakeWhisperer(BaseHTTPRequestHandler):
    """Just enough of LLMWhisperer v2 on 127.0.0.1: accept, report processed, return a text per requested page."""

    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.calls.append(urlparse(self.path).path)
        query = parse_qs(urlparse(self.path).query)
        self.reply(202, {"status": "processing", "whisper_hash": query.get("pages_to_extract", ["all"])[0]})

    def do_GET(self) -> None:  # noqa: N802
        parsed = urlparse(self.path)
        self.calls.append(parsed.path)
        spec = parse_qs(parsed.query)["whisper_hash"][0]  # "2-3,5": the pages asked for
        pages = [n for part in spec.split(",") for n in range(int(part.split("-")[0]), int(part.split("-")[-1]) + 1)]
        if parsed.path.endswith("whisper-status"):
            self.reply(200, {"status": "processed", "message": "done", "detail": []})
        else:
            text = f"\n{PAGE_SEPARATOR}\n".join(f"page {p} as LLMWhisperer reads it" for p in pages) + "\n"
            self.reply(200, {"result_text": text, "confidence_metadata": [], "metadata": {}})

    def reply(self, status: int, body: dict[str, object]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def whisperer() -> Iterator[str]:
    FakeWhisperer.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWhisperer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    server.shutdown()
    server.server_close()
    thread.join()


def test_engine_answers_are_cached_in_the_queue_store(tmp_path: Path, whisperer: str, statement_pdf) -> None:
    """With LLMWhisperer on, the child's answers land in the parent's store, and a re-extraction is served from it
    without calling the service again (the child cannot open the database the parent holds)."""
    settings = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, engine="whisperer",
                             llmwhisperer_api_key="key", llmwhisperer_url=whisperer)
    with Store.open(settings) as store:
        record = save_upload(store, settings, statement_pdf(6), "acme.pdf", "ann")
        queue = JobQueue(store, settings, workers=1, log_stderr=False).start()
        try:
            first = queue.wait([queue.submit("extract", {"document_id": record.id}, owner="ann")], timeout=120)
            calls_after_first = FakeWhisperer.calls.count("/api/v2/whisper")
            entries = store.cache_stats().entries
            again = queue.submit("extract", {"document_id": record.id}, owner="ann", force=True)
            second = queue.wait([again], timeout=120)
        finally:
            queue.shutdown()
            close_logging()
        doc = store.load_document(UserRef(username="ann"), record.id)
    assert first[0].state.finished and second[0].state == first[0].state
    assert calls_after_first == 1 and entries == 1
    assert FakeWhisperer.calls.count("/api/v2/whisper") == 1
    assert doc is not None and not any("cache unavailable" in w for w in doc.warnings)
