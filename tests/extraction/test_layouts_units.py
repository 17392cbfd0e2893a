"""Units of lines on generated layouts, from the label and the figures together: a count of shares is shares even
when its label names the per-share figure it serves, a per-share figure is per share, and a line whose label
prices its instrument ("$0.01 par value per share", "($0.88 per share)") is money."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from layouts import statement
from pdf_pages import centred_lines, render, two_columns
from reportlab.pdfgen import canvas

from finsheet import StatementType


def _pdf(title: str, rows: Sequence[tuple[str, str, str]]) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, ("NORTHWIND TRADING CORP.", title, "(in millions, except per share data)"), 740.0)
        two_columns(c, ("December 31, 2023", "December 31, 2022"), rows, y, columns=(480, 560), size=8)

    return render(draw)


INCOME_HEAD = [
    ("Revenue", "10,000", "9,000"), ("Cost of sales", "(6,000)", "(5,500)"), ("Gross profit", "4,000", "3,500"),
    ("Operating expenses", "(2,500)", "(2,300)"), ("Net income", "1,500", "1,200"),
]


@pytest.mark.parametrize(
    ("per_share", "shares"),
    [
        ("Basic net income per share", "Shares used to compute basic net income per share"),
        ("Earnings per share - basic", "Weighted average shares used in calculating basic earnings per share"),
        ("Basic earnings per ordinary share",
         "Weighted average number of ordinary shares used for basic earnings per share"),
        ("Net income per common share, basic", "Weighted-average common shares outstanding, basic"),
    ],
)
def test_share_counts_are_shares_and_per_share_figures_per_share(per_share: str, shares: str) -> None:
    """A count of shares is tagged shares even when its label names the per-share figure it is used for."""
    rows = [*INCOME_HEAD, (per_share, "3.12", "2.48"), (shares, "481", "485")]
    income = statement(_pdf("CONSOLIDATED STATEMENTS OF INCOME", rows), StatementType.INCOME)
    units = {it.label: it.unit for it in income.items}
    assert units[per_share] == "per_share"
    assert units[shares] == "shares"
    assert units["Net income"] is None


def test_a_heading_over_share_counts_makes_its_basic_and_diluted_lines_shares() -> None:
    """"Basic" and "Diluted" under "Weighted-average shares used in computing per share amounts:" are counts."""
    rows = [*INCOME_HEAD, ("Net income per share:", "", ""), ("Basic", "3.12", "2.48"), ("Diluted", "3.10", "2.45"),
            ("Weighted-average shares used in computing per share amounts:", "", ""),
            ("Basic", "481", "485"), ("Diluted", "484", "489")]
    income = statement(_pdf("CONSOLIDATED STATEMENTS OF INCOME", rows), StatementType.INCOME)
    units = [(it.label, it.unit) for it in income.items if it.label in ("Basic", "Diluted")]
    assert units == [("Basic", "per_share"), ("Diluted", "per_share"), ("Basic", "shares"), ("Diluted", "shares")]


BALANCE = [
    ("Cash and cash equivalents", "1,200", "1,000"), ("Total assets", "6,300", "5,800"),
    ("Total liabilities", "2,900", "2,950"),
]


@pytest.mark.parametrize(
    "label",
    [
        "Preferred stock, $0.01 par value per share; 5,000 shares authorized",
        "Series A preferred stock, liquidation preference $25 per share",
        "Class C capital stock, par value of $0.0001 per share",
        "Common stock, no par value; 1,000 shares authorized; 400 common shares outstanding",
        "Ordinary shares of 1p each",
    ],
)
def test_a_capital_stock_line_is_money_though_its_label_speaks_of_shares(label: str) -> None:
    """A preferred or common stock line on the balance sheet is an amount of money: its per-share wording is the
    instrument's par value or preference, and its share counts describe it."""
    rows = [*BALANCE, (label, "250", "250"), ("Retained earnings", "3,150", "2,600"),
            ("Total equity", "3,400", "2,850"), ("Total liabilities and equity", "6,300", "5,800")]
    bs = statement(_pdf("CONSOLIDATED BALANCE SHEETS", rows), StatementType.BALANCE)
    line = next(it for it in bs.items if it.label == label)
    assert line.unit is None
    assert line.values == {"2023-12-31": 250.0, "2022-12-31": 250.0}


@pytest.mark.parametrize(
    ("label", "unit"),
    [("Cash dividends declared ($0.88 per share)", None), ("Dividends declared per common share", "per_share"),
     ("Dividends paid, 27p per share", None)],
)
def test_a_dividend_line_is_money_unless_its_figures_are_per_share(label: str, unit: str | None) -> None:
    """A dividend line that prices the dividend in its label carries the total paid; one that says "per share"
    of its own figures is per share."""
    rows = [*INCOME_HEAD, (label, "0.88" if unit else "(420)", "0.80" if unit else "(390)")]
    income = statement(_pdf("CONSOLIDATED STATEMENTS OF INCOME", rows), StatementType.INCOME)
    assert next(it for it in income.items if it.label == label).unit == unit


@pytest.mark.parametrize(
    ("label", "a", "b", "unit"),
    [("Preferred shares outstanding", "16,109,282", "10,207,582", "shares"),
     ("Class A shares issued and outstanding", "16,220,682", "10,207,582", "shares"),
     ("Net assets per Preferred share", "10.00", "10.00", "per_share"),
     ("Net assets per Class A share", "11.37", "13.11", "per_share"),
     ("Preferred shares", "161,093", "102,076", None)],
)
def test_a_fund_s_share_classes_counted_and_priced(label: str, a: str, b: str, unit: str | None) -> None:
    """A fund's statement of financial position counts each class of shares and prices each per share; the
    class's own line ("Preferred shares", a liability) is money."""
    rows = [*BALANCE, (label, a, b)]
    bs = statement(_pdf("STATEMENTS OF FINANCIAL POSITION", rows), StatementType.BALANCE)
    assert next(it for it in bs.items if it.label == label).unit == unit


def _signed_pdf(caption: str, rows: Sequence[tuple[str, str, str]]) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, ("HARBOUR MILLS PLC", "GROUP INCOME STATEMENT", caption), 740.0)
        two_columns(c, ("2023", "2022"), rows, y, columns=(480, 560), size=8)

    return render(draw)


def _signed(sign: str, *, where: tuple[int, ...], spaced: bool = False) -> list[tuple[str, str, str]]:
    """INCOME_HEAD with `sign` printed on the figures of the rows at `where` ("£10,000", "(£6,000)")."""
    def signed(raw: str) -> str:
        pad = " " if spaced else ""
        return f"({sign}{pad}{raw[1:]}" if raw.startswith("(") else f"{sign}{pad}{raw}"

    return [(label, signed(a), signed(b)) if k in where else (label, a, b)
            for k, (label, a, b) in enumerate(INCOME_HEAD)]


@pytest.mark.parametrize("caption", ["(in thousands)", "Amounts in thousands", "'000"])
@pytest.mark.parametrize(("sign", "currency"), [("£", "GBP"), ("€", "EUR"), ("$", "USD")])
@pytest.mark.parametrize("where", [(0, 4), (0, 1, 2, 3, 4), (1, 3)])
def test_a_currency_sign_printed_on_the_figures_gives_the_currency_the_headings_leave_unsaid(
        caption: str, sign: str, currency: str, where: tuple[int, ...]) -> None:
    """A statement prints its currency's sign on its first line's and its totals' figures ("£10,000"), or on
    every figure, sometimes on the negatives too ("(£6,000)"): where the headings name no currency, that is it."""
    income = statement(_signed_pdf(caption, _signed(sign, where=where)), StatementType.INCOME)
    assert income.currency == currency
    assert income.scale == 1000


def test_a_sign_printed_on_one_figure_only_or_two_different_signs_leave_the_currency_unknown() -> None:
    """One sign on one figure is too little to tell the currency by (a scan may have misread a digit as "$"), and
    figures printing two different signs do not say which the statement is in."""
    one = [(label, a, b) for label, a, b in INCOME_HEAD]
    one[0] = (one[0][0], "£10,000", one[0][2])
    assert statement(_signed_pdf("(in thousands)", one), StatementType.INCOME).currency is None
    two = _signed("£", where=(0,))
    two[4] = (two[4][0], "$1,500", "$1,200")
    assert statement(_signed_pdf("(in thousands)", two), StatementType.INCOME).currency is None


def test_the_headings_currency_stands_over_the_figures_signs() -> None:
    """A convenience sign on the figures never overrides the currency the headings name."""
    rows = _signed("$", where=(0, 4))
    assert statement(_signed_pdf("(in thousands of euros)", rows), StatementType.INCOME).currency == "EUR"
