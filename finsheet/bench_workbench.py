"""`make bench queue` and `make bench app`: documents through the job queue, the store's size on disk, upload to
review in the workbench and a rerun of the Review page."""

from __future__ import annotations

import sys
from pathlib import Path


def bench_queue() -> None:
    """Documents per minute through the job queue on the samples' text-layer PDFs with 1 and 3 workers, and the
    DuckDB file size per 100 stored statements (generated: 40 lines x 2 periods each)."""
    import tempfile
    import time
    from datetime import date

    from finsheet.bench import samples_dir  # not on top: finsheet.bench imports this module
    from finsheet.jobs.queue import JobQueue
    from finsheet.jobs.uploads import save_upload
    from finsheet.logs import close_logging
    from finsheet.model import Document, LineItem, Period, Statement, StatementType
    from finsheet.settings import load_settings
    from finsheet.store import Store

    samples = samples_dir()
    if samples is None:
        print("queue: samples absent, documents/minute skipped")
    else:
        pdfs = sorted(p for p in (samples / "pdfs").glob("*.pdf") if "scanned" not in p.name.lower())
        for workers in (1, 3):
            with tempfile.TemporaryDirectory() as tmp:
                settings = load_settings(data_dir=Path(tmp), workers=workers)
                with Store.open(settings) as store:
                    ids = [save_upload(store, settings, p.read_bytes(), p.name, "bench").id for p in pdfs]
                    queue = JobQueue(store, settings, log_stderr=False).start()
                    start = time.perf_counter()
                    jobs = queue.wait([queue.submit("extract", {"document_id": i}, owner="bench") for i in ids])
                    seconds = time.perf_counter() - start
                    queue.shutdown()
                    close_logging()
            done = sum(j.state == "completed" for j in jobs)
            print(f"queue: {len(pdfs)} text-layer sample PDFs, {workers} worker(s): {seconds:.1f} s = "
                  f"{len(pdfs) / seconds * 60:.1f} documents/minute ({done} completed, {len(jobs) - done} failed)")

    periods = [Period(key=f"{y}-12-31", label=str(y), end=date(y, 12, 31), months=12) for y in (2023, 2022)]
    items = [
        LineItem(label=f"Line item number {n}", level=1, section=["Assets"], page=3, box=(72.0, 100.0 + n, 540, 110),
                 values={p.key: 1234.5 * n for p in periods}, raw={p.key: f"{1234.5 * n:,.1f}" for p in periods},
                 boxes={p.key: (400.0, 100.0 + n, 430.0, 110.0) for p in periods})
        for n in range(40)
    ]
    statement = Statement(type=StatementType.BALANCE, title="Consolidated balance sheets", pages=[3], confidence=0.9,
                          scale=1000, currency="USD", periods=periods, items=items)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "size.duckdb"
        Store(path).close()
        empty = path.stat().st_size
        with Store(path) as store:
            for n in range(250):  # 500 statements, so DuckDB's 256 KB blocks do not dominate the figure
                record, _ = store.add_document(sha256=f"{n:064x}", name=f"{n}.pdf", size=1, pages=9, owner="bench")
                doc = Document(file=record.name, sha256=record.sha256, pages=9, statements=[statement, statement])
                store.save_extraction(record.id, doc, engine="local", seconds=0)
        grown = (path.stat().st_size - empty) / 5
    print(f"queue: DuckDB file {empty / 1024:.0f} KB empty, +{grown / 1024:.0f} KB per 100 statements "
          "(40 lines x 2 periods each; measured on 500)")


# The review page's rerun is measured with Streamlit's AppTest in a child process (tests/bench_review_rerun.py):
# finsheet itself never imports streamlit, the benchmark drives the app from outside like the browser test does.
_REVIEW_RERUN = Path(__file__).resolve().parent.parent / "tests" / "bench_review_rerun.py"


def bench_app() -> None:
    """The workbench: seconds from upload to a reviewable statement for a 10-K (upload checks, queued extraction,
    the review table built), and one rerun of the Review page (AppTest, the demo documents)."""
    import json
    import os
    import subprocess
    import tempfile
    import time

    from finsheet.bench import samples_dir  # not on top: finsheet.bench imports this module
    from finsheet.jobs.intake import submit_upload
    from finsheet.jobs.queue import JobQueue
    from finsheet.logs import close_logging
    from finsheet.settings import load_settings
    from finsheet.store import Store, UserRef
    from finsheet.workbench.review import review_table

    samples = samples_dir()
    if samples is None:
        print("app: samples absent, upload-to-review skipped")
    else:
        pdf = samples / "pdfs" / "COSTCO_2021_10K.pdf"
        data = pdf.read_bytes()
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(data_dir=Path(tmp))
            runs = []
            with Store.open(settings) as store:
                queue = JobQueue(store, settings, log_stderr=False).start()
                for n in range(3):  # a new owner each time: the same bytes twice for one owner are one document
                    owner = UserRef(username=f"bench{n}")
                    start = time.perf_counter()
                    outcome = submit_upload(store, queue, settings, data, pdf.name, owner=owner.username)
                    assert outcome.job_id is not None, outcome.message
                    queue.wait([outcome.job_id])
                    first = store.list_statements(owner, outcome.document_id or 0)[0]
                    review_table(store.get_statement(owner, first.statement_id),
                                 store.items_frame(owner, first.statement_id))
                    runs.append(time.perf_counter() - start)
                queue.shutdown()
                close_logging()
        print(f"app: upload to reviewable statement, {pdf.name} ({len(data) / 1e6:.1f} MB): "
              f"{min(runs):.2f} s best, {max(runs):.2f} s worst of 3")

    app = Path(__file__).resolve().parent.parent / "app.py"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FINSHEET_DATA_DIR": tmp, "FINSHEET_ADMIN_PASSWORD": "bench-password-1",
               "FINSHEET_OCR": "false"}
        done = subprocess.run([sys.executable, str(_REVIEW_RERUN), str(app)], env=env, capture_output=True,
                              text=True, timeout=600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"app: review page rerun not measured: {(done.stderr or done.stdout).strip().splitlines()[-1:]}")
        return
    figures = json.loads(lines[-1])
    print(f"app: Review page rerun (statement table, checks, source page image): {figures['median']:.2f} s median, "
          f"{figures['best']:.2f} s best of 7 (target < 0.2 s)")
    if "click_median" in figures:
        print(f"app: Review value click (its box outlined on the page{'' if figures['outlined'] else ', NOT SEEN'}): "
              f"{figures['click_median']:.2f} s median, {figures['click_worst']:.2f} s worst of 7 (target < 0.5 s)")
