"""Nonprofit filings generated from a seed, each with its truth (as generated_filings.py does for companies): a
statement of financial position closing on net assets, a statement of activities whose current year is printed
as "Without Donor Restrictions | With Donor Restrictions | Total", and a cash flow opening with the change in net
assets.

`nonprofit(seed)` returns the PDF's bytes and its `Truth`; generated_compare.py compares an extraction with it.
Only each year's total is a period: the restriction columns are parts of it, keyed by their heading
("without donor restrictions 2022-06-30") with no end of their own. The figures foot: net assets released from
restrictions move between the two classes and add to nothing in total, each class's net assets roll from the
beginning of the year to its end and on to the balance sheet, and cash rolls forward to the balance sheet's.
"""

from __future__ import annotations

import io
from datetime import date
from random import Random

from generated_filings import (
    Column,
    Row,
    Sheet,
    T,
    Truth,
    TruthStatement,
    WordCanvas,
    _draw_page,
    _full_date,
    _heading,
    _month_end,
    _noisy,
    _style,
    _truth_lines,
)

ORGANISATIONS = ["Riverbend Community Foundation", "Harbor Light Family Services, Inc.", "Northfield Arts Council",
                 "Cedar Valley Food Bank", "Open Pathways Education Fund", "St. Brigid Health Outreach"]
WITHOUT, WITH = "without donor restrictions", "with donor restrictions"


def _activities(rng: Random, revenue: int) -> dict[str, list[int]]:
    """One year's activities by class: [without, with, total] for each line."""
    program = _noisy(rng, revenue * 0.35)
    gifts_free, gifts_bound = _noisy(rng, revenue * 0.45), _noisy(rng, revenue * 0.2)
    income_free, income_bound = _noisy(rng, revenue * 0.04), _noisy(rng, revenue * 0.02)
    released = _noisy(rng, gifts_bound * 0.8)
    services, management, fundraising = (_noisy(rng, revenue * 0.72), _noisy(rng, revenue * 0.14),
                                         _noisy(rng, revenue * 0.07))
    expenses = services + management + fundraising
    f = {"gifts": [gifts_free, gifts_bound], "program": [program, 0], "investment": [income_free, income_bound],
         "released": [released, -released], "services": [services, 0], "management": [management, 0],
         "fundraising": [fundraising, 0], "expenses": [expenses, 0]}
    f["support"] = [gifts_free + program + income_free + released, gifts_bound + income_bound - released]
    f["change"] = [f["support"][0] - expenses, f["support"][1]]
    return {k: [*v, v[0] + v[1]] for k, v in f.items()}


def nonprofit(seed: int) -> tuple[bytes, Truth]:
    """A three-statement nonprofit filing drawn from `seed`, and what a correct extraction of it reports."""
    rng = Random(seed * 31_000_003 + 37)
    style = _style(rng, False)
    style.notes_column = False
    name = rng.choice(ORGANISATIONS)
    year_end = _month_end(rng.randrange(2019, 2026), rng.choice([6, 6, 12, 9, 8]))
    prior = _month_end(year_end.year - 1, year_end.month)
    revenue = rng.randrange(400_000, 40_000_000)
    both_years_split = rng.random() < 0.3  # each year printed by class (six columns), or the prior year's total only
    years = [_activities(rng, revenue), _activities(rng, int(revenue / rng.uniform(1.0, 1.15)))]

    # net assets by class roll from the prior year's beginning to this year's end
    begin_prior = [_noisy(rng, revenue * 1.2), _noisy(rng, revenue * 0.5)]
    end_prior = [b + c for b, c in zip(begin_prior, years[1]["change"][:2], strict=True)]
    end_now = [b + c for b, c in zip(end_prior, years[0]["change"][:2], strict=True)]
    begin_of = [end_prior, begin_prior]
    end_of = [end_now, end_prior]

    # the cash flow of each year, its cash chained from the prior year's beginning
    flows: list[dict[str, int]] = []
    for k, year in enumerate(years):
        f = {"change": year["change"][2], "depreciation": _noisy(rng, revenue * 0.03),
             "gains": -_noisy(rng, revenue * 0.02), "receivable": int(revenue * rng.uniform(-0.03, 0.02)),
             "payables": int(revenue * rng.uniform(-0.01, 0.02)), "property": -_noisy(rng, revenue * 0.04),
             "bought": -_noisy(rng, revenue * 0.15), "sold": _noisy(rng, revenue * 0.12),
             "repaid": -_noisy(rng, revenue * 0.01) if k == 0 or rng.random() < 0.7 else 0}
        f["operating"] = f["change"] + f["depreciation"] + f["gains"] + f["receivable"] + f["payables"]
        f["investing"] = f["property"] + f["bought"] + f["sold"]
        f["net"] = f["operating"] + f["investing"] + f["repaid"]
        flows.append(f)
    cash_begin_prior = _noisy(rng, revenue * 0.2) + max(0, -flows[1]["net"]) + max(0, -flows[0]["net"])
    flows[1] |= {"begin": cash_begin_prior, "end": cash_begin_prior + flows[1]["net"]}
    flows[0] |= {"begin": flows[1]["end"], "end": flows[1]["end"] + flows[0]["net"]}

    # the balance sheet at both year ends: investments take what the other lines leave
    balance: dict[str, list[int]] = {k: [] for k in ("cash", "receivable", "investments", "property", "assets",
                                                    "payables", "deferred", "notes", "liabilities", "free", "bound",
                                                    "net_assets", "total")}
    for k in range(2):
        row = {"cash": flows[k]["end"], "receivable": _noisy(rng, revenue * 0.08),
               "property": _noisy(rng, revenue * 0.4), "payables": _noisy(rng, revenue * 0.05),
               "deferred": _noisy(rng, revenue * 0.03), "notes": _noisy(rng, revenue * 0.1),
               "free": end_of[k][0], "bound": end_of[k][1]}
        row["liabilities"] = row["payables"] + row["deferred"] + row["notes"]
        row["net_assets"] = row["free"] + row["bound"]
        row["total"] = row["assets"] = row["liabilities"] + row["net_assets"]
        row["investments"] = row["assets"] - row["cash"] - row["receivable"] - row["property"]
        for key in balance:
            balance[key].append(row[key])

    def per_class(key: str, now_only: bool = False) -> list[int]:
        """A line's printed figures: this year by class and in total, then the prior year's (by class too when
        both years are split)."""
        now, then = years[0][key], years[1][key]
        return [*now, *(then if both_years_split else then[2:])] if not now_only else now

    def nets(values: list[list[int]]) -> list[int]:
        now, then = values[0], values[1]
        return [*now, sum(now), *([*then, sum(then)] if both_years_split else [sum(then)])]

    activity_rows = [
        _heading(rng.choice(["Revenue and support:", "Support and revenue", "REVENUE, SUPPORT AND GAINS"])),
        Row(rng.choice(["Contributions", "Contributions and grants", "Grants and contributions"]),
            per_class("gifts"), 1),
        Row(rng.choice(["Program service revenue", "Program fees"]), per_class("program"), 1),
        Row(rng.choice(["Investment return, net", "Investment income"]), per_class("investment"), 1),
        Row("Net assets released from restrictions", per_class("released"), 1),
        Row(rng.choice(["Total revenue and support", "Total support and revenue"]), per_class("support"), 1,
            total=True),
        _heading(rng.choice(["Expenses:", "Expenses", "EXPENSES"])),
        Row("Program services", per_class("services"), 1),
        Row("Management and general", per_class("management"), 1),
        Row("Fundraising", per_class("fundraising"), 1),
        Row("Total expenses", per_class("expenses"), 1, total=True),
        Row("Change in net assets", per_class("change"), total=True, grand=True),
        Row(rng.choice(["Net assets, beginning of year", "Net assets at beginning of year"]), nets(begin_of)),
        Row(rng.choice(["Net assets, end of year", "Net assets at end of year"]), nets(end_of), total=True,
            grand=True),
    ]
    balance_rows = [
        _heading(rng.choice(["ASSETS", "Assets"])),
        Row("Cash and cash equivalents", balance["cash"], grand=True),
        Row(rng.choice(["Contributions receivable, net", "Pledges receivable, net", "Grants receivable"]),
            balance["receivable"]),
        Row("Investments", balance["investments"]),
        Row(rng.choice(["Property and equipment, net", "Land, buildings and equipment, net"]), balance["property"]),
        Row("Total assets", balance["assets"], total=True, grand=True),
        _heading(rng.choice(["LIABILITIES AND NET ASSETS", "Liabilities and net assets"])),
        _heading("Liabilities:"),
        Row("Accounts payable and accrued expenses", balance["payables"], 1),
        Row(rng.choice(["Deferred revenue", "Refundable advances"]), balance["deferred"], 1),
        Row("Notes payable", balance["notes"], 1),
        Row("Total liabilities", balance["liabilities"], 1, total=True),
        _heading("Net assets:"),
        Row("Without donor restrictions", balance["free"], 1),
        Row("With donor restrictions", balance["bound"], 1),
        Row("Total net assets", balance["net_assets"], 1, total=True),
        Row("Total liabilities and net assets", balance["total"], total=True, grand=True),
    ]
    cash_rows = [
        _heading("Cash flows from operating activities:"),
        Row("Change in net assets", [f["change"] for f in flows], 1, grand=True),
        _heading("Adjustments to reconcile change in net assets to net cash provided by operating activities:", 1),
        Row("Depreciation", [f["depreciation"] for f in flows], 2),
        Row("Net realized and unrealized gains on investments", [f["gains"] for f in flows], 2),
        Row("Change in contributions receivable", [f["receivable"] for f in flows], 2),
        Row("Change in accounts payable and accrued expenses", [f["payables"] for f in flows], 2),
        Row("Net cash provided by operating activities", [f["operating"] for f in flows], 1, total=True),
        _heading("Cash flows from investing activities:"),
        Row("Purchases of property and equipment", [f["property"] for f in flows], 1),
        Row("Purchases of investments", [f["bought"] for f in flows], 1),
        Row("Proceeds from sales of investments", [f["sold"] for f in flows], 1),
        Row("Net cash used in investing activities", [f["investing"] for f in flows], 1, total=True),
        _heading("Cash flows from financing activities:"),
        Row("Repayments of notes payable", [f["repaid"] for f in flows], 1),
        Row("Net change in cash and cash equivalents", [f["net"] for f in flows], total=True),
        Row("Cash and cash equivalents, beginning of year", [f["begin"] for f in flows]),
        Row("Cash and cash equivalents, end of year", [f["end"] for f in flows], total=True, grand=True),
    ]

    # columns and headings
    now_year, then_year = str(year_end.year), str(prior.year)
    class_heads = [("Without Donor", "Restrictions"), ("With Donor", "Restrictions"), ("", "Total")]
    if both_years_split:
        activity_columns = [Column(year_end, 12, WITHOUT), Column(year_end, 12, WITH), Column(year_end, 12),
                            Column(prior, 12, WITHOUT), Column(prior, 12, WITH), Column(prior, 12)]
        activity_heads = [[(now_year, 0, 2), (then_year, 3, 5)],
                          [(top, i + 3 * k, i + 3 * k) for k in range(2) for i, (top, _) in enumerate(class_heads)
                           if top],
                          [(low, i + 3 * k, i + 3 * k) for k in range(2) for i, (_, low) in enumerate(class_heads)]]
        style.page = (max(style.page), min(style.page))  # six columns: a turned page
    else:
        activity_columns = [Column(year_end, 12, WITHOUT), Column(year_end, 12, WITH), Column(year_end, 12),
                            Column(prior, 12)]
        activity_heads = [[(now_year, 0, 2), (then_year, 3, 3)],
                          [(top, i, i) for i, (top, _) in enumerate(class_heads) if top],
                          [*((low, i, i) for i, (_, low) in enumerate(class_heads)), ("Total", 3, 3)]]
    two = [[(now_year, 0, 0), (then_year, 1, 1)]]
    span = f"for the year ended {_full_date(year_end, False)}"
    dates = f"{_full_date(year_end, False)} and {prior.year}"
    activities_title = rng.choice(["Statement of Activities", "Statements of Activities",
                                   "Statement of Activities and Changes in Net Assets"])
    sheets = [
        Sheet(T.INCOME, [name, activities_title, span[0].upper() + span[1:]], activity_heads, activity_columns,
              activity_rows, 1),
        Sheet(T.BALANCE, [name, rng.choice(["Statement of Financial Position", "Statements of Financial Position"]),
                          dates], two, [Column(year_end, None), Column(prior, None)], balance_rows, 1),
        Sheet(T.CASH_FLOW, [name, rng.choice(["Statement of Cash Flows", "Statements of Cash Flows"]),
                            f"For the years ended {dates}"], two, [Column(year_end, 12), Column(prior, 12)],
              cash_rows, 1),
    ]
    order = [1, 0, 2]  # financial position, activities, cash flows: the order audited statements print them

    buf = io.BytesIO()
    c = WordCanvas(buf, pagesize=style.page, invariant=True)
    truths: list[TruthStatement] = []
    for number, k in enumerate(order, start=1):
        sheet = sheets[k]
        _draw_page(c, style, [(sheet, sheet.rows, True)], number)
        c.showPage()
        # no unit is printed: the figures are whole dollars, which a reader may report as unknown or as 1
        truths.append(TruthStatement(sheet.type, [number], sheet.columns, None, None, _truth_lines(sheet.rows, style)))
    c.save()
    choices = {"both_years_split": str(both_years_split), "page": str(style.page), "font": style.font,
               "nil": style.nil, "negative": style.negative, "year_end": date.isoformat(year_end)}
    return buf.getvalue(), Truth(truths, [], choices)
