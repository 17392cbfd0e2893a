"""The login cookie is set by the server, HttpOnly (scripts cannot read it), SameSite=Lax, and Secure behind HTTPS;
the one-time code that hands it over works once and briefly; `make run` serves these routes on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from finsheet.settings import Settings
from finsheet.workbench import web

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cr3t-session-token.signature"
Routes = Callable[[Settings, web.Handoffs], httpx.Client]


@pytest.fixture
def serve_routes() -> Iterator[Callable[[Settings, web.Handoffs], httpx.Client]]:
    """The routes on a real uvicorn server on 127.0.0.1, one per call; an httpx client for it."""
    running: list[tuple[uvicorn.Server, threading.Thread, httpx.Client]] = []

    def start(settings: Settings, handoffs: web.Handoffs) -> httpx.Client:
        port = _free_port()
        config = uvicorn.Config(Starlette(routes=web.routes(settings, handoffs)), host="127.0.0.1", port=port,
                                log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=False)
        running.append((server, thread, client))
        return client

    yield start
    for server, thread, client in running:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize("secure", [False, True])
def test_cookie_flags(tmp_path: Path, secure: bool, serve_routes: Routes) -> None:
    """HttpOnly, SameSite=Lax, Path=/, Max-Age of the session's life; Secure exactly when cookie_secure is set."""
    settings = Settings(data_dir=tmp_path, cookie_secure=secure, cookie_expiry_days=2)
    handoffs = web.Handoffs()
    code = handoffs.put(TOKEN)
    response = serve_routes(settings, handoffs).get(web.SESSION_PATH, params={"code": code, "next": "/statements"})
    assert response.status_code == 303 and response.headers["location"] == "/statements"
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{settings.cookie_name}={TOKEN};")
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower() and "max-age=172800" in cookie.lower()
    assert ("secure" in attributes) is secure
    assert response.headers["cache-control"] == "no-store"


def test_handoff_code_works_once_and_briefly(tmp_path: Path, serve_routes: Routes) -> None:
    """A used, unknown or expired code sets no cookie (and still sends the browser back to the app)."""
    settings = Settings(data_dir=tmp_path)
    handoffs = web.Handoffs()
    client = serve_routes(settings, handoffs)
    code = handoffs.put(TOKEN)
    assert "set-cookie" in client.get(web.SESSION_PATH, params={"code": code}).headers
    again = client.get(web.SESSION_PATH, params={"code": code})
    assert again.status_code == 303 and "set-cookie" not in again.headers
    assert "set-cookie" not in client.get(web.SESSION_PATH, params={"code": "made-up"}).headers
    old = handoffs.put(TOKEN, now=time.monotonic() - web.HANDOFF_SECONDS - 1)
    assert handoffs.take(old) is None


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "evil", ""])
def test_no_open_redirect(tmp_path: Path, target: str, serve_routes: Routes) -> None:
    """`next` only ever leads to a path of this site."""
    settings = Settings(data_dir=tmp_path)
    handoffs = web.Handoffs()
    response = serve_routes(settings, handoffs).get(web.SESSION_PATH, params={"code": handoffs.put(TOKEN),
                                                                         "next": target})
    assert response.headers["location"] == "/"


def test_logout_route_expires_the_cookie(tmp_path: Path, serve_routes: Routes) -> None:
    """/auth/logout answers with the cookie expired (Max-Age=0), HttpOnly like the one it replaces."""
    settings = Settings(data_dir=tmp_path)
    response = serve_routes(settings, web.Handoffs()).get(web.LOGOUT_PATH, params={"next": "/uploads"})
    cookie = response.headers["set-cookie"].lower()
    assert response.headers["location"] == "/uploads"
    assert cookie.startswith(f"{settings.cookie_name}=") and "max-age=0" in cookie and "httponly" in cookie


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _outside_address() -> str | None:
    """This machine's address on its default route (None when it has only loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
            address = str(s.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_make_run_serves_the_cookie_routes_on_loopback_only(served: tuple[str, str]) -> None:
    """The server make run starts answers the cookie routes, and nothing listens on the outside address."""
    url, _ = served
    response = httpx.get(url + web.SESSION_PATH, params={"code": "nope", "next": "/statements"})
    assert response.status_code == 303 and response.headers["location"] == "/statements"
    assert "set-cookie" not in response.headers
    outside = _outside_address()
    if outside is None:
        pytest.skip("this machine has no non-loopback address to try")
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s, pytest.raises(OSError):
        s.settimeout(3)
        s.connect((outside, port))


def test_makefile_run_target() -> None:
    """make run bootstraps (printing the one-time password) before the server, serves app.py, binds no
    wildcard address unless ADDRESS is given, and the Streamlit config listens on 127.0.0.1."""
    plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    steps = [line for line in plan.splitlines() if "finsheet.workbench.auth" in line or "streamlit run" in line]
    assert len(steps) == 2 and "finsheet.workbench.auth" in steps[0] and "app.py" in steps[1]
    assert "--server.address" not in steps[1]
    wide = subprocess.run(["make", "-n", "run", "ADDRESS=0.0.0.0"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "--server.address 0.0.0.0" in wide
    assert 'address = "127.0.0.1"' in (ROOT / ".streamlit" / "config.toml").read_text()
