"""`finsheet import-batch`: a batch's Parquet into the store for an existing user, and refused for a missing one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from finsheet.batch import output
from finsheet.batch.loader import import_batch
from finsheet.batch.sources import collect
from finsheet.batch.tables import DOCUMENT_TABLES, documents_from_tables, failure_frame
from finsheet.batch.task import extract_document
from finsheet.errors import AuthError
from finsheet.settings import load_settings
from finsheet.store import Store, UserRef

FINSHEET = str(Path(sys.executable).with_name("finsheet"))


@pytest.fixture
def batch_out(tmp_path: Path, filings) -> Path:
    """A batch's output written by the same task the workers run (here in-process): two filings and a damaged
    PDF recorded in failures."""
    filings(tmp_path / "in", 2)
    (tmp_path / "in" / "damaged.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    with output.open_output(tmp_path / "out") as out:
        for source in collect([tmp_path / "in"]).documents:
            result = extract_document(source, str(out), load_settings())
            if result.status == "failed":
                output.write_failure(out, source.sha256, failure_frame(
                    sha256=source.sha256, file=source.name, path=source.path, kind=result.kind or "error",
                    reason=result.error or ""))
    return tmp_path / "out"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = Store(tmp_path / "data" / "finsheet.duckdb", uploads_dir=tmp_path / "data" / "uploads")
    db.create_user("ann")
    return db


def test_import_stores_every_document_exactly_for_the_user(batch_out: Path, store: Store) -> None:
    """Each document is stored with the very extraction the Parquet holds and its PDF; the damaged file is a
    failed document with its reason; importing again changes nothing."""
    summary = import_batch(batch_out, user="ann", settings=load_settings(), store=store)
    assert (summary.imported, summary.failed, summary.skipped, summary.without_pdf) == (2, 1, 0, [])
    ann = UserRef(username="ann")
    tables = {name: output.read_table(batch_out, name) for name in DOCUMENT_TABLES}
    expected = {doc.sha256: doc for _, doc in documents_from_tables(tables)}
    records = store.list_documents(ann)
    assert len(records) == 3
    for record in records:
        assert store.pdf_path(record).is_file()
        if record.name == "damaged.pdf":
            assert record.status == "failed" and "damaged" in (record.error or "")
            continue
        assert record.status == "completed" and record.owner == "ann"
        assert store.load_document(ann, record.id) == expected[record.sha256]
    again = import_batch(batch_out, user="ann", settings=load_settings(), store=store)
    assert (again.imported, again.failed, again.skipped) == (0, 0, 3)
    assert len(store.list_documents(ann)) == 3


def test_import_is_refused_for_a_missing_user(batch_out: Path, store: Store) -> None:
    """A batch imports into an existing account, never creates one: nothing is stored for a missing user."""
    with pytest.raises(AuthError, match="no user 'bob'"):
        import_batch(batch_out, user="bob", settings=load_settings(), store=store)
    assert store.list_documents(UserRef(username="admin", role="admin")) == []


def test_import_batch_command_refuses_a_missing_user_with_one_line(batch_out: Path, tmp_path: Path) -> None:
    """The command exits 3 with one line naming the user, and a folder that is no batch output says so."""
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([FINSHEET, "import-batch", str(batch_out), "--user", "bob"], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 3 and done.stderr.strip() == (
        "finsheet: no user 'bob': create the account first (Admin page), then import")
    done = subprocess.run([FINSHEET, "import-batch", str(tmp_path / "in"), "--user", "bob"], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 1 and "is not the output of `finsheet batch`" in done.stderr


@pytest.mark.parametrize(("extra", "code", "message"), [
    ([], 2, "finsheet: the sources name no readable file"),
    (["--store"], 3, "finsheet: --store needs --user"),
    (["--store", "--user", "bob"], 3, "finsheet: no user 'bob'"),
])
def test_batch_command_says_what_is_wrong_before_starting_a_cluster(tmp_path: Path, extra: list[str], code: int,
                                                                     message: str) -> None:
    """No PDF in the sources, --store without a user, or a user who does not exist: one line and an exit code."""
    (tmp_path / "empty").mkdir()
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([FINSHEET, "batch", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), *extra],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == code and done.stderr.startswith(message), done.stderr
