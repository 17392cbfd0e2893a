"""Bulk extraction on Dask distributed: sources in, Parquet out, resumable.

`finsheet batch SOURCES... --out DIR` fans `finsheet.extract()` — the very call `finsheet extract --json` makes —
out over a Dask cluster (a `LocalCluster` of worker processes on this machine, or an existing cluster), and writes
each document's statements, line items, values and checks as Parquet keyed by the PDF's sha256. The parts:

    sources.py    PDF files, folders and manifests -> documents keyed by sha256
    tables.py     a Document <-> rows of the documents / statements / items / values / checks / failures tables
    output.py     the output folder: one file per document and table, written atomically; what is done
    task.py       what a worker runs: extract one document, write its tables
    cluster.py    the LocalCluster (or the existing cluster) and its limits
    runner.py     submit, watch, retry, time out, record failures: `run_batch()`
    progress.py   done / failed, pages per second, ETA on the terminal
    loader.py     `finsheet import-batch`: the Parquet into the workbench's store (the only module here that
                  imports the store and the job queue's upload code)

Nothing here imports Dask at import time except through `cluster.py` and `runner.py`'s functions, so the
`finsheet` command stays fast to start.
"""
