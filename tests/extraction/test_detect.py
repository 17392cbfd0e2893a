"""Statement titles: what is a title and what only mentions a statement."""

from __future__ import annotations

import pytest

from finsheet.extraction.detect import candidate_pages, company_from_text, statement_likeness
from finsheet.extraction.titles import same_title, title_type
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
        # sentence case, standing alone or with only a period after the name
        ("Consolidated statement of profit or loss and other comprehensive income", T.INCOME),
        ("Consolidated statement of financial position", T.BALANCE),
        ("Company balance sheet", T.BALANCE),
        ("Statement of financial position As at 30 June 2022 Consolidated", T.BALANCE),
        ("Consolidated statement of cash flows for the year ended 30 June 2022", T.CASH_FLOW),
        ("Statement of comprehensive income (loss)", T.COMPREHENSIVE),  # the name's alternative in brackets
        ("Consolidated statements of operations (deficit) for the year ended 30 June 2022", T.INCOME),
        # text layers that space letters apart or run words together
        ("Consolidated Statem ent of Incom e", T.INCOME),
        ("C O N S O L I D A T E D  B A L A N C E  S H E E T", T.BALANCE),
        ("CONSOLIDATEDSTATEMENT OF FINANCIALCONDITION", T.BALANCE),
        # qualifiers before the name; the entity or a sign after it
        ("U.S. GAAP Consolidated Statements of Operations", T.INCOME),
        ("Abbreviated Balance Sheet", T.BALANCE),  # small companies' filed (abbreviated) accounts
        ("ABBREVIATED BALANCE SHEET AS AT 31 DECEMBER 2015", T.BALANCE),
        ("Consolidated Balance Sheets GENERAL MILLS, INC. AND SUBSIDIARIES", T.BALANCE),
        ("Statements of Comprehensive Income / (Loss)", T.COMPREHENSIVE),
        ("Consolidated Statement of Other Comprehensive Income", T.COMPREHENSIVE),
        ("Consolidated Statements of Total Equity and Redeemable Interest", T.EQUITY),
        ("CONSOLIDATED INCOME STATEMENT AND STATEMENT OF COMPREHENSIVE INCOME", T.INCOME),
        ("PROFIT & LOSS ACCOUNT AND STATEMENT OF COMPREHENSIVE INCOME", T.INCOME),  # an ampersand, as OCR reads it
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
        # sentence case that runs on into prose, or introduces a table
        "balance sheet at the end of the year was strong and",
        "statements of cash flows (in millions):",
        "The above consolidated statement of financial position should be read with the notes",
        "Consolidated statement of cash flows presentation",
        "Statement of comprehensive income (loss) is presented net of tax",
        # selected data, a restatement's columns, an exhibit index naming two statements
        "Balance Sheet Data",
        "Consolidated Statements of Operations As previously reported Adjustment As restated",
        "Consolidated Income Statements 73 Consolidated Statements of Comprehensive Income 74",
        "3. Balance Sheet Components",
    ],
)
def test_mentions_are_not_titles(line: str) -> None:
    """Contents entries, sentences, note headings and rows of figures are not statement titles."""
    assert title_type(line) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Conslidated Statements of Earnings", T.INCOME),  # a letter dropped
        ("Staternent of Cash Flows", T.CASH_FLOW),  # "m" read as "rn"
        ("CONSOLIDATED BALANCE SHEFTS", T.BALANCE),  # "E" read as "F"
        ("eConsolidated statement of financial position", T.BALANCE),  # a speck joined to the first word
        ("“Consolidated        statement      of  financial    position", T.BALANCE),  # a mark joined to it
        ("°CONSOLIDATED BALANCE SHEETS", T.BALANCE),
        ("'Group statement of cash flows", T.CASH_FLOW),
        ("CONSOLIDATED        BALANCE     SHEETS.", T.BALANCE),  # a speck read as a full stop
        ("“2        Consolidated        statement      of  financial    position", T.BALANCE),  # a decoration
        ("s:::: Consolidated statement of cash flows", T.CASH_FLOW),
        ("| Group income statement", T.INCOME),
    ],
)
def test_titles_as_ocr_misreads_them(line: str, kind: T) -> None:
    """OCR's usual slips in a title (a letter or two misread, a speck before it or after it) leave it a title;
    a text layer's line is read as printed."""
    assert title_type(line, ocr=True) is kind
    assert title_type(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "2. Balance sheet",  # a note's heading, numbered
        "(a) Balance sheet",
        "12 Statement of cash flows",
        "£m Balance sheet",  # a unit, not a speck
        "Consolidated Balance Sheets.",  # the end of a sentence wrapped onto its own line
        "Statement of financing activities",  # "financing" is two letters from "financial"
        "Cash flows from financing activities",
        "Consolidated statement of financial opposition",  # another word, two letters from "position"
        "THE NOTES ARE PART OF THESE CONSOLIDATED BALANCE SHEETS.",
    ],
)
def test_ocr_repairs_make_no_title_of_a_mention(line: str) -> None:
    """The repairs undo OCR's slips, not a note's numbering, a unit, a sentence's full stop or another word."""
    assert title_type(line) is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Consolidated statement of financial position KELLY PARTNERS GROUP HOLDINGS LIMITED",
         "Consolidated statement of financial position ZELLY PARTNERS GROUP HOLDINGS LIMITED", True),
        ("Consolidated Balance Sheets", "CONSOLIDATED BALANCE SHEETS (continued)", True),
        ("G r o u p  B a l a n c e  S h e e t", "G r o u p  B a l a n c e  S h e e t  ( c o n t i n u e d )", True),
        ("Group Balance Sheet", "GROUP BALANCE SHEET - CONT'D", True),
        ("Consolidated balance sheet", "Company balance sheet", False),
        ("Group balance sheet", "Company balance sheet", False),
        ("Balance sheet", "Balance sheets", False),
    ],
)
def test_same_title_allows_a_misread_letter(a: str, b: str, same: bool) -> None:
    """A statement's title repeated on its next page is the same title with a letter misread in 25; two
    statements of a kind are told apart by whole words."""
    assert same_title(a, b) is same


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


def test_statement_likeness_ranks_statements_above_pages_of_numbers() -> None:
    """Totals that foot (after their parts or as a heading over them), a balance identity and a statement's
    vocabulary make a page statement-like; an index of page numbers or a table of counts is not."""
    balance = ("Cash 1,200\nReceivables 800\nTotal current assets 2,000\nProperty 4,950\nTotal assets 6,950\n"
               "Payables 2,900\nEquity 4,050\nTotal liabilities and equity 6,950")
    summary = ("07/01/2018 Beginning Balance $ 10,742.53\nDeposits:: $ 40,000.00\nContribution $ 10,000.00\n"
               "Stipend Contribution $ 20,000.00\nWorkshop Sponsor $ 10,000.00\nExpenses:: $ 1,661.38\n"
               "Web Fees $ 277.38\nInsurance $ 1,384.00\n06/30/2019 Ending Balance $ 49,081.15")
    index = "Contents\nBalance sheet 3\nIncome statement 4\nStatement of cash flows 5\nNotes 6"
    counts = "\n".join(f"Chapter {i} {40 + i} {41 + i} {45 + i}" for i in range(30))
    assert statement_likeness(index) == 0.0
    assert statement_likeness(balance) > statement_likeness(counts) + 3
    assert statement_likeness(summary) > statement_likeness(counts) + 2
