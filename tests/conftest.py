"""Shared fixtures. Add yours with a small targeted edit; helpers are fixtures here, never imported from tests (the
functions tests call to draw their own PDFs are in pdf_pages.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from finsheet.settings import Settings
    from finsheet.store import Store

ROOT = Path(__file__).resolve().parents[1]
StatementPdf = Callable[..., bytes]


@pytest.fixture
def statement_pdf() -> StatementPdf:
    """A factory of small real PDFs: a balance sheet (page 1) and an income statement (page 2) that foot.

    `statement_pdf(seed)` varies the figures (and so the bytes and sha256) with `seed`; `company` is printed on top.
    """
    from pdf_pages import render, statement_page

    def make(seed: int = 0, *, company: str = "ACME HOLDINGS INC.") -> bytes:
        cash, cash0 = 1_200 + seed, 1_000
        receivables, inventory, ppe = 800 + 2 * seed, 650, 4_300
        current = cash + receivables + inventory
        current0 = cash0 + 700 + 600
        assets, assets0 = current + ppe, current0 + 4_100
        payables, debt = 900, 2_000
        liabilities, liabilities0 = payables + debt, 850 + 2_100
        equity, equity0 = assets - liabilities, assets0 - liabilities0
        revenue, revenue0 = 10_000 + 10 * seed, 9_000
        cost, cost0 = 6_000, 5_500
        opex, opex0 = 2_500, 2_300
        tax, tax0 = 300, 250
        balance = statement_page(company, "CONSOLIDATED BALANCE SHEETS", [
            ("ASSETS", 0, None, None), ("Current assets:", 0, None, None),
            ("Cash and cash equivalents", 1, cash, cash0), ("Accounts receivable", 1, receivables, 700),
            ("Inventories", 1, inventory, 600), ("Total current assets", 1, current, current0),
            ("Property and equipment, net", 0, ppe, 4_100), ("Total assets", 0, assets, assets0),
            ("LIABILITIES AND EQUITY", 0, None, None), ("Accounts payable", 1, payables, 850),
            ("Long-term debt", 1, debt, 2_100), ("Total liabilities", 0, liabilities, liabilities0),
            ("Total stockholders' equity", 0, equity, equity0),
            ("Total liabilities and equity", 0, liabilities + equity, liabilities0 + equity0),
        ])
        income = statement_page(company, "CONSOLIDATED STATEMENTS OF OPERATIONS", [
            ("Net revenue", 0, revenue, revenue0), ("Cost of sales", 0, -cost, -cost0),
            ("Gross profit", 0, revenue - cost, revenue0 - cost0), ("Operating expenses", 0, -opex, -opex0),
            ("Operating income", 0, revenue - cost - opex, revenue0 - cost0 - opex0),
            ("Income tax expense", 0, -tax, -tax0),
            ("Net income", 0, revenue - cost - opex - tax, revenue0 - cost0 - opex0 - tax0),
        ])
        return render(balance, income)  # same seed, same bytes

    return make


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """The store on the test's `settings` (a fixture each test module or folder defines as its tests need), closed
    when the test ends."""
    from finsheet.store import Store

    with Store.open(settings) as db:
        yield db


StartApp = Callable[[dict[str, str], Sequence[str]], str]
"""(environment, streamlit options after --server.port) -> the running app's URL."""


@pytest.fixture
def streamlit_app(tmp_path: Path) -> Iterator[StartApp]:
    """Start `streamlit run app.py` from the repo on a free loopback port, with an environment and options of the
    test's; returns "http://127.0.0.1:PORT" once its health check answers. Its output goes to tmp_path/server.log (in
    the failure's message when it exits early); servers stop when the test ends."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    running: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str], options: Sequence[str] = ()) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        log = tmp_path / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                       *options], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        running.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx.get(url + "/_stcore/health", timeout=2).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.5)

    yield start
    for server in running:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class StubReply(Protocol):
    status: int
    body: Any
    headers: dict[str, str]


StubHandler = Callable[[str, str, dict[str, list[str]], dict[str, str], bytes], StubReply]
"""(method, path, query, headers with lower-case names, body) -> a reply with status, body (JSON or bytes), headers."""


@pytest.fixture
def http_stub() -> Iterator[Callable[[StubHandler], str]]:
    """Start real HTTP servers on 127.0.0.1 that answer with a handler; returns "http://127.0.0.1:PORT".

    The stand-in for an external API (LLMWhisperer, an OpenAI-compatible LLM): the clients under test speak real
    HTTP to it. Servers stop when the test ends."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlparse

    running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(handle: StubHandler) -> str:
        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = handle(self.command, parsed.path, parse_qs(parsed.query), headers, body)
                raw = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()
