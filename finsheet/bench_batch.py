"""`make bench batch`: `finsheet batch` over ../shared/corpus on 1 and 2 workers, and its projection to an archive."""

from __future__ import annotations

import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FILINGS = 10_000
"""The archive the batch section projects its figures to."""


def bench_batch() -> None:
    """`finsheet batch` over ../shared/corpus/pdfs on a LocalCluster of 1 and then 2 workers: pages per second of
    extraction (and with the cluster's start), the speed-up (target >= 1.7x), whether the Parquet equals
    `finsheet extract --json` for the same files, and the projection to 10,000 filings."""
    import json
    import os
    import subprocess
    import tempfile
    import time

    from finsheet.batch import output
    from finsheet.batch.cluster import ClusterOptions
    from finsheet.batch.runner import BatchOptions, run_batch
    from finsheet.batch.tables import DOCUMENT_TABLES, documents_from_tables

    pdfs = CORPUS / "pdfs"
    if not pdfs.is_dir():
        print("batch: skipped (../shared/corpus/pdfs is absent)")
        return
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"batch: {os.cpu_count()} cores, load average {load} before the runs (a shared machine slows both runs)")
    rates: dict[int, float] = {}
    pages = documents = 0
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            out = Path(tmp) / f"out-{workers}"
            started = time.perf_counter()
            report = run_batch([pdfs], out, options=BatchOptions(cluster=ClusterOptions(workers=workers,
                                                                                          dashboard=False)))
            wall = time.perf_counter() - started
            p = report.progress
            rates[workers], pages, documents = p.pages_per_second, p.pages, report.documents
            print(f"batch: {workers} worker(s): {report.documents} filings, {p.pages} pages in {p.seconds:.1f} s = "
                  f"{p.pages_per_second:.1f} pages/s ({wall:.1f} s with the cluster's start), "
                  f"{len(report.failures)} failed; {p.pages / max(p.cpu_seconds, 1e-9):.1f} pages per CPU-second "
                  "of the workers (their OCR's tesseract not counted)")
        # the same files through `finsheet extract --json`, one process: every document must come out the same
        exe = str(Path(sys.executable).with_name("finsheet"))
        files = sorted(str(f) for f in pdfs.glob("*.pdf"))
        printed = subprocess.run([exe, "extract", *files, "--json"], capture_output=True, text=True, check=False)
        expected = {d["sha256"]: d for d in map(json.loads, printed.stdout.splitlines())}
        tables = {name: output.read_table(Path(tmp) / "out-2", name) for name in DOCUMENT_TABLES}
        rebuilt = {d.sha256: d.model_dump(mode="json") for _, d in documents_from_tables(tables)}
        same = 0
        for sha, doc in rebuilt.items():
            want = dict(expected.get(sha, {}))
            for timing in ("seconds", "timings"):  # the run's own clock, not the extraction
                doc.pop(timing, None), want.pop(timing, None)
            same += doc == want
        print(f"batch: {same} of {len(expected)} documents of `finsheet extract --json` equal the Parquet's")
    if rates.get(1) and rates.get(2):
        per_worker = rates[1]
        efficiency = rates[2] / (2 * rates[1])
        print(f"batch: 2 workers are {rates[2] / rates[1]:.2f}x one (target >= 1.7x)")
        per_filing = pages / max(documents, 1)
        total = FILINGS * per_filing
        hours = ", ".join(f"{w} workers {total / (per_worker * w * efficiency) / 3600:.1f} h"
                          for w in (2, 16, 64))
        print(f"batch: {FILINGS:,} filings of {per_filing:.0f} pages ({total / 1e6:.2f} M pages) at "
              f"{per_worker:.1f} pages/s per worker x {efficiency:.0%} parallel efficiency: {hours}")
