"""A scanned statement whose column headings OCR did not read is read again with its solid rules painted out, and
the second reading is kept only where it gives more sure figures (`finsheet.extraction.second_reading`)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from finsheet import StatementType, extract
from finsheet.bench_ocr import scanned_copy
from finsheet.extraction.second_reading import pages_to_read_again, sure_figures
from finsheet.model import LineItem, Page, Period, Statement

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdfs"


def _statement(kind: StatementType, pages: list[int], ends: list[date | None],
               lines: list[tuple[float, list[float]]]) -> Statement:
    periods = [Period(key=end.isoformat() if end else f"period#{k}", label="", end=end) for k, end in enumerate(ends)]
    items = [LineItem(label=f"line {n}", page=pages[0], box=(0.0, 0.0, 1.0, 1.0), confidence=conf,
                      values={p.key: v for p, v in zip(periods, figures, strict=True)})
             for n, (conf, figures) in enumerate(lines)]
    return Statement(type=kind, title="", pages=pages, confidence=0.9, periods=periods, items=items)


def _pages(*numbers: int, source: str = "ocr") -> dict[int, Page]:
    return {n: Page(number=n, width=612, height=792, source=source) for n in numbers}  # type: ignore[arg-type]


def test_only_scanned_pages_of_statements_with_an_undated_column_are_read_again() -> None:
    dated = _statement(StatementType.BALANCE, [3], [date(2022, 12, 31), date(2021, 12, 31)], [(1.0, [1.0, 2.0])])
    undated = _statement(StatementType.INCOME, [4, 5], [date(2022, 12, 31), None], [(1.0, [1.0, 2.0])])
    # an equity statement's columns are its components, never dated: no reason to read it again
    equity = _statement(StatementType.EQUITY, [6], [None, None], [(1.0, [1.0, 2.0])])
    read = {**_pages(3, 4, 6), **_pages(5, source="text")}
    assert pages_to_read_again([dated, undated, equity], read) == [4]


def test_sure_figures_count_dated_columns_on_lines_not_in_doubt() -> None:
    st = _statement(StatementType.CASH_FLOW, [1], [date(2022, 12, 31), None],
                    [(1.0, [1.0, 2.0]), (0.3, [5.0, 6.0]), (0.9, [None, 7.0])])
    assert sure_figures([st]) == 1


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.skipif(not (CORPUS / "TRANSUNION_2022_AR.pdf").is_file(), reason="../shared/corpus is not here")
def test_headings_boxed_between_rules_are_read_on_the_second_reading() -> None:
    """TransUnion's income statement, scanned: its years sit between a rule over them and one under each, and the
    first reading makes marks of them ("es"); the second reading dates every column."""
    scan = extract(scanned_copy(CORPUS / "TRANSUNION_2022_AR.pdf", [101]))
    [income] = [st for st in scan.statements if st.type == StatementType.INCOME]
    assert [p.key for p in income.periods] == ["2022-12-31", "2021-12-31", "2020-12-31"]
    revenue = next(it for it in income.items if it.label == "Revenue")
    assert revenue.values == {"2022-12-31": 3709.9, "2021-12-31": 2960.2, "2020-12-31": 2530.6}
    assert "read again" in scan.timings
