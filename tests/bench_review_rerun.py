"""`make bench` (section app): time the Review page with Streamlit's AppTest — a rerun with nothing new (target
< 0.2 s median) and a click on a value, which outlines it on the page (target < 0.5 s).

Run by finsheet/bench.py in a child process with FINSHEET_DATA_DIR set; prints one JSON line. It makes its own
analyst through the store (no one-time admin password involved). It lives here, not in finsheet/, because only the
app and its tests import streamlit.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from streamlit.testing.v1 import AppTest

from finsheet.settings import load_settings
from finsheet.store import Store
from finsheet.workbench import auth

USER, PASSWORD = "bench-analyst", "bench-analyst-pass-1"


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def main(app: str) -> None:
    settings = load_settings()
    with Store.open(settings) as store:  # before the app opens it: one process, one connection per file
        if store.get_user(USER) is None:
            auth.create_account(store, USER, PASSWORD)
    at = AppTest.from_file(app, default_timeout=60)
    at.run()
    next(t for t in at.text_input if t.label == "Username").input(USER)
    next(t for t in at.text_input if t.label == "Password").input(PASSWORD)
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # the demo documents are extracted on first login
        at.switch_page("pages/review.py")
        at.run()
        if at.dataframe:
            break
        time.sleep(0.5)
    grid = at.dataframe[0]
    assert grid.key is not None, "the Review grid has a key (its selection is session state)"
    periods = [c for c in grid.value.columns if c not in ("line", "flag")]
    at.run()  # the first run after the extraction renders and caches the page
    reruns = [_timed(at) for _ in range(7)]
    clicks = []
    for row in range(2, 9):  # each click a value not clicked before: a new outline, the page raster reused
        at.session_state[grid.key] = {"selection": {"rows": [], "columns": [], "cells": [[row, periods[0]]]}}
        clicks.append(_timed(at))
    outlined = any("outlined" in c.value or "column's span" in c.value for c in at.caption)
    print(json.dumps({"median": statistics.median(reruns), "best": min(reruns), "tables": len(at.dataframe),
                      "click_median": statistics.median(clicks), "click_worst": max(clicks), "outlined": outlined}))


if __name__ == "__main__":
    main(sys.argv[1])
