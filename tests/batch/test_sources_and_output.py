"""What a batch reads (files, folders, manifests) and how it writes (tables that rebuild the document, atomic
files, one writer per output folder) — no cluster needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsheet import extract
from finsheet.batch import output
from finsheet.batch.output import BatchOutputError
from finsheet.batch.sources import collect, file_sha256
from finsheet.batch.tables import DOCUMENT_TABLES, document_tables, documents_from_tables
from finsheet.model import Check, Document, LineItem, Period, Statement, StatementType


def test_folders_files_and_manifests_give_each_content_once(tmp_path: Path, filings) -> None:
    """A folder gives its PDFs (recursively, any case); a manifest its path column, relative to itself; the same
    bytes under two names are one document; a missing path is unreadable with its reason."""
    a, b, c = filings(tmp_path / "deep" / "er", 3)
    upper = tmp_path / "deep" / "z-copy.PDF"
    upper.write_bytes(a.read_bytes())  # the same bytes as filing-0
    (tmp_path / "notes.txt").write_text("not listed")
    manifest = tmp_path / "list.tsv"
    manifest.write_text("company\tpath\nBee\tdeep/er/filing-1.pdf\nGone\tnowhere.pdf\n\t\n")
    plan = collect([tmp_path / "deep", manifest, c, tmp_path / "missing.pdf"])
    assert [Path(s.path).name for s in plan.documents] == ["filing-0.pdf", "filing-1.pdf", "filing-2.pdf"]
    assert plan.documents[0].sha256 == file_sha256(a)[0] and plan.documents[0].size == a.stat().st_size
    assert plan.duplicates == 3  # z-copy.PDF, the manifest's filing-1, the filing-2 named again
    assert [(Path(u.path).name, u.reason) for u in plan.unreadable] == [
        ("nowhere.pdf", "nowhere.pdf: no such file (listed in list.tsv)"),
        ("missing.pdf", "missing.pdf: no such file or folder"),
    ]


@pytest.mark.parametrize(("name", "text", "reason"), [
    ("files.csv", "file,company\nfiling-0.pdf,Acme\n", None),
    ("files.csv", "name,company\nfiling-0.pdf,Acme\n", "files.csv: the manifest has no 'path' or 'file' column"),
])
def test_a_manifest_names_its_files_by_path_or_file_column(tmp_path: Path, filings, name: str, text: str,
                                                           reason: str | None) -> None:
    """A CSV manifest with a `file` column works too; one with neither column is itself unreadable."""
    filings(tmp_path, 1)
    (tmp_path / name).write_text(text)
    plan = collect([tmp_path / name])
    assert [u.reason for u in plan.unreadable] == ([reason] if reason else [])
    assert len(plan.documents) == (0 if reason else 1)


def _full_document() -> Document:
    """A document using every field: unknown scale, units, notes, value boxes, a value without raw text."""
    periods = [Period(key="2023-12-31", label="December 31, 2023", end=None, months=12, restated=True),
               Period(key="2022", label="2022")]
    items = [
        LineItem(label="Revenue", level=0, section=["Income"], page=3, box=(1.0, 2.0, 3.0, 4.5), confidence=0.7,
                 values={"2023-12-31": 10.5, "2022": None}, raw={"2023-12-31": "10.5", "2022": "—"},
                 boxes={"2023-12-31": (5.0, 6.0, 7.0, 8.0)}, note="7", engine="whisperer"),
        LineItem(label="EPS", page=3, box=(0, 0, 1, 1), unit="per_share", values={"2022": 1.25}, is_total=True),
        LineItem(label="Heading only", page=4, box=(0, 0, 1, 1)),
    ]
    checks = [Check(name="foots", ok=False, detail="off by 1", period="2022", expected=2.0, actual=1.0),
              Check(name="ties", ok=True, detail="ok")]
    st = Statement(type=StatementType.INCOME, title="Statement of profit", pages=[3, 4], confidence=0.6, scale=None,
                   currency="GBP", periods=periods, items=items, checks=checks, entity="Parent")
    empty = Statement(type=StatementType.BALANCE, title="BS", pages=[5], confidence=0.9)
    return Document(file="x.pdf", sha256="ab" * 32, pages=9, seconds=1.5, statements=[st, empty], company="Acme",
                    engine="whisperer", warnings=["w1"], timings={"open": 0.1, "read": 0.2}, ocr_pages=[3])


def test_tables_rebuild_the_document_exactly(statement_pdf) -> None:
    """Every field of a Document survives the trip to rows and back: a generated extraction and a hand-made
    document that uses every field."""
    for doc in (extract(statement_pdf(3)), _full_document()):
        tables = document_tables(doc, path="/in/x.pdf")
        ((path, back),) = documents_from_tables(tables)
        assert path == "/in/x.pdf" and back == doc
        assert back.model_dump(mode="json") == doc.model_dump(mode="json")


def test_value_rows_carry_what_a_query_needs(tmp_path: Path) -> None:
    """A value row has its page, box, raw text, confidence and the statement's scale beside the number."""
    tables = document_tables(_full_document(), path="x.pdf")
    row = tables["values"].row(0, named=True)
    assert (row["period"], row["value"], row["raw"], row["page"], row["box"], row["confidence"], row["scale"],
            row["currency"], row["label"]) == ("2023-12-31", 10.5, "10.5", 3, [5.0, 6.0, 7.0, 8.0], 0.7, None, "GBP",
                                               "Revenue")
    assert tables["statements"]["checks_failed"].to_list() == [1, 0]
    assert tables["documents"]["checks_passed"].to_list() == [1]


def test_document_files_are_replaced_whole_and_empty_tables_leave_no_file(tmp_path: Path, statement_pdf) -> None:
    """Writing a document again replaces its files (no duplicate rows); a table it has no rows for has no file
    (and loses an older one); no temporary file is left behind."""
    doc = extract(statement_pdf(1))
    with output.open_output(tmp_path / "out") as out:
        output.write_document(out, doc.sha256, document_tables(doc, path="a.pdf"))
        output.write_document(out, doc.sha256, document_tables(doc, path="a.pdf"))
        assert output.read_table(out, "items").height == sum(len(s.items) for s in doc.statements)
        assert output.done(out) == {doc.sha256}
        bare = doc.model_copy(update={"statements": [], "error": "no financial statements found"})
        output.write_document(out, doc.sha256, document_tables(bare, path="a.pdf"))
        assert [p.parent.name for p in out.glob("*/*.parquet")] == ["documents"]
        assert not list(out.glob("*/.*"))
        tables = {name: output.read_table(out, name) for name in DOCUMENT_TABLES}
        ((_, back),) = documents_from_tables(tables)
        assert back.error == "no financial statements found" and back.statements == []


def test_one_batch_at_a_time_per_output_folder(tmp_path: Path) -> None:
    """A second batch on a folder another is writing to is refused; left-over temporary files are cleared."""
    (tmp_path / "out" / "items").mkdir(parents=True)
    leftover = tmp_path / "out" / "items" / f".{'a' * 64}.1234abcd.tmp"
    leftover.write_bytes(b"half a file")
    with output.open_output(tmp_path / "out"):
        assert not leftover.exists()
        with pytest.raises(BatchOutputError, match="another batch is writing"), output.open_output(tmp_path / "out"):
            pass
    with output.open_output(tmp_path / "out"):  # free again once the first is done
        pass


def test_progress_says_done_failed_rate_and_time_left() -> None:
    """The progress line counts done and failed, pages per second, and the time left from the bytes still to
    read; without a terminal each finished document gets its own line."""
    import io

    from finsheet.batch.progress import Progress, TerminalProgress

    p = Progress(total=4, total_bytes=400, done=1, failed=1, pages=50, bytes_done=100)
    p.started, p.ended = 0.0, 10.0
    assert p.line() == "2/4: 1 done, 1 failed, 5.0 pages/s, ETA 30s"
    stream = io.StringIO()
    show = TerminalProgress(stream)
    p.last = "done b.pdf (50 pages, 1.00 s)"
    show(p)
    show(p)  # nothing new finished: no new line
    p.done, p.bytes_done, p.last = 3, 400, "done c.pdf (0 pages, 0.10 s)"
    show(p)
    assert stream.getvalue().splitlines() == [
        "[2/4: 1 done, 1 failed, 5.0 pages/s, ETA 30s] done b.pdf (50 pages, 1.00 s)",
        "[4/4: 3 done, 1 failed, 5.0 pages/s] done c.pdf (0 pages, 0.10 s)",
    ]
