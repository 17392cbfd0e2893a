"""The engines never carry a credential header to another origin after a redirect: two real HTTP servers on
127.0.0.1, on different ports (a different port is a different origin)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from finsheet.engines.http import HttpEngineClient, RetryPolicy, send_with_retries
from finsheet.engines.whisperer import WhispererClient
from finsheet.errors import EngineError
from finsheet.settings import Settings

KEY = "sk-the-whisperer-key-0123456789"


class Recorder(ThreadingHTTPServer):
    """A server that answers per path: 'redirect:<url>' sends a 302 (or 307) there, anything else a JSON body."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, str] = {}
        self.seen: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append({"path": self.path, "method": self.command,
                                 "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        route = self.server.routes.get(self.path.split("?")[0], "")
        if route.startswith("redirect"):
            code, target = (307, route[len("redirect307:"):]) if route.startswith("redirect307:") else (
                302, route[len("redirect:"):])
            self.send_response(code)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        payload = json.dumps({"path": self.path, "quota": 100, "remaining": 90}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer  # noqa: N815 (http.server's names)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, Recorder]]:
    pair = (Recorder(), Recorder())
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in pair]
    for t in threads:
        t.start()
    yield pair
    for s in pair:
        s.shutdown()
        s.server_close()


POLICY = RetryPolicy(attempts=1, timeout=10)


@pytest.mark.parametrize("header", ["unstract-key", "Authorization", "X-API-Key"])
def test_credentials_stay_home_after_a_cross_origin_redirect(servers: tuple[Recorder, Recorder],
                                                              header: str) -> None:
    """A redirect to another port is followed without the key header; the first server did get it."""
    home, elsewhere = servers
    home.routes["/api/v2/usage"] = f"redirect:{elsewhere.url}/landing"
    value = KEY if header != "Authorization" else f"Bearer {KEY}"
    with HttpEngineClient({header: value}) as client:
        response = send_with_retries(client.http, "GET", home.url + "/api/v2/usage", what="test", policy=POLICY)
    assert response.status_code == 200 and response.json()["path"] == "/landing"
    assert home.seen[0]["headers"].get(header.lower()) == value
    assert elsewhere.seen and all(KEY not in json.dumps(r["headers"]) for r in elsewhere.seen)


def test_whisperer_key_not_forwarded(servers: tuple[Recorder, Recorder]) -> None:
    """The LLMWhisperer client itself: a 307 (body and method kept) to another origin loses unstract-key."""
    home, elsewhere = servers
    home.routes["/api/v2/get-usage-info"] = f"redirect307:{elsewhere.url}/collect"
    settings = Settings(llmwhisperer_api_key=KEY, llmwhisperer_url=home.url + "/api/v2")
    with WhispererClient(settings) as client:
        client.usage()
    assert home.seen[0]["headers"]["unstract-key"] == KEY
    assert elsewhere.seen[0]["path"] == "/collect"
    assert all(KEY not in json.dumps(r["headers"]) for r in elsewhere.seen)


def test_same_origin_redirect_keeps_the_key(servers: tuple[Recorder, Recorder]) -> None:
    """A redirect within the same origin (a moved path) still carries the key, so the call works."""
    home, _ = servers
    home.routes["/old"] = "redirect:/new"
    with HttpEngineClient({"unstract-key": KEY}) as client:
        response = send_with_retries(client.http, "GET", home.url + "/old", what="test", policy=POLICY)
    assert response.json()["path"] == "/new"
    assert [r["headers"].get("unstract-key") for r in home.seen] == [KEY, KEY]


def test_key_not_restored_when_the_chain_comes_back(servers: tuple[Recorder, Recorder]) -> None:
    """home → elsewhere → home: once the key was dropped it stays dropped."""
    home, elsewhere = servers
    home.routes["/start"] = f"redirect:{elsewhere.url}/bounce"
    elsewhere.routes["/bounce"] = f"redirect:{home.url}/end"
    with HttpEngineClient({"unstract-key": KEY}) as client:
        send_with_retries(client.http, "GET", home.url + "/start", what="test", policy=POLICY)
    assert [r["path"] for r in home.seen] == ["/start", "/end"]
    assert "unstract-key" not in home.seen[1]["headers"]


def test_redirect_loop_is_an_engine_error(servers: tuple[Recorder, Recorder]) -> None:
    """A redirect loop ends with a clear EngineError, not a hang."""
    home, _ = servers
    home.routes["/loop"] = "redirect:/loop"
    with HttpEngineClient({}) as client, pytest.raises(EngineError, match="redirected"):
        send_with_retries(client.http, "GET", home.url + "/loop", what="test", policy=POLICY)
