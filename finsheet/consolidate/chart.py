"""The standard chart of accounts of the spread, how each line is recognised among a company's printed lines, and
the ratios read from it. Data only; `spread.py` does the mapping and the arithmetic.

Each vocabulary list is commented with the general fact it encodes; the patterns are full matches of the normalised
label (`mapping.normalise`: lower case, punctuation to spaces, yearly figures dropped), best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from finsheet.model import StatementType

IS, BS, CF = StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW
Part = Literal["assets", "liabilities", "equity", "operating", "investing", "any"]


class Line(NamedTuple):
    key: str
    label: str
    statement: StatementType
    positive: bool = False
    """An amount that is positive by nature (a cost, an asset, a liability): a line printing it negative (an
    expense as a deduction, a liability in a British balance sheet) is negated. Profit, equity and cash flow
    keep their printed sign: they can be negative."""
    derived: tuple[str, str, str] | None = None
    """(a, "+"/"-", b): the line is computed from two others, never mapped."""


STANDARD: list[Line] = [
    Line("revenue", "Revenue", IS, positive=True),
    Line("cost_of_sales", "Cost of sales", IS, positive=True),
    Line("gross_profit", "Gross profit", IS, derived=("revenue", "-", "cost_of_sales")),
    Line("sga", "Selling, general and administrative", IS, positive=True),
    Line("rnd", "Research and development", IS, positive=True),
    Line("da", "Depreciation and amortization", IS, positive=True),
    Line("ebitda", "EBITDA", IS, derived=("ebit", "+", "da")),
    Line("ebit", "EBIT (operating income)", IS),
    Line("interest", "Interest expense", IS, positive=True),
    Line("tax", "Income tax expense", IS, positive=True),
    Line("net_income", "Net income", IS),
    Line("cash", "Cash and equivalents", BS, positive=True),
    Line("receivables", "Receivables", BS, positive=True),
    Line("inventory", "Inventory", BS, positive=True),
    Line("ppe", "Property, plant and equipment, net", BS, positive=True),
    Line("goodwill", "Goodwill", BS, positive=True),
    Line("total_assets", "Total assets", BS, positive=True),
    Line("payables", "Accounts payable", BS, positive=True),
    Line("debt", "Debt (current and long-term)", BS, positive=True),
    Line("leases", "Lease liabilities", BS, positive=True),
    Line("equity", "Shareholders' equity", BS),
    Line("net_debt", "Net debt", BS, derived=("debt", "-", "cash")),
    Line("operating_cash_flow", "Operating cash flow", CF),
    Line("capex", "Capital expenditure", CF, positive=True),
    Line("free_cash_flow", "Free cash flow", CF, derived=("operating_cash_flow", "-", "capex")),
]
LINES = {line.key: line for line in STANDARD}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """How a standard line is recognised: label patterns (full matches of the normalised label, best first), the
    part of the statement it must sit in, and whether every matching line adds in (debt in several lines) or the
    best one is taken."""

    patterns: tuple[str, ...]
    part: Part = "any"
    several: bool = False
    statements: tuple[StatementType, ...] = ()
    """Where to look, in order (default: the line's own statement)."""


_NOT_MINORITY = r"(?!.*non ?controlling)(?!.*minority)"
VOCABULARY: dict[str, Vocabulary] = {
    # The top line is named for what the company sells; a "total" over the components is the figure to take.
    "revenue": Vocabulary((r"total (net |operating )?revenues?", r"total net sales( and revenues?)?", r"net revenues?",
                           r"operating revenues?",
                           r"revenues?( net)?", r"net sales", r"total sales", r"sales", r"(total )?turnover",
                           r"total revenues? and other income")),
    # What the goods or services sold cost: retailers say merchandise costs, manufacturers cost of goods sold.
    "cost_of_sales": Vocabulary((r"(total )?cost of (net )?revenues?", r"cost of (goods )?sold", r"cost of sales",
                                 r"cost of goods sold", r"merchandise costs", r"cost of (products|merchandise) sold",
                                 r"cost of goods and services sold", r"cost of sales and occupancy( costs)?",
                                 r"cost of sales excluding depreciation( and amortization)?")),
    # Overheads: one selling, general and administrative line, or its selling / marketing and G&A parts.
    "sga": Vocabulary((r"selling general (and )?administrative( expenses?)?", r"sg a",
                       r"(sales and marketing|selling and marketing|marketing|selling( expenses?)?)",
                       r"(corporate )?general (and )?administrative( expenses?)?",
                       r"administrative expenses", r"administration expenses"), several=True),
    # Research and development; technology companies say technology and development.
    "rnd": Vocabulary((r"research and development( expenses?| costs?)?", r"technology and development")),
    # Depreciation is an expense line for some, and always the first add-back in operating cash flow.
    # (British filings write amortisation.)
    "da": Vocabulary((r"depreciation( depletion)? and amorti[sz]ation( expenses?)?",
                      r"depreciation and amorti[sz]ation of .*", r"depreciation amorti[sz]ation and .*",
                      r"depreciation"), part="operating", statements=(IS, CF)),
    # Operating income is the last subtotal before financing costs and tax: EBIT.
    "ebit": Vocabulary((r"operating income( loss)?", r"income( loss)? from operations", r"operating profit( loss)?",
                        r"operating earnings", r"earnings from operations")),
    # Interest paid on debt (not interest earned): an expense, sometimes net of interest income.
    "interest": Vocabulary((r"interest expense( net)?", r"interest expense net of .*", r"finance costs?",
                            r"interest net", r"interest and other financial charges", r"interest expense and other")),
    # The tax charge on the year's profit, whatever its sign.
    "tax": Vocabulary((r"((provision|benefit)( for| from)? )+income taxes?",
                       r"income tax(es)? (expense|provision|credit)( benefit)?", r"income tax expense benefit",
                       r"income taxes?", r"taxation", r"tax on profit")),
    # Profit attributable to the company's own shareholders (not the minority's) when printed; else net income.
    "net_income": Vocabulary((rf"net (income|earnings|loss)( loss| income)? attributable to {_NOT_MINORITY}.*",
                              rf"profit( loss)? attributable to {_NOT_MINORITY}.*",
                              r"(consolidated )?net (income|earnings|loss)( loss| income)?",
                              r"(profit|loss|profit loss) for the (year|period)",
                              r"net income including non ?controlling interests?")),
    "cash": Vocabulary((r"cash and cash equivalents", r"cash and equivalents", r"cash",
                        r"cash and cash equivalents and restricted cash"), part="assets"),
    # Amounts customers owe: receivables, trade receivables, accounts receivable (net of the allowance).
    "receivables": Vocabulary((r"(trade )?(accounts )?receivables?( net)?", r"accounts and notes receivable( net)?",
                               r"trade and other receivables( net)?", r"receivables from customers",
                               r"(trade )?debtors"),
                              part="assets"),
    "inventory": Vocabulary((r"(merchandise )?inventor(y|ies)( net)?",), part="assets"),
    # Net book value (after accumulated depreciation), not the gross cost some balance sheets print above it.
    "ppe": Vocabulary((r"property( plant)? and equipment net", r"net property( plant)? and equipment",
                       r"property( plant)? and equipment"), part="assets"),
    "goodwill": Vocabulary((r"goodwill( net)?",), part="assets"),
    "total_assets": Vocabulary((r"total assets",)),
    # What the company owes its suppliers.
    "payables": Vocabulary((r"(trade )?accounts payable", r"trade payables", r"trade and other payables"),
                           part="liabilities"),
    # Borrowings, current and long-term, in as many lines as the balance sheet splits them (leases apart).
    "debt": Vocabulary((r"(current portion|current maturities) of long term (debt|borrowings)",
                        r"short term (debt|borrowings)", r"commercial paper", r"notes payable",
                        r"long term (debt|borrowings)( excluding current portion| net of current portion"
                        r"| less current portion| net)?", r"borrowings", r"loans payable( net)?",
                        r"bank loans( .*)?"), part="liabilities", several=True),
    # Lease liabilities (IFRS 16 / ASC 842), current and long-term, operating and finance.
    "leases": Vocabulary((r"(current portion of |long term |current )?(operating |finance )?lease liabilities"
                          r"( current| non ?current| net of current portion)?",), part="liabilities", several=True),
    # The parent's shareholders' equity when printed apart from the minority's; else total equity.
    "equity": Vocabulary((rf"total {_NOT_MINORITY}.* (stockholders|shareholders) equity",
                          r"total (stockholders|shareholders) (equity|deficit)( deficit| equity)?",
                          r"total equity",
                          r"(stockholders|shareholders) equity")),
    "operating_cash_flow": Vocabulary((r"net cash (provided by|from|generated from|provided by used in|used in"
                                       r"|used in provided by) operating activities",
                                       r"(net )?cash (inflow|outflow|inflow outflow|outflow inflow) from operating"
                                       r" activities",
                                       r"cash (generated from|provided by) operations")),
    # Spending on fixed assets (cash out: printed negative).
    "capex": Vocabulary((r"(additions to|purchases? of|payments for|acquisitions? of|expenditures for) property"
                         r"( plant)? and equipment", r"capital expenditures?"), part="investing"),
}


class Ratio(NamedTuple):
    key: str
    label: str
    kind: Literal["growth", "share", "multiple", "average", "days"]
    a: str
    b: str = ""


RATIOS: list[Ratio] = [
    Ratio("revenue_growth", "Revenue growth", "growth", "revenue"),
    Ratio("gross_margin", "Gross margin", "share", "gross_profit", "revenue"),
    Ratio("ebitda_margin", "EBITDA margin", "share", "ebitda", "revenue"),
    Ratio("ebit_margin", "EBIT margin", "share", "ebit", "revenue"),
    Ratio("net_margin", "Net margin", "share", "net_income", "revenue"),
    Ratio("debt_to_ebitda", "Debt / EBITDA (×)", "multiple", "debt", "ebitda"),
    Ratio("net_debt_to_ebitda", "Net debt / EBITDA (×)", "multiple", "net_debt", "ebitda"),
    Ratio("interest_cover", "Interest cover: EBIT / interest (×)", "multiple", "ebit", "interest"),
    Ratio("roe", "Return on equity (average equity)", "average", "net_income", "equity"),
    Ratio("roa", "Return on assets (average total assets)", "average", "net_income", "total_assets"),
    Ratio("dso", "Days sales outstanding", "days", "receivables", "revenue"),
    Ratio("dio", "Days inventory outstanding", "days", "inventory", "cost_of_sales"),
    Ratio("dpo", "Days payables outstanding", "days", "payables", "cost_of_sales"),
]
DAYS = 365
