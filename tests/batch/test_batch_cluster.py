"""`finsheet batch` on real Dask clusters of 2 worker processes: landing, failures, killed workers, timeouts,
reruns, and the same values as `finsheet extract --json`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import psutil
import pytest

from finsheet.batch import output
from finsheet.batch.cluster import ClusterOptions
from finsheet.batch.runner import BatchOptions, run_batch
from finsheet.batch.sources import file_sha256
from finsheet.batch.tables import DOCUMENT_TABLES, documents_from_tables
from finsheet.settings import load_settings
from finsheet.store import Store, UserRef

pytestmark = pytest.mark.slow

FINSHEET = str(Path(sys.executable).with_name("finsheet"))
KEYS = {"documents": ["sha256"], "statements": ["sha256", "statement"], "items": ["sha256", "statement", "item"],
        "values": ["sha256", "statement", "item", "period"], "checks": ["sha256", "statement", "check"]}


def _tables(out: Path) -> dict[str, pl.DataFrame]:
    return {name: output.read_table(out, name) for name in (*DOCUMENT_TABLES, "failures")}


def _kill_a_busy_worker(batch: subprocess.Popen[str], deadline: float = 90.0) -> int:
    """SIGKILL the worker process of the batch that is OCR'ing (it has tesseract children): mid-document."""
    parent = psutil.Process(batch.pid)
    started = time.monotonic()
    while time.monotonic() - started < deadline and batch.poll() is None:
        for child in parent.children(recursive=True):
            try:
                if any(p.name().startswith("tesseract") for p in child.children()):
                    os.kill(child.pid, signal.SIGKILL)
                    return child.pid
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.05)
    raise AssertionError("no worker was seen OCR'ing the scan")


def test_batch_lands_every_good_file_once_through_a_killed_worker_and_a_rerun_redoes_nothing(
    tmp_path: Path, filings, scanned_pdf
) -> None:
    """A worker killed mid-document: the run completes, every good file lands once, the corrupt one is in
    failures with its reason, and a rerun skips everything done (redoing only the failed file)."""
    src, out = tmp_path / "in", tmp_path / "out"
    good = filings(src, 4)
    (src / "scan.pdf").write_bytes(scanned_pdf(7, copies=1))
    good.append(src / "scan.pdf")
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    command = [FINSHEET, "batch", str(src), "--out", str(out), "--workers", "2", "--json"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    killed = _kill_a_busy_worker(batch)
    stdout, stderr = batch.communicate(timeout=180)

    assert batch.returncode == 1, stderr  # one file failed
    summary = json.loads(stdout)
    assert (summary["documents"], summary["done"], summary["failed"]) == (6, 5, 1)
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE
    tables = _tables(out)
    assert sorted(tables["documents"]["sha256"]) == sorted(file_sha256(p)[0] for p in good)
    for name, key in KEYS.items():
        assert tables[name].height > 0 and not tables[name].select(key).is_duplicated().any(), name
    assert tables["documents"].filter(pl.col("file") == "scan.pdf")["ocr_pages"].list.len().to_list()[0] > 0
    (failure,) = tables["failures"].iter_rows(named=True)
    assert failure["file"] == "corrupt.pdf" and failure["kind"] == "pdf" and "damaged" in failure["reason"]

    written = {p: p.stat().st_mtime_ns for p in out.glob("*/*.parquet") if p.parent.name != "failures"}
    with Store.open(load_settings(data_dir=tmp_path / "data")) as store:
        store.create_user("ann")
    env["FINSHEET_DATA_DIR"] = str(tmp_path / "data")
    rerun = [*command[:-3], "--workers", "1", "--json", "--store", "--user", "ann"]  # 1 worker: 1 file to redo
    again = subprocess.run(rerun, capture_output=True, text=True, env=env, timeout=180, check=False)
    summary = json.loads(again.stdout.partition("\nimported")[0])
    assert (summary["skipped"], summary["done"], summary["failed"]) == (5, 0, 1)
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/*.parquet") if p.parent.name != "failures"} == written
    assert "imported 5 document(s) for ann, 1 failed extraction(s)" in again.stdout
    with Store.open(load_settings(data_dir=tmp_path / "data")) as store:
        records = store.list_documents(UserRef(username="ann"))
    assert sorted(r.status or "" for r in records) == ["completed"] * 5 + ["failed"]


def test_batch_values_equal_extract_json(tmp_path: Path, filings, cluster: str) -> None:
    """The Parquet rebuilds exactly the documents `finsheet extract --json` prints for the same files (but the
    run's own timings)."""
    paths = filings(tmp_path / "in", 3)
    report = run_batch([tmp_path / "in"], tmp_path / "out",
                       options=BatchOptions(cluster=ClusterOptions(scheduler=cluster)))
    assert report.ok and report.progress.done == 3
    done = subprocess.run([FINSHEET, "extract", *map(str, paths), "--json"], capture_output=True, text=True,
                          check=True)
    printed = {d["sha256"]: d for d in map(json.loads, done.stdout.splitlines())}
    rebuilt = {d.sha256: d.model_dump(mode="json") for _, d in documents_from_tables(_tables(tmp_path / "out"))}
    assert set(rebuilt) == set(printed)
    for sha, doc in rebuilt.items():
        for timing in ("seconds", "timings"):
            doc.pop(timing), printed[sha].pop(timing)
        assert doc == printed[sha]
        assert doc["statements"] and all(st["items"] for st in doc["statements"])


def test_a_document_past_its_timeout_is_stopped_and_recorded(tmp_path: Path, filings, scanned_pdf,
                                                             cluster: str) -> None:
    """A document still running at the timeout is recorded failed (kind timeout), its worker restarted, and the
    other documents land."""
    from distributed import Client

    # more documents than 2 x the threads: Dask queues them on the scheduler, so the restarted worker holds no
    # other document (this cluster would give up on it at its first worker death)
    filings(tmp_path / "in", 4)
    (tmp_path / "in" / "slow.pdf").write_bytes(scanned_pdf(3, copies=8))  # 16 pages to OCR: seconds
    report = run_batch([tmp_path / "in"], tmp_path / "out",
                       options=BatchOptions(cluster=ClusterOptions(scheduler=cluster), timeout=1.0))
    assert report.progress.done == 4
    (failure,) = report.failures
    assert failure.file == "slow.pdf" and failure.kind == "timeout" and "1 s" in failure.reason
    assert output.failed(tmp_path / "out") == {failure.sha256}
    with Client(cluster) as client:
        client.wait_for_workers(2, timeout=60)  # the stopped worker came back


def test_a_document_that_kills_its_worker_is_recorded_not_retried_forever(
    tmp_path: Path, filings, scanned_pdf, cluster: str
) -> None:
    """On a cluster that allows no worker deaths per task, a document whose worker dies under it comes back as
    KilledWorker and is recorded failed with the reason; the others land."""
    from distributed import Client

    from finsheet.batch.task import running

    filings(tmp_path / "in", 4)  # with the slow one, more documents than 2 x the threads: Dask queues them
    slow = tmp_path / "in" / "slow.pdf"
    slow.write_bytes(scanned_pdf(5, copies=1))
    sha = file_sha256(slow)[0]
    killed: list[int] = []

    def kill_when_running() -> None:
        with Client(cluster) as client:
            for _ in range(600):
                for worker, documents in client.run(running, on_error="return").items():
                    if isinstance(documents, dict) and sha in documents:
                        pid = client.run(os.getpid, workers=[worker])[worker]
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                        return
                time.sleep(0.05)

    killer = threading.Thread(target=kill_when_running)
    killer.start()
    report = run_batch([tmp_path / "in"], tmp_path / "out",
                       options=BatchOptions(cluster=ClusterOptions(scheduler=cluster)))
    killer.join()
    assert killed
    assert report.progress.done == 4
    (failure,) = report.failures
    assert failure.kind == "killed" and failure.sha256 == sha and "died" in failure.reason
    rows = output.read_table(tmp_path / "out", "failures")
    assert rows["kind"].to_list() == ["killed"] and rows["file"].to_list() == ["slow.pdf"]
