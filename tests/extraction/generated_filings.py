"""Whole filings generated from a seed, each with its truth: the extraction rules must hold for layouts no one has
shown us, so a seeded generator varies what real filings vary (titles, units, column headings, figure forms, row
forms, fonts, page sizes, pages that are no statement, a parent company's balance sheet beside its group's or on a
page of its own, discontinued operations, a fourth quarter beside its year, subtotals printed with no label, shares
of revenue beside the amounts) and says what a correct extraction reports.

`filing(seed)` returns the PDF's bytes and its `Truth`, `scanned(pdf)` an image-only copy that OCR must read;
generated_compare.py compares an extraction with the truth. A plain module, imported by name (`from
generated_filings import filing`): pytest puts tests/extraction on sys.path for its conftest.py.

Every statement foots: subtotals add up, the balance sheet balances, the cash flow rolls cash forward to the balance
sheet's cash, and net income is the same on the income statement and the cash flow. Figures are drawn in "ticks"
(whole printed units, or tenths when the filing prints one decimal) so the arithmetic is exact.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from random import Random

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType
from finsheet.model import Unit

T = StatementType

# --------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class Column:
    """One printed value column: the day it ends and, for a flow statement, its length in months; `part` names
    the column of a part printed beside the whole ("company" beside the group's), keyed "company 2022-12-31"."""

    end: date
    months: int | None
    part: str | None = None


@dataclass(frozen=True)
class TruthLine:
    """A line with figures: its label as a reader would give it, its value per column as the JSON reports it
    (as printed: parentheses negative, a dash 0; None where the cell is blank), and its own unit if not money."""

    label: str
    values: tuple[float | None, ...]
    unit: Unit | None = None
    marked: bool = False
    """Printed with a footnote mark after it: the label read must be this one exactly, with no trace of the mark."""


@dataclass
class TruthStatement:
    type: StatementType
    pages: list[int]
    columns: list[Column]
    scale: int | None
    currency: str | None
    lines: list[TruthLine]
    optional: bool = False
    """A statement a reader may report apart or within another (comprehensive income printed under the income
    statement): when reported it must be right, when not its lines may sit in the statement above it."""


@dataclass
class Truth:
    statements: list[TruthStatement]
    other_pages: list[int]
    """Pages holding no primary statement: a cover, prose, a note's table, a summary, a reconciliation."""
    choices: dict[str, str] = field(default_factory=dict)
    """The variations this seed drew, for a report to name."""


# --------------------------------------------------------------------------- printed rows


@dataclass
class Row:
    """A printed line. `ticks` per column (None: a heading line without figures); `decimals` turn ticks into the
    printed figure; `grand` marks a line that carries the currency sign and a double rule."""

    label: str
    ticks: list[int] | None = None
    indent: int = 0
    total: bool = False
    grand: bool = False
    unit: Unit | None = None
    decimals: int = 0
    note: str | None = None
    pence: bool = False
    """A per-share figure printed in pence with its "p" ("23.4p")."""
    bare: bool = False
    """A subtotal printed with no label, under the rule that closes its block (UK statutory accounts): a reader
    names it after the block's heading, as `label` does."""
    mark: str | None = None
    """A footnote mark set as a superscript after the label ("1", "*", "(a)"); its footnote is printed under the
    statement. The mark is no part of the label."""


def _heading(label: str, indent: int = 0) -> Row:
    return Row(label, None, indent)


@dataclass
class Style:
    """What one filing draws the same way on every page."""

    font: str
    bold: str
    size: float
    page: tuple[float, float]
    left: float
    right: float
    top: float
    indent_step: float
    column_gap: float
    negative: str  # "paren" | "hanging" | "minus" | "paren_space"
    nil: str  # the text of a zero: "—", "–", "-", "nil" or "" (blank)
    dollar: str  # "none" | "attached" | "detached"
    sign: str  # the currency sign for dollar rows: "$", "£", "€"
    totals: str  # "bold" | "rule" | "both"
    leaders: bool
    figures_on_first_line: bool
    label_width: float
    notes_column: bool
    title_case: str  # "upper" | "title" | "sentence"
    centred: bool
    page_numbers: bool
    footer: bool = False
    """"The accompanying notes are an integral part ..." under each statement."""
    far_sign: bool = False
    """A detached currency sign at the column's left edge rather than beside the figure."""
    running: str | None = None
    """A running header naming the report, and its name beside the page number in the footer."""
    caps_totals: bool = False
    """Grand totals in capitals ("TOTAL ASSETS")."""
    group: str = ","
    """The thousands separator: "1,234" or, as some European reports print, "1 234"."""
    tracking: float = 0.0
    """Extra space between the letters of a statement's title, as designed reports set headings."""
    column_pad: float = 14.0
    """The least space before a column's widest figure: 14 points, or in a crowded statement as little as half an
    em, so that a nil stands that close before the next column's figure or currency sign."""
    ruled: bool = False
    """Tables ruled as a grid, as many UK accounts print them: a rule under every row, and upright rules beside the
    labels, the notes and each column."""


# --------------------------------------------------------------------------- words of a filing

COMPANIES = ["Northwind Trading", "Bluefield Industries", "Harbor Point Systems", "Calder & Moss", "Ashgrove Foods",
             "Meridian Components", "Tallis Medical", "Kestrel Logistics", "Orchard Lane Retail", "Vantage Analytics"]
SUFFIXES_US = ["Inc.", "Corporation", "Corp.", "Holdings, Inc.", "Company"]
SUFFIXES_UK = ["plc", "Limited", "Group plc", "N.V.", "S.A."]

US_UNITS: list[tuple[str, int, str | None]] = [
    ("(in thousands)", 1000, None), ("(in millions, except per share data)", 1_000_000, None),
    ("(In thousands of U.S. dollars)", 1000, "USD"), ("(Dollars in thousands, except per share amounts)", 1000, None),
    ("Amounts in USD thousands", 1000, "USD"), ("(In millions)", 1_000_000, None), ("$'000", 1000, "USD"),
]
UK_UNITS: list[tuple[str, int, str | None]] = [
    ("£'000", 1000, "GBP"), ("£m", 1_000_000, "GBP"), ("€ million", 1_000_000, "EUR"), ("€'000", 1000, "EUR"),
    ("(in thousands of euros)", 1000, "EUR"), ("(£ thousands)", 1000, "GBP"),
]
FOREIGN_UNITS: dict[int, list[tuple[str, str, str]]] = {
    1000: [("HK$'000", "HKD", "HK$"), ("A$'000", "AUD", "A$"), ("RMB'000", "CNY", ""),
           ("(in thousands of Canadian dollars)", "CAD", "$")],
    1_000_000: [("HK$m", "HKD", "HK$"), ("A$m", "AUD", "A$"), ("RMB million", "CNY", ""),
                ("(in millions of Canadian dollars)", "CAD", "$")],
}
"""Units naming a currency other than the U.S. dollar, euro and pound: (caption, ISO code, the sign by figures)."""
COLUMN_UNITS = {"$'000", "£'000", "£m", "€ million", "€'000", "HK$'000", "A$'000", "RMB'000", "HK$m", "A$m"}
"""Units short enough to print under each column's year."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    """The month end `months` before the month end `day`."""
    index = day.year * 12 + day.month - 1 - months
    return _month_end(index // 12, index % 12 + 1)


def us_date(d: date) -> str:
    return f"{calendar.month_name[d.month]} {d.day}, {d.year}"


def uk_date(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def _cased(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "sentence":
        return text[:1].upper() + text[1:].lower()
    return text


# --------------------------------------------------------------------------- the figures


@dataclass
class Figures:
    """The model behind one filing: a dict of ticks per named line for each column of each statement."""

    income: dict[str, list[int]]
    comprehensive: dict[str, list[int]]
    balance: dict[str, list[int]]
    cash: dict[str, list[int]]


def _noisy(rng: Random, value: float, spread: float = 0.08) -> int:
    return int(round(value * (1 + rng.uniform(-spread, spread))))


def _income_figures(rng: Random, revenues: list[int], loss: bool) -> dict[str, list[int]]:
    cost_ratio = rng.uniform(0.45, 0.7)
    sga_ratio = rng.uniform(0.1, 0.2) + (0.3 if loss else 0.0)
    rnd_ratio = rng.choice([0.0, rng.uniform(0.03, 0.1)])
    dep_ratio = rng.choice([0.0, rng.uniform(0.02, 0.05)])
    f: dict[str, list[int]] = {k: [] for k in ("revenue", "cost", "gross", "sga", "rnd", "dep", "opex", "operating",
                                               "interest", "other", "pretax", "tax", "net")}
    for r in revenues:
        cost = _noisy(rng, r * cost_ratio)
        sga = _noisy(rng, r * sga_ratio)
        rnd = _noisy(rng, r * rnd_ratio)
        dep = _noisy(rng, r * dep_ratio)
        operating = r - cost - sga - rnd - dep
        interest = _noisy(rng, r * 0.015, 0.5)
        other = int(r * rng.uniform(-0.01, 0.01))
        pretax = operating - interest + other
        tax = int(round(pretax * rng.uniform(0.18, 0.27)))
        for k, v in (("revenue", r), ("cost", cost), ("gross", r - cost), ("sga", sga), ("rnd", rnd), ("dep", dep),
                     ("opex", sga + rnd + dep), ("operating", operating), ("interest", interest), ("other", other),
                     ("pretax", pretax), ("tax", tax), ("net", pretax - tax)):
            f[k].append(v)
    return f


def _comprehensive_figures(rng: Random, net: list[int]) -> dict[str, list[int]]:
    f: dict[str, list[int]] = {"net": list(net), "fx": [], "securities": [], "oci": [], "total": []}
    for n in net:
        fx = int(abs(n) * rng.uniform(-0.1, 0.1)) or 1
        sec = int(abs(n) * rng.uniform(-0.03, 0.03))
        f["fx"].append(fx)
        f["securities"].append(sec)
        f["oci"].append(fx + sec)
        f["total"].append(n + fx + sec)
    return f


def _cash_figures(rng: Random, net: list[int], revenues: list[int]) -> dict[str, list[int]]:
    """Each period's cash flow from its net income; beginning cash is left for the caller to chain."""
    keys = ("net", "da", "sbc", "deferred", "receivables", "inventories", "payables", "other_op", "operating",
            "capex", "acquisitions", "disposals", "investing", "borrowings", "repayments", "dividends", "buybacks",
            "financing", "fx", "change")
    f: dict[str, list[int]] = {k: [] for k in keys}
    acquisitions_year = rng.randrange(len(net))
    for i, (n, r) in enumerate(zip(net, revenues, strict=True)):
        row = {
            "net": n, "da": _noisy(rng, r * 0.04), "sbc": _noisy(rng, r * 0.01),
            "deferred": int(r * rng.uniform(-0.01, 0.01)),
            "receivables": int(r * rng.uniform(-0.03, 0.02)), "inventories": int(r * rng.uniform(-0.02, 0.02)),
            "payables": int(r * rng.uniform(-0.015, 0.025)), "other_op": int(r * rng.uniform(-0.01, 0.01)),
            "capex": -_noisy(rng, r * 0.05), "acquisitions": -_noisy(rng, r * 0.08) if i == acquisitions_year else 0,
            "disposals": _noisy(rng, r * 0.004) if rng.random() < 0.6 else 0,
            "borrowings": _noisy(rng, r * 0.05) if rng.random() < 0.5 else 0, "repayments": -_noisy(rng, r * 0.03),
            "dividends": -_noisy(rng, r * 0.02) if n > 0 else 0,
            "buybacks": -_noisy(rng, r * 0.02) if rng.random() < 0.4 else 0,
            "fx": int(r * rng.uniform(-0.003, 0.003)),
        }
        row["operating"] = sum(row[k] for k in ("net", "da", "sbc", "deferred", "receivables", "inventories",
                                                "payables", "other_op"))
        row["investing"] = row["capex"] + row["acquisitions"] + row["disposals"]
        row["financing"] = row["borrowings"] + row["repayments"] + row["dividends"] + row["buybacks"]
        row["change"] = row["operating"] + row["investing"] + row["financing"] + row["fx"]
        for k in keys:
            f[k].append(row[k])
    return f


def _balance_figures(rng: Random, cash: list[int], revenue: int, *, holding: bool = False) -> dict[str, list[int]]:
    """A balance sheet per date whose assets equal liabilities plus equity: retained earnings take the difference.
    A `holding` company (the parent beside its group) holds no inventories, goodwill or intangibles: nils."""
    keys = ("cash", "receivables", "inventories", "prepaid", "current_assets", "ppe", "goodwill", "intangibles",
            "other_assets", "noncurrent_assets", "assets", "payables", "accrued", "current_debt",
            "current_liabilities", "debt", "deferred", "other_liabilities", "noncurrent_liabilities", "liabilities",
            "common", "apic", "retained", "aoci", "equity", "liabilities_equity")
    f: dict[str, list[int]] = {k: [] for k in keys}
    common = _noisy(rng, revenue * 0.002, 0.5) + 1
    for c in cash:
        row = {"cash": c, "receivables": _noisy(rng, revenue * 0.12), "inventories": _noisy(rng, revenue * 0.1),
               "prepaid": _noisy(rng, revenue * 0.02), "ppe": _noisy(rng, revenue * 0.35),
               "goodwill": _noisy(rng, revenue * 0.15, 0.02), "intangibles": _noisy(rng, revenue * 0.05),
               "other_assets": _noisy(rng, revenue * 0.03), "payables": _noisy(rng, revenue * 0.08),
               "accrued": _noisy(rng, revenue * 0.05), "current_debt": _noisy(rng, revenue * 0.02),
               "debt": _noisy(rng, revenue * 0.2), "deferred": _noisy(rng, revenue * 0.02),
               "other_liabilities": _noisy(rng, revenue * 0.03), "common": common,
               "apic": _noisy(rng, revenue * 0.15), "aoci": -_noisy(rng, revenue * 0.01, 0.6)}
        if holding:
            row |= {"inventories": 0, "goodwill": 0, "intangibles": 0}
        row["current_assets"] = row["cash"] + row["receivables"] + row["inventories"] + row["prepaid"]
        row["noncurrent_assets"] = row["ppe"] + row["goodwill"] + row["intangibles"] + row["other_assets"]
        row["assets"] = row["current_assets"] + row["noncurrent_assets"]
        row["current_liabilities"] = row["payables"] + row["accrued"] + row["current_debt"]
        row["noncurrent_liabilities"] = row["debt"] + row["deferred"] + row["other_liabilities"]
        row["liabilities"] = row["current_liabilities"] + row["noncurrent_liabilities"]
        row["retained"] = row["assets"] - row["liabilities"] - row["common"] - row["apic"] - row["aoci"]
        row["equity"] = row["common"] + row["apic"] + row["retained"] + row["aoci"]
        row["liabilities_equity"] = row["liabilities"] + row["equity"]
        for k in keys:
            f[k].append(row[k])
    return f


# --------------------------------------------------------------------------- periods


@dataclass
class Periods:
    """The columns of each statement, newest first, and the chain of cash between them."""

    flows: list[Column]
    """The income statement's columns."""
    cash_flows: list[Column]
    balances: list[Column]
    quarterly: bool
    fiscal_end: date
    """The latest year end the filing names."""
    weeks: bool = False
    """52-week years ending on a Saturday (a retailer's): the ends are not month ends."""


def _periods(rng: Random) -> Periods:
    year = rng.randrange(2019, 2026)
    if rng.random() < 0.2:
        quarter_end = _month_end(year, rng.choice([3, 6, 9, 10, 4, 7]))
        months = rng.choice([3, 6, 9])
        previous = date(quarter_end.year - 1, quarter_end.month, quarter_end.day)
        previous = _month_end(previous.year, previous.month)
        flows = [Column(quarter_end, 3), Column(previous, 3)]
        if months != 3:
            flows += [Column(quarter_end, months), Column(previous, months)]
        year_end = _shift_months(quarter_end, months)
        return Periods(flows, [Column(quarter_end, months), Column(previous, months)],
                       [Column(quarter_end, None), Column(year_end, None)], True, year_end)
    month = rng.choice([12, 12, 12, 12, 6, 9, 3, 1])
    n = rng.choice([2, 3])
    ends = [_month_end(year - k, month) for k in range(n)]
    return Periods([Column(e, 12) for e in ends], [Column(e, 12) for e in ends],
                   [Column(e, None) for e in ends[:2]], False, ends[0])


def _fourth_quarter(periods: Periods) -> Periods:
    """An earnings release for the fourth quarter: the quarter and the year it closes, each beside the year before
    ("Three Months Ended December 31" | "Twelve Months Ended December 31"); a cash flow and a balance sheet at
    the year ends."""
    quarter, previous = periods.flows[0].end, periods.flows[1].end
    return Periods([Column(quarter, 3), Column(previous, 3), Column(quarter, 12), Column(previous, 12)],
                   [Column(quarter, 12), Column(previous, 12)], [Column(quarter, None), Column(previous, None)], True,
                   quarter)


def _figures(rng: Random, periods: Periods, decimals: int, revenue_base: int) -> Figures:
    """Consistent figures for every column: net income ties between the income statement and the cash flow, and
    cash rolls forward from each cash flow's beginning to the balance sheet's cash at its end."""
    loss = rng.random() < 0.2
    growth = rng.uniform(0.9, 1.2)

    def revenue(col: Column) -> int:
        years_back = (periods.flows[0].end.year - col.end.year)
        annual = revenue_base / growth ** years_back
        return _noisy(rng, annual * (col.months or 12) / 12, 0.03)

    income_revenues = [revenue(c) for c in periods.flows]
    income = _income_figures(rng, income_revenues, loss)
    comprehensive = _comprehensive_figures(rng, income["net"])
    net_by_column = dict(zip(periods.flows, income["net"], strict=True))
    cash_net = [net_by_column[c] if c in net_by_column else _noisy(rng, income["net"][0]) for c in periods.cash_flows]
    cash_revenues = [revenue(c) for c in periods.cash_flows]
    cash = _cash_figures(rng, cash_net, cash_revenues)
    # beginning cash: chained oldest to newest when the periods follow each other, else each its own
    begins: list[int] = [0] * len(periods.cash_flows)
    order = sorted(range(len(periods.cash_flows)), key=lambda i: periods.cash_flows[i].end)
    for k, i in enumerate(order):
        chained = not periods.quarterly and k > 0
        begins[i] = begins[order[k - 1]] + cash["change"][order[k - 1]] if chained else _noisy(rng, revenue_base * 0.1)
    low = min(b + ch for b, ch in zip(begins, cash["change"], strict=True))
    lift = max(0, -low + _noisy(rng, revenue_base * 0.03))  # cash is never negative
    begins = [b + lift for b in begins]
    cash["begin"] = begins
    cash["end"] = [b + ch for b, ch in zip(begins, cash["change"], strict=True)]
    cash_at: dict[date, int] = {}
    for col, b, e in zip(periods.cash_flows, begins, cash["end"], strict=True):
        cash_at[col.end] = e
        older = [c.end for c in periods.cash_flows if c.end < col.end]
        cash_at[max(older) if older and not periods.quarterly else _shift_months(col.end, col.months or 12)] = b
    balance_cash = [cash_at.get(c.end, _noisy(rng, revenue_base * 0.1)) for c in periods.balances]
    balance = _balance_figures(rng, balance_cash, revenue_base)
    return Figures(income, comprehensive, balance, cash)


# --------------------------------------------------------------------------- the statements' lines


@dataclass
class Wording:
    """How the filing words its lines: one choice per filing, as a filing keeps its own vocabulary."""

    rng: Random
    uk: bool

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)


def _income_rows(w: Wording, f: dict[str, list[int]], *, costs_negative: bool, decimals: int, eps: bool, span: str,
                 per_share: list[tuple[int, int, int, int]]) -> list[Row]:
    """The income statement; costs printed negative (in parentheses) or as positive amounts to subtract."""
    sign = -1 if costs_negative else 1
    loss = any(v < 0 for v in f["net"])
    rows = [Row(w.pick("Turnover", "Revenue") if w.uk else w.pick("Revenue", "Revenues", "Net sales", "Net revenues"),
                f["revenue"], grand=True, decimals=decimals),
            Row(w.pick("Cost of sales", "Cost of revenue", "Cost of goods sold"), [sign * v for v in f["cost"]],
                decimals=decimals),
            Row(w.pick("Gross profit", "Gross margin"), f["gross"], total=True, decimals=decimals)]
    opex = [("sga", w.pick("Selling, general and administrative expenses", "Selling, general and administrative",
                           "Administrative expenses")),
            ("rnd", "Research and development"), ("dep", "Depreciation and amortization")]
    shown = [(k, label) for k, label in opex if any(f[k])]
    if len(shown) > 1 and w.rng.random() < 0.6:
        rows.append(_heading(w.pick("Operating expenses:", "Operating expenses")))
        rows += [Row(label, [sign * v for v in f[k]], indent=1, decimals=decimals) for k, label in shown]
        rows.append(Row("Total operating expenses", [sign * v for v in f["opex"]], total=True, decimals=decimals))
    else:
        rows += [Row(label, [sign * v for v in f[k]], decimals=decimals) for k, label in shown]
    operating = "Operating profit" if w.uk else w.pick("Operating income", "Income from operations")
    rows.append(Row(operating + (" (loss)" if any(v < 0 for v in f["operating"]) else ""), f["operating"],
                    total=True, decimals=decimals))
    rows.append(Row(w.pick("Finance costs", "Interest expense") if w.uk else "Interest expense",
                    [sign * v for v in f["interest"]], decimals=decimals))
    rows.append(Row(w.pick("Other income (expense), net", "Other gains and losses, net"), f["other"],
                    decimals=decimals))
    pretax = "Profit before tax" if w.uk else w.pick("Income before income taxes",
                                                     "Income before provision for income taxes")
    if any(v < 0 for v in f["pretax"]):
        pretax = "Loss before tax" if w.uk else "Income (loss) before income taxes"
    rows.append(Row(pretax, f["pretax"], total=True, decimals=decimals))
    rows.append(Row(w.pick("Income tax expense", "Taxation") if w.uk else
                    w.pick("Income tax expense", "Provision for income taxes", "Income tax (expense) benefit"),
                    [sign * v for v in f["tax"]], decimals=decimals))
    net = w.pick(f"Profit for the {span}", "Net income") if w.uk else w.pick("Net income", "Net earnings")
    if loss:
        net = f"Profit (loss) for the {span}" if w.uk else w.pick("Net income (loss)", "Net loss")
    rows.append(Row(net, f["net"], total=True, grand=True, decimals=decimals))
    if eps:
        basic = [p[0] for p in per_share]
        diluted = [p[1] for p in per_share]
        if w.rng.random() < 0.5:
            rows.append(_heading(w.pick("Earnings per share:", "Net income per share:", "Earnings per share")))
            rows += [Row("Basic", basic, indent=1, unit="per_share", decimals=2, grand=w.rng.random() < 0.5),
                     Row("Diluted", diluted, indent=1, unit="per_share", decimals=2)]
        else:
            rows += [Row("Basic earnings per share", basic, unit="per_share", decimals=2),
                     Row("Diluted earnings per share", diluted, unit="per_share", decimals=2)]
        if w.rng.random() < 0.6:
            rows.append(_heading(w.pick("Weighted average shares outstanding:",
                                        "Weighted-average shares used in computing per share amounts:")))
            rows += [Row("Basic", [p[2] for p in per_share], indent=1, unit="shares"),
                     Row("Diluted", [p[3] for p in per_share], indent=1, unit="shares")]
    return rows


def _comprehensive_rows(w: Wording, f: dict[str, list[int]], net_label: str, decimals: int) -> list[Row]:
    return [Row(net_label, f["net"], decimals=decimals),
            _heading(w.pick("Other comprehensive income (loss), net of tax:", "Other comprehensive income:")),
            Row("Foreign currency translation adjustments", f["fx"], indent=1, decimals=decimals),
            Row(w.pick("Unrealized gains (losses) on available-for-sale securities",
                       "Change in fair value of cash flow hedges"), f["securities"], indent=1, decimals=decimals),
            Row("Other comprehensive income (loss)", f["oci"], total=True, decimals=decimals),
            Row(w.pick("Comprehensive income", "Total comprehensive income"), f["total"], total=True, grand=True,
                decimals=decimals)]


def _balance_rows(w: Wording, f: dict[str, list[int]], *, decimals: int, ifrs_order: bool) -> list[Row]:
    """The balance sheet: current items first (US) or non-current first and equity before liabilities (IFRS)."""
    d = decimals
    current_assets = [
        _heading(w.pick("Current assets:", "Current assets"), 0),
        Row(w.pick("Cash and cash equivalents", "Cash", "Cash and short-term deposits"), f["cash"], 1,
            grand=not ifrs_order, decimals=d),
        Row(w.pick("Accounts receivable, net", "Trade and other receivables",
                   "Accounts receivable, net of allowance for doubtful accounts of $1,234 and $1,100"),
            f["receivables"], 1, decimals=d),
        Row(w.pick("Inventories", "Inventory"), f["inventories"], 1, decimals=d),
        Row(w.pick("Prepaid expenses and other current assets", "Other current assets"), f["prepaid"], 1, decimals=d),
        Row("Total current assets", f["current_assets"], 1, total=True, decimals=d),
    ]
    noncurrent_assets = [
        Row(w.pick("Property and equipment, net", "Property, plant and equipment, net",
                   "Property, plant and equipment"), f["ppe"], decimals=d),
        Row("Goodwill", f["goodwill"], decimals=d),
        Row(w.pick("Intangible assets, net", "Other intangible assets"), f["intangibles"], decimals=d),
        Row(w.pick("Other assets", "Other non-current assets"), f["other_assets"], decimals=d),
    ]
    total_assets = Row("Total assets", f["assets"], total=True, grand=True, decimals=d)
    current_liabilities = [
        _heading(w.pick("Current liabilities:", "Current liabilities")),
        Row(w.pick("Accounts payable", "Trade and other payables"), f["payables"], 1, decimals=d),
        Row(w.pick("Accrued liabilities", "Accrued expenses and other current liabilities"), f["accrued"], 1,
            decimals=d),
        Row(w.pick("Current portion of long-term debt", "Short-term borrowings"), f["current_debt"], 1, decimals=d),
        Row("Total current liabilities", f["current_liabilities"], 1, total=True, decimals=d),
    ]
    noncurrent_liabilities = [
        Row(w.pick("Long-term debt", "Long-term debt, net of current portion", "Borrowings"), f["debt"], decimals=d),
        Row(w.pick("Deferred income taxes", "Deferred tax liabilities"), f["deferred"], decimals=d),
        Row(w.pick("Other long-term liabilities", "Other liabilities"), f["other_liabilities"], decimals=d),
    ]
    holders = "shareholders'" if w.uk else w.pick("stockholders'", "shareholders'")
    negative_retained = any(v < 0 for v in f["retained"])
    equity = [
        _heading(w.pick(f"{holders.capitalize()} equity:", "Equity")),
        Row("Share capital" if w.uk else w.pick(
            "Common stock", "Common stock, $0.01 par value; 200,000 shares authorized; 52,345 and 51,987 shares "
            "issued and outstanding"), f["common"], 1, decimals=d),
        Row("Share premium" if w.uk else "Additional paid-in capital", f["apic"], 1, decimals=d),
        Row(("Accumulated deficit" if all(v < 0 for v in f["retained"]) else "Retained earnings (accumulated deficit)")
            if negative_retained else "Retained earnings", f["retained"], 1, decimals=d),
        Row("Other reserves" if w.uk else w.pick("Accumulated other comprehensive loss",
                                                  "Accumulated other comprehensive income (loss)"),
            f["aoci"], 1, decimals=d),
        Row(f"Total {holders} equity" if w.rng.random() < 0.5 else "Total equity", f["equity"], 1, total=True,
            decimals=d),
    ]
    total_liabilities = Row("Total liabilities", f["liabilities"], total=True, decimals=d)
    commitments = [_heading("Commitments and contingencies (Note 12)")] if w.rng.random() < 0.3 else []
    if ifrs_order:
        return [
            _heading("ASSETS"), _heading("Non-current assets"), *[_indented(r) for r in noncurrent_assets],
            Row("Total non-current assets", f["noncurrent_assets"], 1, total=True, decimals=d),
            *current_assets, total_assets,
            _heading("EQUITY AND LIABILITIES"), *equity,
            _heading("Non-current liabilities"), *[_indented(r) for r in noncurrent_liabilities],
            Row("Total non-current liabilities", f["noncurrent_liabilities"], 1, total=True, decimals=d),
            *current_liabilities, total_liabilities,
            Row("Total equity and liabilities", f["liabilities_equity"], total=True, grand=True, decimals=d),
        ]
    return [
        _heading(w.pick("ASSETS", "Assets")), *current_assets, *noncurrent_assets, total_assets,
        _heading(w.pick(f"LIABILITIES AND {holders.upper()} EQUITY", f"Liabilities and {holders} equity")),
        *current_liabilities, *noncurrent_liabilities, total_liabilities, *commitments, *equity,
        Row(f"Total liabilities and {holders} equity" if w.rng.random() < 0.6 else "Total liabilities and equity",
            f["liabilities_equity"], total=True, grand=True, decimals=d),
    ]


def _indented(row: Row) -> Row:
    row.indent += 1
    return row


def _cash_rows(w: Wording, f: dict[str, list[int]], net_label: str, *, decimals: int, quarterly: bool) -> list[Row]:
    d = decimals
    span = "period" if quarterly else "year"
    rows = [
        _heading(w.pick("Cash flows from operating activities:", "Operating activities", "OPERATING ACTIVITIES")),
        Row(net_label, f["net"], 1, grand=True, decimals=d),
        _heading(w.pick("Adjustments to reconcile net income to net cash provided by operating activities:",
                        "Adjustments for:"), 1),
        Row("Depreciation and amortization", f["da"], 2, decimals=d),
        Row(w.pick("Stock-based compensation", "Share-based compensation expense"), f["sbc"], 2, decimals=d),
        Row("Deferred income taxes", f["deferred"], 2, decimals=d),
        _heading("Changes in operating assets and liabilities:", 1),
        Row("Accounts receivable", f["receivables"], 2, decimals=d),
        Row("Inventories", f["inventories"], 2, decimals=d),
        Row("Accounts payable", f["payables"], 2, decimals=d),
        Row(w.pick("Other, net", "Accrued liabilities and other"), f["other_op"], 2, decimals=d),
        Row(w.pick("Net cash provided by (used in) operating activities", "Net cash from operating activities"),
            f["operating"], total=True, decimals=d),
        _heading(w.pick("Cash flows from investing activities:", "Investing activities", "INVESTING ACTIVITIES")),
        Row(w.pick("Purchases of property and equipment", "Capital expenditures"), f["capex"], 1, decimals=d),
        Row("Acquisitions, net of cash acquired", f["acquisitions"], 1, decimals=d),
        Row("Proceeds from sale of property and equipment", f["disposals"], 1, decimals=d),
        Row(w.pick("Net cash used in investing activities", "Net cash provided by (used in) investing activities"),
            f["investing"], total=True, decimals=d),
        _heading(w.pick("Cash flows from financing activities:", "Financing activities", "FINANCING ACTIVITIES")),
        Row(w.pick("Proceeds from long-term debt", "Proceeds from borrowings"), f["borrowings"], 1, decimals=d),
        Row(w.pick("Repayments of long-term debt", "Repayment of borrowings"), f["repayments"], 1, decimals=d),
        Row("Dividends paid", f["dividends"], 1, decimals=d),
        Row(w.pick("Repurchases of common stock", "Purchase of treasury shares"), f["buybacks"], 1, decimals=d),
        Row(w.pick("Net cash provided by (used in) financing activities", "Net cash used in financing activities"),
            f["financing"], total=True, decimals=d),
        Row("Effect of exchange rate changes on cash and cash equivalents", f["fx"], decimals=d),
        Row("Net increase (decrease) in cash and cash equivalents", f["change"], total=True, decimals=d),
        Row(f"Cash and cash equivalents at beginning of {span}", f["begin"], decimals=d),
        Row(f"Cash and cash equivalents at end of {span}", f["end"], total=True, grand=True, decimals=d),
    ]
    return rows


# --------------------------------------------------------------------------- column headings

MONTH_WORDS = {3: "Three", 6: "Six", 9: "Nine", 12: "Twelve"}
Heading = list[tuple[str, int, int]]
"""One line of column headings: texts, each over the columns first..last (one column: right-aligned over it)."""


@dataclass
class Sheet:
    """A statement as printed: title block, column headings, rows, and the columns in printed order."""

    type: StatementType
    title: list[str]
    headings: list[Heading]
    columns: list[Column]
    rows: list[Row]
    title_index: int
    """Which title line names the statement."""
    shares_of: list[int] | None = None
    """Each column's revenue when a share-of-revenue column follows each amount column (an earnings release's
    "2023 | % | 2022 | %"): no period, the truth holds no figure of it."""
    share_heading: str = "%"
    share_sign: bool = True
    """Whether each share prints its "%", or only the heading does."""


def _day_month(d: date, uk: bool) -> str:
    return f"{d.day} {calendar.month_name[d.month]}" if uk else f"{calendar.month_name[d.month]} {d.day},"


def _full_date(d: date, uk: bool) -> str:
    return uk_date(d) if uk else us_date(d)


def _annual_headings(rng: Random, columns: list[Column], *, flow: bool, uk: bool, form: str) -> tuple[list[Heading],
                                                                                                      str | None]:
    """Headings of annual columns and the date line the title block prints, if the headings need one."""
    n = len(columns)
    end = columns[0].end
    every = list(range(n))
    years = [(str(c.end.year), i, i) for i, c in enumerate(columns)]
    if form == "span":
        if flow:
            span = rng.choice([f"Year ended {_day_month(end, uk)}", f"Years Ended {_day_month(end, uk)}",
                               f"For the year ended {_day_month(end, uk)}"])
        else:
            span = rng.choice([_day_month(end, uk), f"As at {_day_month(end, uk)}"])
        return [[(span.rstrip(","), 0, n - 1) if uk else (span, 0, n - 1)], years], None
    if form == "full":
        dates = [(_full_date(c.end, uk), i, i) for i, c in enumerate(columns)]
        if flow and rng.random() < 0.5:
            return [[("Year ended", 0, n - 1)], dates], None
        return [dates], None
    if form == "weeks":
        dates = [(_full_date(c.end, uk), i, i) for i, c in enumerate(columns)]
        return ([[("52 Weeks Ended" if rng.random() < 0.5 else "Fiscal Year Ended", 0, n - 1)], dates] if flow
                else [dates]), None
    if form == "two_line":
        return [[(_day_month(c.end, uk), i, i) for i, c in enumerate(columns)], years], None
    if form == "dotted":
        return [[(f"{c.end.day:02d}.{c.end.month:02d}.{c.end.year}", i, i) for i, c in enumerate(columns)]], None
    if form == "fiscal" and flow:
        listed = ", ".join(str(c.end.year) for c in sorted(columns, key=lambda c: c.end, reverse=True)[:-1])
        last = min(c.end.year for c in columns)
        line = f"For the fiscal years ended {_day_month(end, False)} {listed} and {last}"
        return [[(f"Fiscal {c.end.year}", i, i) for i, c in enumerate(columns)]], line
    # bare years: the date is in the title block
    newest = max(columns, key=lambda c: c.end).end
    line = (f"for the year ended {_full_date(newest, uk)}" if flow else f"as at {_full_date(newest, uk)}")
    del every
    return [years], (line[0].upper() + line[1:]) if rng.random() < 0.5 else line


def _quarter_headings(rng: Random, columns: list[Column], *, flow: bool, uk: bool) -> list[Heading]:
    if not flow:
        heads: list[Heading] = [[(_full_date(c.end, uk), i, i) for i, c in enumerate(columns)]]
        if rng.random() < 0.5:
            heads.append([("(unaudited)", 0, 0)])
        return heads
    groups: list[tuple[int, int, int]] = []  # months, first, last
    for i, c in enumerate(columns):
        if groups and groups[-1][0] == c.months:
            groups[-1] = (groups[-1][0], groups[-1][1], i)
        else:
            groups.append((c.months or 0, i, i))
    years = [(str(c.end.year), i, i) for i, c in enumerate(columns)]
    if any(m == 12 for m, _, _ in groups) and rng.random() < 0.5:  # "Year Ended" beside "Three Months Ended"
        named = {m: "Year Ended" if m == 12 else f"{MONTH_WORDS[m]} Months Ended" for m, _, _ in groups}
        return [[(f"{named[m]} {_day_month(columns[a].end, uk)}", a, b) for m, a, b in groups], years]
    if rng.random() < 0.5:
        return [[(f"{MONTH_WORDS[m]} Months Ended {_day_month(columns[a].end, uk)}", a, b) for m, a, b in groups],
                years]
    return [[(f"{MONTH_WORDS[m]} months ended", a, b) for m, a, b in groups],
            [(_day_month(columns[a].end, uk), a, b) for m, a, b in groups], years]


# --------------------------------------------------------------------------- drawing


class WordCanvas(canvas.Canvas):
    """A canvas that, when `spaceless`, draws each word of a string apart at its place: the text layer then holds
    no space characters between words, as some PDF producers write it."""

    spaceless = False

    def _words(self, x: float, y: float, text: str) -> None:
        for word in text.split(" "):
            if word:
                super().drawString(x, y, word)
            x += stringWidth(word + " ", self._fontname, self._fontsize)

    def drawString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if self.spaceless:
            self._words(x, y, text)
        else:
            super().drawString(x, y, text, *args, **kwargs)

    def drawRightString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if self.spaceless:
            self._words(x - stringWidth(text, self._fontname, self._fontsize), y, text)
        else:
            super().drawRightString(x, y, text, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if self.spaceless:
            self._words(x - stringWidth(text, self._fontname, self._fontsize) / 2, y, text)
        else:
            super().drawCentredString(x, y, text, *args, **kwargs)


def _figure_text(ticks: int, decimals: int, style: Style) -> str:
    if ticks == 0:
        return style.nil
    digits = f"{abs(ticks) / 10 ** decimals:,.{decimals}f}".replace(",", style.group)
    if ticks > 0:
        return digits
    return {"paren": f"({digits})", "hanging": f"({digits})", "minus": f"-{digits}",
            "paren_space": f"( {digits})"}[style.negative]


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """The lines a text is printed on in a column `width` wide: as many words on each as fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class Grid:
    """Where a sheet's columns sit on the page."""

    rights: list[float]
    width: float
    figures: float
    """The widest figure's width without a sign: a currency sign at the column's edge sits just left of it."""
    notes: float | None
    label_right: float
    shares: list[float] | None = None
    """Where each amount column's share-of-revenue column ends, when the sheet prints them."""

    def right_of(self, column: int) -> float:
        """The right edge of a column with its share column, if any: where a heading spanning it ends."""
        return self.shares[column] if self.shares else self.rights[column]


def _share_text(ticks: int, revenue: int, sign: bool) -> str:
    return f"{100 * abs(ticks) / revenue:.1f}" + ("%" if sign else "") if revenue else ""


def _grid(style: Style, sheet: Sheet, size: float) -> Grid:
    n = len(sheet.columns)
    widest_figure = max((stringWidth(f"{style.sign}{_figure_text(t, r.decimals, style)}", style.bold, size)
                         for r in sheet.rows if r.ticks for t in r.ticks), default=30.0)
    widest_heading = max((stringWidth(text, style.bold, size) for line in sheet.headings for text, a, b in line
                          if a == b), default=0.0)
    spans = [(stringWidth(text, style.bold, size) + 18) / (b - a + 1) for line in sheet.headings
             for text, a, b in line if a != b]
    plain = max((stringWidth(_figure_text(t, r.decimals, style), style.bold, size)
                 for r in sheet.rows if r.ticks for t in r.ticks), default=30.0)
    if style.dollar == "detached":  # a sign set apart from its figure widens the column by its own width
        widest_figure += stringWidth(style.sign, style.bold, size) + 4
    # headings never overlap
    gap = max(style.column_gap, widest_figure + style.column_pad, widest_heading + 10, *spans)
    page_right = style.page[0] - style.right
    shares: list[float] | None = None
    if sheet.shares_of:  # each amount column followed by its share of revenue, as wide as its widest text
        share = max(stringWidth(sheet.share_heading, style.bold, size), stringWidth("100.0%", style.bold, size)) + 10
        shares = [page_right - (n - 1 - i) * (gap + share) for i in range(n)]
        rights = [x - share for x in shares]
    else:
        rights = [page_right - (n - 1 - i) * gap for i in range(n)]
    first_left = rights[0] - max(widest_figure, widest_heading) - 8
    notes = first_left - 16 if style.notes_column else None
    label_right = min(style.left + style.label_width, (notes - 12) if notes else first_left - 6)
    return Grid(rights, gap, plain, notes, label_right, shares)


def _draw_title(c: canvas.Canvas, style: Style, lines: list[str], y: float, size: float, named: int) -> float:
    """The title block; line `named` (the statement's name) letter-spaced when the style tracks titles."""
    c.setFont(style.bold, size + 1.5)
    for k, line in enumerate(lines):
        space = style.tracking if k == named else 0.0
        if style.centred:
            c.drawCentredString(style.page[0] / 2, y, line, charSpace=space)
        else:
            c.drawString(style.left, y, line, charSpace=space)
        y -= size + 6
    return y - 4


def _draw_headings(c: canvas.Canvas, style: Style, sheet: Sheet, grid: Grid, y: float, size: float,
                   notes_label: str) -> float:
    c.setFont(style.bold, size)
    for k, line in enumerate(sheet.headings):
        for text, a, b in line:
            if a == b:
                c.drawRightString(grid.rights[a], y, text)
            else:
                left, right = grid.rights[a] - grid.width + 12, grid.right_of(b)
                c.drawCentredString((left + right) / 2, y, text)
                c.line(left, y - 2.5, right, y - 2.5)
        if k == len(sheet.headings) - 1 and grid.notes is not None:
            c.drawCentredString(grid.notes, y, notes_label)
        if k == len(sheet.headings) - 1 and grid.shares is not None:
            for x in grid.shares:
                c.drawRightString(x, y, sheet.share_heading)
        y -= size + 3
    return y - 4


def _draw_rows(c: canvas.Canvas, style: Style, sheet: Sheet, rows: list[Row], grid: Grid, y: float, size: float,
               step: float, *, first_dollar: bool) -> float:
    dollar_done = not first_dollar
    for row in rows:
        font = style.bold if (row.total and style.totals != "rule") or row.ticks is None and row.label.isupper() \
            else style.font
        x = style.left + row.indent * style.indent_step
        label = row.label.upper() if style.caps_totals and row.grand else row.label
        lines = [""] if row.bare else wrap(label, grid.label_right - x, font, size)
        figure_line = 0 if style.figures_on_first_line else len(lines) - 1
        c.setFont(font, size)
        for k, text in enumerate(lines):
            ly = y - k * step
            if style.leaders and row.ticks is not None and k == figure_line:
                end = stringWidth(text, font, size) + x + 4
                dots = int((grid.label_right - end) / stringWidth(". ", font, size))
                text = text + " " + ". " * max(dots, 0) if dots > 1 else text
            c.drawString(x if k == 0 else x + style.indent_step / 2, ly, text)
            if row.mark and k == len(lines) - 1:  # a superscript after the label's last word, tight or spaced
                mx = (x if k == 0 else x + style.indent_step / 2) + stringWidth(text.rstrip(" ."), font, size)
                c.setFont(style.font, size * 0.6)
                c.drawString(mx + (size * 0.25 if row.mark.startswith("(") else 0.3), ly + size * 0.38, row.mark)
                c.setFont(font, size)
        fy = y - figure_line * step
        if row.ticks is not None:
            if row.note and grid.notes is not None:
                c.setFont(style.font, size)
                c.drawCentredString(grid.notes, fy, row.note)
            dollar = row.unit != "shares" and style.dollar != "none" and (row.grand or not dollar_done)
            dollar_done = True
            for i, t in enumerate(row.ticks):
                text = _figure_text(t, row.decimals, style) + ("p" if row.pence and t else "")
                right = grid.rights[i]
                if style.negative == "hanging" and t >= 0:
                    right -= stringWidth(")", font, size)  # figures align on their last digit
                if dollar and text and style.dollar == "attached":
                    text = style.sign + text
                c.setFont(font, size)
                if dollar and text and style.dollar == "detached" and style.far_sign:  # by the widest figure
                    c.drawRightString(grid.rights[i] - grid.figures - 4, fy, style.sign)
                elif dollar and text and style.dollar == "detached":  # a space before its own figure
                    c.drawRightString(right - stringWidth(f" {text}", font, size), fy, style.sign)
                c.drawRightString(right, fy, text)
                if grid.shares is not None and sheet.shares_of and row.unit is None:
                    c.drawRightString(grid.shares[i], fy, _share_text(t, sheet.shares_of[i], sheet.share_sign))
                if row.total and style.totals != "bold":
                    c.line(grid.rights[i] - grid.width + 16, fy + size, grid.rights[i], fy + size)
                    if row.grand:
                        c.line(grid.rights[i] - grid.width + 16, fy - 3, grid.rights[i], fy - 3)
                        c.line(grid.rights[i] - grid.width + 16, fy - 5, grid.rights[i], fy - 5)
        if style.ruled:  # midway between this row's descenders and the next row's capitals
            rule_y = y - (len(lines) - 1) * step - (step - 0.5 * size) / 2
            c.line(style.left - 4, rule_y, _table_right(grid), rule_y)
        y -= len(lines) * step + (2 if row.total else 0)
    return y


def _table_right(grid: Grid) -> float:
    return grid.right_of(len(grid.rights) - 1) + 5


def _draw_uprights(c: canvas.Canvas, style: Style, grid: Grid, top: float, inner_top: float, bottom: float) -> None:
    """A grid's upright rules down to the last row: from the top of the headings at the table's edges and after the
    labels and the notes; from the last line of headings (under any heading that spans columns) midway between
    one column's figures and the next's."""
    xs = [style.left - 4, grid.label_right + 3, _table_right(grid)]
    if grid.notes is not None:
        xs.append(grid.notes + 10)
    for x in xs:
        c.line(x, top, x, bottom)
    for i in range(len(grid.rights) - 1):
        x = (grid.right_of(i) + grid.rights[i + 1] - grid.figures) / 2
        c.line(x, inner_top, x, bottom)


def _row_lines(style: Style, sheet: Sheet, rows: list[Row], size: float) -> int:
    grid = _grid(style, sheet, size)
    return sum(len(wrap(r.label, grid.label_right - style.left - r.indent * style.indent_step, style.bold, size))
               for r in rows)


def _fit(style: Style, sheet_parts: list[tuple[Sheet, list[Row]]]) -> tuple[float, float]:
    """A font size and line step that fit the parts on one page (a long statement prints smaller)."""
    size = style.size
    while True:
        lines = sum(_row_lines(style, s, rows, size) + len(s.title) * 1.6 + len(s.headings) + 2
                    for s, rows in sheet_parts)
        room = style.page[1] - style.top - 60
        step = min(size * 1.45, room / lines)
        # labels keep a third of the page: a table too wide for its labels is printed smaller
        labels = min(_grid(style, s, size).label_right - style.left for s, _ in sheet_parts)
        # a grid's rows leave room for the rule between them
        least = 1.5 if style.ruled else 1.12
        if (step >= size * least and labels >= style.page[0] / 3) or size <= 6:
            return size, step
        size -= 0.5


def _draw_page(c: canvas.Canvas, style: Style, parts: list[tuple[Sheet, list[Row], bool]], number: int) -> None:
    """One page of one or more statement parts (title block, headings, rows); `bool`: the part opens its sheet."""
    size, step = _fit(style, [(s, r) for s, r, _ in parts])
    y = style.page[1] - style.top
    for sheet, rows, opens in parts:
        grid = _grid(style, sheet, size)
        title = [line + (" (continued)" if k == sheet.title_index and not opens else "")
                 for k, line in enumerate(sheet.title)]
        y = _draw_title(c, style, title, y, size, sheet.title_index)
        top = y + size + 2
        y = _draw_headings(c, style, sheet, grid, y, size, "Note" if number % 2 else "Notes")
        if style.ruled:  # midway between the last heading and the first row's capitals
            c.line(style.left - 4, y + (1.72 * size + 7) / 2, _table_right(grid), y + (1.72 * size + 7) / 2)
        rows_top = y
        y = _draw_rows(c, style, sheet, rows, grid, y, size, step, first_dollar=opens)
        if style.ruled:  # down to the rule under the last row
            _draw_uprights(c, style, grid, top, rows_top + 1.95 * size + 7, y + step - (step - 0.5 * size) / 2)
        y -= step
        c.setFont(style.font, size - 1)
        for mark in dict.fromkeys(r.mark for r in rows if r.mark):
            c.drawString(style.left, y, f"{mark if mark.startswith('(') else f'({mark})'} {FOOTNOTES[mark]}")
            y -= step
    if style.footer:
        c.setFont(style.font, 7.5)
        c.drawString(style.left, 48, "The accompanying notes are an integral part of these consolidated financial "
                                     "statements.")
    _folio(c, style, number)


FOOTNOTES = {"1": "Revenue is stated net of returns, rebates and sales taxes.",
             "2": "Calculated on the weighted average number of shares outstanding during the period.",
             "3": "Includes share-based compensation expense.", "*": "Restated for the change in accounting policy.",
             "(a)": "Excludes amounts held in escrow."}
"""What each footnote mark refers to, printed under the statement that uses it."""


def _footnote_marks(rng: Random, rows: list[list[Row]]) -> None:
    """Marks the lines that carry a footnote: per-share lines, the first revenue line, and a line or two more."""
    style = rng.choice(["digits", "digits", "*", "(a)"])
    for sheet_rows in rows:
        figures = [r for r in sheet_rows if r.ticks is not None and not r.bare]
        picked = [r for r in figures if r.unit == "per_share"][:2] + figures[:1] + rng.sample(figures, 1)
        for k, row in enumerate(dict.fromkeys(id(r) for r in picked)):
            line = next(r for r in figures if id(r) == row)
            line.mark = {"digits": str(1 + k % 3), "*": "*", "(a)": "(a)"}[style]


def _folio(c: canvas.Canvas, style: Style, number: int) -> None:
    """The page's running header and footer, or its bare number."""
    c.setFont(style.font, 8)
    if style.running:
        c.drawString(style.left, style.page[1] - 30, style.running)
        c.drawRightString(style.page[0] - style.right, 30, f"{style.running} | {number}")
    elif style.page_numbers:
        c.drawCentredString(style.page[0] / 2, 30, str(number))


def _draw_prose(c: canvas.Canvas, style: Style, heading: str, paragraphs: list[str]) -> None:
    y = style.page[1] - style.top
    c.setFont(style.bold, style.size + 2)
    c.drawString(style.left, y, heading)
    y -= 2.5 * style.size
    c.setFont(style.font, style.size)
    for paragraph in paragraphs:
        for line in wrap(paragraph, style.page[0] - style.left - style.right, style.font, style.size):
            c.drawString(style.left, y, line)
            y -= style.size * 1.4
        y -= style.size


def _draw_table(c: canvas.Canvas, style: Style, heading: list[str], columns: list[str],
                rows: list[tuple[str, list[int]]], decimals: int) -> None:
    """A table that is no primary statement (a note, a summary, a segment table, a reconciliation). Its columns
    stand clear of its labels: headings of many columns wrap onto two lines, and a wide table prints smaller."""
    y = style.page[1] - style.top
    c.setFont(style.bold, style.size + 1)
    for line in heading:
        c.drawString(style.left, y, line)
        y -= style.size + 6
    y -= 6
    lines = [h.split(" ", 1) if len(columns) > 3 and " " in h else [h] for h in columns]
    size = min(style.size, 9.0)
    while True:
        figures = max(stringWidth(f"{_figure_text(t, decimals, style)})", style.font, size) for _, ts in rows
                      for t in ts)
        gap = max(figures + 12, *(stringWidth(part, style.bold, size) + 10 for h in lines for part in h))
        labels = max(stringWidth(label, style.bold, size) for label, _ in rows) + 12
        if style.left + labels + len(columns) * gap <= style.page[0] - style.right or size <= 6:
            break
        size -= 0.5
    rights = [style.page[0] - style.right - (len(columns) - 1 - i) * gap for i in range(len(columns))]
    c.setFont(style.bold, size)
    depth = max(len(h) for h in lines)
    for x, h in zip(rights, lines, strict=True):
        for k, part in enumerate(h):
            c.drawRightString(x, y - (k + depth - len(h)) * (size + 2), part)
    y -= (depth - 1) * (size + 2) + size * 2
    for label, ticks in rows:
        total = label.startswith(("Total", "Adjusted", "Property", "Balance"))
        c.setFont(style.bold if total else style.font, size)
        c.drawString(style.left, y, label)
        for x, t in zip(rights, ticks, strict=True):
            c.drawRightString(x, y, _figure_text(t, decimals, style))
        y -= size * 1.5


# --------------------------------------------------------------------------- a filing


def _style(rng: Random, uk: bool) -> Style:
    family = rng.choice(["Helvetica", "Helvetica", "Times", "Courier"])
    font, bold = {"Helvetica": ("Helvetica", "Helvetica-Bold"), "Times": ("Times-Roman", "Times-Bold"),
                  "Courier": ("Courier", "Courier-Bold")}[family]
    page = rng.choice([A4, letter])
    negative = rng.choice(["paren", "paren", "hanging", "minus", "paren_space"])
    return Style(
        font=font, bold=bold, size=rng.choice([7.5, 8, 8.5, 9, 9.5, 10, 11]), page=page,
        left=rng.uniform(36, 90), right=rng.uniform(36, 80), top=rng.uniform(50, 90),
        indent_step=rng.uniform(6, 14), column_gap=rng.uniform(55, 90),
        negative=negative, nil=rng.choice(["—", "–", "-", "nil", ""]),
        # "( 1,234)" spaces its figure from the parenthesis to align digits: a sign then sits apart too
        dollar=rng.choice(["none", "detached"] if negative == "paren_space" else ["none", "attached", "detached"]),
        sign="$",
        totals=rng.choice(["bold", "rule", "both"]), leaders=rng.random() < 0.15,
        figures_on_first_line=rng.random() < 0.25, label_width=rng.uniform(170, 330),
        notes_column=rng.random() < 0.3, title_case=rng.choice(["upper", "title", "sentence"]),
        centred=rng.random() < 0.7, page_numbers=rng.random() < 0.6,
    )


def _title(rng: Random, kind: StatementType, uk: bool, single_comprehensive: bool) -> str:
    prefix = rng.choice(["Consolidated ", "Consolidated ", "Group ", ""])
    if kind == T.INCOME:
        if single_comprehensive:
            words = rng.choice(["Statement of Comprehensive Income", "Statements of Comprehensive Income",
                                "Statement of Profit or Loss and Other Comprehensive Income"])
        elif uk:
            words = rng.choice(["Income Statement", "Statement of Profit or Loss", "Profit and Loss Account"])
        else:
            words = rng.choice(["Statements of Operations", "Statements of Income", "Statement of Income",
                                "Statements of Earnings", "Income Statements"])
    elif kind == T.BALANCE:
        words = rng.choice(["Balance Sheets", "Balance Sheet", "Statement of Financial Position",
                            "Statements of Financial Condition"])
    elif kind == T.CASH_FLOW:
        words = rng.choice(["Statements of Cash Flows", "Cash Flow Statement", "Statement of Cash Flows"])
    else:
        words = rng.choice(["Statements of Comprehensive Income", "Statement of Comprehensive Income (Loss)"])
    return prefix + words


def _printed(sheet_rows: list[Row], order: list[int]) -> list[Row]:
    """The rows with their figures in printed column order."""
    return [replace(r, ticks=[r.ticks[i] for i in order] if r.ticks is not None else None) for r in sheet_rows]


def _truth_lines(rows: list[Row], style: Style) -> list[TruthLine]:
    return [TruthLine(r.label, tuple(None if t == 0 and style.nil == "" else t / 10 ** r.decimals for t in r.ticks),
                      r.unit, r.mark is not None) for r in rows if r.ticks is not None]


Draw = Callable[[canvas.Canvas], None]
OtherPage = tuple[str, Draw]
"""A page that holds no primary statement: its kind and its drawing."""


def filing(seed: int, *, ruled: bool = False) -> tuple[bytes, Truth]:
    """A filing of 3–8 pages drawn from `seed`, and what a correct extraction of it reports; `ruled`: its
    statements ruled as grids (`Style.ruled`)."""
    rng = Random(seed)
    uk = rng.random() < 0.35
    style = _style(rng, uk)
    style.ruled = ruled
    w = Wording(rng, uk)
    company = f"{rng.choice(COMPANIES)} {rng.choice(SUFFIXES_UK if uk else SUFFIXES_US)}"
    unit = None if rng.random() < 0.12 else rng.choice(UK_UNITS if uk else US_UNITS)
    caption, scale, currency = unit if unit else (None, None, None)
    if currency or uk:  # the sign printed beside figures is the unit's currency
        style.sign = {"GBP": "£", "EUR": "€", "USD": "$", None: "£"}[currency]
    decimals = 1 if scale == 1_000_000 and rng.random() < 0.4 else 0
    base = rng.randrange(300, 90_000) * 10 ** decimals if scale == 1_000_000 else rng.randrange(20_000, 3_000_000)
    periods = _periods(rng)
    if periods.quarterly and Random(seed * 19_000_003 + 23).random() < 0.3:  # (a stream of its own, as below)
        periods = _fourth_quarter(periods)
    # variations added later draw from their own stream, so that each seed's earlier choices stay what they were
    more = Random(seed * 1_000_003 + 7)
    style.footer, style.far_sign = more.random() < 0.35, more.random() < 0.4
    style.caps_totals = more.random() < 0.12
    spaceless = more.random() < 0.08
    note_form = more.choice(["7", "7", "7.2", "B7", "7, 8"])
    restated = more.random() < 0.08 and not periods.quarterly
    if more.random() < 0.25:
        report = "Interim Report" if periods.quarterly else "Annual Report"
        style.running = f"{company} {report} {periods.fiscal_end.year}"
    if more.random() < 0.07:  # a small company's figures to the cent, no unit printed: whole units
        caption, scale, currency, decimals = None, 1, None, 2
        base = more.randrange(20_000_000, 900_000_000)
    if not periods.quarterly and more.random() < 0.1:  # 52-week years ending on the Saturday nearest a month end
        last = periods.flows[0].end
        saturday = date.fromordinal(last.toordinal() - (last.weekday() - 5) % 7)
        ends = [date.fromordinal(saturday.toordinal() - 364 * k) for k in range(len(periods.flows))]
        periods = Periods([Column(e, 12) for e in ends], [Column(e, 12) for e in ends],
                          [Column(e, None) for e in ends[:2]], False, ends[0], weeks=True)
    figures = _figures(rng, periods, decimals, base)
    choices: dict[str, str] = {k: str(v) for k, v in vars(style).items() if k not in ("page", "left", "right", "top")}
    choices |= {"locale": "uk" if uk else "us", "page": "A4" if style.page == A4 else "letter",
                "unit": str(caption), "decimals": str(decimals), "quarterly": str(periods.quarterly),
                "columns": str(len(periods.flows)), "weeks": str(periods.weeks),
                "fourth_quarter": str(periods.quarterly and periods.cash_flows[0].months == 12)}

    # the lines of each statement
    eps = rng.random() < 0.6
    per_share: list[tuple[int, int, int, int]] = []
    shares = _noisy(rng, base * rng.uniform(0.02, 0.2) / 10 ** decimals) + 1
    for net in figures.income["net"]:
        basic, diluted = shares, int(shares * rng.uniform(1.0, 1.03))
        money = net / 10 ** decimals
        per_share.append((int(round(money * 100 / basic)), int(round(money * 100 / diluted)), basic, diluted))
    costs_negative = rng.random() < (0.7 if uk else 0.4)
    income_rows = _income_rows(w, figures.income, costs_negative=costs_negative, decimals=decimals, eps=eps,
                               span="period" if periods.quarterly else "year",
                               per_share=per_share)
    net_label = next(r.label for r in income_rows if r.grand and r.label != income_rows[0].label)
    comprehensive_form = rng.choice(["none", "none", "below", "separate", "single"])
    comprehensive_rows = _comprehensive_rows(w, figures.comprehensive, net_label, decimals)
    if comprehensive_form == "single":
        income_rows = [*income_rows[:next(i for i, r in enumerate(income_rows) if r.label == net_label) + 1],
                       *comprehensive_rows[1:],
                       *income_rows[next(i for i, r in enumerate(income_rows) if r.label == net_label) + 1:]]
    fourth = Random(seed * 13_000_003 + 17)  # a fourth stream, for variations added after the third's
    balance_figures, balance_columns = figures.balance, periods.balances
    # a UK parent prints its own balance sheet beside its group's: "Group | Company" over the same dates
    company_columns = uk and not periods.quarterly and not periods.weeks and fourth.random() < 0.3
    # or on a page of its own after the group's statements ("Company Balance Sheet"): a second balance sheet
    company_page = uk and not company_columns and not periods.quarterly and not periods.weeks \
        and fourth.random() < 0.3
    holding: dict[str, list[int]] = {}
    if company_columns or company_page:
        holding = _balance_figures(fourth, [_noisy(fourth, base * 0.01) + 1 for _ in periods.balances], base // 3,
                                   holding=True)
    if company_columns:
        balance_figures = {k: v + holding[k] for k, v in figures.balance.items()}
        balance_columns = [*periods.balances, *(Column(c.end, None, "company") for c in periods.balances)]
    choices.update(company_columns=str(company_columns), company_page=str(company_page))
    # a UK statutory balance sheet's subtotals printed with no label, under the rule closing their block
    bare_totals = uk and Random(seed * 23_000_003 + 29).random() < 0.3
    balance_rows = _balance_rows(w, balance_figures, decimals=decimals, ifrs_order=uk and rng.random() < 0.6)
    if bare_totals:
        for k, row in enumerate(balance_rows):
            block = next((r for r in reversed(balance_rows[:k]) if r.ticks is None), None)
            named = block is not None and f"total {block.label.rstrip(':').lower()}" == row.label.lower()
            if named and row.label.lower() in ("total current assets", "total non-current assets",
                                               "total current liabilities", "total non-current liabilities"):
                row.bare = True
    choices.update(bare_totals=str(bare_totals))
    cash_rows = _cash_rows(w, figures.cash, net_label, decimals=decimals, quarterly=periods.quarterly)
    if style.notes_column:
        note = 3
        for row in [*income_rows, *balance_rows, *cash_rows]:
            if row.ticks is not None and not row.total and row.unit is None and rng.random() < 0.3:
                row.note, note = str(note), note + rng.randrange(1, 3)
        for row in [*income_rows, *balance_rows, *cash_rows]:  # notes numbered as the filing numbers them
            if row.note:
                n = int(row.note)
                row.note = {"7": f"{n}", "7.2": f"{n}.{1 + n % 3}", "B7": f"B{n}", "7, 8": f"{n}, {n + 1}"}[note_form]
    elif more.random() < 0.12:  # no Notes column: the note is cited in the label
        note = 3
        for row in [*balance_rows, *income_rows, *cash_rows]:
            if row.ticks is not None and not row.total and row.unit is None and more.random() < 0.25:
                row.label, note = f"{row.label} (Note {note})", note + more.randrange(1, 3)
    if uk and eps and more.random() < 0.5:  # earnings per share in pence, each figure with its "p"
        for row in income_rows:
            if row.unit == "per_share" and row.label.endswith("earnings per share"):
                row.label, row.decimals, row.pence = f"{row.label} (pence)", 0, True
    unitless = more.choice([T.INCOME, T.BALANCE, T.CASH_FLOW]) if caption and more.random() < 0.1 else None
    extras = _more_lines(more, uk, company, income_rows, balance_rows, cash_rows)
    choices.update(more_lines=",".join(extras))
    fifth = Random(seed * 17_000_003 + 19)  # a fifth stream, for variations added after the fourth's
    discontinued = fifth.random() < 0.12
    if discontinued:
        _discontinued(fifth, uk, income_rows, net_label, span="period" if periods.quarterly else "year",
                      sign=-1 if costs_negative else 1)
    choices.update(discontinued=str(discontinued))
    sixth = Random(seed * 31_000_003 + 37)  # a sixth stream, for variations added after the fifth's
    marks = sixth.random() < 0.15
    if marks:  # footnote marks set as superscripts after labels, their footnotes under the statement
        _footnote_marks(sixth, [income_rows, balance_rows, cash_rows])
    choices.update(footnote_marks=str(marks))
    seventh = Random(seed * 37_000_003 + 41)  # a seventh stream, for variations added after the sixth's
    crowded = seventh.random() < 0.2
    if crowded:  # crowded columns: each only as wide as its widest figure and half an em or so
        style.column_gap, style.column_pad = 0.0, seventh.uniform(5.0, 9.0)
    choices.update(column_pad=f"{style.column_pad:.0f}")
    choices.update(spaceless=str(spaceless), note_form=note_form if style.notes_column else "-",
                   restated=str(restated), unitless=str(unitless),
                   notes_in_labels=str(any("(Note " in r.label for r in balance_rows)),
                   pence=str(any(r.pence for r in income_rows)))
    choices.update(comprehensive=comprehensive_form, eps=str(eps), costs_negative=str(costs_negative))

    # columns: headings and printed order
    form = "quarter" if periods.quarterly else rng.choice(["span", "full", "two_line", "dotted", "fiscal", "bare"])
    if periods.weeks:  # each column's own day: headings print it
        form = more.choice(["weeks", "full", "two_line"])
    elif crowded and not periods.quarterly:  # crowded columns under headings no wider than their figures
        form = seventh.choice(["span", "bare"])
    ascending = rng.random() < 0.15
    choices.update(headings=form, ascending=str(ascending))

    def order_of(columns: list[Column]) -> list[int]:
        idx = list(range(len(columns)))
        if not ascending:
            return idx
        groups: dict[tuple[int | None, str | None], list[int]] = {}
        for i, c in enumerate(columns):
            groups.setdefault((c.months, c.part), []).append(i)
        return [i for g in groups.values() for i in reversed(g)]

    unit_place = "column" if caption in COLUMN_UNITS and rng.random() < 0.5 else "caption"
    sign_row = unit_place != "column" and rng.random() < 0.2
    date_line_always = rng.random() < 0.4
    choices.update(unit_place=unit_place if caption else "none", sign_row=str(sign_row))
    if caption is None and sign_row:
        scale = 1  # a currency sign over a column and no unit: the figures are in that currency's units
    third = Random(seed * 7_000_003 + 11)  # a third stream, for variations added after the second's
    if caption and scale in FOREIGN_UNITS and third.random() < 0.12:  # a dollar that is not the U.S. dollar, a yuan
        caption, currency, sign = third.choice([u for u in FOREIGN_UNITS[scale]
                                                if unit_place != "column" or u[0] in COLUMN_UNITS])
        style.sign = sign or "RMB"
        style.dollar = style.dollar if sign else "none"  # RMB heads the columns but stands by no figure
        choices.update(unit=caption, sign=style.sign, dollar=style.dollar)
    if currency == "EUR" and third.random() < 0.3:  # "1 234 567": a space groups the thousands
        style.group = " "
    if third.random() < 0.1:  # "C O N S O L I D A T E D  B A L A N C E  S H E E T"-like tracking
        style.tracking = third.choice([1.0, 2.0, 3.0])
    if third.random() < (0.3 if len(periods.flows) > 3 else 0.04):  # a wide statement printed on a turned page
        style.page = (style.page[1], style.page[0])
    choices.update(group=repr(style.group), tracking=str(style.tracking),
                   page=choices["page"] + (" landscape" if style.page[0] > style.page[1] else ""))

    def sheet(kind: StatementType, columns: list[Column], rows: list[Row], *, flow: bool, title: str) -> Sheet:
        order = order_of(columns)
        printed = [columns[i] for i in order]
        date_line: str | None = None
        if periods.quarterly:
            headings = _quarter_headings(rng, printed, flow=flow, uk=uk)
        else:
            headings, date_line = _annual_headings(rng, printed, flow=flow, uk=uk,
                                                   form="full" if form == "fiscal" and not flow else form)
        if date_line is None and date_line_always and not periods.quarterly:
            newest = columns[0].end
            date_line = (f"For the years ended {_full_date(newest, uk)}" if flow
                         else f"As at {_full_date(newest, uk)}")
        if any(c.part for c in printed):  # the whole's columns, then the part's, each under its name
            named = [(c.part.capitalize() if c.part else "Group", i) for i, c in enumerate(printed)]
            headings.insert(0, [(name, min(i for n, i in named if n == name), max(i for n, i in named if n == name))
                                for name in dict.fromkeys(n for n, _ in named)])
        if restated:  # the prior years' figures were restated
            newest = max(c.end for c in printed)
            headings.append([("Restated", i, i) for i, c in enumerate(printed) if c.end != newest])
        if caption and unit_place == "column":
            headings.append([(caption, i, i) for i in range(len(printed))])
        elif sign_row:
            headings.append([(style.sign, i, i) for i in range(len(printed))])
        lines = [company] if rng.random() < 0.85 else []
        title_index = len(lines)
        lines.append(_cased(title, style.title_case))
        if date_line:
            lines.append(date_line)
        if caption and unit_place == "caption" and kind != unitless:
            lines.append(caption)
        return Sheet(kind, lines, headings, printed, _printed(rows, order), title_index)

    single = comprehensive_form == "single"
    income = sheet(T.INCOME, periods.flows, income_rows, flow=True, title=_title(rng, T.INCOME, uk, single))
    shares_stream = Random(seed * 29_000_003 + 31)
    if not uk and shares_stream.random() < 0.12:  # a US release's income statement: each year's share of revenue
        income.shares_of = [figures.income["revenue"][periods.flows.index(c)] for c in income.columns]
        income.share_heading = shares_stream.choice(["%", "% of sales", "% of revenue", "Percent"])
        income.share_sign = shares_stream.random() < 0.6
    choices.update(shares_of_revenue=f"{income.share_heading}{'' if income.share_sign else ' (bare)'}"
                   if income.shares_of else "False")
    balance = sheet(T.BALANCE, balance_columns, balance_rows, flow=False, title=_title(rng, T.BALANCE, uk, False))
    cash = sheet(T.CASH_FLOW, periods.cash_flows, cash_rows, flow=True, title=_title(rng, T.CASH_FLOW, uk, False))
    comprehensive = sheet(T.COMPREHENSIVE, periods.flows, comprehensive_rows, flow=True,
                          title=_title(rng, T.COMPREHENSIVE, uk, False))
    company_sheet: Sheet | None = None
    if company_page:
        title = f"{fourth.choice(['Company', 'Parent Company'])} " \
                f"{fourth.choice(['Balance Sheet', 'Statement of Financial Position'])}"
        company_rows = _balance_rows(Wording(fourth, uk), holding, decimals=decimals, ifrs_order=fourth.random() < 0.6)
        company_sheet = sheet(T.BALANCE, periods.balances, company_rows, flow=False, title=title)

    # pages: (statement parts, or a drawing of a page that is no statement)
    Parts = list[tuple[Sheet, list[Row], bool]]
    income_pages: list[Parts] = [[(income, income.rows, True)]]
    if comprehensive_form == "below":
        income_pages[0].append((comprehensive, comprehensive.rows, True))
    elif comprehensive_form == "separate":
        income_pages.append([(comprehensive, comprehensive.rows, True)])
    split = next((i for i, r in enumerate(balance.rows) if r.ticks is None and "LIABILIT" in r.label.upper()
                  or r.label == "EQUITY AND LIABILITIES"), None)
    if split is not None and rng.random() < 0.2:
        balance_pages: list[Parts] = [[(balance, balance.rows[:split], True)], [(balance, balance.rows[split:], False)]]
    else:
        balance_pages = [[(balance, balance.rows, True)]]
    cash_pages: list[Parts] = [[(cash, cash.rows, True)]]
    statements = [income_pages, balance_pages] if rng.random() < 0.6 else [balance_pages, income_pages]
    front = _front_pages(rng, style, company, periods, figures, income, balance, cash, decimals, caption)
    back = _back_pages(rng, style, periods, figures, balance, decimals, caption, uk)
    financing = next((i for i, r in enumerate(cash.rows) if r.ticks is None and "financing" in r.label.lower()), None)
    if financing is not None and more.random() < 0.1:  # a long cash flow statement runs onto a second page
        cash_pages = [[(cash, cash.rows[:financing], True)], [(cash, cash.rows[financing:], False)]]
    equity_page: list[OtherPage] = []
    if more.random() < 0.3:  # the statement of changes in equity: a statement, but none of the three
        equity_page = [("equity", partial(_draw_equity, style=style, company=company, figures=figures,
                                          periods=periods, decimals=decimals, uk=uk, caption=caption))]
    if more.random() < 0.3:
        front.append(("auditor", partial(_draw_prose, style=style, heading="Report of Independent Registered Public "
                                         "Accounting Firm", paragraphs=_auditor_prose(company, periods, uk))))
    if more.random() < 0.2 and not periods.quarterly:
        back.append(("quarterly_data", partial(_draw_table, style=style, rows=_quarters(figures), decimals=decimals,
                                               heading=["Selected Quarterly Financial Data (unaudited)"],
                                               columns=["First", "Second", "Third", "Fourth"])))
    statement_pages = [p for group in [*statements, cash_pages] for p in group]
    if company_sheet is not None:
        statement_pages.append([(company_sheet, company_sheet.rows, True)])
    while len(front) + len(statement_pages) + len(equity_page) + len(back) > 8:
        (front if len(front) > len(back) else back).pop()
    choices.update(other_pages=",".join(name for name, _ in [*front, *back]), balance_pages=str(len(balance_pages)))

    # draw, and say what each page holds
    buf = io.BytesIO()
    c = WordCanvas(buf, pagesize=style.page, invariant=True)
    c.spaceless = spaceless
    number = 0
    other: list[int] = []
    where: dict[StatementType, list[int]] = {}
    company_at: list[int] = []
    for _, draw in front:
        number += 1
        draw(c)
        _folio(c, style, number)
        other.append(number)
        c.showPage()
    for k, parts in enumerate(statement_pages):
        number += 1
        _draw_page(c, style, parts, number)
        for s, _, _ in parts:
            (company_at if s is company_sheet else where.setdefault(s.type, [])).append(number)
        c.showPage()
        if equity_page and k + 1 < len(statement_pages) and parts[-1][0].type != T.CASH_FLOW \
                and statement_pages[k + 1][0][0].type == T.CASH_FLOW and statement_pages[k + 1][0][2]:
            number += 1
            equity_page[0][1](c)
            _folio(c, style, number)
            where[T.EQUITY] = [number]
            c.showPage()
    for _, draw in back:
        number += 1
        draw(c)
        _folio(c, style, number)
        other.append(number)
        c.showPage()
    c.save()

    def truth(s: Sheet, rows: list[Row], *, optional: bool = False, pages: list[int] | None = None) -> TruthStatement:
        # a statement that prints no unit takes the filing's (inferred); its currency is not printed on it
        return TruthStatement(s.type, pages or where[s.type], s.columns, scale,
                              None if s.type == unitless else currency, _truth_lines(rows, style), optional)

    comprehensive_lines = [r for r in comprehensive.rows]
    truths = [truth(income, [r for r in income.rows if not single or r not in comprehensive_lines]),
              truth(balance, balance.rows), truth(cash, cash.rows)]
    if company_sheet is not None:
        truths.append(truth(company_sheet, company_sheet.rows, pages=company_at))
    if T.EQUITY in where:  # reported or not, its lines are not checked here
        truths.append(TruthStatement(T.EQUITY, where[T.EQUITY], [], scale, currency, [], optional=True))
    if comprehensive_form != "none":
        truths.append(truth(comprehensive, comprehensive.rows, optional=True, pages=where.get(T.COMPREHENSIVE)
                            or where[T.INCOME]))
    pdf = buf.getvalue()
    # an eighth stream: a landscape filing printed on upright paper, its text running up or down each page
    eighth = Random(seed * 41_000_003 + 43)
    turn = eighth.choice([90, 270]) if style.page[0] > style.page[1] and eighth.random() < 0.5 else 0
    choices.update(sideways=str(turn))
    return (set_sideways(pdf, turn) if turn else pdf), Truth(truths, other, choices)


def set_sideways(pdf: bytes, turn: int) -> bytes:
    """A copy of `pdf` whose landscape pages are set on upright paper, each turned `turn` degrees clockwise (90:
    its text runs down the page; 270: up), as a wide statement is printed across a page."""
    source, out = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    try:
        for k in range(len(source)):
            width, height = source[k].get_size()
            page = out.new_page(height, width)
            drawn = source.page_as_xobject(k, out).as_pageobject()
            # turned about the origin (PDFium turns clockwise), then moved back onto the paper
            drawn.transform(pdfium.PdfMatrix().rotate(turn).translate(*((0, width) if turn == 90 else (height, 0))))
            page.insert_obj(drawn)
            page.gen_content()
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        source.close()


def _front_pages(rng: Random, style: Style, company: str, periods: Periods, figures: Figures, income: Sheet,
                 balance: Sheet, cash: Sheet, decimals: int, caption: str | None) -> list[OtherPage]:
    """Pages before the statements: contents, prose that quotes figures, a five-year summary, a non-GAAP
    reconciliation (each optional)."""
    pages: list[OtherPage] = []
    year = periods.fiscal_end.year

    def money(ticks: int) -> str:
        return f"{style.sign}{ticks / 10 ** decimals:,.{decimals}f}"

    if rng.random() < 0.35:
        entries = [("Independent auditor's report", 2), (income.title[income.title_index], 3),
                   (balance.title[balance.title_index], 4), (cash.title[cash.title_index], 5),
                   ("Notes to the financial statements", 6)]

        def contents(c: canvas.Canvas) -> None:
            y = style.page[1] - style.top
            c.setFont(style.bold, 14)
            c.drawString(style.left, y, company)
            c.drawString(style.left, y - 20, f"Annual Report {year}")
            y -= 70
            c.setFont(style.font, style.size)
            c.drawString(style.left, y, "Contents")
            for label, page in entries:
                y -= style.size * 1.8
                c.drawString(style.left, y, label)
                c.drawRightString(style.page[0] - style.right, y, str(page))

        pages.append(("contents", contents))
    if rng.random() < 0.45:
        inc, bal = figures.income, figures.balance
        unit_words = {None: "", "(in thousands)": " thousand"}.get(caption, " thousand" if "000" in str(caption)
                                                                     or "thousand" in str(caption) else " million")
        paragraphs = [
            f"Revenue for {year} was {money(inc['revenue'][0])}{unit_words}, compared with "
            f"{money(inc['revenue'][1])}{unit_words} in the prior year. Gross profit was {money(inc['gross'][0])}"
            f"{unit_words} and net income was {money(inc['net'][0])}{unit_words}.",
            f"The balance sheet remains strong: cash and cash equivalents were {money(bal['cash'][0])}{unit_words} "
            f"and total assets {money(bal['assets'][0])}{unit_words} at the end of the year. The statement of cash "
            f"flows shows {money(figures.cash['operating'][0])}{unit_words} generated by operating activities.",
            "The directors consider the income statement, balance sheet and cash flow statement that follow to give "
            "a true and fair view of the state of affairs of the group.",
        ]
        heading = rng.choice(["Management's Discussion and Analysis", "Financial Review", "Chairman's Statement"])
        pages.append(("narrative", partial(_draw_prose, style=style, heading=heading, paragraphs=paragraphs)))
    if rng.random() < 0.25 and not periods.quarterly:
        years = [str(year - k) for k in range(5)]
        grow = [1.0, 1.0, 0.93, 0.88, 0.8]

        def series(values: list[int]) -> list[int]:
            return [values[k] if k < len(values) else int(values[-1] * grow[k]) for k in range(5)]

        inc, bal = figures.income, figures.balance
        rows = [("Revenue", series(inc["revenue"])), ("Operating income", series(inc["operating"])),
                ("Net income", series(inc["net"])), ("Total assets", series(bal["assets"])),
                ("Long-term debt", series(bal["debt"])), ("Total equity", series(bal["equity"]))]
        head = [rng.choice(["Five-Year Summary", "Selected Financial Data"]), *([caption] if caption else [])]
        pages.append(("five_year", partial(_draw_table, style=style, heading=head, columns=years, rows=rows,
                                           decimals=decimals)))
    if rng.random() < 0.25:
        inc, cf = figures.income, figures.cash
        n = min(len(inc["net"]), 2)
        ebitda = [inc["net"][k] + inc["tax"][k] + inc["interest"][k] + cf["da"][0] + cf["sbc"][0] for k in range(n)]
        rows = [("Net income", inc["net"][:n]), ("Income tax expense", inc["tax"][:n]),
                ("Interest expense", inc["interest"][:n]), ("Depreciation and amortization", [cf["da"][0]] * n),
                ("Stock-based compensation", [cf["sbc"][0]] * n), ("Adjusted EBITDA", ebitda)]
        head = ["Non-GAAP Financial Measures", "Reconciliation of net income to Adjusted EBITDA"]
        years = [str(c.end.year) for c in periods.flows[:n]]
        pages.append(("non_gaap", partial(_draw_table, style=style, heading=head, columns=years, rows=rows,
                                          decimals=decimals)))
    rng.shuffle(pages)
    return pages


def _back_pages(rng: Random, style: Style, periods: Periods, figures: Figures, balance: Sheet, decimals: int,
                caption: str | None, uk: bool) -> list[OtherPage]:
    """Pages after the statements: a note's table with a total, a segment table (each optional)."""
    pages: list[OtherPage] = []
    dates = [_full_date(c.end, uk) for c in periods.balances]
    if rng.random() < 0.4:
        ppe = figures.balance["ppe"]
        rows: list[tuple[str, list[int]]] = []
        accumulated = [int(v * 0.6) for v in ppe]
        gross = [p + a for p, a in zip(ppe, accumulated, strict=True)]
        land = [int(g * 0.1) for g in gross]
        buildings = [int(g * 0.4) for g in gross]
        machinery = [g - la - b for g, la, b in zip(gross, land, buildings, strict=True)]
        rows = [("Land", land), ("Buildings and improvements", buildings), ("Machinery and equipment", machinery),
                ("Total property and equipment, gross", gross), ("Less: accumulated depreciation",
                                                                  [-a for a in accumulated]),
                ("Property and equipment, net", ppe)]
        head = ["Notes to the Consolidated Financial Statements", "7. Property and equipment",
                *([caption] if caption else [])]
        pages.append(("note_table", partial(_draw_table, style=style, heading=head, columns=dates, rows=rows,
                                            decimals=decimals)))
    if rng.random() < 0.3:
        inc = figures.income
        shares = [0.5, 0.3, 0.2]

        def split(v: int) -> list[int]:
            a, b = int(v * shares[0]), int(v * shares[1])
            return [a, b, v - a - b, v]

        rows = [("Revenue", split(inc["revenue"][0])), ("Operating income", split(inc["operating"][0])),
                ("Depreciation and amortization", split(figures.cash["da"][0])),
                ("Total assets", split(figures.balance["assets"][0]))]
        head = ["Segment information", f"Year ended {dates[0]}", *([caption] if caption else [])]
        pages.append(("segments", partial(_draw_table, style=style, heading=head, rows=rows, decimals=decimals,
                                          columns=["Americas", "Europe", "Asia Pacific", "Total"])))
    return pages


def _more_lines(more: Random, uk: bool, company: str, income: list[Row], balance: list[Row],
                cash: list[Row]) -> list[str]:
    """Lines many filings add, each drawn or not: revenue by kind, profit attributable to non-controlling
    interests, no "Total liabilities" line, supplemental cash flow information. Returns what was added."""
    added: list[str] = []
    revenue = income[0]
    assert revenue.ticks is not None
    if more.random() < 0.3:  # revenue by kind, and its total
        share = more.uniform(0.4, 0.8)
        product = [int(v * share) for v in revenue.ticks]
        income[0:1] = [_heading("Revenue:" if uk else "Revenues:"),
                       Row("Product", product, 1, decimals=revenue.decimals),
                       Row("Services", [v - p for v, p in zip(revenue.ticks, product, strict=True)], 1,
                           decimals=revenue.decimals),
                       Row("Total revenue" if uk else "Total revenues", revenue.ticks, total=True, grand=True,
                           decimals=revenue.decimals)]
        added.append("revenue_by_kind")
    net_at = next(i for i, r in enumerate(income) if r.grand and r.ticks is not None and i > 0 and r.total
                  and not r.label.startswith("Total"))
    net = income[net_at]
    assert net.ticks is not None
    if more.random() < 0.2:  # the share of profit that belongs to minority holders
        minority = [int(abs(v) * more.uniform(0.02, 0.08)) for v in net.ticks]
        owners = "owners of the parent" if uk else company.split(" ")[0] + " " + company.split(" ")[1]
        income[net_at + 1:net_at + 1] = [
            Row("Less: net income attributable to noncontrolling interests", [-m for m in minority],
                decimals=net.decimals),
            Row(f"Net income attributable to {owners}", [v - m for v, m in zip(net.ticks, minority, strict=True)],
                total=True, decimals=net.decimals)]
        added.append("minority")
    total_liabilities = next((i for i, r in enumerate(balance) if r.label == "Total liabilities"), None)
    if total_liabilities is not None and not uk and more.random() < 0.3:  # many US balance sheets print none
        del balance[total_liabilities]
        added.append("no_total_liabilities")
    if more.random() < 0.35:
        capex = next(r for r in cash if r.label.startswith(("Purchases of property and equipment",
                                                             "Capital expenditures")))
        assert capex.ticks is not None
        cash += [_heading("Supplemental cash flow information:"),
                 Row("Cash paid for interest", [abs(v) // 7 for v in capex.ticks], 1, decimals=capex.decimals),
                 Row("Cash paid for income taxes", [abs(v) // 3 for v in capex.ticks], 1, decimals=capex.decimals)]
        added.append("supplemental")
    return added


def _discontinued(rng: Random, uk: bool, income: list[Row], net_label: str, *, span: str, sign: int) -> None:
    """An operation sold or closed during the year: profit from continuing operations, then the discontinued
    operation's result after tax, then the year's profit as before (the tax line takes the difference, so that the
    cash flow's net income is unchanged). A UK statement may say "Continuing operations" over its first line."""
    at = next(i for i, r in enumerate(income) if r.label == net_label)
    net, tax = income[at], income[at - 1]
    assert net.ticks is not None and tax.ticks is not None
    result = [int(abs(v) * rng.uniform(-0.3, 0.15)) or -1 for v in net.ticks]
    tax.ticks = [t + sign * d for t, d in zip(tax.ticks, result, strict=True)]
    loss = all(d < 0 for d in result)
    if uk:
        continuing = f"Profit for the {span} from continuing operations"
        stopped = f"{'Loss' if loss else '(Loss)/profit'} for the {span} from discontinued operations"
    else:
        continuing = "Income from continuing operations"
        stopped = f"{'Loss' if loss else 'Income (loss)'} from discontinued operations, net of tax"
    income[at:at] = [Row(continuing, [n - d for n, d in zip(net.ticks, result, strict=True)], total=True,
                         decimals=net.decimals),
                     Row(stopped, result, decimals=net.decimals)]
    if uk and rng.random() < 0.5:
        income.insert(0, _heading("Continuing operations"))


def _draw_equity(c: canvas.Canvas, *, style: Style, company: str, figures: Figures, periods: Periods,
                 decimals: int, uk: bool, caption: str | None) -> None:
    """The statement of changes in equity for the latest year: one column per component of equity, from the
    balance sheet's figures at the two dates."""
    b = figures.balance
    parts = ["common", "apic", "retained", "aoci", "equity"]
    heads = ["Share capital", "Share premium", "Retained earnings", "Other reserves", "Total"] if uk else \
        ["Common stock", "Paid-in capital", "Retained earnings", "AOCI", "Total equity"]
    start, end = [b[k][1] for k in parts], [b[k][0] for k in parts]
    net = figures.income["net"][0]
    moves = [("Net income", [0, 0, net, 0, net]),
             ("Other comprehensive income (loss)", [0, 0, 0, end[3] - start[3], end[3] - start[3]]),
             ("Stock-based compensation", [0, end[1] - start[1], 0, 0, end[1] - start[1]]),
             ("Other movements", [0, 0, end[2] - start[2] - net, 0, end[2] - start[2] - net])]
    dates = [_full_date(c.end, uk) for c in periods.balances]
    rows = [(f"Balance at {dates[1]}", start), *moves, (f"Balance at {dates[0]}", end)]
    title = [company, "Consolidated Statements of Changes in Equity" if uk else
             "Consolidated Statements of Stockholders' Equity", *([caption] if caption else [])]
    _draw_table(c, style, title, heads, rows, decimals)


def _auditor_prose(company: str, periods: Periods, uk: bool) -> list[str]:
    """An auditor's opinion: it names every statement and the dates, and holds no table."""
    dates = " and ".join(_full_date(c.end, uk) for c in periods.balances)
    return [f"To the shareholders and the Board of Directors of {company}:",
            f"We have audited the accompanying consolidated balance sheets of {company} as of {dates}, the related "
            "consolidated statements of operations, comprehensive income, stockholders' equity and cash flows for "
            "each of the years then ended, and the related notes.",
            "In our opinion, the consolidated financial statements present fairly, in all material respects, the "
            f"financial position of the Company as of {dates}, and the results of its operations and its cash flows "
            "in conformity with generally accepted accounting principles.",
            "We have served as the Company's auditor since 2009."]


def _quarters(figures: Figures) -> list[tuple[str, list[int]]]:
    """The latest year's income statement by quarter: a table that is no statement."""
    inc = figures.income

    def split(v: int) -> list[int]:
        q = [int(v * w) for w in (0.23, 0.25, 0.26)]
        return [*q, v - sum(q)]

    return [("Revenue", split(inc["revenue"][0])), ("Gross profit", split(inc["gross"][0])),
            ("Operating income", split(inc["operating"][0])), ("Net income", split(inc["net"][0]))]


def worn(pdf: bytes, seed: int, *, dpi: int = 150, dust: float = 0.0) -> bytes:
    """A scan of `pdf` as a worn office scanner makes it: at `dpi`, fed a little askew (under 0.8 degrees), blurred,
    saved as a JPEG of middling quality, and with `dust`, that share of its pixels left as specks. One filing in ten
    has one sheet fed the wrong way round: that page is upside down (`upside_down_page`)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader

    rng = Random(seed * 41_000_003 + 43)
    specks = np.random.default_rng(seed)
    document = pdfium.PdfDocument(pdf)
    turned = upside_down_page(seed, len(document))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    for number, page in enumerate(document, start=1):
        width, height = page.get_size()
        c.setPageSize((width, height))
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255)
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
        if dust:
            grey = np.asarray(image).copy()
            grey[specks.random(grey.shape) < dust] = rng.choice([0, 90])
            image = Image.fromarray(grey)
        if number == turned:
            image = image.rotate(180)
        jpeg = io.BytesIO()
        image.save(jpeg, format="JPEG", quality=rng.choice([35, 50, 70]))
        jpeg.seek(0)
        c.drawImage(ImageReader(Image.open(jpeg)), 0, 0, width, height)
        c.showPage()
    c.save()
    return buf.getvalue()


def upside_down_page(seed: int, pages: int) -> int | None:
    """The page (1-based) of seed's worn scan fed into the scanner upside down, or None: one filing in ten, drawn
    from a stream of its own, so that no other choice of the seed's scan changes."""
    feed = Random(seed * 7_919 + 5)
    return feed.randrange(pages) + 1 if feed.random() < 0.1 else None


def scanned(pdf: bytes, dpi: int = 200) -> bytes:
    """A scanned copy of `pdf`: each page rendered to a grey image and wrapped as an image-only page (OCR reads it)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    for page in pdfium.PdfDocument(pdf):
        width, height = page.get_size()
        c.setPageSize((width, height))
        c.drawImage(ImageReader(page.render(scale=dpi / 72, grayscale=True).to_pil()), 0, 0, width, height)
        c.showPage()
    c.save()
    return buf.getvalue()
