"""What the generated-layout and scan tests of extraction share: a balance sheet and an income statement as printed
(label, figures as strings), and how a test picks out the statement it is about.

A plain module, imported by name (`from layouts import BALANCE`): pytest puts tests/extraction on sys.path for its
conftest.py. Pages are drawn with `pdf_pages.render`.
"""

from __future__ import annotations

from collections.abc import Sequence

from finsheet import StatementType, extract
from finsheet.model import Document, Statement

Row = tuple[str, Sequence[str]]
"""A printed line: its label and its figures, newest column first (no figures: a heading line)."""

BALANCE: list[Row] = [
    ("Cash and cash equivalents", ("1,200", "1,000")),
    ("Accounts receivable, net", ("800", "700")),
    ("Inventories", ("650", "600")),
    ("Total current assets", ("2,650", "2,300")),
    ("Property and equipment, net", ("4,300", "4,100")),
    ("Total assets", ("6,950", "6,400")),
    ("Accounts payable", ("900", "850")),
    ("Long-term debt", ("2,000", "2,100")),
    ("Total liabilities", ("2,900", "2,950")),
    ("Total stockholders' equity", ("4,050", "3,450")),
    ("Total liabilities and equity", ("6,950", "6,400")),
]
"""A balance sheet of two year ends that foots."""

CASH: list[Row] = [
    ("Cash flows from operating activities", ()),
    ("Net income", ("1,200", "1,010")),
    ("Depreciation and amortization", ("400", "380")),
    ("Net cash provided by operating activities", ("1,600", "1,390")),
    ("Purchases of property and equipment", ("(600)", "(500)")),
    ("Net cash used in investing activities", ("(600)", "(500)")),
    ("Dividends paid", ("(800)", "(700)")),
    ("Net cash used in financing activities", ("(800)", "(700)")),
    ("Net increase in cash and cash equivalents", ("200", "190")),
    ("Cash and cash equivalents at beginning of year", ("1,000", "810")),
    ("Cash and cash equivalents at end of year", ("1,200", "1,000")),
]
"""A cash flow statement of two years that foots: operating and investing activities, then financing (`CASH[6:]`)."""

INCOME: list[tuple[str, tuple[str, ...]]] = [
    ("Revenue", ("10,000", "9,000", "8,000", "7,000")),
    ("Cost of sales", ("(6,000)", "(5,500)", "(5,000)", "(4,500)")),
    ("Gross profit", ("4,000", "3,500", "3,000", "2,500")),
    ("Operating expenses", ("(2,500)", "(2,300)", "(2,100)", "(1,900)")),
    ("Operating income", ("1,500", "1,200", "900", "600")),
    ("Income tax expense", ("(300)", "(250)", "(200)", "(150)")),
    ("Net income", ("1,200", "950", "700", "450")),
]
"""An income statement of four years that foots: take as many columns as a test's headings with `income_rows`."""


def income_rows(n: int) -> list[tuple[str, tuple[str, ...]]]:
    """The income statement's lines with their `n` newest figures."""
    return [(label, values[:n]) for label, values in INCOME]


def the(doc: Document, kind: StatementType) -> Statement:
    """The one statement of `kind` in `doc` (the assertion says what was found instead)."""
    matches = [st for st in doc.statements if st.type == kind]
    assert len(matches) == 1, [(st.type, st.pages, st.title, [p.key for p in st.periods]) for st in doc.statements]
    return matches[0]


def statement(pdf: bytes, kind: StatementType) -> Statement:
    """The one statement of `kind` extracted from `pdf`."""
    return the(extract(pdf), kind)


def line_values(st: Statement, label: str) -> list[float | None]:
    """A line's values, newest column first (the keys depend on what the headings say)."""
    item = next((it for it in st.items if it.label == label), None)
    assert item is not None, [it.label for it in st.items]
    return list(item.values.values())
