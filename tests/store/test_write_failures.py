"""The store when the disk is full or another process holds the database: a clear StorageError, never DuckDB's own
"no transaction is active", and the store works again once there is room."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from finsheet.errors import StorageError
from finsheet.store import Store
from finsheet.store.base import DatabaseInUse

# A full disk, for real but only for this child process: a file-size limit (RLIMIT_FSIZE, soft) just above the
# write-ahead log's size makes the kernel refuse DuckDB's next append with EFBIG ("File too large"), exactly like
# ENOSPC would. DuckDB then fails the commit, which ends the transaction, so a rollback would raise "no
# transaction is active" and hide the cause.
_FULL_DISK = r"""
import json, os, resource, signal, sys
from finsheet.errors import StorageError
from finsheet.store import Store

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the kernel refuses the write instead of killing the process
path = sys.argv[1]
store = Store(path)
record, _ = store.add_document(sha256="0" * 64, name="a.pdf", size=1, pages=1, owner="ann")
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
wal = path + ".wal"
resource.setrlimit(resource.RLIMIT_FSIZE, (max(os.path.getsize(wal) if os.path.exists(wal) else 0, 1), hard))
outcome = {}
try:
    store.add_document(sha256="1" * 64, name="b" * 5000 + ".pdf", size=1, pages=1, owner="ann")
    outcome["full"] = "no error"
except StorageError as exc:
    outcome["full"] = str(exc)
except Exception as exc:
    outcome["full"] = "escaped: " + type(exc).__name__ + ": " + str(exc)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))  # room again
record, created = store.add_document(sha256="2" * 64, name="c.pdf", size=1, pages=1, owner="ann")
outcome["after"] = [record.name, created]
store.close()
print(json.dumps(outcome))
"""


def test_full_disk_gives_the_real_cause_and_the_store_recovers(tmp_path: Path) -> None:
    """A commit refused by a full disk raises StorageError naming the cause (not "no transaction is active"),
    and once there is room again the same store writes as before."""
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(tmp_path / "db.duckdb")], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["full"].startswith("database write failed: ")
    assert "File too large" in outcome["full"] and "no transaction" not in outcome["full"]
    assert outcome["after"] == ["c.pdf", True]


def test_a_database_held_by_another_process_says_who_and_to_retry(tmp_path: Path) -> None:
    """Opening a database another process holds raises a transient StorageError naming the data directory, the
    holder's pid and command, and saying to retry."""
    path = tmp_path / "data" / "finsheet.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom finsheet.store import Store\ns = Store(sys.argv[1])\n"
         "print('ready', flush=True)\nsys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUse) as caught:
            Store(path)
    finally:
        holder.communicate("", timeout=60)
    error = caught.value
    assert isinstance(error, StorageError) and error.transient and error.pid == holder.pid
    message = str(error)
    assert message.startswith(f"the data directory {path.parent} is in use by another finsheet process (pid ")
    assert f"pid {holder.pid}: -c import sys from finsheet.store import Store" in message
    assert message.endswith("retry when it finishes") and "\n" not in message
    Store(path).close()  # and free again once the holder ends
