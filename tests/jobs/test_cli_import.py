"""`finsheet import`, `finsheet jobs` and `finsheet doctor` on a temporary data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from finsheet.cli import main
from finsheet.extraction.pipeline import extract
from finsheet.logs import close_logging
from finsheet.settings import load_settings
from finsheet.store import Store
from finsheet.workbench.auth import create_account


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir where the analysts ann and bob have accounts (an import is only for an existing account)."""
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    with Store.open(load_settings()) as store:
        for name in ("ann", "bob"):
            create_account(store, name, "correct horse battery staple")
    yield tmp_path / "data"  # type: ignore[misc]
    close_logging()


@pytest.fixture
def pdfs(tmp_path: Path, statement_pdf) -> list[Path]:
    paths = []
    for seed in range(2):
        path = tmp_path / f"acme-{seed}.pdf"
        path.write_bytes(statement_pdf(seed))
        paths.append(path)
    return paths


def statements_in(path: Path) -> int:
    return len(extract(path, settings=load_settings(env={})).statements)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_reports_every_file(data_dir: Path, pdfs: list[Path], tmp_path: Path, capsys) -> None:
    """--json gives one object per file; a non-PDF and a missing file fail with a reason; the exit code is 1."""
    text = tmp_path / "notes.txt"
    text.write_text("not a pdf")
    code, out, _ = run(capsys, "import", *map(str, pdfs), str(text), str(tmp_path / "missing.pdf"), "--user", "ann",
                       "--json")
    rows = json.loads(out)
    assert [r["file"] for r in rows] == ["acme-0.pdf", "acme-1.pdf", "notes.txt", "missing.pdf"]
    assert all(set(r) == {"file", "document_id", "status", "statements", "error", "note"} for r in rows)
    for row, path in zip(rows[:2], pdfs, strict=True):
        found = statements_in(path)
        assert row["statements"] == found and row["document_id"] is not None
        assert row["status"] == ("completed" if found else "failed")
    assert (rows[2]["status"], rows[2]["document_id"]) == ("failed", None) and "not a PDF" in rows[2]["error"]
    assert "cannot read the file" in rows[3]["error"]
    assert code == 1


def test_import_exit_code_and_reimport(data_dir: Path, pdfs: list[Path], capsys) -> None:
    """All files extracted → exit 0 (1 if any failed); importing the same files again makes no new document or job."""
    code, out, _ = run(capsys, "import", *map(str, pdfs), "--user", "ann", "--json")
    first = json.loads(out)
    assert code == (0 if all(r["status"] == "completed" for r in first) else 1)
    _, out, _ = run(capsys, "jobs", "--json")
    jobs_before = json.loads(out)
    code_again, out, _ = run(capsys, "import", *map(str, pdfs), "--user", "ann", "--json")
    again = json.loads(out)
    assert [r["document_id"] for r in again] == [r["document_id"] for r in first]
    assert [r["status"] for r in again] == [r["status"] for r in first] and code_again == code
    _, out, _ = run(capsys, "jobs", "--json")
    assert len(json.loads(out)) == len(jobs_before) == 2


def test_jobs_lists_per_user(data_dir: Path, pdfs: list[Path], capsys) -> None:
    """`finsheet jobs` lists everyone's jobs; --user only that user's; the text form names the document."""
    run(capsys, "import", str(pdfs[0]), "--user", "ann")
    run(capsys, "import", str(pdfs[1]), "--user", "bob")
    _, out, _ = run(capsys, "jobs", "--json")
    assert sorted(j["owner"] for j in json.loads(out)) == ["ann", "bob"]
    _, out, _ = run(capsys, "jobs", "--json", "--user", "bob")
    assert [(j["owner"], j["document_name"]) for j in json.loads(out)] == [("bob", "acme-1.pdf")]
    code, out, _ = run(capsys, "jobs")
    assert code == 0 and "acme-0.pdf" in out and "acme-1.pdf" in out


def test_doctor_reports_each_check(data_dir: Path, capsys) -> None:
    """`finsheet doctor --json` lists database, disk, tesseract and email; exit 0 exactly when all pass."""
    code, out, _ = run(capsys, "doctor", "--json", "--offline")
    checks = json.loads(out)
    names = [c["name"] for c in checks]
    assert names[:4] == ["database", "disk", "tesseract", "email"]
    database = checks[0]
    assert database["ok"] is True and str(data_dir) in database["detail"]
    assert code == (0 if all(c["ok"] for c in checks) else 1)


def test_import_command_line_shows_progress(tmp_path: Path, pdfs: list[Path]) -> None:
    """The installed command prints a summary on stdout and a line per finished job on stderr (not a terminal)."""
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "cli-data"), "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run([sys.executable, "-m", "finsheet.cli", "import", *map(str, pdfs)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert "[1/2]" in proc.stderr and "[2/2]" in proc.stderr
    assert "of 2 file(s) imported" in proc.stderr
    assert all(p.name in proc.stdout for p in pdfs)
    assert (tmp_path / "cli-data" / "finsheet.duckdb").is_file()
    assert list((tmp_path / "cli-data" / "logs").glob("finsheet.log"))


def test_import_while_another_process_holds_the_database(data_dir: Path, pdfs: list[Path], capsys) -> None:
    """With the database held by another process (the app), import says so in one line (naming the holder's pid)
    and exits 3; --json still prints a result per file carrying that reason."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom finsheet.settings import load_settings\nfrom finsheet.store import "
         "Store\ns = Store.open(load_settings())\nprint('ready', flush=True)\nsys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, out, err = run(capsys, "import", str(pdfs[0]), "--json")
    finally:
        holder.communicate("", timeout=60)
    assert code == 3
    [row] = json.loads(out)
    assert row["file"] == pdfs[0].name and row["status"] == "failed"
    assert f"pid {holder.pid}" in row["error"] and "retry when it finishes" in row["error"]
    assert len(err.strip().splitlines()) == 1
    assert "in use by another finsheet process" in err and "Traceback" not in err
