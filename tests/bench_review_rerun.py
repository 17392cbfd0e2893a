"""`make bench` (section app): time reruns of the Review page with Streamlit's AppTest, logged in as admin.

Run by finsheet/bench.py in a child process with FINSHEET_DATA_DIR and FINSHEET_ADMIN_PASSWORD set; prints one JSON
line. It lives here, not in finsheet/, because only the app and its tests import streamlit.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from streamlit.testing.v1 import AppTest


def main(app: str) -> None:
    at = AppTest.from_file(app, default_timeout=60)
    at.run()
    next(t for t in at.text_input if t.label == "Username").input("admin")
    next(t for t in at.text_input if t.label == "Password").input(os.environ["FINSHEET_ADMIN_PASSWORD"])
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # the demo documents are extracted on first login
        at.switch_page("pages/review.py")
        at.run()
        if at.dataframe:
            break
        time.sleep(0.5)
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - start)
    print(json.dumps({"median": statistics.median(runs), "best": min(runs), "tables": len(at.dataframe)}))


if __name__ == "__main__":
    main(sys.argv[1])
