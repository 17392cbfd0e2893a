"""Statement titles: what is a title and what only mentions a statement."""

from __future__ import annotations

import pytest

from finsheet.extraction.detect import candidate_pages, company_from_text, title_type
from finsheet.model import StatementType as T


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("CONSOLIDATED BALANCE SHEETS", T.BALANCE),
        ("Condensed Consolidated Balance Sheets", T.BALANCE),
        ("Consolidated Statement of Financial Position", T.BALANCE),
        ("STATEMENTS OF FINANCIAL CONDITION", T.BALANCE),
        ("Statement of Assets, Liabilities and Net Assets", T.BALANCE),
        ("CONSOLIDATED STATEMENTS OF OPERATIONS", T.INCOME),
        ("Consolidated Statements of Income", T.INCOME),
        ("Condensed Consolidated Statements of Earnings", T.INCOME),
        ("CONSOLIDATED INCOME STATEMENT", T.INCOME),
        ("PROFIT AND LOSS ACCOUNT", T.INCOME),
        ("Consolidated Statement of Profit or Loss and Other Comprehensive Income", T.INCOME),
        ("Statement of Revenues and Expenses", T.INCOME),
        ("Statement of Activities", T.INCOME),
        ("CONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME", T.COMPREHENSIVE),
        ("CONSOLIDATED STATEMENTS OF CASH FLOWS", T.CASH_FLOW),
        ("CONSOLIDATED CASH FLOW STATEMENT", T.CASH_FLOW),
        ("Consolidated Statement of Changes in Equity", T.EQUITY),
        ("CONSOLIDATED STATEMENTS OF STOCKHOLDERS' EQUITY", T.EQUITY),
        ("CONSOLIDATED BALANCE SHEETS (continued)", T.BALANCE),
        ("Consolidated Income Statement for the year ended 31 December 2022", T.INCOME),
    ],
)
def test_titles_are_recognised(line: str, kind: T) -> None:
    """Every common statement title names its statement."""
    assert title_type(line) is kind


@pytest.mark.parametrize(
    "line",
    [
        "Consolidated Balance Sheets 45",  # a contents entry
        "Consolidated Statements of Operations .......... 46",
        "See accompanying notes to consolidated financial statements.",
        "The consolidated statement of profit or loss should be read in conjunction with the notes",
        "Stated on the balance sheet as follows:",
        "3. Balance Sheet Components",
        "Expense recognised in the income statement",
        "Profit and loss account (145,784) (147,227)",
        "Statement of Earnings Location July 29, 2023",
        "Notes to the consolidated financial statements",
    ],
)
def test_mentions_are_not_titles(line: str) -> None:
    """Contents entries, sentences, note headings and rows of figures are not statement titles."""
    assert title_type(line) is None


def test_candidates_skip_contents_and_follow_continuations() -> None:
    """The contents page is skipped; a titled page of figures and the untitled page of figures after it are read."""
    figures = "\n".join(f"Line {i} {1000 + i:,} {900 + i:,}" for i in range(10))
    texts = [
        "Table of Contents\nConsolidated Balance Sheets 2\nConsolidated Statements of Operations 3",
        "CONSOLIDATED BALANCE SHEETS\nTotal current assets 1,000 900\nTotal assets\n" + figures,
        "Total liabilities 500 400\nTotal equity 300 200\nTotal liabilities and equity\n" + figures,
        "Management's discussion of results. Revenue grew strongly in the year.",
    ]
    assert candidate_pages(texts, [1, 2, 3, 4]) == [2, 3]


def test_company_from_cover_and_running_headers() -> None:
    """The name line printed most often is the company; filer-status boxes are not names."""
    texts = ["Large accelerated filer Smaller Reporting Company\nBEST BUY CO., INC.", "12 | Best Buy Co., Inc.",
             "BEST BUY CO., INC."]
    assert company_from_text(texts) == "BEST BUY CO., INC."
    assert company_from_text(["no names here"]) is None
