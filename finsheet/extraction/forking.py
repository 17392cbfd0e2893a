"""A long document's pages read on every core: forked child processes read parts of the pages while this process
reads the first part, and send back what they read.

PDFium works on one call at a time per process (`pdf.PDFIUM_LOCK`), so a second core needs a second process. A
forked child starts in a few milliseconds with the document already open; a spawned one must start Python and import
the package first, which costs more than reading half of a 150-page 10-K saves.

Forking is safe only while this process runs a single thread: a lock another thread held at the fork stays locked
in the child for ever. So the pages are read in parts only then (the `finsheet` command, a benchmark, a test), and
only on Linux (macOS's system libraries are not safe to use in a forked child). Anywhere else, and for a document
too short to pay for a fork, `read_in_parts` reads everything here, as before.

Nothing depends on a child: a child that fails, dies or sends what cannot be read has its part read here instead,
so the result is always the list a plain read would give.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")

ReadRange = Callable[[int, int], list[T]]
"""Reads items [start, stop) of a document (pages, or the chosen pages' words) into a list, one entry per item."""


def read_in_parts(count: int, read: ReadRange[T], *, work_per_item: int = 1, min_work: int = 16) -> list[T]:
    """`read(0, count)`, its parts read at the same time where that is safe and pays.

    `work_per_item` weighs an item against the cheapest (a page's plain text is 1; its positioned words, several):
    a part is forked off only when it holds at least `min_work` of that work, because forking and sending back cost
    about as much as reading a few plain pages.
    """
    parts = _part_count(count * work_per_item, min_work)
    if parts < 2:
        return read(0, count)
    bounds = [count * i // parts for i in range(parts + 1)]
    children = [_fork_reader(read, bounds[i], bounds[i + 1]) for i in range(1, parts)]
    waiting = dict(children)
    try:
        result = read(bounds[0], bounds[1])
        for (pid, fd), start, stop in zip(children, bounds[1:-1], bounds[2:], strict=True):
            part: list[T] | None = _receive(pid, fd, stop - start)
            del waiting[pid]
            result.extend(part if part is not None else read(start, stop))
    finally:
        for pid, fd in waiting.items():  # left only when reading here raised (or was interrupted): stop the children
            _discard(pid, fd)
    return result


def can_fork() -> bool:
    """Whether this process may fork a reader: Linux, one thread running."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def _part_count(work: int, min_work: int) -> int:
    if not can_fork():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, work // max(min_work, 1)))


def _fork_reader(read: ReadRange[T], start: int, stop: int) -> tuple[int, int]:
    """Fork a child that reads [start, stop) and writes it, pickled, to a pipe; its pid and the pipe's read end."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers or flushes its buffers
        status = 1
        try:
            os.close(readable)
            blob = pickle.dumps(read(start, stop), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(blob)
            status = 0
        finally:
            os._exit(status)
    os.close(writable)
    return pid, readable


def _receive(pid: int, fd: int, expected: int) -> list[T] | None:
    """A child's part, or None when it failed or sent something else than `expected` items."""
    with os.fdopen(fd, "rb") as pipe:
        blob = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not blob:
        return None
    try:
        part = pickle.loads(blob)  # our own child's bytes, through a pipe only we hold
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, IndexError, KeyError):
        return None
    return part if isinstance(part, list) and len(part) == expected else None


def _discard(pid: int, fd: int) -> None:
    """Stop a child whose part is no longer wanted, and reap it (no zombie is left)."""
    with suppress(OSError):  # already closed, where receiving it was interrupted
        os.close(fd)
    with suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
