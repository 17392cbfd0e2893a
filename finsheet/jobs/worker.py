"""Extraction in a child process, one per queue worker, reused from job to job.

PDFium is not thread-safe — two threads in one process calling it at once, even on different documents, crash
the process (pypdfium2's documentation says so, and the job queue's tests did). So the queue's worker threads never
call the pipeline themselves: each owns an `ExtractionProcess`, a `python -m finsheet.jobs.worker` child that runs
`extract()` and answers over pipes, one JSON object per line:

    parent → child   {"pdf": "/data/uploads/<sha>.pdf", "name": "acme.pdf", "settings": {...}}
    child → parent   {"type": "progress", "stage": "parse", "fraction": 0.75}   (between stages, any number)
                     {"type": "result", "document": {...}}  or  {"type": "error", "error": "PdfError", ...}

The parent relays progress to the job (where cancel, timeout and shutdown take effect) and checks them between
messages too, so even a stage that hangs is stopped: the child is killed and the next job starts a fresh one. A
child that dies (a crash in PDFium, out of memory) fails only its job, with a transient error.

The optional engines cache their (paid) answers in the store, but the parent process holds the database. So when
an engine is on, the request carries the cached answers for this PDF; the child puts them in a private store of its
own (a temporary data dir) for the engines to find, and the result carries back the answers they added, which the
parent saves.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from finsheet import errors
from finsheet.engines import uses_engines
from finsheet.errors import FinsheetError, TransientError
from finsheet.model import Document
from finsheet.settings import Settings
from finsheet.store import CacheKey, Store

POLL_S = 0.25
"""How often the parent checks for cancel / timeout / shutdown while the child works."""
JOBS_PER_CHILD = 100
"""A child is replaced after this many extractions, so whatever memory PDFium or OCR keeps never piles up."""


class ExtractionProcess:
    """The parent's handle on one child; not thread-safe itself (one per worker thread)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._served = 0

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for logs and tests)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def extract(
        self,
        pdf: Path,
        *,
        name: str,
        settings: Settings,
        progress: Callable[[str, float], None],
        check: Callable[[], None],
        cache: Store | None = None,
        sha256: str = "",
    ) -> Document:
        """`extract(pdf)` in the child. `progress` gets its stage reports; `check` is called at least every
        POLL_S seconds; whatever either raises stops the child (killed) and propagates. With `cache` (and the PDF's
        `sha256`), the engines' answers for this PDF are relayed from and back to that store."""
        proc = self._ensure()
        self._served += 1
        request: dict[str, Any] = {"pdf": str(pdf), "name": name, "settings": settings.model_dump(mode="json")}
        relay = cache is not None and uses_engines(settings)
        if relay:
            assert cache is not None
            request["cache"] = [{"key": k.model_dump(mode="json"), "value": v} for k, v in cache.cache_entries(sha256)]
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
            while True:
                message = self._next_message(check)
                if message["type"] == "progress":
                    progress(str(message["stage"]), float(message["fraction"]))
                elif message["type"] == "result":
                    if relay:
                        assert cache is not None
                        for entry in message.get("cache", []):
                            cache.cache_put(CacheKey.model_validate(entry["key"]), str(entry["value"]))
                    return Document.model_validate(message["document"])
                else:
                    break
        except BaseException:  # stopped from outside (cancel, timeout, shutdown) or the child died
            self.close(kill=True)
            raise
        raise _rebuild_error(message)  # the pipeline's own error: the child is fine and is kept

    def close(self, *, kill: bool = False) -> None:
        """End the child: politely (end of input) or, with `kill`, at once."""
        proc, self._proc, self._buffer, self._served = self._proc, None, b"", 0
        if proc is None:
            return
        try:
            if kill:
                proc.kill()
            elif proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None and not stream.closed:
                    stream.close()

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None or self._served >= JOBS_PER_CHILD:
            self.close()
            env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "finsheet.jobs.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
            )
        return self._proc

    def _next_message(self, check: Callable[[], None]) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            check()
            ready, _, _ = select.select([fd], [], [], POLL_S)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                code = proc.wait()
                self.close()
                how = f"signal {-code}" if code < 0 else f"exit code {code}"
                raise TransientError(f"the extraction process stopped unexpectedly ({how})")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        message: dict[str, Any] = json.loads(line)
        return message


def _rebuild_error(message: dict[str, Any]) -> FinsheetError:
    """The child's error as the same finsheet class (PdfError stays PdfError), keeping its `transient` flag."""
    cls = getattr(errors, str(message.get("error")), None)
    if not (isinstance(cls, type) and issubclass(cls, FinsheetError)):
        cls = FinsheetError
    try:
        error = cls(str(message.get("message")))
    except TypeError:  # a class that wants more than a message
        error = FinsheetError(str(message.get("message")))
    error.transient = bool(message.get("transient"))
    return error


# --------------------------------------------------------------------------- the child


@contextmanager
def private_cache(settings: Settings, entries: list[dict[str, Any]]) -> Iterator[tuple[Store, list[dict[str, Any]]]]:
    """A temporary store holding `entries`, to hand the engines as their cache; after the block, the list holds
    the entries the engines added or changed meanwhile (to send back)."""
    with tempfile.TemporaryDirectory(prefix="finsheet-cache-") as tmp:
        private = settings.model_copy(update={"data_dir": Path(tmp)})
        known: dict[CacheKey, str] = {}
        with Store.open(private) as store:
            for entry in entries:
                key = CacheKey.model_validate(entry["key"])
                store.cache_put(key, str(entry["value"]))
                known[key] = str(entry["value"])
            added: list[dict[str, Any]] = []
            yield store, added
            added.extend(
                {"key": key.model_dump(mode="json"), "value": value}
                for key, value in store.cache_entries()
                if known.get(key) != value
            )


def _serve(requests: IO[str], replies: IO[str]) -> None:
    from finsheet.extraction.pipeline import extract

    def send(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    for line in requests:
        request = json.loads(line)

        def progress(stage: str, fraction: float) -> None:
            send({"type": "progress", "stage": stage, "fraction": fraction})

        added: list[dict[str, Any]] = []
        try:
            settings = Settings.model_validate(request["settings"])
            pdf, name = Path(request["pdf"]), request["name"]
            if "cache" in request:
                with private_cache(settings, request["cache"]) as (cache, added):
                    doc = extract(pdf, settings=settings, progress=progress, name=name, cache=cache)
            else:
                doc = extract(pdf, settings=settings, progress=progress, name=name)
        except FinsheetError as exc:
            send({"type": "error", "error": type(exc).__name__, "message": str(exc), "transient": exc.transient})
        except Exception as exc:  # a bug in the pipeline: say what, keep serving
            send({"type": "error", "error": "FinsheetError", "transient": False,
                  "message": f"internal error: {type(exc).__name__}: {exc}"})
        else:
            send({"type": "result", "document": doc.model_dump(mode="json"), "cache": added})


def main() -> None:
    # The protocol gets its own copy of stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        _serve(sys.stdin, replies)
    except (BrokenPipeError, KeyboardInterrupt):  # the parent went away
        pass


if __name__ == "__main__":
    main()
