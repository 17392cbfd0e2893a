"""Scans read like text layers: generated statements, rasterised as a scanner would and read through tesseract,
give the figures, units and columns their text layer gives (`finsheet.bench_ocr`, run over the corpus by
`make bench ocr`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from finsheet import StatementType, extract
from finsheet.bench_ocr import compare, measure, scanned_copy

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


@needs_tesseract
@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman", "Courier"])
def test_a_scan_of_generated_statements_reads_like_their_text_layer(two_statements, tmp_path: Path,
                                                                    font: str) -> None:
    pdf = tmp_path / "statements.pdf"
    pdf.write_bytes(two_statements(font=font, bs_unit="(in millions)"))
    results = measure(pdf)
    assert {r.type for r in results} == {StatementType.BALANCE, StatementType.INCOME}
    for r in results:
        assert r.found and r.same_scale and r.same_periods, r
        assert (r.exact, r.wrong) == (r.figures, 0), r


@needs_tesseract
def test_a_figure_the_scan_reads_differently_counts_as_wrong(two_statements, tmp_path: Path) -> None:
    """The measure can fail: a 'scan' of other figures is scored against the text layer, and every figure that
    differs is counted wrong, not exact."""
    truth = two_statements()
    other = two_statements(cents=True)  # the same statements, every figure another number
    (tmp_path / "other.pdf").write_bytes(other)
    scan = extract(scanned_copy(tmp_path / "other.pdf", [1, 2]))
    results = compare("x.pdf", extract(truth), scan)
    assert results and all(r.found and r.exact == 0 and r.wrong == r.figures for r in results)
