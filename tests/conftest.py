"""Shared fixtures. Add yours with a small targeted edit; helpers are fixtures here, never imported from tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import pytest

StatementPdf = Callable[..., bytes]


@pytest.fixture
def statement_pdf() -> StatementPdf:
    """A factory of small real PDFs: a balance sheet (page 1) and an income statement (page 2) that foot.

    `statement_pdf(seed)` varies the figures (and so the bytes and sha256) with `seed`; `company` is printed on top.
    """
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    def draw(c: canvas.Canvas, company: str, title: str, rows: list[tuple[str, int, int | None, int | None]]) -> None:
        y = 720.0
        c.setFont("Helvetica-Bold", 11)
        for line in (company, title, "(in thousands of U.S. dollars)"):
            c.drawCentredString(306, y, line)
            y -= 16
        c.setFont("Helvetica-Bold", 9)
        c.drawRightString(430, y, "December 31, 2023")
        c.drawRightString(530, y, "December 31, 2022")
        y -= 18
        for label, indent, a, b in rows:
            c.setFont("Helvetica-Bold" if label.startswith("Total") else "Helvetica", 9)
            c.drawString(72 + 12 * indent, y, label)
            for x, v in ((430, a), (530, b)):
                if v is not None:
                    c.drawRightString(x, y, f"({-v:,})" if v < 0 else f"{v:,}")
            y -= 14
        c.showPage()

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
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=letter, invariant=True)  # same seed, same bytes
        draw(c, company, "CONSOLIDATED BALANCE SHEETS", [
            ("ASSETS", 0, None, None), ("Current assets:", 0, None, None),
            ("Cash and cash equivalents", 1, cash, cash0), ("Accounts receivable", 1, receivables, 700),
            ("Inventories", 1, inventory, 600), ("Total current assets", 1, current, current0),
            ("Property and equipment, net", 0, ppe, 4_100), ("Total assets", 0, assets, assets0),
            ("LIABILITIES AND EQUITY", 0, None, None), ("Accounts payable", 1, payables, 850),
            ("Long-term debt", 1, debt, 2_100), ("Total liabilities", 0, liabilities, liabilities0),
            ("Total stockholders' equity", 0, equity, equity0),
            ("Total liabilities and equity", 0, liabilities + equity, liabilities0 + equity0),
        ])
        draw(c, company, "CONSOLIDATED STATEMENTS OF OPERATIONS", [
            ("Net revenue", 0, revenue, revenue0), ("Cost of sales", 0, -cost, -cost0),
            ("Gross profit", 0, revenue - cost, revenue0 - cost0), ("Operating expenses", 0, -opex, -opex0),
            ("Operating income", 0, revenue - cost - opex, revenue0 - cost0 - opex0),
            ("Income tax expense", 0, -tax, -tax0),
            ("Net income", 0, revenue - cost - opex - tax, revenue0 - cost0 - opex0 - tax0),
        ])
        c.save()
        return buf.getvalue()

    return make


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
