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

Nothing is left behind. The child runs in a process group of its own (tesseract joins it), and killing a child
kills the group. The child dies with its parent: PDFium's or tesseract's work is no use to anyone then. On Linux
it asks the kernel for a signal when the parent goes (prctl PR_SET_PDEATHSIG — note: the parent *thread* that
started it), and a watchdog thread checks the parent's pid every half second as well (any platform); either way it
removes its temporary directory (every temporary file it makes is under it) and kills its process group. Its
memory is capped (RLIMIT_AS, settings.worker_memory_mb): a document past it fails alone. Directories a killed
process left anyway are removed when the next queue starts (`remove_stale_temp_dirs`).

Progress: the pipeline reports between stages; OCR also reports each page tesseract finishes, so a scanned
document's job moves page by page ("ocr: page 4 of 12").

The optional engines cache their (paid) answers in the store, but the parent process holds the database. So when
an engine is on, the request carries the cached answers for this PDF; the child puts them in a private store of its
own (a temporary data dir) for the engines to find, and the result carries back the answers they added, which the
parent saves.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
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
WATCH_S = 0.5
"""How often the child's watchdog checks that its parent still lives."""
WORKER_TEMP_PREFIX = "finsheet-worker-"
STALE_UNOWNED_S = 24 * 3600.0
"""A finsheet temporary directory without a process id in its name is removed after a day."""
_NEXT_STAGE = {"ocr": 0.6, "read": 0.75, "read again": 0.9}
"""Where the pipeline's stage after "ocr", "read" and "read again" starts: OCR'd pages fill the progress up to it."""


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
        proc = self._ensure(settings)
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
        if message.get("exiting"):  # the child ends after this error (out of memory): the next job gets a new one
            self.close()
        raise _rebuild_error(message)  # the pipeline's own error: the child is fine and is kept

    def close(self, *, kill: bool = False) -> None:
        """End the child: politely (end of input) or, with `kill`, at once."""
        proc, self._proc, self._buffer, self._served = self._proc, None, b"", 0
        if proc is None:
            return
        try:
            if kill:
                _kill_group(proc)
            elif proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            _kill_group(proc)
            proc.wait()
        finally:
            _kill_group(proc)  # a tesseract the child started and did not wait for
            for stream in (proc.stdin, proc.stdout):
                if stream is not None and not stream.closed:
                    stream.close()
            if kill:  # a killed child could not remove its temporary directory: its images go now
                for leftover in Path(tempfile.gettempdir()).glob(f"{WORKER_TEMP_PREFIX}{proc.pid}-*"):
                    shutil.rmtree(leftover, ignore_errors=True)

    def _ensure(self, settings: Settings) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None or self._served >= JOBS_PER_CHILD:
            self.close()
            # numpy's OpenBLAS (the page images for OCR are numpy arrays) reserves a thread pool with buffers per
            # core at import; the child does no linear algebra, and under its address-space cap those reservations
            # made it abort (signal 6) where it should fail with MemoryError and its one-line reason
            env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1"),
                   "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
            command = [sys.executable, "-m", "finsheet.jobs.worker", "--parent", str(os.getpid()),
                       "--memory-mb", str(settings.worker_memory_mb)]
            self._proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True
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


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the child's process group (the child and any tesseract it runs); nothing when it is gone already."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_temp_dirs(directory: Path | None = None) -> list[str]:
    """Remove the temporary directories of finsheet processes that no longer run (a worker child or an OCR run
    killed before it could clean up): "finsheet-worker-<pid>-*" and "finsheet-ocr-<pid>-*" whose pid is dead, and
    ones without a pid older than a day. Only this user's. The names removed."""
    from finsheet.extraction.ocr import OCR_TEMP_PREFIX

    base = directory or Path(tempfile.gettempdir())
    pattern = re.compile(rf"^(?:{re.escape(WORKER_TEMP_PREFIX)}|{re.escape(OCR_TEMP_PREFIX)})(?:(\d+)-)?")
    removed: list[str] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if not found:
            continue
        try:
            info = entry.lstat()
            if not entry.is_dir() or entry.is_symlink() or info.st_uid != os.getuid():
                continue
        except OSError:
            continue
        pid = int(found.group(1)) if found.group(1) else None
        if pid is not None and (pid == os.getpid() or _alive(pid)):
            continue
        if pid is None and time.time() - info.st_mtime < STALE_UNOWNED_S:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry.name)
    return removed


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


class _Progress:
    """The child's progress reports: the pipeline's stages, and within "ocr" and "read" one report per page
    tesseract finishes, spread up to where the next stage starts."""

    def __init__(self, send: Callable[[dict[str, Any]], None]) -> None:
        self.send = send
        self.stage, self.fraction = "starting", 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        self.stage, self.fraction = stage, fraction
        self.send({"type": "progress", "stage": stage, "fraction": fraction})

    def page(self, done: int, total: int) -> None:
        end = _NEXT_STAGE.get(self.stage, self.fraction)
        fraction = self.fraction + (end - self.fraction) * done / max(total, 1)
        self.send({"type": "progress", "stage": f"{self.stage}: page {done} of {total}", "fraction": fraction})


def _serve(requests: IO[str], replies: IO[str], *, memory_mb: int = 0) -> None:
    from finsheet.extraction.pdf import open_pdf
    from finsheet.extraction.pipeline import extract
    from finsheet.extraction.render import ocr_progress

    def send(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    for line in requests:
        request = json.loads(line)
        progress = _Progress(send)
        added: list[dict[str, Any]] = []
        try:
            settings = Settings.model_validate(request["settings"])
            pdf, name = Path(request["pdf"]), request["name"]
            with open_pdf(pdf, name, max_pages=settings.max_pages):
                pass  # the page limit, before any work (a document stored before the limit was lowered)
            with ocr_progress(progress.page):
                if "cache" in request:
                    with private_cache(settings, request["cache"]) as (cache, added):
                        doc = extract(pdf, settings=settings, progress=progress, name=name, cache=cache)
                else:
                    doc = extract(pdf, settings=settings, progress=progress, name=name)
        except FinsheetError as exc:
            send({"type": "error", "error": type(exc).__name__, "message": str(exc), "transient": exc.transient})
        except MemoryError:  # past RLIMIT_AS: this document needs more than a worker may use; start afresh
            limit = f"the {memory_mb:,} MB" if memory_mb else "the"
            send({"type": "error", "error": "PdfError", "transient": False, "exiting": True,
                  "message": f"{request.get('name', 'the PDF')}: the extraction ran out of memory ({limit} a worker "
                             "may use, FINSHEET_WORKER_MEMORY_MB)"})
            return
        except Exception as exc:  # a bug in the pipeline: say what, keep serving
            send({"type": "error", "error": "FinsheetError", "transient": False,
                  "message": f"internal error: {type(exc).__name__}: {exc}"})
        else:
            send({"type": "result", "document": doc.model_dump(mode="json"), "cache": added})


# --------------------------------------------------------------------------- the child's safety nets


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (and its children's: tesseract inherits it). 0: no cap."""
    import resource

    if megabytes <= 0:
        return
    wanted = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError) as exc:
        print(f"finsheet worker: cannot limit memory to {megabytes} MB: {exc}", file=sys.stderr)


class _Leftovers:
    """This child's temporary directory (every temporary file it makes is under it) and process group, removed
    and killed however the child ends: normally, on SIGTERM (the parent-death signal), or by the watchdog."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"{WORKER_TEMP_PREFIX}{os.getpid()}-"))
        tempfile.tempdir = str(self.directory)  # OCR images, the engines' private cache: all in here
        os.environ["TMPDIR"] = str(self.directory)
        self._lock = threading.RLock()  # the SIGTERM handler may run while the main thread holds it

    def remove(self) -> None:
        with self._lock:
            shutil.rmtree(self.directory, ignore_errors=True)

    def die(self, why: str) -> None:
        """Remove the directory, kill the process group (tesseract with it, this process last) and exit."""
        print(f"finsheet worker {os.getpid()}: {why}; exiting", file=sys.stderr)
        self.remove()
        if os.getpgrp() == os.getpid():  # the group is ours (the parent started us in a session of our own)
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)


def die_with_parent(parent: int, leftovers: _Leftovers) -> None:
    """End this process when `parent` ends: PR_SET_PDEATHSIG (Linux) and a watchdog thread (anywhere)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog still watches
    signal.signal(signal.SIGTERM, lambda signum, frame: leftovers.die("the parent process ended (SIGTERM)"))
    if os.getppid() != parent:  # it ended before the signal was asked for
        leftovers.die("the parent process ended before this one started")

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_S)
        leftovers.die("the parent process ended")

    threading.Thread(target=watch, name="finsheet-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m finsheet.jobs.worker")
    parser.add_argument("--parent", type=int, default=0, help="exit when this process ends (the job queue's)")
    parser.add_argument("--memory-mb", type=int, default=0, help="address space limit in MB (0: none)")
    args = parser.parse_args(argv)
    leftovers = _Leftovers()
    if args.parent:
        die_with_parent(args.parent, leftovers)
    limit_memory(args.memory_mb)
    # The protocol gets its own copy of stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        _serve(sys.stdin, replies, memory_mb=args.memory_mb)
    except (BrokenPipeError, KeyboardInterrupt):  # the parent went away
        pass
    finally:
        leftovers.remove()


if __name__ == "__main__":
    main()
