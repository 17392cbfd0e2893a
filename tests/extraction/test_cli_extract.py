"""The `finsheet extract` command: the JSON contract, the text view, and one clear line for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

import finsheet

CONTRACT_KEYS = {"file", "sha256", "pages", "seconds", "statements"}
STATEMENT_KEYS = {"type", "title", "pages", "confidence", "scale", "currency", "periods", "items", "checks"}
ITEM_KEYS = {"label", "level", "section", "is_total", "page", "box", "confidence", "values", "raw"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "finsheet.cli", *args], capture_output=True, text=True, timeout=120)


def test_public_api_is_small_and_curated() -> None:
    """`finsheet` exports exactly the names a user needs."""
    assert sorted(finsheet.__all__) == sorted([
        "Check", "Document", "FinsheetError", "LineItem", "PdfError", "Period", "Statement", "StatementType",
        "extract"])


def test_json_output_follows_the_contract(tmp_path: Path, statement_pdf) -> None:  # type: ignore[no-untyped-def]
    """--json prints the extraction contract: statements with periods, items with boxes, values, raw text, checks."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(1))
    result = run("extract", str(path), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert CONTRACT_KEYS <= doc.keys() and doc["file"] == "acme.pdf" and doc["pages"] == 2
    assert len(doc["sha256"]) == 64
    kinds = [st["type"] for st in doc["statements"]]
    assert kinds == ["balance_sheet", "income_statement"]
    for st in doc["statements"]:
        assert STATEMENT_KEYS <= st.keys()
        assert st["scale"] == 1000
        for it in st["items"]:
            assert ITEM_KEYS <= it.keys()
            assert set(it["raw"]) == set(it["values"])
            assert len(it["box"]) == 4
    bs = doc["statements"][0]
    assert [p["key"] for p in bs["periods"]] == ["2023-12-31", "2022-12-31"]
    assert all(c["ok"] for c in bs["checks"])


def test_text_view_of_chosen_pages(tmp_path: Path, statement_pdf) -> None:  # type: ignore[no-untyped-def]
    """--text --pages prints the layout-preserving text of those pages only, columns aligned."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(0))
    result = run("extract", str(path), "--text", "--pages", "2")
    assert result.returncode == 0
    assert "===== page 2 =====" in result.stdout and "===== page 1 =====" not in result.stdout
    lines = [ln for ln in result.stdout.splitlines() if "Net revenue" in ln or "Cost of sales" in ln]
    assert len(lines) == 2 and len({len(ln) for ln in lines}) == 1  # right-aligned figures end in one column


def _not_a_pdf() -> bytes:
    return b"<html>not a pdf</html>"


def _no_statements() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawString(72, 700, "Chairman's letter")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [(_not_a_pdf, "not a PDF"), (lambda: b"%PDF-1.4\n%%EOF", "damaged"), (lambda: b"", "empty"),
     (_no_statements, "no financial statements")],
    ids=["not-a-pdf", "damaged", "empty", "no-statements"],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    """Bad input: exit code 2, one line on stderr, no traceback, and --json still prints a document with an error."""
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    result = run("extract", str(path), "--json")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    doc = json.loads(result.stdout)
    assert message in doc["error"]


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    """A path that does not exist is reported as such."""
    result = run("extract", str(tmp_path / "nope.pdf"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_configuration_errors_exit_3(tmp_path: Path, statement_pdf) -> None:  # type: ignore[no-untyped-def]
    """An invalid setting, or an engine asked for but not configured, is a configuration error: exit 3, one line."""
    import os

    env = {**os.environ, "FINSHEET_WORKERS": "many"}
    bad = subprocess.run([sys.executable, "-m", "finsheet.cli", "extract", "x.pdf"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert bad.returncode == 3 and "FINSHEET_WORKERS" in bad.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINSHEET_LLMWHISPERER")}
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(0))
    engine = subprocess.run([sys.executable, "-m", "finsheet.cli", "extract", str(path), "--engine", "whisperer"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert engine.returncode == 3 and "FINSHEET_LLMWHISPERER_API_KEY" in engine.stderr


def test_many_files_in_one_process_print_json_lines(tmp_path: Path, statement_pdf) -> None:  # type: ignore[no-untyped-def]
    """`finsheet extract A.pdf B.pdf C.pdf --json` prints one compact document per line, in the order given; a bad
    file among them gets its error line and exit 2, the others are still read."""
    good = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    good[0].write_bytes(statement_pdf(1))
    good[1].write_bytes(statement_pdf(0))
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really")
    out = run("extract", str(good[0]), str(bad), str(good[1]), "--json")
    lines = out.stdout.splitlines()
    assert out.returncode == 2 and len(lines) == 3
    docs = [json.loads(line) for line in lines]
    assert [d["file"] for d in docs] == ["a.pdf", "broken.pdf", "b.pdf"]
    assert docs[0]["statements"] and docs[2]["statements"] and docs[1]["error"]
    assert out.stderr.strip().startswith("finsheet: broken.pdf:")
    alone = json.loads(run("extract", str(good[0]), "--json").stdout)
    assert [s["items"] for s in alone["statements"]] == [s["items"] for s in docs[0]["statements"]]
