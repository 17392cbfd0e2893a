"""The LLMWhisperer v2 client against a real HTTP server on 127.0.0.1 that speaks the documented API shapes."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from finsheet.cli import main
from finsheet.engines.http import RetryPolicy
from finsheet.engines.whisperer import WhisperOptions, pages_spec, read_pages, split_pages, status
from finsheet.errors import EngineBusy, EngineError, EngineUnavailable
from finsheet.extraction.pipeline import extract, page_text
from finsheet.model import Page
from finsheet.settings import Settings
from finsheet.store import Store, open_response_cache

KEY = "test-key-123"

PAGE_TEXT = {
    2: "            CONSOLIDATED BALANCE SHEETS\n"
    "  Cash                         1,234        1,100\n"
    "  Total assets                 5,678        5,000",
    3: "       CONSOLIDATED STATEMENTS OF OPERATIONS\n"
    "  Revenue                      9,876        8,765\n"
    "  Net loss                      (123)         (45)",
    5: "       CONSOLIDATED STATEMENTS OF CASH FLOWS\n  Net cash from operations       456          321",
}


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeWhisperer:
    """State of the fake service: scripted replies per endpoint (then the default behaviour) and a call log."""

    url: str = ""
    render_pdf: bool = False
    """Answer with the uploaded PDF's own layout text (read locally), as the real service would."""
    processing_polls: int = 0
    separator: str = "\n<<<\n"
    scripted: dict[str, list[Reply]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, path: str) -> int:
        return sum(1 for _, p, _ in self.calls if p == path)

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        self.calls.append((method, path, query))
        if self.scripted.get(path):
            return self.scripted[path].pop(0)
        if headers.get("unstract-key") != KEY:
            return Reply(401, {"message": "Invalid API key"})
        if method == "POST" and path == "/api/v2/whisper":
            if not body.startswith(b"%PDF"):
                return Reply(400, {"message": "Unsupported file type"})
            self.bodies.append(body)
            pages = _parse_spec(query.get("pages_to_extract", [""])[0])
            whisper_hash = f"hash{len(self.jobs) + 1}"
            self.jobs[whisper_hash] = {"pages": pages, "polls": 0, "retrieved": False}
            return Reply(202, {"message": "Whisper Job Accepted", "status": "processing", "whisper_hash": whisper_hash})
        if path == "/api/v2/get-usage-info":
            return Reply(200, {"current_page_count": 10, "daily_quota": 100, "subscription_plan": "test"})
        job = self.jobs.get(query.get("whisper_hash", [""])[0])
        if job is None:
            return Reply(400, {"message": "Record not found"})
        if path == "/api/v2/whisper-status":
            job["polls"] += 1
            if job["retrieved"]:
                return Reply(200, {"status": "retrieved", "message": "Whisper already retrieved"})
            if job["polls"] <= self.processing_polls:
                return Reply(200, {"status": "processing", "message": "Whisper is processing", "detail": []})
            return Reply(200, {"status": "processed", "message": "Whisper is done", "detail": []})
        if path == "/api/v2/whisper-retrieve":
            if job["retrieved"]:
                return Reply(400, {"message": "Whisper already retrieved"})
            job["retrieved"] = True
            if self.render_pdf:
                texts = [text for _, text in page_text(self.bodies[-1], pages=job["pages"], ocr=False)]
            else:
                texts = [PAGE_TEXT.get(p, f"page {p}") for p in job["pages"]]
            text = self.separator.join(texts) + "\n"
            return Reply(200, {"result_text": text, "confidence_metadata": [], "metadata": {}, "webhook_metadata": ""})
        return Reply(404, {"message": "Not found"})


def _parse_spec(spec: str) -> list[int]:
    pages: list[int] = []
    for part in filter(None, spec.split(",")):
        lo, _, hi = part.partition("-")
        pages.extend(range(int(lo), int(hi or lo) + 1))
    return pages


@pytest.fixture
def service(http_stub: Callable[..., str]) -> FakeWhisperer:
    state = FakeWhisperer()
    state.url = http_stub(state.handle) + "/api/v2"
    return state


@pytest.fixture
def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(1, 6):
        pdf.drawString(72, 720, f"Page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class Sleeps(list[float]):
    """Records the waits the client asks for instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


FAST = WhisperOptions(poll_interval=0.5, retry=RetryPolicy(attempts=3, backoff=0.25, timeout=5))


def settings_for(service: FakeWhisperer, tmp_path: Path, key: str = KEY) -> Settings:
    return Settings(data_dir=tmp_path, llmwhisperer_api_key=key, llmwhisperer_url=service.url)


def test_reads_only_the_requested_pages(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """Only the candidate pages are sent (pages_to_extract) and each comes back as its own Page."""
    pages = read_pages(pdf_bytes, [5, 2, 3], settings_for(service, tmp_path), options=FAST, sleep=Sleeps())
    assert [p.number for p in pages] == [2, 3, 5]
    post = next(q for m, p, q in service.calls if m == "POST")
    assert post["pages_to_extract"] == ["2-3,5"]
    assert post["mode"] == ["high_quality"] and post["output_mode"] == ["layout_preserving"]
    assert service.bodies == [pdf_bytes]
    assert "Total assets" in pages[0].text and "Net loss" in pages[1].text and "operations" in pages[2].text
    assert all(p.source == "whisperer" for p in pages)
    words = [w.text for w in pages[1].words]
    assert "(123)" in words and "9,876" in words


def test_polls_while_processing(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """A slow job is polled at the poll interval until it is processed, then retrieved once."""
    service.processing_polls = 3
    sleeps = Sleeps()
    pages = read_pages(pdf_bytes, [2], settings_for(service, tmp_path), options=FAST, sleep=sleeps)
    assert pages[0].number == 2
    assert service.count("/api/v2/whisper-status") == 4
    assert service.count("/api/v2/whisper-retrieve") == 1
    assert sleeps == [0.5, 0.5, 0.5]


def test_gives_up_transiently_when_processing_never_ends(service: FakeWhisperer, tmp_path: Path) -> None:
    """A job still processing after wait_timeout raises a transient error for the job queue to retry."""
    service.processing_polls = 10**6
    options = WhisperOptions(poll_interval=0.01, wait_timeout=0.05, retry=FAST.retry)
    with pytest.raises(EngineBusy, match="did not finish") as info:
        read_pages(b"%PDF-1.4 tiny", [2], settings_for(service, tmp_path), options=options)
    assert info.value.transient


def test_honours_retry_after_on_429(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """A 429 with Retry-After waits exactly that long, then the submission goes through."""
    service.scripted["/api/v2/whisper"] = [Reply(429, {"message": "Too many requests"}, {"Retry-After": "7"})]
    sleeps = Sleeps()
    pages = read_pages(pdf_bytes, [3], settings_for(service, tmp_path), options=FAST, sleep=sleeps)
    assert sleeps == [7.0]
    assert service.count("/api/v2/whisper") == 2
    assert "Revenue" in pages[0].text


def test_retries_a_500_with_backoff(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """A 500 is retried after the backoff wait; the second answer is used."""
    service.scripted["/api/v2/whisper-retrieve"] = [Reply(500, {"message": "Internal error"})]
    sleeps = Sleeps()
    pages = read_pages(pdf_bytes, [2], settings_for(service, tmp_path), options=FAST, sleep=sleeps)
    assert sleeps == [0.25]
    assert "Cash" in pages[0].text


def test_persistent_503_raises_a_transient_error(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """After the last attempt a failing service gives EngineBusy (transient), having backed off exponentially."""
    service.scripted["/api/v2/whisper"] = [Reply(503, {"message": "Service unavailable"})] * 3
    sleeps = Sleeps()
    with pytest.raises(EngineBusy, match="HTTP 503 Service unavailable after 3 attempts") as info:
        read_pages(pdf_bytes, [2], settings_for(service, tmp_path), options=FAST, sleep=sleeps)
    assert info.value.transient
    assert sleeps == [0.25, 0.5]


def test_bad_key_is_a_clear_permanent_error(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """A 401 is not retried and names the setting to fix."""
    settings = settings_for(service, tmp_path, key="wrong")
    with pytest.raises(EngineError, match="refused the API key.*FINSHEET_LLMWHISPERER_API_KEY") as info:
        read_pages(pdf_bytes, [2], settings, options=FAST, sleep=Sleeps())
    assert not info.value.transient
    assert service.count("/api/v2/whisper") == 1


def test_rejected_file_names_the_service_message(service: FakeWhisperer, tmp_path: Path) -> None:
    """A 400 carries the service's own message."""
    with pytest.raises(EngineError, match=r"rejected the request \(HTTP 400\): Unsupported file type"):
        read_pages(b"not a pdf", [2], settings_for(service, tmp_path), options=FAST, sleep=Sleeps())


@pytest.mark.parametrize(
    ("path", "reply", "message"),
    [
        ("/api/v2/whisper-retrieve", Reply(200, b"<html>gateway</html>"), "malformed response \\(not JSON\\)"),
        ("/api/v2/whisper-retrieve", Reply(200, {"text": "x"}), "no result_text"),
        ("/api/v2/whisper", Reply(202, {"message": "ok"}), "no whisper_hash"),
        ("/api/v2/whisper-status", Reply(200, {"state": "??"}), "malformed status"),
        ("/api/v2/whisper-status", Reply(200, {"status": "error", "message": "file is corrupt"}), "file is corrupt"),
    ],
)
def test_malformed_or_failed_answers(
    service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes, path: str, reply: Reply, message: str
) -> None:
    """A body that does not match the documented shapes, or a failed job, gives one clear EngineError."""
    service.scripted[path] = [reply]
    with pytest.raises(EngineError, match=message):
        read_pages(pdf_bytes, [2], settings_for(service, tmp_path), options=FAST, sleep=Sleeps())


def test_unreachable_service_is_transient(tmp_path: Path) -> None:
    """Nothing listening on the port: retried, then a transient EngineBusy saying it cannot be reached."""
    settings = Settings(data_dir=tmp_path, llmwhisperer_api_key=KEY, llmwhisperer_url="http://127.0.0.1:9/api/v2")
    sleeps = Sleeps()
    with pytest.raises(EngineBusy, match="cannot be reached"):
        read_pages(b"%PDF-1.4", [1], settings, options=FAST, sleep=sleeps)
    assert len(sleeps) == 2


def test_not_configured(tmp_path: Path) -> None:
    """Without an API key the engine is unavailable, and says which setting to set."""
    with pytest.raises(EngineUnavailable, match="FINSHEET_LLMWHISPERER_API_KEY"):
        read_pages(b"%PDF-1.4", [1], Settings(data_dir=tmp_path))


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("a\n<<<\nb\n<<<\nc", 3, ["a", "b", "c"]),
        ("a\n<<<\nb\n<<<\n", 2, ["a", "b"]),
        ("a\n<<<\f\nb", 2, ["a", "b"]),
        ("a\fb\fc\f", 3, ["a", "b", "c"]),
        ("only page\n", 1, ["only page"]),
        ("  x <<< y\n<<<\nz", 2, ["  x <<< y", "z"]),
    ],
)
def test_split_pages(text: str, count: int, expected: list[str]) -> None:
    """Pages split on separator lines (a separator inside a line is text), else on form feeds."""
    assert split_pages(text, count) == expected


def test_split_pages_refuses_a_wrong_count() -> None:
    """Two pages of text for three requested cannot be mapped to page numbers."""
    with pytest.raises(EngineError, match="2 page\\(s\\) of text for the 3 requested"):
        split_pages("a\n<<<\nb", 3)


@pytest.mark.parametrize(("numbers", "spec"), [([1], "1"), ([3, 1, 2], "1-3"), ([1, 2, 3, 7, 9, 10], "1-3,7,9-10")])
def test_pages_spec(numbers: list[int], spec: str) -> None:
    """Page lists become the compact pages_to_extract syntax."""
    assert pages_spec(numbers) == spec


@pytest.mark.parametrize(
    ("key", "configured", "reachable"),
    [("", False, None), (KEY, True, True), ("wrong", True, False)],
)
def test_status(service: FakeWhisperer, tmp_path: Path, key: str, configured: bool, reachable: bool | None) -> None:
    """The admin status says whether the engine is configured and whether the service accepts the key."""
    result = status(settings_for(service, tmp_path, key=key))
    assert (result.configured, result.reachable) == (configured, reachable)
    assert result.detail


def test_second_run_is_served_from_the_store(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """The store opened as the response cache keeps the answer: the second run makes no call."""
    settings = settings_for(service, tmp_path)
    notes: list[str] = []

    def run(pages: list[int]) -> list[Page]:
        with open_response_cache(settings, notes) as cache:
            assert cache is not None
            return read_pages(pdf_bytes, pages, settings, cache=cache, options=FAST, sleep=Sleeps())

    first, second = run([2, 3]), run([3, 2])
    assert service.count("/api/v2/whisper") == 1
    assert [p.text for p in second] == [p.text for p in first]
    assert not first[0].warnings and not notes
    run([2])
    assert service.count("/api/v2/whisper") == 2  # other pages, other key


def test_without_a_cache_every_run_calls(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """The engine never opens the database itself: with no cache handed in, each run asks the service again."""
    settings = settings_for(service, tmp_path)
    for _ in range(2):
        read_pages(pdf_bytes, [2], settings, options=FAST, sleep=Sleeps())
    assert service.count("/api/v2/whisper") == 2
    assert not (tmp_path / "finsheet.duckdb").exists()


def test_cache_given_by_the_caller_is_used(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """A store passed in (the job queue's) is used instead of opening the database again."""
    settings = settings_for(service, tmp_path)
    with Store() as store:
        for _ in range(2):
            read_pages(pdf_bytes, [5], settings, cache=store, options=FAST, sleep=Sleeps())
        assert store.cache_stats().entries == 1 and store.cache_stats().hits == 1
    assert service.count("/api/v2/whisper") == 1
    assert not (tmp_path / "finsheet.duckdb").exists()


def test_locked_database_means_no_cache_and_a_warning(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """When another process holds the database the pages are still read, with a warning that nothing was cached."""
    settings = settings_for(service, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DB, str(settings.db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    notes: list[str] = []
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with open_response_cache(settings, notes) as cache:
            assert cache is None
            pages = read_pages(pdf_bytes, [2], settings, cache=cache, options=FAST, sleep=Sleeps())
    finally:
        holder.communicate("")
    assert "Cash" in pages[0].text
    assert any("response cache unavailable" in w for w in notes)


HOLD_DB = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"


BALANCE_ROWS = [
    ("Cash", "300", "250"),
    ("Receivables", "700", "650"),
    ("Total assets", "1,000", "900"),
    ("Payables", "400", "380"),
    ("Share capital", "500", "500"),
    ("Retained earnings", "100", "20"),
    ("Total equity", "600", "520"),
    ("Total liabilities and equity", "1,000", "900"),
]


def annual_report_pdf() -> bytes:
    """Three pages: a letter, the balance sheet, a note. Only page 2 is a statement."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 700, "ACME INC ANNUAL REPORT 2023")
    pdf.drawString(72, 680, "Letter to shareholders: a good year.")
    pdf.showPage()
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(306, 740, "ACME INC")
    pdf.drawCentredString(306, 725, "CONSOLIDATED BALANCE SHEETS")
    pdf.drawRightString(420, 690, "2023")
    pdf.drawRightString(500, 690, "2022")
    for row, (label, a, b) in enumerate(BALANCE_ROWS):
        pdf.drawString(72, 670 - 16 * row, label)
        pdf.drawRightString(420, 670 - 16 * row, a)
        pdf.drawRightString(500, 670 - 16 * row, b)
    pdf.showPage()
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 700, "NOTES TO THE FINANCIAL STATEMENTS")
    pdf.drawString(72, 680, "1. Basis of preparation")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pipeline_sends_only_statement_pages_and_parses_the_answer(service: FakeWhisperer, tmp_path: Path) -> None:
    """`extract(engine="whisperer")` detects locally, sends only the statement page, and parses LLMWhisperer's
    text into the same statement the local engine finds."""
    service.render_pdf = True
    pdf = annual_report_pdf()
    settings = settings_for(service, tmp_path)
    local = extract(pdf, settings=settings)
    remote = extract(pdf, engine="whisperer", settings=settings)
    post = next(q for m, p, q in service.calls if m == "POST")
    assert post["pages_to_extract"] == ["2"]
    assert remote.engine == "whisperer" and remote.error is None
    (statement,) = remote.statements
    assert statement.type == "balance_sheet" and statement.pages == [2]
    assert [(i.label, i.values) for i in statement.items] == [(i.label, i.values) for i in local.statements[0].items]
    assert statement.checks_passed == local.statements[0].checks_passed > 0


def test_cli_extract_caches_answers_in_the_store(
    service: FakeWhisperer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`finsheet extract --engine whisperer` keeps the service's answer in the store: a second run is not billed."""
    service.render_pdf = True
    path = tmp_path / "report.pdf"
    path.write_bytes(annual_report_pdf())
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FINSHEET_LLMWHISPERER_API_KEY", KEY)
    monkeypatch.setenv("FINSHEET_LLMWHISPERER_URL", service.url)
    monkeypatch.setenv("FINSHEET_SECRETS", str(tmp_path / "no-secrets.toml"))
    for _ in range(2):
        assert main(["extract", str(path), "--engine", "whisperer", "--json"]) == 0
    assert service.count("/api/v2/whisper") == 1
    with Store.open(settings_for(service, tmp_path)) as store:
        assert store.cache_stats().entries == 1
    assert '"engine": "whisperer"' in capsys.readouterr().out


def test_cli_extract_with_whisperer_not_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`finsheet extract --engine whisperer` without a key fails with one line naming the setting, no traceback."""
    path = tmp_path / "report.pdf"
    path.write_bytes(annual_report_pdf())
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FINSHEET_LLMWHISPERER_API_KEY", raising=False)
    monkeypatch.setenv("FINSHEET_SECRETS", str(tmp_path / "no-secrets.toml"))
    assert main(["extract", str(path), "--engine", "whisperer"]) != 0
    err = capsys.readouterr().err
    assert err.strip() == "finsheet: LLMWhisperer is not configured: set FINSHEET_LLMWHISPERER_API_KEY"


def test_unmappable_answer_is_not_cached(service: FakeWhisperer, tmp_path: Path, pdf_bytes: bytes) -> None:
    """Text that cannot be split into the requested pages is an error and is not cached: the next run asks again."""
    service.separator = "\n\n"
    settings = settings_for(service, tmp_path)
    for _ in range(2):
        with pytest.raises(EngineError, match="cannot tell them apart"):
            read_pages(pdf_bytes, [2, 3], settings, options=FAST, sleep=Sleeps())
    assert service.count("/api/v2/whisper") == 2
