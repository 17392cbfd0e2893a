"""How far a batch is: documents done and failed, pages per second, and the time left — for the terminal.

`Progress` is the running count the runner keeps; `TerminalProgress` prints it: one line redrawn in place on a
terminal, a line per finished document otherwise (a log keeps every one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TextIO

REDRAW_S = 0.5


@dataclass(slots=True)
class Progress:
    total: int
    """Documents to extract in this run (those done by an earlier run are not counted)."""
    total_bytes: int
    skipped: int = 0
    """Documents an earlier run had done."""
    done: int = 0
    failed: int = 0
    no_statements: int = 0
    """Of the done: PDFs that open but hold no statement (recorded in `documents.error`)."""
    pages: int = 0
    cpu_seconds: float = 0.0
    """Workers' CPU time spent on the documents done (see TaskResult.cpu_seconds)."""
    bytes_done: int = 0
    started: float = field(default_factory=time.monotonic)
    """When the cluster was ready and the first document submitted."""
    ended: float | None = None
    """When the last document finished (None while the run goes on)."""
    last: str = ""
    """What happened last: "done acme.pdf (112 pages, 0.84 s)"."""

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def seconds(self) -> float:
        """Seconds of extraction so far (the cluster's start not counted)."""
        return (self.ended or time.monotonic()) - self.started

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left, from the bytes still to read at the rate read so far (None before the first document)."""
        if not self.bytes_done:
            return None
        return self.seconds * (self.total_bytes - self.bytes_done) / self.bytes_done

    def line(self) -> str:
        eta = self.eta_seconds
        left = "" if eta is None or self.finished == self.total else f", ETA {_duration(eta)}"
        return (f"{self.finished}/{self.total}: {self.done} done, {self.failed} failed, "
                f"{self.pages_per_second:.1f} pages/s{left}")


class TerminalProgress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._drawn = 0.0
        self._reported = 0

    def __call__(self, progress: Progress) -> None:
        if self.tty:
            now = time.monotonic()
            if now - self._drawn >= REDRAW_S or progress.finished == progress.total:
                self._drawn = now
                end = "\n" if progress.finished == progress.total else ""
                print(f"\r{progress.line():79s}", end=end, file=self.stream, flush=True)
        elif progress.finished > self._reported:
            self._reported = progress.finished
            print(f"[{progress.line()}] {progress.last}", file=self.stream, flush=True)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
