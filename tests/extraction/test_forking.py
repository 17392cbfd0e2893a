"""Pages read in parts by forked children (`forking.read_in_parts`): the same result as one process reading them all,
whatever a child does, and no fork where forking is unsafe.

Each case runs in a fresh interpreter: forking is allowed only while a process runs one thread, and pytest's own
process may hold threads other tests started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="pages are read in parts only on Linux with two cores or more")

_READ = """
import json, os, sys, threading
from finsheet.extraction.forking import read_in_parts

parent = os.getpid()
mode = sys.argv[1]

def read(start, stop):
    if mode == "child dies" and os.getpid() != parent:
        os._exit(3)
    if mode == "child sends too few" and os.getpid() != parent:
        return [(start, os.getpid())]
    if mode == "parent raises" and os.getpid() == parent:
        raise RuntimeError("a page PDFium cannot read")
    return [(i, os.getpid()) for i in range(start, stop)]

if mode == "second thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
count = 5 if mode == "short" else 100
try:
    items = read_in_parts(count, read, min_work=10)
except RuntimeError as exc:
    try:
        left = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        left = None
    print(json.dumps({"raised": str(exc), "children left": left}))
else:
    print(json.dumps({"items": [i for i, _ in items], "readers": len({pid for _, pid in items}),
                      "read here": sum(pid == parent for _, pid in items)}))
"""


def _run(mode: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", _READ, mode], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_parts_are_read_by_children_and_come_back_in_order() -> None:
    result = _run("plain")
    assert result["items"] == list(range(100))
    assert result["readers"] == min(len(os.sched_getaffinity(0)), 10)
    assert result["read here"] < 100


@pytest.mark.parametrize("mode", ["child dies", "child sends too few"])
def test_a_failed_childs_part_is_read_here(mode: str) -> None:
    result = _run(mode)
    assert result["items"] == list(range(100))
    assert result["readers"] == 1 and result["read here"] == 100


@pytest.mark.parametrize("mode", ["second thread", "short"])
def test_no_fork_with_a_second_thread_or_for_a_short_document(mode: str) -> None:
    result = _run(mode)
    assert result["items"] == list(range(5 if mode == "short" else 100))
    assert result["readers"] == 1


def test_when_this_process_fails_its_children_are_stopped_and_reaped() -> None:
    result = _run("parent raises")
    assert result == {"raised": "a page PDFium cannot read", "children left": None}


_EXTRACT = """
import json, os, sys
from finsheet.extraction import forking
from finsheet.extraction.pipeline import extract

forks = 0
fork = os.fork
def counting_fork():
    global forks
    forks += 1
    return fork()
os.fork = counting_fork

def dump(doc):
    return {k: v for k, v in doc.model_dump(mode="json").items() if k not in ("seconds", "timings")}

in_parts = dump(extract(sys.argv[1]))
forked = forks
forking.can_fork = lambda: False
alone = dump(extract(sys.argv[1]))
print(json.dumps({"forks": forked, "same": in_parts == alone, "statements": len(alone["statements"]),
                  "forks when alone": forks - forked}))
"""


def test_a_long_filing_read_in_parts_gives_the_same_extraction(tmp_path: Path) -> None:
    """A 60-page filing whose six statement pages are in its second half: the plain text of every page and the words
    of the statement pages are read in parts, and the extraction is the one a single process makes."""
    from pdf_pages import render, statement_page
    from reportlab.pdfgen import canvas

    def narrative(number: int):  # type: ignore[no-untyped-def]
        def draw(c: canvas.Canvas) -> None:
            c.setFont("Helvetica", 10)
            for i, line in enumerate(textwrap.wrap(f"Item {number}. The company discusses its business, risks and "
                                                   "markets in this part of the report. " * 6, 90)):
                c.drawString(72, 720 - 14 * i, line)
        return draw

    balance = statement_page("ACME HOLDINGS INC.", "CONSOLIDATED BALANCE SHEETS", [
        ("Cash", 0, 1_200, 1_000), ("Property", 0, 4_300, 4_100), ("Total assets", 0, 5_500, 5_100),
        ("Debt", 0, 2_000, 2_100), ("Equity", 0, 3_500, 3_000), ("Total liabilities and equity", 0, 5_500, 5_100)])
    income = statement_page("ACME HOLDINGS INC.", "CONSOLIDATED STATEMENTS OF OPERATIONS", [
        ("Revenue", 0, 10_000, 9_000), ("Cost of revenue", 0, -6_000, -5_500), ("Gross profit", 0, 4_000, 3_500),
        ("Operating expenses", 0, -2_500, -2_300), ("Operating income", 0, 1_500, 1_200),
        ("Income tax expense", 0, -300, -250), ("Net income", 0, 1_200, 950)])
    group = [narrative(n) for n in range(30)] + [balance, income] * 3 + [narrative(n) for n in range(30, 54)]
    path = tmp_path / "long.pdf"
    path.write_bytes(render(*group))

    out = subprocess.run([sys.executable, "-c", _EXTRACT, str(path)], capture_output=True, text=True, timeout=120,
                         check=True)
    result = json.loads(out.stdout)
    assert result["statements"] >= 2
    assert result["forks"] >= 2  # the plain text, and the statement pages' words
    assert result["same"] and result["forks when alone"] == 0
